"""Unit of work: one transaction per service call, audited in one place from what it flushes.

Services never write audit entries by hand: every insert, update and delete the session
flushes becomes a hash-chained audit entry carrying the action's name, the actor and the
before/after values. The sync outbox (desktop/db/outbox.py) hooks into the same place: each
travelling record's change becomes an operation for the district in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, event, insert, inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop.db.batches import slices
from desktop.db.engine import writer
from desktop.db.models import (
    AuditEntry,
    Complaint,
    NumberSequence,
    OutboxOp,
    SyncConflict,
    SyncHeld,
    SyncRecord,
    User,
    UserRole,
    utcnow,
)
from desktop.db.outbox import Outbox
from desktop.domain.errors import StorageError

GENESIS_HASH = "0" * 64

# Technical bookkeeping that is not worth an audit line of its own (sync's bookkeeping: the
# records it moves are audited themselves).
_NOT_AUDITED = (AuditEntry, NumberSequence, OutboxOp, SyncRecord, SyncConflict, SyncHeld)
_NOISE_COLUMNS = frozenset({"version", "updated_at"})
_SECRET_COLUMNS = frozenset({"password_hash"})


@dataclass(frozen=True)
class Actor:
    """Who is acting: recorded on every audit entry."""

    user_id: int | None
    username: str
    office_code: str = ""


SYSTEM = Actor(None, "system")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    out = {}
    for column in mapper.column_attrs:
        key = column.key
        if key in _NOISE_COLUMNS:
            continue
        out[key] = "***" if key in _SECRET_COLUMNS else _plain(getattr(obj, key))
    return out


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before, after = {}, {}
    for column in state.mapper.column_attrs:
        key = column.key
        if key in _NOISE_COLUMNS:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        secret = key in _SECRET_COLUMNS
        before[key] = "***" if secret else _plain(old)
        after[key] = "***" if secret else _plain(new)
    return before, after


def entry_hash(fields: dict[str, Any]) -> str:
    """The hash of one entry: its content and the previous entry's hash, canonically encoded."""
    canonical = json.dumps(
        [
            fields["at"].isoformat() if isinstance(fields["at"], datetime) else fields["at"],
            fields["user_id"],
            fields["username"],
            fields["office_code"],
            fields["action"],
            fields["entity"],
            fields["entity_uuid"],
            fields["root_uuid"],
            fields["operation"],
            fields["before"],
            fields["after"],
            fields["reason"],
            fields["prev_hash"],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def storage_problem(error: BaseException) -> str | None:
    """A Chinese sentence when SQLite failed because of the machine (busy, full, read-only)."""
    if not isinstance(error, (OperationalError, sqlite3.OperationalError)):
        return None
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return "数据库正被另一个程序写入，请稍后再试。刚才填写的内容没有丢失。"
    if "disk" in text or "full" in text:
        return "磁盘已满，无法写入数据库。请清理磁盘空间后再试。"
    if "readonly" in text or "read-only" in text:
        return "数据库文件是只读的，无法保存。请检查文件权限。"
    return None


class UnitOfWork:
    """`with UnitOfWork(engine, actor, "受理") as uow: ...; uow.commit()` — rolls back otherwise."""

    def __init__(
        self,
        engine: Engine,
        actor: Actor = SYSTEM,
        action: str = "",
        *,
        reason: str | None = None,
        write: bool = True,
        outbox: bool = True,
    ) -> None:
        self._engine = engine
        self.actor = actor
        self.action = action
        self.reason = reason
        self._writable = write
        # Changes pulled from the district are audited but not sent back to it.
        self.outbox: Outbox | None = Outbox() if write and outbox else None
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        bind = writer(self._engine) if self._writable else self._engine
        self.session = Session(bind=bind, expire_on_commit=False, autoflush=True)
        if self._writable:
            event.listen(self.session, "after_flush", self._audit)
        return self

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> None:
        # close() rolls back whatever was not committed and detaches the objects without
        # expiring them, so values read inside stay readable afterwards.
        self.session.close()
        message = storage_problem(error) if error is not None else None
        if message is not None:
            raise StorageError(message) from error

    def commit(self) -> None:
        if not self._writable:
            raise RuntimeError("read-only unit of work")
        if self.outbox is not None:
            self.session.flush()
            self.outbox.write(self.session, self.actor.username)
        self.session.commit()

    def flush(self) -> None:
        self.session.flush()

    # -- audit ------------------------------------------------------------------------
    def _audit(self, session: Session, _context: Any) -> None:
        rows: list[dict[str, Any]] = []
        roots = _RootUuids(session, [*session.new, *session.dirty, *session.deleted])
        for obj in session.new:
            if not isinstance(obj, _NOT_AUDITED):
                rows.append(self._row(roots, obj, "insert", None, _columns(obj)))
        for obj in session.dirty:
            if isinstance(obj, _NOT_AUDITED) or not session.is_modified(obj):
                continue
            before, after = _changes(obj)
            if after or before:
                rows.append(self._row(roots, obj, "update", before, after))
        for obj in session.deleted:
            if not isinstance(obj, _NOT_AUDITED):
                rows.append(self._row(roots, obj, "delete", _columns(obj), None))
        self._write(session, rows)

    def log_bulk(self, entity: str, summary: dict[str, Any]) -> None:
        """One audit entry for a bulk statement the ORM does not see (imports, generated data)."""
        self.session.flush()
        after = json.dumps(summary, ensure_ascii=False, sort_keys=True)
        row = {
            "at": utcnow(), "user_id": self.actor.user_id, "username": self.actor.username,
            "office_code": self.actor.office_code, "action": self.action or "bulk",
            "entity": entity, "entity_uuid": None, "root_uuid": None, "operation": "bulk",
            "before": None, "after": after, "reason": self.reason,
        }
        self._write(self.session, [row])

    @staticmethod
    def _write(session: Session, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        connection = session.connection()
        prev = connection.execute(
            select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
        ).scalar_one_or_none()
        prev = prev or GENESIS_HASH
        for row in rows:
            row["prev_hash"] = prev
            row["hash"] = prev = entry_hash(row)
        connection.execute(insert(AuditEntry), rows)

    def _row(
        self,
        roots: _RootUuids,
        obj: Any,
        operation: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> dict[str, Any]:
        uuid = getattr(obj, "uuid", None)
        root = roots.of(obj) or uuid
        if self.outbox is not None and uuid is not None:
            self.outbox.note(obj, operation, root)
        return {
            "at": utcnow(),
            "user_id": self.actor.user_id,
            "username": self.actor.username,
            "office_code": self.actor.office_code,
            "action": self.action or operation,
            "entity": obj.__tablename__,
            "entity_uuid": uuid,
            "root_uuid": root,
            "operation": operation,
            "before": json.dumps(before, ensure_ascii=False, sort_keys=True) if before else None,
            "after": json.dumps(after, ensure_ascii=False, sort_keys=True) if after else None,
            "reason": self.reason,
        }


class _RootUuids:
    """The UUID of the record each flushed object belongs to (a mediation record's complaint,
    a role's user), looked up for the whole flush at once: a pulled page flushes hundreds."""

    def __init__(self, session: Session, objs: list[Any]) -> None:
        wanted: dict[type, set[int]] = {Complaint: set(), User: set()}
        for obj in objs:
            if isinstance(obj, UserRole):
                wanted[User].add(obj.user_id)
            elif not isinstance(obj, Complaint) and getattr(obj, "complaint_id", None) is not None:
                wanted[Complaint].add(obj.complaint_id)
        self._uuids: dict[tuple[type, int], str] = {}
        for model, ids in wanted.items():
            todo = []
            for row_id in ids:  # those the session holds need no query
                held = session.identity_map.get(session.identity_key(model, row_id))
                if held is not None:
                    self._uuids[(model, row_id)] = held.uuid
                else:
                    todo.append(row_id)
            for part in slices(todo):
                for row_id, uuid in session.execute(
                        select(model.id, model.uuid).where(model.id.in_(part))):
                    self._uuids[(model, row_id)] = uuid

    def of(self, obj: Any) -> str | None:
        if isinstance(obj, UserRole):
            return self._uuids.get((User, obj.user_id))
        complaint_id = getattr(obj, "complaint_id", None)
        if complaint_id is None or isinstance(obj, Complaint):
            return None
        return self._uuids.get((Complaint, complaint_id))
