"""Personal information out of a complaint's text, for the monthly disclosure (消费投诉公示).

Closed complaints are published "在保护国家秘密、商业秘密和个人隐私的前提下": the 投诉内容
column must still say what the enterprise did, but nothing in it may point to the consumer.
So `mask` hides the person and leaves the business readable. On the labelled texts in
tests/data (bench/masking_recall.py counts them) it hides ≥ 97 % of the personal items and
keeps ≥ 97 % of the enterprise side.

Names become surname + 某 (张伟 → 张某, 欧阳娜娜 → 欧阳某, 王小明 → 王某); in front of
先生/女士/小姐 only the surname stays (张伟先生 → 张先生; 王先生 and 李女士 are left as they
are). The record's own names (``names``) are masked wherever they occur. Others are found in
the text:
- after a cue naming the person's part in the case: the consumer (投诉人 消费者 本人 我叫
  姓名 联系人 来电人 市民 用户 诉求人 当事人 委托人 …), family (丈夫 妻子 儿子 女儿 孩子
  其父 其母 外婆 表姐 家长 …), neighbours and friends, and the business's people (店长 店员
  老板 经理 负责人 销售顾问 客服 快递员 骑手 司机 师傅 教练 老师 医生 导游 房东 卖家 代购
  车商 前台 …, and any 某某师 / 某某员 / 某某工: 验光师, 配送员, 护工); also in forms
  (【诉求人】秦雪梅, 投诉人信息：陈小兵) and after 经查，;
- in front of 先生/女士/小姐, and in front of "（身份证…" or "，男，";
- opening a sentence, when what follows is what a complainant does: 王建国于3月…, 刘美华反映,
  张伟称.
A name there is a known surname (single or compound, the rare ones of Jiangsu included: 眭 笪
恽 蒯 濮 …) plus one or two given-name characters, and it must end where the next word visibly
begins (于 在 称 反映 购买 承诺 拒绝 频繁 的 ， 2026 …): 消费者张伟于 gives 张伟, 投诉人李娜称 gives
李娜, while 消费者权益保护法, 消费者于今年, 投诉人向商家, 教练车, 孩子成绩, 消费者金项链 and
吴中区 give no name (characters of things - 包 项 绩 线 班 车 费 … - make no given name, and
common words after cues are listed). Surnames that are everyday words too (时 花 应 乐 水 计
冒 居 查 …) count only right after a cue and before what ends a name: 消费者时光称 is a name,
消费者时间紧 and 消费者花费5000元 are not. A name found once is masked everywhere in the text.

Numbers that identify a person become tags, in ASCII or full-width digits: 【电话】 (mobiles
with spaces or dashes anywhere, after +86, 0086 or (+86); landlines with an area code, in
brackets or not, with an extension (-806, 转806, 分机806) - a shop's too, they cannot be told
apart; 7–8 digit local numbers after 电话/座机), 【身份证号】 (18 characters with X, grouped or
not, or 15 digits, whose birth date is a real date), 【银行卡号】 (16–19 digits, grouped or not;
12–19 after 卡号/账号/银行卡), 【车牌号】 (province, letter, an optional dot, then five letters
and digits in any order - 苏E12345, 苏E·12345, 苏EAB123, 苏E1A2B3, 沪A·Z9X8Y; six for
new-energy plates with D or F first or last - 苏E·D12345, 苏EF12345, 苏E12345D, 苏EA1234D; or
four and 学/警/挂/领/港/澳/使/试/超; a plate has a digit, and one with fewer than three is in
capitals, so 云MAX5 and 新iPhone stay). Numbers already starred by the program (138****5678)
become tags as well.

A person's address keeps only what says where the case happened - province, city, district or
county - and loses the rest (街道, road and number, estate, 幢/单元/室): "家住苏州市吴中区长桥
街道宝带西路100号3幢201室" → "家住苏州市吴中区【地址】". This applies after address cues
(家住 住址 现住 住在 住+place 租住 家在 地址 收货地址 送至 寄往 发往 住房位于 【地址】 …) when
what follows has a number or an address word (路 号 小区 幢 室 …): "地址不详" stays; it ends
with its last address word, before a verb (退租 扣押 被盗 …) or ten characters without one
(送至…501室门口后丢失 keeps 门口后丢失). Without a cue, an address written out with its city,
district or county and a road and house number is masked the same way (寄往河南省郑州市金水区
农业路东段58号, 其在常州市武进区湖塘镇花园街58号的房屋), and so are building and room numbers
(3幢201室, 5栋2单元302室): they point to one household, a mall or a road does not.
Business addresses stay: the address of a 公司/商家/门店/店铺/被投诉人 (…地址：, …位于,
某公司，地址：, 某公司（苏州市…）, 商家在…), a place that is or is followed by a hotel, shop or
company (住在苏州某某大酒店, 观前街168号某奶茶店, …88号德基广场一楼) or where something was
bought (…200号购买) - unless a home follows the business word (…传媒广场旁某小区3幢). Shops
and malls named as the place of purchase are never touched.

Left readable on purpose: enterprise names, brands, products and models, amounts, dates,
numbers called 订单号/合同编号/发票号码/运单号/型号 (they identify the transaction, not the
person), hotlines (12315, 12345) and 400/800/95xxx service numbers. Device serials (IMEI) are
not looked for; they go only if they look like an ID or a card number.

Not caught (see tests/data/README.md): a name with no cue in the middle of a sentence
(公司另派周海接手), with a surname outside the lists (刀 言) or a given name made of characters
that end names (赵本山, 丁当); an address with no city, district or county and no cue
(放在工农南路88号门卫室). Pass the record's names: a name in free text without any cue cannot
be told from other words.

The rules run again until a pass changes nothing, so mask(mask(x)) == mask(x); text outside
the masked spans (whitespace included) is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from desktop.domain.validators import _COMPOUND_SURNAMES

PHONE_TAG = "【电话】"
ID_TAG = "【身份证号】"
CARD_TAG = "【银行卡号】"
PLATE_TAG = "【车牌号】"
ADDRESS_TAG = "【地址】"
MASK_CHAR = "某"
TITLES = ("先生", "女士", "小姐")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


COMPOUND_SURNAMES = _COMPOUND_SURNAMES | _words(
    "端木 南宫 西门 独孤 轩辕 申屠 太史 百里 呼延 澹台 公冶 宗政 濮阳 淳于 单于 钟离 闻人 "
    "万俟 赫连 第五 拓跋 左丘 梁丘 东郭 仲孙 鲜于 闾丘 司空 亓官 司寇 颛孙 公良 漆雕 乐正 "
    "巫马 公西 谷梁 羊舌"
)

# Common single surnames. Left out on purpose: rare surnames that are everyday words in a
# complaint (和 时 都 由 国 公 海 平 明 商 原 利 信 …) - with them 消费者和商家 would hold a name.
SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺"
    "顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关"
    "兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
    "蒲房滕屈饶牟艾尤阳穆农卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟臧闵"
    "苟邬边卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池麻苑迟邝封谈匡鞠惠荆冀郁胥班储栗燕楚鄢劳谌"
    "奚皮粟冼蔺满闻厉伊仝郜阚帅屠豆朴盖练廉禹祖漆巴丰卿狄索晋初扈晁芮阙浦戈伏鹿薄邸雍辜羊乌裘"
    "亓修邰赫杭况宿鲜逯隆茹诸慕嵇湛宾勾茅於揭尉冶昝尧洪郦钮糜荀戎茆眭笪恽蒯濮邴赖檀"
)

# Surnames that are everyday words too (时间, 花费, 应当, 水电, 计算, 冒领, 居住 …): read as a
# surname only right after a cue, and only when the name is followed by what ends one (消费者
# 时光称, 投诉人计春华称).
_WORD_SURNAMES = frozenset("时花应乐水计冒束居贝过查解")

# Surnames that are also function words: 向商家, 于今年, 曾多次. When the next character is
# itself a surname (投诉人向张伟先生反映) they are read as the word, not as a surname.
_FUNCTION_SURNAMES = frozenset("向于曾")

# ---------------------------------------------------------------- protected spans


class _Vault:
    """Spans that must come out unchanged, swapped for private-use placeholders meanwhile."""

    _BASE = 0xE100
    _PLACEHOLDER = re.compile("\ue000([\ue100-\uf8ff])\ue001")

    def __init__(self) -> None:
        self._kept: list[str] = []

    def keep(self, span: str) -> str:
        self._kept.append(span)
        return f"\ue000{chr(self._BASE + len(self._kept) - 1)}\ue001"

    def restore(self, text: str) -> str:
        def back(m: re.Match[str]) -> str:
            index = ord(m[1]) - self._BASE
            return self._kept[index] if index < len(self._kept) else m[0]

        return self._PLACEHOLDER.sub(back, text)


def _replace_group(
    pattern: re.Pattern[str], text: str, group: str, new: Callable[[re.Match[str]], str]
) -> str:
    """Replace only `group` of each match; the cue around it stays as it was."""

    def repl(m: re.Match[str]) -> str:
        start, end = m.span(group)
        if start < 0:
            return m[0]
        return m[0][: start - m.start()] + new(m) + m[0][end - m.start() :]

    return pattern.sub(repl, text)


_SEP = r"[：:\s]*(?:为|是)?[：:\s]*"

# Identifiers of the transaction rather than of the person; also keeps an 18-19 digit
# order number from being taken for a bank card.
_TRANSACTION_NUMBER = re.compile(
    r"(?:订单号码|订单编号|订单号|订单|运单号|快递单号|物流单号|合同编号|合同号|发票号码|发票号"
    r"|交易单号|交易号|统一社会信用代码|信用代码|注册号|型号|货号|批号|批次号)"
    + _SEP
    + r"(?P<code>[A-Za-z0-9][A-Za-z0-9\-_/]*)"
)
_BUSINESS_ADDRESS = re.compile(
    r"(?:商家|店铺|门店|公司|企业|经营|营业|注册|厂家|商户|被投诉人|被申请人|商场|酒店|机构|店)"
    r"(?:[，,]\s*)?的?(?:地址|住所地?|经营场所|所在地|位于)"
    + r"[：:\s]*(?:为|是|在)?[：:\s]*"
    + r"(?P<place>[^\s，。；;,！!？?（）()]{1,60})"
)


def _protect(text: str, vault: _Vault) -> str:
    text = _replace_group(_TRANSACTION_NUMBER, text, "code", lambda m: vault.keep(m["code"]))
    return _replace_group(_BUSINESS_ADDRESS, text, "place", lambda m: vault.keep(m["place"]))


# ---------------------------------------------------------------- numbers

_GAP = r"[ \t\u3000\-－]?"
_CARD_AFTER_CUE = re.compile(
    r"(?:(?:银行)?卡号码?|银行卡|储蓄卡|借记卡|信用卡|(?:银行)?账号|帐号|(?:银行)?账户|帐户)"
    + _SEP
    + rf"(?P<num>\d(?:{_GAP}\d){{11,18}})(?!\d)"
)
_ID_CANDIDATE = re.compile(
    rf"(?<![0-9A-Za-z])(?:\d(?:{_GAP}\d){{16}}{_GAP}[\dXx]|\d{{15}})(?![0-9A-Za-z])"
)
_CARD = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{4}(?:[ \-]\d{4}){3}(?:[ \-]\d{1,3})?|\d{6}[ \-]\d{10,13}|\d{16,19})"
    r"(?![0-9A-Za-z])"
)
_STARRED_PHONE = re.compile(r"(?<!\d)1[3-9]\d[*＊]{4}\d{4}(?!\d)")
_STARRED_ID = re.compile(r"(?<![0-9A-Za-z])\d{1,6}[*＊]{6,12}\d{0,3}[\dXx](?![0-9A-Za-z])")
# 11 digits from 13x-19x, a space or dash anywhere between them (138 1234 5678, 1381 234 5678,
# 138-1234 5678), after +86, 0086, (+86) or 86- if there is one.
_MOBILE = re.compile(
    r"(?<!\d)(?:(?:[(（]?(?:[+＋]|00)?86[)）]?|[+＋]86)[ \-－]?)?"
    rf"1[3-9](?:{_GAP}\d){{9}}(?!\d)"
)
_AREA = r"0(?:[12]\d|[3-9]\d{2})"  # 010 and 02X have three digits, all other codes four
_LINE_GAP = r"[ \t\u3000\-－—]?"
_LANDLINE = re.compile(
    rf"(?<!\d)(?:[(（]{_AREA}[)）]|{_AREA}){_LINE_GAP}[2-9]\d{{2,3}}{_LINE_GAP}\d{{4}}"
    r"(?:(?:-|转|分机|ext\.?\s?)\d{1,6})?(?!\d)"
)
_LOCAL_AFTER_CUE = re.compile(
    r"(?:电话|座机|固话|联系方式|号码|[Tt][Ee][Ll])"
    + _SEP
    + r"(?P<num>[2-9]\d{2,3}[ \-－]?\d{4})(?!\d)"
)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Province, the issuing office's letter, an optional dot, then: five letters or digits in any
# order (苏E12345, 苏EAB123, 苏E1A2B3, 沪A·Z9X8Y); six for new-energy cars, D or F first
# (苏E·D12345, 苏ADA1234) or last (苏E12345D, 苏EA1234D); or four and 学/警/挂/领/港/澳/使/试/超.
_PLATE = re.compile(
    rf"[{_PROVINCES}]\s?[A-Za-z][·•・.\s\-]?"
    r"(?P<body>[DFdf][A-Za-z0-9]{5}|[A-Za-z0-9]{5}[DFdf]|[A-Za-z0-9]{4}[挂学警港澳领使试超]|[A-Za-z0-9]{5})"
    r"(?![A-Za-z0-9])"
)


def _plate_or_keep(m: re.Match[str]) -> str | None:
    """A plate has a digit; one with fewer than three is in capitals (not 云MAX5, 新iPhone)."""
    digits = sum(ch.isdigit() for ch in m["body"])
    lower = any(ch.islower() for ch in m[0])
    return PLATE_TAG if digits >= 3 or (digits and not lower) else None


# Full-width digits and letters (１３８…, 苏Ｅ１２３４５) are read as their ASCII forms; the text
# keeps them wherever nothing is masked.
_ASCII = str.maketrans(
    {chr(0xFF10 + i): chr(0x30 + i) for i in range(10)}
    | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
    | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}
    | {"（": "(", "）": ")", "＋": "+", "－": "-", "　": " "}
)


class _Numbers:
    """The text and its ASCII reading, of the same length, masked together."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.translate(_ASCII)

    def sub(
        self,
        pattern: re.Pattern[str],
        new: Callable[[re.Match[str]], str | None],
        group: str | int = 0,
    ) -> None:
        """Replace `group` of each match in the ASCII reading with new(m), if not None."""
        text: list[str] = []
        ascii_: list[str] = []
        done = 0
        for m in pattern.finditer(self.ascii):
            start, end = m.span(group)
            tag = new(m) if start >= 0 else None
            if tag is None:
                continue
            text += [self.text[done:start], tag]
            ascii_ += [self.ascii[done:start], tag]
            done = end
        self.text = "".join(text) + self.text[done:]
        self.ascii = "".join(ascii_) + self.ascii[done:]


