"""Backups and restores on real office databases: a backup taken while another connection writes
is one consistent moment, a restore brings back exactly what was backed up (rows, audit chain,
attachment bytes), a backup killed at any step leaves nothing that looks complete, and the
rotation keeps the right files."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop import backup_archive, paths
from desktop.backup_archive import BackupFileError
from desktop.bootstrap import open_services, restore
from desktop.db import snapshot
from desktop.domain.backups import BackupPolicy, backup_name, parse_name
from desktop.domain.errors import DomainError
from desktop.services.backup import STOP_ENV
from desktop.services.restore import check_backup
from tests.conftest import PASSWORD, World, draft
from tests.office_db import key_of

ROOT = Path(__file__).resolve().parents[2]


def _attach(world: World, tmp_path: Path, name: str, data: bytes) -> str:
    complaint = world.s.complaints.register(world.clerk, draft()).ids[0]
    source = tmp_path / name
    source.write_bytes(data)
    world.s.records.attach(world.clerk, complaint, source)
    return hashlib.sha256(data).hexdigest()


def test_a_backup_taken_while_another_connection_writes_is_one_consistent_moment(
        world: World, tmp_path: Path) -> None:
    for _ in range(20):
        world.s.complaints.register(world.clerk, draft())
    # Another program writing the same file: its own engine and connections.
    writer = open_services(world.s.ctx.data_dir, clock=world.clock)
    clerk = writer.users.login("clerk", "test1234")
    stop = threading.Event()
    commits: list[float] = []

    def keep_writing() -> None:
        while not stop.is_set():
            writer.complaints.register(clerk, draft(facts="备份期间登记的投诉，内容足够长以便写入。"))
            commits.append(time.monotonic())

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        while len(commits) < 5:  # the writer is under way before the backup starts
            time.sleep(0.01)
        before = len(commits) + 20
        stages: dict[str, float] = {}
        result = world.s.backups.make(world.admin, folder=tmp_path / "bk",
                                      progress=lambda what, d, t: stages.setdefault(what, time.monotonic()))
        ended = time.monotonic()
        while len(commits) < before + 10 and thread.is_alive():  # and it goes on after
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
        writer.close()
    during = [t for t in commits if stages["复制数据库"] <= t <= ended]
    assert during, "no write was committed while the backup ran"
    # The copy is the database at one moment: sound, its audit chain agrees with its rows, and
    # it holds every complaint committed before the backup began (a copy of hejie.db without
    # its write-ahead log would not).
    manifest = backup_archive.verify(result.path)
    assert manifest.checks["integrity"] == "ok" and manifest.checks["audit_ok"] is True
    assert result.good and manifest.office_code == "WZCQ"
    copied = manifest.counts["complaints"]
    assert before <= copied <= len(commits) + 20
    extracted = tmp_path / "copy.db"
    with zipfile.ZipFile(result.path) as archive:
        extracted.write_bytes(archive.read("hejie.db"))
    assert snapshot.integrity(extracted, key_of(world.s.ctx.data_dir)) == ["ok"]
    assert snapshot.counts(extracted, key_of(world.s.ctx.data_dir))["complaints"] == copied
    assert hashlib.sha256(extracted.read_bytes()).hexdigest() == manifest.database.sha256


def test_restore_brings_back_rows_audit_chain_and_attachment_bytes(world: World,
                                                                    tmp_path: Path) -> None:
    files = {f"发票{i}.pdf": os.urandom(50_000 + i) for i in range(3)}
    hashes = {name: _attach(world, tmp_path, name, data) for name, data in files.items()}
    result = world.s.backups.make(world.admin, folder=tmp_path / "bk")
    data_dir = world.s.ctx.data_dir
    at_backup = snapshot.counts(paths.database_path(data_dir), key_of(data_dir))
    # Work goes on after the backup; then an attachment file is lost and the database broken.
    for _ in range(4):
        world.s.complaints.register(world.clerk, draft())
    paths.attachment_path(data_dir, hashes["发票1.pdf"]).unlink()
    paths.attachment_path(data_dir, hashes["发票2.pdf"]).write_bytes(b"damaged")
    after_work = snapshot.counts(paths.database_path(data_dir), key_of(data_dir))
    assert after_work["complaints"] == at_backup["complaints"] + 4
    world.s.close()  # the window closes its own database before it restores

    checked = check_backup(result.path, data_dir, world.clock)
    restored, reminder = restore(data_dir, checked, username="admin", display="管理员",
                                 clock=world.clock)
    assert reminder == ""  # not enrolled with a district: nothing to sync
    assert restored.attachments_written == 2
    s = open_services(data_dir, clock=world.clock)
    try:
        now = snapshot.counts(paths.database_path(data_dir), key_of(data_dir))
        assert now["complaints"] == at_backup["complaints"]
        assert now["attachments"] == at_backup["attachments"] == 3
        report = s.audit.verify()
        assert report.ok, report.problems
        # The restore itself is in the restored log: who, from which file, where the old one
        # went. (The backup's own entry was written after the copy: it is in the kept database.)
        with s.ctx.engine.connect() as connection:
            entries = connection.exec_driver_sql(
                "SELECT username, action, reason, after FROM audit_log WHERE entity = 'backups'"
            ).fetchall()
        assert [e[1] for e in entries] == ["从备份恢复"]
        assert entries[0][0] == "admin" and result.path.name in entries[0][2]
        assert str(restored.set_aside) in entries[0][3]
        assert s.backups.status().restored_from == str(result.path)
    finally:
        s.close()
    for name, data in files.items():
        assert world.s.records.attachment_bytes(hashes[name]) == data
    # The database it replaced is kept whole, with the work done after the backup.
    assert restored.set_aside is not None and restored.set_aside.parent == paths.backup_dir(data_dir)
    assert snapshot.counts(restored.set_aside, key_of(data_dir))["complaints"] == after_work["complaints"]
    assert not list(paths.backup_dir(data_dir).glob("*.part"))


def test_a_backup_is_refused_for_restore_when_any_member_differs(world: World,
                                                                  tmp_path: Path) -> None:
    result = world.s.backups.make(world.admin, folder=tmp_path / "bk")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(result.path) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "hejie.db":
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.writestr(info, data)
    with pytest.raises(BackupFileError, match="校验值不符"):
        check_backup(bad, world.s.ctx.data_dir, world.clock)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(result.path.read_bytes()[: result.path.stat().st_size // 2])
    with pytest.raises(BackupFileError, match="不是完整的和解台备份"):
        check_backup(cut, world.s.ctx.data_dir, world.clock)
    assert not list(paths.backup_dir(world.s.ctx.data_dir).glob(".*part"))


def test_restore_is_refused_while_another_program_has_the_database_open(world: World,
                                                                        tmp_path: Path) -> None:
    result = world.s.backups.make(world.admin, folder=tmp_path / "bk")
    world.s.complaints.register(world.clerk, draft())  # world.s stays open: another program
    checked = check_backup(result.path, world.s.ctx.data_dir, world.clock)
    try:
        with pytest.raises(DomainError, match="正被其他程序使用"):
            restore(world.s.ctx.data_dir, checked, username="admin", display="管理员",
                    clock=world.clock)
    finally:
        checked.discard()
    assert world.s.complaints.register(world.clerk, draft()).ids  # untouched, still working


# -- kill -9 ---------------------------------------------------------------------------------

def _backup_process(data_dir: Path, folder: Path, stop_at: str) -> subprocess.Popen[str]:
    env = {**os.environ, STOP_ENV: stop_at, "PYTHONPATH": str(ROOT), "HEJIE_USER": "admin",
           "HEJIE_PASSWORD": PASSWORD}
    return subprocess.Popen(
        [sys.executable, "-m", "desktop.cli.main", "backup", "--to", str(folder),
         "--data-dir", str(data_dir)], env=env, stderr=subprocess.PIPE, text=True)


def _looks_complete(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir()
            if parse_name(p.name) is not None or p.suffix in (".zip", ".db")]


@pytest.mark.parametrize("step", ["copied", "checked", "writing", "written"])
def test_a_backup_killed_at_any_step_leaves_nothing_that_looks_complete(
        world: World, tmp_path: Path, step: str) -> None:
    _attach(world, tmp_path, "照片.jpg", os.urandom(300_000))
    _attach(world, tmp_path, "录音.amr", os.urandom(200_000))
    folder = tmp_path / "usb"
    process = _backup_process(world.s.ctx.data_dir, folder, step)
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 60
        for line in process.stderr:
            if line.strip() == f"HEJIE-BACKUP-STEP {step}":
                break
            assert time.monotonic() < deadline
        else:
            pytest.fail(f"the backup ended before {step}: exit {process.wait()}")
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    left = sorted(p.name for p in folder.iterdir())
    assert left and all(name.endswith(".part") for name in left), left
    assert _looks_complete(folder) == []
    # The next backup removes what the killed one left, and works.
    result = world.s.backups.make(world.admin, folder=folder)
    assert sorted(p.name for p in folder.iterdir()) == [result.path.name]
    assert len(backup_archive.verify(result.path).attachments) == 2


def test_a_failed_backup_leaves_nothing_and_is_remembered(world: World, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    with pytest.raises(DomainError, match="备份没有做成"):
        world.s.backups.make(world.admin, folder=blocked / "sub")
    status = world.s.backups.status()
    assert "备份没有做成" in status.last_failure and status.last_ok_at is None
    assert "还没有做过备份" in status.warning


# -- rotation --------------------------------------------------------------------------------

def _daily_backups(first: datetime, last: datetime) -> list[datetime]:
    stamps, day = [], first
    while day <= last:
        stamps.append(day)
        day += timedelta(days=1)
    return stamps


def test_the_rotation_keeps_seven_days_four_weeks_twelve_months(world: World,
                                                                tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    folder.mkdir()
    stamps = _daily_backups(datetime(2025, 9, 1, 10), datetime(2026, 11, 19, 10))
    stamps += [datetime(2026, 11, 20, 8), datetime(2026, 11, 20, 17)]
    for stamp in stamps:
        (folder / backup_name(stamp, automatic=True)).write_bytes(b"")
    by_hand = folder / backup_name(datetime(2025, 1, 1, 9), automatic=False)
    by_hand.write_bytes(b"")
    (folder / "说明.txt").write_text("其他文件")
    world.s.backups.rotate(folder, BackupPolicy())
    kept = sorted(p.name for p in folder.iterdir())
    # 2026-11-20 is a Friday: its ISO week began on Monday 16 November.
    expected = [backup_name(datetime(*d), automatic=True) for d in [
        (2026, 11, 20, 17),  # today's newest: day, week and month
        (2026, 11, 19, 10), (2026, 11, 18, 10), (2026, 11, 17, 10), (2026, 11, 16, 10),
        (2026, 11, 15, 10), (2026, 11, 14, 10),  # the seven days with backups
        (2026, 11, 8, 10), (2026, 11, 1, 10),  # the newest of the two weeks before (Sundays)
        (2026, 10, 31, 10), (2026, 9, 30, 10), (2026, 8, 31, 10), (2026, 7, 31, 10),
        (2026, 6, 30, 10), (2026, 5, 31, 10), (2026, 4, 30, 10), (2026, 3, 31, 10),
        (2026, 2, 28, 10), (2026, 1, 31, 10), (2025, 12, 31, 10),  # months: 12 with November
    ]]
    assert kept == sorted([*expected, by_hand.name, "说明.txt"])
    # Fewer kept when the administrator says so; made by hand is never removed.
    world.s.backups.rotate(folder, BackupPolicy(keep_daily=2, keep_weekly=0, keep_monthly=0))
    assert sorted(p.name for p in folder.iterdir()) == sorted([
        backup_name(datetime(2026, 11, 20, 17), True), backup_name(datetime(2026, 11, 19, 10), True),
        by_hand.name, "说明.txt"])


def test_the_automatic_backup_rotates_once_it_succeeded(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    world.s.backups.set_policy(world.admin, BackupPolicy(folder=str(folder), keep_daily=2,
                                                         keep_weekly=0, keep_monthly=0))
    folder.mkdir()
    old = [folder / backup_name(datetime(2026, 11, d, 9), True) for d in (15, 16, 17)]
    for path in old:
        path.write_bytes(b"")
    assert world.s.backups.automatic_due()
    result = world.s.backups.make(None, automatic=True, made_by="自动备份")
    assert result.path.parent == folder and parse_name(result.path.name).automatic  # type: ignore[union-attr]
    assert sorted(result.removed) == old[:2]
    assert sorted(p.name for p in folder.iterdir()) == sorted([old[2].name, result.path.name])
    assert not world.s.backups.automatic_due()  # one a day
    status = world.s.backups.status()
    assert status.last_ok_at == world.clock.now() and status.warning == ""
    world.clock.at += timedelta(days=8)
    assert world.s.backups.automatic_due()
    assert "8 天前" in world.s.backups.status().warning


def test_backup_settings_are_checked_and_audited(world: World, tmp_path: Path) -> None:
    from desktop.domain.errors import FieldError, PermissionDenied

    with pytest.raises(PermissionDenied):
        world.s.backups.set_policy(world.clerk, BackupPolicy(folder=str(tmp_path)))
    with pytest.raises(FieldError) as refused:
        world.s.backups.set_policy(world.admin, BackupPolicy(keep_daily=0))
    assert refused.value.field == "保留每日备份"
    with pytest.raises(FieldError):
        world.s.backups.set_policy(world.admin, BackupPolicy(folder="相对路径"))
    world.s.backups.set_policy(world.admin, BackupPolicy(folder=str(tmp_path), warn_days=3,
                                                         automatic=False))
    assert world.s.backups.policy() == BackupPolicy(folder=str(tmp_path), warn_days=3,
                                                    automatic=False)
    assert not world.s.backups.automatic_due()
    with world.s.ctx.engine.connect() as connection:
        actions = connection.exec_driver_sql(
            "SELECT DISTINCT action, username FROM audit_log WHERE entity = 'app_settings'"
            " AND after LIKE '%backup.%'").fetchall()
    assert [tuple(a) for a in actions] == [("修改备份设置", "admin")]
