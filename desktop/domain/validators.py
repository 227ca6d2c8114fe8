"""Check and normalise user-typed identifiers, phones, amounts and dates; mask personal data for lists."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from desktop.domain.errors import FieldError

# ---------------------------------------------------------------- shared helpers

_SPACES = re.compile(r"\s+")


def _shown(value: str, limit: int = 30) -> str:
    """What the user typed, for a message: the start of it if it is long."""
    text = value.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _clean(value: str) -> str:
    # NFKC turns full-width input from Chinese IMEs (１３８、ＡＢＣ、－、（）) into ASCII,
    # then all whitespace goes: people paste codes with spaces every few characters.
    return _SPACES.sub("", unicodedata.normalize("NFKC", value))


# ---------------------------------------------------------------- 统一社会信用代码 (GB 32100-2015)

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_FORBIDDEN = "IOZSV"
# 登记管理部门代码 in the published table: 1 机构编制 2 外交 3 司法行政 4 文化 5 民政 6 旅游
# 7 宗教 8 工会 9 工商 A 中央军委改革和编制办公室 N 农业 Y 其他. Not only 1/5/9/Y: law firms
# (31…) and village collectives (N2…) hold real codes too, so the whole table is accepted.
_REGISTRATION_AUTHORITIES = "123456789ANY"


def credit_code_check_char(first17: str) -> str:
    """Check character (position 18) for the first 17 characters of a unified social credit code."""
    if len(first17) != 17 or any(c not in CREDIT_CODE_CHARS for c in first17):
        raise ValueError(f"需要 17 位合法代码字符，收到 {first17!r}")
    total = sum(
        CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def check_credit_code(value: str, field: str = "统一社会信用代码") -> str:
    code = _clean(value).upper()
    if not code:
        raise FieldError(field, "不能为空")
    if len(code) != 18:
        raise FieldError(field, f"应为 18 位，实际 {len(code)} 位")
    for pos, ch in enumerate(code, start=1):
        if ch in _CREDIT_FORBIDDEN:
            raise FieldError(field, f"第 {pos} 位字符 '{ch}' 不允许（不使用 I、O、Z、S、V）")
        if ch not in CREDIT_CODE_CHARS:
            raise FieldError(
                field,
                f"第 {pos} 位字符 '{ch}' 不允许：只能是数字或大写字母（不使用 I、O、Z、S、V）",
            )
    if code[0] not in _REGISTRATION_AUTHORITIES:
        raise FieldError(
            field, f"第 1 位（登记管理部门代码）'{code[0]}' 不正确：应为 1–9、A、N 或 Y"
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise FieldError(field, f"校验位不正确：应为 {expected}，实际为 {code[17]}，请逐位核对")
    return code


# ---------------------------------------------------------------- 居民身份证号码 (GB 11643-1999)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_MAP = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)  # a complainant born earlier cannot be alive: it is a typo


def id_number_check_digit(first17: str) -> str:
    """Check digit (position 18) for the first 17 digits of a resident ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"需要 17 位数字，收到 {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_MAP[total % 11]


def check_id_number(value: str, field: str = "身份证号码", today: date | None = None) -> str:
    number = _clean(value).upper()  # 'x' is a common way to type the check digit X
    if not number:
        raise FieldError(field, "不能为空")
    if len(number) != 18:
        hint = "（15 位旧号码请改填 18 位新号码）" if len(number) == 15 else ""
        raise FieldError(field, f"应为 18 位，实际 {len(number)} 位{hint}")
    for pos, ch in enumerate(number[:17], start=1):
        if not ("0" <= ch <= "9"):
            raise FieldError(field, f"第 {pos} 位字符 '{ch}' 不允许：前 17 位只能是数字")
    if not ("0" <= number[17] <= "9" or number[17] == "X"):
        raise FieldError(field, f"第 18 位（校验码）'{number[17]}' 不允许：只能是数字或 X")
    raw = number[6:14]
    try:
        birth = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        raise FieldError(field, f"第 7–14 位出生日期 {raw} 不是有效日期") from None
    today = today or date.today()
    if birth < _EARLIEST_BIRTH:
        raise FieldError(field, f"出生日期 {birth.isoformat()} 早于 1900-01-01，请核对")
    if birth > today:
        raise FieldError(
            field, f"出生日期 {birth.isoformat()} 晚于今天（{today.isoformat()}），请核对"
        )
    expected = id_number_check_digit(number[:17])
    if number[17] != expected:
        raise FieldError(field, f"校验码不正确：应为 {expected}，实际为 {number[17]}，请逐位核对")
    return number


# ---------------------------------------------------------------- 电话

