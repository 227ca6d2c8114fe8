"""Issue 19, speed: new rows of an import are written in bulk (desktop/db/bulk_write.py). The
bulk path must leave the same complaints, the same audit entries and the same outbox operations
as the unit of work writes when the ORM flushes them record by record, and an audit log that
still verifies."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import desktop.services.history_import as module
from desktop.db.models import AuditEntry, Complaint, OutboxOp, User
from desktop.db.rows import BOOKKEEPING
from desktop.db.uow import UnitOfWork
from tests.conftest import World, make_world
from tests.imports_helpers import ROWS, write_ledger

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _import(w: World, path: Path) -> None:
    svc = w.s.history_import
    book = svc.open(path)
    preview = svc.preview(w.desk, book, svc.choices(book), "ledger")
    outcome = svc.run(w.desk, preview)
    assert outcome.added >= len(ROWS) - 2  # the rows without errors


def _written(w: World) -> dict[str, Any]:
    """What the import left, uuids named by what they stand for (complaint number, username):
    two databases give their records different uuids."""
    with UnitOfWork(w.s.ctx.engine, write=False) as uow:
        s = uow.session
        names = {c.uuid: f"complaint {c.number}" for c in s.scalars(select(Complaint))}
        names.update({u.uuid: f"user {u.username}" for u in s.scalars(select(User))})

        def named(value: Any) -> Any:
            if value is None:
                return None
            return _UUID.sub(lambda m: names.get(m.group(0), "?"), str(value))

        complaints = list(
            tuple((k, named(v)) for k, v in sorted(vars(c).items())
                  if not k.startswith("_") and k not in BOOKKEEPING | {"uuid"})
            for c in s.scalars(select(Complaint).where(Complaint.import_key.is_not(None))))
        complaints.sort(key=repr)
        audit = list(
            (e.user_id, e.username, e.office_code, e.action, e.entity, named(e.entity_uuid),
             named(e.root_uuid), e.operation, named(e.before), named(e.after), e.reason)
            for e in s.scalars(select(AuditEntry).where(AuditEntry.action == module.ACTION)))
        audit.sort(key=repr)
        outbox = list(
            (o.entity, named(o.record_uuid), named(o.root_uuid), o.kind, o.base_version,
             named(o.before), named(o.after), named(o.people), o.made_by, o.status, o.attempts,
             o.message, o.code)
            for o in s.scalars(select(OutboxOp)))
        outbox.sort(key=repr)
    return {"complaints": complaints, "audit": audit, "outbox": outbox}


def test_bulk_writes_what_the_record_by_record_path_writes(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "2024台账.xlsx"
    write_ledger(path)
    slow_world = make_world(tmp_path / "slow")
    fast_world = make_world(tmp_path / "fast")
    try:
        monkeypatch.setattr(module, "BULK", False)
        _import(slow_world, path)
        monkeypatch.setattr(module, "BULK", True)
        monkeypatch.setattr(module, "BULK_EVERY", 3)  # several batches, each its own statement
        _import(fast_world, path)
        slow, fast = _written(slow_world), _written(fast_world)
        assert len(fast["complaints"]) == len(ROWS) - 2
        # Every new complaint: one insert entry, one whole-record operation for the district.
        inserts = [a for a in fast["audit"] if a[4] == "complaints" and a[7] == "insert"]
        assert len(inserts) == len(fast["complaints"])
        ops = [o for o in fast["outbox"] if o[0] == "complaints"]
        assert len(ops) == len(fast["complaints"])
        assert all(json.loads(o[6])["number"].startswith("WZCQ-") for o in ops)
        assert fast["complaints"] == slow["complaints"]
        assert fast["audit"] == slow["audit"]
        assert fast["outbox"] == slow["outbox"]
        assert fast_world.s.audit.verify().ok
        assert slow_world.s.audit.verify().ok
    finally:
        slow_world.s.close()
        fast_world.s.close()


def test_bulk_import_then_a_changed_row_still_verifies(tmp_path: Path, world: World,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "BULK_EVERY", 2)
    path = tmp_path / "2024台账.xlsx"
    write_ledger(path)
    _import(world, path)
    rows = [(label, list(values)) for label, values in ROWS]
    rows[0][1][5] = "空调不制冷，多次维修未果，已更换压缩机"
    write_ledger(path, rows)
    svc = world.s.history_import
    book = svc.open(path)
    outcome = svc.run(world.desk, svc.preview(world.desk, book, svc.choices(book), "ledger"))
    assert (outcome.added, outcome.updated) == (0, 1)
    report = world.s.audit.verify()
    assert report.ok, report.problems
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        ops = uow.session.scalars(select(OutboxOp).where(OutboxOp.entity == "complaints")).all()
    # The update was absorbed by the record's unsent insert operation, as for any record.
    assert len(ops) == len(ROWS) - 2
    assert any("已更换压缩机" in o.after for o in ops)
