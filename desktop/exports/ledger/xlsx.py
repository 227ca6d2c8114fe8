"""A ledger (台账) as an .xlsx workbook, streamed: openpyxl's write-only mode, one sheet per part.

Each sheet: row 1 the title, row 2 the office, period and filters, row 3 the column headers
(frozen, with an autofilter), then one row per complaint. Dates are date cells, times
date-time cells, money a number in 元 with two decimals; texts are inline strings (never a
formula: a text that begins like one also gets Excel's quote prefix).

Speed: openpyxl's write-only rows go through ElementTree one cell at a time (without lxml,
which this program does not ship, 100,000 rows of 19 columns took 26 s). The rows here are
written as the sheet XML openpyxl itself would write — the same cells, styles registered with
the workbook — straight into its row stream (`_RawRowWriter`); the sheet's top, tail, styles
and the package remain openpyxl's. Where that stream is not the plain writer (lxml installed),
the cells go through openpyxl's own path.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter

from desktop.exports.disclosure.shared import looks_like_formula

ColumnKind = Literal["text", "int", "datetime", "date", "money"]
HEADER_ROW = 3
"""Worksheet row of the column headers; ``pandas.read_excel(..., header=HEADER_ROW - 1)``."""
PROGRESS_EVERY = 500

_THIN = Side(style="thin", color="FF999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FORMATS: dict[ColumnKind, str] = {
    "text": "General", "int": "0", "datetime": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd",
    "money": "#,##0.00",
}
_SPACE_EDGES = re.compile(r"^\s|\s$")
# A text written as it is: no markup characters, no control characters, no edge blanks, not
# starting like a formula.
_PLAIN = re.compile(r"[^\s=+\-@&<>\x00-\x1f\x7f](?:[^&<>\x00-\x1f\x7f]*[^\s&<>\x00-\x1f\x7f])?")
_EPOCH = date(1899, 12, 30)


def _serial(value: date) -> float | int:
    """Excel's serial day number (the 1900 date system, as openpyxl writes it)."""
    if isinstance(value, datetime):
        delta = value - datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    return (value - _EPOCH).days


@dataclass(frozen=True)
class Column:
    title: str
    kind: ColumnKind = "text"
    width: float = 12


@dataclass(frozen=True)
class Part:
    """One sheet: its name, its title line, the line under it and its rows (values in column
    order: str, int, datetime, date, Decimal or None) — an iterator, read once."""

    sheet: str
    title: str
    line: str
    rows: Iterable[Sequence[Any]]


class _Raw(tuple):  # a tuple: WriteOnlyWorksheet.append takes nothing else
    """A row already rendered as sheet XML (0), and its values and styles (1) for the
    fallback path."""

    @property
    def xml(self) -> str:
        return str(self[0])

    @property
    def values(self) -> Any:
        return self[1]


class _RawRowWriter(WorksheetWriter):
    def __init__(self, ws: Any, fallback: Callable[[Sequence[Any], int], list[Any]]) -> None:
        super().__init__(ws)
        self._fallback = fallback

    def write_row(self, xf: Any, row: Any, row_idx: int) -> None:
        raw = getattr(xf, "_file", None)
        if isinstance(row, _Raw):
            if raw is not None:
                raw(row.xml)
                return
            row = self._fallback(row.values, row_idx)
        super().write_row(xf, row, row_idx)


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", text)


