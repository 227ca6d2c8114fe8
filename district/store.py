"""The record store: the sequence counter, pulls, backlogs, history and tombstone pruning.

Sequence and safe high-water mark. Every transaction that changes records (push, dispatch,
bundle import, prune) first locks the single counter row (`SELECT … FOR UPDATE` on PostgreSQL;
on SQLite the write lock taken by BEGIN IMMEDIATE does the same) and keeps it until it
commits. Writers are thereby serialised: a transaction that takes sequence numbers commits
before the next one can take any, so sequence order is commit order, and the committed
counter value N promises that every record with seq <= N is committed and visible. A pull reads
the counter and then the records in one snapshot (REPEATABLE READ on PostgreSQL, a read
transaction on SQLite) and serves only seq <= N, so a transaction committing late can never
slip in below a cursor that was already handed out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import JSON, Table, Text, any_, bindparam, cast, delete, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from desktop.sync.protocol import PulledRecord
from district.db import json_dumps
from district.models import Blob, BlobUpload, HubMeta, Record, RecordHistory

MAX_PULL = 2000


def one_of(session: Session, column: Any, values: Sequence[Any]) -> Any:
    """`column IN values`, as one array parameter on PostgreSQL (`= ANY(:values)`): a thousand
    ids are then one value to bind, where an IN list is a thousand parameters to render and
    convert (a tenth of a push's time at the hub). PostgreSQL plans both alike: it turns an IN
    list into the same `= ANY(ARRAY[…])`."""
    if session.get_bind().dialect.name != "postgresql":
        return column.in_(values)
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))


def lock_counter(session: Session) -> int:
    """Lock the counter row until commit; the current value (the last sequence handed out)."""
    return session.execute(select(HubMeta.seq).where(HubMeta.id == 1).with_for_update()).scalar_one()


def save_counter(session: Session, seq: int) -> None:
    session.execute(update(HubMeta).where(HubMeta.id == 1).values(seq=seq))


def high_water(session: Session) -> tuple[int, int]:
    """(committed counter, tombstone horizon), read inside the pull's snapshot."""
    row = session.execute(select(HubMeta.seq, HubMeta.horizon).where(HubMeta.id == 1)).one()
    return row.seq, row.horizon


_PULL_COLUMNS = (Record.entity, Record.uuid, Record.version, Record.seq, Record.deleted,
                 Record.owner, Record.data, Record.people, Record.blob)


def pull_page(session: Session, scope: Sequence[str], after: int, upto: int,
              limit: int | None) -> tuple[list[Row[Any]], bool]:
    """Records of these offices with after < seq <= upto, in sequence order; and whether more
    (limit None: all of them, for a bundle's receipt).

    An office's own pushes come back too: it skips those it knows at that version, and an
    office restored from a backup gets back what it had made since."""
    query = (select(*_PULL_COLUMNS)
             .where(Record.owner.in_(scope), Record.seq > after, Record.seq <= upto)
             .order_by(Record.seq))
    if limit is None:
        return list(session.execute(query).all()), False
    rows = session.execute(query.limit(limit + 1)).all()
    return list(rows[:limit]), len(rows) > limit


# A page for the wire: the fields and names as the database holds their JSON text, spliced
# into the answer as they are (decoding 2,000 records' fields to encode them again was most of
# a pull's time at the hub). Stored by json_dumps, they are compact JSON objects already.
_PAGE_COLUMNS = (Record.entity, Record.uuid, Record.version, Record.seq, Record.deleted,
                 Record.owner, cast(Record.data, Text).label("data"),
                 cast(Record.people, Text).label("people"))


def pull_page_json(session: Session, scope: Sequence[str], after: int, upto: int,
                   limit: int) -> tuple[bytes, int, bool]:
    """The records of these offices with after < seq <= upto, at most `limit`, in sequence
    order, as the JSON array of a PullResponse's `records`; the last sequence number in it
    (`after` when none), and whether more are ready."""
    rows = session.execute(
        select(*_PAGE_COLUMNS)
        .where(Record.owner.in_(scope), Record.seq > after, Record.seq <= upto)
        .order_by(Record.seq).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    parts = []
    for r in rows:
        head = orjson.dumps({"entity": r.entity, "uuid": r.uuid, "version": r.version,
                             "seq": r.seq, "deleted": bool(r.deleted), "owner": r.owner})
        parts.append(head[:-1] + b',"data":' + _object(r.data) + b',"people":'
                     + _object(r.people) + b"}")
    return b"[" + b",".join(parts) + b"]", rows[-1].seq if rows else after, more


def _object(text: str | None) -> bytes:
    """A stored JSON object's text as it goes on the wire; none (or JSON null) is {}."""
    return b"{}" if text is None or text.strip() in ("", "null") else text.encode("utf-8")


def complete_blobs(session: Session, shas: Iterable[str]) -> set[str]:
    """Those of these attachment files the hub holds whole."""
    wanted = list(set(shas))
    if not wanted:
        return set()
    return set(session.scalars(select(Blob.sha256).where(one_of(session, Blob.sha256, wanted),
                                                          Blob.complete.is_(True))))


def to_wire(row: Row[Any]) -> PulledRecord:
    return PulledRecord(entity=row.entity, uuid=row.uuid, version=row.version, seq=row.seq,
                        deleted=row.deleted, owner=row.owner, data=row.data or {},
                        people=row.people or {})


def backlog(session: Session, scope: Sequence[str], after: int) -> int:
    """Records of these offices an office that has pulled up to `after` has not seen yet."""
    return session.execute(
        select(func.count()).select_from(Record)
        .where(Record.owner.in_(scope), Record.seq > after)
    ).scalar_one()


def record(session: Session, entity: str, uuid: str) -> dict[str, Any] | None:
    row = session.execute(select(Record).where(Record.entity == entity, Record.uuid == uuid)
                          ).scalar_one_or_none()
    if row is None:
        return None
    return {"entity": row.entity, "uuid": row.uuid, "owner": row.owner, "version": row.version,
            "seq": row.seq, "deleted": row.deleted, "data": row.data, "people": row.people,
            "parent_entity": row.parent_entity, "parent_uuid": row.parent_uuid}


def history(session: Session, entity: str, uuid: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(RecordHistory)
        .where(RecordHistory.entity == entity, RecordHistory.uuid == uuid)
        .order_by(RecordHistory.id)
    ).scalars()
    return [{"version": h.version, "seq": h.seq, "op_id": h.op_id, "device": h.device,
             "kind": h.kind, "before": h.before, "after": h.after, "at": h.at} for h in rows]


def bulk_insert(session: Session, table: Table, rows: Iterable[dict[str, Any]],
                encoded: dict[int, str] | None = None) -> None:
    """Insert many rows at once: COPY on PostgreSQL (a 200-operation push writes ~600 rows, and
    COPY takes a fifth of the time of one INSERT per row), an executemany on SQLite.

    `encoded` remembers JSON values by identity across calls: a new record's fields and its
    history's `after` are one dict, encoded once."""
    rows = list(rows)
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(table.insert(), rows)
        return
    columns = [c.name for c in table.columns if c.name in rows[0]]
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    raw = session.connection().connection.driver_connection
    assert raw is not None
    names = ", ".join(f'"{name}"' for name in columns)
    cache = {} if encoded is None else encoded

    def dump(value: Any) -> str | None:
        if value is None:
            return None
        text = cache.get(id(value))
        if text is None:
            text = cache[id(value)] = json_dumps(value)
        return text

    # The row's values by one itemgetter call, then its JSON columns encoded in place.
    pick = itemgetter(*columns)
    encode = [i for i, c in enumerate(columns) if c in json_columns]
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        write = copy.write_row
        for row in rows:
            values = list(pick(row)) if len(columns) > 1 else [row[columns[0]]]
            for i in encode:
                values[i] = dump(values[i])
            write(values)


def insert_history(session: Session, rows: Iterable[dict[str, Any]],
                   encoded: dict[int, str] | None = None) -> None:
    bulk_insert(session, RecordHistory.__table__, rows, encoded)


def prune_tombstones(session: Session, older_than: datetime) -> tuple[int, int]:
    """Delete tombstones last changed before `older_than` and raise the horizon past them.

    Returns (tombstones removed, new horizon). Cursors below the horizon are refused from now
    on: their offices might still hold a record whose deletion they can no longer learn.
    """
    lock_counter(session)
    old = (Record.deleted.is_(True), Record.updated_at < older_than)
    count, top = session.execute(select(func.count(), func.max(Record.seq)).where(*old)).one()
    horizon = session.execute(select(HubMeta.horizon).where(HubMeta.id == 1)).scalar_one()
    if count:
        session.execute(delete(Record).where(*old))
        horizon = max(horizon, top)
        session.execute(update(HubMeta).where(HubMeta.id == 1).values(horizon=horizon))
    return count, horizon


def blob_visible(session: Session, sha: str, scope: Sequence[str]) -> bool:
    """Whether a live attachment record in these offices names this blob."""
    return session.execute(
        select(Record.uuid).where(Record.blob == sha, Record.owner.in_(scope),
                                  Record.deleted.is_(False)).limit(1)
    ).first() is not None


def blobs_known_to(session: Session, shas: Iterable[str], device: str,
                   scope: Iterable[str]) -> set[str]:
    """Those of these blobs the device may know of: it sent their bytes (into the shared upload,
    or its own copy that proved the same), or a live record of its offices names them."""
    wanted = list(set(shas))
    if not wanted:
        return set()
    sent = set(session.scalars(select(BlobUpload.sha256).where(
        one_of(session, BlobUpload.sha256, wanted), BlobUpload.device_id == device,
        (BlobUpload.shadow.is_(False)) | (BlobUpload.proven.is_(True)))))
    named = set(session.scalars(select(Record.blob).distinct().where(
        one_of(session, Record.blob, wanted), Record.owner.in_(list(scope)),
        Record.deleted.is_(False))))
    return sent | named
