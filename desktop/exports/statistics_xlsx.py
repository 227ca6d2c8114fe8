"""The statistics workbook (.xlsx): one sheet per table, a title row with the office and period,
the header frozen, widths, number and percent formats, dates as dates."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from desktop.services.statistics import StatsReport, StatsTable

FORMATS = {"int": "#,##0", "number": "#,##0.##", "money": "#,##0.00", "percent": "0.0%",
           "date": "yyyy-mm-dd"}
WIDTH = {"text": 18, "int": 11, "number": 12, "money": 14, "percent": 10, "date": 12, "mixed": 16}
SHEET_NAMES = {"figures": "主要指标", "by_kind": "按类型", "by_channel": "按来源渠道",
               "by_category": "按分类", "by_office": "按处理单位", "by_handler": "按承办人",
               "top": "被投诉经营者", "monthly": "月度趋势", "open": "期末未办结",
               "late": "超时办结清单", "definitions": "指标口径"}


def write_workbook(report: StatsReport, path: Path) -> Path:
    """Written beside the target and renamed into place: never a half-written file."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = Workbook()
    book.remove(book.active)
    title_font, head_font = Font(bold=True, size=13), Font(bold=True)
    head_fill = PatternFill("solid", fgColor="D9D9D9")  # grey: prints the same in black and white
    thin = Side(style="thin", color="808080")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for table in report.tables:
        sheet = book.create_sheet(SHEET_NAMES.get(table.key, table.title)[:31])
        sheet.append([f"{report.office_name}　{table.title}　{report.period.label}"
                      f"（{report.period.start:%Y-%m-%d} 至 {report.period.end:%Y-%m-%d}）"])
        sheet.cell(1, 1).font = title_font
        sheet.append(list(table.columns))
        for col in range(1, len(table.columns) + 1):
            cell = sheet.cell(2, col)
            cell.font, cell.fill, cell.border = head_font, head_fill, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in table.rows:
            sheet.append([_plain(v) for v in row])
            r = sheet.max_row
            for col, (value, fmt) in enumerate(zip(row, table.formats, strict=True), start=1):
                cell = sheet.cell(r, col)
                cell.border = border
                if fmt == "mixed" and isinstance(value, tuple):
                    fmt = value[1]
                if fmt in FORMATS:
                    cell.number_format = FORMATS[fmt]
                if fmt == "text" and table.key == "definitions":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A3"
        for col, fmt in enumerate(table.formats, start=1):
            letter = sheet.cell(2, col).column_letter
            width = max(WIDTH.get(fmt, 14), _display_width(table.columns[col - 1]) + 2)
            if table.key == "definitions" and col == 2:
                width = 90
            elif fmt == "text":
                longest = max((_display_width(str(r[col - 1])) for r in table.rows), default=0)
                width = min(max(width, longest + 2), 50)
            sheet.column_dimensions[letter].width = width
        if table.note:
            sheet.append([])
            sheet.append([table.note])
    sheet = book.create_sheet("说明")
    sheet.append(["单位", report.office_name])
    sheet.append(["统计期间", f"{report.period.label}"])
    sheet.append(["开始日期", report.period.start])
    sheet.append(["结束日期", report.period.end])
    sheet.append(["分类口径", "国家（12315）分类" if report.by_national else "本单位投诉分类"])
    sheet.append(["生成时间", report.generated_at])
    for r in (3, 4):
        sheet.cell(r, 2).number_format = FORMATS["date"]
    sheet.cell(6, 2).number_format = "yyyy-mm-dd hh:mm"
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 12, 40
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    try:
        book.save(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _plain(value: Any) -> Any:
    return value[0] if isinstance(value, tuple) else value


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def table_frame(table: StatsTable) -> Any:
    """A table as a pandas DataFrame (for tests and scripts)."""
    import pandas as pd

    return pd.DataFrame([[_plain(v) for v in row] for row in table.rows], columns=list(table.columns))
