"""Applying pulled pages to an office database (desktop/db/sync/apply.py), page by page, for the
orders a hub can send: a child before its parent, a parent's deletion before a new child, a
held record released and deleted in the same page."""

from __future__ import annotations

import uuid as uuidlib
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.db.models import (
    AuditEntry,
    ClockPause,
    Complaint,
    MediationRecord,
    SyncHeld,
    SyncRecord,
)
from desktop.db.sync import apply as apply_module
from desktop.db.sync.wire import Codec
from desktop.db.uow import UnitOfWork
from desktop.domain.complaint import ComplaintFilter
from desktop.sync.protocol import PulledRecord
from tests.conftest import World, draft, make_world


class Source:
    """A complaint made in another office database, and pulled records of it and a pause."""

    def __init__(self, tmp_path: Path) -> None:
        world = make_world(tmp_path / "source", local_office="WZCQ")
        cid = world.s.complaints.register(world.clerk, draft()).ids[0]
        with UnitOfWork(world.s.ctx.engine, write=False) as uow:
            c = uow.session.get(Complaint, cid)
            assert c is not None
            codec = Codec(uow.session)
            self.data = codec.record("complaints", c)
            self.people = codec.people("complaints", self.data)
            self.uuid = c.uuid
        world.s.close()
        self.pause_uuid = str(uuidlib.uuid4())

    def complaint(self, version: int, seq: int, *, deleted: bool = False) -> PulledRecord:
        return PulledRecord(entity="complaints", uuid=self.uuid, version=version, seq=seq,
                            deleted=deleted, owner="WZCQ01", data={} if deleted else self.data,
                            people=self.people)

    def pause(self, version: int, seq: int, *, deleted: bool = False) -> PulledRecord:
        data = {"complaint": self.uuid, "started_on": "2026-11-19", "ended_on": None,
                "reason": "等待检测报告"}
        return PulledRecord(entity="clock_pauses", uuid=self.pause_uuid, version=version, seq=seq,
                            deleted=deleted, owner="WZCQ01", data={} if deleted else data,
                            people={})


@pytest.fixture
def source(tmp_path: Path) -> Source:
    return Source(tmp_path)


@pytest.fixture
def office(tmp_path: Path):  # type: ignore[no-untyped-def]
    world = make_world(tmp_path / "office", local_office="WZCQ")
    yield world
    world.s.close()


def _held(world: World) -> list[str]:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return list(uow.session.scalars(select(SyncHeld.uuid)))


def _pauses(world: World) -> list[tuple[str, int]]:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return [(p.uuid, p.complaint_id) for p in uow.session.scalars(select(ClockPause))]


def _complaint_id(world: World, uuid: str) -> int | None:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return uow.session.scalars(select(Complaint.id).where(Complaint.uuid == uuid)).first()


def test_a_child_before_its_parent_in_one_page_waits_for_it(office, source) -> None:  # type: ignore[no-untyped-def]
    applied = office.s.sync.apply_records([source.pause(1, 6), source.complaint(1, 7)], None)
    assert (applied.applied, applied.held, applied.released) == (1, 1, 1)
    assert _pauses(office) == [(source.pause_uuid, _complaint_id(office, source.uuid))]
    assert _held(office) == []


def test_a_parent_then_its_children_in_one_page(office, source) -> None:  # type: ignore[no-untyped-def]
    applied = office.s.sync.apply_records([source.complaint(1, 5), source.pause(1, 6)], None)
    assert (applied.applied, applied.held, applied.new_complaints) == (2, 0, [source.uuid])
    assert _pauses(office) == [(source.pause_uuid, _complaint_id(office, source.uuid))]
    with UnitOfWork(office.s.ctx.engine, write=False) as uow:
        known = dict(uow.session.execute(select(SyncRecord.uuid, SyncRecord.hub_version)).all())
    assert known == {source.uuid: 1, source.pause_uuid: 1}


def test_a_held_record_released_and_deleted_in_the_same_page(office, source) -> None:  # type: ignore[no-untyped-def]
    assert office.s.sync.apply_records([source.pause(1, 6)], None).held == 1
    applied = office.s.sync.apply_records(
        [source.complaint(2, 7), source.pause(2, 8, deleted=True)], None)
    assert (applied.applied, applied.released, applied.deleted) == (1, 1, 1)
    assert _pauses(office) == [] and _held(office) == []


def test_a_child_after_its_parents_deletion_in_the_same_page_is_held(office, source) -> None:  # type: ignore[no-untyped-def]
    office.s.sync.apply_records([source.complaint(1, 5)], None)
    applied = office.s.sync.apply_records(
        [source.complaint(2, 7, deleted=True), source.pause(1, 8)], None)
    assert (applied.deleted, applied.held) == (1, 1)
    assert _complaint_id(office, source.uuid) is None
    assert _pauses(office) == [] and _held(office) == [source.pause_uuid]


