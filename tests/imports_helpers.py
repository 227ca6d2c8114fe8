"""Messy ledgers for the history-import tests, built with openpyxl: every oddity issue 19 lists."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

HEADER = ["序号", "登记日期", "投诉单号", "投诉人", "联系电话", "被投诉单位", "投诉内容", "诉求",
          "处理结果", "办结日期", "挽回损失（元）", "承办人", "备注"]

# (label, row values after 序号): what each row tests; the tests look rows up by label.
ROWS: list[tuple[str, list[object]]] = [
    ("serial", [45294, "2024-001", "李女士", 13277204056.0, "苏州某某电器有限公司",
                "空调不制冷，多次维修未果", "退货退款", "调解成功", 45299, "3,200元", "desk",
                "职业索赔人"]),
    ("excel_date", [datetime(2024, 1, 5), "2024-002", "王先生", "１３９１２３４５６７８",
                    "吴中区某健身房", "健身卡闭店无法退费", "退还余额", "调解不成",
                    "2024年1月20日", "—", "张三", "重复投诉"]),
    ("chinese_date", ["2024年1月3日", "2024-003", "赵某", "0512-66001234", "某某超市",
                      "购买过期食品", "十倍赔偿", "终止调解", "2024.1.10", "", "", "转执法大队"]),
    ("dotted_date", ["2024.1.3", "2024-004", "钱女士", "13800001111", "某某4S店", "维修质量问题",
                     "重新维修", "不予受理", "2024/1/8", None, None, None]),
    ("slash_date", ["2024/1/3", "２０２４－００５", "孙先生", "13800002222", "某某培训机构",
                    "退费纠纷", "退费", "", None, None, None, None]),
    ("iso_date", ["2024-01-03", None, "周女士", "13800003333", "某某美容店", "办卡后闭店",
                  "退款", "已办结，消费者表示满意", None, "1200", None, None]),
    ("no_date", [None, "2024-007", "吴先生", "13800004444", "某某公司", "没有日期的一行",
                 "退款", "调解成功", None, None, None, None]),
    ("bad_date", ["去年三月", "2024-008", "郑女士", "13800005555", "某某公司", "日期写错的一行",
                  "退款", "调解成功", None, None, None, None]),
]


def write_ledger(path: Path, rows: list[tuple[str, list[object]]] | None = None) -> dict[str, int]:
    """A workbook like an office's: a merged title, a 填表人 line, the header on row 3, rows
    with every oddity, a blank row, a totals row, and a notes sheet that is not data.
    Returns each label's Excel row number."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "2024年台账"
    ws.append(["2024年消费投诉台账"])
    ws.merge_cells("A1:M1")
    ws.append(["填表人：张三    填表日期：2025年1月5日"])
    ws.append(HEADER)
    where = {}
    for n, (label, values) in enumerate(rows or ROWS, start=1):
        ws.append([n, *values])
        where[label] = ws.max_row
        if label == "excel_date":
            ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    ws.append([])
    ws.append(["合计", None, None, None, None, None, None, None, None, None, 3200])
    notes = book.create_sheet("填表说明")
    notes.append(["说明：本表每月5日前报送。"])
    notes.append(["处理结果填写：调解成功、调解不成、终止调解、不予受理。"])
    book.save(path)
    return where
