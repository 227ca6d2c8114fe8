"""The database file as a whole, for backups and restores: a consistent copy of the live file
through SQLite's online backup API, the checks of a copy, a read-only engine on one, and taking
the live file out of WAL before it is replaced. (migrate.py copies the file the same way before
a migration; here the file is in use while it is copied.)"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.db.connection import DB_OPERATIONAL_ERRORS, connect, page_size
from desktop.db.engine import on_begin
from desktop.db.migrate import DatabaseError
from desktop.db.search import index_text

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.security.keys import DataKey

# What a backup's manifest counts (a person restoring reads them to recognise the backup).
COUNTED = ("complaints", "mediation_records", "attachments", "users", "audit_log")


class DatabaseInUse(DatabaseError):
    """Another program (a window, a command) still has the database open."""


def fsync(path: Path) -> None:
    """Flush a file (or, where the system allows, a folder's entries) to the disk."""
    if path.is_dir() and os.name == "nt":
        return  # Windows cannot open a folder for fsync; its renames are journalled
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def online_copy(source: Path, target: Path, key: DataKey | None) -> None:
    """Copy the live database into `target` (a new file) in one step of the backup API.

    One step (pages=-1) copies under one read transaction: the copy is the database as it was
    at one moment, whatever other connections commit meanwhile (in WAL mode their writes are
    not held up; a copy taken in several steps would start over after each of their commits
    and, on a busy database, might never end). The copy is then switched to a rollback
    journal, so that it is one self-contained file without -wal, and flushed to the disk.
    The copy is encrypted under the same key as the live file (SQLCipher's backup copies
    between files of one key)."""
    src = connect(source, key)
    try:
        dst = connect(target, key, check=False, size=page_size(src))  # the source's page size
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            dst.close()
    finally:
        src.close()
    fsync(target)


def _read_only(path: Path, key: DataKey | None) -> Any:
    con = connect(path, key, read_only=True)
    con.create_function("hejie_index_text", -1, index_text, deterministic=True)
    return con


def integrity(path: Path, key: DataKey | None) -> list[str]:
    """PRAGMA integrity_check of a copy (a file no one else has open): ["ok"] when sound."""
    con = _read_only(path, key)
    try:
        return [row[0] for row in con.execute("PRAGMA integrity_check").fetchall()]
    finally:
        con.close()


def counts(path: Path, key: DataKey | None) -> dict[str, int]:
    """The number of rows of the tables in COUNTED that the file has."""
    con = _read_only(path, key)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for name in COUNTED if name in tables}
    finally:
        con.close()


def attachment_hashes(path: Path, key: DataKey | None) -> set[str]:
    """The SHA-256 of every attachment the database names (its files must travel with it)."""
    con = _read_only(path, key)
    try:
        return {row[0] for row in con.execute("SELECT DISTINCT sha256 FROM attachments")}
    finally:
        con.close()


def read_only_engine(path: Path, key: DataKey | None) -> Engine:
    """An engine that can only read `path` and never changes a byte of it (no WAL switch):
    for checking a copy with the services' own code (the audit chain)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool
    from sqlcipher3 import dbapi2 as sqlcipher

    engine = create_engine("sqlite://", module=sqlcipher, creator=lambda: _read_only(path, key),
                           poolclass=NullPool)

    def connected(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None  # BEGIN is ours, as on the live engine

    event.listen(engine, "connect", connected)
    event.listen(engine, "begin", on_begin)
    return engine


def take_offline(path: Path, key: DataKey | None) -> None:
    """Before the live file is replaced: fold its write-ahead log into it and switch it to a
    rollback journal, so that it is one whole file. SQLite allows that only to the one
    connection that has the file open, so this also proves that no other program (a window,
    a command, another user's program on a shared PC) still uses it; DatabaseInUse if one does."""
    try:
        con = connect(path, key, timeout=1, check=False)
        try:
            mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            con.close()
    except DB_OPERATIONAL_ERRORS as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        mode = "wal"
    if str(mode).lower() != "delete":
        raise DatabaseInUse(
            "数据库正被其他程序使用（另一个和解台窗口、hejie-admin 命令，或共用电脑上其他用户的和解台），"
            "请先关闭它们再恢复。当前数据库未作任何修改。")
