"""The wire contract's field rules against the office database's columns: a column without a
rule, a length that differs or a nullability that differs fails here."""

from __future__ import annotations

import pytest
from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text

from desktop.db.sync import wire
from desktop.domain import contract


@pytest.mark.parametrize("entity", sorted(wire.FIELDS))
def test_every_wire_field_has_its_rule(entity: str) -> None:
    columns = {f.wire: wire.MODELS[entity].__table__.columns[f.attr] for f in wire.FIELDS[entity]}
    rules = contract.RULES[entity]
    assert set(columns) == set(rules)
    for name, column in columns.items():
        rule = rules[name]
        assert rule.null == bool(column.nullable), name
        if column.foreign_keys:
            target = next(iter(column.foreign_keys)).column.table.name
            expected = {"offices": "office", "users": "user"}.get(target, "record")
            assert rule.kind == expected, name
            if expected == "record":
                assert rule.target == target, name
        elif isinstance(column.type, String) and not isinstance(column.type, Text):
            assert rule.kind in ("text", "sha256"), name
            if rule.kind == "text":
                assert rule.max_len == column.type.length, name
        elif isinstance(column.type, Text):
            assert rule.kind == "text" and rule.max_len, name
        elif isinstance(column.type, Boolean):
            assert rule.kind == "bool", name
        elif isinstance(column.type, DateTime):
            assert rule.kind == "datetime", name
        elif isinstance(column.type, Date):
            assert rule.kind == "date", name
        elif isinstance(column.type, Integer):
            assert rule.kind == "int", name


def _given() -> dict[str, object]:
    return {
        "number": "WZCQ01-20261201-0001", "district_number": None, "channel_code": "walk_in",
        "received_at": "2026-12-01T09:30:00", "registered_by": "0193a0d2-0000-7000-8000-000000000001",
        "office": "WZCQ01", "handler": None, "complainant_name": "王小明",
        "complainant_phone": "13812345678", "complainant_address": "苏州市吴中区",
        "complainant_id_number": None, "respondent_name": "某商店", "respondent_credit_code": None,
        "respondent_address": "吴中区", "enterprise": None, "subject": "手机", "category_code": "goods",
        "brand_model": "", "purchase_date": None, "amount_cents": None, "request_type": "",
        "request": "退款", "facts": "屏幕坏了", "status": "registered", "rule_set_code": "samr-2026",
        **{k: None for k, r in contract.RULES["complaints"].items() if r.null and k not in (
            "district_number", "handler", "complainant_id_number", "respondent_credit_code",
            "enterprise", "purchase_date", "amount_cents")},
    }


def _complaint() -> dict[str, object]:
    """A good new complaint: the values above, and a blank for any other optional text."""
    given = _given()
    return {**{k: "" for k, r in contract.RULES["complaints"].items()
               if r.kind == "text" and not r.null and not r.required and k not in given}, **given}


def test_a_good_complaint_passes() -> None:
    assert contract.problems("complaints", _complaint(), new=True) == []


@pytest.mark.parametrize(("field", "value", "words"), [
    ("received_at", "garbage", "接收时间"),
    ("complainant_name", None, "投诉人姓名不能为空"),
    ("complainant_name", "王" * 61, "不能超过 60 个字"),
    ("amount_cents", "abc", "涉案金额应为整数"),
    ("amount_cents", True, "涉案金额应为整数"),
    ("received_at", "1899-12-31T00:00:00", "不在 1990 年至"),
    ("purchase_date", "1850-01-01", "购买日期"),
    ("status", "hacked", "状态取值"),
    ("handler", "../../x", "UUID"),
    ("received_at", "2026-12-01T09:30:00+08:00", "不是有效的日期时间"),
    ("facts", "  ", "事实与理由不能为空"),
    ("nonsense", 1, "未知的字段"),
])
def test_each_broken_field_is_named(field: str, value: object, words: str) -> None:
    record = {**_complaint(), field: value}
    found = contract.problems("complaints", record, new=True)
    assert any(words in p for p in found), found


def test_a_missing_field_of_a_new_record() -> None:
    record = _complaint()
    del record["number"]
    assert contract.problems("complaints", record, new=True) == ["投诉单号缺失"]
    # An update carries only what changed.
    assert contract.problems("complaints", {"facts": "新的事实"}, new=False) == []


def test_history_may_lack_what_a_registration_requires() -> None:
    record = {**_complaint(), "channel_code": contract.HISTORY_CHANNEL, "complainant_address": ""}
    assert contract.problems("complaints", record, new=True) == []
    record["complainant_address"] = "x" * 201
    assert contract.problems("complaints", record, new=True)


