"""Engine set-up for the office's SQLite file: encrypted with SQLCipher (the `sqlcipher3` build
of SQLite, its key the first statement on every connection), WAL, foreign keys, busy timeout,
explicit BEGIN.

Every office database is opened through `connect` (the engine's connections, the backup copies,
the checks): with a key it is SQLCipher's encrypted file; without one (the benchmark's plain
twin, the upgrade of a file from before encryption) the same SQLite build reads a plain file.
The district hub's own SQLite is a server's database and stays plain (district/ uses
configure_sqlite with Python's sqlite3).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlcipher3 import dbapi2 as sqlcipher

from desktop.db.connection import BUSY_TIMEOUT_MS, connect
from desktop.db.search import index_text

if TYPE_CHECKING:
    from desktop.security.keys import DataKey

def configure_sqlite(dbapi_connection: Any) -> None:
    """WAL, foreign keys, busy timeout; and BEGIN is ours (see on_begin). The district hub's
    SQLite connections are set up the same way."""
    # pysqlite's own transaction handling would defer BEGIN past our pragmas and SELECTs;
    # we take control and emit BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    configure_sqlite(dbapi_connection)
    # 64 MB page cache: index pages of a district-sized ledger stay in memory.
    dbapi_connection.execute("PRAGMA cache_size=-65536")
    # Variadic: the triggers pass the indexed columns, whose number may grow in a migration.
    dbapi_connection.create_function("hejie_index_text", -1, index_text, deterministic=True)


def on_begin(conn: Any) -> None:
    # Writers take the lock up front: a deferred transaction that reads, then writes, can fail
    # with "database is locked" when another writer got in between, and busy_timeout can't help.
    immediate = conn.get_execution_options().get("immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path | str, key: DataKey | None = None) -> Engine:
    """The engine of an office database; `key` None only for a plain file (see module doc)."""
    memory = str(path) == ":memory:"
    url = "sqlite://" if memory else f"sqlite:///{Path(path)}"
    engine = create_engine(url, module=sqlcipher,
                           creator=lambda: connect(path, key, check=False))
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", on_begin)
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions start with BEGIN IMMEDIATE."""
    return engine.execution_options(immediate=True)
