"""Realistic Chinese demo values (people, enterprises, complaint scenarios, mediation text) for Suzhou."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from desktop.domain.validators import (
    CREDIT_CODE_CHARS,
    credit_code_check_char,
    id_number_check_digit,
)


@dataclass(frozen=True)
class Person:
    name: str
    mobile: str
    address: str
    id_number: str | None


@dataclass(frozen=True)
class EnterpriseSeed:
    name: str
    credit_code: str
    address: str
    industry: str
    phone: str


@dataclass(frozen=True)
class Scenario:
    subject: str
    category_code: str
    brand_model: str
    amount: Decimal
    request: str
    facts: str
    request_type: str


CATEGORY_CODES: dict[str, str] = {
    "appliance": "家用电子电器类", "clothing": "服装鞋帽类", "food": "食品类", "cosmetics": "化妆品类",
    "daily": "日用商品类", "vehicle": "交通工具类", "housing": "房屋及建材类", "decoration": "装修服务",
    "catering": "餐饮住宿服务", "education": "教育培训服务", "prepaid": "预付式消费", "travel": "旅游服务",
    "internet": "互联网服务", "telecom": "电信服务", "beauty": "美容美发服务", "repair": "维修服务",
    "medical": "医疗器械类", "other": "其他",
}

_IND: dict[str, str] = {
    "mall": "商场百货", "auto": "汽车销售(4S)", "market": "超市", "home": "家居建材", "deco": "装饰装修",
    "food": "餐饮", "edu": "教育培训", "beauty": "美容美发", "gym": "健身", "digital": "电子产品零售",
    "elec": "家电零售", "travel": "旅行社", "tel": "通信服务", "cloth": "服装零售", "hotel": "酒店住宿",
    "repair": "维修服务", "pharm": "药店及医疗器械", "online": "电子商务",
}
INDUSTRIES: tuple[str, ...] = tuple(_IND.values())
REQUEST_TYPES: tuple[str, ...] = ("退款", "退货", "换货", "维修", "赔偿", "道歉", "履行合同", "其他")

# Check characters come from the validators, so demo data passes the same checks as input.
_USCC_CHARS = CREDIT_CODE_CHARS


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code (8 characters + GB 11714 check), as embedded in real USCCs."""
    if rng.random() < 0.6:  # post-2015 registrations: MA + 6 characters
        body = "MA" + rng.choice("0123456789") + "".join(rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=5))
    else:
        body = rng.choice("13567") + "".join(rng.choices("0123456789", k=7))
    vals = [int(ch) if ch.isdigit() else ord(ch) - 55 for ch in body]
    c = 11 - sum(v * w for v, w in zip(vals, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(c, str(c))


# ---------------------------------------------------------------- places and people
# (district, USCC registration area code, real roads)
_DISTRICTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("姑苏区", "320508", ("人民路", "干将西路", "十全街", "凤凰街", "养育巷", "景德路", "临顿路", "三香路", "金门路", "学士街")),
    ("吴中区", "320506", ("东吴北路", "宝带西路", "吴中东路", "苏蠡路", "越湖路", "吴中大道", "宝带东路", "木林街")),
    ("相城区", "320507", ("相城大道", "阳澄湖西路", "华元路", "澄阳路", "采莲路", "嘉元路", "春申湖西路")),
    ("工业园区", "320594", ("星湖街", "现代大道", "苏州大道东", "金鸡湖大道", "星海街", "旺墩路", "苏虹中路", "通园路")),
    ("高新区", "320505", ("狮山路", "长江路", "竹园路", "何山路", "滨河路", "金山路", "玉山路", "珠江路")),
    ("吴江区", "320509", ("中山北路", "流虹路", "开平路", "鲈乡南路", "笠泽路", "仲英大道", "江兴东路")),
)
_ESTATES = ("东吴新村", "南环新村", "彩香一村", "金色家园", "水巷邻里", "湖畔天城", "新城花园", "玲珑湾",
            "阳光水榭", "翡翠湾", "锦绣江南", "天域花园", "绿地华尔道", "中海国际社区", "万科城", "蠡湖花园")
_ID_AREAS = ("320502", "320503", "320504", "320505", "320506", "320507", "320508", "320509",
             "320581", "320582", "320583", "320584", "320585")
_MOBILE_PREFIXES = ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159",
                    "182", "187", "188", "198", "130", "131", "132", "155", "156", "185", "186", "166",
                    "133", "153", "173", "177", "180", "181", "189", "199")
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
             "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
             "万钱严武戴莫孔汤倪殷费")
_SURNAME_W = tuple(12 if s in "王李张陈" else 10 if s in "刘杨吴周徐朱沈陆顾钱" else 6 if i < 24 else 2
                   for i, s in enumerate(_SURNAMES))
_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "慕容", "司徒", "夏侯", "皇甫", "令狐")
_GIVEN = {  # (gender, era) -> given names; era 0: born before 1975, 1: 1975-1994, 2: 1995 on
    ("m", 0): "建国 建华 国强 志明 卫东 国平 德明 荣根 金宝 福林 海兴 建平 志刚 永康 根林 伟 强 平 勇 林 军 明 华 忠",
    ("f", 0): "秀英 桂英 桂兰 玉兰 凤英 秀兰 美华 丽华 玉珍 秀珍 金妹 月娥 红 英 芳 萍 琴 梅 霞 娟",
    ("m", 1): "伟 磊 杰 涛 超 刚 辉 鹏 斌 浩 凯 健 俊 峰 亮 志强 海涛 建军 晓东 文杰 永刚 立新 俊杰 明辉 海峰 晓峰 振华",
    ("f", 1): "静 敏 燕 艳 丽 娜 婷 雪 慧 琳 颖 倩 洁 丹 丽娟 晓燕 海燕 雪梅 春燕 婷婷 晓丽 佳慧 文静 丽萍 慧敏 晓雯",
    ("m", 2): "子轩 浩然 宇航 睿 博文 一鸣 昊天 梓豪 俊熙 嘉懿 宇轩 浩宇 梓睿 皓轩 奕辰 铭 泽 锦程 思远 子墨",
    ("f", 2): "欣怡 梓涵 雨桐 诗涵 一诺 思彤 可馨 语嫣 若汐 佳琪 雨萱 梦瑶 紫萱 心怡 思琪 悦 妍 琪 佳怡 诗雨",
}


def _name(rng: random.Random, gender: str, era: int) -> str:
    surname = rng.choice(_COMPOUND) if rng.random() < 0.03 else rng.choices(_SURNAMES, _SURNAME_W)[0]
    return surname + rng.choice(_GIVEN[(gender, era)].split())


def _mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + "".join(rng.choices("0123456789", k=8))


def _landline(rng: random.Random) -> str:
    return "0512-6" + "".join(rng.choices("0123456789", k=7))


def person(rng: random.Random) -> Person:
    """A Suzhou resident: name, mobile, home address and (about 30% of the time) a valid ID number."""
    gender = rng.choice("mf")
    born = date(1950, 1, 1) + timedelta(days=rng.randrange((date(2005, 12, 31) - date(1950, 1, 1)).days + 1))
    era = 0 if born.year < 1975 else 1 if born.year < 1995 else 2
    district, _, roads = rng.choice(_DISTRICTS)
    room = f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
    if rng.random() < 0.5:
        address = f"苏州市{district}{rng.choice(roads)}{rng.randint(1, 999)}号{rng.randint(1, 40)}幢{room}"
    else:
        address = f"苏州市{district}{rng.choice(roads)}{rng.randint(1, 999)}号{rng.choice(_ESTATES)}{rng.randint(1, 40)}幢{room}"
    id_number = None
    if rng.random() < 0.3:
        seq = f"{rng.randrange(100):02d}{rng.choice('13579' if gender == 'm' else '02468')}"
        body = rng.choice(_ID_AREAS) + born.strftime("%Y%m%d") + seq
        id_number = body + id_number_check_digit(body)
    return Person(_name(rng, gender, era), _mobile(rng), address, id_number)


