"""The data folder and what the program writes in it are readable by the owner only on a
per-user install, by the office's group only on a shared per-machine install (POSIX)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from desktop import paths
from desktop.bootstrap import open_services
from desktop.db.migrate import backup_file
from desktop.security import keys
from desktop.services.base import FixedClock
from desktop.ui.errors import ErrorReporter
from tests.conftest import NOW

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _crash_report(data_dir: Path) -> Path:
    try:
        raise RuntimeError("bug")
    except RuntimeError as exc:
        path = ErrorReporter(paths.logs_dir(data_dir)).save_report(exc)
    assert path is not None
    return path


def _files(data_dir: Path) -> list[Path]:
    database = paths.database_path(data_dir)
    found = [database.with_name(database.name + s) for s in ("", "-wal", "-shm")]
    return [p for p in found if p.exists()]


def test_per_user_install_is_the_owners_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    s = open_services(data_dir, clock=FixedClock(NOW))
    try:
        assert _mode(data_dir) == 0o700
        files = _files(data_dir)
        assert len(files) == 3  # the database with its -wal and -shm, open in WAL mode
        assert all(_mode(p) == 0o600 for p in files), [oct(_mode(p)) for p in files]
        report = _crash_report(data_dir)
        assert _mode(report) == 0o600 and _mode(report.parent) == 0o700
    finally:
        s.close()


def test_files_left_readable_by_an_older_version_are_closed_at_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    open_services(data_dir, clock=FixedClock(NOW)).close()
    backup = backup_file(paths.database_path(data_dir), paths.backup_dir(data_dir), "test",
                         keys.remembered(data_dir))
    for path in (data_dir, paths.backup_dir(data_dir)):
        path.chmod(0o755)
    for path in (paths.database_path(data_dir), backup, keys.keys_path(data_dir)):
        path.chmod(0o644)
    open_services(data_dir, clock=FixedClock(NOW)).close()
    assert _mode(data_dir) == 0o700 and _mode(paths.backup_dir(data_dir)) == 0o700
    assert _mode(paths.database_path(data_dir)) == 0o600 and _mode(backup) == 0o600
    assert _mode(keys.keys_path(data_dir)) == 0o600


def test_shared_install_is_the_groups_only(tmp_path: Path) -> None:
    """The installer made the data folder the office group's, with the setgid bit."""
    data_dir = tmp_path / "shared"
    data_dir.mkdir()
    data_dir.chmod(0o2775)
    s = open_services(data_dir, clock=FixedClock(NOW))
    try:
        assert _mode(data_dir) == 0o2770
        files = _files(data_dir)
        assert files and all(_mode(p) == 0o660 for p in files), [oct(_mode(p)) for p in files]
        assert all(p.stat().st_gid == data_dir.stat().st_gid for p in files)
        report = _crash_report(data_dir)
        assert _mode(report) == 0o660 and _mode(report.parent) == 0o2770
    finally:
        s.close()