_MOBILE = re.compile(r"1[3-9]\d{9}")
_EXT = r"(?:(?:-|转)(?P<ext>\d{1,6}))?"
_SERVICE = re.compile(r"(?P<kind>[48]00)-?(?P<a>\d{3})-?(?P<b>\d{4})" + _EXT)
_LANDLINE_SPLIT = re.compile(r"(?P<area>0\d{2,3})-(?P<local>\d+)" + _EXT)
_LANDLINE_JOINED = re.compile(r"(?P<digits>0\d+?)" + _EXT)
_LANDLINE_HELP = "应为区号加 7–8 位号码（如 0512-65221234、025-8123456，可带分机 -123 或 转123），或 400/800 服务号码"


_DOCUMENT = re.compile(r"[0-9A-Z]{5,18}")


def check_document_number(value: str, field: str = "证件号码") -> str:
    """A passport's or a travel permit's number: letters and digits (typed with spaces or in
    full width, stored without), 5–18 of them."""
    number = _clean(value).replace("-", "").upper()
    if not _DOCUMENT.fullmatch(number):
        raise FieldError(field, f"「{_shown(value)}」应为 5–18 位字母或数字")
    return number


def check_mobile(value: str, field: str = "手机号码") -> str:
    s = _clean(value).replace("-", "")
    if not s:
        raise FieldError(field, "不能为空")
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("86") and len(s) == 13:  # 86 only counts as a prefix when 11 digits follow
        s = s[2:]
    if not (s.isascii() and s.isdigit()):
        raise FieldError(field, f"只能包含数字，实际为 '{_shown(value)}'")
    if len(s) != 11:
        raise FieldError(field, f"应为 11 位数字，实际 {len(s)} 位")
    if not _MOBILE.fullmatch(s):
        raise FieldError(field, f"应以 13–19 开头，实际以 '{s[:2]}' 开头")
    return s


def _area_length(number: str) -> int:
    # China's numbering plan: 010 and 02X are the only three-digit area codes; every
    # other code (03XX–09XX) has four. This is what lets us split "051265221234".
    return 3 if number[1] in "12" else 4


def check_landline(value: str, field: str = "固定电话") -> str:
    s = _clean(value)
    if not s:
        raise FieldError(field, "不能为空")
    s = s.replace("(", "").replace(")", "-").replace("--", "-")  # "(0512)65221234"
    if m := _SERVICE.fullmatch(s):
        ext = f"-{m['ext']}" if m["ext"] else ""
        return f"{m['kind']}-{m['a']}-{m['b']}{ext}"
    if m := _LANDLINE_SPLIT.fullmatch(s):
        area, local = m["area"], m["local"]
    elif m := _LANDLINE_JOINED.fullmatch(s):
        cut = _area_length(m["digits"])
        area, local = m["digits"][:cut], m["digits"][cut:]
    else:
        raise FieldError(field, f"{_LANDLINE_HELP}，实际为 '{_shown(value)}'")
    if len(area) != _area_length(area):
        raise FieldError(field, f"区号 {area} 不正确：010、02X 为 3 位，其余区号为 4 位")
    if not 7 <= len(local) <= 8:
        raise FieldError(field, f"区号 {area} 后的号码应为 7–8 位，实际 {len(local)} 位")
    ext = f"-{m['ext']}" if m["ext"] else ""
    return f"{area}-{local}{ext}"


def check_phone(value: str, field: str = "联系电话") -> str:
    try:
        return check_mobile(value, field)
    except FieldError as mobile_error:
        try:
            return check_landline(value, field)
        except FieldError as landline_error:
            if not _clean(value):
                raise FieldError(field, "不能为空") from None
            # Short enough for two lines under the field: the landline's long help (every form
            # it takes) only as one example when the value is no landline at all.
            landline = landline_error.message
            if landline.startswith(_LANDLINE_HELP):
                landline = "如 0512-65221234"
            raise FieldError(
                field,
                f"既不是手机号码（{mobile_error.message}），也不是固定电话（{landline}）",
            ) from None


# ---------------------------------------------------------------- 必填、金额、日期