# ---------------------------------------------------------------- enterprises
_TRADE = "恒泰隆盛华鑫瑞祥汇通达信宏昌嘉和锦荣利源美佳顺丰金安鼎东方新天合亿家乐康福德永兴润博雅创宇晟吉辰亚中欣"
_CAR_BRANDS = ("大众", "丰田", "本田", "别克", "比亚迪", "宝马", "奔驰", "奥迪", "吉利", "日产", "凯迪拉克", "沃尔沃")
_NAME_PATTERNS: dict[str, tuple[str, ...]] = {
    "mall": ("苏州{z}百货有限公司", "{z}百货（苏州）有限公司", "苏州{z}购物中心有限公司", "苏州{z}商贸有限公司"),
    "auto": ("苏州{z}{b}汽车销售服务有限公司", "苏州{z}汽车销售服务有限公司", "{d}{z}{b}汽车销售服务有限公司"),
    "market": ("苏州{z}超市有限公司", "{z}商业连锁（苏州）有限公司", "苏州{z}生活超市有限公司"),
    "home": ("苏州{z}家居广场有限公司", "苏州{z}建材市场经营管理有限公司", "苏州{z}家居有限公司"),
    "deco": ("{d}{z}装饰工程有限公司", "苏州{z}装饰设计工程有限公司", "苏州{z}建筑装饰工程有限公司"),
    "food": ("苏州{z}餐饮管理有限公司", "苏州市{d}{z}酒家", "苏州{z}餐饮有限公司"),
    "edu": ("苏州{z}教育培训有限公司", "苏州{z}教育科技有限公司", "苏州{z}文化艺术培训有限公司"),
    "beauty": ("苏州{z}美容美发有限公司", "苏州{z}美业管理有限公司", "苏州市{d}{z}美容院"),
    "gym": ("苏州{z}健身管理有限公司", "苏州{z}体育发展有限公司", "苏州{z}健身服务有限公司"),
    "digital": ("苏州{z}数码科技有限公司", "苏州{z}电子商贸有限公司", "苏州{z}通讯器材有限公司"),
    "elec": ("苏州{z}电器有限公司", "苏州{z}家电销售有限公司", "苏州{z}电器连锁有限公司"),
    "travel": ("苏州{z}国际旅行社有限公司", "苏州{z}旅行社有限公司", "苏州{z}国际旅游有限公司"),
    "tel": ("苏州{z}通信服务有限公司", "苏州{z}通讯科技有限公司", "苏州{z}通信工程有限公司"),
    "cloth": ("苏州{z}服饰有限公司", "苏州{z}服装商贸有限公司", "{z}服饰（苏州）有限公司"),
    "hotel": ("苏州{z}酒店管理有限公司", "苏州{z}大酒店有限公司", "苏州{z}度假酒店有限公司"),
    "repair": ("苏州{z}家电维修服务有限公司", "苏州{z}汽车维修服务有限公司", "苏州{z}电子设备维修有限公司"),
    "pharm": ("苏州{z}大药房连锁有限公司", "苏州{z}医疗器械有限公司", "苏州{z}健康科技有限公司"),
    "online": ("苏州{z}电子商务有限公司", "苏州{z}网络科技有限公司", "苏州{z}供应链管理有限公司"),
}
_ALIAS = {v: k for k, v in _IND.items()}


def _alias(industry: str) -> str:
    if industry not in _ALIAS:
        raise ValueError(f"未知行业：{industry}")
    return _ALIAS[industry]


def enterprise(rng: random.Random, industry: str | None = None) -> EnterpriseSeed:
    """A Suzhou business with a valid unified social credit code, address and 0512 landline."""
    key = _alias(industry) if industry is not None else rng.choice(tuple(_IND))
    district, area, roads = rng.choice(_DISTRICTS)
    trade = "".join(rng.sample(_TRADE, 2))
    name = rng.choice(_NAME_PATTERNS[key]).format(z=trade, b=rng.choice(_CAR_BRANDS), d=district)
    body = "91" + area + _org_code(rng)
    suffix = rng.choice(("", f"{rng.randint(1, 12)}幢", f"{rng.randint(1, 6)}楼{rng.randint(1, 60):02d}号商铺",
                         f"{rng.randint(1, 3)}层{rng.randint(101, 399)}室"))
    address = f"苏州市{district}{rng.choice(roads)}{rng.randint(1, 1999)}号{suffix}"
    return EnterpriseSeed(name, body + credit_code_check_char(body), address, _IND[key], _landline(rng))


def enterprises(rng: random.Random, n: int) -> list[EnterpriseSeed]:
    """n enterprises of mixed industries, with distinct names and distinct credit codes."""
    out: list[EnterpriseSeed] = []
    names: set[str] = set()
    codes: set[str] = set()
    for _ in range(n * 50 + 100):
        if len(out) == n:
            break
        e = enterprise(rng, INDUSTRIES[len(out) % len(INDUSTRIES)] if rng.random() < 0.5 else None)
        if e.name not in names and e.credit_code not in codes:
            out.append(e)
            names.add(e.name)
            codes.add(e.credit_code)
    if len(out) < n:
        raise ValueError(f"无法生成 {n} 个互不重复的经营者")
    return out


# ---------------------------------------------------------------- scenarios
class _Tpl(NamedTuple):
    inds: tuple[str, ...]
    cat: str
    reqs: tuple[str, ...]  # "类型" or "类型:诉求文本"
    items: tuple[tuple[str, str, float, float], ...]  # (subject, brand_model, low, high)
    xs: tuple[str, ...]  # the variable defect / circumstance, {x}; "关键词>文本" limits one to some subjects
    facts: tuple[str, ...]  # sentences; format fields {I} {shop} {d0} {d1} {d2} {subj} {bm} {amt} {x} {n}


def _t(inds: str, cat: str, reqs: str, items: tuple, xs: tuple[str, ...], *facts: str) -> _Tpl:
    return _Tpl(tuple(inds.split()), cat, tuple(reqs.split("|")), items, xs, facts)


_CARS = (("大众帕萨特轿车", "上汽大众 帕萨特 330TSI", 189900, 229900), ("丰田凯美瑞轿车", "广汽丰田 凯美瑞 2.0G", 171800, 205800),
         ("别克GL8商务车", "上汽通用别克 GL8 ES陆尊", 239900, 329900), ("比亚迪汉新能源轿车", "比亚迪 汉 EV 冠军版", 209800, 269800),
         ("宝马3系轿车", "华晨宝马 325Li M运动套装", 299900, 349900), ("本田雅阁轿车", "广汽本田 雅阁 260TURBO", 169800, 209800),
         ("吉利星越L SUV", "吉利 星越L 2.0TD", 135700, 175700), ("奔驰C级轿车", "北京奔驰 C 260 L", 329900, 379900))
_PHONES = (("华为 Mate 60 手机", "华为 Mate 60 Pro 12GB+512GB", 6499, 7999), ("苹果 iPhone 15 手机", "Apple iPhone 15 128GB", 5199, 5999),
           ("小米 14 手机", "小米 14 16GB+512GB", 4299, 4999), ("OPPO Find X7 手机", "OPPO Find X7 16GB+256GB", 3999, 4499),
           ("vivo X100 手机", "vivo X100 12GB+256GB", 3999, 4699), ("荣耀 Magic6 手机", "荣耀 Magic6 16GB+256GB", 4399, 4999))
_LAPTOPS = (("联想小新 Pro 16 笔记本电脑", "联想 小新 Pro16 2024", 5299, 6499), ("华为 MateBook 14 笔记本电脑", "华为 MateBook 14 2024", 5999, 7499),
            ("苹果 MacBook Air 笔记本电脑", "Apple MacBook Air M3 13英寸", 7999, 9499), ("华硕天选5 游戏本", "ASUS 天选5 Pro", 7499, 8999))
