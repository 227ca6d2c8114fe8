"""What the disclosure files share: their columns, texts, the month's period and the file names."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from desktop.exports.data import EnterpriseLine, PublicList

LIST_COLUMNS = ("序号", "投诉单号", "投诉时间", "被投诉方", "投诉内容", "成功与否")
CORRECTED_COLUMN = "更正日期"  # added to LIST_COLUMNS when any entry was corrected
ENTERPRISE_COLUMNS = ("被投诉方", "统一社会信用代码", "受理件数", "办结件数", "调解件数",
                      "调解成功件数", "调解成功率")
CORRECTION_COLUMNS = ("投诉单号", "更正日期", "更正说明")

CSV_DATETIME_FORMAT = "%Y-%m-%d %H:%M"  # 投诉时间 in the CSV file
DATE_FORMAT = "%Y-%m-%d"

SUCCESS_TEXT = {True: "成功", False: "不成功"}

# A field a spreadsheet might take for a formula (OWASP "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ----------------------------------------------------------------------------------- helpers
def looks_like_formula(text: str) -> bool:
    """True for a text a spreadsheet could evaluate: it starts with = + - @ tab or CR, also
    after leading blanks (Excel ignores them: `` =1+1`` is a formula too)."""
    return text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START)




def revision_text(pl: PublicList) -> str:
    return f"更正版（第 {pl.revision} 次更正）" if pl.revision > 0 else ""


def has_corrected_rows(pl: PublicList) -> bool:
    return any(e.corrected_on is not None for e in pl.entries)


def list_columns(pl: PublicList) -> tuple[str, ...]:
    return LIST_COLUMNS + ((CORRECTED_COLUMN,) if has_corrected_rows(pl) else ())


def rate_text(line: EnterpriseLine) -> str:
    rate = line.success_rate
    return "" if rate is None else f"{rate * 100:.1f}%"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def month_period(pl: PublicList) -> tuple[date, date]:
    first = pl.month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


def period_text(pl: PublicList) -> str:
    first, last = month_period(pl)
    return f"{cn_date(first)}至{cn_date(last)}"


# --------------------------------------------------------------------------------- file names
_WINDOWS_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def _name_part(text: str) -> str:
    text = _WINDOWS_FORBIDDEN.sub("", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", " ", text).strip(" .")


def file_stem(pl: PublicList) -> str:
    """``消费投诉公示-<issuer>[-<scope>]-YYYY-MM[-更正n]``, safe as a Windows file name.

    The scope is named only when the issuer's name does not already contain it (a district
    bureau publishing a sub-bureau's list), so two lists of one month never share a name.
    """
    issuer, scope = _name_part(pl.issuer), _name_part(pl.scope)
    parts = ["消费投诉公示", issuer or "公示"]
    if scope and scope not in issuer:
        parts.append(scope)
    parts.append(f"{pl.month.year:04d}-{pl.month.month:02d}")
    if pl.revision > 0:
        parts.append(f"更正{pl.revision}")
    return "-".join(parts)

