"""Applying pushed operations: idempotent, scope-checked, merged field by field.

One batch is one transaction (the caller's). The batch's stored answers, records and complete
blobs are read in one query each; the changes are collected in memory, in order (a batch may
add a complaint and then its mediation records) and written with one executemany per table.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from pydantic import TypeAdapter
from sqlalchemy import and_, select, text, update
from sqlalchemy.orm import Session

from desktop.domain import contract
from desktop.domain.numbering import parse_number
from desktop.domain.retention import RECORD_TEXTS, is_anonymised
from desktop.domain.workflow import Status
from desktop.sync.protocol import (
    ENTITY,
    STATUS_FIELD,
    EntitySpec,
    FieldConflict,
    Operation,
    OpResult,
    RefusalCode,
)
from district import store
from district.errors import OpMsg
from district.models import OperationRow, Record
from district.numbers import NUMBER_FIELD, Numbers
from district.offices import OfficeTree
from district.status_rules import status_refusal
from district.validate import beside_problems, received_in_future, record_problems


def _canonical(value: Any, *, allow_nan: bool = True) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=allow_nan)


def payload_hash(op: Operation) -> str:
    """SHA-256 of the operation's canonical JSON. `surrogatepass`: a lone surrogate (which
    JSON's \\uXXXX escapes can carry) still has bytes to hash, so a malformed operation is
    answered alone instead of failing the push; every valid text encodes as plain UTF-8, so
    the hash of a valid payload (and the stored answers keyed by it) is unchanged."""
    canonical = _canonical(op.model_dump(mode="json"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


_PLAIN = frozenset({str, int, bool, type(None)})
_PLAIN_OR_NESTED = _PLAIN | {dict, list}
_TEXT = frozenset({str})


def _plain(values: list[Any]) -> bool:
    """Whether these JSON values hold no float (so no NaN or infinity) and only text keys: what
    orjson writes byte for byte as `_canonical` does (same escapes, keys sorted by code point,
    UTF-8), raising where it cannot (a lone surrogate, an integer beyond 64 bits).

    A container's value types are gathered by set(map(type, …)), in C: a record's fields are
    a flat dict of texts, numbers and nulls, looked at without a Python step per value."""
    stack = list(values)
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict:
            if value and set(map(type, value)) != _TEXT:
                return False
            items = value.values()
        elif kind is list:
            items = value
        elif kind in _PLAIN:
            continue
        else:
            return False  # a float, or anything else: the exact path judges it
        kinds = set(map(type, items))
        if kinds <= _PLAIN:
            continue
        if not kinds <= _PLAIN_OR_NESTED:
            return False
        stack.extend(v for v in items if type(v) is dict or type(v) is list)
    return True


def quick_hash(op: Operation) -> str | None:
    """`payload_hash` of an operation that holds only what can be stored, from one orjson
    dump; None when it may not (a float, a lone surrogate …): then `_storable`,
    `_unstorable_fields` and `payload_hash` judge it the slow, exact way.

    The same digest as `payload_hash`: for values without floats orjson's sorted, compact
    UTF-8 output is the standard library's canonical text encoded (checked for every code
    point in tests/sync/test_push_hash.py). And the operation is storable: no float means
    no NaN or infinity, and orjson refuses a lone surrogate anywhere (op_id, entity, uuid,
    made_by, keys and values of before, after and people)."""
    if not _plain([op.before, op.after, op.people]):
        return None
    try:
        # The parts as received (not pydantic's JSON dump, which writes a key's lone surrogate
        # as U+FFFD and would vouch for a key that cannot be stored): orjson refuses it.
        canonical = orjson.dumps(_as_json(op), option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError
        return None
    return hashlib.sha256(canonical).hexdigest()


_OP_FIELDS = tuple(Operation.model_fields)
_MADE_AT = TypeAdapter(datetime)


def _as_json(op: Operation) -> dict[str, Any]:
    """`op.model_dump(mode="json")` of an operation whose parts hold only JSON's own values
    (quick_hash checked them): the same dict without copying the record's fields; the time as
    pydantic writes it."""
    out = {name: getattr(op, name) for name in _OP_FIELDS}
    out["made_at"] = _MADE_AT.dump_python(op.made_at, mode="json")
    return out


# Code points UTF-8 cannot encode: in a Python str every one of them is a lone surrogate.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(value: Any) -> bool:
    """Whether a JSON value can be written to the hub's database and answered in JSON: no lone
    surrogate (PostgreSQL, like UTF-8, has no bytes for it), no NaN or infinity (JSON has none)."""
    try:
        _canonical(value, allow_nan=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        return False
    return True


def _cleaned(value: Any) -> Any:
    """`value` with every lone surrogate replaced by U+FFFD and every NaN or infinity by None:
    what the hub may quote back of a malformed operation."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {_cleaned(k): _cleaned(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_cleaned(v) for v in value]
    return value