_FRAUD = "赔偿:要求退还货款并按价款三倍赔偿 {three} 元"
_TEN = "赔偿:要求退还货款并按价款十倍赔偿 {ten} 元"

_TEMPLATES: tuple[_Tpl, ...] = (
    # ---- 4S / vehicles
    _t("auto", "vehicle", f"{_FRAUD}|退货:要求退车退款|换货:要求更换同款新车", _CARS,
       ("左前门及翼子板有明显补漆痕迹", "后保险杠有钣金修复痕迹", "发动机盖漆膜厚度明显异常", "右后门有划痕修补痕迹"), "{I}于{d0}在{shop}购买{bm}一辆，全款{amt}。", "{d1}到第三方检测机构检测，发现{x}，而购车时销售人员明确承诺是全新车，合同中也未告知任何维修情况。", "{I}认为商家隐瞒车辆真实情况，属于欺诈行为。"),
    _t("auto", "vehicle", "换货:要求按汽车三包规定更换新车|退货:要求按汽车三包规定退车|维修:要求彻底修复并延长质保期|赔偿:要求赔偿误工及交通费用 {comp} 元", _CARS,
       ("!新能源>发动机怠速抖动、故障灯常亮", "!新能源>变速箱换挡顿挫，低速时有异响", "车机系统频繁黑屏死机", "刹车时方向盘明显抖动", "新能源>动力电池报警，续航明显下降"), "{I}于{d0}在{shop}购买{bm}，车价{amt}。", "提车后不久即出现{x}的问题，{d1}起先后{n}次进店维修，至今未能解决。", "车辆仍在三包有效期内，{shop}却只同意继续维修，{I}对行车安全非常担心。"),
    _t("auto", "vehicle", "退款:要求退还{subj} {amtf} 元|赔偿", (("新车金融服务费", "", 3000, 8000), ("新车上牌服务费", "", 1500, 3500), ("新车精品装潢套餐", "", 4980, 12800), ("新车PDI检测费", "", 800, 2000)),
       ("办理贷款", "购买指定保险", "加装精品"), "{I}于{d0}在{shop}订购新车一辆，销售人员称必须{x}并支付{subj}才能提车。", "该笔{subj}共{amt}，{shop}未提供任何对应服务，也未开具正规发票。", "{I}认为这是强制捆绑收费，侵犯了消费者的自主选择权。"),
    _t("auto repair", "vehicle", "退款:要求退还多收的费用|赔偿|道歉", (("汽车常规保养", "", 680, 2800), ("汽车事故车维修", "", 3500, 18000), ("汽车更换刹车片", "", 900, 2600)),
       ("机油滤芯实际并未更换", "结算单上多列了没有做的项目", "更换的配件并非原厂件", "修完后故障依旧"), "{I}于{d0}将车辆送至{shop}进行{subj}，支付费用{amt}。", "取车后{I}发现{x}，与{shop}出具的结算单不符。", "与店方交涉，对方只说是系统录入问题，拒绝退还费用。"),
    _t("auto", "vehicle", "退款:要求全额退还定金 {amtf} 元|履行合同:要求按原价如期交车", (("新车定金", "", 5000, 20000),),
       ("大众途观L", "丰田汉兰达", "本田CR-V", "比亚迪唐DM-i", "宝马X3"), "{I}于{d0}在{shop}订购{x}一辆，交付定金{amt}，销售承诺一个月内交车。", "到{d1}仍未交车，店方又提出要加价{n}000元才能优先提车。", "{I}要求退还定金，{shop}称定金概不退还。"),
    # ---- phones, computers, appliances
    _t("digital tel mall", "appliance", "换货|退货", _PHONES,
       ("屏幕出现绿线", "频繁自动重启", "充电时机身严重发烫", "听筒无声", "无法识别SIM卡"), "{I}于{d0}在{shop}购买{bm}一台，价格{amt}。", "使用到{d1}，手机{x}，送到官方售后检测，确认为性能故障。", "按规定十五日内出现性能故障可以换货，但{shop}只同意维修。"),
    _t("digital online tel", "appliance", f"{_FRAUD}|退货", _PHONES,
       ("激活日期早于购买日期", "序列号查询显示为官方翻新机", "主板有拆修痕迹", "电池健康度只有百分之八十几"), "{I}于{d0}在{shop}购买{bm}，对方宣称是全新国行正品，价格{amt}。", "{d1}{I}在官网查询后发现{x}，明显不是新机。", "{shop}以次充好，涉嫌欺诈。"),
    _t("digital elec mall online", "appliance", "换货|退货|维修", _LAPTOPS,
       ("频繁蓝屏", "开机黑屏", "键盘多个按键失灵", "屏幕出现亮点和漏光", "电池无法充电"), "{I}于{d0}在{shop}购买{bm}一台，花费{amt}。", "{d1}起电脑{x}，已先后送修{n}次，问题依旧。", "{shop}称需要返厂检测，周期至少一个月，{I}工作急用，无法接受。"),
    _t("elec mall online", "appliance", "维修|换货|赔偿:要求赔偿墙面修复费用 {comp} 元",
       (("格力云佳 1.5匹挂机空调", "格力 KFR-35GW 云佳", 2599, 3299), ("美的酷省电 1.5匹空调", "美的 KFR-35GW/N8KS1-1", 2399, 2999), ("海尔 3匹立式柜机空调", "海尔 KFR-72LW 静悦", 5999, 7999), ("奥克斯 大1匹挂机空调", "奥克斯 KFR-26GW", 1699, 2199)),
       ("不制冷", "室内机漏水，把墙面泡坏了", "外机噪音非常大", "遥控失灵、频繁自动关机"), "{I}于{d0}在{shop}购买{bm}并由其安排安装，总价{amt}。", "{d1}开始使用时发现空调{x}。", "先后报修{n}次，售后人员只说是安装问题，与厂家互相推诿。"),
    _t("elec mall", "appliance", "换货|退货|维修",
       (("海尔 510升对开门冰箱", "海尔 BCD-510WGHSS", 3999, 5299), ("美的 10公斤滚筒洗衣机", "美的 MG100V58WT", 1999, 2699), ("西门子 10公斤洗烘一体机", "西门子 WN54A1X02W", 5999, 7299), ("容声 四开门冰箱", "容声 BCD-509WD18FP", 3299, 4199), ("小天鹅 波轮洗衣机", "小天鹅 TB100V23H", 1499, 1899)),
       ("运行时有很大的异响", "冰箱>冷藏室不制冷", "洗>脱水时机身剧烈晃动", "底部漏水", "显示屏报故障代码E4"), "{I}于{d0}在{shop}购买{bm}，价格{amt}。", "送货到家使用没多久就{x}，{d1}报修后师傅上门看了{n}次都没修好。", "{I}要求换货，{shop}说只能继续维修。"),
    _t("elec mall online", "appliance", "换货|维修:要求免费更换屏幕",
       (("海信 75英寸液晶电视", "海信 75E3K", 3999, 5499), ("TCL 65英寸电视", "TCL 65T7K", 3299, 4299), ("小米电视 S 85英寸", "小米 S85 Mini LED", 6999, 8999), ("索尼 65英寸电视", "SONY XR-65X90L", 6999, 8499)),
       ("屏幕右侧出现一条竖线", "屏幕有多个坏点", "开机后无信号、无法进入系统", "画面严重漏光"), "{I}于{d0}在{shop}购买{bm}，价格{amt}，{d1}送货安装。", "安装后第{n}天电视就{x}。", "{shop}售后上门后认定是外力造成的屏幕损坏，要求自费换屏，{I}不认可。"),
    _t("repair elec", "repair", "退款:要求退还多收的安装费用|道歉", (("热水器安装辅材费", "", 380, 1280), ("空调安装加长铜管费", "", 300, 1200), ("油烟机安装打孔费", "", 200, 680)),
       ("原有管路老化需要全部更换", "墙体太厚需要特殊打孔", "需要加装支架和阀门", "管线长度超标"), "{I}于{d0}在{shop}购买了家电，当时说是免费安装。", "{d1}安装师傅上门后以{x}为由，收取{subj}{amt}，没有价目表，也不开发票。", "事后{I}了解到市场价远低于此，认为收费明显不合理。"),
    _t("online elec mall market", "appliance", "退货|换货",
       (("科沃斯扫地机器人", "科沃斯 T30 Pro", 2999, 3999), ("戴森吹风机", "Dyson Supersonic HD15", 2599, 3199), ("九阳破壁机", "九阳 L18-P393", 599, 999), ("苏泊尔电饭煲", "苏泊尔 SF40FC875", 399, 699), ("飞利浦电动牙刷", "飞利浦 HX9911", 899, 1499)),
       ("使用几次后就无法开机", "电机有焦糊味", "按键失灵", "外壳出现裂纹"), "{I}于{d0}在{shop}购买{subj}一台，{amt}。", "{d1}使用时发现{x}。", "{shop}让{I}自己联系厂家，不肯办理退换。"),
    # ---- clothing and shoes
    _t("cloth mall online", "clothing", "退货|换货",
       (("羊绒大衣", "鄂尔多斯 羊绒双面呢大衣", 2980, 5980), ("波司登羽绒服", "波司登 极寒系列", 1599, 2999), ("真丝连衣裙", "", 899, 1999), ("羊毛衫", "恒源祥", 399, 899), ("西装套装", "雅戈尔", 1980, 3980), ("牛仔裤", "Levi's 501", 499, 899)),
       ("穿了两次就严重起球", "第一次手洗就严重掉色，还染到了其他衣服", "袖口开线", "洗后严重缩水"), "{I}于{d0}在{shop}购买{subj}一件，标价{amt}。", "{I}严格按照洗涤标签要求护理，但{x}。", "{shop}坚持说是{I}洗涤不当，拒绝处理。"),
    _t("cloth mall online", "clothing", "退货|维修|换货",
       (("耐克运动鞋", "Nike Air Max 270", 899, 1299), ("阿迪达斯跑鞋", "adidas Ultraboost Light", 1099, 1499), ("李宁跑鞋", "李宁 超轻21", 499, 699), ("安踏篮球鞋", "安踏 KT9", 799, 1099), ("真皮男鞋", "红蜻蜓", 499, 899), ("女士短靴", "百丽", 699, 1299)),
       ("鞋底开胶", "鞋面出现裂纹", "鞋跟断裂", "鞋底磨穿"), "{I}于{d0}在{shop}购买{subj}一双，{amt}。", "才穿了不到一个月就{x}。", "按照三包规定应当包修包退，{shop}却以已经穿过为由拒绝退换。"),
    _t("cloth online mall", "clothing", f"{_FRAUD}|退货", (("白鸭绒羽绒服", "", 699, 1699), ("白鹅绒羽绒服", "", 1299, 2699), ("羽绒马甲", "", 399, 899)),
       ("实际含绒量只有52%", "充绒量不足标称的一半", "填充物中混有大量粉碎绒"), "{I}于{d0}在{shop}购买{subj}一件，价格{amt}，吊牌标注含绒量90%。", "穿着时发现跑绒严重，{I}自费送检，检测报告显示{x}。", "{shop}虚假标注，涉嫌欺诈。"),
    # ---- food
    _t("market mall", "food", f"{_TEN}|退款",
       (("进口纯牛奶", "德亚 全脂纯牛奶 1L×12", 68, 129), ("坚果礼盒", "三只松鼠", 88, 198), ("进口红酒", "奔富 Bin389", 398, 698), ("婴儿奶粉", "飞鹤 星飞帆 3段 700g", 238, 328), ("月饼礼盒", "稻香村", 128, 298)),
       ("已超过保质期{n}天", "生产日期标签被覆盖，撕开后显示早已过期", "外包装日期有明显涂改痕迹"), "{I}于{d0}在{shop}购买{subj}，共支付{amt}。", "回家后发现商品{x}，家人已经食用了一部分，出现腹泻症状。", "{shop}销售过期食品，违反了食品安全法。"),
    _t("market food mall", "food", f"{_TEN}|赔偿|道歉", (("面包", "", 12, 38), ("袋装速冻水饺", "思念", 22, 45), ("盒装酸奶", "", 9.9, 29.9), ("熟食卤菜", "", 35, 98), ("瓶装饮料", "", 3.5, 12)),
       ("一根头发", "一只虫子", "一块金属碎片", "一块塑料片"), "{I}于{d0}在{shop}购买{subj}，{amt}。", "食用时发现里面有{x}，{I}当即拍照留存，并保存了购物小票。", "与{shop}联系，对方只愿意退还货款。"),
    _t("market", "food", "退款:要求退还差价并赔礼道歉|赔偿:要求退一赔三，赔偿 {three} 元", (("鲜猪肉", "", 45, 120), ("活虾", "", 98, 268), ("阳澄湖大闸蟹", "", 298, 1288), ("水果礼篮", "", 128, 388), ("散装大米", "", 39, 99)),
       ("复秤后发现少了近{n}两", "电子秤计量不准，差了{n}两", "捆扎的绳子和包装都被算进了重量"), "{I}于{d0}在{shop}购买{subj}，支付{amt}。", "回家后到社区公平秤复秤，{x}。", "{I}认为{shop}短斤缺两，损害了消费者权益。"),
    _t("market mall elec", "other", "退款:要求退还差价|赔偿:要求按价格欺诈赔偿 {three} 元", (("食用油", "金龙鱼 5L", 69.9, 109), ("洗衣液", "蓝月亮 3kg", 39.9, 69.9), ("纸巾", "维达 24包", 49.9, 79.9), ("进口牛排", "", 128, 268)),
       ("促销价", "会员价", "特价"), "{I}于{d0}在{shop}购物，货架价签标示{subj}为{x}，结账时却按原价{amt}收取。", "{I}当场指出，收银员称价签没来得及更换。", "{I}认为这属于价格欺诈。"),
    # ---- cosmetics, daily goods, jewellery
    _t("mall beauty online", "cosmetics", "退款|赔偿:要求退还货款并赔偿医药费 {comp} 元",
       (("雅诗兰黛小棕瓶精华", "雅诗兰黛 特润修护肌活精华露 50ml", 760, 1080), ("兰蔻小黑瓶精华", "兰蔻 精华肌底液 50ml", 860, 1080), ("SK-II 神仙水", "SK-II 护肤精华露 230ml", 1370, 1690), ("欧莱雅复颜面霜", "", 259, 399)),
       ("红肿、刺痛", "大片红疹", "瘙痒、脱皮"), "{I}于{d0}在{shop}专柜购买{subj}，{amt}，柜员称适合敏感肌使用。", "使用{n}天后面部出现{x}，到医院就诊诊断为接触性皮炎。", "{shop}只同意退还未用完的部分，不承担医药费。"),
    _t("online", "cosmetics", f"{_FRAUD}|退款", (("品牌香水", "香奈儿 可可小姐 100ml", 899, 1399), ("口红套装", "YSL 小金条", 698, 1200), ("面霜", "海蓝之谜 经典面霜 60ml", 2300, 3300)),
       ("防伪码查询无记录", "专柜鉴定为非正品", "包装印刷粗糙，批号与瓶身不一致"), "{I}于{d0}在{shop}直播间下单购买{bm}，支付{amt}，主播称是专柜正品。", "收货后发现{x}。", "{shop}拒绝退款，只同意补偿一张优惠券。"),
    _t("mall", "daily", f"{_FRAUD}|退货", (("足金手镯", "周大福", 8800, 28000), ("足金项链", "老凤祥", 4500, 12000), ("铂金戒指", "", 3200, 6800), ("翡翠手镯", "", 6800, 38000)),
       ("!翡翠>实际克重比标签少了0.8克", "证书编号与实物不符", "翡翠>经检测为处理过的B货", "!翡翠>表面镀层磨损后露出其他金属"), "{I}于{d0}在{shop}购买{subj}，价格{amt}。", "后来{I}到质检所检测，发现{x}。", "{I}认为{shop}以次充好，侵害了消费者的合法权益。"),
    _t("home mall online", "daily", "退货|赔偿", (("乳胶床垫", "", 2999, 8999), ("儿童电动玩具车", "", 599, 1599), ("四件套床上用品", "罗莱", 699, 1599), ("记忆棉枕头", "", 199, 499)),
       ("有刺鼻异味，闻了头晕", "做工粗糙、质量低劣", "材质与宣传的不符", "玩具>部件松动，孩子被划伤了手", "四件套>洗一次就缩水变形"), "{I}于{d0}在{shop}购买{subj}，{amt}。", "{d1}拆开使用后发现{x}。", "{shop}称商品已使用，不予退换。"),
    _t("mall online", "daily", "退款|赔偿", (("近视眼镜", "依视路 钻晶膜岩", 1280, 3980), ("儿童离焦镜", "蔡司 成长乐", 2580, 4280), ("渐进多焦点眼镜", "", 1980, 5980)),
       ("度数配错，戴上头晕恶心", "镜片有明显划痕", "镜片并非宣传的品牌"), "{I}于{d0}在{shop}配了一副{subj}，花费{amt}。", "取镜后发现{x}，复查验光确认配镜有误。", "{shop}只愿意重新磨片，{I}已经不再信任该店。"),
    # ---- building materials and decoration
    _t("home deco", "housing", "换货|赔偿", (("客厅大理石瓷砖", "马可波罗", 12800, 36800), ("卫生间墙地砖", "东鹏", 6800, 15800), ("厨房墙砖", "诺贝尔", 3800, 9800)),
       ("同一批次瓷砖色差明显", "大面积空鼓", "表面出现裂纹", "尺寸误差大，铺贴后缝隙不齐"), "{I}于{d0}在{shop}订购{bm}{subj}，货款{amt}。", "{d1}铺贴后发现{x}。", "{shop}称是施工问题，与产品无关，拒绝承担责任。"),
    _t("home deco", "housing", "维修:要求免费重新铺装|赔偿", (("实木复合地板", "大自然", 15800, 38000), ("强化复合地板", "圣象", 8800, 19800), ("SPC石塑地板", "", 6800, 14800)),
       ("大面积起拱", "缝隙越来越大", "踩上去咯吱作响", "表面漆层脱落"), "{I}于{d0}在{shop}购买{subj}并由其铺装，总价{amt}。", "入住后不到半年，地板{x}。", "{shop}多次上门查看，却一直不给解决方案。"),
    _t("home deco", "housing", "退款|赔偿|换货:要求按合同约定更换板材", (("全屋定制衣柜", "", 28000, 86000), ("整体橱柜", "欧派", 18000, 46000), ("定制榻榻米", "", 12000, 26000)),
       ("实际使用的板材与合同约定的E0级板材不符", "柜体甲醛检测超标", "柜门变形、关不严", "柜体背板受潮发霉"), "{I}于{d0}与{shop}签订{subj}合同，合同总价{amt}。", "{d1}安装完成后，{I}发现{x}。", "多次与{shop}协商，对方一再拖延。"),
    _t("deco", "decoration", "履行合同:要求按合同约定工期完工，并支付延期违约金|赔偿", (("房屋装修工程（全包）", "", 98000, 268000), ("二手房翻新装修", "", 58000, 128000), ("厨卫改造工程", "", 28000, 68000)),
       ("工地长期停工", "施工队频繁更换", "材料迟迟不进场"), "{I}于{d0}与{shop}签订{subj}合同，合同总价{amt}，约定{n}个月完工。", "开工后{x}，截至{d2}工程仍未完成一半。", "{I}已按进度付了大部分款项，{shop}却以各种理由推脱。"),
    _t("deco", "decoration", "退款:要求退还不合理的增项费用 {amtf} 元|履行合同:要求按合同报价继续施工", (("装修增项费用", "", 8000, 36000),),
       ("墙面需要加做找平", "水电改造按实际米数另算", "原设计方案需要调整", "材料需要升级"), "{I}于{d0}与{shop}签订全包装修合同，报价单写明“全包无增项”。", "施工过程中，对方以{x}为由陆续增加费用共{amt}，不付就停工。", "{I}认为{shop}恶意增项。"),
    _t("deco", "decoration", "维修|赔偿", (("房屋装修工程（半包）", "", 48000, 98000), ("卫生间防水工程", "", 3800, 9800), ("墙面乳胶漆工程", "", 8800, 18800)),
       ("卫生间渗水到楼下邻居家", "墙面大面积开裂", "吊顶出现下沉", "瓷砖空鼓脱落"), "{I}于{d0}与{shop}签订{subj}合同，费用{amt}。", "竣工入住后{x}。", "合同约定保修两年，{shop}接到报修后迟迟不派人处理。"),
    # ---- catering and lodging
    _t("food hotel mall", "catering", "赔偿|道歉|退款:要求餐费全部免单", (("家庭聚餐", "", 380, 1680), ("朋友聚餐", "", 268, 980), ("公司聚餐", "", 800, 2600)),
       ("菜里吃出一只蟑螂", "汤里有钢丝球碎屑", "凉菜有明显异味", "菜里有一根头发"), "{I}于{d0}晚上在{shop}{subj}，消费{amt}。", "就餐时发现{x}，{I}当即向服务员反映。", "店方只愿意给这道菜免单，态度冷淡。"),
    _t("food hotel", "catering", "退款", (("包间最低消费", "", 300, 800), ("自带酒水开瓶费", "", 100, 300), ("餐位费", "", 30, 120)),
       ("菜单上也没有明确标注", "收银台也没有任何公示"), "{I}于{d0}在{shop}用餐，结账时发现被收取{subj}{amt}。", "点菜时服务员未作任何提示，{x}。", "{I}认为{shop}侵犯了消费者的知情权和公平交易权。"),
    _t("food hotel", "catering", "退款|其他:要求保留定金用于改期", (("婚宴预订", "", 6000, 20000), ("寿宴预订", "", 3000, 8000), ("年夜饭预订", "", 1000, 3000)),
       ("家中老人突发疾病住院", "双方家庭商议改期", "工作调动到外地"), "{I}于{d0}在{shop}预订{subj}，交付定金{amt}。", "{d1}因{x}，{I}提前两个多月通知{shop}取消。", "对方以定金概不退还为由拒绝退款。"),
    _t("hotel travel online", "catering", "退款|赔偿", (("酒店客房预订", "", 498, 1888), ("民宿预订", "", 388, 1288), ("度假酒店套餐", "", 1288, 3888)),
       ("实际房型与预订的不一致", "房间卫生很差，床单上有污渍", "到店后被告知没有房间", "空调和热水都坏了"), "{I}于{d0}通过{shop}办理{subj}，支付{amt}。", "{d1}入住时发现{x}。", "前台不予处理，{I}只能另找住处。"),
    # ---- education, training, prepaid cards
    _t("edu", "education", "退款:要求退还剩余课时费用", (("少儿英语培训课程", "", 9800, 28800), ("初中数学辅导课程", "", 6800, 19800), ("少儿编程课程", "", 6800, 16800), ("钢琴培训课程", "", 6000, 15000)),
       ("授课老师频繁更换", "实际上课内容与宣传不一致", "班级人数远超承诺的小班", "老师并无相应教学资质"), "{I}于{d0}在{shop}为孩子报名{subj}，一次性缴费{amt}。", "上了{n}节课后发现{x}。", "{I}要求退还剩余课时费用，{shop}以合同约定“概不退费”为由拒绝。"),
    _t("edu", "education", "退款|履行合同:要求按承诺全额退费", (("一级建造师考证培训", "", 6800, 19800), ("会计职称考试培训", "", 3980, 8800), ("教师资格证培训", "", 2980, 6800)),
       ("承诺“不过全额退费”", "宣称有内部资料、包过"), "{I}于{d0}在{shop}报名{subj}，缴费{amt}，对方{x}。", "{d1}考试成绩公布，{I}未通过，向{shop}申请退费。", "{shop}以各种附加条件推脱，至今未退。"),
    _t("edu gym", "prepaid", "退款", (("少儿舞蹈课程", "", 5800, 12800), ("英语培训课时包", "", 8800, 26800), ("少儿游泳课程", "", 3600, 9800)),
       ("突然停课", "门店人去楼空", "被告知公司已经注销"), "{I}于{d0}在{shop}为孩子预付{subj}费用{amt}。", "{d1}该机构{x}，剩余{n}0多节课无法上。", "很多家长都遇到同样问题，大家已经在群里登记。"),
    _t("beauty", "prepaid", "退款:要求退还卡内余额|履行合同:要求按原价继续提供服务", (("美容年卡", "", 5000, 20000), ("美发储值卡", "", 2000, 8000), ("美甲储值卡", "", 1000, 3000), ("皮肤管理疗程卡", "", 6800, 19800)),
       ("门店突然关门", "门店转让给他人，新老板不认旧卡", "店家单方面提高项目价格，卡内余额大幅缩水"), "{I}于{d0}在{shop}办理{subj}，充值{amt}。", "{d1}{x}。", "卡内还有大部分余额没有使用，店方拒绝退还。"),
    _t("mall market", "prepaid", "退款|履行合同:要求恢复卡内余额", (("商场购物卡", "", 1000, 5000), ("超市储值卡", "", 500, 3000)),
       ("超过有效期后余额被清零", "部分专柜拒收购物卡", "卡被无故冻结"), "{I}于{d0}在{shop}购买{subj}，面值{amt}。", "{d1}{I}去消费时，被告知{x}。", "购卡时对方并未告知这些限制。"),
    _t("gym", "prepaid", "退款:要求按剩余期限退还费用|履行合同:要求在原址恢复营业", (("健身房年卡", "", 1980, 4680), ("健身房两年卡", "", 3280, 6800), ("游泳馆次卡", "", 1200, 3000)),
       ("门店突然闭店装修，至今未重新开业", "健身房搬迁到十几公里外", "场馆被通知停业"), "{I}于{d0}在{shop}办理{subj}，支付{amt}。", "{d1}{x}，{I}根本无法正常使用。", "{shop}只同意转卡到其他门店，拒绝退款。"),
    _t("gym", "prepaid", "退款:要求退还剩余私教课时费用", (("私教课程", "", 6800, 19800), ("私教课程（30节）", "", 7800, 12800)),
       ("教练离职，一直没有人接课", "教练上课时经常玩手机", "课程时间被随意更改"), "{I}于{d0}在{shop}购买{subj}，支付{amt}。", "上了{n}节课之后，{x}。", "{I}申请退还剩余课时费，对方要扣除30%违约金并按原价计算已上课时，退款所剩无几。"),
    # ---- beauty services
    _t("beauty", "beauty", "退款|赔偿:要求赔偿护理及医药费 {comp} 元", (("烫发", "", 388, 1280), ("染发", "", 298, 988), ("头皮护理套餐", "", 588, 1680)),
       ("头发严重受损、大量断发", "头皮被烫伤起泡", "染>颜色和事先约定的完全不一样"), "{I}于{d0}在{shop}做{subj}，支付{amt}。", "做完后{x}。", "理发师之前还极力推销办卡，出了问题却不认账。"),
    _t("beauty", "beauty", "赔偿|退款", (("光子嫩肤项目", "", 1980, 6800), ("祛斑项目", "", 2800, 9800), ("水光针项目", "", 1280, 3980)),
       ("面部出现色素沉着", "局部皮肤烫伤结痂", "效果与宣传完全不符"), "{I}于{d0}在{shop}做皮肤护理时，被美容师连续推销{subj}，花费{amt}。", "做完后{x}。", "事后得知该店并不具备医疗美容资质。"),
    # ---- travel
    _t("travel", "travel", "赔偿|退款:要求退还未履行项目费用|道歉", (("云南六日跟团游", "", 3980, 7980), ("海南五日游", "", 3280, 6880), ("张家界四日游", "", 2580, 4980), ("日本七日游", "", 8800, 15800)),
       ("导游强制带团进购物店，不买就甩脸色", "行程中多个景点被擅自取消", "住宿从合同约定的四星酒店降为普通宾馆"), "{I}于{d0}与{shop}签订旅游合同，参加{subj}，团费{amt}。", "{d1}出发后，{x}。", "回苏州后与{shop}交涉，对方称是地接社的问题。"),
    _t("travel", "travel", "退款|赔偿:要求全额退还团费并赔偿损失 {comp} 元", (("出境游团费", "", 8800, 26800), ("邮轮旅游团费", "", 6800, 18800)),
       ("以成团人数不足为由临出发前取消行程", "称签证未能按时办理"), "{I}于{d0}报名{shop}的旅游产品，共交{subj}{amt}。", "{d1}对方{x}，只愿意退还部分费用。", "{I}认为责任在旅行社，应全额退款。"),
    # ---- telecom and internet
    _t("tel", "telecom", "退款|道歉", (("宽带融合套餐费", "中国移动", 199, 1299), ("手机增值业务费", "", 60, 600), ("流量包费用", "中国联通", 30, 300)),
       ("营业员未经同意为我办理了增值业务", "套餐被擅自升档", "宽带到期后被自动续约两年"), "{I}于{d0}到营业厅办理业务，{d1}查询账单时发现{x}。", "为此已累计多扣{subj}{amt}。", "{shop}称是系统办理，拒绝退费。"),
    _t("tel digital", "telecom", "履行合同:要求按承诺返还话费|退款", _PHONES,
       ("每月返还话费100元", "免费赠送两年宽带"), "{I}于{d0}在{shop}办理合约机业务，购买{bm}，预存{amt}，营业员承诺{x}。", "至今已有{n}个月，承诺的优惠一直没有兑现。", "{shop}称活动已结束，推卸责任。"),
    _t("online", "internet", "退货", (("羊绒围巾", "", 399, 899), ("蓝牙耳机", "Apple AirPods Pro 2", 1599, 1899), ("智能手表", "华为 WATCH GT 4", 1488, 2288), ("空气炸锅", "", 299, 699)),
       ("商品已拆封", "赠品已使用", "页面标注了特价商品不退换"), "{I}于{d0}通过网店向{shop}购买{subj}，支付{amt}。", "{d1}收货后{I}申请七天无理由退货，商家以{x}为由拒绝。", "商品完好，不影响二次销售。"),
    _t("online", "internet", "退货|赔偿", (("羽绒被", "", 299, 899), ("和田玉吊坠", "", 888, 3888), ("茶叶礼盒", "", 298, 998)),
       ("实物与直播展示严重不符", "收到的明显是次品", "重量远小于宣传"), "{I}于{d0}在{shop}直播间购买{subj}，支付{amt}。", "收货后发现{x}。", "{I}申请退货，客服一直不回复。"),
    _t("online edu", "internet", "退款", (("视频网站会员", "", 25, 248), ("在线学习平台会员", "", 199, 699), ("外卖平台会员", "", 15, 108)),
       ("平台在我不知情的情况下自动续费了{n}个月", "开通时页面并未明确提示会自动续费", "想取消自动续费却找不到入口"), "{I}于{d0}开通了{subj}。", "后来发现{x}，累计被扣{amt}。", "{I}认为这是变相强制消费。"),
    # ---- repair services
    _t("repair", "repair", "退款|赔偿", (("油烟机上门维修", "", 280, 980), ("洗衣机上门维修", "", 180, 780), ("空调加氟", "", 260, 880), ("燃气灶维修", "", 150, 560)),
       ("师傅说主板坏了必须更换，换下的旧配件却不肯给我看", "在网上搜到的“官方售后”电话实际上是假冒的维修点", "维修前未报价，修完直接要钱"), "{I}家中电器出现故障，于{d0}联系{shop}进行{subj}，共收费{amt}。", "事后发现{x}。", "维修后没过几天故障再次出现。"),
    _t("repair digital", "repair", "退款|赔偿", (("手机换屏维修", "", 680, 2280), ("手机更换电池", "", 199, 599), ("笔记本电脑主板维修", "", 800, 2500)),
       ("更换的屏幕不是原装屏，色彩明显发黄", "更换的电池容量虚标", "维修后出现了新的故障"), "{I}于{d0}在{shop}进行{subj}，支付{amt}，对方承诺使用原装配件。", "取回后发现{x}。", "{shop}拒绝承认，只说可以再修一次。"),
    # ---- medical devices
    _t("pharm", "medical", "退款|赔偿", (("家用理疗仪", "", 3980, 12800), ("磁疗床垫", "", 6800, 19800), ("远红外治疗仪", "", 2980, 8800)),
       ("宣称能治疗高血压、糖尿病", "宣称能根治颈椎病", "宣称用了可以停药"), "{I}的父亲今年七十多岁，{d0}在{shop}组织的“健康讲座”上购买了{subj}，花费{amt}。", "对方工作人员{x}。", "{I}认为对方利用老年人轻信心理进行虚假宣传。"),
    _t("pharm mall online", "medical", "退货|换货", (("电子血压计", "欧姆龙 U10", 299, 599), ("助听器", "西门子", 3800, 12800), ("家用制氧机", "鱼跃", 2680, 3980)),
       ("测量误差很大", "开机后报错无法使用", "噪音很大，效果很差"), "{I}于{d0}在{shop}购买{bm}{subj}，价格{amt}。", "使用中发现{x}，到医院比对后确认是产品问题。", "{shop}称医疗器械售出不退。"),
    # ---- other
    _t("mall market", "other", "履行合同:要求兑现促销承诺|退款", (("促销活动商品", "", 1000, 5000), ("满额赠品活动", "", 1000, 3000)),
       ("满1000减200", "买一送一", "消费满额送电饭煲"), "{I}于{d0}在{shop}参加“{x}”促销活动，消费{amt}。", "结账后商家称活动已结束、赠品已发完，拒绝兑现。", "{I}认为{shop}发布虚假促销信息。"),
)

