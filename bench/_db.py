"""Opening an existing demo database from a bench script, encrypted or not.

`hejie-admin demo` makes an encrypted database (SQLCipher; the data key wrapped for each demo
account with DEMO_PASSWORD in hejie.keys beside it); a demo made before encryption is a plain
file with no key file. The scripts open either with these helpers:

    from _db import open_demo, raw_connection   # bench/ is sys.path[0] of a script run as bench/x.py

    s, user = open_demo(data_dir, "wangfang")    # the services and a logged-in demo account
    con = raw_connection(data_dir)               # the driver's connection, no services, no ORM

`raw_connection` goes through desktop/db/connection.connect, i.e. the same SQLite build
(sqlcipher3) as the program, with the key this process opened (None for a plain file): a
"raw floor" measured on it and the program's figure are of one SQLite.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlcipher3 import dbapi2 as sqlcipher

from desktop import paths
from desktop.bootstrap import open_services, unlock_and_login
from desktop.db.connection import connect
from desktop.demo.generate import DEMO_PASSWORD
from desktop.security import keys
from desktop.security.keys import KeyFile

if TYPE_CHECKING:
    from desktop.bootstrap import Services
    from desktop.services.base import Clock
    from desktop.services.dto import CurrentUser

# The SQLite the program (and raw_connection) runs on, not Python's own sqlite3.
SQLITE_VERSION: str = sqlcipher.sqlite_version


def _needs_unlock(data_dir: Path) -> bool:
    """An encrypted database set up with passwords whose key this process has not opened yet."""
    if keys.remembered(data_dir) is not None:
        return False
    keyfile = KeyFile.read(data_dir)
    return keyfile is not None and keyfile.set_up


def unlock_demo(data_dir: Path, username: str = "admin", password: str = DEMO_PASSWORD) -> None:
    """Open (and remember for this process) the data key of an encrypted demo database with a
    demo account's password, without logging in; nothing to do for a plain database, a folder
    without a database, or a key already opened. open_services(data_dir) then opens it."""
    if _needs_unlock(data_dir):
        keys.unlock(data_dir, username, password)


def open_demo(data_dir: Path, username: str, password: str = DEMO_PASSWORD,
              clock: Clock | None = None) -> tuple[Services, CurrentUser]:
    """The services on the demo database in `data_dir` and `username` logged in: unlock_and_login
    when the database is encrypted, open_services and a login for a plain one."""
    if _needs_unlock(data_dir):
        return unlock_and_login(data_dir, username, password, clock)
    s = open_services(data_dir, clock=clock)
    try:
        return s, s.users.login(username, password)
    except BaseException:
        s.close()
        raise


def raw_connection(data_dir: Path, *, read_only: bool = False) -> Any:
    """A DB-API connection (sqlcipher3, through desktop.db.connection.connect) to the database in
    `data_dir`, with the key this process opened (open_demo / unlock_demo) or none for a plain
    file. WrongKey when the file is encrypted and its key has not been opened."""
    return connect(paths.database_path(data_dir), keys.remembered(data_dir), read_only=read_only)
