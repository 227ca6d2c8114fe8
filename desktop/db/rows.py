"""A database row as plain values: the one conversion the audit, the wire codec, printing and
the printed code's checksum all use, with the one list of bookkeeping columns.

What each leaves out, and why: the audit keeps a record's id and uuid (its entries name the
record) but not its BOOKKEEPING; the wire leaves out the IDENTITY too (local ids never travel,
the uuid names the record beside its fields); a printed sheet's checksum covers what people
wrote, so it also leaves out what the program recomputes (`due_on`) and local parent keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, inspect

# Columns the database keeps for itself, changed on every write: the optimistic lock's version
# and the time of the last change. Never news, never content.
BOOKKEEPING = frozenset({"version", "updated_at"})
# A record's local key and its name across offices.
IDENTITY = frozenset({"id", "uuid"})


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates and times as ISO text, decimals as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def column_names(table: Table, leave_out: Iterable[str] = BOOKKEEPING) -> tuple[str, ...]:
    """A table's column keys in their order, without `leave_out`."""
    skip = frozenset(leave_out)
    return tuple(c.key for c in table.columns if c.key not in skip)


def values(obj: Any, leave_out: Iterable[str] = BOOKKEEPING) -> dict[str, Any]:
    """A mapped object's column values by key (as stored, not made plain), without
    `leave_out`."""
    skip = frozenset(leave_out)
    return {a.key: getattr(obj, a.key) for a in inspect(obj).mapper.column_attrs
            if a.key not in skip}


def row_values(table: Table, row: Mapping[str, Any],
               leave_out: Iterable[str] = BOOKKEEPING) -> dict[str, Any]:
    """The same for a row read with Core (a mapping)."""
    return {key: row[key] for key in column_names(table, leave_out)}