_SPAN = {"vehicle": 300, "housing": 300, "decoration": 360, "prepaid": 360, "education": 300, "travel": 120, "telecom": 180}
_SHOP = ("被投诉方", "商家", "该店", "对方门店")
_REQ = {
    "退款": ("要求全额退款", "要求退还已付款项 {amtf} 元"), "退货": ("要求退货退款", "要求退货并退还货款 {amtf} 元"),
    "换货": ("要求更换同型号新品", "要求换货"), "维修": ("要求免费维修", "要求免费维修并顺延保修期"),
    "赔偿": ("要求赔偿损失 {comp} 元", "要求赔偿各项损失共计 {comp} 元"), "道歉": ("要求商家书面道歉", "要求商家赔礼道歉并作出合理解释"),
    "履行合同": ("要求按合同约定履行",), "其他": ("要求商家作出合理解释",),
}
_CLOSINGS = ("多次与商家协商未果，特向贵单位投诉，请求依法处理。", "{I}多次打电话联系{shop}，对方一直推诿。", "希望相关部门督促商家妥善解决。",
             "{I}保留了付款凭证和聊天记录，可以提供。", "恳请贵单位主持公道。")
_SELF = ("{I}叫{name}，电话{mobile}。", "联系人{name}，手机号{mobile}，白天随时可以联系。", "{I}的手机号是{mobile}，请尽快回复。", "投诉人：{name}。")
_RETAIL = {"appliance", "clothing", "food", "cosmetics", "daily", "vehicle", "housing", "medical", "other"}
DEFAULT_BEFORE = date(2026, 10, 31)


