"""Reading an office database file directly in a test, as SQLite sees it: the file is encrypted,
so the connection takes the key this test process opened for that data folder (a login, a set-up
or a world from the fixtures all leave it in security/keys)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop import paths
from desktop.db.connection import connect
from desktop.security import keys


def key_of(data_dir: Path) -> keys.DataKey:
    key = keys.remembered(data_dir)
    assert key is not None, f"no key opened for {data_dir} in this test"
    return key


def office_db(data_dir: Path, *, read_only: bool = False) -> Any:
    """A DB-API connection to `data_dir`'s database (sqlcipher3, with its key)."""
    return connect(paths.database_path(data_dir), key_of(data_dir), read_only=read_only)
