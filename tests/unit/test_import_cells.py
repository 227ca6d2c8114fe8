"""Messy cells read the way a person reads them, and header wordings guessed (desktop/imports)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from desktop.domain.workflow import Result
from desktop.imports import cells
from desktop.imports.mapping import Profile, guess, header_score
from desktop.imports.plan import read_result
from desktop.imports.sheets import decode, find_header


@pytest.mark.parametrize("value, expected", [
    (45294, datetime(2024, 1, 3)),  # an Excel serial number
    (45294.5, datetime(2024, 1, 3, 12, 0)),
    ("45294", datetime(2024, 1, 3)),  # a serial typed as text
    (datetime(2024, 1, 3, 9, 5), datetime(2024, 1, 3, 9, 5)),
    ("2024年1月3日", datetime(2024, 1, 3)),
    ("2024年01月03日 14:30", datetime(2024, 1, 3, 14, 30)),
    ("2024.1.3", datetime(2024, 1, 3)),
    ("2024/1/3", datetime(2024, 1, 3)),
    ("2024-01-03", datetime(2024, 1, 3)),
    ("２０２４－０１－０３", datetime(2024, 1, 3)),  # full-width
    ("20240103", datetime(2024, 1, 3)),
    (20240103, datetime(2024, 1, 3)),
])
def test_dates_in_every_form(value: object, expected: datetime) -> None:
    assert cells.when(value) == (expected, None)


@pytest.mark.parametrize("value", ["去年三月", "2024-02-30", "13277204056", 12])
def test_what_is_not_a_date_says_so(value: object) -> None:
    at, problem = cells.when(value)
    assert at is None and problem and "不是日期" in problem


@pytest.mark.parametrize("value, expected", [
    ("3,200元", Decimal("3200.00")), ("￥1,200.50", Decimal("1200.50")), ("1.2万", Decimal("12000.00")),
    (350.5, Decimal("350.50")), ("—", None), ("", None), (None, None), ("无", None),
    ("１２００", Decimal("1200.00")),
])
def test_amounts(value: object, expected: Decimal | None) -> None:
    assert cells.amount(value) == (expected, None)


def test_phones_and_names() -> None:
    assert cells.phone(13277204056.0) == ("13277204056", None)
    assert cells.phone("１３９１２３４５６７８") == ("13912345678", None)
    assert cells.phone("0512-66001234") == ("0512-66001234", None)
    assert cells.phone("李女士")[1] is not None
    assert cells.text("  李女士 ") == "李女士"


def test_results_as_ledgers_word_them() -> None:
    assert read_result("调解成功") is Result.SETTLED
    assert read_result("双方达成协议，已退款") is Result.SETTLED
    assert read_result("调解不成") is Result.NOT_SETTLED
    assert read_result("调解未成功") is Result.NOT_SETTLED
    assert read_result("终止调解") is Result.TERMINATED
    assert read_result("不予受理") is Result.REJECTED
    assert read_result("处理中") is None


def test_headers_of_a_ledger_and_a_12345_export() -> None:
    ledger = ["序号", "受理日期", "编号", "姓名", "电话", "被投诉单位", "事由", "诉求", "处理结果",
              "办结日期", "挽回损失(元)", "承办人", "备注"]
    assert {ledger[i]: k for i, k in guess(ledger).items()} == {
        "受理日期": "received_at", "编号": "original_number", "姓名": "complainant_name",
        "电话": "complainant_phone", "被投诉单位": "respondent_name", "事由": "facts",
        "诉求": "request", "处理结果": "result_text", "办结日期": "closed_on",
        "挽回损失(元)": "recovered", "承办人": "handler", "备注": "remarks"}
    hotline = ["工单编号", "派单时间", "诉求人", "联系电话", "诉求内容", "被反映对象", "办理状态",
               "办结时间"]
    assert {hotline[i]: k for i, k in guess(hotline).items()} == {
        "工单编号": "original_number", "派单时间": "received_at", "诉求人": "complainant_name",
        "联系电话": "complainant_phone", "诉求内容": "facts", "被反映对象": "respondent_name",
        "办理状态": "result_text", "办结时间": "closed_on"}
    rows = [("2024年消费投诉台账",), ("填表人：张三  填表日期：2025年1月5日",), (), tuple(ledger)]
    assert find_header(rows) == 4 and header_score(rows[0]) == 0


def test_a_profile_follows_the_wording_not_the_position() -> None:
    header = ["登记日期", "投诉人", "备注"]
    profile = Profile.of("老台账", "ledger", header, {0: "received_at", 1: "complainant_name"})
    moved = ["备注", "新加的列", "投诉人", "登记日期"]
    assert profile.apply(moved) == {2: "complainant_name", 3: "received_at"}
    assert Profile.from_json("老台账", profile.to_json()) == profile


def test_csv_encodings() -> None:
    assert decode("投诉人,电话".encode("gbk")) == ("投诉人,电话", "gbk")
    assert decode("\ufeff投诉人,电话".encode()) == ("投诉人,电话", "utf-8")
