"""The composition root: opens the database and builds the services, once, at start-up.

Each service is built, and its module imported, the first time it is used (`services.sync` the
first time the sync page or the status bar asks): the login window needs only the setup and
reference services, and the rest (ReportLab for printing, openpyxl for exports, httpx and
pydantic for sync) would otherwise load before it shows. This module itself imports no
SQLAlchemy until `open_services` runs, so that the launcher can call `login_office` first.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from desktop import paths
from desktop.db.migrate import newest_revision, open_database, read_only_state

if TYPE_CHECKING:
    from desktop.demo.generate import DemoSummary
    from desktop.services.aftercare import AftercareService
    from desktop.services.audit import AuditService
    from desktop.services.backup import BackupService
    from desktop.services.base import Clock, ServiceContext
    from desktop.services.check import DatabaseCheck
    from desktop.services.complaints import ComplaintService
    from desktop.services.credit_lists import CreditListService
    from desktop.services.disclosure import DisclosureService
    from desktop.services.enterprises import EnterpriseService
    from desktop.services.history_import import HistoryImportService
    from desktop.services.ledger_export import LedgerExportService
    from desktop.services.national_classes import NationalClassService
    from desktop.services.offices import OfficeService
    from desktop.services.personal_data import PersonalDataService
    from desktop.services.printing import PrintService
    from desktop.services.records import RecordService
    from desktop.services.reference import ReferenceService
    from desktop.services.restore import CheckedBackup, Restored
    from desktop.services.setup import SetupService
    from desktop.services.statistics import StatisticsService
    from desktop.services.statistics_reports import StatisticsReportService
    from desktop.services.sync import SyncService
    from desktop.services.users import UserService

T = TypeVar("T")


class _Built(Generic[T]):
    """A service of `Services`: built by its function on first use, once (a lock keeps two
    threads from building it twice), then an ordinary attribute of the instance."""

    def __init__(self, build: Callable[[Services], T]) -> None:
        self.build = build
        self.name = build.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, services: None, owner: Any = None) -> _Built[T]: ...
    @overload
    def __get__(self, services: Services, owner: Any = None) -> T: ...

    def __get__(self, services: Services | None, owner: Any = None) -> T | _Built[T]:
        if services is None:
            return self
        with services._building:
            made = services.__dict__.get(self.name)
            if made is None:
                made = services.__dict__[self.name] = self.build(services)
        return made


class Services:
    def __init__(self, ctx: ServiceContext, database: Path, backup: Path | None) -> None:
        self.ctx = ctx
        self.database = database
        self.backup = backup  # the copy made before a migration, if one ran
        self._building = threading.RLock()  # re-entrant: a service may build the ones it uses

    @_Built
    def setup(self) -> SetupService:
        from desktop.services.setup import SetupService

        return SetupService(self.ctx, offices=self.offices, users=self.users)

    @_Built
    def offices(self) -> OfficeService:
        from desktop.services.offices import OfficeService

        return OfficeService(self.ctx)

    @_Built
    def users(self) -> UserService:
        from desktop.services.users import UserService

        return UserService(self.ctx)

    @_Built
    def complaints(self) -> ComplaintService:
        from desktop.services.complaints import ComplaintService

        return ComplaintService(self.ctx)

    @_Built
    def records(self) -> RecordService:
        from desktop.services.records import RecordService

        return RecordService(self.ctx)

    @_Built
    def aftercare(self) -> AftercareService:
        from desktop.services.aftercare import AftercareService

        return AftercareService(self.ctx, complaints=self.complaints)

    @_Built
    def national_classes(self) -> NationalClassService:
        from desktop.services.national_classes import NationalClassService

        return NationalClassService(self.ctx)

    @_Built
    def statistics(self) -> StatisticsService:
        from desktop.services.statistics import StatisticsService

        return StatisticsService(self.ctx, complaints=self.complaints)

    @_Built
    def statistics_reports(self) -> StatisticsReportService:
        from desktop.services.statistics_reports import StatisticsReportService

        return StatisticsReportService(self.ctx, statistics=self.statistics, printing=self.printing)

    @_Built
    def enterprises(self) -> EnterpriseService:
        from desktop.services.enterprises import EnterpriseService

        return EnterpriseService(self.ctx)

    @_Built
    def credit_lists(self) -> CreditListService:
        from desktop.services.credit_lists import CreditListService

        return CreditListService(self.ctx)

    @_Built
    def history_import(self) -> HistoryImportService:
        from desktop.services.history_import import HistoryImportService

        return HistoryImportService(self.ctx)

    @_Built
    def ledger_export(self) -> LedgerExportService:
        from desktop.services.ledger_export import LedgerExportService

        return LedgerExportService(self.ctx)

    @_Built
    def personal_data(self) -> PersonalDataService:
        from desktop.services.personal_data import PersonalDataService

        return PersonalDataService(self.ctx)

    @_Built
    def reference(self) -> ReferenceService:
        from desktop.services.reference import ReferenceService

        return ReferenceService(self.ctx, complaints=self.complaints)

    @_Built
    def audit(self) -> AuditService:
        from desktop.services.audit import AuditService

        return AuditService(self.ctx)

    @_Built
    def backups(self) -> BackupService:
        from desktop.services.backup import BackupService

        return BackupService(self.ctx)

    @_Built
    def printing(self) -> PrintService:
        from desktop.services.printing import PrintService

        return PrintService(self.ctx, disclosure=self.disclosure)

    @_Built
    def disclosure(self) -> DisclosureService:
        from desktop.services.disclosure import DisclosureService

        return DisclosureService(self.ctx)

    @_Built
    def sync(self) -> SyncService:
        from desktop.services.sync import SyncService

        return SyncService(self.ctx, audit=self.audit, complaints=self.complaints)

    def close(self) -> None:
        from sqlalchemy.exc import OperationalError

        # Keep the planner's statistics fresh (SQLite's advice for long-lived connections):
        # without them a phone-prefix search on 200,000 rows picked a slow index (262 ms vs 8 ms).
        try:
            with self.ctx.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA optimize")
                connection.commit()  # the engine opens a transaction on every connection
        except OperationalError:
            pass  # a read-only or busy file: statistics can wait for the next close; closing cannot
        self.ctx.engine.dispose()


def open_services(data_dir: Path, clock: Clock | None = None) -> Services:
    """Open (creating and migrating as needed) the database in `data_dir`; the folder and
    its files are made readable by the owner only (paths.secure_data_dir)."""
    from desktop.services.base import Clock, Reference, ServiceContext

    paths.secure_data_dir(data_dir)  # before SQLite creates anything in it
    database = paths.database_path(data_dir)
    engine, backup = open_database(database, paths.backup_dir(data_dir))
    paths.secure_data_dir(data_dir)  # a new database, its -wal/-shm, a migration's backup
    ctx = ServiceContext(engine=engine, clock=clock or Clock(), reference=Reference(engine),
                         data_dir=data_dir)
    services = Services(ctx=ctx, database=database, backup=backup)
    # A program update may ship new values of a rule set: apply them (unless an administrator
    # edited that set) and recompute the open complaints' due dates, before anyone works.
    services.reference.install_new_code_tables()
    services.national_classes.install_mapping()  # the categories' 12315 classes, once
    services.reference.apply_shipped_rule_sets()
    # The sync service, when built, puts back to `pending` what a program killed while sending
    # left `sending`: build it now when there is such an operation (otherwise on first use).
    with engine.connect() as connection:
        if connection.exec_driver_sql(
                "SELECT 1 FROM sync_outbox WHERE status = 'sending' LIMIT 1").first() is not None:
            _ = services.sync
    return services


DEMO_BUILDING = ".demo-building"  # the demo database while it is built (in the demo data folder)
DEMO_INTERRUPTED = "上次生成演示库时被中断，未完成的演示库已删除，现在重新生成。"


def demo_to_build(data_dir: Path) -> str | None:
    """None when the demo database of `data_dir` is there; else what the window says while
    open_demo builds it: "" for a first build, DEMO_INTERRUPTED when an earlier build was
    stopped half-way (program killed, PC switched off: its folder is left)."""
    if paths.database_path(data_dir).exists():
        return None
    return DEMO_INTERRUPTED if (data_dir / DEMO_BUILDING).exists() else ""


def open_demo(data_dir: Path, steps: Callable[[str, int, int], None] | None = None,
              clock: Clock | None = None) -> Services:
    """The demo database of `data_dir`, built first when there is none (about a minute;
    build_demo_database), then opened."""
    build_demo_database(data_dir, steps, clock)
    return open_services(data_dir, clock=clock)


def build_demo_database(data_dir: Path, steps: Callable[[str, int, int], None] | None = None,
                        clock: Clock | None = None, **options: Any) -> DemoSummary | None:
    """Build the demo database of `data_dir` when there is none (`options`: build_demo's
    complaints and seed); None when there is one.

    It is built in the folder DEMO_BUILDING and moved to its place only when complete, so a
    build that is cancelled (steps raising, e.g. Cancelled, or Ctrl+C) or killed never leaves a
    demo database that looks usable: a cancelled build removes its folder, a killed one leaves
    it, and the next start removes it (demo_to_build tells the window to say so) and builds anew.
    """
    import shutil

    from desktop.demo.generate import build_demo

    building = data_dir / DEMO_BUILDING
    if building.exists():
        shutil.rmtree(building)
    database = paths.database_path(data_dir)
    if database.exists():
        return None
    if steps is not None:
        steps("建立数据库", 0, 0)
    paths.secure_data_dir(data_dir)
    try:
        fresh = open_services(building, clock=clock)
        try:
            summary = build_demo(fresh, steps=steps, **options)
            with fresh.ctx.engine.connect() as connection:  # all of it in the main file
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            fresh.ctx.engine.dispose()
        built = paths.database_path(building)
        for suffix in ("-wal", "-shm"):  # empty after the checkpoint and the last close
            built.with_name(built.name + suffix).unlink(missing_ok=True)
        built.replace(database)  # the same folder tree: an atomic rename
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return summary


def restore(data_dir: Path, checked: CheckedBackup, *, username: str, display: str,
            office_code: str = "", clock: Clock | None = None,
            progress: Callable[[str, int, int], None] | None = None) -> tuple[Restored, str]:
    """Put a checked backup in place of this PC's database (services/restore.py; the window
    closes its own services first), then open the restored database (a backup of an older
    version is migrated, copied first as always) and write the restore into its audit log.
    Returns what was done and, for an office enrolled with the district, the reminder to sync
    before registering ("" otherwise)."""
    from desktop.services.base import Clock
    from desktop.services.restore import put_in_place

    restored = put_in_place(data_dir, checked, clock or Clock(), progress)
    services = open_services(data_dir, clock=clock)
    try:
        services.backups.record_restore(username, display, office_code, restored.source,
                                       restored.manifest, restored.set_aside)
        reminder = services.backups.status().sync_first
    finally:
        services.close()
    return restored, reminder


LOCAL_OFFICE_KEY = "local_office_code"  # services.offices.LOCAL_OFFICE_KEY (a test says so)


def login_office(data_dir: Path) -> str | None:
    """The local office's name, read with plain sqlite3 and without changing a byte, when the
    database in `data_dir` is set up and needs no migration: what the login window shows. None
    otherwise (no file yet, a migration pending, not set up, not readable): then the services
    are opened first, as `open_services` decides. Lets the launcher show the login window while
    SQLAlchemy and the services load on the database worker."""
    path = paths.database_path(data_dir)
    try:
        if not path.exists() or path.stat().st_size == 0:
            return None
        revision, _tables = read_only_state(path)
        if revision != newest_revision():
            return None
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = con.execute(
                "SELECT offices.name FROM app_settings JOIN offices ON offices.code = app_settings.value"
                " WHERE app_settings.key = ?", (LOCAL_OFFICE_KEY,)).fetchone()
        finally:
            con.close()
    except (sqlite3.Error, OSError):
        return None
    return row[0] if row else None


def check_database(data_dir: Path) -> DatabaseCheck:
    """hejie-admin check: the database file opened as it is and never migrated, for a check
    must never change what it checks."""
    from desktop.db.engine import make_engine
    from desktop.domain.errors import DomainError
    from desktop.services.base import Clock, Reference, ServiceContext
    from desktop.services.check import CheckService  # only this command needs it

    database = paths.database_path(data_dir)
    if not database.exists():
        raise DomainError(f"数据库文件 {database} 不存在")
    engine = make_engine(database)
    try:
        ctx = ServiceContext(engine=engine, clock=Clock(), reference=Reference(engine),
                             data_dir=data_dir)
        return CheckService(ctx).check()
    finally:
        engine.dispose()
