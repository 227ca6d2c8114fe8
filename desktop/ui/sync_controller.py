"""Sync rounds with the district, by hand or on a timer, one at a time, off the UI thread.

The window owns one controller: the 同步 settings tab asks it for a round, the status bar
shows what it reports, and after every round it broadcasts a `Changed("sync")` so that lists
and complaint windows refresh. The service itself refuses a second round too; the controller
only avoids asking for one.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from desktop.services.dto import Changed
from desktop.services.sync_info import SyncReport, SyncSettings, SyncStatus
from desktop.sync.client import LocalCode, SyncError
from desktop.sync.protocol import ErrorCode
from desktop.ui.context import AppContext
from desktop.ui.errors import environment_message
from desktop.ui.ops import ProgressRelay, Task, TaskState

WARNING = "#b3261e"


def tr(text: str) -> str:
    return QCoreApplication.translate("sync", text)


@dataclass(frozen=True)
class RoundOutcome:
    """How a round ended, as the views show it."""

    manual: bool
    report: SyncReport | None = None  # None when it failed
    error: BaseException | None = None
    cancelled: bool = False

    @property
    def message(self) -> str:
        if self.error is not None:
            return environment_message(self.error) or str(self.error)
        assert self.report is not None
        return self.report.summary()  # says 已取消 when the round was cut short


class SyncController(QObject):
    sig_settings_changed = Signal(object)  # SyncSettings
    sig_status_changed = Signal(object)  # SyncStatus
    sig_started = Signal(bool)  # manual?
    sig_progressed = Signal(str, int, int)  # what, done, total
    sig_finished = Signal(object)  # RoundOutcome
    sig_online_changed = Signal(object)  # True / False / None (not known yet)

    FIRST_ROUND_DELAY_MS = 5000  # after the window opens: what the district sent meanwhile
    # The hub refused this program's protocol version: automatic rounds only this often until
    # the program is restarted (updated), instead of asking every few minutes in vain.
    OUTDATED_INTERVAL_MS = 60 * 60_000
    STATUS_DELAY_MS = 400  # local changes come in bursts; one status read after them

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings: SyncSettings | None = None
        self.status: SyncStatus | None = None
        self.online: bool | None = None
        self.last_outcome: RoundOutcome | None = None
        self._task: Task | None = None
        self._automatic = False
        self._stopped = False
        self.outdated = False  # the hub refused this program's protocol version
        self._progress = ProgressRelay(self)
        self._progress.shown.connect(self.sig_progressed)
        self._timer = QTimer(self)
        self._timer.timeout.connect(lambda: self.run_now(manual=False))
        self._first = QTimer(self, singleShot=True)
        self._first.timeout.connect(lambda: self.run_now(manual=False))
        self._status_timer = QTimer(self, singleShot=True, interval=self.STATUS_DELAY_MS)
        self._status_timer.timeout.connect(self.refresh_status)
        ctx.ops.sig_changed.connect(self._on_changed)

    # -- settings and status ---------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._task is not None

    @property
    def status_pending(self) -> bool:
        """A status read waits for a burst of changes to end."""
        return self._status_timer.isActive()

    @property
    def automatic_interval(self) -> int:
        """Milliseconds between automatic rounds; 0 when they are off."""
        return self._timer.interval() if self._timer.isActive() else 0

    def start_automatic(self) -> None:
        """The window's timer: rounds every `interval_minutes` once enrolled (and one soon
        after the start). Without this, rounds run only when asked for."""
        self._automatic = True
        self.reload_settings(first_round=True)

    def stop_automatic(self) -> None:
        self._automatic = False
        self._timer.stop()
        self._first.stop()

    def stop(self) -> None:
        """The window is closing: no more rounds or status reads are started."""
        self.stop_automatic()
        self._stopped = True
        self._status_timer.stop()

    def reload_settings(self, first_round: bool = False) -> None:
        """Read the settings again (after 登记 or 保存); the timer follows the interval."""
        if self.ctx.ops.closed:
            return
        sync = self.ctx.services.sync

        def read() -> tuple[SyncSettings, SyncStatus]:
            return sync.settings(), sync.status()

        self.ctx.ops.query(read, lambda result: self._settings_read(result, first_round), owner=self)

    def _settings_read(self, result: tuple[SyncSettings, SyncStatus], first_round: bool) -> None:
        settings, status = result
        self.settings = settings
        self._apply_timer(first_round)
        self.sig_settings_changed.emit(settings)
        self._status_read(status)

    def _apply_timer(self, first_round: bool) -> None:
        settings = self.settings
        if not self._automatic or settings is None or not settings.enrolled \
                or settings.interval_minutes <= 0:
            self._timer.stop()
            self._first.stop()
            return
        interval = settings.interval_minutes * 60_000
        if self.outdated:
            interval = max(interval, self.OUTDATED_INTERVAL_MS)
            first_round = False
        if not self._timer.isActive() or self._timer.interval() != interval:
            self._timer.start(interval)
        if first_round and not self.running:
            self._first.start(self.FIRST_ROUND_DELAY_MS)

    def refresh_status(self) -> None:
        self._status_timer.stop()
        if self._stopped or self.ctx.ops.closed:
            return
        self.ctx.ops.query(self.ctx.services.sync.status, self._status_read, owner=self)

    def _status_read(self, status: SyncStatus) -> None:
        self.status = status
        if not status.enrolled:
            self._set_online(None)
        self.sig_status_changed.emit(status)

    def _set_online(self, online: bool | None) -> None:
        if online != self.online:
            self.online = online
            self.sig_online_changed.emit(online)

    def _on_changed(self, _changed: Changed) -> None:
        # Every local change may queue operations for the district, and a round or a resolved
        # conflict moves the counts: one status read after a burst of them.
        if not self._stopped:
            self._status_timer.start()

    # -- a round -----------------------------------------------------------------------------
    def run_now(self, manual: bool = True) -> Task | None:
        """Start a round unless one is under way (then None). Automatic rounds skip an office
        that is not enrolled without a word."""
        if self._task is not None or self._stopped or self.ctx.ops.closed:
            return None
        if not manual and (self.settings is None or not self.settings.enrolled):
            return None
        self._first.stop()
        sync, relay = self.ctx.services.sync, self._progress

        def work(state: TaskState) -> SyncReport:
            def progress(what: str, done: int, total: int) -> None:
                relay.raw.emit(what, int(done), int(total))

            return sync.run(progress=progress, cancel=lambda: state.cancelled)

        task = self.ctx.ops.run(work, lambda report: self._done(task, manual, report), owner=self,
                                on_error=lambda error: self._failed(task, manual, error),
                                database=False)
        self._task = task
        self.sig_started.emit(manual)
        return task

    def cancel(self) -> None:
        """取消: the service stops after the batch or page it is sending or receiving."""
        if self._task is not None:
            self._task.cancel()

    def _done(self, task: Task, manual: bool, report: SyncReport) -> None:
        self._task = None
        self._set_online(True)
        if self.outdated:  # the hub accepts this program again (the hub was updated)
            self.outdated = False
            self._apply_timer(first_round=False)
        outcome = RoundOutcome(manual, report, cancelled=task.state.cancelled)
        self._finish(outcome, pulled=bool(report.pulled or report.dispatched))

    def _failed(self, task: Task, manual: bool, error: BaseException) -> None:
        self._task = None
        code = getattr(error, "code", None)
        if isinstance(error, SyncError):
            if code == LocalCode.NETWORK:
                self._set_online(False)
            elif code == ErrorCode.SESSION_BUSY and not manual:
                return  # a round started elsewhere (the command line): nothing to tell
            elif code == ErrorCode.PROTOCOL:
                self._set_online(True)  # reachable: it is the version, not the network
                if not self.outdated:
                    self.outdated = True
                    self._apply_timer(first_round=False)
        elif environment_message(error) is None:
            self.ctx.ops.report(None, error)  # a bug: the crash report
        self._finish(RoundOutcome(manual, error=error), pulled=False)

    def _finish(self, outcome: RoundOutcome, pulled: bool) -> None:
        self.last_outcome = outcome
        self.sig_finished.emit(outcome)
        # Lists and complaint windows refresh: states moved, and pulled records may have
        # changed rows or added complaints (created=True makes the lists start over).
        self.ctx.ops.sig_changed.emit(Changed("sync", (), created=pulled))
        self.refresh_status()  # now, not after the pause that gathers local changes


def describe_status(status: SyncStatus | None, online: bool | None) -> tuple[str, str]:
    """The status bar's rich text and its tooltip."""
    if status is None:
        return "", ""
    if not status.enrolled:
        return tr("同步：未登记"), tr("本机尚未登记到区局同步服务器（设置 → 同步）")
    if online is None:
        state = f"<span style='color:#555'>{tr('同步：未连接')}</span>"
    elif online:
        state = f"<span style='color:#1b7a2e'>● {tr('在线')}</span>"
    else:
        state = f"<span style='color:#a61b1b'>● {tr('离线')}</span>"
    parts = [state, tr("待同步 {0} 项").format(status.waiting)]
    if status.outdated:
        parts.append(f"<span style='color:{WARNING}; font-weight:bold'>{tr('需升级程序')}</span>")
    if status.clock_warning:
        parts.append(f"<span style='color:{WARNING}'>{tr('时钟不准')}</span>")
    if status.audit_diverged:
        parts.append(f"<span style='color:{WARNING}; font-weight:bold'>{tr('审计核对异常')}</span>")
    if status.conflicts:
        text = tr("冲突 {0}").format(status.conflicts)
        parts.append(f"<span style='color:{WARNING}; font-weight:bold'>{text}</span>")
    if status.rejected:
        text = tr("被拒绝 {0}").format(status.rejected)
        parts.append(f"<span style='color:{WARNING}'>{text}</span>")
    if status.set_aside:
        text = tr("无法接收 {0}").format(status.set_aside)
        parts.append(f"<span style='color:{WARNING}'>{text}</span>")
    return "　".join(parts), "\n".join([*status_lines(status), tr("点击：立即同步、处理冲突")])


def status_lines(status: SyncStatus) -> list[str]:
    """上次成功 and 上次失败, each as plainly as the other, and the warnings (the tooltip)."""
    if not (status.last_success_at or status.last_failure_at or status.last_run_at):
        lines = [tr("尚未同步过")]
    elif not (status.last_success_at or status.last_failure_at):  # noted by an older version
        lines = [tr("上次同步：{0}　{1}").format(status.last_run_at, status.last_result)]
    else:
        lines = [tr("上次成功：{0}　{1}").format(status.last_success_at, status.last_success)
                 if status.last_success_at else tr("上次成功：无"),
                 tr("上次失败：{0}　{1}").format(status.last_failure_at, status.last_failure)
                 if status.last_failure_at else tr("上次失败：无")]
    if status.clock_warning:
        lines.append(status.clock_warning)
    if status.audit_warning:
        lines.append(status.audit_warning)
    if status.set_aside:
        lines.append(tr("区局发来但本机无法接收的记录 {0} 项（设置 → 同步 查看原因）")
                     .format(status.set_aside))
    return lines
