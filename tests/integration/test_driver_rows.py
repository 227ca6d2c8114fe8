"""Rows written and read through the driver (desktop/db/driver_rows.py) are those a Core insert
writes and a Core select reads: for each table a pulled page and the audit write that way, the
same values go in both ways and come back equal, value and type, column by column."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Table, func, insert, select, update

from desktop.db.driver_rows import insert_rows, rows_from, update_rows
from desktop.db.models import AuditEntry, Complaint, MediationRecord, OutboxOp, new_uuid
from desktop.db.uow import Actor, UnitOfWork
from tests.conftest import World, draft


def _rows(uow: UnitOfWork, table: Table, first: int) -> list[dict[str, Any]]:
    return [dict(r) for r in uow.session.execute(
        select(table).where(table.c.id >= first).order_by(table.c.id)).mappings()]


def _both_ways(world: World, table: Table, template: dict[str, Any],
               vary: dict[str, Any] | None = None) -> None:
    """`template` (a stored row, id and bookkeeping left out) inserted by Core and by
    insert_rows with fresh unique values; the two rows read back by Core and by rows_from."""
    with UnitOfWork(world.s.ctx.engine, Actor(world.admin.id, world.admin.username),
                    "测试") as uow:
        connection = uow.session.connection()
        first = (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        made = []
        for _ in range(2):
            values = {**template, **{k: v() for k, v in (vary or {}).items()}}
            if "uuid" in table.c:
                values["uuid"] = new_uuid()
            made.append(values)
        connection.execute(insert(table), [made[0]])
        insert_rows(connection, table, [made[1]])
        by_core = _rows(uow, table, first)
        by_driver = rows_from(connection, table, first)
        assert [list(map(type, r.values())) for r in by_driver] == \
            [list(map(type, r.values())) for r in by_core]
        assert by_driver == by_core
        core, driver = by_core
        # Defaults the program makes (the version, the time of the change) are made per row.
        for key in core:
            if key in ("id", "uuid", *(vary or {})):
                continue
            if isinstance(core[key], datetime) and key not in template:
                assert abs((core[key] - driver[key]).total_seconds()) < 60, key
            else:
                assert driver[key] == core[key], key
        # Not committed: the unit of work rolls back.


@pytest.fixture
def complaint_row(world: World) -> dict[str, Any]:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    s.records.add_mediation_record(clerk, cid, held_at=datetime(2026, 11, 20, 9, 0),
                                   means="on_site", place="万达广场三楼调解室",
                                   participants="张伟、店长李强", content="双方当面协商",
                                   result="达成一致")
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        row = uow.session.execute(select(Complaint.__table__).where(Complaint.id == cid)
                                  ).mappings().one()
    return dict(row)


def test_complaints_go_in_and_come_back_alike(world: World,
                                              complaint_row: dict[str, Any]) -> None:
    template = {k: v for k, v in complaint_row.items() if k not in ("id", "version", "updated_at")}
    counter = iter(range(100))
    _both_ways(world, Complaint.__table__,  # type: ignore[arg-type]
               template, {"number": lambda: f"T{next(counter):08d}"})


def test_mediation_records_and_audit_entries_alike(world: World,
                                                    complaint_row: dict[str, Any]) -> None:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        record = dict(uow.session.execute(select(MediationRecord.__table__)).mappings().first()
                      or {})
        entry = dict(uow.session.execute(select(AuditEntry.__table__)
                                         .order_by(AuditEntry.id.desc())).mappings().first() or {})
    assert record and entry
    _both_ways(world, MediationRecord.__table__,  # type: ignore[arg-type]
               {k: v for k, v in record.items() if k not in ("id", "version", "updated_at")})
    _both_ways(world, AuditEntry.__table__,  # type: ignore[arg-type]
               {k: v for k, v in entry.items() if k not in ("id", "office_code")})


def test_outbox_answers_are_written_alike(world: World) -> None:
    """record_results writes the hub's answers with update_rows: as a Core update would."""
    table: Any = OutboxOp.__table__
    answer = {"status": "acked", "done_at": datetime(2026, 12, 6, 1, 2, 3, 456789),
              "hub_version": 3, "message": "已接收", "hub_record": None, "code": ""}
    with UnitOfWork(world.s.ctx.engine, Actor(None, "test"), "测试", outbox=False) as uow:
        connection = uow.session.connection()
        ids = []
        for n in range(2):
            connection.execute(insert(table), [{
                "op_id": f"op-{n}", "entity": "complaints", "record_uuid": new_uuid(),
                "kind": "upsert", "made_at": datetime(2026, 12, 6), "status": "sending"}])
            ids.append(connection.execute(select(func.max(table.c.id))).scalar())
        connection.execute(update(table).where(table.c.id == ids[0]).values(answer))
        update_rows(connection, table, [{"id": ids[1], **answer}])
        core, driver = (dict(r) for r in connection.execute(
            select(table).where(table.c.id.in_(ids)).order_by(table.c.id)).mappings())
        for key in ("id", "op_id", "record_uuid"):
            core.pop(key), driver.pop(key)
        assert driver == core and driver["done_at"] == answer["done_at"]


def test_an_update_that_would_skip_a_column_kept_on_every_update_is_refused(
        world: World) -> None:
    with UnitOfWork(world.s.ctx.engine, Actor(None, "test"), "测试", outbox=False) as uow, \
            pytest.raises(ValueError, match="updated_at"):
        update_rows(uow.session.connection(), MediationRecord.__table__,  # type: ignore[arg-type]
                    [{"id": 1, "result": "x"}])