def _comp_range(amount: Decimal) -> tuple[float, float]:
    """Share of the amount a consumer plausibly claims as compensation: large for cheap goods, small for cars."""
    return (0.2, 1.5) if amount <= 5000 else (0.1, 0.5) if amount <= 20000 else (0.02, 0.1)


def _price(rng: random.Random, lo: float, hi: float, retail: bool) -> Decimal:
    """A price in [lo, hi] as shops write it: 5299.00, 398.00, 12.90 for goods; round sums for fees."""
    v = rng.uniform(lo, hi)
    if v < 100:
        return Decimal(f"{round(v, 1) if retail else max(1, round(v)):.2f}")
    step = 1000 if v >= 20000 else 100 if v >= (1000 if retail else 500) else 10
    r = max(step, round(v / step) * step)
    if retail:
        r -= rng.choice((0, 100, 100, 200) if step == 1000 else (0, 1, 1, 1) if step == 100 else (0, 1, 1, 2))
    return Decimal(f"{r:.2f}")


def _plain(d: Decimal) -> str:
    return f"{d:.0f}" if d == d.to_integral_value() else f"{d:.2f}"


def _cn_date(d: date, ref: date | None = None) -> str:
    return f"{d.month}月{d.day}日" if ref is not None and ref.year == d.year else f"{d.year}年{d.month}月{d.day}日"


