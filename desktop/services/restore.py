"""Restoring a backup: check it whole first, then put its database and attachments in place of
this PC's, keeping the database it replaces.

Works on the data folder's files, not on open services: the database may be the very thing that
is broken, and it must be closed while it is replaced (the window closes its own first; any
other program using it is found by `snapshot.take_offline`, and the restore refused). The
composition root (bootstrap.restore) then opens the restored database and lets the backup
service write the restore into its audit log.

Order, so that a failure at any step leaves a database that works:
1. `check_backup`: every member against the manifest (backup_archive.verify), the database
   taken out under a temporary name in backups/, its integrity_check, its schema (not newer than
   this program's) and its audit chain. Nothing of the data folder is touched.
2. `put_in_place`: the attachments the backup has and this PC lacks (content-addressed: files
   this PC has beyond the backup stay; they do no harm and may belong to the kept database),
   then the current database taken offline and kept as backups/hejie-<time>-before-restore.db
   (a hard link where the disk allows, so that hejie.db is never missing for a moment), then the
   checked copy renamed over hejie.db.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from desktop import backup_archive, paths
from desktop.backup_archive import Manifest, Progress
from desktop.db import snapshot
from desktop.db.connection import WrongKey, connect
from desktop.db.migrate import known_revisions, newest_revision, read_only_state
from desktop.domain.backups import partial_name
from desktop.domain.errors import AuthenticationError, DomainError
from desktop.security import blobs, keys
from desktop.security.keys import DataKey, KeyFile
from desktop.services.backup import audit_of_copy, remove_partials
from desktop.services.base import Clock


@dataclass(frozen=True)
class CheckedBackup:
    """A backup checked whole; its database waits, checked, under a temporary name."""

    source: Path
    manifest: Manifest
    staged: Path
    audit_entries: int
    key: DataKey | None = None  # what the staged database is encrypted with
    keys: bytes | None = None  # the backup's key file, put beside the restored database

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.staged.unlink(missing_ok=True)


@dataclass(frozen=True)
class Restored:
    source: Path
    manifest: Manifest
    set_aside: Path | None  # the database that was replaced, kept in backups/
    attachments_written: int


def check_backup(source: Path, data_dir: Path, clock: Clock,
                 progress: Progress | None = None, *,
                 unlock: Callable[[KeyFile], DataKey] | None = None) -> CheckedBackup:
    """Check a backup before anything is restored; DomainError (BackupFileError) says why not.

    The backup's database is encrypted with the data key its key file wraps: the key this
    process opened for `data_dir` opens it when it is this office's; otherwise `unlock` gets
    the backup's key file and opens it with a password or the recovery key (it raises
    AuthenticationError when they are wrong)."""
    manifest = backup_archive.verify(source, progress)
    raw_keys = backup_archive.read_keys(source, manifest)
    keyfile = KeyFile.parse(Path(keys.KEYS_FILENAME), raw_keys) if raw_keys is not None else None
    folder = paths.private_dir(paths.backup_dir(data_dir))
    remove_partials(folder)
    name = f"hejie-restore-{clock.now():%Y%m%d-%H%M%S}.zip"
    staged = folder / partial_name(name, os.getpid(), "db")
    try:
        if progress:
            progress("检查备份中的数据库", 0, 1)
        backup_archive.extract(source, manifest.database, staged)
        key = _backup_key(staged, data_dir, keyfile, unlock)
        problems = snapshot.integrity(staged, key)
        if problems != ["ok"]:
            raise DomainError("备份中的数据库没有通过完整性检查（" + "；".join(problems[:3])
                              + "），不能用它恢复")
        revision, _tables = read_only_state(staged, key)
        if revision is None:
            raise DomainError("备份中的文件不是和解台的数据库")
        if revision != newest_revision() and revision not in known_revisions():
            raise DomainError(f"这份备份由更新版本的和解台制作（数据库结构版本 {revision}），"
                              "请先把本机的和解台升级到同一版本或更新版本，再恢复")
        report = audit_of_copy(staged, clock, data_dir, key)
        if not report.ok:
            shown = "；".join(report.problems[:3])
            raise DomainError(f"备份中的审计日志校验发现 {len(report.problems)} 处问题（{shown}），"
                              "不能用它恢复。请换一份较早的备份，或联系技术支持。")
    except BaseException:
        with contextlib.suppress(OSError):
            staged.unlink(missing_ok=True)
        raise
    return CheckedBackup(source, manifest, staged, report.entries, key, raw_keys)


def _backup_key(staged: Path, data_dir: Path, keyfile: KeyFile | None,
                unlock: Callable[[KeyFile], DataKey] | None) -> DataKey | None:
    if keyfile is None:
        return None  # a backup of a plain database from before encryption
    known = keys.remembered(data_dir)
    if known is not None and fits(staged, known):
        return known
    if unlock is None:
        raise AuthenticationError("这份备份是加密的，需要制作备份时某位用户的密码或本单位的恢复密钥才能恢复")
    key = unlock(keyfile)
    if not fits(staged, key):
        raise DomainError("备份中的密钥文件与数据库不匹配，备份不完整或被改动过")
    return key


def fits(database: Path, key: DataKey) -> bool:
    try:
        connect(database, key, read_only=True).close()
        return True
    except WrongKey:
        return False


def put_in_place(data_dir: Path, checked: CheckedBackup, clock: Clock,
                 progress: Progress | None = None) -> Restored:
    """Replace this PC's database with the checked one (see the module's docstring). The
    database must be closed by this program; DatabaseInUse if another still has it open."""
    database = paths.database_path(data_dir)
    if not checked.staged.exists():
        raise DomainError("检查过的备份已不在，请重新选择备份文件")
    written = _attachments(data_dir, checked, progress)
    set_aside: Path | None = None
    if database.exists():
        snapshot.take_offline(database, keys.remembered(data_dir))
        set_aside = _aside_name(paths.private_dir(paths.backup_dir(data_dir)), clock)
        for suffix in ("-wal", "-shm"):  # none after take_offline; never left beside the new file
            leftover = database.with_name(database.name + suffix)
            if leftover.exists():
                os.replace(leftover, set_aside.with_name(set_aside.name + suffix))
        try:
            os.link(database, set_aside)
        except OSError:  # a file system without hard links: a moment without hejie.db
            os.replace(database, set_aside)
        paths.private_file(set_aside)
    if checked.keys is not None:
        assert checked.key is not None
        keyfile = KeyFile.parse(keys.keys_path(data_dir), checked.keys)
        keyfile.write()  # the restored database's key file, before the database itself
        keys.remember(data_dir, checked.key)
    os.replace(checked.staged, database)
    snapshot.fsync(database.parent)
    paths.secure_data_dir(data_dir)
    return Restored(checked.source, checked.manifest, set_aside, written)


def _aside_name(folder: Path, clock: Clock) -> Path:
    stamp = clock.now()
    while (path := folder / f"hejie-{stamp:%Y%m%d-%H%M%S}-before-restore.db").exists():
        stamp += timedelta(seconds=1)
    return path


def _attachments(data_dir: Path, checked: CheckedBackup, progress: Progress | None) -> int:
    """The backup's attachment files this PC lacks (or has damaged), each checked against its
    hash while it is written under a temporary name, then renamed into place."""
    members = checked.manifest.attachments
    written = 0
    for i, member in enumerate(members, 1):
        sha = member.sha256
        target = paths.attachment_path(data_dir, sha)
        if target.is_file() and blobs.content_sha256(target, checked.key) == sha:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{sha}.{os.getpid()}.restore.part")
        backup_archive.extract(checked.source, member, partial)
        os.replace(partial, target)
        written += 1
        if progress:
            progress("恢复附件", i, len(members))
    if written:
        snapshot.fsync(paths.attachment_path(data_dir, "00").parent.parent)
    return written


def describe(manifest: Manifest) -> str:
    """A backup in a few words, for the confirmation before a restore."""
    counts = manifest.counts
    kind = "自动备份" if manifest.automatic else "手动备份"
    return (f"{manifest.created_at[:16]} 的{kind}（{manifest.made_by}），"
            f"单位：{manifest.office_name or '未知'}（{manifest.office_code or '—'}），"
            f"投诉 {counts.get('complaints', 0)} 件，附件 {len(manifest.attachments)} 个，"
            f"审计记录 {counts.get('audit_log', 0)} 条，程序版本 {manifest.program_version}")
