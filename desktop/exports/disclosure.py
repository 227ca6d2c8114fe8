"""The published files of the monthly complaint disclosure (消费投诉公示).

The values of a :class:`~desktop.exports.data.PublicList` arrive masked and approved; this
module only lays them out for the bureau's channels:

* :func:`to_excel` — an .xlsx workbook (sheets 公示清单, 企业汇总 and, when there are
  corrections, 更正说明) for the office and for the notice boards;
* :func:`to_csv` / :func:`enterprises_csv` — the list and the per-enterprise summary as CSV
  (UTF-8 with BOM, CRLF) for upload into the website's or the WeChat account's back office;
* :func:`to_html` — one self-contained HTML5 page (inline CSS, nothing fetched from elsewhere)
  to be put on the government website as it is;
* :func:`file_stem` and :func:`write_all` — the file names, and writing all four files at once.

Every sheet of the workbook has the same layout: worksheet row 1 is the title, row 2 the
publication line, row 3 the column headers and the data follow without blank rows or totals, so
``pandas.read_excel(data, sheet_name=..., header=EXCEL_HEADER_ROW)`` reads each table back
cleanly.

Texts are never handed to a spreadsheet as something it could evaluate: in the workbook every
text is a string cell (a leading ``=`` would make openpyxl write a formula), and those that
begin like a formula (``= + - @``, tab, CR, also after leading blanks) additionally carry
Excel's quote-prefix flag, so editing the cell keeps it text. The CSV files, where no such flag
exists, prefix a single quote to those fields (OWASP "CSV Injection").
"""

from __future__ import annotations

import calendar
import csv
import html
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.exports.data import EnterpriseLine, PublicEntry, PublicList
from desktop.files import write_atomic

__all__ = [
    "CORRECTIONS_SHEET",
    "CSV_DATETIME_FORMAT",
    "ENTERPRISES_SHEET",
    "ENTERPRISE_COLUMNS",
    "EXCEL_HEADER_ROW",
    "LIST_COLUMNS",
    "LIST_SHEET",
    "csv_safe",
    "enterprises_csv",
    "file_stem",
    "to_csv",
    "to_excel",
    "to_html",
    "write_all",
]

LIST_SHEET = "公示清单"
ENTERPRISES_SHEET = "企业汇总"
CORRECTIONS_SHEET = "更正说明"

EXCEL_HEADER_ROW = 2
"""0-based row of the column headers in every sheet of :func:`to_excel` (worksheet row 3),
the ``header=`` argument of ``pandas.read_excel``: row 1 is the title, row 2 the line with
发布单位/发布日期/审批日期 (and 更正版), then the headers and the data rows."""

LIST_COLUMNS = ("序号", "投诉单号", "投诉时间", "被投诉方", "投诉内容", "成功与否")
CORRECTED_COLUMN = "更正日期"  # added to LIST_COLUMNS when any entry was corrected
ENTERPRISE_COLUMNS = ("被投诉方", "统一社会信用代码", "受理件数", "办结件数", "调解件数",
                      "调解成功件数", "调解成功率")
CORRECTION_COLUMNS = ("投诉单号", "更正日期", "更正说明")

CSV_DATETIME_FORMAT = "%Y-%m-%d %H:%M"  # 投诉时间 in the CSV file
_DATE_FORMAT = "%Y-%m-%d"

SUCCESS_TEXT = {True: "成功", False: "不成功"}

# A field a spreadsheet might take for a formula (OWASP "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ----------------------------------------------------------------------------------- helpers
def _looks_like_formula(text: str) -> bool:
    """True for a text a spreadsheet could evaluate: it starts with = + - @ tab or CR, also
    after leading blanks (Excel ignores them: `` =1+1`` is a formula too)."""
    return text.startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START)


def csv_safe(text: str) -> str:
    """The text as a CSV field that no spreadsheet evaluates: a single quote before it when
    it begins like a formula. The csv module does the quoting of commas, quotes, newlines."""
    return "'" + text if _looks_like_formula(text) else text


