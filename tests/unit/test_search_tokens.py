"""CJK bigram tokens and MATCH expressions for the full-text index."""

from datetime import date

from desktop.db.search import bigrams, index_text, match_expression
from desktop.domain.numbering import format_number, parse_number


def test_bigrams_of_chinese_and_latin() -> None:
    assert bigrams("要求退款") == "要求 求退 退款"
    assert bigrams("iPhone 15 屏幕") == "iphone 15 屏幕"
    assert bigrams("退") == "退"
    assert bigrams(None) == ""


def test_fields_do_not_form_pairs_across_each_other() -> None:
    assert "三退" not in index_text("张三", "退款")


def test_match_expression() -> None:
    assert match_expression("退款") == '"退款"'
    assert match_expression("质量问题") == '"质量 量问 问题"'
    assert match_expression("华为 维修") == '"华为" AND "维修"'
    assert match_expression("退") is None
    assert match_expression("   ") is None


def test_complaint_numbers_round_trip() -> None:
    number = format_number("WZCQ01", date(2026, 11, 20), 7)
    assert number == "WZCQ01-20261120-0007"
    parsed = parse_number(number)
    assert parsed is not None and parsed.office_code == "WZCQ01" and parsed.sequence == 7
    assert parse_number("WZCQ01-20261340-0007") is None
