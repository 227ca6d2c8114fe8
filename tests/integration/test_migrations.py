"""Migrations: an older file upgrades with a backup and keeps its rows; newer or foreign files are refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop import paths
from desktop.bootstrap import open_services
from desktop.db.engine import make_engine
from desktop.db.migrate import DatabaseError, current_revision, head_revision, upgrade
from desktop.db.models import Base
from desktop.domain.complaint import ComplaintFilter
from tests.conftest import PASSWORD

OLD_ROWS = """
INSERT INTO offices (id, uuid, version, updated_at, code, name, kind, tier, parent_id, address, phone,
                     seal_text, active)
  VALUES (1, 'o-1', 1, '2025-01-01 00:00:00', 'GS', '姑苏分局', 'district', NULL, NULL, '', '', '', 1);
INSERT INTO users (id, uuid, version, updated_at, username, display_name, office_id, password_hash,
                   active, failed_logins)
  VALUES (1, 'u-1', 1, '2025-01-01 00:00:00', 'old', '老用户', 1, 'x', 1, 0);
INSERT INTO user_roles (user_id, role) VALUES (1, 'desk_staff');
INSERT INTO complaints (id, uuid, version, updated_at, number, channel_code, received_at,
    registered_by_id, office_id, complainant_name, complainant_phone, complainant_address,
    respondent_name, respondent_address, subject, category_code, brand_model, request_type, request,
    facts, status, rule_set_code)
  VALUES (1, 'c-1', 1, '2025-01-01 00:00:00', 'GS-20250101-0001', 'walkin', '2025-01-01 09:00:00', 1, 1,
    '王五', '13800000000', '', '苏州某商场', '', '羽绒服', 'clothing', '', 'refund', '要求退款',
    '羽绒服洗后严重掉绒', 'closed', 'samr-2020');
INSERT INTO app_settings (key, value) VALUES ('local_office_code', 'GS');
"""


def _old_file(data_dir: Path) -> Path:
    """A database as the first release (revision 0001) left it, with rows in it."""
    data_dir.mkdir(parents=True)
    database = paths.database_path(data_dir)
    engine = make_engine(database)
    upgrade(engine, "0001")
    engine.dispose()
    con = sqlite3.connect(database)
    con.executescript(OLD_ROWS)
    con.commit()
    con.close()
    return database


def test_older_file_is_backed_up_then_upgraded_and_rows_survive(tmp_path: Path) -> None:
    data_dir = tmp_path / "office"
    database = _old_file(data_dir)
    s = open_services(data_dir)
    try:
        assert current_revision(s.ctx.engine) == head_revision()
        assert s.backup is not None and s.backup.exists()
        # The backup is the old file, still at its old revision.
        old = sqlite3.connect(s.backup)
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT count(*) FROM complaints").fetchone() == (1,)
        old.close()
        # Rows survive and the new search index covers the old complaint.
        con = sqlite3.connect(database)
        assert con.execute("SELECT number, facts FROM complaints").fetchall() == [
            ("GS-20250101-0001", "羽绒服洗后严重掉绒")]
        # The complaints already there are tallied for the ledger's total (0019).
        assert con.execute("SELECT office_id, n FROM complaint_tally").fetchall() == [(1, 1)]
        con.close()
    finally:
        s.close()


def test_upgraded_rows_are_searchable_through_the_service(tmp_path: Path) -> None:
    data_dir = tmp_path / "office"
    _old_file(data_dir)
    s = open_services(data_dir)
    try:
        con = sqlite3.connect(paths.database_path(data_dir))
        # The old user gets a real password so we can log in as them.
        from argon2 import PasswordHasher

        con.execute("UPDATE users SET password_hash = ?", (PasswordHasher().hash(PASSWORD),))
        con.commit()
        con.close()
        user = s.users.login("old", PASSWORD)
        rows = s.complaints.page(user, ComplaintFilter(text="掉绒")).rows
        assert [r.number for r in rows] == ["GS-20250101-0001"]
        assert s.complaints.count(user, ComplaintFilter()) == 1  # from the tally
    finally:
        s.close()


def test_second_open_makes_no_new_backup(tmp_path: Path) -> None:
    data_dir = tmp_path / "office"
    _old_file(data_dir)
    open_services(data_dir).close()
    again = open_services(data_dir)
    assert again.backup is None
    again.close()
    assert len(list(paths.backup_dir(data_dir).iterdir())) == 1


def test_newer_file_is_refused_untouched(tmp_path: Path) -> None:
    data_dir = tmp_path / "office"
    database = _old_file(data_dir)
    con = sqlite3.connect(database)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = database.read_bytes()
    with pytest.raises(DatabaseError, match="更新版本"):
        open_services(data_dir)
    assert database.read_bytes() == before


def test_foreign_file_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "office"
    data_dir.mkdir()
    con = sqlite3.connect(paths.database_path(data_dir))
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    before = paths.database_path(data_dir).read_bytes()
    with pytest.raises(DatabaseError, match="不是和解台的数据库"):
        open_services(data_dir)
    assert paths.database_path(data_dir).read_bytes() == before  # not even switched to WAL
    assert not (data_dir / "hejie.db-wal").exists()


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "x.db")
    upgrade(engine)

    def ours(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
        return not (type_ == "table" and name.startswith("complaints_fts"))

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_two_programs_opening_an_old_file_at_once_both_succeed(tmp_path: Path) -> None:
    import threading

    data_dir = tmp_path / "office"
    _old_file(data_dir)
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            open_services(data_dir).close()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    engine = make_engine(paths.database_path(data_dir))
    assert current_revision(engine) == head_revision()
    engine.dispose()


# -- the backup before a migration, on a full disk ---------------------------------------------
_FULL_DISK = r"""
import json, resource, signal, sys
from pathlib import Path
from desktop.db.migrate import DatabaseError, open_database

