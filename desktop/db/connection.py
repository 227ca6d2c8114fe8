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

# The page size of the files this program writes (cipher_page_size, also SQLite's page size):
# each page is decrypted and authenticated as a whole, and a part of that cost is per page
# (setting the cipher up, the HMAC's key), so larger pages cost less per byte read (at
# 1,000,000 complaints a cold count of the ledger 12.8 → 9.3 ms, the month's statistics 1.30 →
# 1.17× the unkeyed build). Files encrypted before it have LEGACY_PAGE_SIZE pages: the size is
# not written in the file, so an existing file is opened with the one, then the other (see
# connect); a copy of a file (backups) keeps its source's size.
CIPHER_PAGE_SIZE = 16384
LEGACY_PAGE_SIZE = 4096


def cipher_settings(page_size: int = CIPHER_PAGE_SIZE) -> tuple[str, ...]:
    """The PRAGMAs that follow the key, for a file of this page size."""
    return (*CIPHER_SETTINGS, f"cipher_page_size = {int(page_size)}")


def page_size(con: Any) -> int:
    """The page size of an open database (an encrypted one's cipher_page_size)."""
    return int(con.execute("PRAGMA page_size").fetchone()[0])


def attach_encrypted(con: Any, path: Path | str, alias: str, key: DataKey,
                     size: int = CIPHER_PAGE_SIZE) -> None:
    """ATTACH an encrypted file (a new one: it gets `size`) under `alias`, with this program's
    settings: sqlcipher_export(alias) then writes an encrypted copy of the main database."""
    con.execute(f"ATTACH DATABASE ? AS {alias} KEY {key.sqlcipher()}", (str(path),))
    for setting in cipher_settings(size):
        con.execute(f"PRAGMA {alias}.{setting}")


class WrongKey(Exception):
    """The file does not open with this key (or is not a database at all)."""


def connect(path: Path | str, key: DataKey | None, *, read_only: bool = False,
            timeout: float | None = None, check: bool = True, size: int | None = None) -> Any:
    """A DB-API connection (sqlcipher3) to an office database; the key, when there is one, is
    the first statement. With `check`, one read proves that the key fits (WrongKey if not).

    `size`: the encrypted file's page size when the caller knows it (a new file: a backup's
    copy takes its source's). Without it a new or empty file gets CIPHER_PAGE_SIZE and an
    existing one is read with that, then with LEGACY_PAGE_SIZE (that read is the check)."""
    if key is None or size is not None:
        return _connect(path, key, read_only=read_only, timeout=timeout, check=check,
                        size=size or CIPHER_PAGE_SIZE)
    try:
        existing = Path(path).stat().st_size > 0
    except OSError:
        existing = False
    if not existing:
        return _connect(path, key, read_only=read_only, timeout=timeout, check=check,
                        size=CIPHER_PAGE_SIZE)
    try:
        return _connect(path, key, read_only=read_only, timeout=timeout, check=True,
                        size=CIPHER_PAGE_SIZE)
    except WrongKey:
        return _connect(path, key, read_only=read_only, timeout=timeout, check=True,
                        size=LEGACY_PAGE_SIZE)


def _connect(path: Path | str, key: DataKey | None, *, read_only: bool, timeout: float | None,
             check: bool, size: int) -> Any:
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
            for setting in cipher_settings(size):
                con.execute(f"PRAGMA {setting}")
        if check:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        con.close()
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise WrongKey(str(exc)) from exc
        raise
    return con