def _fits(x: str, subject: str) -> bool:
    """Variants written "关键词>文本" apply only to subjects containing 关键词 ("!关键词>": not containing)."""
    key, sep, _ = x.partition(">")
    return not sep or (key.lstrip("!") in subject) != key.startswith("!")


def scenario(rng: random.Random, industry: str | None = None, *, complainant: Person | None = None,
             before: date = DEFAULT_BEFORE) -> Scenario:
    """A complaint coherent with `industry` (any industry when None); facts only mention dates up to `before`."""
    key = _alias(industry) if industry is not None else None
    tpl = rng.choice([t for t in _TEMPLATES if key is None or key in t.inds])
    subj, bm, lo, hi = rng.choice(tpl.items)
    amount = _price(rng, lo, hi, tpl.cat in _RETAIL and not subj.endswith(("费", "定金", "费用", "商品", "活动")))
    d0 = before - timedelta(days=rng.randint(20, _SPAN.get(tpl.cat, 90) + 20))
    d1 = d0 + timedelta(days=rng.randint(1, max(1, (before - d0).days // 2)))
    d2 = d1 + timedelta(days=rng.randint(1, max(1, (before - d1).days - 1)))
    v = {"I": rng.choice(("我", "本人")), "shop": rng.choice(_SHOP), "d0": _cn_date(d0), "d1": _cn_date(d1, d0),
         "d2": _cn_date(d2, d0), "subj": subj, "bm": bm or subj, "amt": _plain(amount) + "元", "n": str(rng.randint(2, 5)),
         "amtf": _plain(amount), "three": _plain(max(amount * 3, Decimal(500))), "ten": _plain(max(amount * 10, Decimal(1000))),
         "comp": str(max(200, int(float(amount) * rng.uniform(*_comp_range(amount))) // 100 * 100))}
    xs = [x.partition(">")[2] or x for x in tpl.xs if _fits(x, subj)]
    v["x"] = rng.choice(xs).format(**v)
    sentences = [f.format(**v) for f in tpl.facts]
    if rng.random() < 0.5:
        sentences.append(rng.choice(_CLOSINGS).format(**v))
    if rng.random() < 0.3:
        who = complainant or person(rng)
        line = rng.choice(_SELF).format(name=who.name, mobile=who.mobile, **{k: v[k] for k in ("I", "shop")})
        sentences.insert(0 if rng.random() < 0.3 else len(sentences), line)
    rtype, _, rtext = rng.choice(tpl.reqs).partition(":")
    request = (rtext or rng.choice(_REQ[rtype])).format(**v)
    return Scenario(subj, tpl.cat, bm, amount, request, "".join(sentences), rtype)


# ---------------------------------------------------------------- mediation
_LAW = {
    "vehicle": "《家用汽车产品修理更换退货责任规定》", "appliance": "《部分商品修理更换退货责任规定》和《消费者权益保护法》第二十四条",
    "food": "《食品安全法》第一百四十八条", "decoration": "《民法典》合同编有关违约责任的规定", "housing": "《消费者权益保护法》第二十三条及买卖合同约定",
    "catering": "《消费者权益保护法》第十一条、第二十六条", "education": "《江苏省消费者权益保护条例》有关预收款的规定",
    "prepaid": "《消费者权益保护法》第五十三条及《江苏省消费者权益保护条例》有关预付式消费的规定", "travel": "《旅游法》第七十条及旅游合同约定",
    "internet": "《消费者权益保护法》第二十五条及《电子商务法》有关规定", "telecom": "《电信条例》及《消费者权益保护法》第九条",
    "beauty": "《消费者权益保护法》第十八条、第四十九条", "repair": "《消费者权益保护法》第八条、第十条",
    "medical": "《医疗器械监督管理条例》及《消费者权益保护法》第二十条",
    **dict.fromkeys(("clothing", "daily", "cosmetics"), "《消费者权益保护法》第二十三条、第二十四条"),
}
_STANCE = {
    "退款": ("经营者称合同约定预付款项概不退还", "经营者称已提供部分服务，只能按比例退款", "经营者同意退款，但要求扣除手续费",
           "经营者称需核实后再处理"),
    "退货": ("经营者称商品已拆封使用，影响二次销售", "经营者认为问题系消费者使用不当造成", "经营者同意退货，但要求扣除折旧费"),
    "换货": ("经营者称需厂家检测确认后方可换货", "经营者只同意维修，不同意换货"),
    "维修": ("经营者同意维修，但要求消费者承担部分配件费用", "经营者称损坏系人为原因，不属于免费保修范围"),
    "赔偿": ("经营者认为消费者索赔金额过高", "经营者否认存在欺诈故意，称系工作疏忽", "经营者愿意退还货款，但对赔偿金额有异议"),
    "道歉": ("经营者称涉事员工已作内部处理", "经营者认为服务并无不当"),
    "履行合同": ("经营者称活动最终解释权归商家所有", "经营者称延误系材料供应等客观原因所致", "经营者称正在积极履行，请消费者再给予一些时间"),
    "其他": ("经营者称已按规定操作", "经营者表示愿意协商解决"),
}
_DONE = {"退款": "退还相关款项", "退货": "办理退货退款", "换货": "为消费者更换商品", "维修": "免费维修", "赔偿": "给予消费者一定补偿",
         "道歉": "向消费者赔礼道歉", "履行合同": "按约定继续履行合同", "其他": "妥善处理消费者诉求"}


def mediation_note(rng: random.Random, scenario: Scenario) -> tuple[str, str]:
    """(调解内容, 调解结果) for one mediation session about `scenario`."""
    law = _LAW.get(scenario.category_code, "《消费者权益保护法》有关规定")
    if "三倍" in scenario.request or "赔三" in scenario.request:
        law += "以及《消费者权益保护法》第五十五条"
    stances = _STANCE[scenario.request_type]
    if scenario.request_type == "退款":
        stances = stances if scenario.category_code in {"prepaid", "education", "decoration", "housing", "catering"} else stances[2:]
    elif scenario.request_type == "履行合同":
        stances = stances[:1] if scenario.category_code == "other" else stances[1:]
    how = rng.choice(("在调解室组织双方当面", "通过电话分别与双方", "到经营场所现场", "通过视频连线组织双方"))
    content = (f"调解员{how}进行调解。消费者陈述了{scenario.subject}纠纷的经过，{scenario.request}。"
               f"{rng.choice(stances)}。调解员依据{law}向双方释法说理，"
               f"{rng.choice(('引导双方互谅互让', '指出经营者应依法承担相应责任', '建议双方各退一步、协商解决'))}。")
    roll = rng.random()
    if roll < 0.7:
        result = f"调解成功。经营者同意{_DONE[scenario.request_type]}，双方自愿达成调解协议，详见协议条款。"
    elif roll < 0.8:
        result = "消费者表示已与经营者自行和解，申请撤回投诉，终止调解。"
    else:
        result = rng.choice(("双方分歧较大，调解不成，已告知消费者可依法向人民法院提起诉讼。",
                             "经营者拒绝接受调解，终止调解，已告知消费者其他救济途径。"))
    return content, result


def settlement_terms(rng: random.Random, scenario: Scenario) -> str:
    """The operative clauses of a mediation agreement that settles `scenario`."""
    k = rng.choice((3, 5, 7))
    amt, subj = scenario.amount, scenario.subject
    if scenario.category_code in {"prepaid", "education", "decoration"} and scenario.request_type == "退款":
        part = (amt * Decimal(rng.choice(("0.5", "0.6", "0.7", "0.8", "0.9")))).quantize(Decimal("0.01"))
        terms = f"经营者扣除已消费部分后，于 {k} 个工作日内通过原支付渠道退还消费者 {part:,.2f} 元。"
    elif scenario.request_type == "退款":
        terms = f"经营者于 {k} 个工作日内通过原支付渠道退还消费者款项 {amt:,.2f} 元。"
    elif scenario.request_type == "退货":
        terms = f"消费者于 {k} 日内将{subj}退回经营者，经营者验收后当场退还货款 {amt:,.2f} 元。"
    elif scenario.request_type == "换货":
        terms = f"经营者于 {k} 日内为消费者更换同型号全新{subj}，原商品由经营者收回。"
    elif scenario.request_type == "维修":
        terms = f"经营者于 {k} 个工作日内免费维修{subj}，维修费用由经营者承担，保修期自修复之日起顺延 {rng.choice((3, 6, 12))} 个月。"
    elif scenario.request_type == "赔偿":
        ratios = ("0.01", "0.02", "0.03", "0.05") if amt > 20000 else ("0.3", "0.5", "1", "2")
        comp = max(Decimal(200), (amt * Decimal(rng.choice(ratios))).quantize(Decimal(1)))
        terms = f"经营者一次性补偿消费者 {comp:,.2f} 元，于 {k} 个工作日内支付完毕。"
    elif scenario.request_type == "道歉":
        terms = f"经营者向消费者书面赔礼道歉，并赠送价值 {rng.choice((100, 200, 300, 500))}.00 元的消费券。"
    elif scenario.request_type == "履行合同":
        terms = f"经营者于 {k * 5} 日内按原合同约定履行全部义务，逾期每日按合同金额的千分之一向消费者支付违约金。"
    else:
        terms = f"经营者向消费者作出书面说明，并一次性补偿 {rng.choice((200, 300, 500))}.00 元。"
    return terms + rng.choice(("本协议履行完毕后，双方就本纠纷再无其他争议。", "双方就此纠纷无其他争议。", "消费者放弃其他诉求。"))