def _revision_text(pl: PublicList) -> str:
    return f"更正版（第 {pl.revision} 次更正）" if pl.revision > 0 else ""


def _has_corrected_rows(pl: PublicList) -> bool:
    return any(e.corrected_on is not None for e in pl.entries)


def _list_columns(pl: PublicList) -> tuple[str, ...]:
    return LIST_COLUMNS + ((CORRECTED_COLUMN,) if _has_corrected_rows(pl) else ())


def _rate_text(line: EnterpriseLine) -> str:
    rate = line.success_rate
    return "" if rate is None else f"{rate * 100:.1f}%"


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _period(pl: PublicList) -> tuple[date, date]:
    first = pl.month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


def _period_text(pl: PublicList) -> str:
    first, last = _period(pl)
    return f"{_cn_date(first)}至{_cn_date(last)}"


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


# ---------------------------------------------------------------------------------------- CSV
def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def to_csv(pl: PublicList) -> bytes:
    """The list as CSV: UTF-8 with BOM, CRLF, one header row, one row per entry.

    投诉时间 as ``YYYY-MM-DD HH:MM``, 成功与否 as 成功/不成功, and a 更正日期 column (blank or
    ``YYYY-MM-DD``) when any entry was corrected. Text fields that begin like a formula get a
    leading single quote.
    """
    corrected = _has_corrected_rows(pl)

    def row(e: PublicEntry) -> list[str]:
        cells = [str(e.seq), csv_safe(e.number), e.received_at.strftime(CSV_DATETIME_FORMAT),
                 csv_safe(e.respondent), csv_safe(e.content), SUCCESS_TEXT[e.success]]
        if corrected:
            cells.append(e.corrected_on.strftime(_DATE_FORMAT) if e.corrected_on else "")
        return cells

    return _csv_bytes(_list_columns(pl), (row(e) for e in pl.entries))


def enterprises_csv(pl: PublicList) -> bytes:
    """The per-enterprise summary as CSV (UTF-8 with BOM, CRLF); 调解成功率 as ``66.7%``, blank
    when nothing was mediated."""
    rows = ([csv_safe(x.respondent), csv_safe(x.credit_code), str(x.accepted), str(x.closed),
             str(x.mediated), str(x.settled), _rate_text(x)] for x in pl.enterprises)
    return _csv_bytes(ENTERPRISE_COLUMNS, rows)


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
    if _looks_like_formula(text):
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
    parts = [f"发布单位：{pl.issuer}", f"公示期间：{_period_text(pl)}",
             f"发布日期：{pl.published_on.strftime(_DATE_FORMAT)}",
             f"审批日期：{pl.approved_on.strftime(_DATE_FORMAT)}"]
    if pl.revision > 0:
        parts.append(_revision_text(pl))
    return "　".join(parts)


