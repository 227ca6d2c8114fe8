"""The 备份 tab: where backups go and how many are kept, a backup now, the backups in the
folder, and 从备份恢复 (checked first; the window closes once it is done)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.backups import BackupPolicy
from desktop.domain.errors import FieldError
from desktop.services.backup import BackupFile, BackupStatus
from desktop.services.dto import Changed
from desktop.services.restore import CheckedBackup, Restored, check_backup, describe
from desktop.ui import file_dialogs
from desktop.ui.backup_controller import BackupController, BackupOutcome
from desktop.ui.context import AppContext
from desktop.ui.errors import environment_message
from desktop.ui.settings import last_folder, set_last_folder
from desktop.ui.views.settings.common import (
    ERROR_STYLE,
    fill_table,
    make_table,
    selected_key,
    tr,
)
from desktop.ui.views.settings.sync_enrol import NOTE_STYLE, note, selectable
from desktop.ui.widgets import messages
from desktop.ui.widgets.field_errors import FieldErrors

OK_STYLE = "color: #1b5e20;"


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setMinimumWidth(90)
    return box


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


class BackupTab(QWidget):
    def __init__(self, ctx: AppContext, controller: BackupController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.controller = ctx, controller
        self.status: BackupStatus | None = None
        self._checking = False

        # -- what the last backups did --------------------------------------------------------
        self.last_ok = selectable()
        self.last_failure = selectable()
        self.last_failure.setStyleSheet(ERROR_STYLE)
        self.last_failure.hide()
        self.sync_first = selectable()
        self.sync_first.setStyleSheet(ERROR_STYLE)
        self.sync_first.hide()
        self.backup_button = QPushButton(tr("立即备份"))
        self.backup_button.clicked.connect(self.backup_now)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.progress_text = QLabel()
        self.progress_text.setStyleSheet(NOTE_STYLE)
        self.progress_text.setWordWrap(True)
        run_row = QHBoxLayout()
        run_row.addWidget(self.backup_button)
        run_row.addWidget(self.progress)
        run_row.addWidget(self.progress_text, 1)
        state = QGroupBox(tr("备份情况"))
        state_box = QVBoxLayout(state)
        state_box.addWidget(self.last_ok)
        state_box.addWidget(self.last_failure)
        state_box.addWidget(self.sync_first)
        state_box.addLayout(run_row)

        # -- the administrator's choices --------------------------------------------------------
        options = QGroupBox(tr("备份设置"))
        self.folder = QLineEdit()
        self.folder.setReadOnly(True)
        self.folder.setPlaceholderText(tr("未选择：备份放在数据文件夹的 backups 中"))
        self.choose_button = QPushButton(tr("选择文件夹…"))
        self.choose_button.clicked.connect(lambda: self.choose_folder())
        self.default_button = QPushButton(tr("用数据文件夹"))
        self.default_button.setToolTip(tr("备份放在数据文件夹的 backups 中（与数据库在同一块硬盘上）"))
        self.default_button.clicked.connect(lambda: self.folder.setText(""))
        self.open_button = QPushButton(tr("打开文件夹"))
        self.open_button.clicked.connect(self.open_folder)
        self.automatic = QCheckBox(tr("每天第一次打开程序时自动备份"))
        self.keep_daily = _spin(1, 366, tr(" 份"))
        self.keep_weekly = _spin(0, 520, tr(" 份"))
        self.keep_monthly = _spin(0, 240, tr(" 份"))
        self.warn_days = _spin(1, 365, tr(" 天"))
        self.options_error = QLabel()
        self.errors = FieldErrors(self.options_error, self)
        self.save_button = QPushButton(tr("保存设置"))
        self.save_button.clicked.connect(self.save_policy)
        self.saved = QLabel()
        self.saved.setStyleSheet(NOTE_STYLE)
        grid = QGridLayout(options)
        grid.addWidget(QLabel(tr("备份文件夹")), 0, 0)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.errors.field("备份文件夹", self.folder), 1)
        for button in (self.choose_button, self.default_button, self.open_button):
            folder_row.addWidget(button)
        grid.addLayout(folder_row, 0, 1, 1, 7)
        grid.addWidget(note(tr("最好选另一块硬盘、移动硬盘或 U 盘：电脑的硬盘坏了，同一块硬盘上的备份会一起丢失。"
                               "备份中有投诉人的个人信息，请妥善保管。")), 1, 1, 1, 7)
        grid.addWidget(self.automatic, 2, 1, 1, 7)
        grid.addWidget(QLabel(tr("自动备份保留")), 3, 0)
        keep = QHBoxLayout()
        for label, box, field in ((tr("每日"), self.keep_daily, "保留每日备份"),
                                  (tr("每周"), self.keep_weekly, "保留每周备份"),
                                  (tr("每月"), self.keep_monthly, "保留每月备份")):
            keep.addWidget(QLabel(label))
            keep.addWidget(self.errors.field(field, box))
            keep.addSpacing(12)
        keep.addWidget(note(tr("（较旧的自动备份按此删除；手动备份不会被删除）"), wrap=False))
        keep.addStretch(1)
        grid.addLayout(keep, 3, 1, 1, 7)
        grid.addWidget(QLabel(tr("提醒")), 4, 0)
        warn = QHBoxLayout()
        warn.addWidget(QLabel(tr("超过")))
        warn.addWidget(self.errors.field("提醒天数", self.warn_days))
        warn.addWidget(QLabel(tr("没有成功的备份时，在工作台提醒")))
        warn.addStretch(1)
        grid.addLayout(warn, 4, 1, 1, 7)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.saved, 1)
        grid.addWidget(self.options_error, 5, 1, 1, 7)
        grid.addLayout(save_row, 6, 1, 1, 7)
        grid.setColumnStretch(1, 1)

        # -- the backups there, and restoring one ---------------------------------------------
        listed = QGroupBox(tr("备份文件夹中的备份"))
        self.where = selectable()
        self.table = make_table([tr("备份文件"), tr("时间"), tr("方式"), tr("大小")])
        self.table.setMinimumHeight(120)
        for column, width in enumerate((320, 150, 70)):
            self.table.setColumnWidth(column, width)
        self.restore_button = QPushButton(tr("从所选备份恢复…"))
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.restore_other_button = QPushButton(tr("从其他备份文件恢复…"))
        self.restore_other_button.clicked.connect(lambda: self.restore_from())
        self.restore_text = QLabel()
        self.restore_text.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        restore_row = QHBoxLayout()
        restore_row.addWidget(self.restore_button)
        restore_row.addWidget(self.restore_other_button)
        restore_row.addWidget(self.restore_text, 1)
        list_box = QVBoxLayout(listed)
        list_box.addWidget(self.where)
        list_box.addWidget(self.table, 1)
        list_box.addLayout(restore_row)
        list_box.addWidget(note(tr(
            "恢复前先完整校验备份（每个文件的校验值、数据库完整性、审计日志）；现有数据库移到数据文件夹的 "
            "backups 中保留，不会删除。恢复后程序关闭，请重新打开。已登记区局同步的单位，恢复后请先同步一次，"
            "再登记新投诉。")))

        layout = QVBoxLayout(self)
        layout.addWidget(state)
        layout.addWidget(options)
        layout.addWidget(listed, 1)

        controller.sig_started.connect(self._started)
        controller.sig_progressed.connect(self._progressed)
        controller.sig_finished.connect(self._finished)
        controller.sig_restored.connect(self._restored)
        controller.sig_restore_failed.connect(self._restore_failed)
        ctx.ops.sig_changed.connect(self._on_changed)
        if controller.running:
            self._started(False)
        self.reload()

    # -- reading -------------------------------------------------------------------------------
    def reload(self) -> None:
        backups = self.ctx.services.backups

        def read() -> tuple[BackupStatus, list[BackupFile], bool]:
            status = backups.status()
            return status, backups.backups(status.folder), status.folder.is_dir()

        self.ctx.ops.query(read, self._show, owner=self)

    def _show(self, result: tuple[BackupStatus, list[BackupFile], bool]) -> None:
        status, found, reachable = result
        self.status = status
        if reachable or not status.policy.folder:
            self.where.setStyleSheet(NOTE_STYLE)
            self.where.setText(tr("文件夹：{0}（{1} 份）").format(status.folder, len(found)))
        else:
            self.where.setStyleSheet(ERROR_STYLE)
            self.where.setText(tr("文件夹 {0} 无法访问（U 盘或移动硬盘是否已插好？）").format(status.folder))
        if status.last_ok_at is not None:
            self.last_ok.setText(tr("上次成功的备份：{at}　{file}").format(
                at=status.last_ok_at.strftime("%Y-%m-%d %H:%M"), file=status.last_ok_file))
            self.last_ok.setStyleSheet(ERROR_STYLE if status.warning else OK_STYLE)
        else:
            self.last_ok.setText(tr("本机的数据还没有做过备份。"))
            self.last_ok.setStyleSheet(ERROR_STYLE)
        self.last_failure.setVisible(status.failed_last)
        self.last_failure.setText(tr("上次备份（{at}）：{why}").format(
            at=status.last_failure_at[:16], why=status.last_failure))
        self.sync_first.setVisible(bool(status.sync_first))
        self.sync_first.setText(status.sync_first)
        policy = status.policy
        self.folder.setText(policy.folder)
        self.folder.setToolTip(str(status.folder))
        self.automatic.setChecked(policy.automatic)
        self.keep_daily.setValue(policy.keep_daily)
        self.keep_weekly.setValue(policy.keep_weekly)
        self.keep_monthly.setValue(policy.keep_monthly)
        self.warn_days.setValue(policy.warn_days)
        fill_table(self.table, [
            (b.path, [b.path.name, b.stamp.strftime("%Y-%m-%d %H:%M"),
                      tr("自动") if b.automatic else tr("手动"), _size(b.size)])
            for b in found])
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.controller.running or self._checking
        self.backup_button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy and selected_key(self.table) is not None)
        self.restore_other_button.setEnabled(not busy)

    def _on_changed(self, changed: Changed) -> None:
        if changed.entity in ("backup", "sync"):
            self.reload()

    # -- settings ------------------------------------------------------------------------------
    def choose_folder(self, folder: str | None = None) -> None:
        if folder is None:
            start = self.folder.text() or QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.HomeLocation)
            folder = file_dialogs.existing_folder(self, tr("选择备份文件夹"), start)
            if not folder:
                return
        self.folder.setText(str(Path(folder)))

    def policy(self) -> BackupPolicy:
        return BackupPolicy(folder=self.folder.text().strip(),
                            automatic=self.automatic.isChecked(),
                            keep_daily=self.keep_daily.value(), keep_weekly=self.keep_weekly.value(),
                            keep_monthly=self.keep_monthly.value(), warn_days=self.warn_days.value())

    def save_policy(self) -> None:
        self.errors.clear()
        self.saved.clear()
        policy = self.policy()
        if policy.folder and not Path(policy.folder).is_dir():
            self.errors.show_refusal(FieldError("备份文件夹", tr("文件夹不存在或无法访问（U 盘是否已插好？）")))
            return
        backups, user = self.ctx.services.backups, self.ctx.user

        def refused(error: BaseException) -> None:
            if not self.errors.show_refusal(error):
                self.ctx.ops.report(self, error)

        self.ctx.ops.mutate(lambda: backups.set_policy(user, policy),
                            lambda _: self.saved.setText(tr("已保存。")), owner=self,
                            on_error=refused)

    def open_folder(self) -> None:
        folder = self.status.folder if self.status is not None else None
        if folder is not None and folder.is_dir():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        else:
            messages.warn(self, tr("打开文件夹"), tr("备份文件夹 {0} 还不存在或无法访问。").format(folder))

    # -- a backup now --------------------------------------------------------------------------
    def backup_now(self) -> None:
        self.controller.run_now()

    def _started(self, automatic: bool) -> None:
        self.progress.setRange(0, 0)
        self.progress.show()
        self.progress_text.setStyleSheet(NOTE_STYLE)
        self.progress_text.setText(tr("正在自动备份……") if automatic else tr("正在备份……"))
        self._update_buttons()

    def _progressed(self, what: str, done: int, total: int) -> None:
        if total > 1:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(done * 1000 / total))
        else:
            self.progress.setRange(0, 0)
        self.progress_text.setText(what + "……")

    def _finished(self, outcome: BackupOutcome) -> None:
        self.progress.hide()
        failed = outcome.error is not None
        self.progress_text.setStyleSheet(ERROR_STYLE if failed or outcome.result is None
                                         or not outcome.result.good else OK_STYLE)
        self.progress_text.setText(outcome.message)
        self._update_buttons()

    # -- restoring -----------------------------------------------------------------------------
    def restore_selected(self) -> None:
        path = selected_key(self.table)
        if path is not None:
            self.restore_from(path)

    def restore_from(self, path: Path | None = None) -> None:
        """Check the backup (on the pool), then ask, then restore and close the window."""
        blocked = self.controller.blocked()
        if blocked:
            messages.warn(self, tr("从备份恢复"), blocked)
            return
        if path is None:
            start = last_folder("backup", str(self.status.folder) if self.status else "")
            chosen = file_dialogs.open_file(
                self, tr("选择备份文件"), start, tr("和解台备份 (hejie-*.zip);;所有文件 (*)"))
            if not chosen:
                return
            path = Path(chosen)
            set_last_folder("backup", str(path.parent))
        data_dir, clock = self.ctx.data_dir, self.ctx.services.ctx.clock
        self._checking = True
        self._update_buttons()
        self.restore_text.setStyleSheet(NOTE_STYLE)
        self.restore_text.setText(tr("正在校验备份 {0}……").format(path.name))
        self.ctx.ops.run(lambda _state: check_backup(path, data_dir, clock), self._checked,
                         owner=self, on_error=self._check_failed, database=False)

    def _check_failed(self, error: BaseException) -> None:
        self._checking = False
        self._update_buttons()
        message = environment_message(error)
        if message is None:
            self.restore_text.clear()
            self.ctx.ops.report(self, error)
            return
        self.restore_text.setStyleSheet(ERROR_STYLE)
        self.restore_text.setText(tr("不能用这份备份恢复：") + message)

    def _checked(self, checked: CheckedBackup) -> None:
        self._checking = False
        self.restore_text.setText(tr("备份校验通过。"))
        question = tr(
            "备份校验通过：{what}。\n\n恢复后，本机的数据回到备份时的状态；现有数据库移到数据文件夹的 "
            "backups 中保留。恢复完成后和解台会关闭，请重新打开。\n\n确定用这份备份恢复吗？").format(
            what=describe(checked.manifest))
        blocked = self.controller.blocked()
        if blocked or not messages.confirm(self, tr("从备份恢复"), question):
            checked.discard()
            self.restore_text.setText(blocked or tr("未恢复。"))
            self._update_buttons()
            return
        self.restore_text.setText(tr("正在恢复……"))
        self.controller.restore(checked)
        self._update_buttons()

    def _restored(self, _result: tuple[Restored, str]) -> None:
        self.restore_text.setStyleSheet(OK_STYLE)
        self.restore_text.setText(tr("已恢复。"))  # the window says the rest, then closes

    def _restore_failed(self, error: BaseException) -> None:
        self._update_buttons()
        message = environment_message(error)
        if message is None:
            self.restore_text.clear()
            self.ctx.ops.report(self, error)
            return
        self.restore_text.setStyleSheet(ERROR_STYLE)
        self.restore_text.setText(tr("没有恢复：") + message)
        messages.warn(self, tr("从备份恢复"), tr("没有恢复，本机的数据库未作修改：") + message)
