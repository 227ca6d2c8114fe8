"""The office reference (issue 22): the calendar's overrides and confirmed years, the rule sets,
the code tables and the 企业库 an administrator changes on one PC reach the office's other PCs,
which then compute the same deadlines. Real hub on loopback, SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from desktop.db.models import CalendarYear, Complaint, HolidayOverride, OfficeReference, RuleSetRow
from desktop.db.sync.office_reference import reference_uuid
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import PermissionDenied
from tests.sync.office import by_uuid, office, register, uuid_of

DAY = datetime(2026, 11, 19, 9, 30)  # a Thursday
REST = date(2026, 11, 23)  # the Monday after: made a rest day (调休) on PC 1
CREDIT = "914403001922038216"


def _overrides(world) -> dict[date, bool]:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return {o.day: o.is_working for o in uow.session.scalars(select(HolidayOverride))}


def _due(world, uuid: str) -> date | None:
    got = by_uuid(world, uuid)
    assert got is not None
    return got.due_on


def _notes(world) -> dict[str, str]:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return {r.code: r.note for r in uow.session.scalars(select(RuleSetRow))}


def _reworded(world, note: str):
    """The rule set the test complaints follow, with new wording."""
    complaint = world.s.reference.rule_sets()[-1]
    return dataclasses.replace(complaint, note=note)


def _enterprise_names(world, text: str) -> list[str]:
    return [e.name for e in world.s.enterprises.search(world.admin, text)]


def _administer_on(pc) -> None:
    """What PC 1's administrator changes: a 调休 day, a rule set's wording, a new enterprise."""
    pc.s.reference.set_override(pc.admin, REST, False, "调休")
    pc.s.reference.save_rule_set(pc.admin, _reworded(pc, "本单位补充说明：以工作日计"))
    pc.s.enterprises.save(pc.admin, name="苏州吴中太湖家具有限公司", credit_code=CREDIT,
                          address="苏州市吴中区木渎镇")


def test_what_the_administrator_changes_on_one_pc_reaches_the_other(hub, tmp_path):
    a, _ = office(tmp_path, "a", "WZCQ01", hub)
    b, _ = office(tmp_path, "b", "WZCQ01", hub)
    cid = register(a, received_at=DAY)
    uuid = uuid_of(a, cid)
    a.s.sync.run()
    b.s.sync.run()
    before = _due(b, uuid)
    assert before == _due(a, uuid)
    # PC 2 registers a complaint of its own, offline, with the old calendar.
    bid = register(b, received_at=DAY)
    buuid = uuid_of(b, bid)

    _administer_on(a)
    after = _due(a, uuid)
    assert after is not None and before is not None and after > before  # the 调休 day moved it
    a.s.sync.run()
    report = b.s.sync.run()
    assert any("工作日日历" in m for m in report.messages)
    assert _overrides(b) == {REST: False}
    assert _due(b, uuid) == after  # the same deadline for the same complaint
    assert _notes(b) == _notes(a)
    assert _enterprise_names(b, "太湖家具") == ["苏州吴中太湖家具有限公司"]
    # PC 2's own complaint follows the new calendar there, and PC 1 gets the same date.
    b_due = _due(b, buuid)
    b.s.sync.run()
    a.s.sync.run()
    assert _due(a, buuid) == b_due
    for pc in (a, b):  # nothing left to recompute: both hold what their calendars give
        assert pc.s.complaints.refresh_due_dates(None) == 0
    # One document, the same on both PCs and at the hub.
    with UnitOfWork(b.s.ctx.engine, write=False) as uow:
        doc = uow.session.scalars(select(OfficeReference)).one()
        assert doc.uuid == reference_uuid("WZCQ01")
    assert not a.s.audit.verify().problems and not b.s.audit.verify().problems
    a.s.close()
    b.s.close()


def test_a_joining_pc_takes_the_office_reference_on_its_first_round(hub, tmp_path):
    from desktop.bootstrap import open_services
    from desktop.services.base import FixedClock
    from tests.conftest import NOW, PASSWORD

    a, _ = office(tmp_path, "a", "WZCQ01", hub)
    cid = register(a, received_at=DAY)
    _administer_on(a)
    a.s.reference.confirm_year(a.admin, 2027)
    a.s.reference.save_code(a.admin, "channel", "wechat_mini", "微信小程序")
    a.s.sync.run()

    s = open_services(tmp_path / "c", clock=FixedClock(NOW))
    s.sync.join(s.setup, hub.url, hub.enrol_code("WZCQ01"), admin_username="admin3",
                admin_name="王五", admin_password=PASSWORD, device_name="三号机")
    s.sync.run()
    admin = s.users.login("admin3", PASSWORD)
    c = SimpleNamespace(s=s, admin=admin)
    assert _overrides(c) == {REST: False}
    with UnitOfWork(s.ctx.engine, write=False) as uow:
        assert list(uow.session.scalars(select(CalendarYear.year))) == [2027]
    assert _notes(c) == _notes(a)
    assert s.reference.labels("channel").get("wechat_mini") == "微信小程序"
    assert _enterprise_names(c, "太湖家具") == ["苏州吴中太湖家具有限公司"]
    uuid = uuid_of(a, cid)
    assert _due(c, uuid) == _due(a, uuid)
    s.close()
    a.s.close()


def test_the_same_part_changed_on_two_pcs_is_a_conflict_an_administrator_settles(hub, tmp_path):
    a, _ = office(tmp_path, "a", "WZCQ01", hub)
    b, _ = office(tmp_path, "b", "WZCQ01", hub)
    a.s.reference.set_override(a.admin, REST, False, "调休")
    a.s.sync.run()
    b.s.sync.run()
    # Between rounds, both administrators change the calendar.
    b.s.reference.set_override(b.admin, date(2026, 12, 5), True, "调休上班")
    a.s.reference.set_override(a.admin, date(2026, 12, 7), False, "补休")
    assert b.s.sync.run().conflicts == 0
    assert a.s.sync.run().conflicts == 1
    [conflict] = a.s.sync.conflicts(a.admin)
    assert conflict.entity_label == "单位参考资料"
    [f] = conflict.fields
    assert f.field == "calendar" and f.label == "工作日日历"
    assert "2026-12-07休息" in f.office_text and "2026-12-05上班" in f.hub_text
    with pytest.raises(PermissionDenied):  # the office's settings: an administrator settles
        a.s.sync.resolve(a.clerk, conflict.op_id, {"calendar": "hub"})
    a.s.sync.resolve(a.admin, conflict.op_id, {"calendar": "hub"})
    expected = {REST: False, date(2026, 12, 5): True}
    assert _overrides(a) == expected  # the district's value is written into PC 1's calendar
    a.s.sync.run()
    b.s.sync.run()
    assert _overrides(a) == _overrides(b) == expected
    assert not a.s.sync.conflicts(a.admin)
    a.s.close()
    b.s.close()


def test_different_parts_changed_on_two_pcs_merge(hub, tmp_path):
    a, _ = office(tmp_path, "a", "WZCQ01", hub)
    b, _ = office(tmp_path, "b", "WZCQ01", hub)
    a.s.reference.set_override(a.admin, REST, False, "调休")
    a.s.sync.run()
    b.s.sync.run()
    a.s.reference.save_code(a.admin, "channel", "wechat_mini", "微信小程序")
    b.s.reference.set_override(b.admin, date(2026, 12, 5), True, "调休上班")
    b.s.enterprises.save(b.clerk, name="吴中区宝带家电商行")  # a clerk keeps the 企业库 too
    assert b.s.sync.run().conflicts == 0
    assert a.s.sync.run().conflicts == 0
    a.s.sync.run()
    b.s.sync.run()
    for pc in (a, b):
        assert _overrides(pc) == {REST: False, date(2026, 12, 5): True}
        assert pc.s.reference.labels("channel").get("wechat_mini") == "微信小程序"
        assert _enterprise_names(pc, "宝带家电") == ["吴中区宝带家电商行"]
    a.s.close()
    b.s.close()


def test_a_stations_reference_does_not_overwrite_its_sub_bureaus(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    bureau, _ = office(tmp_path, "bureau", "WZCQ", hub)
    bureau.s.reference.set_override(bureau.admin, date(2026, 12, 5), True, "分局调休上班")
    bureau.s.sync.run()
    station.s.reference.set_override(station.admin, REST, False, "站内调休")
    station.s.enterprises.save(station.admin, name="太湖家具城一号店")
    station.s.sync.run()
    bureau.s.sync.run()
    with UnitOfWork(bureau.s.ctx.engine, write=False) as uow:
        docs = {d.uuid for d in uow.session.scalars(select(OfficeReference))}
    # Kept (it is the station's, within the sub-bureau's scope), but not installed.
    assert docs == {reference_uuid("WZCQ"), reference_uuid("WZCQ01")}
    assert _overrides(bureau) == {date(2026, 12, 5): True}
    assert _enterprise_names(bureau, "太湖家具城") == []
    # And the station does not receive the sub-bureau's (it is not within its scope).
    assert _overrides(station) == {REST: False}
    station.s.close()
    bureau.s.close()


def test_a_pc_with_its_own_unsent_change_keeps_it_and_the_push_decides(hub, tmp_path):
    """A pulled document never overwrites a part this PC changed and has not sent yet."""
    a, _ = office(tmp_path, "a", "WZCQ01", hub)
    b, _ = office(tmp_path, "b", "WZCQ01", hub)
    a.s.reference.set_override(a.admin, REST, False, "调休")
    a.s.sync.run()
    b.s.reference.save_code(b.admin, "channel", "wechat_mini", "微信小程序")
    b.s.sync.run()  # its code goes up (merged), the calendar comes down on the next pull
    b.s.sync.run()
    a.s.sync.run()
    for pc in (a, b):
        assert _overrides(pc) == {REST: False}
        assert pc.s.reference.labels("channel").get("wechat_mini") == "微信小程序"
    with UnitOfWork(a.s.ctx.engine, write=False) as uow:
        assert uow.session.scalars(select(Complaint)).all() == []
    a.s.close()
    b.s.close()