def _is_birth_date(digits: str) -> bool:
    raw = digits[6:14] if len(digits) == 18 else "19" + digits[6:12]
    try:
        born = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def _id_or_keep(m: re.Match[str]) -> str | None:
    digits = re.sub(r"[^\dXx]", "", m[0])
    return ID_TAG if _is_birth_date(digits) else None


def _mask_numbers(text: str) -> str:
    numbers = _Numbers(text)
    numbers.sub(_CARD_AFTER_CUE, lambda m: CARD_TAG, "num")
    numbers.sub(_ID_CANDIDATE, _id_or_keep)
    numbers.sub(_CARD, lambda m: CARD_TAG)
    numbers.sub(_STARRED_PHONE, lambda m: PHONE_TAG)
    numbers.sub(_STARRED_ID, lambda m: ID_TAG)
    numbers.sub(_MOBILE, lambda m: PHONE_TAG)
    numbers.sub(_LANDLINE, lambda m: PHONE_TAG)
    numbers.sub(_LOCAL_AFTER_CUE, lambda m: PHONE_TAG, "num")
    numbers.sub(_PLATE, _plate_or_keep)
    return numbers.text


# ---------------------------------------------------------------- addresses

_ADDRESS_CUES = (
    "家庭住址|家庭地址|现住址|居住地址|现居住地|住址|现住|家住|现居住在|居住在|居住于|现居于|住在"
    "|住于|户籍地址|户籍所在地|户籍地|通讯地址|通信地址|联系地址|收货地址|收件地址|送货地址"
    "|配送地址|配送至|送至|送到|寄至|寄到|寄往|发往|送往|租住在|租住的|租住|承租的|老家在"
    "|(?<![商店厂卖农东])家在|地址|(?:房屋|住房|住宅|房子|家)位于"
    # 住 alone only right before a place name: 住昆山市…, not 入住 记住 住院
    r"|(?<![入居租暂借留记抓挡堵顶站稳忍保盖卡拦锁])住(?![宿院房店])"
    r"(?=(?:[\u4e00-\u9fff]{2,3}省)?[\u4e00-\u9fff]{1,4}[市县区])"
)
_ADDRESS_CUE = re.compile(
    rf"(?:(?<!【)(?P<cue>{_ADDRESS_CUES})"
    r"|【(?P<label>(?:家庭|现|居住|联系|通讯|通信|收货|收件)?(?:住址|地址))】)"
    r"[：:\s]*(?:为|是|在|于)?[：:\s]*"
)
# Cues that may lead to a hotel or shop rather than a home.
_AMBIGUOUS_CUES = _words(
    "住 住在 住于 居住在 居住于 现居于 配送至 送至 送到 寄至 寄到 寄往 发往 送往 家在 地址"
)
_BUSINESS_WORDS = (
    r"商家|店铺|门店|公司|企业|经营|营业|注册|厂家|商户|被投诉人|被申请人|商场|酒店|机构|店|厂"
)
# "门店地址：", "被投诉人苏州某公司，地址：" - the place is the business's.
_BUSINESS_BEFORE = re.compile(rf"(?:{_BUSINESS_WORDS})(?:[，,]\s*)?的?$")
_BUSINESS_PLACE = re.compile(
    r"酒店|宾馆|饭店|旅馆|旅店|民宿|客栈|度假村|山庄|公司|商场|广场|商城|门店|店|营业厅|维修点"
    r"|服务中心|医院|学校|超市|市场|餐厅|影院|诊所|银行|驾校|健身房|会所|中心"
)
# After a business word these make the place a home again: 传媒广场旁某小区3幢, 中央广场5幢.
_HOME_WORDS = re.compile(r"小区|新村|花园|公寓|宿舍|家园|\d+\s*(?:幢|栋|单元|号楼|室)")
# What a shop's address is followed by: 观前街168号某奶茶店, 中山北路200号购买, …的某商场.
_SHOP_AFTER = re.compile(
    r"(?:的|内|旁)?(?:[^\s，。；;,！!？?、（）()]{0,6}?(?:" + _BUSINESS_PLACE.pattern + r")"
    r"|购买|就餐|用餐|消费|办理|办卡|加油|洗车|充值|维修|上课|住宿|入住)"
)
_ADMIN_CHAR = r"(?:(?![路街道巷弄号幢栋室村镇乡组园苑小])[\u4e00-\u9fff])"
_ADMIN_PREFIX = re.compile(
    rf"(?:{_ADMIN_CHAR}{{2,6}}?(?:省|自治区))?"
    rf"(?:{_ADMIN_CHAR}{{1,6}}?(?:市|自治州|地区|盟))?"
    rf"(?:(?:苏州)?工业园区|{_ADMIN_CHAR}{{1,6}}?(?:区|县|市|旗))?"
)
_ADDRESS_DETAIL = re.compile(
    r"(?:(?!的|联系|电话|手机|身份证|称|反映|表示|购买|于|在|因|与|等|曾|已|并|要求|投诉|办理"
    r"|退租|退房|退款|退货|扣押|扣除|收取|被盗|被人|无故|期间|时候|之后|以后|后来|发现|出现"
    r"|造成|导致|由于|距离|但是|拒绝|拒不|不肯|不予|没有|未能|"
    + _ADDRESS_CUES
    + r")[^\s，。；;,！!？?、（）()\[\]【】“”\"'：:\ue000\ue001])+"
)
_ADDRESS_WORD = re.compile(
    r"\d|路|街|巷|弄|号|幢|栋|单元|室|区|花园|苑|村|组|楼|层|座|期|公寓|大厦|家园|庭|府|邸"
    r"|城|湾|园|里|坊|院|宿舍|镇|乡|社区|广场|中心|门卫"
)
_ADDRESS_GAP = 10  # characters without an address word that end an address
_HOUSEHOLD_UNIT = re.compile(
    r"(?<!\d)\d+\s*(?:幢|栋|号楼|座)\s*(?:\d+\s*单元\s*)?\d+\s*室"
    r"|(?<!\d)\d+\s*(?:幢|栋|号楼)\s*\d+\s*单元(?:\s*\d+\s*室?)?"
    r"|(?<![\d\-])\d+-\d+(?:-\d+)?室"
)
# A road and house number: 湖南路5号, 农业路东段58号, 花园街58号, 莘松路258弄.
_STREET_NUMBER = re.compile(
    r"(?:路|街|巷|弄|大道|道)(?:[东西南北中]段)?\d+(?:[-－]\d+)?(?:号|弄)"
)
# The last administrative level before a street address (市 区 县 旗), and what ends in 市 or 区
# without being one: 超市 城市 夜市, 小区 社区 景区 校区 厂区 城区 停车区.
_ADMIN_END = re.compile(r"(?<![超城夜菜花股门])市(?![场民])|(?<![小社景校厂城营停服商])区|县|旗")
_BUSINESS_OPENING = re.compile(
    rf"(?:{_BUSINESS_WORDS})(?:[（(，,]|的?(?:在(?!其|消费者|投诉人|客户|本人)|位于|设在|开在"
    r"|搬到|搬至|迁至|迁到))"
)
_PLACE_RUN = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]*$")