class _Sheet:
    """A write-only sheet whose rows this module renders itself."""

    def __init__(self, wb: Workbook, name: str, columns: Sequence[Column]) -> None:
        self.ws = wb.create_sheet(name)
        self.columns = columns
        self.letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        for letter, col in zip(self.letters, columns, strict=True):
            self.ws.column_dimensions[letter].width = col.width
        self.ws.freeze_panes = f"A{HEADER_ROW + 1}"
        self.ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        setup = self.ws.page_setup
        setup.orientation = "landscape"
        setup.paperSize = "9"  # A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        # Styles: one per column kind for the data, plus title, line and header.
        self.styles: dict[str, Any] = {}
        self.ids: dict[str, int] = {}
        for kind, fmt in _FORMATS.items():
            self._style(kind, number_format=fmt, border=_BORDER,
                        alignment=Alignment(vertical="top"))
        self._style("quoted", border=_BORDER, alignment=Alignment(vertical="top"), quote=True)
        self._style("title", font=Font(bold=True, size=14))
        self._style("line", font=Font(size=10, color="FF555555"))
        self._style("header", font=Font(bold=True), border=_BORDER,
                    fill=PatternFill("solid", fgColor="FFE8EDF3"),
                    alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
        self.ws._writer = _RawRowWriter(self.ws, self._cells)
        self.ws._writer.write_top()
        self.ws._values_to_row = lambda values, _idx: values  # rows arrive rendered
        self.row = 0

    def _style(self, name: str, *, number_format: str = "General", font: Font | None = None,
               border: Border | None = None, fill: PatternFill | None = None,
               alignment: Alignment | None = None, quote: bool = False) -> None:
        cell = WriteOnlyCell(self.ws)
        cell.number_format = number_format
        if font is not None:
            cell.font = font
        if border is not None:
            cell.border = border
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        if quote:
            cell.quotePrefix = True
        self.styles[name] = cell._style
        self.ids[name] = cell.style_id  # registers the style with the workbook

    # -- rendering -----------------------------------------------------------------------
    def _cell(self, letter: str, r: int, value: Any, style: str) -> str:
        s = self.ids[style]
        if value is None or value == "":
            return f'<c r="{letter}{r}" s="{s}"/>'
        if isinstance(value, bool):
            value = "是" if value else "否"
        if isinstance(value, (datetime, date)):
            return f'<c r="{letter}{r}" s="{s}" t="n"><v>{_serial(value)}</v></c>'
        if isinstance(value, (int, float, Decimal)):
            return f'<c r="{letter}{r}" s="{s}" t="n"><v>{value}</v></c>'
        text = str(value)
        if _PLAIN.fullmatch(text) is None:  # the rare text that needs care
            text = _clean(text)
            if style == "text" and looks_like_formula(text):
                s = self.ids["quoted"]
            space = ' xml:space="preserve"' if _SPACE_EDGES.search(text) else ""
            return (f'<c r="{letter}{r}" s="{s}" t="inlineStr"><is><t{space}>{escape(text)}</t>'
                    "</is></c>")
        return f'<c r="{letter}{r}" s="{s}" t="inlineStr"><is><t>{text}</t></is></c>'

    def _append(self, values: Sequence[Any], styles: Sequence[str], height: float | None = None) -> None:
        self.row += 1
        r = self.row
        cell = self._cell
        cells = "".join([cell(letter, r, value, style)
                         for letter, value, style in zip(self.letters, values, styles, strict=False)])
        extra = f' ht="{height}" customHeight="1"' if height else ""
        self.ws.append(_Raw((f'<row r="{r}"{extra}>{cells}</row>', (values, styles))))

    def _cells(self, packed: Any, _row_idx: int) -> list[Any]:
        """openpyxl's own cells for a rendered row (the path when lxml writes the sheet)."""
        values, styles = packed
        out = []
        for col, (value, style) in enumerate(zip(values, styles, strict=False), start=1):
            cell = WriteOnlyCell(self.ws, _clean(value) if isinstance(value, str) else value)
            cell._style = copy.copy(self.styles[style])
            cell.column, cell.row = col, _row_idx
            out.append(cell)
        return out

    def head(self, title: str, line: str) -> None:
        n = len(self.columns)
        self._append([title] + [None] * (n - 1), ["title"] * n, 24)
        self._append([line] + [None] * (n - 1), ["line"] * n, 18)
        self._append([c.title for c in self.columns], ["header"] * n, 20)

    def data(self, values: Sequence[Any]) -> None:
        self._append(values, [c.kind for c in self.columns])

    def discard(self) -> None:
        """An abandoned sheet: close its stream and remove openpyxl's temporary file."""
        ws, writer = self.ws, self.ws._writer
        with contextlib.suppress(Exception):
            if getattr(ws, "_rows", None) is not None:
                ws._rows.close()
            writer.close()
        with contextlib.suppress(Exception):
            if not getattr(ws, "closed", False):
                writer.cleanup()

    def finish(self) -> None:
        last = self.letters[-1]
        end = max(self.row, HEADER_ROW)
        self.ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{end}"
        self.ws.print_area = f"A1:{last}{end}"


def write_ledger(path: Path, columns: Sequence[Column], parts: Sequence[Part], *,
                 total: int, title: str, author: str,
                 progress: Callable[[int, int], None] | None = None) -> list[int]:
    """Write the workbook to `path` (the caller's temporary name); returns the rows per part.
    `progress(done, total)` is called every PROGRESS_EVERY rows and may raise to stop: the
    file at `path` may then be partial, and the caller removes it."""
    wb = Workbook(write_only=True)
    wb.properties.title = title
    wb.properties.creator = author
    counts: list[int] = []
    sheets: list[_Sheet] = []
    done = 0
    try:
        if progress is not None:
            progress(0, total)
        for part in parts:
            sheet = _Sheet(wb, part.sheet, columns)
            sheets.append(sheet)
            sheet.head(part.title, part.line)
            n = 0
            for values in part.rows:
                sheet.data(values)
                n += 1
                done += 1
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, total)
            sheet.finish()
            counts.append(n)
        wb.save(str(path))
    except BaseException:
        for sheet in sheets:
            sheet.discard()
        raise
    if progress is not None:
        progress(done, max(total, done))
    return counts