def check_required(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise FieldError(field, "不能为空")
    return text


def check_length(value: str | None, field: str, limit: int | None) -> str | None:
    """`value` as given, or FieldError naming the field, the limit and how long it is."""
    if value is not None and limit is not None and len(value) > limit:
        raise FieldError(field, f"不能超过 {limit} 个字（现有 {len(value)} 个）")
    return value


def check_text(entity: str, name: str, value: str | None, field: str | None = None) -> str | None:
    """A travelling record's text field against the wire contract's length (`contract.RULES`),
    so the office refuses at entry what the district hub would refuse. `field` is the label the
    form shows, when it differs from the contract's."""
    # Imported here: the contract imports domain.disclosure, which imports masking, which
    # imports this module.
    from desktop.domain import contract

    limit = contract.text_limit(entity, name)
    if limit is None:
        raise KeyError(f"{entity}.{name} has no text rule in the contract")
    return check_length(value, field or contract.label(entity, name), limit)


_MAX_AMOUNT = Decimal("100000000.00")
_CENT = Decimal("0.01")
_PLAIN_NUMBER = re.compile(r"-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?")


def check_amount(value: str | int | Decimal | float | None, field: str = "涉案金额") -> Decimal:
    if isinstance(value, bool):  # bool is an int subclass; True as ¥1 would hide a bug
        raise TypeError("金额不能是布尔值")
    if value is None or (isinstance(value, str) and not _clean(value)):
        raise FieldError(field, "不能为空")
    if isinstance(value, str):
        text = _clean(value).removeprefix("¥").removesuffix("元")  # NFKC made ￥ into ¥
        # Decimal() alone would also take "1_000", "1e5" and "NaN"; only plain amounts are allowed.
        if not _PLAIN_NUMBER.fullmatch(text):
            raise FieldError(
                field, f"'{_shown(value)}' 不是有效金额，应为数字，如 1234.50 或 1,234.50"
            )
        amount = Decimal(text.replace(",", ""))
    else:
        try:  # floats go through str() so 0.1 stays 0.1 instead of 0.1000000000000000055…
            amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise FieldError(field, f"'{_shown(str(value))}' 不是有效金额") from None
        if not amount.is_finite():
            raise FieldError(field, f"'{value}' 不是有效金额")
    if amount < 0:
        raise FieldError(field, f"不能为负数，实际为 {amount}")
    # Size first: quantize() raises InvalidOperation on values with more than 28 digits.
    if amount > _MAX_AMOUNT:
        raise FieldError(
            field, f"金额过大：不能超过 100,000,000.00 元（一亿元），实际为 {amount:,}"
        )
    if amount != amount.quantize(_CENT):  # "1.500" is fine: the value has no fraction of a cent
        raise FieldError(field, f"最多两位小数（精确到分），实际为 {amount}")
    return abs(amount).quantize(_CENT)  # abs() turns "-0" into 0.00


_CLOCK_SKEW = timedelta(minutes=5)
_D = TypeVar("_D", date, datetime)


def check_not_future(value: _D, field: str, now: datetime | None = None) -> _D:
    if isinstance(value, datetime):  # test first: datetime is a subclass of date
        current = now or datetime.now(tz=value.tzinfo)
        # Another PC's clock may run a few minutes ahead; don't reject a time typed as "now".
        if value > current + _CLOCK_SKEW:
            raise FieldError(
                field,
                f"不能晚于当前时间：填写的是 {value:%Y-%m-%d %H:%M}，当前为 {current:%Y-%m-%d %H:%M}",
            )
        return value
    today = (now or datetime.now()).date()
    if value > today:
        raise FieldError(
            field, f"不能是将来的日期：填写的是 {value.isoformat()}，今天是 {today.isoformat()}"
        )
    return value


def check_not_before(value: _D, field: str, earliest: date | None = None) -> _D:
    """No complaint, purchase or meeting of this program's world happened before `earliest`
    (`contract.EARLIEST_DATE`, 1990-01-01): an earlier date is a typo (1899 for 1999) or a
    spreadsheet's zero date, and the district hub would refuse it."""
    from desktop.domain import contract

    earliest = earliest or contract.EARLIEST_DATE
    day = value.date() if isinstance(value, datetime) else value
    if day < earliest:
        raise FieldError(
            field, f"不能早于 {earliest.isoformat()}：填写的是 {day.isoformat()}，请核对年份"
        )
    return value


def check_date(value: _D, field: str, now: datetime | None = None) -> _D:
    """Neither before the program's earliest date nor in the future."""
    return check_not_future(check_not_before(value, field), field, now)


# ---------------------------------------------------------------- 列表显示用的脱敏


def mask_phone(value: str) -> str:
    s = value.strip()
    if len(s) < 8:  # too short to show an end without giving most of it away
        return "*" * len(s)
    head = 3 if len(s) >= 11 else 0  # a mobile's first 3 digits only name the carrier
    return s[:head] + "*" * (len(s) - head - 4) + s[-4:]


def mask_id_number(value: str) -> str:
    s = value.strip()
    if len(s) <= 10:
        return "*" * len(s)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐".split()  # noqa: SIM905
)


def mask_name(value: str) -> str:
    s = value.strip()
    if len(s) <= 1:
        return "*" * len(s)
    # A two-character name such as 欧阳 is read as surname 欧 + given name 阳.
    keep = 2 if len(s) > 2 and s[:2] in _COMPOUND_SURNAMES else 1
    return s[:keep] + "*" * (len(s) - keep)