def _detail_end(text: str, start: int) -> int | None:
    """Where an address detail starting at `start` ends: with its last address word, before a
    stretch of _ADDRESS_GAP characters without one. None when it has no address word."""
    detail = _ADDRESS_DETAIL.match(text, start)
    if not detail:
        return None
    end = None
    for mark in _ADDRESS_WORD.finditer(text, start, min(detail.end(), start + 60)):
        if end is not None and mark.start() - end > _ADDRESS_GAP:
            break
        end = mark.end()
    return end


def _is_business_place(text: str, start: int, end: int) -> bool:
    """Whether the place start:end names or is followed by a shop, hotel or company."""
    inside = list(_BUSINESS_PLACE.finditer(text, start, end))
    if inside and not _HOME_WORDS.search(text, inside[-1].end(), end):
        return True
    return bool(_SHOP_AFTER.match(text, end))


def _address_detail(text: str, cue: re.Match[str]) -> tuple[int, int] | None:
    """The span after an address cue to replace, or None when there is nothing personal."""
    if _BUSINESS_BEFORE.search(text, max(0, cue.start() - 8), cue.start()):
        return None
    admin = _ADMIN_PREFIX.match(text, cue.end())
    start = admin.end() if admin else cue.end()
    end = _detail_end(text, start)
    if end is None:
        return None
    if (cue["cue"] or "地址") in _AMBIGUOUS_CUES and _is_business_place(text, cue.end(), end):
        return None
    return start, end


