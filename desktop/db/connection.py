"""Connecting to an office database file with SQLCipher (no SQLAlchemy here: the launcher and the
migration checks use it before SQLAlchemy has loaded). See db/engine.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlcipher3 import dbapi2 as sqlcipher

if TYPE_CHECKING:
    from desktop.security.keys import DataKey

BUSY_TIMEOUT_MS = 10_000

# What an SQLite error is, whichever build raised it.
DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)
DB_DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher.DatabaseError)
DB_OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError,
                                                      sqlcipher.OperationalError)


# SQLCipher 4's settings, the same for every connection and every file (they are not stored in
# the file: a file written with one setting does not open with another). HMAC-SHA256 instead of
# the default SHA512: on CPUs with SHA extensions it authenticates pages about twice as fast
# (bench/bench_encrypted.py), with the same 256-bit AES.
CIPHER_SETTINGS = ("cipher_hmac_algorithm = HMAC_SHA256",)


def attach_encrypted(con: Any, path: Path | str, alias: str, key: DataKey) -> None:
    """ATTACH an encrypted file (new or existing) under `alias`, with this program's settings:
    sqlcipher_export(alias) then writes an encrypted copy of the main database."""
    con.execute(f"ATTACH DATABASE ? AS {alias} KEY {key.sqlcipher()}", (str(path),))
    for setting in CIPHER_SETTINGS:
        con.execute(f"PRAGMA {alias}.{setting}")


class WrongKey(Exception):
    """The file does not open with this key (or is not a database at all)."""


def connect(path: Path | str, key: DataKey | None, *, read_only: bool = False,
            timeout: float | None = None, check: bool = True) -> Any:
    """A DB-API connection (sqlcipher3) to an office database; the key, when there is one, is
    the first statement. With `check`, one read proves that the key fits (WrongKey if not)."""
    target: str = str(path)
    uri = False
    if read_only:
        target, uri = f"{Path(path).resolve().as_uri()}?mode=ro", True
    con = sqlcipher.connect(target, uri=uri, check_same_thread=False,
                            timeout=BUSY_TIMEOUT_MS / 1000 if timeout is None else timeout)
    try:
        if key is not None:
            con.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not a log line
            con.execute(f"PRAGMA key = {key.sqlcipher()}")
            for setting in CIPHER_SETTINGS:
                con.execute(f"PRAGMA {setting}")
        if check:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        con.close()
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise WrongKey(str(exc)) from exc
        raise
    return con
