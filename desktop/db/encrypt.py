"""Encrypting a plain database file (one from before encryption): SQLCipher's sqlcipher_export
into a new file, checked against the original, then swapped in by the caller (bootstrap).

The original is never changed except for folding its write-ahead log in (so that no plain -wal
is left beside the encrypted file); until the swap it stays the database, and the swap is one
rename, so a crash at any moment leaves one of the two whole files under the database's name.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.db.connection import WrongKey, attach_encrypted, connect

if TYPE_CHECKING:
    from desktop.security.keys import DataKey

ENCRYPTING_SUFFIX = ".encrypting"


class EncryptionFailed(Exception):
    """The encrypted copy does not hold what the original holds (the original is untouched)."""


def is_plain(path: Path) -> bool:
    """Whether `path` is an SQLite file that opens without a key."""
    try:
        connect(path, None, read_only=True).close()
    except WrongKey:
        return False
    return True


def fold_wal(path: Path) -> None:
    """Fold the write-ahead log into the file and switch it to a rollback journal: the plain
    file is then one whole file, with no -wal beside it."""
    con = connect(path, None, timeout=1)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    finally:
        con.close()
    if str(mode).lower() != "delete":
        from desktop.db.snapshot import DatabaseInUse

        raise DatabaseInUse("数据库正被其他程序使用（另一个和解台窗口或 hejie-admin 命令），"
                            "请先关闭它们再进行加密升级。数据库未作任何修改。")


def export_encrypted(source: Path, target: Path, key: DataKey) -> None:
    """Write an encrypted copy of the plain `source` into `target` (a new file), checked:
    integrity, the same tables with the same number of rows. EncryptionFailed if not."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    con = connect(source, None)
    try:
        attach_encrypted(con, target, "encrypted", key)
        con.execute("SELECT sqlcipher_export('encrypted')").fetchone()
        version = con.execute("PRAGMA main.user_version").fetchone()[0]
        con.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        con.execute("DETACH DATABASE encrypted")
        plain = _counts(con)
    finally:
        con.close()
    _fsync(target)
    copy = connect(target, key, read_only=True)
    try:
        check = copy.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise EncryptionFailed(f"加密后的数据库没有通过完整性检查：{check[0][0] if check else '无结果'}")
        if _counts(copy) != plain:
            raise EncryptionFailed("加密后的数据库与原数据库的数据表或行数不一致")
    finally:
        copy.close()


def encrypt_copy(path: Path, key: DataKey) -> bool:
    """A plain copy of the database (a pre-migration copy in backups/) encrypted in place under
    the same name: a checked encrypted file renamed over it. False when it was not plain."""
    if not is_plain(path):
        return False
    partial = path.with_name(path.name + ENCRYPTING_SUFFIX)
    try:
        export_encrypted(path, partial, key)
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    _fsync(path.parent)
    return True


def _counts(con: object) -> dict[str, int]:
    tables = [r[0] for r in con.execute(  # type: ignore[attr-defined]
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # type: ignore[attr-defined]
            for t in tables}


def _fsync(path: Path) -> None:
    if path.is_dir() and os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
