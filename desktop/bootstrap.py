"""The composition root: opens the database and builds the services, once, at start-up.

Each service is built, and its module imported, the first time it is used (`services.sync` the
first time the sync page or the status bar asks): the login window needs only the setup and
reference services, and the rest (ReportLab for printing, openpyxl for exports, httpx and
pydantic for sync) would otherwise load before it shows. This module itself imports no
SQLAlchemy until `open_services` runs, so that the launcher can call `login_office` first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from desktop import paths
from desktop.db.migrate import open_database
from desktop.domain.errors import DomainError
from desktop.security import blobs, keys
from desktop.security.keys import DataKey, KeyFile

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
    from desktop.services.dto import CurrentUser
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
        blobs.clean_opened(self.ctx.data_dir)  # the plain copies of attachments opened to view


class Locked(DomainError):
    """The database is encrypted and this process holds no key to it: log in first."""


def _plain(database: Path) -> bool:
    from desktop.db.connection import WrongKey, connect

    try:
        connect(database, None, read_only=True).close()
    except WrongKey:
        return False
    return True


def data_key(data_dir: Path) -> DataKey | None:
    """The key to open `data_dir`'s database with, without asking anyone: the one this process
    opened at login (security/keys.remember), or the key of a database created but not yet set
    up, or a new key for a folder without a database; None for a plain file from before
    encryption. Locked when a password is needed."""
    found = keys.remembered(data_dir)
    if found is not None:
        return found
    finish_interrupted_encryption(data_dir)
    keyfile = KeyFile.read(data_dir)
    database = paths.database_path(data_dir)
    if keyfile is not None and keyfile.pending is not None:
        pending = keyfile.pending
        keys.remember(data_dir, pending)
        return pending
    if keyfile is None and not (database.exists() and database.stat().st_size > 0):
        key = keys.create_pending(data_dir)
        keys.remember(data_dir, key)
        return key
    if keyfile is None and _plain(database):
        return None  # a file from before encryption: opened as it is (see open_services)
    if keyfile is None:
        from desktop.db.migrate import DatabaseError

        raise DatabaseError(
            f"无法打开数据库文件 {database}：它不是未加密的和解台数据库，旁边也没有密钥文件 "
            f"{keys.KEYS_FILENAME}（加密的数据库须与它同在一个文件夹）。若刚从别处拷贝过来，"
            "请把密钥文件一并拷贝，或用「恢复备份」。")
    raise Locked("数据库已加密：请先用用户名和密码登录，或使用恢复密钥")


def open_services(data_dir: Path, clock: Clock | None = None, *, key: DataKey | None = None) -> Services:
    """Open (creating and migrating as needed) the database in `data_dir`, with `key` or the
    key `data_key` finds; the folder and its files are made readable by the owner only
    (paths.secure_data_dir)."""
    from desktop.services.base import Clock, Reference, ServiceContext

    paths.secure_data_dir(data_dir)  # before SQLite creates anything in it
    if key is None:
        key = data_key(data_dir)
    if key is not None:
        keys.remember(data_dir, key)
    database = paths.database_path(data_dir)
    engine, backup = open_database(database, paths.backup_dir(data_dir), key)
    if key is not None:
        encrypt_old_copies(data_dir, key)  # none left after the upgrade; one read per copy
        blobs.seal_plain_files(data_dir, key)  # once, after the upgrade (then marked done)
    blobs.clean_opened(data_dir)  # plain copies a crash or a viewer left at the last close
    paths.secure_data_dir(data_dir)  # a new database, its -wal/-shm, a migration's backup
    ctx = ServiceContext(engine=engine, clock=clock or Clock(), reference=Reference(engine),
                         data_dir=data_dir,
                         keyring=keys.KeyRing(data_dir, key) if key is not None else None)
    services = Services(ctx=ctx, database=database, backup=backup)
    if ctx.keyring is not None and services.setup.is_initialized():
        ctx.keyring.set_office(services.offices.local().name)  # for the next login window
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
        # The key file first: one without its database is replaced by the next build, while a
        # database without its key file would not open.
        key = keys.remembered(building)
        if keys.keys_path(building).exists():
            keys.keys_path(building).replace(keys.keys_path(data_dir))
        built.replace(database)  # the same folder tree: an atomic rename
        if key is not None:
            keys.remember(data_dir, key)  # opened next without asking for a password
    finally:
        keys.forget(building)
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


NEW_KEYS_SUFFIX = ".new"
UPGRADE_STOP_ENV = "HEJIE_TEST_ENCRYPT_STOP_AT"  # tests: the process dies at that step


def _upgrade_step(step: str) -> None:
    """Test hook: the process ends at `step` as in a power cut (no clean-up runs)."""
    import os

    if os.environ.get(UPGRADE_STOP_ENV) == step:
        os._exit(9)


def needs_encryption(data_dir: Path) -> bool:
    """A set-up database from before encryption: plain, and no key file beside it."""
    from desktop.db.encrypt import is_plain

    finish_interrupted_encryption(data_dir)
    database = paths.database_path(data_dir)
    return (database.exists() and database.stat().st_size > 0
            and not keys.keys_path(data_dir).exists() and is_plain(database))


def finish_interrupted_encryption(data_dir: Path) -> None:
    """What an encryption upgrade cut short left: before the swap (the database still plain) its
    partial files are removed and the upgrade starts over at the next login; after it (the
    database encrypted) its new key file is put in place. Either way the program opens."""
    import contextlib
    import os

    from desktop.db.encrypt import ENCRYPTING_SUFFIX, is_plain

    database = paths.database_path(data_dir)
    new_keys = keys.keys_path(data_dir).with_name(keys.KEYS_FILENAME + NEW_KEYS_SUFFIX)
    partial = database.with_name(database.name + ENCRYPTING_SUFFIX)
    if new_keys.exists() and database.exists():
        if is_plain(database):
            new_keys.unlink()
        else:
            os.replace(new_keys, keys.keys_path(data_dir))
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()


def encrypt_database(data_dir: Path, username: str, password: str,
                     office: str = "") -> DataKey:
    """Encrypt a plain database in place (the first start after the upgrade to encryption):
    a new data key, the file exported encrypted into a new file and checked, the key wrapped
    for this administrator (whose password the caller has checked), then the swap; then the
    plain pre-migration copies in backups/ are encrypted too. No program may have the file
    open. Each step can be cut short and the program still opens (finish_interrupted_...)."""
    import os

    from desktop.db.encrypt import ENCRYPTING_SUFFIX, export_encrypted, fold_wal

    finish_interrupted_encryption(data_dir)
    database = paths.database_path(data_dir)
    partial = database.with_name(database.name + ENCRYPTING_SUFFIX)
    new_keys = keys.keys_path(data_dir).with_name(keys.KEYS_FILENAME + NEW_KEYS_SUFFIX)
    fold_wal(database)  # no plain -wal may stay beside the encrypted file
    _upgrade_step("folded")
    key = DataKey.new()
    export_encrypted(database, partial, key)
    _upgrade_step("exported")
    keyfile = KeyFile(new_keys, {"format": keys.FORMAT, "users": {}, "office": office})
    keyfile.users[username] = keys.wrap(key, username, password)
    keyfile.write()
    _upgrade_step("keys-written")
    os.replace(partial, database)  # the plain file is gone with this rename
    paths.secure_data_dir(data_dir)
    _upgrade_step("swapped")
    os.replace(new_keys, keys.keys_path(data_dir))
    _upgrade_step("keys-in-place")
    keys.remember(data_dir, key)
    encrypt_old_copies(data_dir, key)
    blobs.seal_plain_files(data_dir, key)
    _upgrade_step("attachments-sealed")
    return key


def encrypt_and_login(services: Services, username: str, password: str,
                      clock: Clock | None = None) -> tuple[Services, CurrentUser]:
    """The first start after the upgrade to encryption: an administrator's login (checked on
    the plain database as always) encrypts the database, wrapped for that administrator; the
    plain services are closed and the encrypted ones returned, with the administrator logged
    in. The other users' wraps are made at their next login while the program is open, or by
    the administrator's 重置密码; set-up's recovery key comes next (first_recovery_key)."""
    from desktop.domain.errors import AuthenticationError
    from desktop.domain.workflow import Role

    user = services.users.login(username, password)
    if not user.has(Role.ADMIN):
        raise AuthenticationError("本次升级要把数据库加密，须由管理员登录一次；请管理员先登录")
    office = services.offices.local().name
    data_dir = services.ctx.data_dir
    services.close()
    key = encrypt_database(data_dir, user.username, password, office)
    encrypted = open_services(data_dir, clock=clock, key=key)
    try:
        return encrypted, encrypted.users.login(username, password)
    except BaseException:
        encrypted.close()
        raise


def encrypt_old_copies(data_dir: Path, key: DataKey) -> list[Path]:
    """The plain database copies in backups/ (taken before migrations, or set aside by a
    restore, before encryption) encrypted in place; run again at each start until none is left."""
    from desktop.db.encrypt import encrypt_copy

    folder = paths.backup_dir(data_dir)
    done = []
    if folder.is_dir():
        for copy in sorted(folder.glob("*.db")):
            if encrypt_copy(copy, key):
                done.append(copy)
            _upgrade_step("copy-encrypted")
    return done


def login_office(data_dir: Path) -> str | None:
    """The local office's name, from the key file beside the database, when the database is set
    up and encrypted: the login window shows it, and the password typed there opens the
    database (`unlock_and_login`). None otherwise (no database yet, one not set up, a plain
    file from before encryption): then the services are opened first, as `open_services`
    decides, for the first-start set-up."""
    path = paths.database_path(data_dir)
    try:
        if not path.exists() or path.stat().st_size == 0:
            return None
        finish_interrupted_encryption(data_dir)
        keyfile = KeyFile.read(data_dir)
    except (DomainError, OSError):
        return None
    if keyfile is None or not keyfile.set_up:
        return None
    return keyfile.office or "和解台"


def unlock_and_login(data_dir: Path, username: str, password: str,
                     clock: Clock | None = None) -> tuple[Services, CurrentUser]:
    """The first login of a start: the password opens the data key (security/keys.py), the key
    the database, and the user service then checks the account as at every login."""
    from desktop.services.base import Clock

    key = keys.unlock(data_dir, username, password, (clock or Clock()).now())
    services = open_services(data_dir, clock=clock, key=key)
    try:
        return services, services.users.login(username, password)
    except BaseException:
        services.close()
        raise


def unlock_with_recovery(data_dir: Path, code: str, clock: Clock | None = None) -> Services:
    """The recovery key opens the database (no one is logged in yet: the recovery dialog then
    has an administrator's password set, UserService.recover_admin)."""
    key = keys.unlock_with_recovery(data_dir, code)
    return open_services(data_dir, clock=clock, key=key)


def check_database(data_dir: Path, key: DataKey | None) -> DatabaseCheck:
    """hejie-admin check: the database file opened as it is and never migrated, for a check
    must never change what it checks."""
    from desktop.db.engine import make_engine
    from desktop.services.base import Clock, Reference, ServiceContext
    from desktop.services.check import CheckService  # only this command needs it

    database = paths.database_path(data_dir)
    if not database.exists():
        raise DomainError(f"数据库文件 {database} 不存在")
    engine = make_engine(database, key)
    try:
        ctx = ServiceContext(engine=engine, clock=Clock(), reference=Reference(engine),
                             data_dir=data_dir,
                             keyring=keys.KeyRing(data_dir, key) if key is not None else None)
        return CheckService(ctx).check()
    finally:
        engine.dispose()


def recount_tally(data_dir: Path, key: DataKey | None) -> None:
    """hejie-admin check --recount: every office's complaints counted into the ledger's tally
    again, on the database opened as the program opens it."""
    from desktop.services.check import CheckService  # only this command needs it

    services = open_services(data_dir, key=key)
    try:
        CheckService(services.ctx).recount()
    finally:
        services.close()
