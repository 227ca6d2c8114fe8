"""Tests for desktop.domain.masking: complaint texts as clerks record them, masked for the 公示.

Each case lists what must not survive (names, numbers, address details) and what must stay
(enterprises, shops, products, amounts, dates, the masked forms themselves)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from desktop.domain.masking import (
    ADDRESS_TAG,
    CARD_TAG,
    ID_TAG,
    PHONE_TAG,
    PLATE_TAG,
    mask,
)


@dataclass(frozen=True)
class Case:
    text: str
    secrets: tuple[str, ...]
    keep: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


CASES: dict[str, Case] = {
    "car-4s-mobile": Case(
        "消费者张伟于2026年3月在苏州东吴汽车销售服务有限公司购买轿车一辆，价格158000元，"
        "提车后发现发动机漏油，联系电话13812345678。",
        secrets=("张伟", "13812345678"),
        keep=("张某于2026年3月", "苏州东吴汽车销售服务有限公司", "158000元", PHONE_TAG),
    ),
    "phone-mall-spaced-mobile": Case(
        "投诉人李娜称其在万达广场3楼某品牌店购买iPhone 15 Pro一部，花费¥8,999.00，使用一周后"
        "屏幕出现绿线，商家拒绝退换。手机：138 1234 5678。",
        secrets=("李娜", "138 1234 5678"),
        keep=("投诉人李某称", "万达广场3楼某品牌店", "iPhone 15 Pro", "¥8,999.00"),
    ),
    "gym-compound-surname-id-address": Case(
        "本人欧阳娜娜（身份证号32050619850312123X），家住苏州市吴中区长桥街道宝带西路100号3幢"
        "201室，于2026年1月在苏州悦动健身有限公司办理年卡一张，金额3680元，现该店已关门停业。",
        secrets=("欧阳娜娜", "32050619850312123X", "长桥街道", "宝带西路100号", "3幢201室"),
        keep=(
            "本人欧阳某",
            "家住苏州市吴中区" + ADDRESS_TAG,
            "苏州悦动健身有限公司",
            "3680元",
            ID_TAG,
        ),
    ),
    "new-energy-plate-landline": Case(
        "车主王小明反映，其比亚迪汉EV（车牌号苏EA1234D）在苏州华瑞汽车服务有限公司保养后出现"
        "异响，多次沟通无果。座机0512-66668888。",
        secrets=("王小明", "苏EA1234D", "0512-66668888"),
        keep=("车主王某反映", "比亚迪汉EV", "苏州华瑞汽车服务有限公司", PLATE_TAG, PHONE_TAG),
    ),
    "prepaid-gym-dashed-mobile": Case(
        "消费者孙丽于2025年9月在姑苏区某健身房购买私教课程30节，支付12800元，上了5节课后教练"
        "离职，商家拒绝退还剩余课时费。联系方式：139-1234-5678。",
        secrets=("孙丽", "139-1234-5678"),
        keep=("消费者孙某于2025年9月", "12800元", "私教课程30节"),
    ),
    "decoration-known-name-house": Case(
        "陈建国反映，其住房位于苏州市相城区元和街道御窑花园12幢1单元1202室，由苏州美家装饰工程"
        "有限公司装修，合同价86000元，完工后墙面大面积开裂。陈建国要求返工。",
        secrets=("陈建国", "御窑花园", "12幢1单元1202室", "元和街道"),
        keep=("陈某反映", "苏州市相城区", "苏州美家装饰工程有限公司", "86000元", "陈某要求返工"),
        names=("陈建国",),
    ),
    "training-three-character-name": Case(
        "我叫刘子轩，今年7月在苏州启明星教育培训中心报名暑期数学课程，学费4800元，开课两周后"
        "机构突然停课，至今未退费。我的手机号是15962345678。",
        secrets=("刘子轩", "15962345678"),
        keep=("我叫刘某", "苏州启明星教育培训中心", "4800元"),
    ),
    "travel-spouse-plus86": Case(
        "投诉人周一鸣称，其与妻子黄婷婷于2026年5月1日参加苏州青旅国际旅行社组织的云南六日游，"
        "团费每人3800元，行程中导游强制购物。联系电话：+86 188 6666 1234。",
        secrets=("周一鸣", "黄婷婷", "188 6666 1234"),
        keep=("周某称", "妻子黄某于2026年5月1日", "苏州青旅国际旅行社", "3800元"),
    ),
    "ecommerce-order-number-delivery-address": Case(
        "消费者赵磊反映，其在京东平台购买美的空调一台（型号KFR-35GW/N8XHC1），订单号"
        "3456789012345678901，金额2999元，收货地址为苏州市姑苏区平江路12号。安装后制冷效果差。",
        secrets=("赵磊", "平江路12号"),
        keep=("订单号3456789012345678901", "KFR-35GW/N8XHC1", "2999元", "苏州市姑苏区", "京东平台"),
    ),
    "property-owner-landline-estate": Case(
        "业主钱国强（联系电话0512-65221234）称，苏州金鼎物业管理有限公司未经业主同意擅自提高"
        "物业费，每平方米由1.8元涨至2.5元。钱国强家住东吴新村18幢302室。",
        secrets=("钱国强", "0512-65221234", "东吴新村", "18幢302室"),
        keep=("业主钱某", "苏州金鼎物业管理有限公司", "1.8元", "2.5元", "钱某家住" + ADDRESS_TAG),
    ),
    "food-restaurant": Case(
        "消费者杨帆于2026年2月14日在观前街某餐厅用餐，食用后腹泻就医，花去医药费632元。杨帆"
        "要求餐厅赔偿。电话：18912345678",
        secrets=("杨帆", "18912345678"),
        keep=("观前街某餐厅", "632元", "2026年2月14日", "杨某要求"),
    ),
    "beauty-bank-card-grouped": Case(
        "投诉人马丽在苏州某美容院办理储值卡，充值20000元，后美容院跑路。马丽要求退款至其银行卡号"
        "6222 0212 3456 7890 123。",
        secrets=("马丽", "6222 0212 3456 7890 123"),
        keep=("20000元", "银行卡号" + CARD_TAG, "马某要求"),
    ),
    "refund-bank-card-no-cue": Case(
        "本人司马光，申请退款至6217001234567890（建设银行），共计1200元。",
        secrets=("司马光", "6217001234567890"),
        keep=("本人司马某", "建设银行", "1200元", CARD_TAG),
    ),
    "clothing-old-15-digit-id": Case(
        "投诉人：慕容雪，女，身份证号码320102850101002，反映其在苏州某商场购买的羽绒服起球严重。",
        secrets=("慕容雪", "320102850101002"),
        keep=("投诉人：慕容某，女", "羽绒服", ID_TAG),
    ),
    "appliance-id-lowercase-x": Case(
        "消费者诸葛亮（身份证32058219900101123x）反映，其在苏州五星电器购买的海尔洗衣机漏水。",
        secrets=("诸葛亮", "32058219900101123x"),
        keep=("消费者诸葛某", "苏州五星电器", "海尔洗衣机"),
    ),
    "repair-landline-in-brackets": Case(
        "消费者吴晓东称家中燃气灶由苏州安信家电维修服务部上门维修，收费380元，维修后仍无法点火。"
        "联系电话（0512）6525 1234。",
        secrets=("吴晓东", "6525 1234"),
        keep=("消费者吴某称", "苏州安信家电维修服务部", "380元"),
    ),
    "glasses-local-number-after-cue": Case(
        "联系人：许丽华，座机65221234，工作日可联系。许丽华反映其在苏州某眼镜店配镜度数错误。",
        secrets=("许丽华", "65221234"),
        keep=("联系人：许某", "座机" + PHONE_TAG, "眼镜店"),
    ),
    "medical-device-gender-form": Case(
        "刘德明，男，1962年生，家住苏州市高新区狮山路88号金色家园5栋2单元301室，电话13951234567。"
        "刘德明称其在某药店购买的血压计测量不准。",
        secrets=("刘德明", "狮山路88号", "金色家园", "5栋2单元301室", "13951234567"),
        keep=("刘某，男，1962年生", "家住苏州市高新区" + ADDRESS_TAG, "血压计"),
    ),
    "shoes-full-name-before-title": Case(
        "消费者李向东先生反映，其于2026年4月在苏州百盛商场购买的皮鞋开胶，商家只同意维修。",
        secrets=("李向东",),
        keep=("消费者李先生反映", "苏州百盛商场", "皮鞋开胶"),
    ),
    "health-products-woman-title-plus86": Case(
        "赵秀英女士称，其在苏州康泰保健品店参加免费体检活动后被推销购买保健品，花费6800元。"
        "联系手机+8613812345678。",
        secrets=("赵秀英", "13812345678"),
        keep=("赵女士称", "苏州康泰保健品店", "6800元"),
    ),
    "mother-health-lecture": Case(
        "投诉人称，其母亲徐桂英于2026年3月在社区附近的保健品讲座上购买了价值12000元的“磁疗床垫”，"
        "家属要求退货。",
        secrets=("徐桂英",),
        keep=("母亲徐某于2026年3月", "12000元", "磁疗床垫", "家属要求退货"),
    ),
    "husband-car-wash-plate-with-dot": Case(
        "我丈夫蒋志刚驾驶的车辆苏E·8R8J7在苏州某洗车店洗车时被刮花，店家拒不赔偿。",
        secrets=("蒋志刚", "苏E·8R8J7"),
        keep=("我丈夫蒋某驾驶", "洗车店", PLATE_TAG),
    ),
    "driving-school-coach-plate": Case(
        "学员韩梅梅在苏州通达驾驶员培训有限公司报名C1驾照培训，学费5800元，教练车苏E1234学长期"
        "不安排练车。",
        secrets=("韩梅梅", "苏E1234学"),
        keep=("学员韩某", "苏州通达驾驶员培训有限公司", "C1驾照", "5800元", "教练车" + PLATE_TAG),
    ),
    "cosmetics-known-name-no-cue": Case(
        "王芳在某电商平台购买的面霜疑似假货，王芳已保留购物截图，要求商家退一赔三。",
        secrets=("王芳",),
        keep=("王某在某电商平台", "面霜", "退一赔三"),
        names=("王芳",),
    ),
    "livestream-known-compound-name": Case(
        "欧阳娜娜反映，2026年4月通过抖音直播间购买的羊毛衫实为化纤，欧阳娜娜要求退款。"
        "电话 150 1234 5678",
        secrets=("欧阳娜娜", "150 1234 5678"),
        keep=("欧阳某反映", "欧阳某要求退款", "羊毛衫", "电话 " + PHONE_TAG),
        names=("欧阳娜娜",),
    ),
    "supermarket-hotline-stays": Case(
        "消费者郑浩然拨打12315热线反映，在苏州某超市购买的牛奶已过保质期。商家客服电话400-820-8820。",
        secrets=("郑浩然",),
        keep=("消费者郑某拨打12315热线", "400-820-8820"),
    ),
    "courier-12345-waybill": Case(
        "消费者邓丽君通过12345政务热线转来投诉，称某快递公司丢件，快递单号SF1234567890123，"
        "物品价值899元。",
        secrets=("邓丽君",),
        keep=("12345政务热线", "SF1234567890123", "899元"),
    ),
    "hotel-stays-home-masked": Case(
        "投诉人唐婉称，2026年2月其住在苏州金鸡湖凯宾斯基大酒店期间，房间内发现虫子，酒店仅同意"
        "打八折。唐婉家住苏州市姑苏区十全街56号。",
        secrets=("唐婉", "十全街56号"),
        keep=("住在苏州金鸡湖凯宾斯基大酒店期间", "唐某家住苏州市姑苏区" + ADDRESS_TAG),
    ),
    "applicant-province-address": Case(
        "申请人：上官婉儿，家庭住址：江苏省苏州市吴江区松陵镇流虹路168号阳光水榭9幢1201室，"
        "联系电话18862341234。",
        secrets=("上官婉儿", "松陵镇", "流虹路168号", "阳光水榭", "9幢1201室", "18862341234"),
        keep=("申请人：上官某", "家庭住址：江苏省苏州市吴江区" + ADDRESS_TAG),
    ),
    "business-address-stays": Case(
        "消费者沈佳琪反映，被投诉人苏州美佳美容有限公司（经营地址：苏州市姑苏区人民路1888号2楼）"
        "以免费体验为由诱导其办卡，充值5000元。",
        secrets=("沈佳琪",),
        keep=("苏州市姑苏区人民路1888号2楼", "苏州美佳美容有限公司", "5000元", "消费者沈某反映"),
    ),
    "mall-shop-self-introduction": Case(
        "本人在万达广场3楼某品牌店购买运动鞋一双，价格899元，穿了一周鞋底断裂。本人陆晓峰，"
        "手机号码13645678901。",
        secrets=("陆晓峰", "13645678901"),
        keep=("万达广场3楼某品牌店", "899元", "本人陆某"),
    ),
    "phone-purchase-iso-date": Case(
        "消费者钟欣怡称，于2026-03-05在苏宁易购购买华为Mate 60 Pro手机，价格¥6,999.00，"
        "延保费599元，一个月后无法开机。",
        secrets=("钟欣怡",),
        keep=("2026-03-05", "苏宁易购", "华为Mate 60 Pro", "¥6,999.00", "599元"),
    ),
    "telecom-value-added-service": Case(
        "投诉人范建华称其手机号13912345678被苏州某营业厅擅自开通增值业务，每月扣费29元，已扣费"
        "8个月共计232元。",
        secrets=("范建华", "13912345678"),
        keep=("投诉人范某称", "29元", "232元", "8个月"),
    ),
    "ebike-name-before-purchase": Case(
        "消费者林琳购买的电动自行车电池鼓包，商家称不在保修范围。",
        secrets=("林琳",),
        keep=("消费者林某购买", "电动自行车"),
    ),
    "study-abroad-name-before-xiang": Case(
        "投诉人何静向苏州某教育咨询有限公司支付留学中介费35000元，对方未按约定提供服务。",
        secrets=("何静",),
        keep=("投诉人何某向", "35000元"),
    ),
    "furniture-three-character-before-zai": Case(
        "消费者宋立新在苏州某家具城定制衣柜，定金10000元，交货期延误两个月。",
        secrets=("宋立新",),
        keep=("消费者宋某在", "10000元", "衣柜"),
    ),
    "screen-repair-name-before-de": Case(
        "消费者袁梦瑶的手机在苏州某维修店更换屏幕后出现触控失灵。袁梦瑶电话：17712345678。",
        secrets=("袁梦瑶", "17712345678"),
        keep=("消费者袁某的手机", "维修店"),
    ),
    "starred-phone-and-id": Case(
        "投诉人潘某（电话138****5678，身份证320506********1234）反映其预付卡余额无法使用。",
        secrets=("138****5678", "320506********1234", "5678", "1234"),
        keep=("投诉人潘某", "预付卡余额", PHONE_TAG, ID_TAG),
    ),
    "training-refund-bank-account": Case(
        "消费者贾宝玉要求苏州某培训机构将退费8800元转入其银行账户6228 4800 1234 5678 910。",
        secrets=("贾宝玉", "6228 4800 1234 5678 910"),
        keep=("消费者贾某要求", "8800元", CARD_TAG),
    ),
    "principal-registered-and-current-address": Case(
        "委托人谭晓雯，户籍地址：安徽省合肥市蜀山区长江西路500号，现住苏州市虎丘区竹园路18号锦绣"
        "江南6幢602室，委托其表姐代为投诉。",
        secrets=("谭晓雯", "长江西路500号", "竹园路18号", "锦绣江南", "6幢602室"),
        keep=("委托人谭某", "安徽省合肥市蜀山区" + ADDRESS_TAG, "现住苏州市虎丘区" + ADDRESS_TAG),
    ),
    "parcel-delivered-to-door": Case(
        "快递员将包裹送至苏州市吴中区木渎镇金山路66号翡翠湾3幢1单元501室门口后丢失，收件人蔡文杰"
        "要求快递公司赔偿货款1299元。",
        secrets=("蔡文杰", "木渎镇", "金山路66号", "翡翠湾", "3幢1单元501室"),
        keep=("送至苏州市吴中区" + ADDRESS_TAG + "门口后丢失", "收件人蔡某要求", "1299元"),
    ),
    "photorejuvenation-form-fields": Case(
        "姓名：夏雨萱；联系电话：0512-68881234；投诉内容：在苏州丽人美容院做光子嫩肤后面部灼伤，"
        "要求赔偿医疗费3200元。",
        secrets=("夏雨萱", "0512-68881234"),
        keep=("姓名：夏某；", "苏州丽人美容院", "光子嫩肤", "3200元"),
    ),
    "compound-surname-before-title": Case(
        "皇甫嵩先生称，其在苏州某茶叶店购买的碧螺春实为外地茶，价格1680元。",
        secrets=("皇甫嵩",),
        keep=("皇甫先生称", "碧螺春", "1680元"),
    ),
    "two-people-in-one-text": Case(
        "消费者龚丽娟称，苏州某4S店销售顾问承诺赠送保养，提车后店方不认账。龚丽娟丈夫邵建平也在场，"
        "可作证。",
        secrets=("龚丽娟", "邵建平"),
        keep=("消费者龚某称", "龚某丈夫邵某也在场", "4S店销售顾问"),
    ),
    "surname-that-is-a-preposition": Case(
        "联系人于华，手机号18051234567，反映其在苏州某家纺店购买的蚕丝被含棉。",
        secrets=("于华", "18051234567"),
        keep=("联系人于某", "蚕丝被"),
    ),
    "name-right-before-home-cue": Case(
        "投诉人曾华家住苏州市吴江区仲英大道142号蠡湖花园28幢601室，手机166-2113-7682。"
        "其在商家配的渐进多焦点眼镜镜片有划痕，花费4199元。",
        secrets=("曾华", "仲英大道142号", "蠡湖花园", "28幢601室", "166-2113-7682"),
        keep=("投诉人曾某家住苏州市吴江区" + ADDRESS_TAG, "渐进多焦点眼镜", "4199元"),
    ),
    "elderly-father-prepaid-bath": Case(
        "我父亲钱荣根（身份证号320503195207151236）在苏州某浴室办理预付卡2000元，现浴室关门，"
        "我父亲要求退还余额1460元。联系电话0512 6523 8899。",
        secrets=("钱荣根", "320503195207151236", "0512 6523 8899"),
        keep=("我父亲钱某（身份证号" + ID_TAG + "）", "2000元", "1460元", "浴室关门"),
    ),
    "new-energy-plate-d-first": Case(
        "车主夏侯惇称其新能源车苏ED12345在苏州某充电站充电时起火，要求充电站运营方赔偿。",
        secrets=("夏侯惇", "苏ED12345"),
        keep=("车主夏侯某称", "新能源车" + PLATE_TAG, "充电站运营方"),
    ),
}


def _digits(value: str) -> str:
    return re.sub(r"[^0-9Xx]", "", value)


def _compact(value: str) -> str:
    """The text without the separators people put inside numbers."""
    return re.sub(r"[\s\-－()（）+＋·]", "", value)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_no_secret_survives(case: Case) -> None:
    out = mask(case.text, case.names)
    for secret in case.secrets:
        assert secret in case.text, f"test data: {secret!r} is not in the text"
        assert secret not in out, f"{secret!r} survived in {out!r}"
        digits = _digits(secret)
        if len(digits) >= 7:  # 138 1234 5678 must not survive as 13812345678 either
            assert digits not in _compact(out), f"{digits!r} survived in {out!r}"


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_enterprise_side_stays_readable(case: Case) -> None:
    out = mask(case.text, case.names)
    for kept in case.keep:
        assert kept in out, f"{kept!r} missing from {out!r}"


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_masking_twice_changes_nothing(case: Case) -> None:
    once = mask(case.text, case.names)
    assert mask(once, case.names) == once
    assert mask(once) == once


def test_there_are_enough_realistic_cases() -> None:
    assert len(CASES) >= 40
    assert sum(1 for c in CASES.values() if not c.names) >= 35  # cue detection, not only names=


# ---------------------------------------------------------------- names


def test_name_becomes_surname_plus_mou() -> None:
    assert mask("消费者张伟于2026年3月在某店购买", ()) == "消费者张某于2026年3月在某店购买"
    assert mask("王小明称", ["王小明"]) == "王某称"


def test_compound_surname_keeps_both_characters() -> None:
    assert mask("欧阳娜娜反映", ["欧阳娜娜"]) == "欧阳某反映"
    assert mask("投诉人上官婉儿称") == "投诉人上官某称"
    assert mask("姓名：司马光，") == "姓名：司马某，"


def test_cue_names_stop_before_the_next_word() -> None:
    assert mask("投诉人李娜称商家拒绝") == "投诉人李某称商家拒绝"
    assert mask("消费者张伟于2026年3月") == "消费者张某于2026年3月"
    assert mask("消费者王小明反映") == "消费者王某反映"
    assert mask("本人陈静购买") == "本人陈某购买"
    assert mask("我丈夫李强在店内") == "我丈夫李某在店内"


def test_title_keeps_the_surname_alone() -> None:
    assert mask("张伟先生来电") == "张先生来电"
    assert mask("客户称张伟先生已付款", ["张伟"]) == "客户称张先生已付款"
    assert mask("欧阳娜娜女士称") == "欧阳女士称"


def test_surname_with_title_is_left_as_it_is() -> None:
    text = "王先生和李女士于3月在该店购买家具，消费者王先生反映，投诉人欧阳女士称。"
    assert mask(text) == text
    assert mask(text, ["王先生"]) == text


def test_every_occurrence_of_a_found_name_is_masked() -> None:
    out = mask("消费者张伟反映，张伟于3月购买，张伟要求退款。")
    assert out == "消费者张某反映，张某于3月购买，张某要求退款。"


def test_words_after_cues_are_not_names() -> None:
    text = (
        "依据消费者权益保护法，消费者于今年3月向商家反映，投诉人曾多次与商家协商，本人车辆"
        "被扣，消费者余额不足，投诉人向平台投诉，本人申请退款，消费者吴中区居民。"
    )
    assert mask(text) == text


def test_brands_and_places_are_not_names() -> None:
    text = "消费者称，华为（手机）和苏宁（电话客服）均未回复，苏州人都知道。"
    assert mask(text) == text


# ---------------------------------------------------------------- numbers and tags


def test_tags_are_the_published_strings() -> None:
    out = mask(
        "手机13812345678，身份证32050619850312123X，卡号6222021234567890123，车牌苏E12345，"
        "家住宝带西路100号"
    )
    assert out == (
        f"手机{PHONE_TAG}，身份证{ID_TAG}，卡号{CARD_TAG}，车牌{PLATE_TAG}，家住{ADDRESS_TAG}"
    )
    assert (PHONE_TAG, ID_TAG, CARD_TAG, PLATE_TAG, ADDRESS_TAG) == (
        "【电话】",
        "【身份证号】",
        "【银行卡号】",
        "【车牌号】",
        "【地址】",
    )


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 13812345678",
        "+86-138-1234-5678",
        "0512-66668888",
        "051266668888",
        "(0512)6666 8888",
        "（0512）66668888",
        "025-83456789",
        "0512-65221234转806",
    ],
)
def test_phone_spellings(phone: str) -> None:
    assert mask(f"联系电话：{phone}。") == f"联系电话：{PHONE_TAG}。"


def test_hotlines_and_service_numbers_stay() -> None:
    text = "消费者拨打12315热线和12345热线投诉，商家客服400-820-8820，银行客服95588。"
    assert mask(text) == text
    assert mask("电话12315") == "电话12315"


def test_amounts_dates_and_models_stay() -> None:
    text = (
        "2026年3月5日（2026-03-05）购买型号KFR-35GW的空调，价格158000元，另付¥2,999.00，"
        "定金3万元，订单号202603051234567890，iPhone 15 Pro 256GB。"
    )
    assert mask(text) == text


def test_id_number_needs_a_birth_date() -> None:
    assert mask("身份证320506198503121234") == f"身份证{ID_TAG}"
    assert mask("编号320506198513121234") == f"编号{CARD_TAG}"  # month 13: no ID, 18 digits


def test_plates_with_suffixes() -> None:
    for plate in ("苏E·12345", "苏E12345", "苏EA1234D", "苏E 1234学", "苏E1234挂", "苏A1234警"):
        assert mask(f"车牌{plate}。") == f"车牌{PLATE_TAG}。", plate


def test_product_names_are_not_plates() -> None:
    text = "购买新iPhone 15和云MAX Pro各一台"
    assert mask(text) == text


# ---------------------------------------------------------------- addresses


def test_address_keeps_city_and_district_only() -> None:
    assert mask("家住苏州市吴中区长桥街道宝带西路100号3幢201室") == f"家住苏州市吴中区{ADDRESS_TAG}"
    assert mask("住址：苏州工业园区星湖街328号") == f"住址：苏州工业园区{ADDRESS_TAG}"


def test_address_without_details_stays() -> None:
    for text in ("住址不详", "家住苏州市吴中区，", "地址同上"):
        assert mask(text) == text


def test_household_numbers_go_even_without_cue() -> None:
    assert mask("在阳光花园3幢201室家中") == f"在阳光花园{ADDRESS_TAG}家中"


def test_shops_and_hotels_stay() -> None:
    for text in (
        "在苏州东吴汽车销售服务有限公司购买",
        "在万达广场3楼某品牌店购买",
        "住在苏州某某大酒店期间",
        "门店地址：苏州市姑苏区观前街88号",
        "该店位于苏州市吴中区东吴北路88号",
    ):
        assert mask(text) == text


# ---------------------------------------------------------------- edges


def test_empty_and_plain_text() -> None:
    assert mask("") == ""
    assert mask("   ") == "   "
    text = "被投诉人苏州东吴汽车销售服务有限公司未按约定交车。"
    assert mask(text) == text


def test_whitespace_outside_masked_spans_is_kept() -> None:
    text = "  消费者张伟\n于2026年3月\t购买，电话 13812345678 。\n"
    assert mask(text) == f"  消费者张某\n于2026年3月\t购买，电话 {PHONE_TAG} 。\n"


def test_known_names_are_cleaned_and_short_ones_ignored() -> None:
    assert mask("张伟称", [" 张伟 "]) == "张某称"
    assert mask("张伟先生称", ["张伟先生"]) == "张先生称"
    assert mask("伟大的产品", ["伟", ""]) == "伟大的产品"