def _records(source: Source, count: int) -> list[PulledRecord]:
    """Mediation records of the source's complaint, as the district hands them on."""
    recorded_by = source.data["registered_by"]
    return [PulledRecord(entity="mediation_records", uuid=str(uuidlib.uuid4()), version=1,
                         seq=10 + i, owner="WZCQ01", people=source.people,
                         data={"complaint": source.uuid, "held_at": f"2026-11-2{i}T10:00:00",
                               "means": "phone", "place": "", "participants": "张伟、商家代表",
                               "content": f"第 {i + 1} 次电话调解", "result": "",
                               "recorded_by": recorded_by})
            for i in range(count)]


def _audit_of(world: World, uuids: set[str]) -> list[tuple[object, ...]]:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return sorted(tuple(row) for row in uow.session.execute(
            select(AuditEntry.entity, AuditEntry.entity_uuid, AuditEntry.root_uuid,
                   AuditEntry.operation, AuditEntry.action, AuditEntry.username,
                   AuditEntry.before, AuditEntry.after)
            .where(AuditEntry.entity_uuid.in_(uuids))).all())


def _found(world: World, word: str) -> list[str]:
    """The uuids of the complaints a search for `word` lists for the office's administrator."""
    page = world.s.complaints.page(world.admin, ComplaintFilter(text=word))
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return sorted(uow.session.scalars(select(Complaint.uuid).where(
            Complaint.id.in_([r.id for r in page.rows]))))


def test_pulled_complaints_are_indexed_for_search_as_registered_ones_are(
        tmp_path: Path, source: Source, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's complaints go in with the full-text trigger off and are indexed after the
    statement (issue 24): the index then finds what the trigger's would, and the trigger is
    back for what is registered next."""
    bulk = make_world(tmp_path / "bulk", local_office="WZCQ")
    monkeypatch.setattr(apply_module, "BULK_ENTITIES", frozenset())  # one object each
    objects = make_world(tmp_path / "objects", local_office="WZCQ")
    monkeypatch.undo()
    try:
        assert bulk.s.sync.apply_records([source.complaint(1, 5)], None).applied == 1
        assert objects.s.sync.apply_records([source.complaint(1, 5)], None).applied == 1
        for word in ("发动机", "东吴汽车", "退款", "4s"):
            assert _found(bulk, word) == _found(objects, word) == [source.uuid], word
        # Registered afterwards: indexed by the trigger, which is there again.
        later = bulk.s.complaints.register(bulk.clerk, draft(facts="空调漏水，安装师傅不上门。"))
        assert later.ids and len(_found(bulk, "空调漏水")) == 1
        with UnitOfWork(bulk.s.ctx.engine, write=False) as uow:
            triggers = set(uow.session.scalars(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'complaints_fts%'")))
        assert triggers == {"complaints_fts_ai", "complaints_fts_au", "complaints_fts_ad"}
    finally:
        bulk.s.close()
        objects.s.close()


def test_new_records_inserted_in_bulk_are_audited_as_objects_would_be(
        tmp_path: Path, source: Source, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's new complaints and mediation records go in by one INSERT per entity (issue 24);
    their audit entries are the very ones the ORM path writes, and the log still verifies."""
    page = [source.complaint(1, 5), *_records(source, 3)]
    uuids = {r.uuid for r in page}
    bulk = make_world(tmp_path / "bulk", local_office="WZCQ")
    applied = bulk.s.sync.apply_records(page, None)
    assert (applied.applied, applied.new_complaints) == (4, [source.uuid])
    monkeypatch.setattr(apply_module, "BULK_ENTITIES", frozenset())  # one object each
    objects = make_world(tmp_path / "objects", local_office="WZCQ")
    assert objects.s.sync.apply_records(page, None).applied == 4
    try:
        entries = _audit_of(bulk, uuids)
        assert [(e[0], e[3]) for e in entries].count(("mediation_records", "insert")) == 3
        assert {e[2] for e in entries} == {source.uuid}  # each record under its complaint
        assert entries == _audit_of(objects, uuids)
        with UnitOfWork(bulk.s.ctx.engine, write=False) as uow:
            rows = uow.session.execute(select(MediationRecord.content, Complaint.uuid).join(
                Complaint, MediationRecord.complaint_id == Complaint.id)
                .order_by(MediationRecord.id)).all()
        assert rows == [(f"第 {i} 次电话调解", source.uuid) for i in (1, 2, 3)]
        report = bulk.s.audit.verify()
        assert report.ok, report.problems
    finally:
        bulk.s.close()
        objects.s.close()

