"""Many rows inserted by the driver's executemany, converted as SQLAlchemy would convert them.

`connection.execute(insert(table), rows)` spends more time per row on its own bookkeeping
(parameters built and processed row by row) than SQLite spends storing the row: for a pulled
page (two thousand records and as many audit entries) a tenth of the pull. `insert_rows` does
what that statement does for rows that all name the same columns: the columns' Python defaults
for the columns left out, each value through its column type's bind processor (dates and times
to SQLite's text), one compiled INSERT, one executemany on the driver's cursor in the
connection's transaction. SQLite's (qmark) statements: the office database's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT these rows (each with the same keys, column keys of `table`) into `table`."""
    if not rows:
        return
    dialect = connection.dialect
    given = list(rows[0])
    constant: list[tuple[str, Any]] = []
    made: list[tuple[str, Any]] = []  # a callable default: called once per row, as SQLAlchemy does
    for column in table.columns:
        default = column.default
        if column.key in given or default is None:
            continue
        if getattr(default, "is_scalar", False):
            constant.append((column.key, default.arg))  # type: ignore[attr-defined]
        elif getattr(default, "is_callable", False):
            made.append((column.key, default.arg))  # type: ignore[attr-defined]
        else:
            raise ValueError(f"{table.name}.{column.key}: a default of this kind is not supported")
    names = given + [key for key, _ in constant] + [key for key, _ in made]
    processors = [table.c[key].type._cached_bind_processor(dialect) for key in names]
    fixed = tuple(value for _, value in constant)
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(table.c[k].name) for k in names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    converting = [(i, p) for i, p in enumerate(processors) if p is not None]
    values = []
    for row in rows:
        out = [row[key] for key in given]
        out.extend(fixed)
        out.extend(make(None) for _, make in made)
        for i, process in converting:
            if out[i] is not None:
                out[i] = process(out[i])
        values.append(out)
    raw = connection.connection.driver_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.executemany(sql, values)
    finally:
        cursor.close()
