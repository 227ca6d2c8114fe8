"""回访 and 送达 on a real database: satisfaction, the waiting list across National Day, the
setting, notice limits counted to delivery, audit, office scope."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from desktop.db.models import AuditEntry, Complaint
from desktop.db.uow import Actor, UnitOfWork
from desktop.domain.aftercare import FollowUpRule, FollowUpScope
from desktop.domain.errors import FieldError, PermissionDenied, TransitionError
from desktop.domain.workflow import Result
from desktop.services.dto import CurrentUser
from tests.conftest import World, draft


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour))


def _version(world: World, user: CurrentUser, cid: int) -> int:
    return world.s.complaints.get(user, cid).version


def _closed(world: World, on: date, *, accepted: bool = True, user: CurrentUser | None = None,
            received: date | None = None, **fields: object) -> int:
    """A complaint received, (accepted, settled) and closed on `on`, through the services;
    without acceptance it is transferred, then closed (neither needs a legal ground)."""
    s, user = world.s, user or world.clerk
    world.clock.at = _at(on)
    cid = s.complaints.register(user, draft(received_at=_at(received or on, 9), **fields)).ids[0]
    if accepted:
        s.complaints.accept(user, cid, expected_version=_version(world, user, cid))
        s.complaints.settle(user, cid, terms="退款", expected_version=_version(world, user, cid))
        result = Result.SETTLED
    else:
        s.complaints.transfer(user, cid, target="苏州市吴中区消费者协会",
                              expected_version=_version(world, user, cid))
        result = Result.TRANSFERRED
    s.complaints.close(user, cid, result=result, expected_version=_version(world, user, cid))
    return cid


def _call(world: World, cid: int, at: datetime, *, reached: bool = True,
          satisfaction: str | None = "satisfied", user: CurrentUser | None = None) -> None:
    world.s.aftercare.record_follow_up(
        user or world.clerk, cid, called_at=at, callee="张伟", means="phone", reached=reached,
        satisfaction=satisfaction if reached else None, note="")


def _column(world: World, cid: int, name: str) -> object:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return getattr(uow.session.get(Complaint, cid), name)


def _admin(world: World) -> Actor:
    """Who writes columns directly (what the services of this branch cannot set yet)."""
    return Actor(world.admin.id, world.admin.username)


def _waiting(world: World, user: CurrentUser | None = None) -> list[int]:
    return [r.complaint_id for r in world.s.aftercare.waiting_follow_ups(user or world.clerk).rows]


def test_a_reached_follow_up_sets_the_satisfaction_an_unreached_one_does_not(world: World) -> None:
    cid = _closed(world, date(2026, 11, 18))
    world.clock.at = _at(date(2026, 11, 20))
    _call(world, cid, datetime(2026, 11, 19, 9), reached=False)
    assert _column(world, cid, "satisfaction") is None
    _call(world, cid, datetime(2026, 11, 19, 15), satisfaction="basic")
    assert _column(world, cid, "satisfaction") == "basic"
    assert world.s.complaints.get(world.clerk, cid).satisfaction == "basic"
    # The latest reached call counts, whenever it was recorded.
    _call(world, cid, datetime(2026, 11, 20, 9), satisfaction="satisfied")
    _call(world, cid, datetime(2026, 11, 18, 16), satisfaction="unsatisfied")
    assert _column(world, cid, "satisfaction") == "satisfied"
    calls = world.s.aftercare.follow_ups(world.clerk, cid)
    assert [(c.called_at.day, c.reached, c.satisfaction) for c in calls] == [
        (18, True, "unsatisfied"), (19, False, None), (19, True, "basic"), (20, True, "satisfied")]
    assert {c.caller for c in calls} == {world.clerk.display_name}


def test_a_follow_up_is_checked_before_anything_is_written(world: World) -> None:
    s, clerk = world.s, world.clerk
    open_one = s.complaints.register(clerk, draft()).ids[0]
    with pytest.raises(TransitionError, match="办结后才回访"):
        _call(world, open_one, datetime(2026, 11, 20, 9))
    cid = _closed(world, date(2026, 11, 19))
    world.clock.at = _at(date(2026, 11, 20))
    at = datetime(2026, 11, 20, 9)
    cases = [
        (dict(reached=True, satisfaction=None), "满意度"),
        (dict(reached=False, satisfaction="satisfied"), "满意度"),
        (dict(reached=True, satisfaction="很满意"), "满意度"),
        (dict(reached=True, satisfaction="satisfied", means="wechat"), "回访方式"),
        (dict(reached=True, satisfaction="satisfied", callee=" "), "回访对象"),
        (dict(reached=True, satisfaction="satisfied", callee="张" * 61), "回访对象"),
        (dict(reached=True, satisfaction="satisfied", note="很" * 1001), "情况说明"),
        (dict(reached=True, satisfaction="satisfied", called_at=datetime(2026, 11, 18, 9)),
         "回访时间"),  # before the closing day
        (dict(reached=True, satisfaction="satisfied", called_at=datetime(2026, 11, 21, 9)),
         "回访时间"),  # in the future
    ]
    for changes, field in cases:
        values: dict = dict(called_at=at, callee="张伟", means="phone", note="")
        values.update(changes)
        with pytest.raises(FieldError) as refused:
            s.aftercare.record_follow_up(clerk, cid, **values)
        assert refused.value.field == field, changes
    with pytest.raises(PermissionDenied):
        s.aftercare.record_follow_up(world.cp, cid, called_at=at, callee="张伟", means="phone",
                                     reached=False)
    assert s.aftercare.follow_ups(clerk, cid) == []


def test_the_waiting_list_counts_working_days_across_national_day(world: World) -> None:
    overdue = _closed(world, date(2026, 9, 22))  # 5 working days: due Sep 30
    # Closed the day before the holiday: 9/30, then 10/8, 10/9, 10/10 (a make-up Saturday),
    # 10/12. Counted in calendar days it would have been overdue since Oct 5.
    eve = _closed(world, date(2026, 9, 29))
    unreached = _closed(world, date(2026, 9, 29))
    last = _closed(world, date(2026, 9, 30))  # due Oct 13
    not_accepted = _closed(world, date(2026, 9, 29), accepted=False)
    called = _closed(world, date(2026, 9, 29))
    still_open = world.s.complaints.register(
        world.clerk, draft(received_at=_at(date(2026, 9, 29), 9))).ids[0]
    before_the_rules = _closed(world, date(2026, 4, 14))  # the 2026 rules: from April 15
    world.clock.at = _at(date(2026, 10, 9))
    _call(world, called, datetime(2026, 10, 8, 10))
    _call(world, unreached, datetime(2026, 10, 8, 11), reached=False)

    waiting = world.s.aftercare.waiting_follow_ups(world.clerk)
    assert [r.complaint_id for r in waiting.rows] == [overdue, eve, unreached, last]
    assert (waiting.total, waiting.overdue) == (4, 1)
    by_id = {r.complaint_id: r for r in waiting.rows}
    assert by_id[overdue].due_on == date(2026, 9, 30) and by_id[overdue].overdue
    assert by_id[eve].due_on == date(2026, 10, 12) and not by_id[eve].overdue
    assert by_id[last].due_on == date(2026, 10, 13)
    assert (by_id[unreached].attempts, by_id[eve].attempts) == (1, 0)
    assert by_id[eve].complainant_name == "张*"  # masked: the list is seen over shoulders
    assert {not_accepted, called, still_open, before_the_rules}.isdisjoint(by_id)
    # On Oct 13 the ones closed on Sep 29 are late too; Sep 30's is due that day.
    world.clock.at = _at(date(2026, 10, 13))
    waiting = world.s.aftercare.waiting_follow_ups(world.clerk)
    assert [r.overdue for r in waiting.rows] == [True, True, True, False]
    assert waiting.overdue == 3
    # A page shows the most overdue; the counts cover them all.
    page = world.s.aftercare.waiting_follow_ups(world.clerk, limit=2)
    assert [r.complaint_id for r in page.rows] == [overdue, eve] and page.total == 4


def test_a_reopened_complaint_needs_a_new_follow_up_after_its_new_closing(world: World) -> None:
    cid = _closed(world, date(2026, 11, 16))
    world.clock.at = _at(date(2026, 11, 17))
    _call(world, cid, datetime(2026, 11, 17, 9))
    assert cid not in _waiting(world)
    s, head = world.s, world.head
    s.complaints.reopen(head, cid, reason="投诉人反映未履行", expected_version=_version(world, head, cid))
    assert _column(world, cid, "satisfaction") is None  # the earlier outcome no longer stands
    s.complaints.settle(world.clerk, cid, terms="退款", expected_version=_version(world, head, cid))
    world.clock.at = _at(date(2026, 11, 19))
    s.complaints.close(world.clerk, cid, result=Result.SETTLED,
                       expected_version=_version(world, head, cid))
    assert cid in _waiting(world)


def test_the_setting_changes_which_are_listed(world: World) -> None:
    accepted = _closed(world, date(2026, 11, 16))
    transferred = _closed(world, date(2026, 11, 16), accepted=False)
    older = _closed(world, date(2026, 3, 2))
    world.clock.at = _at(date(2026, 11, 20))
    s, admin = world.s, world.admin
    rule = s.aftercare.follow_up_rule(world.clerk)
    assert rule == FollowUpRule(FollowUpScope.ACCEPTED, 5, date(2026, 4, 15))
    assert _waiting(world) == [accepted]
    assert s.aftercare.waiting_follow_ups(world.clerk).overdue == 0  # due Nov 23

    assert s.aftercare.follow_up_due(world.clerk, accepted) == date(2026, 11, 23)
    assert s.aftercare.follow_up_due(world.clerk, transferred) is None
    assert s.aftercare.follow_up_due(world.clerk, older) is None

    s.aftercare.set_follow_up_rule(admin, replace(rule, scope=FollowUpScope.ALL_COMPLAINTS))
    assert _waiting(world) == [accepted, transferred]
    assert s.aftercare.follow_up_due(world.clerk, transferred) == date(2026, 11, 23)
    s.aftercare.set_follow_up_rule(admin, FollowUpRule(FollowUpScope.ACCEPTED, 3,
                                                       date(2026, 1, 1)))
    waiting = s.aftercare.waiting_follow_ups(world.clerk)
    assert [r.complaint_id for r in waiting.rows] == [older, accepted]
    assert waiting.rows[1].due_on == date(2026, 11, 19) and waiting.overdue == 2
    s.aftercare.set_follow_up_rule(admin, replace(rule, scope=FollowUpScope.NONE))
    assert _waiting(world) == [] and s.aftercare.waiting_follow_ups(world.clerk).total == 0
    assert s.aftercare.follow_up_rule(world.clerk).scope is FollowUpScope.NONE

    with pytest.raises(PermissionDenied):
        s.aftercare.set_follow_up_rule(world.head, rule)
    with pytest.raises(FieldError) as refused:
        s.aftercare.set_follow_up_rule(admin, replace(rule, days=0))
    assert refused.value.field == "回访期限"
    with UnitOfWork(s.ctx.engine, write=False) as uow:
        changes = uow.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "回访设置", AuditEntry.entity == "app_settings")).all()
    assert {c.username for c in changes} == {"admin"}
    assert any(json.loads(c.after or "{}").get("key") == "follow_up.scope"
               and "none" in (c.after or "") for c in changes)


def test_a_report_with_a_real_name_waits_only_under_the_wider_setting(world: World) -> None:
    complaint = _closed(world, date(2026, 11, 16))
    named, anonymous = _closed(world, date(2026, 11, 16)), _closed(world, date(2026, 11, 16))
    with UnitOfWork(world.s.ctx.engine, _admin(world), "测试") as uow:
        for cid, real_name in ((named, True), (anonymous, False)):
            c = uow.session.get(Complaint, cid)
            c.kind, c.reporter_real_name = "report", real_name
        uow.commit()
    world.clock.at = _at(date(2026, 11, 20))
    assert _waiting(world) == [complaint]
    rule = world.s.aftercare.follow_up_rule(world.admin)
    world.s.aftercare.set_follow_up_rule(world.admin, replace(
        rule, scope=FollowUpScope.COMPLAINTS_AND_REPORTS))
    assert _waiting(world) == [complaint, named]


def test_scope_a_station_of_another_sub_bureau_sees_none_of_them(world: World) -> None:
    cid = _closed(world, date(2026, 11, 16))
    theirs = _closed(world, date(2026, 11, 16), user=world.other_clerk,
                     complainant_phone="13900001111")
    world.clock.at = _at(date(2026, 11, 20))
    assert _waiting(world, world.clerk) == [cid]
    assert _waiting(world, world.other_clerk) == [theirs]
    assert _waiting(world, world.desk) == [cid]  # the sub-bureau sees its stations'
    assert sorted(_waiting(world, world.dept_head)) == sorted([cid, theirs])  # the district all
    with pytest.raises(PermissionDenied, match="管辖范围"):
        _call(world, cid, datetime(2026, 11, 20, 9), user=world.other_clerk)
    with pytest.raises(PermissionDenied):
        world.s.aftercare.follow_ups(world.other_clerk, cid)
    with pytest.raises(PermissionDenied):
        world.s.aftercare.notice_status(world.other_clerk, cid)
    with pytest.raises(PermissionDenied):
        world.s.aftercare.record_delivery(
            world.other_clerk, cid, notice="acceptance", means="sms",
            delivered_at=datetime(2026, 11, 20, 9), recipient="张伟")


def test_follow_ups_and_deliveries_are_audited_and_told_in_the_history(world: World) -> None:
    cid = _closed(world, date(2026, 11, 18), received=date(2026, 11, 17))
    world.clock.at = _at(date(2026, 11, 20))
    _call(world, cid, datetime(2026, 11, 19, 14))
    world.s.aftercare.record_delivery(world.clerk, cid, notice="acceptance", means="sms",
                                      delivered_at=datetime(2026, 11, 18, 11),
                                      recipient="张伟", note="短信告知受理")
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        uuid = uow.session.get(Complaint, cid).uuid
        entries = uow.session.scalars(select(AuditEntry).where(
            AuditEntry.root_uuid == uuid, AuditEntry.entity.in_(
                ("follow_ups", "notice_deliveries")))).all()
    assert [(e.entity, e.operation, e.action, e.username) for e in entries] == [
        ("follow_ups", "insert", "回访", "clerk"), ("notice_deliveries", "insert", "送达", "clerk")]
    texts = [h.text for h in world.s.records.history(world.clerk, cid)]
    assert "电话回访张伟：联系上，满意度：满意" in texts
    assert "满意度：（空） → 满意" in texts
    assert "《受理决定》以短信方式送达张伟（2026-11-18 11:00）；短信告知受理" in texts
    assert world.s.audit.verify().ok


def test_a_delivery_shows_in_the_notice_status_late_in_working_days(world: World) -> None:
    # Received Sep 21, the acceptance limit is 7 working days on: Oct 8 (the holiday between).
    world.clock.at = _at(date(2026, 9, 29))
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft(received_at=_at(date(2026, 9, 21), 9))).ids[0]
    s.complaints.accept(clerk, cid, expected_version=_version(world, clerk, cid))
    world.clock.at = _at(date(2026, 10, 13))
    [acceptance] = s.aftercare.notice_status(clerk, cid)
    assert (acceptance.notice, acceptance.issued_on, acceptance.limit) == (
        "acceptance", date(2026, 9, 29), date(2026, 10, 8))
    assert not acceptance.delivered and acceptance.late_days == 4  # Oct 9, 10, 12, 13 so far
    # Delivered on Oct 12: three working days late (Oct 9, the make-up Saturday Oct 10, Oct 12).
    s.aftercare.record_delivery(clerk, cid, notice="acceptance", means="letter",
                                delivered_at=datetime(2026, 10, 12, 16), recipient="张伟")
    [acceptance] = s.aftercare.notice_status(clerk, cid)
    assert acceptance.delivered and acceptance.first.means == "letter"  # type: ignore[union-attr]
    assert acceptance.late_days == 3
    [delivery] = s.aftercare.deliveries(clerk, cid)
    assert (delivery.notice, delivery.late_days, delivery.recipient) == ("acceptance", 3, "张伟")


def test_termination_and_other_notices_apply_as_the_complaint_reaches_them(world: World) -> None:
    s, clerk = world.s, world.clerk
    world.clock.at = _at(date(2026, 11, 2))
    cid = s.complaints.register(clerk, draft(received_at=_at(date(2026, 11, 2), 9))).ids[0]
    s.complaints.accept(clerk, cid, expected_version=_version(world, clerk, cid))
    with pytest.raises(FieldError, match="终止调解决定") as refused:
        s.aftercare.record_delivery(clerk, cid, notice="termination", means="phone",
                                    delivered_at=datetime(2026, 11, 2, 9, 30), recipient="张伟")
    assert refused.value.field == "文书"
    # Terminated (written directly: the grounds' check is being reworked) and the mediation
    # notice sent before; the termination notice is due 7 working days after: Nov 18.
    with UnitOfWork(s.ctx.engine, _admin(world), "测试") as uow:
        c = uow.session.get(Complaint, cid)
        c.status, c.terminated_on, c.termination_ground = "terminated", date(2026, 11, 9), "t1"
        c.mediation_at = datetime(2026, 11, 5, 9)
        uow.commit()
    world.clock.at = _at(date(2026, 11, 20))
    with pytest.raises(FieldError, match="终止调解日期 2026-11-09") as refused:
        s.aftercare.record_delivery(clerk, cid, notice="termination", means="phone",
                                    delivered_at=datetime(2026, 11, 6, 15), recipient="张伟")
    assert refused.value.field == "送达时间"
    status = {n.notice: n for n in s.aftercare.notice_status(clerk, cid)}
    assert list(status) == ["acceptance", "mediation", "termination"]
    assert status["mediation"].limit is None and status["mediation"].late_days == 0
    assert status["termination"].limit == date(2026, 11, 18)
    assert status["termination"].late_days == 2  # Nov 19 and 20, and still not delivered
    s.aftercare.record_delivery(clerk, cid, notice="termination", means="in_person",
                                delivered_at=datetime(2026, 11, 16, 10), recipient="张伟")
    s.aftercare.record_delivery(clerk, cid, notice="termination", means="letter",
                                delivered_at=datetime(2026, 11, 19, 10),
                                recipient="苏州东吴汽车销售服务有限公司")
    termination = {n.notice: n for n in s.aftercare.notice_status(clerk, cid)}["termination"]
    assert termination.late_days == 0  # the first delivery counts for the notice …
    assert [d.late_days for d in termination.deliveries] == [0, 1]  # … each shows its own
    with pytest.raises(FieldError) as refused:
        s.aftercare.record_delivery(clerk, cid, notice="termination", means="fax",
                                    delivered_at=datetime(2026, 11, 19, 10), recipient="张伟")
    assert refused.value.field == "送达方式"
    with pytest.raises(FieldError) as refused:
        s.aftercare.record_delivery(clerk, cid, notice="termination", means="sms",
                                    delivered_at=datetime(2026, 11, 19, 10), recipient="")
    assert refused.value.field == "受送达人"


def test_the_waiting_list_is_read_through_indexes_not_by_scanning(world: World) -> None:
    """At 100,000 complaints: closed ones from a day on, by ix_complaints_status_closed in the
    order shown (no sort), each probed for a 回访 by ix_follow_ups_complaint_id."""
    from sqlalchemy import event

    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, many):  # type: ignore[no-untyped-def]
        if "follow_ups" in statement and "closed_on" in statement:
            seen.append((statement, parameters))

    engine = world.s.ctx.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        world.s.aftercare.waiting_follow_ups(world.desk)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(seen) == 2  # the counts and the page: one query each
    with engine.connect() as connection:
        for statement, parameters in seen:
            plan = " | ".join(row[3] for row in connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters))  # type: ignore[arg-type]
            assert "USING INDEX ix_complaints_status_closed (status=? AND closed_on>?)" in plan
            assert "ix_follow_ups_complaint_id" in plan
            assert "TEMP B-TREE" not in plan, plan
