"""The disclosure list as an .xlsx workbook (sheets 公示清单, 企业汇总 and, when there are
corrections, 更正说明) for the office and the notice boards."""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.exports.data import PublicList
from desktop.exports.disclosure.shared import (
    CORRECTION_COLUMNS,
    DATE_FORMAT,
    ENTERPRISE_COLUMNS,
    LIST_COLUMNS,
    SUCCESS_TEXT,
    list_columns,
    looks_like_formula,
    period_text,
    revision_text,
)

LIST_SHEET = "公示清单"
ENTERPRISES_SHEET = "企业汇总"
CORRECTIONS_SHEET = "更正说明"

EXCEL_HEADER_ROW = 2
"""0-based row of the column headers in every sheet of :func:`to_excel` (worksheet row 3),
the ``header=`` argument of ``pandas.read_excel``: row 1 is the title, row 2 the line with
发布单位/发布日期/审批日期 (and 更正版), then the headers and the data rows."""



# -------------------------------------------------------------------------------------- Excel
_THIN = Side(style="thin", color="FF999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="FFE8EDF3")
_CORRECTED_FILL = PatternFill("solid", fgColor="FFFFF4D6")
_TOP = Alignment(vertical="top")
_TOP_WRAP = Alignment(vertical="top", wrap_text=True)
_TOP_CENTER = Alignment(vertical="top", horizontal="center")
_EXCEL_DATETIME = "yyyy-mm-dd hh:mm"
_EXCEL_DATE = "yyyy-mm-dd"
_LINE_HEIGHT = 15.0  # points per text line at the default 11 pt


def _excel_text(text: str) -> str:
    """Line breaks as Excel keeps them (LF; a CR would not survive the XML), no characters
    the file format forbids."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _put_text(cell: Cell, text: str) -> None:
    """A text cell that Excel never evaluates: always a string (openpyxl would make a text
    starting with ``=`` a formula), with the quote prefix when it begins like a formula."""
    cell.value = _excel_text(text)
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


def _display_width(text: str) -> int:
    """Width in Excel's character units: a CJK (wide) character counts as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines_in(text: str, width: float) -> int:
    """Estimated wrapped lines of a text in a column ``width`` characters wide."""
    usable = max(width - 2, 1)
    return sum(max(1, math.ceil(_display_width(part) / usable)) for part in text.split("\n"))


def _sheet_head(ws: Worksheet, title: str, line: str, columns: Sequence[str]) -> None:
    """Rows 1-3 of every sheet: title, publication line, column headers (EXCEL_HEADER_ROW)."""
    n = len(columns)
    last = get_column_letter(n)
    ws.append([None] * n)
    _put_text(ws.cell(1, 1), title)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    ws.append([None] * n)
    _put_text(ws.cell(2, 1), line)
    ws.cell(2, 1).alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[2].height = 20
    if n > 1:
        ws.merge_cells(f"A1:{last}1")
        ws.merge_cells(f"A2:{last}2")
    header_row = EXCEL_HEADER_ROW + 1
    for col, name in enumerate(columns, start=1):
        cell = ws.cell(header_row, col)
        _put_text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"


def _print_setup(ws: Worksheet, n_rows: int, n_cols: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as needed down
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    header_row = EXCEL_HEADER_ROW + 1
    last = get_column_letter(n_cols)
    ws.print_area = f"A1:{last}{max(header_row + n_rows, header_row)}"
    if n_rows:
        ws.auto_filter.ref = f"A{header_row}:{last}{header_row + n_rows}"


def _publication_line(pl: PublicList) -> str:
    parts = [f"发布单位：{pl.issuer}", f"公示期间：{period_text(pl)}",
             f"发布日期：{pl.published_on.strftime(DATE_FORMAT)}",
             f"审批日期：{pl.approved_on.strftime(DATE_FORMAT)}"]
    if pl.revision > 0:
        parts.append(revision_text(pl))
    return "　".join(parts)


def _list_sheet(ws: Worksheet, pl: PublicList) -> None:
    columns = list_columns(pl)
    corrected = len(columns) > len(LIST_COLUMNS)
    _sheet_head(ws, pl.title, _publication_line(pl) + f"　共 {len(pl.entries)} 件", columns)
    number_width = min(max([14] + [_display_width(e.number) + 3 for e in pl.entries]), 30)
    widths = [6, number_width, 17, 36, 60, 9] + ([12] if corrected else [])
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width

    for r, e in enumerate(pl.entries, start=EXCEL_HEADER_ROW + 2):
        seq = ws.cell(r, 1, e.seq)
        seq.alignment = _TOP_CENTER
        _put_text(ws.cell(r, 2), e.number)
        ws.cell(r, 2).alignment = _TOP
        when = ws.cell(r, 3, e.received_at)
        when.number_format = _EXCEL_DATETIME
        when.alignment = _TOP
        _put_text(ws.cell(r, 4), e.respondent)
        ws.cell(r, 4).alignment = _TOP_WRAP
        _put_text(ws.cell(r, 5), e.content)
        ws.cell(r, 5).alignment = _TOP_WRAP
        _put_text(ws.cell(r, 6), SUCCESS_TEXT[e.success])
        ws.cell(r, 6).alignment = _TOP_CENTER
        if corrected:
            fix = ws.cell(r, 7, e.corrected_on)
            fix.number_format = _EXCEL_DATE
            fix.alignment = _TOP
        for col in range(1, len(columns) + 1):
            ws.cell(r, col).border = _BORDER
            if e.corrected_on is not None:
                ws.cell(r, col).fill = _CORRECTED_FILL
        lines = max(_lines_in(_excel_text(e.respondent), widths[3]),
                    _lines_in(_excel_text(e.content), widths[4]))
        if lines > 1:  # Excel does not grow rows it did not lay out itself
            ws.row_dimensions[r].height = lines * _LINE_HEIGHT + 3
    _print_setup(ws, len(pl.entries), len(columns))


def _enterprise_sheet(ws: Worksheet, pl: PublicList) -> None:
    line = (f"发布单位：{pl.issuer}　公示期间：{period_text(pl)}　"
            "调解成功率＝调解成功件数÷调解件数（无调解件数的留空）")
    _sheet_head(ws, f"{pl.title} 企业汇总", line, ENTERPRISE_COLUMNS)
    widths = [34, 22, 10, 10, 10, 13, 12]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, x in enumerate(pl.enterprises, start=EXCEL_HEADER_ROW + 2):
        _put_text(ws.cell(r, 1), x.respondent)
        ws.cell(r, 1).alignment = _TOP_WRAP
        _put_text(ws.cell(r, 2), x.credit_code)
        for col, value in enumerate((x.accepted, x.closed, x.mediated, x.settled), start=3):
            ws.cell(r, col, value)
        rate = ws.cell(r, 7, x.success_rate)
        rate.number_format = "0.0%"
        for col in range(1, len(ENTERPRISE_COLUMNS) + 1):
            ws.cell(r, col).border = _BORDER
            if col > 1:
                ws.cell(r, col).alignment = _TOP
        lines = _lines_in(_excel_text(x.respondent), widths[0])
        if lines > 1:
            ws.row_dimensions[r].height = lines * _LINE_HEIGHT + 3
    _print_setup(ws, len(pl.enterprises), len(ENTERPRISE_COLUMNS))


def _corrections_sheet(ws: Worksheet, pl: PublicList) -> None:
    line = f"发布单位：{pl.issuer}　{revision_text(pl)}".rstrip("　")
    _sheet_head(ws, f"{pl.title} 更正说明", line, CORRECTION_COLUMNS)
    widths = [22, 12, 70]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, c in enumerate(pl.corrections, start=EXCEL_HEADER_ROW + 2):
        _put_text(ws.cell(r, 1), c.number)
        day = ws.cell(r, 2, c.corrected_on)
        day.number_format = _EXCEL_DATE
        _put_text(ws.cell(r, 3), c.note)
        for col in range(1, 4):
            ws.cell(r, col).border = _BORDER
            ws.cell(r, col).alignment = _TOP_WRAP if col == 3 else _TOP
        lines = _lines_in(_excel_text(c.note), widths[2])
        if lines > 1:
            ws.row_dimensions[r].height = lines * _LINE_HEIGHT + 3
    _print_setup(ws, len(pl.corrections), len(CORRECTION_COLUMNS))


def to_excel(pl: PublicList) -> bytes:
    """The workbook: 公示清单, 企业汇总 and, when there are corrections, 更正说明; headers on
    :data:`EXCEL_HEADER_ROW` of each sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = LIST_SHEET
    _list_sheet(ws, pl)
    _enterprise_sheet(wb.create_sheet(ENTERPRISES_SHEET), pl)
    if pl.corrections:
        _corrections_sheet(wb.create_sheet(CORRECTIONS_SHEET), pl)
    wb.properties.title = pl.title
    wb.properties.creator = pl.issuer
    wb.properties.lastModifiedBy = pl.issuer
    published = datetime.combine(pl.published_on, datetime.min.time())
    wb.properties.created = published
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


