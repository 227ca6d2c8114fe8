"""The composition root: opens the database and builds the services, once, at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError

from desktop import paths
from desktop.db.engine import make_engine
from desktop.db.migrate import open_database
from desktop.domain.errors import DomainError
from desktop.services.audit import AuditService
from desktop.services.base import Clock, Reference, ServiceContext
from desktop.services.complaints import ComplaintService
from desktop.services.disclosure import DisclosureService
from desktop.services.enterprises import EnterpriseService
from desktop.services.offices import OfficeService
from desktop.services.printing import PrintService
from desktop.services.records import RecordService
from desktop.services.reference import ReferenceService
from desktop.services.setup import SetupService
from desktop.services.sync import SyncService
from desktop.services.users import UserService

if TYPE_CHECKING:
    from desktop.services.check import DatabaseCheck


@dataclass
class Services:
    ctx: ServiceContext
    database: Path
    backup: Path | None  # the copy made before a migration, if one ran
    setup: SetupService
    offices: OfficeService
    users: UserService
    complaints: ComplaintService
    records: RecordService
    enterprises: EnterpriseService
    reference: ReferenceService
    audit: AuditService
    printing: PrintService
    disclosure: DisclosureService
    sync: SyncService

    def close(self) -> None:
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
    paths.secure_data_dir(data_dir)  # before SQLite creates anything in it
    database = paths.database_path(data_dir)
    engine, backup = open_database(database, paths.backup_dir(data_dir))
    paths.secure_data_dir(data_dir)  # a new database, its -wal/-shm, a migration's backup
    ctx = ServiceContext(engine=engine, clock=clock or Clock(), reference=Reference(engine),
                         data_dir=data_dir)
    # Services that need another get it here, never by building their own.
    audit, users, offices = AuditService(ctx), UserService(ctx), OfficeService(ctx)
    complaints, disclosure = ComplaintService(ctx), DisclosureService(ctx)
    services = Services(
        ctx=ctx,
        database=database,
        backup=backup,
        setup=SetupService(ctx, offices=offices, users=users),
        offices=offices,
        users=users,
        complaints=complaints,
        records=RecordService(ctx),
        enterprises=EnterpriseService(ctx),
        reference=ReferenceService(ctx, complaints=complaints),
        audit=audit,
        printing=PrintService(ctx, disclosure=disclosure),
        disclosure=disclosure,
        sync=SyncService(ctx, audit=audit, complaints=complaints),
    )
    # A program update may ship new values of a rule set: apply them (unless an administrator
    # edited that set) and recompute the open complaints' due dates, before anyone works.
    services.reference.apply_shipped_rule_sets()
    return services


def check_database(data_dir: Path) -> DatabaseCheck:
    """hejie-admin check: the database file opened as it is and never migrated, for a check
    must never change what it checks."""
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