def _list_sheet(ws: Worksheet, pl: PublicList) -> None:
    columns = _list_columns(pl)
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
    line = (f"发布单位：{pl.issuer}　公示期间：{_period_text(pl)}　"
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
    line = f"发布单位：{pl.issuer}　{_revision_text(pl)}".rstrip("　")
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


# --------------------------------------------------------------------------------------- HTML
_CSS = """
@page { size: A4 landscape; margin: 12mm 10mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: #f2f3f5; color: #222;
  font-family: "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC",
    "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
  font-size: 16px; line-height: 1.7; }
.page { max-width: 1180px; margin: 0 auto; background: #fff; padding: 36px 44px 44px;
  min-height: 100vh; }
.doc-head { text-align: center; border-bottom: 2px solid #a8201a; padding-bottom: 18px;
  margin-bottom: 8px; }
.issuer-top { margin: 0 0 6px; color: #a8201a; font-size: 18px; letter-spacing: .12em; }
h1 { margin: 0 0 10px; font-size: 26px; line-height: 1.4; font-weight: 700; }
.revision { display: inline-block; margin: 0 0 10px; padding: 0 10px; font-size: 14px;
  color: #a8201a; border: 1px solid #a8201a; border-radius: 2px; }
.meta { display: flex; flex-wrap: wrap; justify-content: center; gap: 2px 28px; margin: 0;
  color: #555; font-size: 14px; }
.meta div { display: flex; }
.meta dt::after { content: "："; }
.meta dd { margin: 0; }
h2 { margin: 30px 0 12px; padding-left: 10px; border-left: 4px solid #2b4c7e;
  font-size: 19px; line-height: 1.4; }
.notice { margin: 18px 0 0; padding: 12px 16px; background: #f6f8fb; border: 1px solid #dfe4ea;
  font-size: 15px; }
.notice h2 { margin: 0 0 6px; }
.notice p { margin: 0; text-indent: 2em; }
.notice p + p { margin-top: 4px; }
.count { font-weight: 400; color: #555; font-size: 15px; }
.scroll-hint { display: none; margin: 0 0 6px; color: #777; font-size: 13px; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { width: 100%; border-collapse: collapse; font-size: 14px; line-height: 1.6; }
#disclosure-list { min-width: 880px; }
#enterprise-summary { min-width: 760px; }
#correction-list { min-width: 560px; }
th, td { border: 1px solid #cfd6de; padding: 8px 10px; text-align: left; vertical-align: top; }
thead th { background: #e9eef4; font-weight: 700; white-space: nowrap; text-align: center; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.seq, td.int, td.rate { text-align: right; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
td.seq { text-align: center; }
td.number, td.time, td.day, td.code { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.respondent { width: 20%; min-width: 10em; overflow-wrap: anywhere; }
td.content, td.note { width: 40%; min-width: 18em; white-space: pre-line; overflow-wrap: anywhere; }
#enterprise-summary td.respondent { width: auto; }
#correction-list td.note { width: 70%; }
td.result { text-align: center; white-space: nowrap; }
.result-no { color: #8a5300; }
.none { color: #888; }
tr.corrected, tr.corrected:nth-child(even) { background: #fff7e0; }
.tag { display: inline-block; margin-left: 6px; padding: 0 5px; font-size: 12px;
  line-height: 1.6; color: #a8201a; border: 1px solid #a8201a; border-radius: 2px;
  white-space: nowrap; vertical-align: 1px; }
td.number .tag { display: table; margin: 4px 0 0; }
.table-note { margin: 8px 0 0; color: #666; font-size: 13px; }
.empty { color: #666; }
.doc-foot { margin-top: 36px; text-align: right; line-height: 1.9; }
.doc-foot p { margin: 0; }
@media (max-width: 700px) {
  body { font-size: 15px; }
  .page { padding: 18px 12px 28px; }
  .issuer-top { font-size: 15px; }
  h1 { font-size: 20px; }
  h2 { font-size: 17px; margin-top: 24px; }
  .meta { flex-direction: column; align-items: center; gap: 0; }
  .scroll-hint { display: block; }
  th, td { padding: 6px 8px; }
  table { font-size: 13px; }
}
@media print {
  body { background: #fff; font-size: 10.5pt; }
  .page { max-width: none; min-height: 0; margin: 0; padding: 0; }
  .doc-head { padding-bottom: 8px; }
  .issuer-top { font-size: 12pt; margin-bottom: 2px; }
  h1 { font-size: 17pt; margin-bottom: 4px; }
  .revision { margin-bottom: 4px; font-size: 9.5pt; }
  .meta { font-size: 9.5pt; }
  h2 { font-size: 12.5pt; margin: 14px 0 6px; }
  .notice { margin-top: 10px; padding: 6px 10px; font-size: 10pt; }
  td.respondent { width: 22%; }
  td.content { width: 36%; }
  .table-wrap { overflow: visible; }
  .scroll-hint { display: none; }
  table, #disclosure-list, #enterprise-summary, #correction-list { min-width: 0; font-size: 9pt; }
  th, td { padding: 4px 6px; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .doc-head, thead th, tr.corrected, tbody tr:nth-child(even), .tag, .notice {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _html_text(text: str) -> str:
    """Escaped, with CR line breaks as LF (``white-space: pre-line`` shows them)."""
    return _e(text.replace("\r\n", "\n").replace("\r", "\n"))


def _entry_row(e: PublicEntry, corrected_column: bool) -> str:
    classes = "entry corrected" if e.corrected_on is not None else "entry"
    tag = '<span class="tag">已更正</span>' if e.corrected_on is not None else ""
    result_class = "result-ok" if e.success else "result-no"
    cells = [
        f'<td class="seq">{e.seq}</td>',
        f'<td class="number">{_e(e.number)}{tag}</td>',
        f'<td class="time"><time datetime="{e.received_at.strftime("%Y-%m-%dT%H:%M")}">'
        f'{e.received_at.strftime(CSV_DATETIME_FORMAT)}</time></td>',
        f'<td class="respondent">{_html_text(e.respondent)}</td>',
        f'<td class="content">{_html_text(e.content)}</td>',
        f'<td class="result {result_class}">{SUCCESS_TEXT[e.success]}</td>',
    ]
    if corrected_column:
        day = (f'<time datetime="{e.corrected_on.isoformat()}">{e.corrected_on.isoformat()}</time>'
               if e.corrected_on else "")
        cells.append(f'<td class="day">{day}</td>')
    return f'<tr class="{classes}" id="entry-{e.seq}">' + "".join(cells) + "</tr>"


def _head_row(columns: Sequence[str]) -> str:
    return "<tr>" + "".join(f'<th scope="col">{_e(c)}</th>' for c in columns) + "</tr>"


def _enterprise_row(x: EnterpriseLine) -> str:
    rate = _rate_text(x)
    rate_cell = (f'<td class="rate">{rate}</td>' if rate
                 else '<td class="rate"><span class="none" title="无调解件数">—</span></td>')
    return ('<tr class="enterprise">'
            f'<td class="respondent">{_html_text(x.respondent)}</td>'
            f'<td class="code">{_e(x.credit_code)}</td>'
            f'<td class="int">{x.accepted}</td><td class="int">{x.closed}</td>'
            f'<td class="int">{x.mediated}</td><td class="int">{x.settled}</td>'
            f"{rate_cell}</tr>")


def to_html(pl: PublicList) -> str:
    """One self-contained HTML5 page (inline CSS; no scripts, fonts, images or links)."""
    title = _e(pl.title)
    columns = _list_columns(pl)
    corrected_column = len(columns) > len(LIST_COLUMNS)
    first, last = _period(pl)
    meta = [
        ("发布单位", _e(pl.issuer)),
        ("公示期间", f'<time datetime="{first.isoformat()}">{_cn_date(first)}</time>至'
                     f'<time datetime="{last.isoformat()}">{_cn_date(last)}</time>'),
        ("发布日期", f'<time datetime="{pl.published_on.isoformat()}">'
                     f"{_cn_date(pl.published_on)}</time>"),
    ]
    revision = _revision_text(pl)
    hint = '<p class="scroll-hint">表格较宽，可左右滑动查看。</p>'

    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f'<meta name="description" content="{title}">',
        f"<title>{title}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<main class="page">',
        '<header class="doc-head">',
        f'<p class="issuer-top">{_e(pl.issuer)}</p>',
        f"<h1>{title}</h1>",
    ]
    if revision:
        parts.append(f'<p class="revision">{_e(revision)}</p>')
    parts.append('<dl class="meta">' + "".join(
        f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in meta) + "</dl>")
    parts.append("</header>")

    parts += [
        '<section class="notice" aria-labelledby="notice-title">',
        '<h2 id="notice-title">说明</h2>',
        f"<p>现将{_e(pl.scope)}{pl.month.year}年{pl.month.month}月办结的消费投诉信息予以公示。"
        "公示内容为投诉情况摘要，已隐去投诉人姓名、联系方式等个人信息；"
        "“成功与否”指投诉经调解是否达成一致。</p>",
        f"<p>被投诉企业对公示内容有异议的，可向{_e(pl.issuer)}申请更正；"
        "经核实确有错误的，予以更正并重新公示。</p>",
        "</section>",
    ]

    parts += [
        '<section aria-labelledby="list-title">',
        f'<h2 id="list-title">投诉公示清单 <span class="count">（共 {len(pl.entries)} 件）</span></h2>',
        hint,
        '<div class="table-wrap">',
        '<table id="disclosure-list" class="disclosure-table" aria-labelledby="list-title">',
        f"<thead>{_head_row(columns)}</thead>",
        "<tbody>",
        *(_entry_row(e, corrected_column) for e in pl.entries),
        "</tbody>",
        "</table>",
        "</div>",
    ]
    if not pl.entries:
        parts.append('<p class="empty">本期无办结的消费投诉。</p>')
    if corrected_column:
        parts.append('<p class="table-note">标注“已更正”的投诉经核实已作更正，见下方更正说明。</p>')
    parts.append("</section>")

    if pl.enterprises:
        parts += [
            '<section aria-labelledby="enterprise-title">',
            '<h2 id="enterprise-title">企业汇总</h2>',
            hint,
            '<div class="table-wrap">',
            '<table id="enterprise-summary" class="disclosure-table" '
            'aria-labelledby="enterprise-title">',
            f"<thead>{_head_row(ENTERPRISE_COLUMNS)}</thead>",
            "<tbody>",
            *(_enterprise_row(x) for x in pl.enterprises),
            "</tbody>",
            "</table>",
            "</div>",
            '<p class="table-note">调解成功率＝调解成功件数÷调解件数；本期无调解件数的以“—”表示。</p>',
            "</section>",
        ]

    if pl.corrections:
        round_note = (f' <span class="count">（第 {pl.revision} 次更正）</span>'
                      if pl.revision > 0 else "")
        parts += [
            '<section id="corrections" aria-labelledby="correction-title">',
            f'<h2 id="correction-title">更正说明{round_note}</h2>',
            '<div class="table-wrap">',
            '<table id="correction-list" class="disclosure-table" '
            'aria-labelledby="correction-title">',
            f"<thead>{_head_row(CORRECTION_COLUMNS)}</thead>",
            "<tbody>",
            *(f'<tr class="correction"><td class="number">{_e(c.number)}</td>'
              f'<td class="day"><time datetime="{c.corrected_on.isoformat()}">'
              f"{c.corrected_on.isoformat()}</time></td>"
              f'<td class="note">{_html_text(c.note)}</td></tr>'
              for c in pl.corrections),
            "</tbody>",
            "</table>",
            "</div>",
            "</section>",
        ]

    parts += [
        '<footer class="doc-foot">',
        f"<p>{_e(pl.issuer)}</p>",
        f'<p><time datetime="{pl.published_on.isoformat()}">{_cn_date(pl.published_on)}</time></p>',
        "</footer>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


# ------------------------------------------------------------------------------------ writing
def write_all(pl: PublicList, folder: Path) -> list[Path]:
    """Write ``<stem>.xlsx``, ``<stem>.csv``, ``<stem>-企业汇总.csv`` and ``<stem>.html`` into
    ``folder`` (created if missing), each atomically; returns the four paths in that order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = file_stem(pl)
    files = [
        (folder / f"{stem}.xlsx", to_excel(pl)),
        (folder / f"{stem}.csv", to_csv(pl)),
        (folder / f"{stem}-企业汇总.csv", enterprises_csv(pl)),
        (folder / f"{stem}.html", to_html(pl).encode("utf-8")),
    ]
    for path, data in files:
        write_atomic(path, data)
    return [path for path, _ in files]
