"""One cell as a person reads it: dates typed every way, full-width digits, phones stored as
numbers, amounts with 元 and commas. Each reader returns (value, problem): a problem is a short
Chinese sentence, and the value is None when the cell cannot be read."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

# Excel's day 0 (with its 1900 leap-year bug folded in: serials from 61 on count from here).
_EXCEL_EPOCH = datetime(1899, 12, 30)
# Serial numbers a ledger of 1990–2099 can hold (1990-01-01 = 32874, 2099-12-31 = 73050).
_SERIAL_RANGE = (32874, 73051)
_DATE_RE = re.compile(
    r"^(?P<y>\d{4})\s*[年./\-]\s*(?P<m>\d{1,2})\s*[月./\-]\s*(?P<d>\d{1,2})\s*[日号]?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?\s*秒?)?\s*$")
_COMPACT_DATE_RE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
# A cell that says "nothing here" in the ways ledgers say it.
_NOTHING = {"", "-", "—", "——", "--", "/", "／", "无", "空", "none", "null", "n/a", "na", "#N/A"}
_AMOUNT_NOISE = re.compile(r"[元圆块¥￥,，\s]|人民币|RMB", re.IGNORECASE)
_PHONE_RE = re.compile(r"^[0-9+()\-—–/、,，;；\s]{5,40}$")


def half_width(text: str) -> str:
    """Full-width digits, letters and punctuation as their ordinary forms (１３８ → 138)."""
    return unicodedata.normalize("NFKC", text)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """A cell as text, kept as written (李女士 stays 李女士): trimmed, a number without its
    stray .0, a date as its day, line breaks kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    out = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    return out.strip()


def nothing(value: Any) -> bool:
    """Blank, or a dash or 无 standing for blank."""
    return is_blank(value) or (isinstance(value, str) and half_width(value).strip().lower()
                               in _NOTHING)


def _checked(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime | None:
    try:
        return datetime(y, m, d, hh, mm, ss)
    except ValueError:
        return None


def when(value: Any) -> tuple[datetime | None, str | None]:
    """A date (and time, when the cell has one): an Excel date, an Excel serial number, or text
    such as 2024年1月3日, 2024.1.3, 2024/1/3, 2024-01-03, 20240103 (full-width digits too)."""
    if nothing(value):
        return None, None
    if isinstance(value, datetime):
        return value.replace(microsecond=0), None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value < _SERIAL_RANGE[1]:
            at = _EXCEL_EPOCH + timedelta(days=float(value))
            return at.replace(microsecond=0), None
        if 19900101 <= value <= 20991231 and float(value).is_integer():
            return when(str(int(value)))
        return None, f"「{text(value)}」不是日期"
    raw = text(value)
    s = half_width(raw).strip()
    match = _DATE_RE.match(s) or _COMPACT_DATE_RE.match(s)
    if match:
        parts = match.groupdict()
        found = _checked(int(parts["y"]), int(parts["m"]), int(parts["d"]),
                         int(parts.get("H") or 0), int(parts.get("M") or 0),
                         int(parts.get("S") or 0))
        if found is not None:
            return found, None
    try:  # a serial number typed as text
        number = float(s)
    except ValueError:
        return None, f"「{raw[:20]}」不是日期"
    return when(number) if _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1] \
        else (None, f"「{raw[:20]}」不是日期")


def day(value: Any) -> tuple[date | None, str | None]:
    at, problem = when(value)
    return (at.date() if at else None), problem


def phone(value: Any) -> tuple[str, str | None]:
    """A phone as its digits: 13277204056.0 (stored as a number) is 13277204056; a cell with two
    phones keeps both as written."""
    if nothing(value):
        return "", None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = half_width(text(value)).strip()
    if not _PHONE_RE.match(s) or sum(ch.isdigit() for ch in s) < 5:
        return s[:40], f"「{s[:20]}」不像电话号码"
    return s[:40], None


def amount(value: Any) -> tuple[Decimal | None, str | None]:
    """Yuan: 1200, 1,200.50, 1200元, ￥1200, 1.2万; — or blank is none."""
    if nothing(value):
        return None, None
    if isinstance(value, bool):
        return None, "金额应为数字"
    if isinstance(value, (int, float)):
        return Decimal(str(value)).quantize(Decimal("0.01")), None
    raw = text(value)
    s = _AMOUNT_NOISE.sub("", half_width(raw))
    scale = Decimal(1)
    if s.endswith("万"):
        s, scale = s[:-1], Decimal(10000)
    try:
        number = Decimal(s) * scale
    except InvalidOperation:
        return None, f"「{raw[:20]}」不是金额"
    if number < 0:
        return None, f"「{raw[:20]}」是负数"
    return number.quantize(Decimal("0.01")), None
