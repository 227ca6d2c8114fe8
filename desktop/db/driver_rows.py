"""Many rows in and out of one table through the driver, with SQLAlchemy's own conversions.

A Core `insert(table)` given a list of dicts, and a `select(table)` read as mappings, turn each
row's values through the columns' types one parameter or one row at a time, in general code
that looks every key up again for every row: for a pulled page (2,000 records, their audit
entries) that was more time than SQLite's own work. Here the statement is written once per table
and set of columns, the values go to the driver as tuples, and only the columns whose type
converts (dates and times, enums, booleans) are converted, by the very processors SQLAlchemy
would call (`TypeEngine._cached_bind_processor`, `_cached_result_processor`): what is stored and
what is read back is what the Core statements give. tests/integration/test_driver_rows.py holds
the two against each other for every table these are used on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Column, Connection, Table

from desktop.db.batches import slices


def python_default(column: Column[Any]) -> Callable[[], Any] | None:
    """How the program makes a column's value when an insert leaves it out (None: it does
    not; the database's own default or NULL then applies, as with a Core insert)."""
    default = column.default
    if default is None:
        return None
    if getattr(default, "is_scalar", False):
        value = default.arg  # type: ignore[attr-defined]
        return lambda: value
    if getattr(default, "is_callable", False):
        made = default.arg  # type: ignore[attr-defined]  # SQLAlchemy's wrapper takes a context
        return lambda: made(None)
    raise ValueError(f"{column}: a default of this kind is not supported")


@cache
def _insert_plan(table: Table, names: tuple[str, ...], dialect: Any
                 ) -> tuple[str, list[tuple[str, Callable[[], Any]]],
                            list[tuple[int, Callable[[Any], Any]]]]:
    """The statement for rows giving `names`, the defaults of the columns they leave out, and
    which positions convert."""
    defaults = [(c.key, make) for c in table.columns
                if c.key not in names and not (c.primary_key and c.autoincrement in (True, "auto"))
                and (make := python_default(c)) is not None]
    columns = [*names, *(key for key, _make in defaults)]
    assert dialect.paramstyle == "qmark", dialect.paramstyle  # SQLite's, SQLCipher's
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(table.c[k].name) for k in columns)})"
           f" VALUES ({', '.join('?' * len(columns))})")
    convert = [(i, process) for i, key in enumerate(columns)
               if (process := table.c[key].type._cached_bind_processor(dialect)) is not None]
    return sql, defaults, convert


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """One executemany of `rows`, which all give the same keys (column keys); the columns they
    leave out get their Python defaults, per row, as a Core insert gives them."""
    if not rows:
        return
    dialect = connection.dialect
    names = tuple(rows[0])
    sql, defaults, convert = _insert_plan(table, names, dialect)
    params = []
    for row in rows:
        values = [row[key] for key in names]
        values += [make() for _key, make in defaults]
        for i, process in convert:
            values[i] = process(values[i])
        params.append(tuple(values))
    connection.exec_driver_sql(sql, params)


@cache
def _select_plan(table: Table, dialect: Any) -> tuple[str, tuple[str, ...],
                                                      list[tuple[int, Callable[[Any], Any]]]]:
    keys = tuple(c.key for c in table.columns)
    quote = dialect.identifier_preparer.quote
    sql = f"SELECT {', '.join(quote(c.name) for c in table.columns)} FROM {quote(table.name)}"
    convert = [(i, process) for i, c in enumerate(table.columns)
               if (process := c.type._cached_result_processor(dialect, None)) is not None]
    return sql, keys, convert


def rows_from(connection: Connection, table: Table, first_id: int) -> list[dict[str, Any]]:
    """The rows of `table` from id `first_id` on, in id order, every column by key, each value
    as a Core select gives it."""
    sql, keys, convert = _select_plan(table, connection.dialect)
    out = []
    for raw in _fetched(connection, f"{sql} WHERE id >= ? ORDER BY id", (first_id,)):
        values = list(raw)
        for i, process in convert:
            values[i] = process(values[i])
        out.append(dict(zip(keys, values, strict=True)))
    return out


def rows_in(connection: Connection, sql: str, values: Sequence[Any],
            before: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql`, whose one `IN ({})` is filled with placeholders for `values`, a slice
    of IN_SLICE at a time (`before`: the parameters ahead of that list). For plain columns
    (text, numbers), which need no conversion: a Core IN with 500 values spends more time
    rendering and binding them than SQLite spends answering."""
    for part in slices(values):
        yield from _fetched(connection, sql.format(", ".join("?" * len(part))), (*before, *part))


def _fetched(connection: Connection, sql: str, params: tuple[Any, ...]) -> list[Any]:
    """All rows of a query, from the driver's own cursor in the connection's transaction
    (SQLAlchemy's result would fetch and wrap them one at a time)."""
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()


@cache
def _update_plan(table: Table, names: tuple[str, ...], key: str, dialect: Any
                 ) -> tuple[str, list[tuple[int, Callable[[Any], Any]]]]:
    if stale := [c.key for c in table.columns if c.key not in names
                 and (c.onupdate is not None or c.server_onupdate is not None)]:
        raise ValueError(f"{table.name}: {stale} change on every update; not written here")
    quote = dialect.identifier_preparer.quote
    sql = (f"UPDATE {quote(table.name)} SET "
           f"{', '.join(f'{quote(table.c[k].name)} = ?' for k in names)} "
           f"WHERE {quote(table.c[key].name)} = ?")
    convert = [(i, process) for i, k in enumerate((*names, key))
               if (process := table.c[k].type._cached_bind_processor(dialect)) is not None]
    return sql, convert


def update_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]],
                key: str = "id") -> None:
    """One executemany setting, in each row of `table` named by its `key`, the other columns
    the mapping gives (all mappings give the same keys); values converted as in insert_rows."""
    if not rows:
        return
    names = tuple(k for k in rows[0] if k != key)
    sql, convert = _update_plan(table, names, key, connection.dialect)
    params = []
    for row in rows:
        values = [row[k] for k in names]
        values.append(row[key])
        for i, process in convert:
            values[i] = process(values[i])
        params.append(tuple(values))
    connection.exec_driver_sql(sql, params)


def bound(connection: Connection, column: Column[Any], value: Any) -> Any:
    """`value` as the driver is given it for `column` (a time as SQLite's text)."""
    process = column.type._cached_bind_processor(connection.dialect)
    return value if process is None else process(value)
