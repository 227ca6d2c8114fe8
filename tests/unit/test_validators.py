"""Tests for desktop.domain.validators: real published codes pass, altered ones fail with clear messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from desktop.domain import validators as v
from desktop.domain.errors import FieldError
from desktop.domain.validators import (
    CREDIT_CODE_CHARS,
    check_amount,
    check_credit_code,
    check_id_number,
    check_landline,
    check_mobile,
    check_not_future,
    check_phone,
    check_required,
    credit_code_check_char,
    id_number_check_digit,
    mask_id_number,
    mask_name,
    mask_phone,
)

# Unified social credit codes published by the companies / institutions themselves (business
# licences, annual reports, GLEIF "registeredAs"). Each was re-checked by hand against the
# GB 32100-2015 weights before being listed here; none is produced by the code under test.
REAL_CREDIT_CODES = [
    pytest.param("914403001922038216", id="华为技术有限公司"),
    pytest.param("91440300708461136T", id="深圳市腾讯计算机系统有限公司"),
    pytest.param("9144030071526726XG", id="腾讯科技（深圳）有限公司"),
    pytest.param("91330100799655058B", id="阿里巴巴（中国）有限公司"),
    pytest.param("91110108551385082Q", id="小米科技有限责任公司"),
    pytest.param("91100000100003962T", id="中国工商银行股份有限公司"),
    pytest.param("9144030010001686XA", id="招商银行股份有限公司"),
    pytest.param("91440300192317458F", id="比亚迪股份有限公司"),
    pytest.param("91440300100012316L", id="中国平安保险（集团）股份有限公司"),
    pytest.param("91440400192548256N", id="珠海格力电器股份有限公司"),
    pytest.param("91110000710925462X", id="中国石油天然气股份有限公司"),
    # Registration authority 1 (机构编制) + category 2 (事业单位): universities.
    pytest.param("12100000425006117P", id="复旦大学"),
    pytest.param("12100000470095016Q", id="浙江大学"),
]


def _fails(func: Callable[..., object], *args: object, **kwargs: object) -> FieldError:
    with pytest.raises(FieldError) as info:
        func(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------- 统一社会信用代码


@pytest.mark.parametrize("code", REAL_CREDIT_CODES)
def test_real_credit_codes_pass(code: str) -> None:
    assert check_credit_code(code) == code
    assert credit_code_check_char(code[:17]) == code[17]


# No real code above ends in Y or 0, the two ends of "31 - sum % 31, 31 → 0". These are
# synthetic (Huawei's code with position 17 altered); their weighted sums, worked out
# independently, are ≡ 1 and ≡ 0 (mod 31).
@pytest.mark.parametrize(
    ("first17", "check"), [("91440300192203829", "Y"), ("9144030019220382Y", "0")]
)
def test_credit_check_char_at_the_ends_of_the_range(first17: str, check: str) -> None:
    assert credit_code_check_char(first17) == check
    assert check_credit_code(first17 + check) == first17 + check


def test_credit_code_alphabet_leaves_out_i_o_z_s_v() -> None:
    assert len(CREDIT_CODE_CHARS) == 31
    assert not set("IOZSV") & set(CREDIT_CODE_CHARS)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("91440300708461136t", "91440300708461136T"),
        (" 9144 0300 7084 6113 6T ", "91440300708461136T"),
        ("９１４４０３００１９２２０３８２１６", "914403001922038216"),  # full-width IME input
    ],
)
def test_credit_code_is_normalised(typed: str, expected: str) -> None:
    assert check_credit_code(typed) == expected


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        # last character changed: Huawei's check character is 6
        ("914403001922038217", "校验位不正确：应为 6，实际为 7"),
        # one body character changed (position 16: 2 → 3)
        ("914403001922038316", "校验位不正确：应为 7，实际为 6"),
        # two adjacent body characters transposed (38 → 83)
        ("914403001922083216", "校验位不正确：应为 X，实际为 6"),
        ("91440300192203821", "应为 18 位，实际 17 位"),
        ("9144030019220382166", "应为 18 位，实际 19 位"),
        ("91440300I922038216", "第 9 位字符 'I' 不允许（不使用 I、O、Z、S、V）"),
        ("9144O3001922038216", "第 5 位字符 'O' 不允许"),
        ("91440300192203821Z", "第 18 位字符 'Z' 不允许"),
        ("S14403001922038216", "第 1 位字符 'S' 不允许"),
        ("914403001922V38216", "第 13 位字符 'V' 不允许"),
        ("9144030019220382_6", "第 17 位字符 '_' 不允许：只能是数字或大写字母"),
        # correct check characters, but no such registration authority in the standard's table
        ("01440300192203821F", "第 1 位（登记管理部门代码）'0' 不正确：应为 1–9、A、N 或 Y"),
        ("B14403001922038214", "登记管理部门代码）'B' 不正确"),
        ("   ", "不能为空"),
    ],
)
def test_bad_credit_codes_are_refused(code: str, fragment: str) -> None:
    error = _fails(check_credit_code, code)
    assert error.field == "统一社会信用代码"
    assert fragment in error.message


def test_credit_code_uses_given_field_label() -> None:
    error = _fails(check_credit_code, "914403001922038217", field="被投诉方信用代码")
    assert error.field == "被投诉方信用代码"
    assert str(error).startswith("「被投诉方信用代码」")


@pytest.mark.parametrize("bad", ["9144030019220382", "91440300192203821I"])
def test_credit_code_check_char_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        credit_code_check_char(bad)


# ---------------------------------------------------------------- 身份证号码

TODAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),  # GB 11643-1999 example
        ("44052418800101001", "4"),  # GB 11643-1999 example
        ("32010219900307425", "3"),
    ],
)
def test_id_check_digit_matches_standard_examples(first17: str, check: str) -> None:
    assert id_number_check_digit(first17) == check


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        ("320102 19900307 4253", "320102199003074253"),
        ("44030419851015123X", "44030419851015123X"),
        ("110105200002290021", "110105200002290021"),  # 2000 was a leap year
        ("110105190001010028", "110105190001010028"),  # earliest accepted birth date
        ("110105202406010021", "110105202406010021"),  # born today
    ],
)
def test_valid_id_numbers_pass(typed: str, expected: str) -> None:
    assert check_id_number(typed, today=TODAY) == expected


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("110105194912310021", "校验码不正确：应为 X，实际为 1"),
        # day and month digits transposed: still a real date, caught by the check digit
        ("11010519491213002X", "校验码不正确：应为 9，实际为 X"),
        ("11010519491231002", "应为 18 位，实际 17 位"),
        ("110105491231002", "15 位旧号码请改填 18 位新号码"),
        ("1101051949123100X2", "第 17 位字符 'X' 不允许：前 17 位只能是数字"),
        ("11010519491231002A", "第 18 位（校验码）'A' 不允许"),
        ("110105199902300023", "出生日期 19990230 不是有效日期"),  # check digit is right
        ("110105190002290025", "出生日期 19000229 不是有效日期"),  # 1900 was no leap year
        ("11010520250101002X", "出生日期 2025-01-01 晚于今天（2024-06-01）"),
        ("110105202406020027", "晚于今天"),
        ("110105189912310023", "早于 1900-01-01"),
        # the standard's own example has a correct check digit but a birth date in 1880
        ("440524188001010014", "出生日期 1880-01-01 早于 1900-01-01"),
        ("", "不能为空"),
    ],
)
def test_bad_id_numbers_are_refused(number: str, fragment: str) -> None:
    error = _fails(check_id_number, number, today=TODAY)
    assert error.field == "身份证号码"
    assert fragment in error.message


# ---------------------------------------------------------------- 电话


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8619912345678", "19912345678"),
        ("１５０１２３４５６７８", "15012345678"),
    ],
)
def test_valid_mobiles(typed: str, expected: str) -> None:
    assert check_mobile(typed) == expected


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("1381234567", "应为 11 位数字，实际 10 位"),
        ("138123456789", "应为 11 位数字，实际 12 位"),
        ("12812345678", "应以 13–19 开头，实际以 '12' 开头"),
        ("23812345678", "应以 13–19 开头"),
        ("1381234567a", "只能包含数字"),
        (" ", "不能为空"),
    ],
)
def test_bad_mobiles(typed: str, fragment: str) -> None:
    error = _fails(check_mobile, typed)
    assert error.field == "手机号码"
    assert fragment in error.message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0512-65221234", "0512-65221234"),
        ("051265221234", "0512-65221234"),
        ("025-8123456", "025-8123456"),
        ("0258123456", "025-8123456"),
        ("02581234567", "025-81234567"),  # 02X codes are 3 digits, so no "0258-1234567"
        ("010 6512 3456", "010-65123456"),
        ("(0512)65221234", "0512-65221234"),
        ("0512-65221234-123", "0512-65221234-123"),
        ("0512-65221234转8001", "0512-65221234-8001"),
        ("051265221234转12", "0512-65221234-12"),
        ("400-810-8888", "400-810-8888"),
        ("4008108888", "400-810-8888"),
        ("800 820 8820", "800-820-8820"),
        ("400-810-8888转5", "400-810-8888-5"),
    ],
)
def test_valid_landlines(typed: str, expected: str) -> None:
    assert check_landline(typed) == expected


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("0512-652212", "区号 0512 后的号码应为 7–8 位，实际 6 位"),
        ("0512-652212345", "实际 9 位"),
        ("0251-2345678", "区号 0251 不正确：010、02X 为 3 位，其余区号为 4 位"),
        ("512-65221234", "应为区号加 7–8 位号码"),
        ("401-810-8888", "400/800 服务号码"),
        ("13812345678", "应为区号加 7–8 位号码"),
    ],
)
def test_bad_landlines(typed: str, fragment: str) -> None:
    error = _fails(check_landline, typed)
    assert error.field == "固定电话"
    assert fragment in error.message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+86 139-1234-5678", "13912345678"),
        ("0512-65221234", "0512-65221234"),
        ("4008108888", "400-810-8888"),
    ],
)
def test_phone_takes_mobile_or_landline(typed: str, expected: str) -> None:
    assert check_phone(typed) == expected


def test_phone_message_says_both_were_tried() -> None:
    error = _fails(check_phone, "12345")
    assert error.field == "联系电话"
    assert "既不是手机号码" in error.message
    assert "也不是固定电话" in error.message


def test_empty_phone_is_reported_as_missing() -> None:
    assert _fails(check_phone, "").message == "不能为空"


# ---------------------------------------------------------------- 必填、金额、日期


def test_required_strips_value() -> None:
    assert check_required("  张三  ", "投诉人姓名") == "张三"


@pytest.mark.parametrize("value", [None, "", "   ", "\t\n"])
def test_required_refuses_blank(value: str | None) -> None:
    error = _fails(check_required, value, "投诉人姓名")
    assert str(error) == "「投诉人姓名」不能为空"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,234.5", Decimal("1234.50")),
        ("1234.50", Decimal("1234.50")),
        ("¥12", Decimal("12.00")),
        ("￥1,000,000元", Decimal("1000000.00")),
        ("0", Decimal("0.00")),
        ("-0", Decimal("0.00")),
        ("1.500", Decimal("1.50")),
        (250, Decimal("250.00")),
        (Decimal("99.9"), Decimal("99.90")),
        (0.1, Decimal("0.10")),
        (19.99, Decimal("19.99")),
        ("100,000,000.00", Decimal("100000000.00")),
    ],
)
def test_valid_amounts(value: str | int | Decimal | float, expected: Decimal) -> None:
    result = check_amount(value)
    assert result == expected
    assert result.as_tuple().exponent == -2  # always two decimals, for display and storage
    assert not result.is_signed()


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (None, "不能为空"),
        ("", "不能为空"),
        ("  ", "不能为空"),
        ("-5", "不能为负数，实际为 -5"),
        (-0.01, "不能为负数"),
        ("1.234", "最多两位小数（精确到分），实际为 1.234"),
        (Decimal("0.005"), "最多两位小数"),
        ("100000000.01", "金额过大：不能超过 100,000,000.00 元"),
        (10**40, "金额过大"),
        ("1,23,4", "不是有效金额"),
        ("1_000", "不是有效金额"),
        ("1e5", "不是有效金额"),
        ("NaN", "不是有效金额"),
        ("十二元", "不是有效金额"),
        (Decimal("Infinity"), "不是有效金额"),
        (float("nan"), "不是有效金额"),
    ],
)
def test_bad_amounts(value: str | int | Decimal | float | None, fragment: str) -> None:
    error = _fails(check_amount, value)
    assert error.field == "涉案金额"
    assert fragment in error.message


def test_amount_refuses_bool() -> None:
    with pytest.raises(TypeError):
        check_amount(True)  # type: ignore[arg-type]


NOW = datetime(2024, 6, 1, 12, 0)


@pytest.mark.parametrize(
    "value",
    [
        date(2024, 6, 1),
        date(2020, 1, 1),
        datetime(2024, 6, 1, 12, 0),
        datetime(2024, 6, 1, 12, 5),  # within the five-minute clock-skew allowance
        datetime(2023, 12, 31, 23, 59),
    ],
)
def test_not_future_accepts_past_and_present(value: date) -> None:
    assert check_not_future(value, "投诉日期", now=NOW) == value


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (date(2024, 6, 2), "不能是将来的日期：填写的是 2024-06-02，今天是 2024-06-01"),
        (
            datetime(2024, 6, 1, 12, 6),
            "不能晚于当前时间：填写的是 2024-06-01 12:06，当前为 2024-06-01 12:00",
        ),
        (datetime(2025, 1, 1), "不能晚于当前时间"),
    ],
)
def test_not_future_refuses_future(value: date, fragment: str) -> None:
    error = _fails(check_not_future, value, "受理时间", now=NOW)
    assert error.field == "受理时间"
    assert fragment in error.message


def test_not_future_with_aware_datetimes() -> None:
    beijing = timezone(timedelta(hours=8))
    now = datetime(2024, 6, 1, 12, 0, tzinfo=beijing)
    three_past_utc = datetime(2024, 6, 1, 4, 3, tzinfo=UTC)
    assert check_not_future(three_past_utc, "时间", now=now) == three_past_utc
    with pytest.raises(FieldError):
        check_not_future(datetime(2024, 6, 1, 4, 6, tzinfo=UTC), "时间", now=now)


def test_not_future_defaults_to_the_real_clock() -> None:
    assert check_not_future(date(2000, 1, 1), "日期") == date(2000, 1, 1)
    with pytest.raises(FieldError):
        check_not_future(datetime.now() + timedelta(hours=1), "时间")


# ---------------------------------------------------------------- 脱敏


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0512-65221234", "051******1234"),
        ("65221234", "****1234"),  # local number only: no prefix shown
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_mask_phone(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("320102199003071234", "320102********1234"),
        ("11010519491231002X", "110105********002X"),
        ("110105491231002", "110105*****1002"),  # old 15-digit number
        ("1234", "****"),
    ],
)
def test_mask_id_number(value: str, masked: str) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三", "张*"),
        ("王小明", "王**"),
        ("欧阳娜娜", "欧阳**"),
        ("欧阳修", "欧阳*"),
        ("司马相如", "司马**"),
        ("诸葛亮", "诸葛*"),
        ("令狐冲", "令狐*"),
        ("欧阳", "欧*"),  # two characters: surname 欧 and given name 阳
        ("李", "*"),
        (" 赵六 ", "赵*"),
        ("", ""),
    ],
)
def test_mask_name(value: str, masked: str) -> None:
    assert mask_name(value) == masked


# -- lengths and the earliest date (issue 14, item 7) --------------------------------------------
def test_check_length_names_the_limit_and_the_length() -> None:
    assert v.check_length("字" * 60, "投诉人姓名", 60) == "字" * 60
    assert v.check_length(None, "说明", 10) is None
    with pytest.raises(FieldError) as err:
        v.check_length("字" * 61, "投诉人姓名", 60)
    assert str(err.value) == "「投诉人姓名」不能超过 60 个字（现有 61 个）"


def test_check_text_takes_the_limit_and_label_from_the_contract() -> None:
    with pytest.raises(FieldError) as err:
        v.check_text("complaints", "facts", "事" * 5200)
    assert str(err.value) == "「事实与理由」不能超过 5000 个字（现有 5200 个）"
    with pytest.raises(FieldError, match="「地点」不能超过 200 个字"):
        v.check_text("mediation_records", "place", "地" * 201, "地点")
    with pytest.raises(KeyError):
        v.check_text("complaints", "received_at", "2026-11-20")


def test_dates_before_1990_are_typos() -> None:
    assert v.check_not_before(date(1990, 1, 1), "购买日期") == date(1990, 1, 1)
    with pytest.raises(FieldError, match="「购买日期」不能早于 1990-01-01：填写的是 1850-01-01"):
        v.check_not_before(date(1850, 1, 1), "购买日期")
    with pytest.raises(FieldError, match="「接收时间」不能早于 1990-01-01：填写的是 1899-12-31"):
        v.check_date(datetime(1899, 12, 31, 23, 59), "接收时间", datetime(2026, 11, 20, 10))
    with pytest.raises(FieldError, match="不能晚于当前时间"):
        v.check_date(datetime(2026, 11, 21, 9), "调解时间", datetime(2026, 11, 20, 10))


def test_messages_quote_only_the_start_of_a_long_value() -> None:
    with pytest.raises(FieldError) as err:
        v.check_phone("1" * 100_000, "投诉人电话")
    assert len(str(err.value)) < 300
    with pytest.raises(FieldError) as err:
        v.check_amount("x" * 100_000)
    assert len(str(err.value)) < 200


def test_phone_message_is_short_when_the_value_is_no_landline_at_all() -> None:
    # Under the registration form's field: two lines, not the landline's whole help.
    error = _fails(check_phone, "1381234")
    assert error.message == "既不是手机号码（应为 11 位数字，实际 7 位），也不是固定电话（如 0512-65221234）"
    assert "区号 051 不正确" in _fails(check_phone, "051-1234567").message  # specific ones stay