def _street_address(text: str, street: re.Match[str]) -> tuple[int, int] | None:
    """The detail of an address written out without a cue - 寄往河南省郑州市金水区农业路东段58号,
    其在常州市武进区湖塘镇花园街58号的房屋 - from its district, county or city on; None for a
    shop's, or when no administrative name comes before the road."""
    head = text[max(0, street.start() - 20) : street.start()]
    run = _PLACE_RUN.search(head)  # back to the last punctuation
    head_start = street.start() - (len(run[0]) if run else 0)
    ends = list(_ADMIN_END.finditer(text, head_start, street.start()))
    if not ends or ends[-1].start() == head_start:
        return None
    if _BUSINESS_OPENING.search(text, max(0, head_start - 8), ends[-1].start()):
        return None  # 某美容有限公司（苏州市姑苏区人民路1888号）, 商家在苏州市姑苏区人民路100号
    start = ends[-1].end()
    end = _detail_end(text, start)
    if end is None or end < street.end() or _is_business_place(text, start, end):
        return None
    return start, end


def _mask_addresses(text: str) -> str:
    pieces: list[str] = []
    done = 0
    for cue in _ADDRESS_CUE.finditer(text):
        if cue.start() < done:
            continue
        span = _address_detail(text, cue)
        if span:
            pieces += [text[done : span[0]], ADDRESS_TAG]
            done = span[1]
    pieces.append(text[done:])
    text = "".join(pieces)
    pieces, done = [], 0
    for street in _STREET_NUMBER.finditer(text):
        if street.start() < done:
            continue
        span = _street_address(text, street)
        if span and span[0] >= done:
            pieces += [text[done : span[0]], ADDRESS_TAG]
            done = span[1]
    pieces.append(text[done:])
    return _HOUSEHOLD_UNIT.sub(ADDRESS_TAG, "".join(pieces))


