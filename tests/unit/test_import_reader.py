"""The .xlsx reader (calamine) gives every cell exactly as openpyxl does: the messy-cell readers
in desktop/imports/cells.py were written against openpyxl's values (issue 19, speed)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from desktop.imports import cells, sheets


def _messy(path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2024年台账"
    ws.append(["2024年消费投诉台账"])
    ws.merge_cells("A1:F1")
    ws.append(["填表人：张三    填表日期：2024年12月31日"])
    ws.append(["序号", "登记日期", "投诉单号", "投诉人", "联系电话", "挽回损失（元）", "备注"])
    ws.append([1, datetime(2024, 1, 3), "2024-001", "李女士", 13277204056.0, "1,200元", ""])
    ws.append([2, date(2024, 1, 4), "２０２４－００２", " 王先生 ", 13800000000, 350.5, None])
    ws.append([3, 45296, None, "张某", "0512-66668888", "—", "职业索赔人"])
    ws.append([4, "2024年1月3日", 7, True, 1.0, 0.1, time(10, 30)])
    ws.append([5, datetime(2024, 1, 3, 9, 15), "  ", "", 2.5e15, -3.0, "=1+1"])
    ws.append([])
    ws.append(["合计", None, None, None, None, 1550.5])
    ws["H9"] = "右边的备注"
    notes = book.create_sheet("填表说明")
    notes["B2"] = "说明：每行一件投诉"
    book.create_sheet("空表")
    book.save(path)


def _blank_as_none(row: tuple[object, ...]) -> list[object]:
    return [None if cells.is_blank(v) else v for v in row]


def test_calamine_reads_what_openpyxl_reads(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    path = tmp_path / "messy.xlsx"
    _messy(path)
    fast = sheets._xlsx(path, None, None)
    slow = sheets._xlsx_openpyxl(path, None, None)
    assert [(s.name, s.header_row) for s in fast] == [(s.name, s.header_row) for s in slow]
    for a, b in zip(fast, slow, strict=True):
        # A cell of spaces only: openpyxl keeps the spaces, calamine gives nothing; both are
        # blank to every reader in cells.py (is_blank, text).
        assert [_blank_as_none(r) for r in a.rows] == [_blank_as_none(r) for r in b.rows]
        for row_a, row_b in zip(a.rows, b.rows, strict=True):
            assert [type(v) for v in _blank_as_none(row_a)] == \
                [type(v) for v in _blank_as_none(row_b)]
    assert fast[0].header_row == 3
    assert fast[0].rows[3][4] == 13277204056  # a phone stored as a number


def test_a_broken_file_is_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(sheets.ImportFileError, match="无法打开 Excel 文件"):
        sheets.read_book(path)
