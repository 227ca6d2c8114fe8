"""The transactional outbox: every change of a travelling record becomes an operation for the
district, written by the unit of work in the same transaction as the change itself.

The unit of work reports what each flush changed (`note`); at commit the changes of one record
within the transaction are one operation (`write`). An operation never sent yet absorbs a later
edit of the same record; one that has been sent is frozen, and the edit makes a new one.

A record whose insert the district refused (a field broke the contract, its number was taken)
was never stored there: an edit of it goes out as a whole new record again (base version 0,
every field), never as an update the district could not apply. The refused operation is then
`superseded`, and the records below it that were refused only because it was go again too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, inspect, or_, select, update
from sqlalchemy.orm import Session

from desktop.db.driver_rows import rows_in
from desktop.db.models import OutboxOp, SyncRecord, new_uuid, utcnow
from desktop.db.sync.wire import BY_ATTR, FIELDS, MODELS, Codec
from desktop.sync.protocol import STATUS_FIELD


@dataclass
class _Change:
    entity: str
    uuid: str
    root_uuid: str | None
    obj: Any
    kind: str = "upsert"
    new: bool = False
    before: dict[str, Any] = field(default_factory=dict)  # attr -> value before the transaction
    changed: set[str] = field(default_factory=set)  # attrs changed


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Outbox:
    """Collects a transaction's changes; one per unit of work."""

    def __init__(self) -> None:
        self._changes: dict[tuple[str, str], _Change] = {}

    def note(self, obj: Any, operation: str, root_uuid: str | None) -> None:
        entity = getattr(obj, "__tablename__", None)
        if entity not in MODELS:
            return
        key = (entity, obj.uuid)
        change = self._changes.get(key)
        if change is None:
            change = self._changes[key] = _Change(entity, obj.uuid, root_uuid, obj)
        if operation == "insert":
            change.new = True
            change.changed.update(BY_ATTR[entity])
        elif operation == "delete":
            change.kind = "delete"
        else:
            state = inspect(obj)
            for attr in BY_ATTR[entity]:
                history = state.attrs[attr].history
                if not history.has_changes():
                    continue
                old = history.deleted[0] if history.deleted else None
                if attr not in change.before:
                    change.before[attr] = old
                change.changed.add(attr)

    def write(self, session: Session, made_by: str) -> None:
        if not self._changes:
            return
        codec = Codec(session)
        changes = list(self._changes.values())
        self._changes = {}
        uuids = [c.uuid for c in changes]
        known: dict[str, int] = {}
        for entity in {c.entity for c in changes}:
            known.update(known_versions(session, entity, [c.uuid for c in changes
                                                          if c.entity == entity]))
        # Operations never sent yet absorb this transaction's change of the same record.
        open_ops = {
            op.record_uuid: op
            for op in session.execute(
                select(OutboxOp).where(OutboxOp.record_uuid.in_(uuids),
                                       OutboxOp.status == "pending", OutboxOp.attempts == 0)
                .order_by(OutboxOp.id)
            ).scalars()
        }
        refused = refused_new(session, [c.uuid for c in changes
                                        if not c.new and c.uuid not in known])
        rows: list[dict[str, Any]] = []
        later: list[dict[str, Any]] = []  # after this transaction's own operations
        now = utcnow()
        for c in changes:
            op = open_ops.get(c.uuid)
            whole = c.uuid in refused
            if whole:
                later += supersede_refused(session, c.uuid, made_by, now)
            if c.kind == "delete":
                if c.new or whole:
                    continue  # the district never had it
                if op is not None and op.base_version == 0 and not json.loads(op.before):
                    # Never sent, never at the district: forget it instead of sending a delete.
                    session.execute(update(OutboxOp).where(OutboxOp.id == op.id)
                                    .values(status="acked", done_at=now, message="未发送即删除"))
                    continue
                rows.append(self._row(c, known, {}, {}, {}, made_by, now))
                continue
            if c.new or whole:
                after = sparse(c.entity, codec.record(c.entity, c.obj))
                before: dict[str, Any] = {}
            else:
                after, before = {}, {}
                for attr in sorted(c.changed):
                    wire, new_value = codec.value(c.entity, attr, getattr(c.obj, attr))
                    _, old_value = codec.value(c.entity, attr, c.before.get(attr))
                    if new_value != old_value:
                        after[wire] = new_value
                        before[wire] = old_value
                if not after:
                    continue
                if c.entity == "complaints" and STATUS_FIELD not in after:
                    # The status it was edited in: an edit of a complaint the district has
                    # meanwhile closed is a conflict to show, not a silent merge.
                    before[STATUS_FIELD] = c.obj.status
            people = codec.people(c.entity, after)
            if op is not None and op.kind == "upsert":
                old_before = json.loads(op.before)
                is_insert = whole or op.base_version == 0 and not old_before
                # Older `before` values win: they are what the district last saw.
                merged_before = {} if is_insert else {**before, **old_before}
                merged_after = {**json.loads(op.after), **after}
                # Not matched against the session's objects ("evaluate" walks every object
                # it holds, per statement: a batch of hundreds of records took seconds); `op`
                # is not read again in this transaction.
                session.execute(update(OutboxOp).where(OutboxOp.id == op.id).values(
                    before=_dump(merged_before), after=_dump(merged_after),
                    base_version=0 if whole else op.base_version,
                    people=_dump({**json.loads(op.people), **people}), made_at=now),
                    execution_options={"synchronize_session": False})
                continue
            rows.append(self._row(c, {} if whole else known, before, after, people, made_by, now))
        if rows or later:
            session.execute(insert(OutboxOp), rows + later)

    @staticmethod
    def _row(c: _Change, known: dict[str, int], before: dict[str, Any], after: dict[str, Any],
             people: dict[str, str], made_by: str, now: Any) -> dict[str, Any]:
        return {
            "op_id": new_uuid(), "entity": c.entity, "record_uuid": c.uuid,
            "root_uuid": c.root_uuid, "kind": c.kind, "base_version": known.get(c.uuid, 0),
            "before": _dump(before), "after": _dump(after), "people": _dump(people),
            "made_at": now, "made_by": made_by, "status": "pending", "attempts": 0,
            "message": "", "code": "",
        }


