"""Engine set-up (SQLite or PostgreSQL by URL), transactions, migrations and the clock."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from desktop.db.engine import BUSY_TIMEOUT_MS, configure_sqlite, on_begin, writer
from desktop.db.migrate import alembic_config, current_revision, head_revision, known_revisions
from district.models import HubMeta

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
DEFAULT_DB = "sqlite:///hejie-district.db"
_MIGRATION_LOCK = 0x48454A49  # "HEJI": any constant both hubs agree on


class HubDatabaseError(Exception):
    """The database cannot be used by this hub (newer schema, not ours)."""


class Clock:
    """Naive UTC now; tests move it forward to expire sessions and codes."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


# What the standard library refuses (dates, dataclasses) or writes otherwise (str and int
# subclasses) goes to it, as before, instead of orjson's own forms.
_AS_BEFORE = (orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
              | orjson.OPT_PASSTHROUGH_SUBCLASS)


def json_dumps(value: Any) -> str:
    """JSON columns as stored: compact, Chinese as it is (also what COPY writes, store.py).

    Written by orjson (the same compact UTF-8 JSON, several times faster: a push of a thousand
    records stores their fields, history and answers); what it does not take (a key that is
    not text, an integer beyond 64 bits) by the standard library, as before. A push's payload
    hash is not this: it stays the standard library's canonical form (push.payload_hash)."""
    try:
        return orjson.dumps(value, option=_AS_BEFORE).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    configure_sqlite(dbapi_connection)  # as the office program's file


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        memory = parsed.database in (None, "", ":memory:")
        engine = create_engine(
            url,
            json_serializer=json_dumps,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            **({"poolclass": StaticPool} if memory else {}),
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        # Writers take SQLite's write lock up front (BEGIN IMMEDIATE): it is the hub's commit
        # order, what the counter row's FOR UPDATE lock is on PostgreSQL.
        event.listen(engine, "begin", on_begin)
        return engine
    return create_engine(url, json_serializer=json_dumps, pool_size=10, max_overflow=10,
                         pool_pre_ping=True)


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def default_blob_dir(url: str) -> Path:
    """Next to a SQLite file (hejie-district.db → hejie-district-blobs), else in the cwd."""
    path = sqlite_path(url)
    if path is None:
        return Path("hejie-district-blobs")
    return path.with_name(path.stem + "-blobs")


# --------------------------------------------------------------------------------------------
# Migrations
# --------------------------------------------------------------------------------------------
def migrate(engine: Engine) -> str:
    """Bring the database to this hub's schema in one transaction; refuse a newer one."""
    known = known_revisions(MIGRATIONS_DIR)
    current = current_revision(engine)
    if current is not None and current not in known:
        raise HubDatabaseError(
            f"数据库由更新版本的区局平台创建（结构版本 {current}），请升级本程序后再试。数据库未作任何修改。"
        )
    head = head_revision(MIGRATIONS_DIR)
    if current == head:
        return head
    cfg = alembic_config(MIGRATIONS_DIR)
    with engine.execution_options(immediate=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two hubs started at once on a new database: the second waits, then finds the
            # schema in place (alembic reads the revision inside this transaction).
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return head


# --------------------------------------------------------------------------------------------
# Transactions
# --------------------------------------------------------------------------------------------
class Database:
    """The engine with the two kinds of transaction the hub uses."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = writer(engine)
        # A pull reads the counter and then the records: on PostgreSQL one REPEATABLE READ
        # snapshot makes the two agree; SQLite's read transaction is a snapshot already.
        self._reader = (engine if is_sqlite(engine)
                        else engine.execution_options(isolation_level="REPEATABLE READ"))
        self._meta: tuple[str, str] | None = None

    @contextmanager
    def write(self) -> Iterator[Session]:
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self._reader, expire_on_commit=False) as session, session.begin():
            yield session

    def identity(self) -> tuple[str, str]:
        """(hub_id, cursor secret): fixed once the first migration created them."""
        if self._meta is None:
            with self.read() as session:
                meta = session.execute(select(HubMeta.hub_id, HubMeta.cursor_secret)
                                       .where(HubMeta.id == 1)).one()
            self._meta = (meta.hub_id, meta.cursor_secret)
        return self._meta

    @property
    def hub_id(self) -> str:
        return self.identity()[0]
