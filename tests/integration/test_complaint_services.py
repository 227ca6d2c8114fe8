"""Complaint services on a real database: paths, refusals, roles, office scope, audit."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop.db.models import AuditEntry
from desktop.db.uow import UnitOfWork
from desktop.domain.complaint import ComplaintFilter
from desktop.domain.errors import (
    ConflictError,
    FieldError,
    PermissionDenied,
    TransitionError,
    ValidationFailed,
)
from desktop.domain.workflow import Action, Result, Status
from tests.conftest import World, draft


def _audit(world: World) -> list[AuditEntry]:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_a_whole_complaint_from_registration_to_closing(world: World) -> None:
    s, clerk = world.s, world.clerk
    changed = s.complaints.register(clerk, draft())
    assert changed.number == "WZCQ01-20261119-0001"
    cid = changed.ids[0]
    c = s.complaints.get(clerk, cid)
    assert c.status is Status.REGISTERED
    assert c.due_on == c.deadlines.acceptance_due.day
    assert c.amount == Decimal("158000.00")
    assert c.allowed_actions == (Action.ACCEPT, Action.REJECT, Action.REQUEST_ID_PROOF,
                                 Action.TRANSFER)

    s.complaints.accept(clerk, cid, expected_version=c.version)
    c = s.complaints.get(clerk, cid)
    assert c.status is Status.ACCEPTED and c.accepted_on == world.clock.today()
    assert c.due_on == c.deadlines.mediation_due.day  # type: ignore[union-attr]

    s.records.add_mediation_record(clerk, cid, held_at=datetime(2026, 11, 20, 9, 0), means="on_site",
                                   participants="张伟、店长李强", content="双方当面协商", result="同意换车")
    c = s.complaints.get(clerk, cid)
    assert c.status is Status.MEDIATING
    assert len(s.records.mediation_records(clerk, cid)) == 1

    s.complaints.settle(clerk, cid, terms="经营者于 7 日内更换同型号新车", recovered="158000",
                        expected_version=c.version)
    c = s.complaints.get(clerk, cid)
    assert c.status is Status.SETTLED and c.due_on is None
    s.complaints.close(clerk, cid, result=Result.SETTLED, at_fault=True,
                       expected_version=c.version)
    c = s.complaints.get(clerk, cid)
    assert (c.status, c.result, c.recovered, c.at_fault) == (Status.CLOSED, "settled",
                                                             Decimal("158000.00"), True)
    history = s.records.history(clerk, cid)
    actions = [h.action for h in history]
    assert actions[0] == "投诉登记" and "受理" in actions and actions[-1] == "办结"
    assert any("调解中 → 调解成功" in h.text for h in history)
    assert s.audit.verify().ok


def test_every_change_is_audited_with_before_and_after(world: World) -> None:
    s, desk = world.s, world.desk
    cid = s.complaints.register(desk, draft()).ids[0]
    before = len(_audit(world))
    c = s.complaints.get(desk, cid)
    s.complaints.reject(desk, cid, ground="not_competent", note="应向吴江区局投诉",
                        expected_version=c.version)
    entries = _audit(world)[before:]
    update = next(e for e in entries if e.entity == "complaints")
    assert update.username == "desk" and update.action == "不予受理"
    assert update.reason == "应向吴江区局投诉"
    assert json.loads(update.before or "{}")["status"] == "registered"
    assert json.loads(update.after or "{}")["status"] == "rejected"
    assert json.loads(update.after or "{}")["rejection_ground"] == "not_competent"


def test_forbidden_transitions_are_refused_and_nothing_changes(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    c = s.complaints.get(clerk, cid)
    with pytest.raises(TransitionError, match="登记"):
        s.complaints.settle(clerk, cid, terms="退款", expected_version=c.version)
    with pytest.raises(TransitionError, match="不予受理依据"):
        s.complaints.reject(clerk, cid, ground="", expected_version=c.version)
    with pytest.raises(FieldError, match="法定依据"):
        s.complaints.reject(clerk, cid, ground="made_up", expected_version=c.version)
    assert s.complaints.get(clerk, cid).status is Status.REGISTERED
    assert s.complaints.get(clerk, cid).version == c.version


def test_wrong_role_is_refused(world: World) -> None:
    s = world.s
    cid = s.complaints.register(world.clerk, draft()).ids[0]
    with pytest.raises(PermissionDenied):
        s.complaints.register(world.dept_head, draft())
    c = s.complaints.get(world.clerk, cid)
    s.complaints.accept(world.clerk, cid, expected_version=c.version)
    c = s.complaints.get(world.clerk, cid)
    # A station cannot open an enforcement case; a sub-bureau desk can.
    with pytest.raises(TransitionError, match="分局窗口人员"):
        s.complaints.open_case(world.clerk, cid, note="涉嫌欺诈", expected_version=c.version)
    s.complaints.open_case(world.desk, cid, note="涉嫌欺诈", expected_version=c.version)
    c = s.complaints.get(world.desk, cid)
    s.complaints.close(world.desk, cid, result=Result.TRANSFERRED, expected_version=c.version)
    c = s.complaints.get(world.desk, cid)
    with pytest.raises(TransitionError, match="只能由"):
        s.complaints.reopen(world.clerk, cid, reason="补充证据", expected_version=c.version)
    s.complaints.reopen(world.head, cid, reason="投诉人补充证据", expected_version=c.version)
    assert s.complaints.get(world.head, cid).status is Status.MEDIATING


def test_office_scope(world: World) -> None:
    s = world.s
    mine = s.complaints.register(world.clerk, draft()).ids[0]
    theirs = s.complaints.register(world.other_clerk, draft(complainant_phone="13900001111")).ids[0]
    with pytest.raises(PermissionDenied, match="管辖范围"):
        s.complaints.get(world.clerk, theirs)
    with pytest.raises(PermissionDenied):
        s.complaints.accept(world.other_clerk, mine, expected_version=1)
    # The station sees its own; its sub-bureau sees its stations'; the district sees all.
    assert [r.id for r in s.complaints.page(world.clerk, ComplaintFilter()).rows] == [mine]
    assert [r.id for r in s.complaints.page(world.desk, ComplaintFilter()).rows] == [mine]
    assert {r.id for r in s.complaints.page(world.dept_head, ComplaintFilter()).rows} == {mine, theirs}


def test_personal_information_is_masked_where_not_needed(world: World) -> None:
    s = world.s
    cid = s.complaints.register(world.clerk, draft(complainant_id_number="11010519491231002X")).ids[0]
    row = s.complaints.page(world.clerk, ComplaintFilter()).rows[0]
    assert (row.complainant, row.phone) == ("张*", "138****5678")
    full = s.complaints.get(world.clerk, cid)
    assert full.complainant_phone == "13812345678" and not full.personal_info_masked
    masked = s.complaints.get(world.dept_head, cid)
    assert masked.complainant_phone == "138****5678"
    assert masked.complainant_id_number == "110105********002X"
    assert masked.personal_info_masked


def test_bad_input_lists_every_field_in_chinese(world: World) -> None:
    with pytest.raises(ValidationFailed) as err:
        world.s.complaints.register(world.clerk, draft(complainant_phone="1234", amount="-5",
                                                       respondent_credit_code="914403001922038217",
                                                       facts=" "))
    fields = err.value.by_field()
    assert set(fields) == {"投诉人电话", "涉案金额", "被投诉方统一社会信用代码", "事实与理由"}
    with pytest.raises(ValidationFailed, match="接收时间"):
        world.s.complaints.register(world.clerk, draft(received_at=datetime(2026, 11, 21, 9)))
    with pytest.raises(FieldError, match="代码表"):
        world.s.complaints.register(world.clerk, draft(channel_code="fax"))
    assert world.s.complaints.count(world.clerk, ComplaintFilter()) == 0


def test_edit_after_acceptance_needs_a_reason_and_a_current_version(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    version = s.complaints.get(clerk, cid).version
    with pytest.raises(FieldError, match="修改理由"):
        s.complaints.edit(clerk, cid, draft(subject="SUV"), expected_version=version)
    with pytest.raises(ConflictError, match="已被他人修改"):
        s.complaints.edit(clerk, cid, draft(subject="SUV"), expected_version=version - 1,
                          reason="更正车型")
    s.complaints.edit(clerk, cid, draft(subject="SUV"), expected_version=version, reason="更正车型")
    assert s.complaints.get(clerk, cid).subject == "SUV"
    assert any(h.reason == "更正车型" for h in s.records.history(clerk, cid))


def test_numbers_are_sequential_per_office_and_day(world: World) -> None:
    s = world.s
    a = s.complaints.register(world.clerk, draft()).number
    b = s.complaints.register(world.clerk, draft(complainant_phone="13900000000")).number
    c = s.complaints.register(world.desk, draft(complainant_phone="13900000001")).number
    assert (a, b, c) == ("WZCQ01-20261119-0001", "WZCQ01-20261119-0002", "WZCQ-20261119-0001")


def test_duplicate_warning_for_same_phone_and_respondent(world: World) -> None:
    s = world.s
    first = s.complaints.register(world.clerk, draft()).ids[0]
    found = s.complaints.duplicates(world.clerk, "138 1234 5678", "苏州东吴汽车销售服务有限公司")
    assert [r.id for r in found] == [first]
    assert s.complaints.duplicates(world.clerk, "13812345678", "别的公司") == []


def test_pause_and_resume_move_the_due_date(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    c = s.complaints.get(clerk, cid)
    original = c.due_on
    s.complaints.pause_clock(clerk, cid, reason="车辆送厂家检测", expected_version=c.version)
    c = s.complaints.get(clerk, cid)
    assert c.paused and c.due_on is None
    with pytest.raises(TransitionError, match="已经处于中止"):
        s.complaints.pause_clock(clerk, cid, reason="再次", expected_version=c.version)
    world.clock.at = datetime(2026, 11, 27, 10, 0)  # Fri 20 → Fri 27: seven days
    s.complaints.resume_clock(clerk, cid, note="检测报告已出", expected_version=c.version)
    c = s.complaints.get(clerk, cid)
    # The 2026 rules count mediation in calendar days: the paused days are calendar days too.
    assert not c.paused and c.deadlines.paused_days == 7
    assert original is not None and c.due_on is not None and c.due_on > original


def test_workbench_lists(world: World) -> None:
    s, clerk = world.s, world.clerk
    old = s.complaints.register(clerk, draft(received_at=datetime(2026, 11, 2, 9))).ids[0]
    today = s.complaints.register(clerk, draft(received_at=datetime(2026, 11, 20, 8),
                                               complainant_phone="13900000000")).ids[0]
    # Received 2 Nov: acceptance due 11 Nov, overdue on the 20th.
    assert [r.id for r in s.complaints.page(clerk, s.complaints.overdue_filter()).rows] == [old]
    assert [r.id for r in s.complaints.page(clerk, s.complaints.received_today_filter()).rows] == [today]
    assert s.complaints.count(clerk, s.complaints.open_filter(clerk)) == 2
    world.clock.at = datetime(2026, 11, 27, 9)  # today's complaint due Dec 1: two working days
    assert [r.id for r in s.complaints.page(clerk, s.complaints.due_soon_filter()).rows] == [today]


def test_attachments_are_stored_by_hash(world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    receipt = tmp_path / "发票.jpg"
    receipt.write_bytes(b"\xff\xd8receipt-bytes" * 1000)
    seen = []
    s.records.attach(clerk, cid, receipt, note="购车发票", progress=lambda d, t: seen.append((d, t)))
    [info] = s.records.attachments(clerk, cid)
    import hashlib

    assert info.sha256 == hashlib.sha256(receipt.read_bytes()).hexdigest()
    assert s.records.attachment_bytes(info.sha256) == receipt.read_bytes()
    # Stored sealed with the data key: the file on disk is not the receipt.
    assert receipt.read_bytes() not in s.records.blob_path(info.sha256).read_bytes()
    assert info.filename == "发票.jpg" and seen[-1] == (info.size, info.size)
    assert not list((world.s.ctx.data_dir / "attachments").glob(".incoming-*"))


def test_reopen_clears_the_earlier_outcome_but_history_keeps_it(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    c = s.complaints.get(clerk, cid)
    s.complaints.settle(clerk, cid, terms="退款 1000 元", recovered="1000", expected_version=c.version)
    c = s.complaints.get(clerk, cid)
    s.complaints.close(clerk, cid, result=Result.SETTLED, at_fault=True,
                       expected_version=c.version)
    c = s.complaints.get(world.head, cid)
    s.complaints.reopen(world.head, cid, reason="经营者未履行协议", expected_version=c.version)
    c = s.complaints.get(world.head, cid)
    assert c.status is Status.MEDIATING
    assert (c.result, c.closed_on, c.settlement_terms, c.recovered, c.at_fault, c.satisfaction) == (
        None, None, None, None, None, None)
    assert c.due_on == c.deadlines.mediation_due.day  # type: ignore[union-attr]
    texts = " ".join(h.text for h in s.records.history(clerk, cid))
    assert "退款 1000 元" in texts and "办结 → 调解中" in texts
    assert all(h.text for h in s.records.history(clerk, cid))


def test_the_due_date_that_matters_now_follows_the_status(world: World) -> None:
    s = world.s
    cid = s.complaints.register(world.desk, draft()).ids[0]
    s.complaints.accept(world.desk, cid, expected_version=1, odr=True)
    c = s.complaints.get(world.desk, cid)
    assert c.deadlines.odr_due is not None and c.due_on == c.deadlines.odr_due.day
    s.complaints.start_mediation(world.desk, cid, expected_version=c.version)
    c = s.complaints.get(world.desk, cid)
    assert c.due_on == c.deadlines.mediation_due.day  # type: ignore[union-attr]
    s.complaints.open_case(world.desk, cid, note="涉嫌销售假冒商品", expected_version=c.version)
    c = s.complaints.get(world.desk, cid)
    assert c.deadlines.violation_check_due is not None
    assert c.due_on == c.deadlines.violation_check_due.day
    s.complaints.close(world.desk, cid, result=Result.TRANSFERRED, expected_version=c.version)
    assert s.complaints.get(world.desk, cid).due_on is None


def test_acceptance_date_and_code_tables_are_checked(world: World) -> None:
    s, clerk = world.s, world.clerk
    with pytest.raises(FieldError, match="诉求类型"):
        s.complaints.register(clerk, draft(request_type="revenge"))
    cid = s.complaints.register(clerk, draft()).ids[0]
    from datetime import date

    with pytest.raises(FieldError, match="不能早于接收日期"):
        s.complaints.accept(clerk, cid, expected_version=1, on=date(2026, 11, 1))
    with pytest.raises(FieldError, match="受理日期"):
        s.complaints.accept(clerk, cid, expected_version=1, on=date(2026, 12, 1))
    assert s.complaints.get(clerk, cid).status is Status.REGISTERED


def test_calendar_change_moves_stored_due_dates(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]  # received Thu 19 Nov 2026
    before = s.complaints.get(clerk, cid).due_on
    assert before is not None
    from datetime import date

    # An extra holiday inside the window pushes the due date one working day later.
    s.reference.set_override(world.admin, date(2026, 11, 23), False, "临时休息")
    after = s.complaints.get(clerk, cid).due_on
    assert after is not None and after > before
    assert [r.id for r in s.complaints.page(clerk, s.complaints.overdue_filter()).rows] == []


def test_a_running_pause_ends_with_the_mediation(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    c = s.complaints.get(clerk, cid)
    s.complaints.pause_clock(clerk, cid, reason="送检", expected_version=c.version)
    c = s.complaints.get(clerk, cid)
    s.complaints.settle(clerk, cid, terms="退款", expected_version=c.version)
    c = s.complaints.get(clerk, cid)
    assert not c.paused
    with pytest.raises(TransitionError, match="没有调解计时"):
        s.complaints.resume_clock(clerk, cid, expected_version=c.version)


def test_history_masks_personal_information_for_non_handling_roles(world: World) -> None:
    s = world.s
    cid = s.complaints.register(world.clerk, draft()).ids[0]
    s.complaints.edit(world.clerk, cid, draft(complainant_name="李娜", complainant_phone="13900001111"),
                      expected_version=1)
    seen_by_clerk = " ".join(h.text for h in s.records.history(world.clerk, cid))
    seen_by_head = " ".join(h.text for h in s.records.history(world.dept_head, cid))
    assert "13900001111" in seen_by_clerk and "李娜" in seen_by_clerk
    assert "13900001111" not in seen_by_head and "李娜" not in seen_by_head
    assert "139****1111" in seen_by_head


def test_duplicate_warning_looks_only_in_scope_but_is_not_crowded_out(world: World) -> None:
    s = world.s
    for i in range(12):
        s.complaints.register(world.other_clerk, draft(received_at=datetime(2026, 11, 19, 8, i)))
    mine = s.complaints.register(world.clerk, draft()).ids[0]
    assert [r.id for r in s.complaints.duplicates(world.clerk, "13812345678",
                                                   "苏州东吴汽车销售服务有限公司")] == [mine]


def test_count_agrees_with_pages_in_due_order(world: World) -> None:
    from desktop.domain.complaint import SortKey

    s, clerk = world.s, world.clerk
    for i in range(3):
        s.complaints.register(clerk, draft(complainant_phone=f"1390000000{i}"))
    closed = s.complaints.register(clerk, draft(complainant_phone="13900000009")).ids[0]
    s.complaints.reject(clerk, closed, ground="not_competent", expected_version=1)
    s.complaints.close(clerk, closed, result=Result.REJECTED, expected_version=2)
    query = ComplaintFilter(sort=SortKey.DUE)
    assert s.complaints.count(clerk, query) == len(s.complaints.page(clerk, query).rows) == 3


def test_a_calendar_change_made_by_another_program_is_seen(world: World) -> None:
    from datetime import date

    from desktop.bootstrap import open_services

    s = world.s
    assert s.ctx.reference.calendar().is_working_day(date(2026, 11, 23))
    other = open_services(s.ctx.data_dir)  # e.g. hejie-admin on the same PC
    try:
        other.reference.set_override(world.admin, date(2026, 11, 23), False, "临时休息")
    finally:
        other.close()
    assert not s.ctx.reference.calendar().is_working_day(date(2026, 11, 23))
