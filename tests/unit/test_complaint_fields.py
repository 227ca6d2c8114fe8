"""The catalogue of complaint fields against the model and everything that reads it: a column
without an entry (and so without a Chinese label), a draft, detail or list row that lacks a
catalogued field, or a search index that differs from the catalogue fails here."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path

from desktop.db import rows
from desktop.db.models import ClockPause, Complaint, MediationRecord
from desktop.db.search import INDEXED_COLUMNS
from desktop.domain import complaint_fields as cf
from desktop.domain import contract
from desktop.domain.complaint import LABELS, ComplaintDraft
from desktop.forms import code as qr
from desktop.services.dto import ComplaintDetail, ComplaintRow
from desktop.services.printing import PrintService

_CJK = re.compile(r"[\u4e00-\u9fff]")
_COLUMNS = [c.key for c in Complaint.__table__.columns
            if c.key not in rows.BOOKKEEPING | rows.IDENTITY]


def test_every_column_of_a_complaint_has_its_entry_and_a_chinese_label() -> None:
    missing = [name for name in _COLUMNS if name not in cf.BY_NAME]
    assert not missing, f"columns without an entry in domain/complaint_fields.py: {missing}"
    unlabelled = [name for name in _COLUMNS if not _CJK.search(cf.label(name))]
    assert not unlabelled, unlabelled
    assert set(cf.BY_NAME) == set(_COLUMNS), "an entry names no column"
    assert len({f.label for f in cf.FIELDS}) == len(cf.FIELDS), "two fields share a label"


def test_the_wire_contract_takes_the_catalogues_rules() -> None:
    rules = contract.RULES["complaints"]
    assert set(rules) == {f.wire for f in cf.FIELDS}
    for f in cf.FIELDS:
        assert rules[f.wire].label == f.label
        assert rules[f.wire].max_len == f.max_len and rules[f.wire].null == f.null


def test_what_reads_a_complaint_carries_every_field_it_shows() -> None:
    """A field added to the catalogue is pointed out here where it must be added."""
    draft = {f.name for f in fields(ComplaintDraft)}
    assert [f.key for f in cf.FORM_FIELDS if f.key not in draft] == [], "ComplaintDraft"
    detail = {f.name for f in fields(ComplaintDetail)}
    assert [f.key for f in cf.FIELDS if f.key not in detail] == [], "ComplaintDetail"
    row = {f.name for f in fields(ComplaintRow)}
    assert [f.name for f in cf.LEDGER
            if cf.BY_NAME[f.name].key not in row and f.name not in ("complainant_name",
                                                                    "complainant_phone")] == []
    assert {f.key: f.label for f in cf.FORM_FIELDS} == LABELS


def test_form_fields_say_how_they_are_typed() -> None:
    for f in cf.FORM_FIELDS:
        assert f.group is not cf.Group.HANDLING, f.name
        assert 1 <= f.width <= 3, f.name
        assert (f.editor == "code") == (f.codes is not None), f.name
        assert f.editor != "line" or f.kind == "text", f.name
    assert [f.name for f in cf.PERSONAL] == ["complainant_name", "complainant_phone",
                                            "complainant_id_number", "complainant_address"]


def test_the_search_index_covers_the_searchable_fields_in_the_triggers_order() -> None:
    migration = (Path(__file__).parents[2] / "desktop" / "db" / "migrations" / "versions"
                 / "0002_calendar_and_search.py").read_text(encoding="utf-8")
    spelled = re.search(r'_COLUMNS = "([^"]+)"', migration)
    assert spelled is not None
    assert tuple(c.strip() for c in spelled[1].split(",")) == INDEXED_COLUMNS


def test_the_ledger_columns_are_in_order() -> None:
    places = [f.ledger[1] for f in cf.LEDGER]  # type: ignore[index]
    assert places == sorted(places) and len(set(places)) == len(places)


def test_a_printed_sheets_checksum_is_what_it_was() -> None:
    """Paper printed before the row conversion moved to db/rows.py must still verify."""
    c = Complaint(
        id=7, uuid="0193a0d2-0000-7000-8000-000000000007", version=5,
        number="WZCQ01-20261119-0001", district_number=None, channel_code="walk_in",
        received_at=datetime(2026, 11, 19, 9, 30), registered_by_id=2, office_id=1, handler_id=2,
        complainant_name="张三", complainant_phone="13812345678", complainant_address="苏州市吴中区",
        complainant_id_number=None, respondent_name="某电器商店", respondent_credit_code=None,
        respondent_address="吴中区", enterprise_id=None, subject="空调", category_code="goods",
        brand_model="X5", purchase_date=date(2026, 10, 1), amount_cents=359900,
        request_type="refund", request="退款", facts="不制冷", status="mediating",
        rule_set_code="samr-2026", due_on=date(2027, 1, 5), accepted_on=date(2026, 11, 20),
        at_fault=None, recovered_cents=None, updated_at=datetime(2026, 11, 21, 8, 0))
    c.pauses.append(ClockPause(id=3, uuid="p", version=2, started_on=date(2026, 11, 21),
                               ended_on=None, reason="送检"))
    session = MediationRecord(id=4, uuid="m", version=1, complaint_id=7,
                              held_at=datetime(2026, 11, 20, 9, 0), means="on_site", place="",
                              participants="双方", content="协商", result="", recorded_by_id=2)
    assert qr.checksum(PrintService._content(c, [session])) == "66F5B294"


def test_a_column_added_later_counts_in_the_checksum_once_it_holds_something() -> None:
    from desktop.services import printing

    c = Complaint(number="N-1", facts="不制冷", brand_model="")
    content = PrintService._content(c, [])
    del content["complaint"]["brand_model"]
    printed_before = qr.checksum(content)  # as computed before the column existed
    covered = printing._FIRST_COLUMNS["complaints"]
    printing._FIRST_COLUMNS["complaints"] = covered - {"brand_model"}  # as if added since
    try:
        assert qr.checksum(PrintService._content(c, [])) == printed_before
        c.brand_model = None  # type: ignore[assignment]
        assert qr.checksum(PrintService._content(c, [])) == printed_before
        c.brand_model = "X5"
        assert qr.checksum(PrintService._content(c, [])) != printed_before
    finally:
        printing._FIRST_COLUMNS["complaints"] = covered
