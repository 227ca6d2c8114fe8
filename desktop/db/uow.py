"""Unit of work: one transaction per service call, audited in one place from what it flushes.

Services never write audit entries by hand: every insert, update and delete the session
flushes becomes a hash-chained audit entry carrying the action's name, the actor and the
before/after values. The sync outbox (desktop/db/sync/outbox.py) hooks into the same place: each
travelling record's change becomes an operation for the district in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import (
    Boolean,
    Connection,
    Engine,
    Integer,
    String,
    Table,
    Text,
    and_,
    event,
    exists,
    func,
    inspect,
    not_,
    select,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop.db import rows as db_rows
from desktop.db.batches import slices
from desktop.db.connection import DB_OPERATIONAL_ERRORS
from desktop.db.driver_rows import insert_rows
from desktop.db.engine import writer
from desktop.db.models import (
    AppSetting,
    AuditEntry,
    Base,
    Complaint,
    NumberSequence,
    OutboxOp,
    Syncable,
    SyncConflict,
    SyncHeld,
    SyncRecord,
    User,
    UserRole,
    utcnow,
)
from desktop.db.rows import BOOKKEEPING, plain
from desktop.domain.errors import StorageError

if TYPE_CHECKING:
    from desktop.db.sync.outbox import Outbox

GENESIS_HASH = "0" * 64
# Session.info key of UnitOfWork.audit_inserted, in a unit of work whose changes are audited
# but not sent (a pulled page): code that inserts rows in bulk there audits them through it.
AUDIT_INSERTED = "hejie.audit_inserted"

# Technical bookkeeping that is not worth an audit line of its own (sync's bookkeeping: the
# records it moves are audited themselves).
_NOT_AUDITED = (AuditEntry, NumberSequence, OutboxOp, SyncRecord, SyncConflict, SyncHeld)

# What is never written into the audit log, in one place: (table, column), and for the
# key/value table app_settings (table, setting key). Its value is recorded as its digest
# (`secret_digest`: "sha256:" and the SHA-256 of the value) in an entry's before and after, so
# the log tells that it changed, and when, and `audit verify` can tell whether the table still
# holds what was written, but never what it is (the values are argon2 hashes and 256-bit random
# tokens: no guess finds one from its digest). Earlier programs wrote "***" (MASKED) instead:
# such an entry cannot say which value it was.
SECRETS: frozenset[tuple[str, str]] = frozenset({
    ("users", "password_hash"),  # a password's argon2 hash
    ("app_settings", "sync.token"),  # the device's credential at the district hub
    ("app_settings", "sync.bundle_key"),  # the key that signs USB bundles and receipts
    ("app_settings", "sync.session"),  # an open session with the hub (used with the token)
    # Not secrets, but the office reference's parts (issue 22): JSON of up to megabytes (the
    # 企业库) whose content the log already holds row by row in the tables they are taken
    # from or written to; recorded by digest like the secrets, so each change is still told
    # and checked without a copy of the whole register in every entry.
    ("office_references", "calendar"),
    ("office_references", "rule_sets"),
    ("office_references", "codes"),
    ("office_references", "enterprises"),
})
MASKED = "***"
SECRET_DIGEST_PREFIX = "sha256:"


def secret_digest(value: Any) -> Any:
    """What the audit records for a secret's value: its digest (None stays None)."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return SECRET_DIGEST_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()