def test_an_attachment_needs_its_hash() -> None:
    record = {"complaint": "0193a0d2-0000-7000-8000-000000000001", "sha256": None,
              "filename": "发票.jpg", "size": 10, "note": "",
              "added_by": "0193a0d2-0000-7000-8000-000000000002", "added_at": "2026-12-01T10:00:00"}
    assert contract.problems("attachments", record, new=True) == ["文件校验值不能为空"]
    record["sha256"] = "A" * 64
    assert contract.problems("attachments", record, new=True)
    record["sha256"] = "a" * 64
    assert contract.problems("attachments", record, new=True) == []


@pytest.mark.parametrize("name", ["../../TRAVERSED.sh", "/etc/passwd", "C:evil.bat",
                                  "a\\b.txt", "..", "x\x00.jpg", "CON", "nul.txt", "发票. "])
def test_an_attachment_name_is_never_a_path(name: str) -> None:
    assert contract.filename_problem(name)


@pytest.mark.parametrize("name", ["发票.jpg", "合同 (1).pdf", ".hidden", "a..b.png"])
def test_ordinary_names_pass(name: str) -> None:
    assert contract.filename_problem(name) is None


@pytest.mark.parametrize("number", ["../x", "WZ/20261201", "WZ 1", "-x"])
def test_a_number_is_letters_digits_and_hyphens(number: str) -> None:
    found = contract.problems("complaints", {"number": number}, new=False)
    assert found == ["投诉单号只能由字母、数字和连字符组成"]


@pytest.mark.parametrize(("field", "value"), [
    ("received_at", "2026-11-20"),  # a date for a time
    ("received_at", "20261120T090000"),
    ("received_at", "2026-W48-5"),
    ("purchase_date", "20261120"),
    ("purchase_date", "2026-11-20T09:00:00"),
])
def test_dates_and_times_only_as_the_program_writes_them(field: str, value: str) -> None:
    assert contract.problems("complaints", {field: value}, new=False)


@pytest.mark.parametrize("value", ["张\x1b伟", "王\u202e伟", "李\ud800", "赵\x85"])
def test_invisible_characters_and_lone_surrogates_are_refused(value: str) -> None:
    [problem] = contract.problems("complaints", {"complainant_name": value}, new=False)
    assert problem == "投诉人姓名含有不可见的控制字符或无效字符"


def test_line_breaks_and_tabs_are_text() -> None:
    assert contract.problems("complaints", {"facts": "第一行\n第二行\t完"}, new=False) == []


def test_a_quoted_value_never_carries_what_cannot_be_stored() -> None:
    [problem] = contract.problems("complaints", {"received_at": "x\ud800"}, new=False)
    problem.encode("utf-8")  # a lone surrogate would raise here
    assert "\ufffd" in problem
    [problem] = contract.problems("complaints", {"bad\ud800": 1}, new=False)
    problem.encode("utf-8")


def test_amounts_stop_where_the_offices_forms_stop() -> None:
    assert contract.problems("complaints", {"amount_cents": 10**10}, new=False) == []
    assert contract.problems("complaints", {"amount_cents": 10**10 + 1}, new=False)


_SAMPLES = (None, "", "abc", "a\u202eb", "x" * 300, 0, 1, -1, 2**31, True, False, 1.5,
            "0f0e0d0c-0b0a-4908-8706-050403020100", "0F0E0D0C-0B0A-4908-8706-050403020100",
            "WZCQ01", "WZCQ01WZCQ01X", "2026-11-19", "2026-11-19T09:30:00", [], {})


@pytest.mark.parametrize("entity", sorted(contract.RULES))
def test_the_quick_checks_judge_every_value_as_the_rules_do(entity: str) -> None:
    """field_problems passes common values by a quick test of their kind (issue 24); it must
    find exactly what the rule-by-rule `_problem` finds, for good and bad values alike."""
    rules = contract.RULES[entity]
    samples = [*_SAMPLES, *{c for r in rules.values() for c in (r.choices or ())}]
    for name, rule in rules.items():
        for value in samples:
            found = contract.field_problems(entity, {name: value}, new=False, require=False)
            problem = contract._problem(rule, name, value)
            if problem is None and entity == "attachments" and name == "filename" \
                    and value is not None:
                problem = contract.filename_problem(value)
            assert found == ([] if problem is None else [(name, f"{rule.label}{problem}")]), \
                (name, value)