def _unstorable_fields(op: Operation) -> list[str]:
    """The wire fields of an operation holding what cannot be stored (see _storable): the
    record's fields by name, or the part of the operation (`before`, `people` …)."""
    # One encoding for the common case. The parts as received: a JSON dump of the model
    # would have turned NaN into null already.
    if _storable([op.entity, op.uuid, op.before, op.after, op.people, op.made_by]):
        return []
    found: list[str] = []
    if not _storable(op.entity) or not _storable(op.uuid):
        found.append("uuid" if _storable(op.entity) else "entity")
    for name, value in op.after.items():
        if not _storable(name) or not _storable(value):
            found.append(_cleaned(name))
    for part in ("before", "people", "made_by"):
        if not _storable(getattr(op, part)):
            found.append(part)
    return found


def _safe_result(result: OpResult) -> OpResult:
    """The answer as it can be stored and sent: a quoted value is never unencodable."""
    if result.status == "acked" and not (result.message or result.conflicts or result.code
                                         or result.fields) and result.hub_record is None:
        return result  # quotes nothing (its op_id was checked storable before it was weighed)
    dumped = result.model_dump(mode="json")
    if _storable(dumped):
        return result
    return OpResult.model_validate(_cleaned(dumped))


def _same(a: Any, b: Any) -> bool:
    # JSON knows true from 1; Python's == does not.
    return a == b and isinstance(a, bool) == isinstance(b, bool)


@functools.cache
def _references(entity: str) -> tuple[tuple[str, str, str], ...]:
    """(wire field, entity, label) of the fields naming another travelling record."""
    return tuple((name, rule.target, rule.label)
                 for name, rule in contract.RULES.get(entity, {}).items()
                 if rule.kind == "record" and rule.target in ENTITY)


# On PostgreSQL one index probe per id, whatever the planner knows of the table: given
# `device_id = … AND op_id IN (…)` on a table without statistics yet (a new hub, a new device's
# first push) it scans all of the device's answers and filters them, which made a first push
# of 30,000 operations quadratic (45 ms per batch at 30,000 answers). LIMIT 1 keeps the lateral
# subquery from being flattened into that same join.
_STORED_PG = text(
    "SELECT o.op_id, o.payload_hash, o.result FROM unnest(CAST(:ids AS varchar[])) AS w(id)"
    " CROSS JOIN LATERAL (SELECT op_id, payload_hash, result FROM operations"
    " WHERE device_id = :device AND op_id = w.id LIMIT 1) AS o"
).columns(OperationRow.op_id, OperationRow.payload_hash, OperationRow.result)


def _stored_answers(session: Session, ids: list[str], device: str) -> Any:
    """The stored answers to these of the device's operation ids (op_id, payload_hash, result)."""
    if session.get_bind().dialect.name == "postgresql":
        return _STORED_PG.bindparams(ids=ids, device=device)
    return (select(OperationRow.op_id, OperationRow.payload_hash, OperationRow.result)
            .where(OperationRow.device_id == device, OperationRow.op_id.in_(ids)))


@dataclass
class Actor:
    """Who is pushing: the device (or "district") and the office its credential is bound to."""

    device: str
    office: str