database, backups, limit = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
# No file of this process may grow beyond `limit` bytes: a write past it fails with EFBIG,
# as on a full disk (the signal that would end the process instead is ignored).
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    engine, backup = open_database(database, backups)
except DatabaseError as exc:
    print(json.dumps({"refused": str(exc)}, ensure_ascii=False))
else:
    engine.dispose()
    print(json.dumps({"backup": str(backup)}))
"""


def _open_with_file_size_limit(database: Path, backups: Path, limit: int) -> dict[str, str]:
    import json
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-c", _FULL_DISK, str(database), str(backups), str(limit)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_backup_that_does_not_fit_on_the_disk_leaves_nothing_and_refuses_to_migrate(
        tmp_path: Path) -> None:
    resource = pytest.importorskip("resource", reason="RLIMIT_FSIZE needs a POSIX system")
    if not hasattr(resource, "RLIMIT_FSIZE"):
        pytest.skip("this system has no RLIMIT_FSIZE to stand in for a full disk")
    data_dir = tmp_path / "office"
    database = _old_file(data_dir)
    con = sqlite3.connect(database)  # a file of a few MB, so that its copy hits the limit
    con.execute("INSERT INTO app_settings (key, value) VALUES ('ballast', ?)", ("满" * 1_000_000,))
    con.commit()
    con.close()
    size = database.stat().st_size
    assert size > 2 * 1024 * 1024
    backups = paths.backup_dir(data_dir)

    outcome = _open_with_file_size_limit(database, backups, size // 2)
    message = outcome.get("refused", "")
    assert "备份没有做成" in message and "磁盘空间不足" in message and "没有升级" in message, outcome
    assert "腾出至少" in message
    # No file that looks like a backup, no partial file: the folder holds nothing.
    assert list(backups.iterdir()) == []
    # The database is at its old revision with its rows.
    con = sqlite3.connect(database)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert con.execute("SELECT number FROM complaints").fetchall() == [("GS-20250101-0001",)]
    assert con.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    con.close()

    # With room on the disk, the same file is backed up (a whole copy) and upgraded.
    outcome = _open_with_file_size_limit(database, backups, 64 * 1024 * 1024)
    backup = Path(outcome["backup"])
    assert [p.name for p in backups.iterdir()] == [backup.name] and backup.name.endswith(".db")
    old = sqlite3.connect(backup)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert old.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    old.close()
    engine = make_engine(database)
    assert current_revision(engine) == head_revision()
    engine.dispose()
