"""Complaint numbers unique across offices and their PCs without a network: office code + date +
daily sequence, the sequence taken from the PC's own block (number slot) of the office's day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from desktop.domain.errors import FieldError

OFFICE_CODE_RE = re.compile(r"^[A-Z0-9]{2,12}$")
_NUMBER_RE = re.compile(r"^(?P<office>[A-Z0-9]{2,12})-(?P<day>\d{8})-(?P<seq>\d{4,6})$")


def check_office_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not OFFICE_CODE_RE.match(code):
        raise FieldError("单位代码", "应为 2–12 位大写字母或数字，例如 WZ01、GSFJ")
    return code


# Daily sequences from here up are the district hub's: it numbers the complaints it dispatches
# (分流) under the district's code, which the district's own desk also numbers under.
DISPATCH_SEQUENCE_BASE = 900_000


# Each PC (device) of an office numbers in a block of the day's sequence of its own, given by
# the hub at enrolment: block 0 is 0001–0999 (an office's first PC, and every PC that was
# never enrolled: the numbers a lone PC has always given), block 1 is 1001–1999, block 12 is
# 12001–12999. Read aloud, the first digits say which PC; 999 registrations per PC and day.
NUMBER_BLOCK = 1000
MAX_NUMBER_SLOT = DISPATCH_SEQUENCE_BASE // NUMBER_BLOCK - 1  # 899: below the district's


def slot_range(slot: int) -> range:
    """The daily sequences of a PC's block, e.g. slot 1 → 1001..1999."""
    if not 0 <= slot <= MAX_NUMBER_SLOT:
        raise ValueError("number slot out of range")
    return range(slot * NUMBER_BLOCK + 1, (slot + 1) * NUMBER_BLOCK)


def slot_of(sequence: int) -> int:
    return sequence // NUMBER_BLOCK


def format_number(office_code: str, day: date, sequence: int) -> str:
    """E.g. GSFJ-20261122-0007. Office codes are unique in the district, so numbers are too."""
    if sequence < 1 or sequence > 999_999:
        raise ValueError("sequence out of range")
    return f"{office_code}-{day:%Y%m%d}-{sequence:04d}"


def dispatch_number(district_code: str, day: date, nth: int) -> str:
    """The nth complaint the district dispatches that day, e.g. WZ-20261119-900001."""
    return format_number(district_code, day, DISPATCH_SEQUENCE_BASE + nth)


@dataclass(frozen=True)
class ComplaintNumber:
    office_code: str
    day: date
    sequence: int


def parse_number(text: str) -> ComplaintNumber | None:
    match = _NUMBER_RE.match(text.strip().upper())
    if not match:
        return None
    try:
        day = datetime.strptime(match["day"], "%Y%m%d").date()
    except ValueError:
        return None
    return ComplaintNumber(match["office"], day, int(match["seq"]))