@dataclass
class _Rec:
    entity: str
    uuid: str
    owner: str
    parent_entity: str | None
    parent_uuid: str | None
    version: int
    seq: int
    deleted: bool
    blob: str | None
    data: dict[str, Any]
    people: dict[str, str]
    created_at: datetime
    new: bool  # not in the database yet
    dirty: bool = False

    def row(self, now: datetime) -> dict[str, Any]:
        return {"entity": self.entity, "uuid": self.uuid, "owner": self.owner,
                "parent_entity": self.parent_entity, "parent_uuid": self.parent_uuid,
                "version": self.version, "seq": self.seq, "deleted": self.deleted,
                "blob": self.blob, "data": self.data, "people": self.people,
                "created_at": self.created_at, "updated_at": now}


_REC_COLUMNS = (Record.entity, Record.uuid, Record.owner, Record.parent_entity,
                Record.parent_uuid, Record.version, Record.seq, Record.deleted, Record.blob,
                Record.data, Record.people, Record.created_at)


@dataclass
class Batch:
    """One push (or one bundle's operations), applied in order inside the caller's transaction."""

    session: Session
    actor: Actor
    tree: OfficeTree
    now: datetime
    seq: int  # the counter as locked by the caller; each change takes the next number
    recs: dict[tuple[str, str], _Rec] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    complete_blobs: set[str] = field(default_factory=set)
    parents: dict[tuple[str, str], tuple[str, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.scope = set(self.tree.scope(self.actor.office))
        self.numbers = Numbers(self.session)

    # ---------------------------------------------------------------- loading
    def _load(self, answerable: list[Operation],
              ops: list[Operation]) -> dict[str, tuple[str, dict[str, Any]]]:
        """The stored answers of `answerable`'s ids; the records, numbers, parents and files
        `ops` (those holding only what can be stored) name."""
        ids = list({op.op_id for op in answerable})
        # Answers are the asking device's own: another device's operation with the same id
        # is weighed on its own (it must not learn, nor be given, another's answer).
        stored = {r.op_id: (r.payload_hash, r.result)
                  for r in self.session.execute(_stored_answers(self.session, ids,
                                                                self.actor.device))} \
            if ids else {}
        uuids: set[str] = set()
        shas: set[str] = set()
        numbers: set[str] = set()
        for op in ops:
            uuids.add(op.uuid)
            spec = ENTITY.get(op.entity)
            if spec is None:
                continue
            for ref_field, _, _ in _references(op.entity):
                value = op.after.get(ref_field)
                if isinstance(value, str):
                    uuids.add(value)
            if spec.blob_field and isinstance(op.after.get(spec.blob_field), str):
                shas.add(op.after[spec.blob_field])
            if op.entity == "complaints" and isinstance(op.after.get(NUMBER_FIELD), str):
                numbers.add(op.after[NUMBER_FIELD])
        targets = {op.uuid for op in ops}
        self._load_records(store.one_of(self.session, Record.uuid, list(targets)))
        numbers.update(r.data[NUMBER_FIELD] for r in self.recs.values()
                       if r.entity == "complaints" and isinstance(r.data.get(NUMBER_FIELD), str))
        self.numbers.load(numbers)
        # Parents only say whose they are (and whether they still exist): no data to decode.
        others = list(uuids - targets)
        if others:
            self.parents = {(r.entity, r.uuid): (r.owner, r.deleted) for r in self.session.execute(
                select(Record.entity, Record.uuid, Record.owner, Record.deleted)
                .where(store.one_of(self.session, Record.uuid, others)))}
        if shas:
            # A file counts for this device only if it sent the bytes or its offices' records
            # name it already: knowing a hash alone must not give a device another's file.
            self.complete_blobs = store.complete_blobs(self.session, shas) & \
                store.blobs_known_to(self.session, shas, self.actor.device, self.scope)
        return stored

    def _load_records(self, where: Any) -> None:
        for r in self.session.execute(select(*_REC_COLUMNS).where(where)):
            self.recs.setdefault((r.entity, r.uuid), _Rec(*r, new=False))

    # ---------------------------------------------------------------- the batch
    def apply(self, ops: list[Operation]) -> list[OpResult]:
        # An id that cannot be stored cannot be answered twice alike; an operation holding what
        # cannot be stored is answered (and its answer stored) without a look at the records.
        # Most operations are judged storable, and hashed, by one orjson dump (quick_hash);
        # the others the exact way.
        quick = {id(op): digest for op in ops if (digest := quick_hash(op)) is not None}
        answerable = [op for op in ops if 0 < len(op.op_id) <= 64
                      and (id(op) in quick or _storable(op.op_id))]
        unstorable = {id(op): fields for op in answerable
                      if id(op) not in quick and (fields := _unstorable_fields(op))}
        stored = self._load(answerable, [op for op in answerable if id(op) not in unstorable])
        results: list[OpResult] = []
        answered: list[dict[str, Any]] = []
        for op in ops:
            digest = quick.get(id(op))
            if not 0 < len(op.op_id) <= 64 or (digest is None and not _storable(op.op_id)):
                results.append(_safe_result(_rejected(op, OpMsg.BAD_OP_ID)))
                continue
            if digest is None:
                digest = payload_hash(op)
            known = stored.get(op.op_id)
            if known is not None:
                if known[0] == digest:
                    results.append(OpResult.model_validate(known[1]))
                else:
                    results.append(OpResult(op_id=op.op_id, status="rejected",
                                            message=OpMsg.REPLAY_DIFFERENT))
                continue
            if (fields := unstorable.get(id(op))) is not None:
                labels = "、".join(contract.label(op.entity, f) if _storable(op.entity) else f
                                  for f in fields)
                result = _invalid(op, OpMsg.UNSTORABLE.format(fields=labels), fields)
            else:
                result = self._checked(op)
            result = _safe_result(result)
            results.append(result)
            if result.status != "deferred":  # a deferred one is weighed afresh when resent
                dumped = result.model_dump(mode="json")
                stored[op.op_id] = (digest, dumped)
                answered.append({"op_id": op.op_id, "device_id": self.actor.device,
                                 "payload_hash": digest, "result": dumped, "at": self.now})
        self._write(answered)
        return results

    def _write(self, answered: list[dict[str, Any]]) -> None:
        fresh = [r.row(self.now) for r in self.recs.values() if r.dirty and r.new]
        changed = [r.row(self.now) for r in self.recs.values() if r.dirty and not r.new]
        encoded: dict[int, str] = {}
        store.bulk_insert(self.session, Record.__table__, fresh, encoded)
        if changed:
            for row in changed:
                del row["created_at"]
            self.session.execute(update(Record), changed)
        store.insert_history(self.session, self.history, encoded)
        store.bulk_insert(self.session, OperationRow.__table__, answered)
        self.numbers.write(self.now)
        store.save_counter(self.session, self.seq)

    # ---------------------------------------------------------------- one operation
    def _checked(self, op: Operation) -> OpResult:
        if op.entity in ENTITY and (found := beside_problems(op)):
            return _invalid(op, found.message(), found.fields)
        return self._one(op)

    def _one(self, op: Operation) -> OpResult:
        spec = ENTITY.get(op.entity)
        if spec is None:
            return _rejected(op, OpMsg.ENTITY_UNKNOWN.format(entity=op.entity))
        if not contract.canonical_uuid(op.uuid):
            return _rejected(op, OpMsg.BAD_ID.format(uuid=op.uuid))
        rec = self.recs.get((op.entity, op.uuid))
        if op.kind == "delete":
            return self._delete(op, spec, rec)
        if rec is None:
            if op.base_version > 0 or op.before:
                # An edit of a record whose insert has not arrived (deferred with its parent).
                return _deferred(op, OpMsg.RECORD_MISSING)
            return self._insert(op, spec)
        return self._update(op, spec, rec)

    def _named(self, code: str) -> str:
        return f"{self.tree.name(code)}（{code}）"

    def _out_of_scope(self, owner: str) -> str | None:
        if owner in self.scope:
            return None
        return OpMsg.OUT_OF_SCOPE.format(owner=self._named(owner),
                                         office=self._named(self.actor.office))

    def _insert(self, op: Operation, spec: EntitySpec) -> OpResult:
        if found := record_problems(op.entity, op.after, new=True):
            return _invalid(op, found.message(), found.fields)
        owner = self.actor.office
        parent: tuple[str, str] | None = None
        owner_code = op.after.get(spec.owner) if spec.owner else None
        if owner_code is not None:
            if not isinstance(owner_code, str) or owner_code not in self.tree:
                return _rejected(op, OpMsg.OFFICE_UNKNOWN.format(code=owner_code))
            owner = owner_code
        else:
            for parent_field, parent_entity in spec.parents:
                parent_uuid = op.after.get(parent_field)
                if parent_uuid is None:
                    continue
                known = self._known(parent_entity, parent_uuid)
                if known is None:
                    return self._unknown_reference(op, parent_field, parent_entity, parent_uuid,
                                                   OpMsg.PARENT_MISSING)
                owner, parent = known, (parent_entity, parent_uuid)
                break
        if refusal := self._out_of_scope(owner):
            return _rejected(op, refusal, RefusalCode.SCOPE, [spec.owner] if spec.owner else [])
        if op.entity == "complaints" and (refusal := self._report_at_station(op.after, owner)):
            return _invalid(op, refusal, ["kind"])
        if answer := self._check_references(op, op.after, parent[1] if parent else None):
            return answer
        if refusal := self._blob_missing(spec, op.after):
            return _deferred(op, refusal)
        if op.entity == "complaints" and (answer := self._complaint_checks(op, op.after)):
            return answer
        # A new complaint starts at 登记: any other status must be reachable from there and carry
        # what the steps into it record (a closed one its result, a settled one its terms …).
        if op.entity == "complaints" and STATUS_FIELD in op.after \
                and (refusal := status_refusal(Status.REGISTERED.value, op.after[STATUS_FIELD],
                                               op.after)):
            return _rejected(op, refusal)
        rec = _Rec(op.entity, op.uuid, owner, parent[0] if parent else None,
                   parent[1] if parent else None, 1, 0, False, self._blob_of(spec, op.after),
                   dict(op.after), dict(op.people), self.now, new=True)
        self.recs[(op.entity, op.uuid)] = rec
        if op.entity == "complaints":
            self.numbers.claim(op.after[NUMBER_FIELD], op.uuid)
        self._changed(rec, op, "insert", {}, rec.data)  # the same dict: encoded once
        return OpResult(op_id=op.op_id, status="acked", version=rec.version, yours=True)

    def _update(self, op: Operation, spec: EntitySpec, rec: _Rec) -> OpResult:
        if rec.deleted:
            return _rejected(op, OpMsg.DELETED)
        if refusal := self._out_of_scope(rec.owner):
            return _rejected(op, refusal, RefusalCode.SCOPE)
        if spec.append_only:
            # The same event sent again (the office lost its state): nothing to merge.
            if all(_same(rec.data.get(f), v) for f, v in op.after.items()):
                return OpResult(op_id=op.op_id, status="acked", version=rec.version, yours=True)
            if not self._anonymising(op, rec):
                return _rejected(op, OpMsg.APPEND_ONLY)
        for parent_field, _ in spec.parents:
            if parent_field in op.after and not _same(op.after[parent_field],
                                                      rec.data.get(parent_field)):
                return _rejected(op, OpMsg.REPARENT)
        changes, conflicts = _compare(rec.data, op.before, op.after)
        if conflicts:
            return _conflict(op, rec, conflicts)
        # The hub's record is exactly the office's only when the change went onto the version
        # the office knew; otherwise others' changes are in it too, and the office pulls it.
        yours = rec.version == op.base_version
        if not changes:
            return OpResult(op_id=op.op_id, status="acked", version=rec.version, yours=yours)
        # A field a registration requires may not be blanked later either (imported history,
        # which may lack it from the start, excepted).
        history = op.entity == "complaints" \
            and rec.data.get("channel_code") == contract.HISTORY_CHANNEL
        if found := record_problems(op.entity, changes, new=False, history=history,
                                    intake=rec.data.get("kind") if op.entity == "complaints"
                                    else None):
            return _invalid(op, found.message(), found.fields)
        new_owner = changes.get(spec.owner) if spec.owner else None
        if new_owner is not None and new_owner != rec.owner:
            if not isinstance(new_owner, str) or new_owner not in self.tree:
                return _rejected(op, OpMsg.OFFICE_UNKNOWN.format(code=new_owner))
            if new_owner not in self.scope:
                return _rejected(op, OpMsg.MOVE_OUT_OF_SCOPE.format(
                    owner=self._named(new_owner), office=self._named(self.actor.office)),
                    RefusalCode.SCOPE, [spec.owner] if spec.owner else [])
        if answer := self._check_references(op, changes, rec.parent_uuid):
            return answer
        if refusal := self._blob_missing(spec, changes):
            return _deferred(op, refusal)
        if op.entity == "complaints" and (answer := self._complaint_checks(op, changes)):
            return answer
        refusal = (status_refusal(rec.data.get(STATUS_FIELD), changes[STATUS_FIELD],
                                  {**rec.data, **changes})
                   if op.entity == "complaints" and STATUS_FIELD in changes else None)
        if refusal:
            return _rejected(op, refusal)
        before = {f: rec.data.get(f) for f in changes}
        if op.entity == "complaints" and NUMBER_FIELD in changes:
            self.numbers.release(rec.data.get(NUMBER_FIELD), rec.uuid)
            self.numbers.claim(changes[NUMBER_FIELD], rec.uuid)
        rec.data = {**rec.data, **changes}
        rec.people = {**rec.people, **op.people}
        rec.version += 1
        if spec.blob_field in changes:
            rec.blob = self._blob_of(spec, changes)
        self._changed(rec, op, "update", before, changes)
        if new_owner is not None and new_owner != rec.owner:
            rec.owner = new_owner
            self._cascade_owner(rec)
        return OpResult(op_id=op.op_id, status="acked", version=rec.version, yours=yours)

    def _delete(self, op: Operation, spec: EntitySpec, rec: _Rec | None) -> OpResult:
        if spec.append_only:
            return _rejected(op, OpMsg.APPEND_ONLY_DELETE)
        if not spec.deletable:
            # Offices never delete what travels (a complaint's number would be released while
            # the offices holding it keep it); only a rebuilt draft list drops its entries.
            return _rejected(op, OpMsg.NOT_DELETABLE.format(entity=spec.label))
        if rec is None:
            # Keep a tombstone, so an insert arriving late cannot bring the record back.
            owner = op.after.get(spec.owner) if spec.owner else None
            owner = owner if isinstance(owner, str) and owner in self.tree else self.actor.office
            if refusal := self._out_of_scope(owner):
                return _rejected(op, refusal, RefusalCode.SCOPE)
            rec = _Rec(op.entity, op.uuid, owner, None, None, 1, 0, True, None, {},
                       dict(op.people), self.now, new=True)
            self.recs[(op.entity, op.uuid)] = rec
            self._changed(rec, op, "delete", {}, {})
            return OpResult(op_id=op.op_id, status="acked", version=1, yours=True,
                            message=OpMsg.DELETE_UNKNOWN)
        if refusal := self._out_of_scope(rec.owner):
            return _rejected(op, refusal, RefusalCode.SCOPE)
        if rec.deleted:
            return OpResult(op_id=op.op_id, status="acked", version=rec.version)
        _, conflicts = _compare(rec.data, op.before, {})
        if conflicts:
            return _conflict(op, rec, conflicts)
        if child := self._live_child(rec):
            return _rejected(op, OpMsg.HAS_CHILDREN.format(
                entity=spec.label, child=ENTITY[child].label if child in ENTITY else child))
        yours = rec.version == op.base_version
        before = rec.data
        if op.entity == "complaints":  # its number goes with its fields
            self.numbers.release(before.get(NUMBER_FIELD), rec.uuid)
        rec.data, rec.blob, rec.deleted = {}, None, True
        rec.version += 1
        self._changed(rec, op, "delete", before, {})
        return OpResult(op_id=op.op_id, status="acked", version=rec.version, yours=yours)

    # ---------------------------------------------------------------- checks
    def _anonymising(self, op: Operation, rec: _Rec) -> bool:
        """Whether an update of a record that otherwise only grows masks its texts because its
        complaint's retention period ran out (desktop.domain.retention): the complaint, at
        the hub or earlier in this batch, carries the mark, and only those texts change."""
        allowed = RECORD_TEXTS.get(op.entity)
        if not allowed or not set(op.after) <= set(allowed) or rec.parent_entity != "complaints" \
                or not rec.parent_uuid:
            return False
        key = ("complaints", rec.parent_uuid)
        if key not in self.recs:
            self._load_records(and_(Record.entity == "complaints", Record.uuid == rec.parent_uuid))
        parent = self.recs.get(key)
        return parent is not None and is_anonymised(parent.data.get("complainant_name"))

    def _known(self, entity: str, uuid: Any) -> str | None:
        """The owner of a live record of this entity, at the hub or earlier in the batch."""
        if not isinstance(uuid, str):
            return None
        found = self.recs.get((entity, uuid))
        known = (found.owner, found.deleted) if found else self.parents.get((entity, uuid))
        return known[0] if known is not None and not known[1] else None

    def _unknown_reference(self, op: Operation, name: str, entity: str, uuid: Any,
                           waiting: str) -> OpResult:
        """A reference to nothing yet is deferred (it may come later in another batch); one to
        a record of another kind never becomes right, so it is refused."""
        others = [e for e, u in (*self.recs, *self.parents) if u == uuid and e != entity]
        if others:
            rule = contract.RULES.get(op.entity, {}).get(name)
            label = rule.label if rule else name
            message = OpMsg.WRONG_REFERENCE.format(
                label=label, uuid=uuid, entity=ENTITY[entity].label,
                other=ENTITY[others[0]].label if others[0] in ENTITY else others[0])
            return _invalid(op, message, [name])
        return _deferred(op, waiting)

    def _check_references(self, op: Operation, fields: dict[str, Any],
                          parent_uuid: str | None) -> OpResult | None:
        """Records a record names beside its parent (a disclosure request's complaint …): there,
        of their kind, and within the device's offices (a record naming another office's
        would be handed to offices that must never hold it)."""
        for name, entity, label in _references(op.entity):
            uuid = fields.get(name)
            if uuid is None or uuid == parent_uuid:
                continue
            owner = self._known(entity, uuid)
            if owner is None:
                return self._unknown_reference(op, name, entity, uuid, OpMsg.REFERENCE_MISSING)
            if owner not in self.scope:
                return _rejected(op, OpMsg.REFERENCE_OUT_OF_SCOPE.format(
                    label=label, uuid=uuid, entity=ENTITY[entity].label,
                    owner=self._named(owner), office=self._named(self.actor.office)),
                    RefusalCode.SCOPE, [name])
        return None

    def _live_child(self, rec: _Rec) -> str | None:
        """The entity of a live record under `rec` (at the hub or earlier in the batch)."""
        for (entity, _), child in self.recs.items():
            if child.parent_uuid == rec.uuid and not child.deleted:
                return entity
        found = self.session.execute(
            select(Record.entity, Record.uuid).where(Record.parent_uuid == rec.uuid,
                                                     Record.deleted.is_(False))).all()
        for entity, uuid in found:
            known = self.recs.get((entity, uuid))
            if known is None or not known.deleted:  # deleted earlier in this batch: gone
                return str(entity)
        return None

    def _number_problem(self, number: str) -> str | None:
        """Why a complaint may not take this number, or None: its office part (before
        -YYYYMMDD-) must be an office of this device's, so that no office can take numbers
        another office will hand out (it would be renumbered round after round)."""
        parsed = parse_number(number)
        if parsed is None or not number.startswith(f"{parsed.office_code}-"):
            return OpMsg.NUMBER_FORMAT.format(number=number[:40])
        if parsed.office_code not in self.tree:
            return OpMsg.NUMBER_OFFICE_UNKNOWN.format(number=number,
                                                      code=parsed.office_code)
        if parsed.office_code not in self.scope:
            return OpMsg.NUMBER_OTHER_OFFICE.format(number=number,
                                                    owner=self._named(parsed.office_code),
                                                    office=self._named(self.actor.office))
        return None

    def _report_at_station(self, fields: dict[str, Any], owner: str) -> str | None:
        """Stations (inside enterprises) neither register nor receive a 举报."""
        office = self.tree.offices.get(owner)
        if fields.get("kind") == "report" and office is not None and office.kind == "station":
            return OpMsg.REPORT_AT_STATION.format(office=self._named(owner))
        return None

    def _complaint_checks(self, op: Operation, fields: dict[str, Any]) -> OpResult | None:
        """A complaint's number is the district's only one; its received time has come."""
        number = fields.get(NUMBER_FIELD)
        if isinstance(number, str) and self.numbers.taken(number, op.uuid):
            return _rejected(op, OpMsg.NUMBER_TAKEN.format(number=number),
                             RefusalCode.NUMBER_TAKEN, [NUMBER_FIELD])
        if isinstance(number, str) and (refusal := self._number_problem(number)):
            return _invalid(op, refusal, [NUMBER_FIELD])
        if "received_at" in fields and (
                refusal := received_in_future(fields["received_at"], self.now)):
            return _rejected(op, refusal, RefusalCode.FUTURE, ["received_at"])
        return None

    # ---------------------------------------------------------------- helpers
    def _blob_of(self, spec: EntitySpec, fields: dict[str, Any]) -> str | None:
        value = fields.get(spec.blob_field) if spec.blob_field else None
        return value if isinstance(value, str) else None

    def _blob_missing(self, spec: EntitySpec, fields: dict[str, Any]) -> str | None:
        sha = self._blob_of(spec, fields)
        if sha is None or sha in self.complete_blobs:
            return None
        return OpMsg.BLOB_MISSING

    def _changed(self, rec: _Rec, op: Operation | None, kind: str, before: dict[str, Any] | None,
                 after: dict[str, Any] | None) -> None:
        self.seq += 1
        rec.seq = self.seq
        rec.dirty = True
        self.history.append({"entity": rec.entity, "uuid": rec.uuid, "version": rec.version,
                             "seq": rec.seq, "op_id": op.op_id if op else None,
                             "device": self.actor.device, "kind": kind, "before": before,
                             "after": after, "at": self.now})

    def _cascade_owner(self, root: _Rec) -> None:
        """A root record moved to another office: its children (and theirs) follow it, each with
        a new sequence number so that the new owner pulls them."""
        frontier = {(root.entity, root.uuid)}
        while frontier:
            self._load_records(Record.parent_uuid.in_([u for _, u in frontier]))
            children = [r for r in self.recs.values()
                        if (r.parent_entity, r.parent_uuid) in frontier]
            for child in children:
                if child.owner != root.owner:
                    old = child.owner
                    child.owner = root.owner
                    self._changed(child, None, "owner", {"owner": old}, {"owner": root.owner})
            frontier = {(child.entity, child.uuid) for child in children}


def _compare(hub: dict[str, Any], before: dict[str, Any],
             after: dict[str, Any]) -> tuple[dict[str, Any], list[FieldConflict]]:
    """The fields to apply, and the conflicts: a field the hub changed too, or a precondition
    (a field in `before` only, such as a complaint's status) that no longer holds."""
    changes: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for name, value in after.items():
        hub_value = hub.get(name)
        if _same(hub_value, value):
            continue
        if _same(hub_value, before.get(name)):
            changes[name] = value
        else:
            conflicts.append(FieldConflict(field=name, office_value=value, hub_value=hub_value))
    for name, value in before.items():
        if name not in after and not _same(hub.get(name), value):
            conflicts.append(FieldConflict(field=name, office_value=value,
                                           hub_value=hub.get(name)))
    return changes, conflicts


def _conflict(op: Operation, rec: _Rec, conflicts: list[FieldConflict]) -> OpResult:
    names = "、".join(c.field for c in conflicts)
    return OpResult(op_id=op.op_id, status="conflict", version=rec.version,
                    message=OpMsg.CONFLICT.format(fields=names), conflicts=conflicts,
                    hub_record=dict(rec.data))


def _rejected(op: Operation, message: str, code: str = RefusalCode.OTHER,
              fields: list[str] | None = None) -> OpResult:
    return OpResult(op_id=op.op_id, status="rejected", message=message, code=code,
                    fields=fields or [])


def _invalid(op: Operation, message: str, fields: list[str]) -> OpResult:
    return _rejected(op, message, RefusalCode.INVALID, fields)


def _deferred(op: Operation, message: str) -> OpResult:
    return OpResult(op_id=op.op_id, status="deferred", message=message)


def apply_ops(session: Session, actor: Actor, tree: OfficeTree, ops: list[Operation],
              now: datetime, seq: int) -> list[OpResult]:
    """Apply a batch in the caller's write transaction, which holds the counter lock at `seq`
    (store.lock_counter); the results in the ops' order."""
    return Batch(session, actor, tree, now, seq).apply(ops)
