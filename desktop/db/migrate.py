"""Opening the database file: back it up, migrate it to this program's schema, refuse newer files.

Alembic (with Mako, about a third of a second to import) is loaded only when a migration is
pending: whether one is, is a plain query of `alembic_version` against `newest_revision()`, the
revision named by the newest file in migrations/versions (tests/integration/test_migrations.py
checks that it is Alembic's head). SQLAlchemy too is imported by the functions that use it, so
that `newest_revision` and `read_only_state` serve the launcher before SQLAlchemy has loaded.
"""

from __future__ import annotations

import contextlib
import errno
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.db.connection import DB_DATABASE_ERRORS, DB_ERRORS, WrongKey, connect, page_size
from desktop.domain.errors import DomainError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

    from desktop.security.keys import DataKey

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


class DatabaseError(DomainError):
    """The database file cannot be opened as it is (too new, not ours, damaged)."""


class CopyError(Exception):
    """A copy of the database failed its checks."""


def alembic_config(folder: Path = MIGRATIONS_DIR) -> Config:
    """Alembic's configuration for a folder of migrations (the district hub has its own)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(folder))
    return cfg


def newest_revision(folder: Path = MIGRATIONS_DIR) -> str:
    """The head revision without Alembic: revisions are numbered, and each file's name starts
    with its revision and an underscore (0007_sync_trust.py is revision 0007)."""
    names = sorted(p.name for p in (folder / "versions").glob("[0-9]*_*.py"))
    if not names:
        raise DatabaseError(f"程序文件不完整：{folder / 'versions'} 中没有数据库结构迁移文件")
    return names[-1].split("_", 1)[0]


def head_revision(folder: Path = MIGRATIONS_DIR) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(folder)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions(folder: Path = MIGRATIONS_DIR) -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config(folder)).walk_revisions()}


def backup_file(path: Path, backup_dir: Path, label: str, key: DataKey | None = None) -> Path:
    """A consistent copy through SQLite's backup API (safe with WAL and open readers).

    The copy is written under a temporary name, checked (it opens, `PRAGMA quick_check` is ok,
    it has the source's tables and page count) and only then renamed into place: a full disk
    or a failed write never leaves a file under the backup's name. On failure the partial file
    is removed and DatabaseError says why; the source file is not touched.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir / f"{path.stem}-{stamp}-{label}.db"
    partial = target.with_name(target.name + ".part")
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        src = connect(path, key)
        try:
            # encrypted under the same key as its source, with its page size
            dst = connect(partial, key, check=False, size=page_size(src))
            try:
                src.backup(dst)
                _check_copy(src, dst)
            finally:
                dst.close()
        finally:
            src.close()
        _fsync(partial)
        os.replace(partial, target)
        _fsync(backup_dir)
    except (*DB_ERRORS, WrongKey, CopyError, OSError) as exc:
        for leftover in (partial, partial.with_name(partial.name + "-journal"), target):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        try:
            need = f"至少 {path.stat().st_size // (1024 * 1024) + 1} MB"
        except OSError:
            need = "足够的"
        raise DatabaseError(
            f"升级数据库结构前的备份没有做成（{_reason(exc)}），为安全起见没有升级，"
            f"数据库文件未作任何修改。请在备份文件夹 {backup_dir} 所在的磁盘上腾出{need}空间后，"
            "重新打开程序。"
        ) from exc
    return target


def _check_copy(src: Any, dst: Any) -> None:
    """The copy is whole: it passes quick_check and has the source's tables and page count."""
    def tables(con: Any) -> set[str]:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    check = dst.execute("PRAGMA quick_check").fetchall()
    if check != [("ok",)]:
        raise CopyError(f"备份文件校验未通过：{check[0][0] if check else '无结果'}")
    if tables(dst) != tables(src) or not tables(dst):
        raise CopyError("备份文件中的数据表与原文件不一致")
    pages = [con.execute("PRAGMA page_count").fetchone()[0] for con in (src, dst)]
    if pages[0] != pages[1]:
        raise CopyError(f"备份文件不完整（{pages[1]} 页，原文件 {pages[0]} 页）")


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL \
            or "disk is full" in text or "disk I/O error" in text:
        return "磁盘空间不足或写入失败"
    if isinstance(exc, PermissionError):
        return "没有写入备份文件夹的权限"
    return text


def _fsync(path: Path) -> None:
    """Flush a file (or, where the system allows, a folder's entries) to the disk."""
    if path.is_dir() and os.name == "nt":
        return  # Windows cannot open a folder for fsync; its renames are journalled
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations in one transaction with foreign keys off, checked before commit.

    A batch table rebuild with foreign keys on would cascade-delete child rows; a failed
    migration rolls back whole instead of leaving a half-migrated file.
    """
    from alembic import command

    from desktop.db.engine import writer

    cfg = alembic_config()
    # BEGIN IMMEDIATE: two programs opening an old file at once queue for the lock; the second
    # then finds the file already upgraded and has nothing to do.
    with writer(engine).connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError(f"迁移后发现 {len(broken)} 处外键不一致，已撤销本次升级")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def read_only_state(path: Path, key: DataKey | None) -> tuple[str | None, bool]:
    """(revision, has tables) of an existing file, read without changing a byte of it."""
    con = connect(path, key, read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return revision, bool(tables)
    finally:
        con.close()


def _stored_revision(engine: Engine) -> str | None:
    """The file's revision, read as Alembic reads it (None: no alembic_version table or row)."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return row[0] if row else None


def open_database(path: Path, backup_dir: Path, key: DataKey | None = None) -> tuple[Engine, Path | None]:
    """Open (creating if needed) and migrate the file. Returns the engine and any backup made.
    The file is encrypted with `key` (None: a plain file, see db/engine.py)."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError

    from desktop.db.engine import make_engine

    path.parent.mkdir(parents=True, exist_ok=True)
    head = newest_revision()
    if path.exists() and path.stat().st_size > 0:
        # Refuse foreign and newer files before the engine turns on WAL (which writes).
        try:
            revision, has_tables = read_only_state(path, key)
        except WrongKey as exc:
            raise DatabaseError(f"数据库文件 {path} 无法用这把密钥打开（密钥文件与数据库不匹配，或文件已损坏），未作任何修改") from exc
        except DB_DATABASE_ERRORS as exc:
            raise DatabaseError(f"无法打开数据库文件 {path}：{exc}") from exc
        if revision is None and has_tables:
            raise DatabaseError(f"文件 {path} 不是和解台的数据库（没有版本信息），未作任何修改")
        if revision is not None and revision != head and revision not in known_revisions():
            raise DatabaseError(
                f"数据库文件由更新版本的和解台创建（结构版本 {revision}），"
                "本程序无法安全打开，请升级程序后再试。文件未作任何修改。"
            )
    engine = make_engine(path, key)
    try:
        current = _stored_revision(engine)  # the engine's first connection: WAL on, as always
        if current == head:
            return engine, None
        if current is None:
            tables = inspect(engine).get_table_names()
            if tables:
                raise DatabaseError(f"文件 {path} 不是和解台的数据库（没有版本信息），未作任何修改")
            upgrade(engine)
            return engine, None
        if current not in known_revisions():
            raise DatabaseError(
                f"数据库文件由更新版本的和解台创建（结构版本 {current}），"
                "本程序无法安全打开，请升级程序后再试。文件未作任何修改。"
            )
        backup = backup_file(path, backup_dir, f"before-{head}", key)
        upgrade(engine)
        return engine, backup
    except (*DB_DATABASE_ERRORS, SQLAlchemyDatabaseError) as exc:  # not a database, malformed …
        engine.dispose()
        raise DatabaseError(f"无法打开数据库文件 {path}：{exc}") from exc
    except Exception:
        engine.dispose()
        raise
