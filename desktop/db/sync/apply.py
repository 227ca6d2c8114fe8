"""Applying one pulled page to the office database, in the caller's transaction.

A page holds up to PULL_PAGE records. What deciding about each one needs — the hub version this
office knows, whether it has changes of its own waiting, the local row, the records its fields
refer to, which held records wait for it — is read up front in a few queries per page, and the
session flushes only when a record refers to one added earlier in the same page (a complaint
and then its mediation records). A record that refers to one this office does not have yet is
held, and applied the moment that one arrives.

Offices need not trust what the district hands on: each pulled record is checked against the
wire contract (desktop/domain/contract.py) and against this database's unique numbers before it
is applied, and one that cannot be applied is *held aside* (a `sync_held` row with its reason),
so that the rest of the page and the cursor go on. A newer version of it replaces it. What the
checks do not foresee fails inside a savepoint (SyncRepository.apply) and is held aside too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from desktop.db.batches import slices
from desktop.db.driver_rows import insert_rows, rows_from, rows_in
from desktop.db.models import Complaint, SyncHeld, utcnow
from desktop.db.repositories import insert_triggers_deferred
from desktop.db.sync.outbox import known_versions
from desktop.db.sync.wire import BY_ATTR, MODELS, Codec, Missing
from desktop.db.uow import AUDIT_INSERTED
from desktop.domain import contract
from desktop.sync.protocol import ENTITY, PulledRecord

# Operations whose record a pull must not overwrite: the office's change has not landed yet.
UNSETTLED = ("pending", "sending", "conflict")

# New records of these entities are inserted in bulk (an executemany per entity and set of
# fields, the rows read back by uuid) instead of one ORM object each, and audited entry by
# entry as the objects would be (UnitOfWork.audit_inserted): most of a pull's time was the
# objects. Not those with relationships the session keeps (a complaint's pauses, a list's
# entries) nor office references, which the caller installs.
BULK_ENTITIES = frozenset({"complaints", "mediation_records", "attachments", "printings",
                           "follow_ups"})


class _Pending:
    """A new record kept for the bulk insert: its id once written."""

    __slots__ = ("id",)

    def __init__(self) -> None:
        self.id: int | None = None


@dataclass
class Applied:
    """What one pulled page did to this database."""

    applied: int = 0
    skipped: int = 0  # already known (an echo of this office's own push), or older
    kept_local: int = 0  # this office has unsent changes of the record: its push decides
    held: int = 0
    released: int = 0  # held records applied because their parent came
    deleted: int = 0
    set_aside: int = 0  # records this office cannot apply: held aside with the reason
    new_complaints: list[str] = field(default_factory=list)  # uuids of complaints new here
    dispatched: list[str] = field(default_factory=list)  # numbers of those the district sent
    references: list[str] = field(default_factory=list)  # uuids of office references applied
    reference_parts: set[str] = field(default_factory=set)  # parts installed here (base.py)

    def add(self, other: Applied) -> None:
        """Count another part of the same page in (a page applied record by record)."""
        for name in ("applied", "skipped", "kept_local", "held", "released", "deleted",
                     "set_aside"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.new_complaints += other.new_complaints
        self.dispatched += other.dispatched
        self.references += other.references
        self.reference_parts |= other.reference_parts


def hold_aside(session: Session, record: PulledRecord, reason: str) -> None:
    """Keep a record this office cannot apply, with why (in Chinese), instead of applying it.
    It is not taken as known: a newer version replaces it, and each round tries it again."""
    row = session.get(SyncHeld, (record.entity, record.uuid))
    payload = record.model_dump_json()
    if row is None:
        session.add(SyncHeld(entity=record.entity, uuid=record.uuid, waiting_entity="",
                             waiting_uuid="", payload=payload, reason=reason[:1000]))
    else:
        row.waiting_entity, row.waiting_uuid, row.payload = "", "", payload
        row.reason, row.held_at = reason[:1000], utcnow()


def _missing(entity: str, attrs: dict[str, Any]) -> list[str]:
    """The fields a new record must have and this one lacks (no value, no default here)."""
    return [f"{label}缺失" for key, label in _must(entity) if key not in attrs]


@cache
def _must(entity: str) -> tuple[tuple[str, str], ...]:
    """The columns a new record of `entity` must be given, with their fields' labels: not
    nullable, no default, and carried on the wire."""
    out = []
    for column in MODELS[entity].__table__.columns:  # type: ignore[attr-defined]
        if column.nullable or column.primary_key \
                or column.default is not None or column.server_default is not None:
            continue
        f = BY_ATTR[entity].get(column.key)
        if f is not None:
            out.append((column.key, contract.label(entity, f.wire)))
    return tuple(out)


def record_problems(record: PulledRecord) -> list[str]:
    """Why a pulled record's fields break the wire contract (each naming its field), or [].

    Every field it carries is checked for its type, length, bounds and nullability. What a new
    registration must have (not blank) is the registering office's rule, not the receiver's:
    a dispatched complaint comes without an address, imported history without facts; this
    office can hold them, so they are not refused here. Fields of a newer program are ignored.
    """
    rules = contract.RULES.get(record.entity, {})
    return contract.problems(record.entity, {k: v for k, v in record.data.items() if k in rules},
                             new=False)


def save_known(session: Session, versions: dict[tuple[str, str], int]) -> None:
    """Remember the hub versions of many records at once (never lowering one)."""
    if not versions:
        return
    session.connection().exec_driver_sql(
        "INSERT INTO sync_records (entity, uuid, hub_version) VALUES (?, ?, ?) "
        "ON CONFLICT (entity, uuid) DO UPDATE SET hub_version = excluded.hub_version "
        "WHERE excluded.hub_version > sync_records.hub_version",
        [(e, u, v) for (e, u), v in versions.items()])


class PageApplier:
    """One page: `PageApplier(session, complete, user_for).apply(records)`.

    `complete(entity, attrs)` fills what this office works out itself for a new record (a
    dispatched complaint's rule set); `user_for(codec, uuid, name)` gives the local id of a
    user, making a placeholder for one this office has never seen."""

    def __init__(self, session: Session, complete: Callable[[str, dict[str, Any]], None],
                 user_for: Callable[[Codec, str, str], int]) -> None:
        self.s = session
        self.codec = Codec(session)
        self._complete = complete
        self._user_for = user_for
        self.out = Applied()
        self._looked_up: set[str] = set()  # uuids whose rows, references and numbers are read
        self._versions_read: set[str] = set()  # uuids whose known version is read
        self._known: dict[tuple[str, str], int] = {}
        self._learnt: dict[tuple[str, str], int] = {}
        self._unsettled: set[str] = set()
        self._rows: dict[tuple[str, str], Any] = {}
        held = self.s.execute(select(SyncHeld.entity, SyncHeld.uuid, SyncHeld.waiting_uuid)).all()
        self._held = {(e, u) for e, u, _ in held}
        self._awaited = {w for _, _, w in held if w}  # '' is a record held aside
        self._numbers: dict[str, str] = {}  # complaint number -> uuid, of this page's numbers
        # New records for the bulk insert, in order: (entity, column values, placeholder).
        self._audit_inserted = session.info.get(AUDIT_INSERTED)
        self._pending: list[tuple[str, dict[str, Any], _Pending]] = []
        self.codec.before_flush = self._write_pending

    def apply(self, records: Sequence[PulledRecord]) -> Applied:
        live = [r for r in records if r.entity in ENTITY]
        self.out.skipped += len(records) - len(live)  # entities of a newer hub: ignored
        self._look_up(live)
        for record in live:
            self._one(record, released=False)
        self._write_pending()
        save_known(self.s, self._learnt)
        self.s.flush()
        return self.out

    def _write_pending(self) -> None:
        """Insert the new records kept so far, a statement per entity and set of fields, and
        audit them; their placeholders (and the codec) learn their ids."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        self.s.flush()  # what they refer to (a placeholder user) is written first
        groups: dict[tuple[str, tuple[str, ...]], list[tuple[dict[str, Any], _Pending]]] = {}
        for entity, values, holder in pending:
            groups.setdefault((entity, tuple(values)), []).append((values, holder))
        for (entity, _names), items in groups.items():
            table: Any = MODELS[entity].__table__  # type: ignore[attr-defined]
            # One executemany, then the rows as stored (ids, defaults) read back by uuid: on
            # SQLite, RETURNING in parameter order would be a statement per row. Complaints
            # are indexed for search after the statement, in one go.
            connection = self.s.connection()
            if entity == "complaints":
                with insert_triggers_deferred(connection) as deferred:
                    first = deferred.first
                    insert_rows(connection, table, [values for values, _ in items])
            else:
                first = (self.s.execute(select(func.max(table.c.id))).scalar() or 0) + 1
                insert_rows(connection, table, [values for values, _ in items])
            uuids = [values["uuid"] for values, _ in items]
            # The new rows have the ids from `first` on, in the statement's order; read back
            # by that range (checked), else by uuid.
            rows: list[Any] = rows_from(connection, table, first)
            if [row["uuid"] for row in rows] != uuids:
                by_uuid = {}
                for part in slices(uuids):
                    by_uuid.update((row["uuid"], row) for row in self.s.execute(
                        select(table).where(table.c.uuid.in_(part))).mappings())
                rows = [by_uuid[u] for u in uuids]
            for (values, holder), row in zip(items, rows, strict=True):
                holder.id = row["id"]
                self.codec.remember(entity, values["uuid"], row["id"])
            self._audit_inserted(table, rows)

    def _look_up(self, records: Sequence[PulledRecord]) -> None:
        """What deciding about these records needs, in a few queries.

        First the versions this office knows and its unsent changes, for all of them; the rest
        (local rows, the records they refer to, numbers) only for those that will be applied.
        A page that echoes this office's own push back is thereby two queries per slice: the
        records are recognised by their versions, not loaded."""
        # Known versions by (entity, uuid), the table's key (known_versions).
        fresh: dict[str, list[str]] = {}
        for r in records:
            if r.uuid not in self._versions_read:
                self._versions_read.add(r.uuid)
                fresh.setdefault(r.entity, []).append(r.uuid)
        for entity, uuids in fresh.items():
            self._known.update({(entity, u): v
                                for u, v in known_versions(self.s, entity, uuids).items()})
            self._unsettled.update(uuid for uuid, in rows_in(
                self.s.connection(), f"SELECT DISTINCT record_uuid FROM sync_outbox WHERE "
                f"status IN ({', '.join('?' * len(UNSETTLED))}) AND record_uuid IN ({{}})",
                uuids, UNSETTLED))
        records = [r for r in records if r.uuid not in self._looked_up
                   and not self._skips(r) and r.uuid not in self._unsettled]
        uuids = list({r.uuid for r in records})
        self._looked_up.update(uuids)
        by_entity: dict[str, list[str]] = {}
        for r in records:
            by_entity.setdefault(r.entity, []).append(r.uuid)
        for entity, keys in by_entity.items():
            model: Any = MODELS[entity]
            for part in slices(keys):
                for obj in self.s.scalars(select(model).where(model.uuid.in_(part))):
                    self._rows[(entity, obj.uuid)] = obj
        self.codec.preload_refs((r.entity, r.data) for r in records if not r.deleted)
        numbers = [n for r in records if r.entity == "complaints" and not r.deleted
                   and isinstance(n := r.data.get("number"), str) and n not in self._numbers]
        for part in slices(numbers):
            self._numbers.update(self.s.execute(select(Complaint.number, Complaint.uuid)
                                                .where(Complaint.number.in_(part))).all())

    def _skips(self, record: PulledRecord) -> bool:
        """Already known here at this version or a later one (the echo of its own push)."""
        return self._known.get((record.entity, record.uuid), 0) >= record.version

    def _one(self, record: PulledRecord, *, released: bool) -> None:
        key = (record.entity, record.uuid)
        out = self.out
        if self._skips(record):
            out.skipped += 1
            return
        if record.uuid in self._unsettled:
            out.kept_local += 1
            return
        obj = self._rows.get(key)
        if isinstance(obj, _Pending):  # inserted earlier in this page: as an object from now on
            self._write_pending()
            obj = self._rows[key] = self.s.get(MODELS[record.entity], obj.id)
        if record.deleted:
            if obj is not None:
                self.s.flush()  # it may have been added earlier in this page
                self.s.delete(obj)
                self.s.flush()
                del self._rows[key]
                self.codec.forget(record.entity, record.uuid)  # a later child must wait
                out.deleted += 1
            if key in self._held:  # gone at the district: nothing left to hold
                self.s.execute(delete(SyncHeld).where(SyncHeld.entity == record.entity,
                                                      SyncHeld.uuid == record.uuid))
                self._held.discard(key)
            self._learn(key, record.version)
            return
        reasons = record_problems(record)
        number = record.data.get("number") if record.entity == "complaints" else None
        if not reasons and isinstance(number, str) \
                and self._numbers.get(number, record.uuid) != record.uuid:
            reasons = [f"投诉单号 {number} 与本机已有的另一件投诉相同"]
        if reasons:
            self._set_aside(record, "；".join(reasons))
            return
        try:
            attrs = self.codec.attrs(record.entity, record.data, lambda u: self._user_for(
                self.codec, u, record.people.get(u, "")))
        except Missing as missing:
            self._hold(record, missing.entity, missing.key)
            out.held += 1
            return
        if obj is None:
            self._complete(record.entity, attrs)
            if missing_fields := _missing(record.entity, attrs):
                self._set_aside(record, "；".join(missing_fields))
                return
            if self._audit_inserted is not None and record.entity in BULK_ENTITIES:
                holder = _Pending()
                self._pending.append((record.entity, {"uuid": record.uuid, **attrs}, holder))
                self._rows[key] = holder
                self.codec.remember_new(record.entity, record.uuid, holder)
            else:
                obj = self._rows[key] = MODELS[record.entity](uuid=record.uuid, **attrs)
                self.s.add(obj)
                self.codec.remember_new(record.entity, record.uuid, obj)
            if record.entity == "complaints":
                out.new_complaints.append(record.uuid)
        else:
            if isinstance(number, str) and obj.number != number:
                self._numbers.pop(obj.number, None)
            for name, value in attrs.items():
                setattr(obj, name, value)
        if isinstance(number, str):
            self._numbers[number] = record.uuid
        if record.entity == "office_references":
            out.references.append(record.uuid)  # installed by the caller, if this office's
        self._learn(key, record.version)
        if key in self._held:
            self.s.execute(delete(SyncHeld).where(SyncHeld.entity == record.entity,
                                                  SyncHeld.uuid == record.uuid))
            self._held.discard(key)
        if released:
            out.released += 1
        else:
            out.applied += 1
        if record.uuid in self._awaited:
            self._release(record.uuid)

    def _learn(self, key: tuple[str, str], version: int) -> None:
        self._known[key] = self._learnt[key] = version

    def _release(self, uuid: str) -> None:
        """Apply the records held until `uuid` arrived."""
        self._awaited.discard(uuid)
        rows = self.s.scalars(select(SyncHeld).where(SyncHeld.waiting_uuid == uuid)).all()
        waiting = [PulledRecord.model_validate_json(row.payload) for row in rows]
        for row in rows:
            self.s.delete(row)
            self._held.discard((row.entity, row.uuid))
        self.s.flush()
        self._look_up(waiting)
        for record in waiting:
            self._one(record, released=True)

    def _set_aside(self, record: PulledRecord, reason: str) -> None:
        hold_aside(self.s, record, reason)
        self._held.add((record.entity, record.uuid))
        self.out.set_aside += 1

    def _hold(self, record: PulledRecord, entity: str, key: str) -> None:
        payload = record.model_dump_json()
        row = self.s.get(SyncHeld, (record.entity, record.uuid)) \
            if (record.entity, record.uuid) in self._held else None
        if row is None:
            self.s.add(SyncHeld(entity=record.entity, uuid=record.uuid, waiting_entity=entity,
                                waiting_uuid=key, payload=payload, reason=""))
            self._held.add((record.entity, record.uuid))
        else:
            row.waiting_entity, row.waiting_uuid, row.payload = entity, key, payload
            row.reason = ""
        self._awaited.add(key)