# ---------------------------------------------------------------- names

_NAME_CUE = re.compile(
    r"(?:(?<!被)(?:投诉人|申请人|举报人)|我叫|名叫|本人|消费者|联系人|姓名|委托人|代理人|来访人"
    r"|来电人|来电者|当事人|诉求人|报案人|反映人|市民|用户(?!名)|客户|家属|丈夫|妻子|爱人|老公"
    r"|老婆|女儿|儿子|其子(?!女)|其女(?!儿)|其[父母](?!亲)|其夫(?!人)|其妻(?!子)|其[兄弟姐妹]|孩子|小孩|父亲|母亲|外婆|外公|奶奶|爷爷|婆婆|岳父|岳母"
    r"|[姐哥弟妹]{2}|表[姐哥弟妹]|堂[姐哥弟妹]|男友|女友|男朋友|女朋友|未婚[夫妻]|同事|朋友|邻居"
    r"|室友|家长|学生|收货人|收件人|寄件人|发件人|车主|(?<!物)业主|学员|会员|持卡人|户主|购房人"
    r"|购车人|乘客|顾客|患者|游客|租客|租户|房东|卖家|买家|摊主|店主|店长|店员|老板|经理|负责人"
    r"|法定代表人|员工|职员|工作人员|营业员|业务员|销售顾问|销售员|销售(?!顾问)|导购|收银员"
    r"|服务员|保安|保洁员?|保姆|月嫂|育儿嫂|家政员|快递员|快递小哥|配送员|送货员|骑手|外卖员"
    r"|司机|代驾|师傅|维修工|安装工|装修工|工人|技师|理发师|美容师|美发师|美甲师|设计师|摄影师"
    r"|化妆师|药剂师|咨询师|顾问|教练(?!车)|私教|老师(?!傅)|班主任|校长|园长|医生|护士|导游"
    r"|领队|经纪人|主播|组织者|讲师|客服|代购|微商|(?:车|经销|供应|代理)商|(?<!投诉)对象"
    r"|[园校厂队组班科部院所站馆社会]长|经查|经核实|据查|据了解|前台|接待"
    # any 某某师 / 某某员: 验光师 营养师 律师, 配送员 安检员 (not 师范 师傅 员工)
    r"|(?<=[\u4e00-\u9fff])师(?![范傅父母兄弟姐妹生资徒长])|(?<=[\u4e00-\u9fff])员(?![工额会])"
    # 护工 搬运工 水电工 (not 工作 工程 工厂 工资 工期 工商 工人 …)
    r"|(?<=[\u4e00-\u9fff])工(?![作程厂资期商人具业艺会地钱时费价])"
    r")"
    r"(?:信息)?[】”’\"：:\s（(，,]*(?:(?:叫|是|为)\s*)?"
)
_TITLE = re.compile("|".join(TITLES))
# Where a sentence opens (a name there needs no cue, see _name_opening) and what the person
# then does.
_SENTENCE_START = re.compile(r"(?:^|(?<=[。；;！!？?\n]))[ \t\u3000]*", re.MULTILINE)
_REPORTS = re.compile(
    r"反映|称|来电|投诉|诉称|表示|要求|于(?=\d|今年|去年|本月|上月|近日|日前|昨日|昨天|前日)"
)
# What follows a name, not preceded by 被/居民 etc.: "张伟（身份证号…", "张伟，男，".
_AFTER_NAME = re.compile(
    r"[（(，,、 \u3000]\s*(?:身份证|公民身份|证件号|联系电话|联系方式|电话|手机"
    r"|[男女](?=[，,、）)\s]))"
)

