"""Applying one pulled page to the office database, in the caller's transaction.

A page holds up to PULL_PAGE records. What deciding about each one needs — the hub version this
office knows, whether it has changes of its own waiting, the local row, the records its fields
refer to, which held records wait for it — is read up front in a few queries per page, and the
session flushes only when a record refers to one added earlier in the same page (a complaint
and then its mediation records). A record that refers to one this office does not have yet is
held, and applied the moment that one arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop.db.batches import slices
from desktop.db.models import OutboxOp, SyncHeld, SyncRecord
from desktop.db.wire import MODELS, Codec, Missing
from desktop.sync.protocol import ENTITY, PulledRecord

# Operations whose record a pull must not overwrite: the office's change has not landed yet.
UNSETTLED = ("pending", "sending", "conflict")


@dataclass
class Applied:
    """What one pulled page did to this database."""

    applied: int = 0
    skipped: int = 0  # already known (an echo of this office's own push), or older
    kept_local: int = 0  # this office has unsent changes of the record: its push decides
    held: int = 0
    released: int = 0  # held records applied because their parent came
    deleted: int = 0
    new_complaints: list[str] = field(default_factory=list)  # uuids of complaints new here
    dispatched: list[str] = field(default_factory=list)  # numbers of those the district sent


def save_known(session: Session, versions: dict[tuple[str, str], int]) -> None:
    """Remember the hub versions of many records at once (never lowering one)."""
    if not versions:
        return
    stmt = sqlite_insert(SyncRecord)
    stmt = stmt.on_conflict_do_update(
        index_elements=[SyncRecord.entity, SyncRecord.uuid],
        set_={"hub_version": stmt.excluded.hub_version},
        where=stmt.excluded.hub_version > SyncRecord.hub_version)
    session.execute(stmt, [{"entity": e, "uuid": u, "hub_version": v}
                           for (e, u), v in versions.items()])


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
        self._looked_up: set[str] = set()
        self._known: dict[tuple[str, str], int] = {}
        self._learnt: dict[tuple[str, str], int] = {}
        self._unsettled: set[str] = set()
        self._rows: dict[tuple[str, str], Any] = {}
        held = self.s.execute(select(SyncHeld.entity, SyncHeld.uuid, SyncHeld.waiting_uuid)).all()
        self._held = {(e, u) for e, u, _ in held}
        self._awaited = {w for _, _, w in held}

    def apply(self, records: Sequence[PulledRecord]) -> Applied:
        live = [r for r in records if r.entity in ENTITY]
        self.out.skipped += len(records) - len(live)  # entities of a newer hub: ignored
        self._look_up(live)
        for record in live:
            self._one(record, released=False)
        save_known(self.s, self._learnt)
        self.s.flush()
        return self.out

    def _look_up(self, records: Sequence[PulledRecord]) -> None:
        """What deciding about these records needs, in a few queries."""
        records = [r for r in records if r.uuid not in self._looked_up]
        uuids = list({r.uuid for r in records})
        self._looked_up.update(uuids)
        for part in slices(uuids):
            self._known.update({(e, u): v for e, u, v in self.s.execute(
                select(SyncRecord.entity, SyncRecord.uuid, SyncRecord.hub_version)
                .where(SyncRecord.uuid.in_(part)))})
            self._unsettled.update(self.s.scalars(
                select(OutboxOp.record_uuid).distinct()
                .where(OutboxOp.record_uuid.in_(part), OutboxOp.status.in_(UNSETTLED))))
        by_entity: dict[str, list[str]] = {}
        for r in records:
            by_entity.setdefault(r.entity, []).append(r.uuid)
        for entity, keys in by_entity.items():
            model: Any = MODELS[entity]
            for part in slices(keys):
                for obj in self.s.scalars(select(model).where(model.uuid.in_(part))):
                    self._rows[(entity, obj.uuid)] = obj
        self.codec.preload_refs((r.entity, r.data) for r in records if not r.deleted)

    def _one(self, record: PulledRecord, *, released: bool) -> None:
        key = (record.entity, record.uuid)
        out = self.out
        if self._known.get(key, 0) >= record.version:
            out.skipped += 1
            return
        if record.uuid in self._unsettled:
            out.kept_local += 1
            return
        obj = self._rows.get(key)
        if record.deleted:
            if obj is not None:
                self.s.flush()  # it may have been added earlier in this page
                self.s.delete(obj)
                self.s.flush()
                del self._rows[key]
                self.codec.forget(record.entity, record.uuid)  # a later child must wait
                out.deleted += 1
            self._learn(key, record.version)
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
            obj = self._rows[key] = MODELS[record.entity](uuid=record.uuid, **attrs)
            self.s.add(obj)
            self.codec.remember_new(record.entity, record.uuid, obj)
            if record.entity == "complaints":
                out.new_complaints.append(record.uuid)
        else:
            for name, value in attrs.items():
                setattr(obj, name, value)
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

    def _hold(self, record: PulledRecord, entity: str, key: str) -> None:
        payload = record.model_dump_json()
        row = self.s.get(SyncHeld, (record.entity, record.uuid)) \
            if (record.entity, record.uuid) in self._held else None
        if row is None:
            self.s.add(SyncHeld(entity=record.entity, uuid=record.uuid, waiting_entity=entity,
                                waiting_uuid=key, payload=payload))
            self._held.add((record.entity, record.uuid))
        else:
            row.waiting_entity, row.waiting_uuid, row.payload = entity, key, payload
        self._awaited.add(key)
