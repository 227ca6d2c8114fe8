"""Backups of the office's data while the program runs, and the administrator's choices for them.

`make` copies the live database with SQLite's online backup API (db/snapshot.py) into the target
folder under a temporary name, checks the copy (integrity_check, and the audit chain with the
audit service's own verify on a read-only engine), writes it with the attachments it names and a
manifest into a zip, again under a temporary name (backup_archive.py), reads that zip back whole
against the manifest, flushes it and only then renames it to `hejie-…-YYYYMMDD-HHMMSS.zip`. A
backup killed at any moment leaves only files whose names end in `.part`; the next backup removes
those whose writer is gone. An automatic backup is followed by the rotation (domain/backups.py).

Every backup made is written into the audit log (action 备份数据库: who, which file, its hash and
size), and so is a restore (从备份恢复, in the restored database: who, from which file, where the
replaced database was kept). After a restore the office must sync before it registers anything
(complaints registered since the backup come back from the district, and with them the day's
numbering): `status().sync_first` says so until a sync round has succeeded.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import __version__, backup_archive, paths
from desktop.backup_archive import BackupFileError, Manifest, Member, Progress
from desktop.db import snapshot
from desktop.db.connection import DB_ERRORS
from desktop.db.migrate import read_only_state
from desktop.db.repositories import CodeRepository, OfficeRepository, UserRepository
from desktop.db.uow import Actor, UnitOfWork
from desktop.domain.backups import (
    BackupPolicy,
    backup_age_warning,
    backup_name,
    parse_name,
    partial_name,
    partial_writer,
    rotation_keeps,
)
from desktop.domain.errors import DomainError, FieldError
from desktop.domain.workflow import Role
from desktop.processes import process_alive
from desktop.security import blobs
from desktop.security.keys import DataKey, keys_path
from desktop.services.base import Clock, Reference, Service, ServiceContext, require_role
from desktop.services.dto import Changed, CurrentUser

if TYPE_CHECKING:
    from desktop.services.audit import AuditReport

PREFIX = "backup."
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# Tests stop a backup at one of its steps (copied, checked, writing, written) to kill it there.
STOP_ENV = "HEJIE_TEST_BACKUP_STOP_AT"
SHOWN_PROBLEMS = 20  # audit problems a manifest names one by one
# Set by a restore in an office enrolled with the district, cleared by the sync service once a
# round (or a receipt) has taken in what the district has for it: until then, sync first.
AFTER_RESTORE_KEY = "sync.after_restore"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    seconds: float
    removed: tuple[Path, ...] = ()  # older automatic backups the rotation removed
    warnings: tuple[str, ...] = ()  # made, but something needs a look (audit problems …)

    @property
    def good(self) -> bool:
        """Checked whole, audit chain included (a missing attachment does not make it bad)."""
        return bool(self.manifest.checks.get("audit_ok"))


@dataclass(frozen=True)
class BackupFile:
    """A backup in a folder, as its name tells (the list on the settings page)."""

    path: Path
    stamp: datetime
    automatic: bool
    size: int


@dataclass(frozen=True)
class BackupStatus:
    policy: BackupPolicy
    folder: Path
    last_ok_at: datetime | None  # the last good backup (checked, audit chain sound)
    last_ok_file: str
    last_failure_at: str  # the last backup that failed or needs a look, and why
    last_failure: str
    warning: str  # for the workbench: no good backup for `warn_days` ("" otherwise)
    sync_first: str  # restored and not synced since: sync before registering ("" otherwise)
    restored_at: str
    restored_from: str

    @property
    def failed_last(self) -> bool:
        last_ok = self.last_ok_at.strftime(TIME_FORMAT) if self.last_ok_at else ""
        return bool(self.last_failure_at) and self.last_failure_at >= last_ok


def _stop_point(step: str) -> None:
    """Test hook: hold the backup at `step` until the test kills the process."""
    if os.environ.get(STOP_ENV) == step:
        print(f"HEJIE-BACKUP-STEP {step}", file=sys.stderr, flush=True)
        time.sleep(600)


def remove_partials(folder: Path) -> list[Path]:
    """Temporary files of backups (or restores) whose writer no longer runs: a backup killed
    half-way. A writer still running (the window's automatic backup beside a command) keeps its."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        pid = partial_writer(entry.name)
        if pid is not None and not process_alive(pid):
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


def audit_of_copy(database: Path, clock: Clock, data_dir: Path, key: DataKey | None) -> AuditReport:
    """The audit service's verify on a copy of the database, which it only reads."""
    from desktop.services.audit import AuditService  # httpx: only when a copy is checked

    engine = snapshot.read_only_engine(database, key)
    try:
        ctx = ServiceContext(engine=engine, clock=clock, reference=Reference(engine),
                             data_dir=data_dir)
        return AuditService(ctx).verify()
    finally:
        engine.dispose()


_FAILURES: tuple[type[BaseException], ...] = (DomainError, OSError, *DB_ERRORS)


def failure_message(exc: BaseException, folder: Path) -> str:
    """Why a backup (or a restore's copy) failed, in words for the user."""
    if isinstance(exc, DomainError):
        return str(exc)
    if isinstance(exc, DB_ERRORS):
        text = str(exc)
        if "full" in text or "disk I/O" in text:
            return f"{folder} 所在的磁盘空间不足或写入失败"
        return f"复制数据库失败：{text}"
    assert isinstance(exc, OSError)
    if isinstance(exc, PermissionError):
        return f"没有写入文件夹 {folder} 的权限"
    if exc.errno in (28, 27, 122):  # ENOSPC, EFBIG, EDQUOT
        return f"{folder} 所在的磁盘空间不足"
    if isinstance(exc, FileNotFoundError) or exc.errno in (5, 19, 6):  # EIO, ENODEV, ENXIO
        return f"文件夹 {folder} 无法访问（U 盘或移动硬盘是否已插好？）"
    return f"写入 {folder} 失败：{exc.strerror or exc}"


class BackupService(Service):
    @property
    def database(self) -> Path:
        return paths.database_path(self.ctx.data_dir)

    # -- the administrator's choices -----------------------------------------------------------
    def policy(self) -> BackupPolicy:
        with self._uow(None, "", write=False) as uow:
            stored = CodeRepository(uow.session).settings_under(PREFIX)
        default = BackupPolicy()

        def number(key: str, fallback: int) -> int:
            try:
                return int(stored[key])
            except (KeyError, ValueError):
                return fallback

        return BackupPolicy(
            folder=stored.get("folder", default.folder),
            automatic=stored.get("automatic", "1") == "1",
            keep_daily=number("keep_daily", default.keep_daily),
            keep_weekly=number("keep_weekly", default.keep_weekly),
            keep_monthly=number("keep_monthly", default.keep_monthly),
            warn_days=number("warn_days", default.warn_days))

    def set_policy(self, user: CurrentUser, policy: BackupPolicy) -> Changed:
        require_role(user, Role.ADMIN, doing="修改备份设置")
        policy = replace(policy.check(), folder=policy.folder.strip())
        if policy.folder:
            folder = Path(policy.folder)
            if not folder.is_absolute():
                raise FieldError("备份文件夹", "请选择一个完整路径的文件夹（如 E:\\和解台备份）")
        values = {"folder": policy.folder, "automatic": "1" if policy.automatic else "0",
                  "keep_daily": str(policy.keep_daily), "keep_weekly": str(policy.keep_weekly),
                  "keep_monthly": str(policy.keep_monthly), "warn_days": str(policy.warn_days)}
        with self._uow(user, "修改备份设置") as uow:
            codes = CodeRepository(uow.session)
            for key, value in values.items():
                if codes.setting(PREFIX + key) != value:
                    codes.set_setting(PREFIX + key, value)
            uow.commit()
        return Changed("backup", ())

    def folder(self, policy: BackupPolicy | None = None) -> Path:
        """Where backups go: the folder the administrator picked, else the data folder's backups/."""
        chosen = (policy or self.policy()).folder
        return Path(chosen) if chosen else paths.backup_dir(self.ctx.data_dir)

    # -- what the window shows -----------------------------------------------------------------
    def status(self) -> BackupStatus:
        with self._uow(None, "", write=False) as uow:
            codes = CodeRepository(uow.session)
            stored = codes.settings_under(PREFIX)
            enrolled = bool(codes.setting("sync.token"))
            waiting = codes.setting(AFTER_RESTORE_KEY) or ""
        policy = self.policy()
        last_ok = _parse_time(stored.get("last_ok_at", ""))
        warning = backup_age_warning(last_ok, self.ctx.clock.today(), policy.warn_days)
        sync_first = ""
        if waiting and enrolled:
            sync_first = (f"本机数据库于 {waiting[:16]} 从备份恢复，此后尚未与区局同步。"
                          "请先同步一次，再登记新投诉：备份之后本单位送到区局的投诉会取回本机，"
                          "投诉编号随之接着编，不会重号。")
        return BackupStatus(policy=policy, folder=self.folder(policy), last_ok_at=last_ok,
                            last_ok_file=stored.get("last_ok_file", ""),
                            last_failure_at=stored.get("last_failure_at", ""),
                            last_failure=stored.get("last_failure", ""), warning=warning,
                            sync_first=sync_first, restored_at=stored.get("restored_at", ""),
                            restored_from=stored.get("restored_from", ""))

    def automatic_due(self) -> bool:
        """One automatic backup a day: none has succeeded today yet (and they are on)."""
        policy = self.policy()
        if not policy.automatic:
            return False
        with self._uow(None, "", write=False) as uow:
            last = CodeRepository(uow.session).setting(PREFIX + "last_auto_day") or ""
        return last != self.ctx.clock.today().isoformat()

    def backups(self, folder: Path | None = None) -> list[BackupFile]:
        """The backups in `folder` (default: the chosen one), newest first."""
        folder = folder or self.folder()
        found = []
        try:
            entries = list(folder.iterdir())
        except OSError:
            return []
        for entry in entries:
            name = parse_name(entry.name)
            if name is not None and entry.is_file():
                found.append(BackupFile(entry, name.stamp, name.automatic, entry.stat().st_size))
        return sorted(found, key=lambda b: b.stamp, reverse=True)

    # -- making one ----------------------------------------------------------------------------
    def make(self, user: CurrentUser | None, *, folder: Path | None = None,
             automatic: bool = False, made_by: str = "", progress: Progress | None = None
             ) -> BackupResult:
        """Back up now into `folder` (default: the chosen one). `user`: an administrator who
        asked for it in the window; None for the automatic backup and the command line
        (`made_by` says who then). Raises DomainError (nothing left behind) when it fails."""
        if user is not None:
            require_role(user, Role.ADMIN, doing="备份数据")
        started = time.monotonic()
        policy = self.policy()
        target_dir = folder or self.folder(policy)
        who = made_by or (user.display_name if user else "系统")
        try:
            result = self._make(target_dir, automatic, who, progress)
        except _FAILURES as exc:
            message = failure_message(exc, target_dir)
            self._remember_failure(user, f"备份没有做成：{message}")
            raise DomainError(f"备份没有做成：{message}。没有留下不完整的备份文件。") from exc
        removed: tuple[Path, ...] = ()
        if automatic:
            removed = tuple(self.rotate(target_dir, policy))
        result = replace(result, seconds=time.monotonic() - started, removed=removed)
        self._remember_success(user, result, automatic)
        return result

    def _make(self, folder: Path, automatic: bool, who: str, progress: Progress | None
              ) -> BackupResult:
        if not self.database.exists():
            raise DomainError(f"数据库文件 {self.database} 不存在")
        if folder.resolve() == paths.backup_dir(self.ctx.data_dir).resolve():
            paths.private_dir(folder)
        else:
            folder.mkdir(parents=True, exist_ok=True)
        remove_partials(folder)
        stamp = self.ctx.clock.now()
        while (folder / backup_name(stamp, automatic)).exists():
            stamp += timedelta(seconds=1)
        name = backup_name(stamp, automatic)
        staged = folder / partial_name(name, os.getpid(), "db")
        written = folder / partial_name(name, os.getpid(), "zip")
        target = folder / name
        try:
            if progress:
                progress("复制数据库", 0, 1)
            key = self._key()
            snapshot.online_copy(self.database, staged, key)
            _stop_point("copied")
            if progress:
                progress("检查数据库副本", 0, 1)
            problems = snapshot.integrity(staged, key)
            if problems != ["ok"]:
                raise DomainError("数据库副本的完整性检查未通过（" + "；".join(problems[:3])
                                  + "）：数据库文件可能已损坏，请运行 hejie-admin check 并联系技术支持")
            report = audit_of_copy(staged, self.ctx.clock, self.ctx.data_dir, key)
            warnings: tuple[str, ...] = ()
            if not report.ok:
                warnings = (f"备份已保存，但其中的审计日志校验发现 {len(report.problems)} 处问题"
                            f"（如：{report.problems[0]}）。数据库在程序之外被改动过，"
                            "请运行 hejie-admin audit verify 查看，并报告上级。",)
            named = snapshot.attachment_hashes(staged, key)
            counts = snapshot.counts(staged, key)
            schema, _ = read_only_state(staged, key)
            office = self._office()
            _stop_point("checked")
            present: list[tuple[str, Path]] = []
            missing: list[tuple[str, Path]] = []
            for sha in sorted(named):
                path = paths.attachment_path(self.ctx.data_dir, sha)
                (present if path.is_file() else missing).append((sha, path))

            def describe(database: Member, taken: tuple[Member, ...], damaged: tuple[str, ...]
                         ) -> Manifest:
                return Manifest(
                    created_at=stamp.strftime(TIME_FORMAT), automatic=automatic, made_by=who,
                    program_version=__version__, schema=schema, office_code=office[0],
                    office_name=office[1], database=database, attachments=taken, counts=counts,
                    checks={"integrity": "ok", "audit_ok": report.ok,
                            "audit_entries": report.entries, "audit_records": report.records,
                            "audit_problems": list(report.problems[:SHOWN_PROBLEMS])},
                    missing=tuple(sha for sha, _ in missing), damaged=damaged)

            keyfile = keys_path(self.ctx.data_dir)
            manifest = backup_archive.write(
                written, staged, present, describe, progress,
                after_member=lambda member: _stop_point("writing"),
                keys=keyfile.read_bytes() if key is not None and keyfile.exists() else None,
                content_sha=lambda path: blobs.content_sha256(path, key))
            _stop_point("written")
            if backup_archive.verify(written, progress) != manifest:
                raise BackupFileError("写入的备份文件读回后与清单不一致")
            os.replace(written, target)
            snapshot.fsync(folder)
        except BaseException:
            with contextlib.suppress(OSError):
                written.unlink(missing_ok=True)
            raise
        finally:
            with contextlib.suppress(OSError):
                staged.unlink(missing_ok=True)
        if manifest.missing:
            warnings += (f"数据库中有 {len(manifest.missing)} 个附件的文件不在本机"
                         "（从区局同步来、尚未下载的附件），备份中没有这些文件。",)
        if manifest.damaged:
            warnings += (f"{len(manifest.damaged)} 个附件文件已损坏（内容与校验值不符），"
                         "备份中没有这些文件；请从区局重新下载或找回原件。",)
        return BackupResult(target, manifest, 0.0, warnings=warnings)

    def _key(self) -> DataKey | None:
        return self.ctx.keyring.key if self.ctx.keyring is not None else None

    def _office(self) -> tuple[str, str]:
        with self._uow(None, "", write=False) as uow:
            office = OfficeRepository(uow.session).local()
            return (office.code, office.name) if office is not None else ("", "")

    def rotate(self, folder: Path, policy: BackupPolicy | None = None) -> list[Path]:
        """Remove the automatic backups in `folder` that the rotation does not keep; backups
        made by hand are never removed."""
        policy = policy or self.policy()
        automatic = [b for b in self.backups(folder) if b.automatic]
        keep = rotation_keeps([b.stamp for b in automatic], policy)
        removed = []
        for b in automatic:
            if b.stamp not in keep:
                with contextlib.suppress(OSError):
                    b.path.unlink()
                    removed.append(b.path)
        return removed

    def _actor(self, user: CurrentUser | None) -> Actor:
        return Actor(user.id, user.username, user.office_code) if user else Actor(None, "system")

    def _remember_success(self, user: CurrentUser | None, result: BackupResult,
                          automatic: bool) -> None:
        m = result.manifest
        with UnitOfWork(self.ctx.engine, self._actor(user),
                        "自动备份数据库" if automatic else "备份数据库", outbox=False) as uow:
            codes = CodeRepository(uow.session)
            if result.good:
                codes.set_setting(PREFIX + "last_ok_at", m.created_at)
                codes.set_setting(PREFIX + "last_ok_file", str(result.path))
            else:
                codes.set_setting(PREFIX + "last_failure_at", self.ctx.clock.now().strftime(TIME_FORMAT))
                codes.set_setting(PREFIX + "last_failure", result.warnings[0])
            if automatic:
                codes.set_setting(PREFIX + "last_auto_day", self.ctx.clock.today().isoformat())
            uow.log_bulk("backups", {
                "file": str(result.path), "sha256": backup_archive.hash_file(result.path)[0],
                "size": result.path.stat().st_size, "made_by": m.made_by, "automatic": automatic,
                "database_sha256": m.database.sha256, "attachments": len(m.attachments),
                "audit_ok": m.checks.get("audit_ok"), "removed": [p.name for p in result.removed]})
            uow.commit()

    def _remember_failure(self, user: CurrentUser | None, text: str) -> None:
        try:
            with UnitOfWork(self.ctx.engine, self._actor(user), "备份失败", outbox=False) as uow:
                codes = CodeRepository(uow.session)
                codes.set_setting(PREFIX + "last_failure_at", self.ctx.clock.now().strftime(TIME_FORMAT))
                codes.set_setting(PREFIX + "last_failure", text[:500])
                uow.commit()
        except DomainError:
            pass  # the database itself is what failed: the message tells the user anyway

    # -- after a restore (in the restored database) ----------------------------------------
    def record_restore(self, username: str, display: str, office_code: str, source: Path,
                       manifest: Manifest, set_aside: Path | None) -> Changed:
        """Write into the restored database who restored it, from which backup, and where the
        replaced database was kept; from now on the office is told to sync before it registers."""
        with self._uow(None, "", write=False) as uow:
            found = UserRepository(uow.session).by_username(username)
            user_id = found.id if found is not None else None
            local = OfficeRepository(uow.session).local()
            office_code = office_code or (local.code if local is not None else "")
        now = self.ctx.clock.now().strftime(TIME_FORMAT)
        with UnitOfWork(self.ctx.engine, Actor(user_id, username, office_code), "从备份恢复",
                        reason=f"{display}从备份 {source.name} 恢复", outbox=False) as uow:
            codes = CodeRepository(uow.session)
            codes.set_setting(PREFIX + "restored_at", now)
            codes.set_setting(PREFIX + "restored_from", str(source))
            if codes.setting("sync.token"):
                codes.set_setting(AFTER_RESTORE_KEY, now)
            uow.log_bulk("backups", {
                "restored_from": str(source), "backup_created_at": manifest.created_at,
                "backup_made_by": manifest.made_by, "database_sha256": manifest.database.sha256,
                "attachments": len(manifest.attachments),
                "set_aside": str(set_aside) if set_aside else None, "restored_by": display})
            uow.commit()
        return Changed("backup", ())


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, TIME_FORMAT)
    except ValueError:
        return None

