"""Several PCs of one office (issue 22): each registers offline, numbers never collide, every
PC ends with the same records, two clerks editing one complaint meet the conflict rules, and a
lost PC is revoked. Real hub on loopback, SQLite and (with HEJIE_TEST_PG_URL) PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from itertools import permutations

import pytest
from sqlalchemy import select

from desktop.db.models import Attachment, Complaint, MediationRecord, SyncRecord
from desktop.db.repositories import NUMBER_SLOT_SETTING, CodeRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.numbering import parse_number
from desktop.sync.client import SyncError
from desktop.sync.protocol import ErrorCode
from tests.conftest import make_world
from tests.sync.office import by_uuid, edit, office, register, uuid_of

DAY = datetime(2026, 11, 19, 9, 30)


def _records(world, model) -> set[tuple[str, int]]:
    """(uuid, hub version) of every row of a travelling table: what two PCs must agree on.
    (The local `version` column is each database's own edit lock: it counts local edits.)"""
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        known = dict(uow.session.execute(select(SyncRecord.uuid, SyncRecord.hub_version)
                                         .where(SyncRecord.entity == model.__tablename__)).all())
        return {(u, known.get(u, 0)) for u in uow.session.scalars(select(model.uuid))}


def _numbers(world) -> list[str]:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return list(uow.session.scalars(select(Complaint.number)))


def _number(world, cid: int) -> str:
    return world.s.complaints.get(world.clerk, cid).number


# ------------------------------------------------------------------------------ numbering
def test_a_pc_numbers_in_its_own_block_and_steps_past_numbers_it_holds(tmp_path):
    world = make_world(tmp_path / "pc", local_office="WZCQ01")
    first = register(world, received_at=DAY)
    assert _number(world, first) == "WZCQ01-20261119-0001"  # a PC never enrolled: block 0
    with UnitOfWork(world.s.ctx.engine, write=True) as uow:
        CodeRepository(uow.session).set_setting(NUMBER_SLOT_SETTING, "2")
        uow.commit()
    numbers = [_number(world, register(world, received_at=DAY)) for _ in range(2)]
    assert numbers == ["WZCQ01-20261119-2001", "WZCQ01-20261119-2002"]
    # Block 0's counter is not disturbed by another block: back in block 0, 0002 is next.
    with UnitOfWork(world.s.ctx.engine, write=True) as uow:
        CodeRepository(uow.session).set_setting(NUMBER_SLOT_SETTING, "0")
        uow.commit()
    assert _number(world, register(world, received_at=DAY)) == "WZCQ01-20261119-0002"
    # The audit check of the day's counter still holds (it keeps the highest of all blocks).
    assert not world.s.audit.verify().problems
    world.s.close()


def test_the_hub_hands_out_blocks_per_office_and_never_again(hub, tmp_path):
    first = hub.enrol("WZCQ01", "一号机")
    second = hub.enrol("WZCQ01", "二号机")
    other = hub.enrol("WZMD01", "家居城")
    assert (first.enrolment.number_slot, second.enrolment.number_slot,
            other.enrolment.number_slot) == (0, 1, 0)
    hub.revoke(second.device_id)
    third = hub.enrol("WZCQ01", "三号机")
    assert third.enrolment.number_slot == 2  # the lost PC's block is not reused
    assert third.open().number_slot == 2  # and the session says it again


# ------------------------------------------------------------------------------ three PCs
@pytest.mark.parametrize("order", list(permutations(range(3))), ids=lambda o: "".join(map(str, o)))
def test_three_pcs_of_one_office_register_offline_on_the_same_day(hub, tmp_path, order):
    pcs = [office(tmp_path, f"pc{i}", "WZCQ01", hub)[0] for i in range(3)]
    made = {i: [register(pc, received_at=DAY, complainant_name=f"投诉人{i}{n}") for n in range(2)]
            for i, pc in enumerate(pcs)}
    assert [_number(pcs[i], made[i][0]) for i in range(3)] == [
        "WZCQ01-20261119-0001", "WZCQ01-20261119-1001", "WZCQ01-20261119-2001"]
    for i in order:  # each PC syncs in turn, then all once more: every PC has seen every push
        pcs[i].s.sync.run()
    for i in order:
        report = pcs[i].s.sync.run()
        assert report.conflicts == 0 and report.rejected == 0
    expected = _records(pcs[0], Complaint)
    assert len(expected) == 6 and hub.count("complaints") == 6
    for pc in pcs:
        numbers = _numbers(pc)
        assert len(numbers) == len(set(numbers)) == 6
        assert _records(pc, Complaint) == expected
        assert {parse_number(n).sequence // 1000 for n in numbers} == {0, 1, 2}  # type: ignore[union-attr]
    for uuid, version in expected:
        assert hub.record("complaints", uuid)["version"] == version
    for pc in pcs:
        pc.s.close()


def test_every_kind_of_record_a_pc_makes_reaches_the_other(hub, tmp_path):
    a, _ = office(tmp_path, "a", "WZCQ01", hub)
    b, _ = office(tmp_path, "b", "WZCQ01", hub)
    cid = register(a, received_at=DAY)
    a.s.complaints.accept(a.clerk, cid, expected_version=1)
    a.s.records.add_mediation_record(a.clerk, cid, held_at=datetime(2026, 11, 20, 9),
                                     means="phone", participants="张伟、店长", content="电话调解。")
    evidence = tmp_path / "发票.pdf"
    evidence.write_bytes(b"%PDF-1.4 invoice " * 100)
    a.s.records.attach(a.clerk, cid, evidence, note="购车发票")
    a.s.sync.run()
    b.s.sync.run()
    uuid = uuid_of(a, cid)
    got = by_uuid(b, uuid)
    assert got is not None and got.number == _number(a, cid) and got.status == "mediating"
    for model in (Complaint, MediationRecord, Attachment):
        assert _records(b, model) == _records(a, model), model.__tablename__
    [info] = b.s.records.attachments(b.clerk, got.id)
    assert b.s.records.attachment_bytes(info.sha256) == evidence.read_bytes()
    # The clerk on the second PC carries the complaint on; the first PC sees it.
    b.s.records.add_mediation_record(b.clerk, got.id, held_at=datetime(2026, 11, 20, 9, 30),
                                     means="phone", participants="张伟", content="再次沟通。")
    b.s.sync.run()
    a.s.sync.run()
    assert _records(a, MediationRecord) == _records(b, MediationRecord)
    assert len(_records(a, MediationRecord)) == 2
    a.s.close()
    b.s.close()


# ------------------------------------------------------------------------------ two clerks
def _pair(hub, tmp_path):
    a, _ = office(tmp_path, "a", "WZCQ01", hub)
    b, _ = office(tmp_path, "b", "WZCQ01", hub)
    cid = register(a, received_at=DAY)
    a.s.sync.run()
    b.s.sync.run()
    uuid = uuid_of(a, cid)
    return a, cid, b, by_uuid(b, uuid).id, uuid


def test_the_same_field_edited_on_two_pcs_of_one_office_is_a_conflict(hub, tmp_path):
    a, cid, b, bid, uuid = _pair(hub, tmp_path)
    edit(b, b.clerk, bid, facts="二号机：消费者补充了维修单。")
    edit(a, a.clerk, cid, facts="一号机：厂家已确认故障。")
    assert b.s.sync.run().conflicts == 0
    assert a.s.sync.run().conflicts == 1
    [conflict] = a.s.sync.conflicts(a.clerk)
    [f] = conflict.fields
    assert f.field == "facts" and "厂家" in f.office_value and "维修单" in f.hub_value
    a.s.sync.resolve(a.clerk, conflict.op_id, {"facts": "hub"})
    a.s.sync.run()
    b.s.sync.run()
    assert by_uuid(a, uuid).facts == by_uuid(b, uuid).facts == "二号机：消费者补充了维修单。"
    assert _records(a, Complaint) == _records(b, Complaint)


def test_different_fields_edited_on_two_pcs_of_one_office_merge(hub, tmp_path):
    a, cid, b, bid, uuid = _pair(hub, tmp_path)
    edit(b, b.clerk, bid, request="要求退款")
    edit(a, a.clerk, cid, facts="一号机：厂家已确认故障。")
    assert b.s.sync.run().conflicts == 0
    assert a.s.sync.run().conflicts == 0
    a.s.sync.run()
    b.s.sync.run()
    for pc in (a, b):
        got = by_uuid(pc, uuid)
        assert (got.request, got.facts) == ("要求退款", "一号机：厂家已确认故障。")
    assert _records(a, Complaint) == _records(b, Complaint)


# ------------------------------------------------------------------------------ revoking
def test_the_office_administrator_revokes_a_lost_pc_and_its_token_is_refused(hub, tmp_path):
    a, _ = office(tmp_path, "a", "WZCQ01", hub)
    b, _ = office(tmp_path, "b", "WZCQ01", hub)
    register(b, received_at=DAY)
    b.s.sync.run()
    pcs = a.s.sync.office_pcs(a.admin)
    assert [(p.first_number, p.this) for p in pcs] == [("0001", True), ("1001", False)]
    assert pcs[1].last_sync_at and pcs[1].backlog == 0 and not pcs[1].revoked
    with pytest.raises(SyncError):  # not itself: from another PC, or by the district
        a.s.sync.revoke_pc(a.admin, pcs[0].device_id)
    from desktop.domain.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        a.s.sync.revoke_pc(a.clerk, pcs[1].device_id)
    assert a.s.sync.revoke_pc(a.admin, pcs[1].device_id).revoked
    register(b, received_at=DAY)
    with pytest.raises(SyncError) as refused:
        b.s.sync.run()
    assert refused.value.code == ErrorCode.REVOKED
    assert hub.count("complaints") == 1  # nothing of the revoked PC's was taken
    assert [p.revoked for p in a.s.sync.office_pcs(a.admin)] == [False, True]
    a.s.close()
    b.s.close()


def test_a_pc_cannot_revoke_another_offices_pc_and_the_district_revokes_any(hub, tmp_path):
    a, _ = office(tmp_path, "a", "WZCQ01", hub)
    other = hub.enrol("WZMD01", "家居城")
    with pytest.raises(SyncError):
        a.s.sync.revoke_pc(a.admin, other.device_id)
    assert not [d for d in hub.devices() if d.device_id == other.device_id][0].revoked
    [mine] = a.s.sync.office_pcs(a.admin)
    hub.revoke(mine.device_id)
    with pytest.raises(SyncError) as refused:
        a.s.sync.run()
    assert refused.value.code == ErrorCode.REVOKED
    a.s.close()


# ------------------------------------------------------------------------------ joining
def test_a_second_pc_joins_the_office_in_one_step_and_carries_its_complaints_on(hub, tmp_path):
    from desktop.bootstrap import open_services
    from desktop.domain.errors import FieldError
    from desktop.services.base import FixedClock
    from tests.conftest import NOW, PASSWORD

    first, _ = office(tmp_path, "first", "WZCQ01", hub)
    cid = register(first, received_at=DAY)
    first.s.sync.run()
    s = open_services(tmp_path / "second", clock=FixedClock(NOW))
    code = hub.enrol_code("WZCQ01")
    with pytest.raises(FieldError):  # the account is checked before the code is spent
        s.sync.join(s.setup, hub.url, code, admin_username="admin2", admin_name="李四",
                    admin_password="1")
    s.sync.join(s.setup, hub.url, code, admin_username="admin2", admin_name="李四",
                admin_password=PASSWORD, device_name="二号机")
    assert s.sync.settings().enrolled and s.sync.settings().number_slot == 1
    assert s.offices.local().code == "WZCQ01"  # type: ignore[union-attr]
    report = s.sync.run()
    assert report.pulled >= 1
    admin = s.users.login("admin2", PASSWORD)
    with UnitOfWork(s.ctx.engine, write=False) as uow:
        got = uow.session.scalars(select(Complaint)).one()
    assert got.uuid == uuid_of(first, cid) and got.number == "WZCQ01-20261119-0001"
    assert got.due_on is not None  # deadlines worked out here, from the same rule set
    # Its own registrations take its own block.
    from desktop.domain.workflow import Role
    from tests.conftest import draft

    s.users.create(admin, username="clerk2", display_name="王五", password=PASSWORD,
                   office_id=s.offices.local().id, roles={Role.CLERK})  # type: ignore[union-attr]
    clerk = s.users.login("clerk2", PASSWORD)
    mine = s.complaints.register(clerk, draft(received_at=DAY)).ids[0]
    assert s.complaints.get(clerk, mine).number == "WZCQ01-20261119-1001"
    s.sync.run()
    first.s.sync.run()
    assert len(_numbers(first)) == 2
    s.close()
    first.s.close()
