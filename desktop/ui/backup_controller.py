"""Backups in the window: by hand, or automatically once a day, one at a time, off the UI thread;
and a restore, which ends with the window closing.

The automatic backup runs at the day's first start (a minute after the window opens, so that
logging in, the workbench and the first registration do not share the disk with it) and, for a window left open overnight, at the first hourly check
of a new day: at quitting the PC is often being shut down and the USB stick already pulled, and a
backup cut short there could not even say so. The copy made in the morning holds everything up to
the previous evening, which is what a backup at quitting would have held.

A backup runs on the pool (it reads the database through its own connection, so the database
worker stays free for the user's work); a restore runs on the database worker, after the window's
services are closed, so that no query of the window runs meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from desktop.services.dto import Changed
from desktop.ui.context import AppContext
from desktop.ui.errors import environment_message
from desktop.ui.ops import ProgressRelay, Task, TaskState

if TYPE_CHECKING:
    from desktop.services.backup import BackupResult
    from desktop.services.restore import CheckedBackup, Restored


def tr(text: str) -> str:
    return QCoreApplication.translate("backup", text)


@dataclass(frozen=True)
class BackupOutcome:
    automatic: bool
    result: BackupResult | None = None  # when it worked
    error: BaseException | None = None

    @property
    def message(self) -> str:
        if self.error is not None:
            return environment_message(self.error) or str(self.error)
        result = self.result
        assert result is not None
        size = result.manifest.database.size + sum(m.size for m in result.manifest.attachments)
        text = tr("已备份到 {path}（数据 {size:.1f} MB，用时 {secs:.1f} 秒）").format(
            path=result.path, size=size / 1024 / 1024, secs=result.seconds)
        for warning in result.warnings:
            text += "\n" + tr("注意：") + warning
        return text


def restored_message(result: tuple[Restored, str]) -> str:
    """What the window says once a restore is done, before it closes."""
    restored, reminder = result
    text = tr("已从备份 {file} 恢复。").format(file=restored.source.name)
    if restored.set_aside is not None:
        text += "\n" + tr("原来的数据库保留为：{path}").format(path=restored.set_aside)
    if reminder:
        text += "\n\n" + tr("重要：") + reminder
    return text + "\n\n" + tr("和解台现在关闭，请重新打开程序。")


class BackupController(QObject):
    sig_started = Signal(bool)  # automatic?
    sig_progressed = Signal(str, int, int)  # what, done, total
    sig_finished = Signal(object)  # BackupOutcome
    sig_restore_started = Signal()
    sig_restored = Signal(object)  # (Restored, the reminder to sync first)
    sig_restore_failed = Signal(object)  # the error

    FIRST_CHECK_MS = 60_000  # after the window opens
    CHECK_INTERVAL_MS = 60 * 60_000  # a window left open: is it a new day?

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._task: Task | None = None
        self._restoring = False
        self._stopped = False
        # What else keeps a restore from starting now (the window's sync round): a reason or "".
        self.busy_elsewhere: Callable[[], str] = lambda: ""
        self._progress = ProgressRelay(self)
        self._progress.shown.connect(self.sig_progressed)
        self._timer = QTimer(self, interval=self.CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check_automatic)
        self._first = QTimer(self, singleShot=True, interval=self.FIRST_CHECK_MS)
        self._first.timeout.connect(self.check_automatic)

    @property
    def running(self) -> bool:
        return self._task is not None or self._restoring

    def start_automatic(self) -> None:
        self._first.start()
        self._timer.start()

    def stop(self) -> None:
        """The window closes: no backup is started any more (one under way finishes)."""
        self._stopped = True
        self._first.stop()
        self._timer.stop()

    # -- backups -------------------------------------------------------------------------------
    def check_automatic(self) -> None:
        """Run the day's automatic backup if it is due (on, and none succeeded today)."""
        if self._stopped or self.running or self.ctx.ops.closed:
            return
        backups = self.ctx.services.backups
        self.ctx.ops.query(backups.automatic_due,
                           lambda due: self.run_now(automatic=True) if due else None, owner=self)

    def run_now(self, automatic: bool = False, folder: Path | None = None) -> Task | None:
        """A backup into `folder` (default: the chosen one). By hand it is the administrator's;
        the automatic one is the program's (the audit log says 自动备份数据库)."""
        if self.running or self.ctx.ops.closed or (automatic and self._stopped):
            return None
        backups, user = self.ctx.services.backups, self.ctx.user
        relay = self._progress

        def work(state: TaskState) -> BackupResult:
            def progress(what: str, done: int, total: int) -> None:
                relay.raw.emit(what, done, total)

            if automatic:
                return backups.make(None, automatic=True, progress=progress,
                                    made_by=tr("自动备份（{name}登录时）").format(name=user.display_name))
            return backups.make(user, folder=folder, progress=progress)

        self._task = self.ctx.ops.run(work, lambda result: self._done(automatic, result, None),
                                      on_error=lambda error: self._done(automatic, None, error),
                                      database=False)
        self.sig_started.emit(automatic)
        return self._task

    def _done(self, automatic: bool, result: BackupResult | None,
              error: BaseException | None) -> None:
        self._task = None
        if error is not None and environment_message(error) is None:
            self.ctx.ops.report(None, error)  # a bug: the crash dialog, as everywhere
        outcome = BackupOutcome(automatic, result, error)
        self.sig_finished.emit(outcome)
        self.ctx.ops.sig_changed.emit(Changed("backup", ()))

    # -- restore ---------------------------------------------------------------------------------
    def blocked(self) -> str:
        """Why a restore cannot start now ("" when it can)."""
        if self._task is not None:
            return tr("正在备份，请等备份完成后再恢复。")
        return self.busy_elsewhere()

    def restore(self, checked: CheckedBackup) -> Task:
        """Put a checked backup in place (ask `blocked()` first). The window's services are
        closed on the database worker; once it is done the window must close (sig_restored)."""
        if self.blocked():
            raise RuntimeError(self.blocked())
        from desktop import bootstrap

        self._restoring = True
        self.stop()
        self.sig_restore_started.emit()
        services, user = self.ctx.services, self.ctx.user

        def work(state: TaskState) -> tuple[Restored, str]:
            services.close()
            return bootstrap.restore(services.ctx.data_dir, checked, username=user.username,
                                     display=user.display_name, office_code=user.office_code,
                                     clock=services.ctx.clock)

        def failed(error: BaseException) -> None:
            # Nothing was replaced (the database in use, a full disk …): the window goes on.
            checked.discard()
            self._restoring = False
            self._stopped = False
            self.start_automatic()
            self.sig_restore_failed.emit(error)

        def done(result: tuple[Restored, str]) -> None:
            checked.discard()
            self.sig_restored.emit(result)

        return self.ctx.ops.run(work, done, on_error=failed, owner=self)
