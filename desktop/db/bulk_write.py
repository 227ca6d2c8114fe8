"""Many new records written at once, audited and queued for the district exactly as the unit of
work does it record by record (issue 19: a 50,000-row history import).

The unit of work audits what the ORM flushes (uow.UnitOfWork._audit) and queues each
travelling record's change at commit (sync/outbox.Outbox.write); both read every attribute of
every object through the ORM, which costs more than the insert itself. `insert_audited` writes
the same three things from plain values with one executemany each: the rows, one "insert"
audit entry per row (the same `after` as uow._columns gives, the hash chain continued in one
pass by UnitOfWork._write) and, for a travelling record, one pending upsert operation with the
whole record (what Outbox.write gives for a new record). tests/integration/
test_history_import_bulk.py holds the two paths' audit and outbox content against each other.

For new records only (an update still goes through the ORM, which knows what it replaces),
and only of models that are their own root record (a complaint, not its mediation records).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import insert, inspect, select

from desktop.db.batches import slices
from desktop.db.driver_rows import insert_rows, python_default
from desktop.db.models import Base, OutboxOp, new_uuid, utcnow
from desktop.db.rows import BOOKKEEPING, plain
from desktop.db.uow import UnitOfWork, audit_json, is_secret, secret_digest


def _dump(value: dict[str, Any]) -> str:
    """An outbox operation's JSON, as Outbox.write writes it."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# Values rows.plain leaves as they are: checked inline, without a call for each.
_AS_IS = frozenset({str, int, float, bool, type(None)})


def complete_rows(model: type[Base], values: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each row with every column the ORM would have set on insert: the given values, then the
    columns' Python defaults (uuid, version, updated_at, …), else None; the primary key is left
    to the database."""
    mapper = inspect(model)
    fixed: dict[str, Any] = {}  # None or a constant default
    made: list[tuple[str, Callable[[], Any]]] = []  # a default made per row (new_uuid, utcnow)
    for a in mapper.column_attrs:
        column = a.columns[0]
        if column.server_default is not None and column.default is None:
            raise ValueError(f"{model.__name__}.{a.key}: a server default only is not supported")
        if column.primary_key:
            continue
        make = python_default(column)
        if make is not None and getattr(column.default, "is_callable", False):
            made.append((a.key, make))
        else:
            fixed[a.key] = make() if make is not None else None
    out = []
    for given in values:
        row = {**fixed, **given}
        for key, make_one in made:
            if key not in given:
                row[key] = make_one()
        out.append(row)
    return out


def insert_audited(uow: UnitOfWork, model: type[Base],
                   values: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Insert new records of `model` (attribute → value, as the model's constructor takes
    them) in the unit of work's transaction, with their audit entries and, unless the unit of
    work does not queue for the district, their outbox operations. Returns the rows as written,
    each with its id."""
    if not values:
        return []
    table = model.__table__  # type: ignore[attr-defined]
    if "complaint_id" in table.c and table.name != "complaints":
        raise ValueError(f"{table.name}: records below a complaint are not written in bulk")
    if table.name == "app_settings":  # whose secrets depend on each row's key
        raise ValueError("settings are not written in bulk")
    session = uow.session
    session.flush()  # what the ORM holds is audited first: the chain goes on from there
    rows = complete_rows(model, values)
    connection = session.connection()
    # One executemany; the ids read back by uuid (RETURNING with the rows' order kept makes
    # SQLAlchemy send SQLite one statement per row).
    insert_rows(connection, table, rows)
    ids: dict[str, int] = {}
    for part in slices([row["uuid"] for row in rows]):
        ids.update(connection.execute(select(table.c.uuid, table.c.id)
                                      .where(table.c.uuid.in_(part))).all())
    for row in rows:
        row["id"] = ids[row["uuid"]]
    entity = table.name
    secrets = [key for key in rows[0] if key not in BOOKKEEPING and is_secret(entity, key)]
    UnitOfWork._write(session, [_audit_row(uow, entity, row, secrets) for row in rows])
    if uow.outbox is not None:
        from desktop.db.sync.outbox import sparse  # noqa: PLC0415  (pydantic, as in uow)
        from desktop.db.sync.wire import FIELDS, MODELS, Codec  # noqa: PLC0415

        if entity in MODELS:
            codec = Codec(session)
            fields = FIELDS[entity]
            for f in fields:
                if f.target is not None:
                    codec.preload_ids(f.target, {row[f.attr] for row in rows})
            now = utcnow()
            ops = []
            plain_fields = [(f.attr, f.wire) for f in fields if f.target is None]
            keyed = [f for f in fields if f.target is not None]
            for row in rows:
                wire = {w: v if type(v := row[a]) in _AS_IS else plain(v)  # as Codec.value
                        for a, w in plain_fields}
                wire.update(codec.value(entity, f.attr, row[f.attr]) for f in keyed)
                after = sparse(entity, {f.wire: wire[f.wire] for f in fields})
                ops.append({
                    "op_id": new_uuid(), "entity": entity, "record_uuid": row["uuid"],
                    "root_uuid": row["uuid"], "kind": "upsert", "base_version": 0,
                    "before": "{}", "after": _dump(after),
                    "people": _dump(codec.people(entity, after)), "made_at": now,
                    "made_by": uow.actor.username, "status": "pending", "attempts": 0,
                    "message": "", "code": "",
                })
            connection.execute(insert(OutboxOp), ops)
    return rows


def _audit_row(uow: UnitOfWork, entity: str, row: Mapping[str, Any],
               secrets: Sequence[str]) -> dict[str, Any]:
    """An insert's audit entry as UnitOfWork._row makes it from uow._columns (`secrets`: the
    columns recorded by their digest)."""
    after = {key: value if type(value) in _AS_IS else plain(value)
             for key, value in row.items() if key not in BOOKKEEPING}
    for key in secrets:
        after[key] = secret_digest(row[key])
    return {
        "at": utcnow(), "user_id": uow.actor.user_id, "username": uow.actor.username,
        "office_code": uow.actor.office_code, "action": uow.action or "insert",
        "entity": entity, "entity_uuid": row["uuid"], "root_uuid": row["uuid"],
        "operation": "insert", "before": None,
        "after": audit_json(after) if after else None, "reason": uow.reason,
    }
