"""Opening a ledger: .xlsx (calamine, else openpyxl), .xls (xlrd) or .csv (UTF-8 or GBK, comma or tab), each
sheet's rows as plain values, and the header row found below titles such as
"2024年消费投诉台账" and "填表人：… 填表日期：…"."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop.domain.errors import DomainError
from desktop.imports import cells
from desktop.imports.mapping import header_score

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
# Where a header can be: below at most this many title and note rows.
HEADER_SEARCH_ROWS = 30
# A header names at least this many known columns (a title row names none).
MIN_HEADER_SCORE = 2

Row = tuple[Any, ...]
Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]


CSV_FIELD_LIMIT = 16 * 1024 * 1024  # characters in one CSV cell


class ImportFileError(DomainError):
    """The file cannot be read as a ledger: says why, in Chinese."""


@dataclass
class Sheet:
    name: str
    rows: list[Row]  # every row as read, the first being the sheet's row 1
    header_row: int | None  # 1-based; None: no header found (a notes sheet, not data)

    @property
    def header(self) -> list[str]:
        if self.header_row is None:
            return []
        return [cells.text(v) for v in self.rows[self.header_row - 1]]

    def data(self, header_row: int | None = None) -> Iterator[tuple[int, Row]]:
        """(1-based row number, values) of each row below the header."""
        start = header_row or self.header_row
        if start is None:
            return
        for index in range(start, len(self.rows)):
            yield index + 1, self.rows[index]


@dataclass
class Book:
    path: Path
    sheets: list[Sheet]
    encoding: str | None = None  # a CSV's

    @property
    def data_sheets(self) -> list[Sheet]:
        return [s for s in self.sheets if s.header_row is not None]

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise ImportFileError(f"文件中没有名为「{name}」的工作表")


def find_header(rows: Sequence[Row]) -> int | None:
    """The 1-based row that names the most known columns among the first rows, or None."""
    best, best_score = None, MIN_HEADER_SCORE - 1
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = header_score([cells.text(v) for v in row])
        if score > best_score:
            best, best_score = index + 1, score
    return best


def _trimmed(row: Sequence[Any]) -> Row:
    end = len(row)
    while end and cells.is_blank(row[end - 1]):
        end -= 1
    return tuple(row[:end])


def _as_openpyxl(value: Any) -> Any:
    """A cell as calamine gives it, made what openpyxl gives for the same cell (the messy-cell
    readers in cells.py were written against openpyxl's values): an empty cell is None, not
    "", a whole number stored as a float is an int (openpyxl reads "13277204056" as an int),
    a date without a time is a datetime at midnight."""
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < _EXACT_FLOAT else value
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


# Floats up to here hold whole numbers exactly.
_EXACT_FLOAT = 2.0 ** 53


def _xlsx(path: Path, progress: Progress | None, cancelled: Cancelled | None) -> list[Sheet]:
    """An .xlsx through calamine (a compiled reader, about 5× faster than openpyxl on a
    50,000-row ledger), its values made the same as openpyxl's (`_as_openpyxl`)."""
    try:
        from python_calamine import CalamineWorkbook  # noqa: PLC0415
    except ImportError:  # pragma: no cover - a dependency of the program
        return _xlsx_openpyxl(path, progress, cancelled)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # a zip that is not a workbook, a missing part …
        raise ImportFileError(f"无法打开 Excel 文件「{path.name}」：文件已损坏或不是 .xlsx 文件"
                              f"（{type(exc).__name__}）") from exc
    try:
        out = []
        for name in book.sheet_names:
            try:
                ws = book.get_sheet_by_name(name)
                total = ws.total_height or 0
                rows: list[Row] = []
                # From A1 (iter_rows() would start at the first used column).
                for n, row in enumerate(ws.to_python(skip_empty_area=False)):
                    rows.append(_trimmed([_as_openpyxl(v) for v in row]))
                    if n % 2000 == 0:
                        if cancelled is not None and cancelled():
                            raise ImportCancelled()
                        if progress is not None:
                            progress(n, total)
            except ImportCancelled:
                raise
            except Exception as exc:  # a sheet part that is broken
                raise ImportFileError(f"无法读取 Excel 文件「{path.name}」的工作表「{name}」："
                                      f"文件已损坏（{type(exc).__name__}）") from exc
            while rows and not rows[-1]:
                rows.pop()
            out.append(Sheet(name, rows, find_header(rows)))
        return out
    finally:
        book.close()


def _xlsx_openpyxl(path: Path, progress: Progress | None,
                   cancelled: Cancelled | None) -> list[Sheet]:
    import openpyxl  # noqa: PLC0415  (only when an .xlsx is opened)

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException …
        raise ImportFileError(f"无法打开 Excel 文件「{path.name}」：文件已损坏或不是 .xlsx 文件"
                              f"（{type(exc).__name__}）") from exc
    try:
        out = []
        for ws in book.worksheets:
            rows: list[Row] = []
            for n, row in enumerate(ws.iter_rows(values_only=True)):
                rows.append(_trimmed(row))
                if n % 2000 == 0:
                    if cancelled is not None and cancelled():
                        raise ImportCancelled()
                    if progress is not None:
                        progress(n, ws.max_row or 0)
            while rows and not rows[-1]:
                rows.pop()
            out.append(Sheet(ws.title, rows, find_header(rows)))
        return out
    finally:
        book.close()


def _xls(path: Path) -> list[Sheet]:
    try:
        import xlrd  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - a dependency of the program
        raise ImportFileError("读取 .xls 文件需要 xlrd，请将文件另存为 .xlsx 后导入") from exc
    try:
        book = xlrd.open_workbook(str(path))
    except Exception as exc:
        raise ImportFileError(f"无法打开 Excel 文件「{path.name}」：文件已损坏或不是 .xls 文件"
                              f"（{type(exc).__name__}）") from exc
    out = []
    for ws in book.sheets():
        rows: list[Row] = []
        for r in range(ws.nrows):
            values: list[Any] = []
            for cell in ws.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        values.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                    except (ValueError, OverflowError):
                        values.append(cell.value)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    values.append(None)
                else:
                    values.append(cell.value)
            rows.append(_trimmed(values))
        while rows and not rows[-1]:
            rows.pop()
        out.append(Sheet(ws.name, rows, find_header(rows)))
    return out


def decode(raw: bytes) -> tuple[str, str]:
    """A CSV's text and its encoding: UTF-8 (with or without BOM) when it decodes, else GBK
    (read as GB18030, its superset, which Excel on a Chinese Windows writes)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else "gbk")
        except UnicodeDecodeError:
            continue
    raise ImportFileError("CSV 文件既不是 UTF-8 也不是 GBK 编码，无法读取")


def _csv(path: Path) -> tuple[list[Sheet], str]:
    content, encoding = decode(path.read_bytes())
    sample = content[:20000]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    # A cell longer than the csv module's 128 KB default is read whole: the plan refuses the
    # row with the field's own length limit, and the other rows come in.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    reader = csv.reader(io.StringIO(content), delimiter=delimiter)
    try:
        rows = [_trimmed([v if v.strip() else None for v in row]) for row in reader]
    except csv.Error as exc:  # an unclosed quote runs to the end, or a cell beyond the limit
        raise ImportFileError(f"CSV 文件「{path.name}」第 {reader.line_num} 行无法读取：{exc}") from exc
    while rows and not rows[-1]:
        rows.pop()
    return [Sheet(path.stem, rows, find_header(rows))], encoding


class ImportCancelled(Exception):
    """The user cancelled: nothing was written."""


def read_book(path: Path | str, progress: Progress | None = None,
              cancelled: Cancelled | None = None) -> Book:
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"找不到文件「{path}」")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFileError(f"不能导入「{path.name}」：只支持 .xlsx、.xls 和 .csv 文件")
    if suffix == ".csv":
        sheets, encoding = _csv(path)
        return Book(path, sheets, encoding)
    if suffix == ".xls":
        return Book(path, _xls(path))
    return Book(path, _xlsx(path, progress, cancelled))