# Characters no given name is made of here, and that end one: 张伟于…, 李娜称…
_HARD_STOPS = frozenset(
    "于在称的了说某等及与是也都就又还把被从已曾因将让给其该此这那个们并或买购卖售去到对由跟想"
    "要即再便拨反投诉表办签订预报入使认联支充租乘选咨提收接得当本现住身电手男女岁携带陪系今近"
    "多不拿帮先找夫者请之以未地"
)
# Place and business words: 吴中区, 苏州人, 农业银行 are not names.
_PLACE_CHARS = frozenset("州市区县镇乡村省路街港湾岛湖城店厂司局园苑院馆校站场行人")
# Things, not given names: after a cue they make a word (孩子成绩, 消费者金项链, 医生白班,
# 骑手路线, 主播连麦), not a name.
_THING_CHARS = frozenset(
    "包项材绩线班麦工车费额款货价单票卡码件品物务服饭菜酒肉药病痛伤罚帽链镯戒表机屏板器具柜"
    "床椅桌窗墙砖瓦管网账户证照册衣裤鞋袜裙袋箱盒瓶罐杯碗锅灶油盐糖茶奶蛋鸡鸭猪狗猫粮饼粉汤"
    "险贷息税赁押债股损坏破裂漏锈脏臭霉虫蚊蝇鼠厕厨灯扇膜钉螺胶漆纸尺秤斤吨角块秒次趟遍批套"
    "副对条颗粒辆架艘份笔氏"
)
# Characters that may follow a three-character name (王为民称) but also end a shorter one.
_WEAK_STOPS = _HARD_STOPS | frozenset(
    "向和为同来自一通发参花交致家共居前后希需仍经驾开看听进回遇拒出持定约试寄送退换修坐打叫问告"
    "讲昨晚早网名介上下拉推骗逼催只加派拍代无"
)
# Words that begin right after a name: 张伟驾驶… is 张伟, 蒋志刚驾驶… is 蒋志刚.
_STRONG_WORDS = re.compile(
    r"先生|女士|小姐|反映|反应|购买|表示|一家|一行|一同|一直|一起|前往|来电|来访|来到|通过|发现"
    r"|参加|花费|交纳|自行|致电|同意|为此|家住|居住|和其|和家人|驾驶|开车|看到|听到|看见|进入|进店"
    r"|回家|回到|遇到|拒绝|出示|持有|定制|定做|试用|试驾|寄送|送修|退货|退款|换货|维修|坐车|打电话"
    r"|询问|告知|告诉|讲述|介绍|昨天|昨日|晚上|早上|网购|网上|名下|经朋友|经人|全家|态度"
    r"|之前|之后|以前|以后|前来|后来|交了|需要|听说|寄回|共计|仍然|看了|问了|讲了|叫了"
    r"|承诺|推销|推荐|索要|索取|索赔|私自|擅自|隐瞒|离职|失联|跳槽|强迫|强制|强行|上课|上门|上班"
    r"|体罚|用其|座机|三人|两人|二人|等人|一人|夫妇|夫妻|母女|母子|父女|父子|一家"
    r"|负责|私下|代其|代为|接手|频繁|经常|多次|一再|反复|始终|总是|突然|竟然|根本|完全|一直"
    r"|屡次|随意|随便|故意|恶意|当场|当面|当即"
)
# Words that start where a name could: 消费者余额…, 本人车辆…, 投诉人向商家…, 居民身份证.
_NOT_NAMES = re.compile(
    "|".join(
        sorted(
            _words(
                "同年 同日 同月 同时 曾经 车辆 车主 车子 车内 车上 余额 余款 余下 付款 付费 全款 "
                "全额 全家 全部 全程 房屋 房子 房款 房产 房间 单位 单方 常年 常常 高考 高中 高价 "
                "高额 高速 高铁 成功 成交 成人 金额 金卡 方面 方式 方案 方便 文件 关于 关注 包括 "
                "包装 包裹 安装 安排 安全 连续 毛病 满意 路上 路过 谈判 游玩 游览 居民 商家 平台 "
                "客服 店家 物业 老板 老师 教练 媒体 总部 消协 导游 旅行 健身 装修 品牌 华为 苏宁 "
                "万达 方太 荣耀 荣威 吉利 江淮 欧派 欧拉 李宁 周大福 康师傅 金龙鱼 顾家 全友 曲美 "
                "高度 宋城 林氏 车险 车贷 房贷 余额宝 蒙牛 伊利 安踏 申请 申诉 申报 管理 满意度 "
                "陈述 陈列 索赔 索要 索取 严重 严格 马上 白天 符合 尤其 凌晨 蓝牙 卫生 沙发 仲裁 "
                "麻烦 迟迟 迟延 迟到 储值 皮肤 钱款 费用 程序 程度 章程 施工 颜色 岳父 岳母 阳台 "
                "简单 冷气 刁难 练习 廉价 漆面 初次 况且 万元 于是 向其 常规 成本 温度 康复 "
                "江苏 贺卡 左右 宁愿 尚未 纪念 童装 毕业 单据 季度 涂料 管家 柴油 蒙受 华帝 项目 "
                "戴着 包括 齐全 易于 乔迁 焦虑 甘心 舒适 劳动 惠民 优惠 修理 修复 修改 宿舍 鲜花 "
                "孙女 钱包 田地 牛排 牛肉 牛奶 龙虾 鲍鱼 申明 何时 何况 何处 何种 任何 丁克 "
                "曲折 宋体 戴眼镜 时间 时候 时常 时段 时长 时期 时效 时任 时隔 时至 时年 花费 "
                "花钱 花了 花销 花呗 应当 应该 应付 应急 应用 应对 应有 应退 应收 应予 应邀 乐意 "
                "乐观 水电 水费 水管 水平 水质 水果 水表 计算 计划 计费 计入 计时 冒充 冒领 冒用 "
                "冒名 冒签 束缚 居住 居然 居家 贝壳 过程 过期 过后 过去 过了 过来 过年 过户 过错 "
                "过于 过多 过高 过敏 洪水 糜烂 查询 查看 查到 查明 查处 查验 查实 查找 查阅 查出 "
                "查了 解决 解释 解除 解约 解答 解绑 解冻 解锁 解封 解读 解开 高烧 满月 安心 安全 温柔 "
                "费心 马虎 林业 成绩 石材 白班 成长 白大褂 黄金 高兴 乐高 孔雀"
            ),
            key=len,
            reverse=True,
        )
    )
)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _char(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""


def _given_char(text: str, i: int) -> bool:
    ch = _char(text, i)
    return (
        _is_han(ch) and ch not in _HARD_STOPS and ch not in _PLACE_CHARS and ch not in _THING_CHARS
    )


def _boundary(text: str, i: int) -> str:
    """What starts at `i` after a name: 'strong' ends any name, 'weak' a short one, '' neither."""
    ch = _char(text, i)
    if ch in _PLACE_CHARS or ch == MASK_CHAR:
        return ""  # 吴中区, 欧阳某: the characters before are no whole name
    if not _is_han(ch) or ch in _HARD_STOPS or _STRONG_WORDS.match(text, i):
        return "strong"
    return "weak" if ch in _WEAK_STOPS else ""


def _given_length(text: str, g: int) -> int:
    """Length (1 or 2) of a given name starting at `g`, 0 if there is none."""
    if not _given_char(text, g) or _STRONG_WORDS.match(text, g):
        return 0  # 王先生, 曾华家住: no given name / the given name ends before 家住
    after_one = _boundary(text, g + 1)
    if after_one == "strong":
        return 1
    if _given_char(text, g + 1) and _boundary(text, g + 2):
        return 2
    return 1 if after_one == "weak" else 0


def _surnames_at(text: str, i: int, words: bool = False) -> Iterator[str]:
    if text[i : i + 2] in COMPOUND_SURNAMES:
        yield text[i : i + 2]
    if _char(text, i) in SINGLE_SURNAMES or (words and _char(text, i) in _WORD_SURNAMES):
        yield text[i]


def _name_after(text: str, start: int) -> tuple[str, str] | None:
    """(name, surname) beginning at `start`, as after 消费者 or 投诉人."""
    if _char(text, start) in _FUNCTION_SURNAMES and _char(text, start + 1) in SINGLE_SURNAMES:
        # 投诉人向张伟反映: a word, then the name; 联系人于华，: the name itself;
        # 投诉人向张先生: a word, then a surname with a title
        after_word = _name_after(text, start + 1)
        if after_word or text.startswith(TITLES, start + 2):
            return after_word
    for surname in _surnames_at(text, start, words=True):
        given = start + len(surname)
        end = given + _given_length(text, given)
        strong = _boundary(text, end) == "strong"
        if surname in _WORD_SURNAMES and (not strong or _word_not_name(text, start)):
            return None  # 消费者时常…, 投诉人花了…, 消费者时间紧: the word, not a surname
        if end > given and not _word_at(text, start, end, strong) and not _word_not_name(text, given):
            return text[start:end], surname
        if len(surname) == 2:
            return None  # 消费者欧阳女士: a compound surname alone, not 欧 + 阳
    return None


def _word_at(text: str, start: int, end: int, strong: bool) -> bool:
    """Whether start:end is a word, not a name: 车辆 in 本人车辆被扣, 陈述 in 消费者陈述了. A
    three-character name followed by what ends a name may begin with one (顾家豪在…)."""
    word = _NOT_NAMES.match(text, start)
    if not word:
        return False
    return word.end() >= end or not strong or end - start < 3


def _word_not_name(text: str, start: int) -> bool:
    """Whether a word that is no name begins at `start`: 陈述 in 消费者陈述了, 高考 in 高考后."""
    return bool(_NOT_NAMES.match(text, start))


def _plausible(text: str, start: int, end: int, surname_length: int) -> bool:
    given = start + surname_length
    return (
        start >= 0
        and all(_given_char(text, i) for i in range(given, end))
        and not _word_not_name(text, start)
        and not _word_not_name(text, given)
    )


def _name_before(text: str, end: int) -> tuple[str, str] | None:
    """(name, surname) ending at `end`, as before 先生 or （身份证…."""
    if text[max(end - 2, 0) : end] in COMPOUND_SURNAMES:
        return None  # 欧阳女士: a compound surname alone
    for size in (4, 3):  # compound surname with a two- or one-character given name
        start = end - size
        if text[max(start, 0) : start + 2] in COMPOUND_SURNAMES and _plausible(text, start, end, 2):
            return text[start:end], text[start : start + 2]
    three, two = end - 3, end - 2
    if (
        _char(text, three) in SINGLE_SURNAMES
        and not (_char(text, three) in _FUNCTION_SURNAMES and _char(text, two) in SINGLE_SURNAMES)
        and _plausible(text, three, end, 1)
    ):
        return text[three:end], text[three]
    surname = _char(text, two)
    if (
        surname in SINGLE_SURNAMES
        and not (surname in _FUNCTION_SURNAMES and _char(text, two + 1) in SINGLE_SURNAMES)
        and _plausible(text, two, end, 1)
    ):
        return text[two:end], surname
    return None


def _name_opening(text: str, start: int) -> tuple[str, str] | None:
    """(name, surname) opening a sentence without a cue, when what follows is what a person
    does in a complaint: 王建国于3月在…购买, 刘美华反映, 张伟称."""
    for surname in _surnames_at(text, start):
        given = start + len(surname)
        end = given + _given_length(text, given)
        if (
            end > given
            and _REPORTS.match(text, end)
            and not _word_not_name(text, start)
            and not _word_not_name(text, given)
        ):
            return text[start:end], surname
    return None


def _surname_of(name: str) -> str:
    return name[:2] if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else name[:1]


def _known_names(names: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for raw in names:
        name = re.sub(r"\s+", "", raw or "")
        for title in TITLES:
            name = name.removesuffix(title)
        if len(name) >= 2 and MASK_CHAR not in name:
            found[name] = _surname_of(name)
    return found


def _names_in(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    hits = [_name_after(text, m.end()) for m in _NAME_CUE.finditer(text)]
    # 张伟先生称 but not 全新女士短靴: a title is followed by what follows a name
    hits += [
        _name_before(text, m.start()) for m in _TITLE.finditer(text) if _boundary(text, m.end())
    ]
    hits += [_name_before(text, m.start()) for m in _AFTER_NAME.finditer(text)]
    hits += [_name_opening(text, m.end()) for m in _SENTENCE_START.finditer(text)]
    for hit in hits:
        if hit:
            found.setdefault(*hit)
    return found


def _mask_names(text: str, names: dict[str, str]) -> str:
    if not names:
        return text
    pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))

    def masked(m: re.Match[str]) -> str:
        surname = names[m[0]]
        return surname if text.startswith(TITLES, m.end()) else surname + MASK_CHAR

    return pattern.sub(masked, text)


# ---------------------------------------------------------------- the whole


_MAX_PASSES = 6


def mask(text: str, names: Iterable[str] = ()) -> str:
    """`text` fit for publication: the given `names` and any personal details found hidden.

    Passes repeat until one changes nothing (a mobile glued to an ID number shows once the
    first is a tag), so the result is its own mask."""
    known = _known_names(names)
    out = text
    for _ in range(_MAX_PASSES):
        again = _mask_once(out, known)
        if again == out:
            break
        out = again
    return out


def _mask_once(text: str, known: dict[str, str]) -> str:
    vault = _Vault()
    out = _protect(text, vault)
    out = _mask_numbers(out)
    out = _mask_addresses(out)
    out = _mask_names(out, {**_names_in(out), **known})
    return vault.restore(out)
