"""The 2026 mediation limit reaches installed offices: on the first start of the updated program
the shipped values of `samr-2026` replace the earlier shipped ones, open complaints get their due
dates recomputed (audited), users are told once; an administrator's own values are not touched."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select

from desktop.bootstrap import open_services
from desktop.db.models import RuleSetRow
from desktop.db.uow import UnitOfWork
from desktop.domain.deadlines import DayUnit, PeriodEnd
from desktop.domain.workflow import Status
from desktop.services.reference import shipped_rule_sets
from tests.conftest import World, draft
from tests.office_db import office_db

OLD_2026 = next(s for s in shipped_rule_sets() if s.rules.code == "samr-2026").earlier[0]


def _sql(world: World, *statements: tuple[str, tuple]) -> None:
    con = office_db(world.s.ctx.data_dir)
    for sql, args in statements:
        con.execute(sql, args)
    con.commit()
    con.close()


def _as_before_the_update(world: World, mediation_days: int = 45) -> None:
    """The database as the previous program left it: samr-2026 with the 2020 values it shipped
    (or with an administrator's edit), no record of the shipped revision."""
    # Through the unit of work, so the audit log agrees with the rows (audit verify checks).
    with UnitOfWork(world.s.ctx.engine, reason="旧版本程序的数值（测试）") as uow:
        row = uow.session.scalars(select(RuleSetRow).where(RuleSetRow.code == "samr-2026")).one()
        row.mediation_days, row.mediation_unit = mediation_days, "working"
        row.tentative, row.note = True, OLD_2026.note
        # What migration 0008 gives a set the program had not yet filled in.
        row.report_check_days = row.report_check_extension = None
        row.grounds, row.confidence, row.forms = "{}", "{}", "2020"
        uow.commit()
    _sql(world,
         ("DELETE FROM app_settings WHERE key = 'rule_set_revision:samr-2026'", ()),
         ("UPDATE app_settings SET value = 'before' WHERE key = 'reference_generation'", ()))
    assert world.s.reference.rule_sets()[-1].mediation_unit is DayUnit.WORKING


def _mediating(world: World, received: date, accepted: date) -> int:
    world.clock.at = datetime.combine(accepted, datetime.min.time()).replace(hour=10)
    try:
        cid = world.s.complaints.register(
            world.clerk, draft(received_at=datetime.combine(received, datetime.min.time()).replace(hour=9))
        ).ids[0]
        world.s.complaints.accept(world.clerk, cid, expected_version=1, on=accepted)
        world.s.complaints.start_mediation(world.clerk, cid, expected_version=2)
    finally:
        world.clock.at = datetime(2026, 11, 20, 10, 0)
    return cid


def _restart(world: World) -> list[str]:
    """Close the program and start the updated one on the same folder."""
    data_dir = world.s.ctx.data_dir
    world.s.close()
    world.s = open_services(data_dir, clock=world.clock)
    return world.s.reference.apply_shipped_rule_sets()  # already ran in open_services: nothing left


def _due(world: World, cid: int) -> date | None:
    return world.s.complaints.get(world.admin, cid).due_on


def _audit(world: World, action: str) -> list[tuple[str, dict, dict]]:
    con = office_db(world.s.ctx.data_dir)
    rows = con.execute("SELECT entity, before, after FROM audit_log WHERE action = ? ORDER BY id",
                       (action,)).fetchall()
    con.close()
    return [(e, json.loads(b or "{}"), json.loads(a or "{}")) for e, b, a in rows]


def test_a_new_office_carries_60_days_from_acceptance(world: World) -> None:
    rules = next(r for r in world.s.reference.rule_sets() if r.code == "samr-2026")
    assert (rules.mediation_days, rules.mediation_unit) == (60, DayUnit.CALENDAR)
    assert rules.period_end is PeriodEnd.NEXT_WORKING_DAY and not rules.tentative
    assert "待确认" not in rules.note and "60 日" in rules.note and "顺延" in rules.note
    cid = _mediating(world, date(2026, 5, 6), date(2026, 5, 8))
    detail = world.s.complaints.get(world.clerk, cid)
    assert detail.deadlines.rule_set.code == "samr-2026"
    assert detail.due_on == date(2026, 7, 7)
    assert not any("待确认" in w for w in detail.deadlines.warnings)
    assert _restart(world) == []  # nothing to update in a new installation


def test_the_update_moves_open_complaints_to_the_60_day_limit_and_audits_each(world: World) -> None:
    _as_before_the_update(world)
    late = _mediating(world, date(2026, 9, 16), date(2026, 9, 18))  # 45 working days: 26 Nov
    soon = _mediating(world, date(2026, 10, 20), date(2026, 10, 21))  # 45 working days: 23 Dec
    old_rules = _mediating(world, date(2026, 4, 10), date(2026, 4, 13))  # samr-2020
    waiting = world.s.complaints.register(world.clerk, draft()).ids[0]  # not yet accepted
    before = {cid: _due(world, cid) for cid in (late, soon, old_rules, waiting)}
    assert before[late] == date(2026, 11, 26) and before[soon] == date(2026, 12, 23)

    data_dir = world.s.ctx.data_dir
    world.s.close()
    world.s = open_services(data_dir, clock=world.clock)  # the first start of the updated program

    rules = next(r for r in world.s.reference.rule_sets() if r.code == "samr-2026")
    assert (rules.mediation_days, rules.mediation_unit, rules.tentative) == (60, DayUnit.CALENDAR, False)
    assert _due(world, late) == date(2026, 11, 17)  # 18 Sep + 60 days: overdue on 20 Nov
    assert _due(world, soon) == date(2026, 12, 21)  # 21 Oct + 60 = Sun 20 Dec → Mon 21 Dec
    assert _due(world, old_rules) == before[old_rules] and _due(world, waiting) == before[waiting]

    updated = _audit(world, "更新内置时限规则")
    assert [e for e, _, _ in updated if e == "rule_sets"] == ["rule_sets"]
    rule_change = next((b, a) for e, b, a in updated if e == "rule_sets")
    assert rule_change[0]["mediation_days"] == 45 and rule_change[1]["mediation_days"] == 60
    recomputed = _audit(world, "时限规则变更，重算期限")
    assert sorted((b["due_on"], a["due_on"]) for e, b, a in recomputed if e == "complaints") == [
        ("2026-11-26", "2026-11-17"), ("2026-12-23", "2026-12-21")]
    assert world.s.audit.verify().ok

    # Told once: the station's clerk sees both, the overdue one first; another station nothing.
    notice = world.s.reference.workbench_notices(world.clerk).deadlines
    assert notice is not None
    assert [(m.complaint_id, m.before, m.after, m.overdue) for m in notice.moved] == [
        (late, date(2026, 11, 26), date(2026, 11, 17), True),
        (soon, date(2026, 12, 23), date(2026, 12, 21), False)]
    assert notice.moved[0].status is Status.MEDIATING and "samr" not in notice.reason
    assert world.s.reference.workbench_notices(world.other_clerk).deadlines is None
    world.s.reference.dismiss_deadline_notice(world.clerk, notice.id)
    assert world.s.reference.workbench_notices(world.clerk).deadlines is None
    assert world.s.reference.workbench_notices(world.desk).deadlines is not None

    # A second start changes nothing and tells no one again.
    entries = len(_audit(world, "时限规则变更，重算期限"))
    assert _restart(world) == []
    assert len(_audit(world, "时限规则变更，重算期限")) == entries
    assert world.s.reference.workbench_notices(world.clerk).deadlines is None


def test_an_edited_rule_set_is_left_alone_until_the_administrator_decides(world: World) -> None:
    _as_before_the_update(world, mediation_days=50)  # this office's administrator changed it
    cid = _mediating(world, date(2026, 9, 16), date(2026, 9, 18))
    edited_due = _due(world, cid)
    assert _restart(world) == []
    rules = next(r for r in world.s.reference.rule_sets() if r.code == "samr-2026")
    assert (rules.mediation_days, rules.mediation_unit) == (50, DayUnit.WORKING)
    assert _due(world, cid) == edited_due
    assert _audit(world, "更新内置时限规则") == []

    offers = world.s.reference.rule_set_offers()
    assert [(o.code, o.own.mediation_days, o.shipped.mediation_days) for o in offers] == [
        ("samr-2026", 50, 60)]
    # The workbench tells an administrator, once; other users are not asked.
    assert world.s.reference.workbench_notices(world.admin).offers == tuple(offers)
    assert world.s.reference.workbench_notices(world.desk).offers == ()
    world.s.reference.dismiss_rule_set_offers(world.admin, tuple(offers))
    assert world.s.reference.workbench_notices(world.admin).offers == ()
    assert world.s.reference.rule_set_offers() == offers  # the rule-set screen still asks

    world.s.reference.adopt_shipped_rule_set(world.admin, "samr-2026")
    assert world.s.reference.rule_set_offers() == []
    assert _due(world, cid) == date(2026, 11, 17)
    assert [(b["due_on"], a["due_on"]) for e, b, a in _audit(world, "时限规则变更，重算期限")
            if e == "complaints"] == [(edited_due.isoformat(), "2026-11-17")]
    assert world.s.reference.workbench_notices(world.clerk).deadlines is not None
    assert _restart(world) == []


def test_keeping_the_offices_own_values_ends_the_question(world: World) -> None:
    _as_before_the_update(world, mediation_days=50)
    cid = _mediating(world, date(2026, 9, 16), date(2026, 9, 18))
    _restart(world)
    world.s.reference.keep_own_rule_set(world.admin, "samr-2026")
    assert world.s.reference.rule_set_offers() == []
    assert world.s.reference.workbench_notices(world.admin).offers == ()
    assert next(r for r in world.s.reference.rule_sets() if r.code == "samr-2026").mediation_days == 50
    assert _due(world, cid) == world.s.reference.due_date(date(2026, 9, 18), 50).day
    assert _restart(world) == []
    assert world.s.reference.rule_set_offers() == []