# The records whose current values `audit verify` holds against the log: every table that
# travels to the district (each row has a UUID, and each insert, update and delete is audited).
AUDITED_RECORDS: dict[str, Table] = {
    mapper.class_.__tablename__: mapper.local_table  # type: ignore[misc]
    for mapper in Base.registry.mappers if issubclass(mapper.class_, Syncable)
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: recorded on every audit entry."""

    user_id: int | None
    username: str
    office_code: str = ""


SYSTEM = Actor(None, "system")


def is_secret(table: str, column: str, setting_key: str | None = None) -> bool:
    """Whether a column's value (for app_settings: the value of `setting_key`) is a secret."""
    if table == AppSetting.__tablename__:
        return column == "value" and (table, setting_key or "") in SECRETS
    return (table, column) in SECRETS


def _secret(obj: Any, key: str) -> bool:
    return is_secret(obj.__tablename__, key, getattr(obj, "key", None)
                     if isinstance(obj, AppSetting) else None)


def _setting_named(obj: Any, before: dict[str, Any], after: dict[str, Any]
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    """An update of app_settings names its key beside the (perhaps digested) value: the value
    alone does not say which setting changed, and `audit verify` folds the settings by key."""
    if isinstance(obj, AppSetting) and (before or after):
        return {"key": obj.key, **before}, {"key": obj.key, **after}
    return before, after


def _columns(obj: Any) -> dict[str, Any]:
    """A flushed object as an insert's or delete's audit entry records it (db/rows.py): the
    bookkeeping columns left out, secrets as their digest, dates as ISO text."""
    return {key: secret_digest(value) if _secret(obj, key) else plain(value)
            for key, value in db_rows.values(obj).items()}


def canonical_row(table: Table, row: Any) -> dict[str, Any]:
    """A row read with Core (a mapping), as an insert's audit entry records it: bookkeeping
    columns left out, secrets as their digest, dates as ISO text."""
    out = {}
    for key, secret, convert in _canonical_columns(table):
        value = row[key]
        out[key] = (secret_digest(value) if secret else value if convert is None or value is None
                    else convert(value))
    return out


_AS_READ = (String, Integer, Boolean)  # columns whose values the audit records as they are


@cache
def _canonical_columns(table: Table) -> tuple[tuple[str, bool, Any], ...]:
    """`canonical_row`'s columns of a table in the order their keys sort (`row_hash` sorts
    them, and sorts a sorted list fastest), whether each is a secret, and how its value is
    made plain (None: as read; `plain` for any type but text, numbers and flags). Worked out
    once per table: a batch entry digests every row of a million-row demo load."""
    return tuple((key, is_secret(table.name, key),
                  None if isinstance(table.c[key].type, _AS_READ) else plain)
                 for key in sorted(db_rows.column_names(table)))


def row_hash(row: dict[str, Any]) -> str:
    """SHA-256 of one canonical row (its JSON as `json.dumps(row, ensure_ascii=False,
    sort_keys=True, separators=(",", ":"))` writes it)."""
    return hashlib.sha256(_ROW_JSON.encode(row).encode("utf-8")).hexdigest()


# One encoder for every row: json.dumps builds a new one per call (a bulk cover hashes a
# million rows). The same options, so the same text.
_ROW_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# How `_ROW_JSON` writes a value of these exact types (any other: the encoder itself).
_SCALAR_JSON: dict[type, Callable[[Any], str]] = {
    str: json.encoder.encode_basestring,  # type: ignore[attr-defined]
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda _value: "null",
}


def rows_digest(row_hashes: Any) -> str:
    """A batch's digest: SHA-256 over its rows' hashes in id order (verify keeps only the
    hashes of 100,000 rows in memory, not the rows)."""
    digest = hashlib.sha256()
    for value in row_hashes:
        digest.update(value.encode("ascii") + b"\n")
    return digest.hexdigest()


def bulk_ranges(connection: Connection, entity: str) -> list[tuple[int, int]]:
    """The id ranges earlier batch entries of `entity` cover (those that carry a digest)."""
    ranges = []
    for (after,) in connection.execute(
            select(AuditEntry.after).where(AuditEntry.entity == entity,
                                           AuditEntry.operation == "bulk")):
        ids = _json_or_empty(after).get("ids")
        if isinstance(ids, list) and len(ids) == 2:
            ranges.append((int(ids[0]), int(ids[1])))
    return ranges


def _json_or_empty(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _batch_cover(connection: Connection, table: Table) -> dict[str, Any]:
    """What a batch entry of `table` vouches for: the rows no audit entry covers yet (those
    the bulk statement just wrote in this transaction — every other write is audited row by
    row), by id range, count and digest. `audit verify` recomputes the digest from the rows."""
    rows = list(_uncovered(connection, table))
    if not rows:
        return {"covered": 0}
    return {"covered": len(rows), "ids": [rows[0][0], rows[-1][0]],
            "digest": rows_digest(h for _id, h in rows)}


class InsertCover:
    """`_batch_cover` worked out while the rows are being inserted, from the values going to
    the driver, instead of reading every row back afterwards (a million-row demo load).

    Begun before the load, in the load's transaction: it first takes in the rows no entry
    covers yet (as `_batch_cover` would find them: normally none). `start` is told the
    insert's columns in the order of its value tuples; `add` each row's id and values as
    stored (after the columns' bind processors), in id order. A stored value is read as a
    query would read it (the column's result processor), then made canonical as
    `canonical_row` makes it, so the hashes are those a re-read would give. `cover` says
    whether the inserted rows are exactly the new uncovered ones (ids consecutive, no earlier
    batch range over them); if not, `log_bulk` reads the rows back as before."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self.table = table
        self.count = 0
        self.low: int | None = None
        self.high: int | None = None
        self._digest = hashlib.sha256()
        self._row: Any = None
        for row_id, value in _uncovered(connection, table):
            self._take(row_id, value)

    def _take(self, row_id: int, value: str) -> None:
        if self.low is None:
            self.low = row_id
        self.high = row_id
        self.count += 1
        self._digest.update(value.encode("ascii") + b"\n")

    def start(self, names: Sequence[str], dialect: Any) -> Callable[[int, Sequence[Any]], None]:
        """The function that takes in one inserted row: `(id, values in the order of names)`;
        a column not among `names` is NULL."""
        columns = _canonical_columns(self.table)
        where = {name: i for i, name in enumerate(names)}
        width = len(names)
        given = [(key, secret, convert, width if key == "id" else where[key])
                 for key, secret, convert in columns if key == "id" or key in where]
        # The row's JSON as `row_hash` writes it (keys sorted, no spaces): a column not given
        # is always "key":null; a slot (%s) for each value given, encoded as the encoder would.
        template = "{" + ",".join(
            _ROW_JSON.encode(key).replace("%", "%%") + ":"
            + ("%s" if key == "id" or key in where else "null")
            for key, _secret, _convert in columns) + "}"
        steps = []
        for position, (key, secret, convert, _at) in enumerate(given):
            read = self.table.c[key].type._cached_result_processor(dialect, None)
            if secret or read is not None or convert is not None:
                steps.append((position, read, secret, convert))
        pick = itemgetter(*(at for _key, _secret, _convert, at in given))
        encoders = _SCALAR_JSON.get
        sha, take = hashlib.sha256, self._take

        def add(row_id: int, values: Sequence[Any]) -> None:
            row = list(pick((*values, row_id)))
            for position, read, secret, convert in steps:
                value = row[position]
                if value is None:
                    continue
                if read is not None:
                    value = read(value)
                row[position] = (secret_digest(value) if secret
                                 else value if convert is None else convert(value))
            text = template % tuple([encoders(type(v), _ROW_JSON.encode)(v) for v in row])
            take(row_id, sha(text.encode("utf-8")).hexdigest())

        return add

    def cover(self, connection: Connection, first: int, rows: int) -> dict[str, Any] | None:
        """The batch entry's cover, when the `rows` inserted from id `first` on are all the new
        uncovered rows; None when they may not be (then read them back)."""
        last = first + rows - 1
        if rows and (connection.execute(select(func.max(self.table.c.id))).scalar() != last
                     or any(low <= last and high >= first
                            for low, high in bulk_ranges(connection, self.table.name))):
            return None
        if not self.count:
            return {"covered": 0}
        return {"covered": self.count, "ids": [self.low, self.high],
                "digest": self._digest.hexdigest()}


def _uncovered(connection: Connection, table: Table) -> Iterator[tuple[int, str]]:
    """(id, row hash) of the rows of `table` no audit entry covers, in id order."""
    audited = exists().where(AuditEntry.entity == table.name,
                             AuditEntry.entity_uuid == table.c.uuid)
    query = select(table).where(not_(audited))
    for low, high in bulk_ranges(connection, table.name):
        query = query.where(not_(and_(table.c.id >= low, table.c.id <= high)))
    for r in connection.execute(query.order_by(table.c.id)).mappings():
        yield r["id"], row_hash(canonical_row(table, r))


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before, after = {}, {}
    for column in state.mapper.column_attrs:
        key = column.key
        if key in BOOKKEEPING:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        secret = _secret(obj, key)
        before[key] = secret_digest(old) if secret else plain(old)
        after[key] = secret_digest(new) if secret else plain(new)
    return before, after


def entry_hash(fields: dict[str, Any]) -> str:
    """The hash of one entry: its content and the previous entry's hash, canonically encoded.

    The canonical form is the standard library's compact JSON of the list below. orjson writes
    those very bytes for a list of texts, whole numbers and nulls (the escapes alike, UTF-8
    as it is: tests/unit/test_audit_hash.py holds the two together for every code point), in a
    fraction of the time; what it refuses (a lone surrogate, an integer beyond 64 bits, a
    value of another type) is encoded the standard library's way, as before."""
    parts = [
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
    ]
    if all(type(p) in _CANONICAL_BY_ORJSON for p in parts):
        try:
            return hashlib.sha256(orjson.dumps(parts)).hexdigest()
        except orjson.JSONEncodeError:
            pass
    canonical = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# The types whose orjson encoding is the standard library's compact one, byte for byte (a
# bool is written alike too, but has no place in an entry).
_CANONICAL_BY_ORJSON = frozenset({str, int, type(None)})


def audit_json(values: Mapping[str, Any]) -> str:
    """An entry's `before` or `after`: JSON with the keys sorted, text as it is (not escaped).

    A flat mapping of texts, whole numbers, flags and nulls (a row's values, always) is written
    by orjson, compact; anything else (a float, a list, a date …), or what orjson refuses (a
    lone surrogate, an integer beyond 64 bits), by the standard library, as every entry was
    before (with spaces after the separators). Nothing compares the text: readers parse it, and
    the entry's hash covers the text as stored, whichever wrote it."""
    if set(map(type, values.values())) <= _FLAT_JSON and set(map(type, values)) <= _TEXT:
        try:
            return orjson.dumps(values, option=orjson.OPT_SORT_KEYS).decode("utf-8")
        except orjson.JSONEncodeError:
            pass
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


# The values orjson writes as the standard library does (a float's NaN it would write as null).
_FLAT_JSON = frozenset({str, int, bool, type(None)})
_TEXT = frozenset({str})


def storage_problem(error: BaseException) -> str | None:
    """A Chinese sentence when SQLite failed because of the machine (busy, full, read-only)."""
    if not isinstance(error, (OperationalError, *DB_OPERATIONAL_ERRORS)):
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
        conceal: bool = False,
    ) -> None:
        self._engine = engine
        # The values an update replaces are written into its audit entry as MASKED: for the
        # anonymisation of personal data (services.personal_data), whose entries must not keep
        # one more copy of what it removes. `audit verify` takes MASKED for any value.
        self.conceal = conceal
        self.actor = actor
        self.action = action
        self.reason = reason
        self._writable = write
        # Changes pulled from the district are audited but not sent back to it.
        self.outbox: Outbox | None = None
        if write and outbox:
            # With the wire contract (pydantic): imported at the first write, not at start-up.
            from desktop.db.sync.outbox import Outbox

            self.outbox = Outbox()
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        bind = writer(self._engine) if self._writable else self._engine
        self.session = Session(bind=bind, expire_on_commit=False, autoflush=True)
        if self._writable:
            event.listen(self.session, "after_flush", self._audit)
            if self.outbox is None:  # changes that go into the outbox are made as objects
                self.session.info[AUDIT_INSERTED] = self.audit_inserted
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
            if self.conceal:
                before = {key: MASKED for key in before}
            before, after = _setting_named(obj, before, after)
            if after or before:
                rows.append(self._row(roots, obj, "update", before, after))
        for obj in session.deleted:
            if not isinstance(obj, _NOT_AUDITED):
                rows.append(self._row(roots, obj, "delete", _columns(obj), None))
        self._write(session, rows)

    def audit_inserted(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """Audit rows a Core INSERT … RETURNING wrote (a pulled page's new records, in bulk)
        entry by entry, exactly as a flush audits the same rows inserted as objects: one
        `insert` entry each, with all their columns (canonical_row is _columns for a row)."""
        if not rows:
            return
        session = self.session
        rows_as_objects = [_RowRef(row.get("complaint_id")) for row in rows]
        roots = _RootUuids(session, rows_as_objects)
        # canonical_row, with the table's columns and secrets worked out once, not per row.
        names = db_rows.column_names(table)
        secret = frozenset(key for key in names if is_secret(table.name, key))
        # plain() changes only dates, times and decimals: columns read back as text, whole
        # numbers or booleans are taken as they are (the same values, without a call each).
        as_is = [key for key in names if key not in secret
                 and type(table.c[key].type) in (String, Text, Integer, Boolean)]
        # The keys in sorted order from the start: the encoder's sort then finds them sorted.
        keys = sorted(names)
        made = frozenset(key for key in names if key not in as_is)
        entries = []
        at = utcnow()  # the rows went in by one statement
        for row, obj in zip(rows, rows_as_objects, strict=True):
            uuid = row.get("uuid")
            after = {key: (row[key] if key not in made else secret_digest(row[key])
                           if key in secret else plain(row[key])) for key in keys}
            entries.append({
                "at": at, "user_id": self.actor.user_id, "username": self.actor.username,
                "office_code": self.actor.office_code, "action": self.action or "insert",
                "entity": str(table.name), "entity_uuid": uuid,
                "root_uuid": roots.of(obj) or uuid, "operation": "insert",
                "before": None,
                "after": audit_json(after) if after else None,
                "reason": self.reason,
            })
        self._write(session, entries)

    def insert_cover(self, entity: str) -> InsertCover:
        """An `InsertCover` of `entity` (a table of audited records) for a load about to
        begin in this transaction; hand it to `log_bulk` after the load."""
        self.session.flush()
        return InsertCover(self.session.connection(), AUDITED_RECORDS[entity])

    def log_bulk(self, entity: str, summary: dict[str, Any],
                 inserted: tuple[InsertCover, int, int] | None = None) -> None:
        """One audit entry for a bulk statement the ORM does not see (imports, generated data).

        When `entity` is a table of audited records (complaints), the entry also carries what
        the statement wrote: the id range, the number of rows and a digest of their values
        (`_batch_cover`), so that `audit verify` can hold those rows against it."""
        self.session.flush()
        table = AUDITED_RECORDS.get(entity)
        if table is not None:
            connection = self.session.connection()
            cover = inserted[0].cover(connection, inserted[1], inserted[2]) if inserted else None
            summary = {**summary, **(cover if cover is not None
                                     else _batch_cover(connection, table))}
        after = audit_json(summary)
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
        insert_rows(connection, AuditEntry.__table__, rows)  # type: ignore[arg-type]

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
            "before": audit_json(before) if before else None,
            "after": audit_json(after) if after else None,
            "reason": self.reason,
        }



class _RowRef:
    """What `_RootUuids` reads of a row inserted in bulk: the complaint it belongs to."""

    __slots__ = ("complaint_id",)

    def __init__(self, complaint_id: int | None) -> None:
        self.complaint_id = complaint_id


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