def sparse(entity: str, after: dict[str, Any]) -> dict[str, Any]:
    """A new office reference carries only the parts this PC has published: a part it has not
    (None) must not become a conflict with, or overwrite, another PC's (issue 22)."""
    if entity != "office_references":
        return after
    return {k: v for k, v in after.items() if v is not None}


def known_versions(session: Session, entity: str, uuids: Sequence[str]) -> dict[str, int]:
    """The hub versions this office knows of these records of `entity`, by uuid. By the table's
    key (entity, uuid): by uuid alone each query scans the whole table (a record per record
    the district has: millions in a district's database)."""
    return dict(rows_in(session.connection(), "SELECT uuid, hub_version FROM sync_records "
                        "WHERE entity = ? AND uuid IN ({})", uuids, (entity,)))


def _is_insert(status: str, base_version: int, before: str) -> bool:
    return status == "rejected" and base_version == 0 and before in ("{}", "")


def refused_new(session: Session, uuids: list[str]) -> set[str]:
    """The records among these that the district never had because it refused their insert:
    a refused insert, and nothing of the record acknowledged or possibly stored there."""
    if not uuids:
        return set()
    refused: set[str] = set()
    had = set(session.scalars(select(SyncRecord.uuid).where(SyncRecord.uuid.in_(uuids))))
    for uuid, status, base, before, attempts in session.execute(
            select(OutboxOp.record_uuid, OutboxOp.status, OutboxOp.base_version,
                   OutboxOp.before, OutboxOp.attempts).where(OutboxOp.record_uuid.in_(uuids))):
        if _is_insert(status, base, before):
            refused.add(uuid)
        elif status in ("acked", "conflict", "resolved", "sending") \
                or status == "pending" and attempts > 0:
            had.add(uuid)
    return refused - had


def supersede_refused(session: Session, uuid: str, made_by: str, now: Any) -> list[dict[str, Any]]:
    """The record goes again as a whole: its refused operations are superseded, and the
    refused operations of records below it that were refused only because it was (their
    message says 所属的…) come back as new operations, returned for inserting after it."""
    session.execute(update(OutboxOp).where(OutboxOp.record_uuid == uuid,
                                           OutboxOp.status == "rejected")
                    .values(status="superseded", done_at=now))
    orphans = session.scalars(select(OutboxOp).where(
        OutboxOp.status == "rejected", OutboxOp.message.startswith("所属的"),
        or_(OutboxOp.root_uuid == uuid, OutboxOp.after.contains(uuid)))
        .order_by(OutboxOp.id)).all()
    if not orphans:
        return []
    session.execute(update(OutboxOp).where(OutboxOp.id.in_([o.id for o in orphans]))
                    .values(status="superseded", done_at=now))
    return [{"op_id": new_uuid(), "entity": o.entity, "record_uuid": o.record_uuid,
             "root_uuid": o.root_uuid, "kind": o.kind, "base_version": o.base_version,
             "before": o.before, "after": o.after, "people": o.people, "made_at": now,
             "made_by": made_by or o.made_by, "status": "pending", "attempts": 0,
             "message": "", "code": ""} for o in orphans]


def resend_whole(session: Session, entity: str, uuid: str, made_by: str) -> bool:
    """An insert just refused while a later edit of the record waits unsent (made while the
    insert was in flight): that edit becomes the whole record, so it can be stored once
    fixed. True if there was such an edit."""
    op = session.scalars(select(OutboxOp).where(
        OutboxOp.record_uuid == uuid, OutboxOp.status == "pending", OutboxOp.attempts == 0,
        OutboxOp.kind == "upsert").order_by(OutboxOp.id)).first()
    model: Any = MODELS.get(entity)
    obj = session.scalars(select(model).where(model.uuid == uuid)).first() if model else None
    if op is None or obj is None:
        return False
    now = utcnow()
    later = supersede_refused(session, uuid, made_by, now)
    codec = Codec(session)
    after = sparse(entity, codec.record(entity, obj))
    op.base_version, op.before, op.after = 0, "{}", _dump(after)
    op.people = _dump(codec.people(entity, after))
    session.flush()
    if later:
        session.execute(insert(OutboxOp), later)
    return True


def full_record_ops(session: Session, entity: str, objs: list[Any], root_of: Any,
                    made_by: str) -> list[dict[str, Any]]:
    """Insert operations for records the district has never had (the first upload after
    enrolment of an office that already holds records)."""
    codec = Codec(session)
    for f in FIELDS[entity]:
        if f.target is not None:  # the keys of what they refer to, a table at a time
            codec.preload_ids(f.target, (getattr(o, f.attr) for o in objs))
    now = utcnow()
    rows = []
    for obj in objs:
        after = sparse(entity, codec.record(entity, obj))
        rows.append({
            "op_id": new_uuid(), "entity": entity, "record_uuid": obj.uuid,
            "root_uuid": root_of(obj), "kind": "upsert", "base_version": 0, "before": "{}",
            "after": _dump(after), "people": _dump(codec.people(entity, after)),
            "made_at": now, "made_by": made_by, "status": "pending", "attempts": 0,
            "message": "", "code": "",
        })
    return rows


__all__ = ["FIELDS", "Outbox", "full_record_ops", "refused_new", "resend_whole",
           "supersede_refused"]
