"""Records on the wire: the office database's rows as the sync protocol's JSON fields, and back.

Driven by the models' own columns, so a column added in a migration travels without code
here. Local integer keys never travel: a foreign key becomes the referenced office's code or
the referenced record's UUID, under the column name without `_id` (desktop/sync/protocol.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, select
from sqlalchemy.orm import Session

from desktop.db.batches import slices
from desktop.db.models import (
    Attachment,
    Base,
    ClockPause,
    Complaint,
    DisclosureDecision,
    DisclosureEntry,
    DisclosureList,
    DisclosureRequest,
    Enterprise,
    FollowUp,
    MediationRecord,
    NoticeDelivery,
    Office,
    OfficeReference,
    Printing,
    User,
)
from desktop.db.rows import BOOKKEEPING, IDENTITY, column_names, plain, values
from desktop.sync.protocol import ENTITY

# Columns that are this database's own bookkeeping, the local id, and the uuid, which names
# the record beside its fields (db/rows.py).
_LOCAL = BOOKKEEPING | IDENTITY

MODELS: dict[str, type[Base]] = {
    m.__tablename__: m
    for m in (Complaint, ClockPause, MediationRecord, Attachment, Printing, FollowUp,
              NoticeDelivery, DisclosureList, DisclosureEntry, DisclosureRequest,
              DisclosureDecision, OfficeReference)
}
assert set(MODELS) == set(ENTITY), "every entity of the protocol has its model"
# Referenced tables that do not travel as entities themselves.
_OFFICES, _USERS, _ENTERPRISES = "offices", "users", "enterprises"


@dataclass(frozen=True)
class Field:
    attr: str  # the model's attribute
    wire: str  # its name on the wire
    target: str | None  # the referenced table, for a foreign key
    kind: str  # plain / date / datetime


def _fields(model: type[Base]) -> tuple[Field, ...]:
    out = []
    table = model.__table__  # type: ignore[attr-defined]
    for key in column_names(table, _LOCAL):
        column = table.columns[key]
        fks = list(column.foreign_keys)
        target = fks[0].column.table.name if fks else None
        wire = column.key.removesuffix("_id") if target else column.key
        kind = ("datetime" if isinstance(column.type, DateTime)
                else "date" if isinstance(column.type, Date) else "plain")
        out.append(Field(column.key, wire, target, kind))
    return tuple(out)


FIELDS: dict[str, tuple[Field, ...]] = {name: _fields(model) for name, model in MODELS.items()}
BY_ATTR: dict[str, dict[str, Field]] = {n: {f.attr: f for f in fs} for n, fs in FIELDS.items()}
BY_WIRE: dict[str, dict[str, Field]] = {n: {f.wire: f for f in fs} for n, fs in FIELDS.items()}
# Each entity's wire fields that refer to another record, with the table referred to.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    n: tuple((f.wire, f.target) for f in fs if f.target is not None) for n, fs in FIELDS.items()}


def _parse(field: Field, value: Any) -> Any:
    if value is None or field.kind == "plain":
        return value
    if field.kind == "datetime":
        return datetime.fromisoformat(value).replace(tzinfo=None)
    return date.fromisoformat(value)


class Missing(Exception):
    """A pulled record refers to a record this office does not have (yet)."""

    def __init__(self, entity: str, key: str) -> None:
        super().__init__(f"{entity} {key}")
        self.entity = entity
        self.key = key


class Codec:
    """Converts within one session, remembering the keys it has looked up."""

    def __init__(self, session: Session) -> None:
        self.s = session
        self._to_key: dict[tuple[str, int], str | None] = {}
        self._to_id: dict[tuple[str, str], int | None] = {}
        self._names: dict[int, str] = {}
        # Records added to the session but not flushed yet: their ids exist after a flush,
        # which happens only when something refers to one of them.
        self._unflushed: dict[tuple[str, str], Any] = {}
        # Writes the records kept for one bulk insert (apply.PageApplier) before a flush: their
        # placeholders among `_unflushed` get their ids then.
        self.before_flush: Any = None

    # -- local -> wire ------------------------------------------------------------------
    def key_of(self, table: str, row_id: int | None) -> str | None:
        """The code of an office, the UUID of anything else."""
        if row_id is None:
            return None
        if (table, row_id) not in self._to_key:
            self.preload_ids(table, [row_id])
        return self._to_key[(table, row_id)]

    def value(self, entity: str, attr: str, value: Any) -> tuple[str, Any]:
        field = BY_ATTR[entity][attr]
        if field.target is not None:
            return field.wire, self.key_of(field.target, value)
        return field.wire, plain(value)

    def record(self, entity: str, obj: Any) -> dict[str, Any]:
        stored = values(obj, _LOCAL)
        return dict(self.value(entity, f.attr, stored[f.attr]) for f in FIELDS[entity])

    def people(self, entity: str, wire: dict[str, Any]) -> dict[str, str]:
        """Display names of the users a record names, so the district can show them."""
        out = {}
        for f in FIELDS[entity]:
            if f.target == _USERS and wire.get(f.wire):
                user_id = self.id_of(_USERS, wire[f.wire])
                if user_id is not None:
                    if user_id not in self._names:
                        self._names[user_id] = self.s.execute(
                            select(User.display_name).where(User.id == user_id)).scalar() or ""
                    out[wire[f.wire]] = self._names[user_id]
        return out

    # -- wire -> local ------------------------------------------------------------------
    def id_of(self, table: str, key: str | None) -> int | None:
        if key is None:
            return None
        if (table, key) in self._unflushed:
            if self.before_flush is not None:
                self.before_flush()
            self.s.flush()
            for (t, k), obj in self._unflushed.items():
                self.remember(t, k, obj.id)
            self._unflushed.clear()
        if (table, key) not in self._to_id:
            self.preload(table, [key])
        return self._to_id[(table, key)]

    def remember(self, table: str, key: str, row_id: int) -> None:
        self._to_id[(table, key)] = row_id
        self._to_key[(table, row_id)] = key

    def forget(self, table: str, key: str) -> None:
        """A record deleted here: what refers to it from now on finds it missing."""
        row_id = self._to_id.get((table, key))
        self._to_id[(table, key)] = None
        self._unflushed.pop((table, key), None)
        if row_id is not None:
            self._to_key.pop((table, row_id), None)

    def remember_new(self, table: str, key: str, obj: Any) -> None:
        """A record just added to the session: its id is known once the session flushes."""
        self._unflushed[(table, key)] = obj

    def preload(self, table: str, keys: Iterable[str]) -> None:
        """Look up many keys at once (a pulled page refers to hundreds)."""
        todo = {k for k in keys if (table, k) not in self._to_id and (table, k) not in self._unflushed}
        for key, row_id in _lookup(self.s, table, todo, by_key=True).items():
            self._to_id[(table, key)] = row_id
            if row_id is not None:
                self._to_key[(table, row_id)] = key

    def preload_ids(self, table: str, ids: Iterable[int]) -> None:
        """The keys of many local ids at once (queueing a whole office's records)."""
        todo = {i for i in ids if i is not None and (table, i) not in self._to_key}
        for row_id, key in _lookup(self.s, table, todo, by_key=False).items():
            self._to_key[(table, row_id)] = key
            if key is not None:
                self._to_id[(table, key)] = row_id

    def preload_refs(self, records: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Look up, a table at a time, every key these (entity, wire fields) refer to."""
        wanted: dict[str, set[str]] = {}
        for entity, wire in records:
            for name, target in REFERENCES[entity]:
                value = wire.get(name)
                if isinstance(value, str):
                    wanted.setdefault(target, set()).add(value)
        for table, keys in wanted.items():
            self.preload(table, keys)

    def attrs(self, entity: str, wire: dict[str, Any], user_for: Any) -> dict[str, Any]:
        """Model attributes for wire fields. Raises Missing for an absent office or parent;
        `user_for(uuid)` gives the local id of a user (made if this office has never seen
        them); an unknown enterprise is dropped (the complaint keeps its name and code)."""
        out: dict[str, Any] = {}
        for name, value in wire.items():
            field = BY_WIRE[entity].get(name)
            if field is None:
                continue  # a field of a newer program: ignored, not an error
            if field.target is None:
                out[field.attr] = _parse(field, value)
            elif value is None:
                out[field.attr] = None
            elif field.target == _USERS:
                out[field.attr] = user_for(value)
            elif field.target == _ENTERPRISES:
                out[field.attr] = self.id_of(_ENTERPRISES, value)
            else:
                row_id = self.id_of(field.target, value)
                if row_id is None:
                    raise Missing(field.target, value)
                out[field.attr] = row_id
        return out


def _lookup(session: Session, table: str, wanted: set[Any], *, by_key: bool) -> dict[Any, Any]:
    """id by key (an office's code, anything else's UUID), or key by id; None where absent."""
    model = Office if table == _OFFICES else _table_model(table)
    key_col = model.code if table == _OFFICES else model.uuid
    have, give = (key_col, model.id) if by_key else (model.id, key_col)
    out: dict[Any, Any] = dict.fromkeys(wanted)
    for part in slices(list(wanted)):
        out.update(session.execute(select(have, give).where(have.in_(part))).all())
    return out


def _table_model(table: str) -> Any:
    if table in MODELS:
        return MODELS[table]
    return {_USERS: User, _ENTERPRISES: Enterprise}[table]
