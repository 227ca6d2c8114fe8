"""The 同步 tab: enrol with the district hub, then its settings, rounds, USB bundles and conflicts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import FieldError
from desktop.domain.workflow import Role
from desktop.services.dto import Changed
from desktop.services.sync import check_ca_bundle
from desktop.services.sync_info import BundleSummary, ReceiptSummary, SyncSettings, SyncStatus
from desktop.ui import file_dialogs
from desktop.ui.context import AppContext
from desktop.ui.settings import last_folder, set_last_folder
from desktop.ui.sync_controller import RoundOutcome, SyncController
from desktop.ui.views.settings.common import ERROR_STYLE, tr
from desktop.ui.views.settings.sync_devices import OfficePCsBox
from desktop.ui.views.settings.sync_enrol import (
    NOTE_STYLE,
    CertificateField,
    EnrolPanel,
    note,
    selectable,
)
from desktop.ui.widgets import messages
from desktop.ui.widgets.field_errors import FieldErrors


class EnrolledPanel(QWidget):
    """After enrolment: where this PC syncs to, the interval, a round now, bundles, conflicts."""

    def __init__(self, ctx: AppContext, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.controller = ctx, controller
        admin = ctx.user.has(Role.ADMIN)

        self.server, self.office, self.device = selectable(), selectable(), selectable()
        where = QGroupBox(tr("区局同步服务器"))
        info = QFormLayout(where)
        info.addRow(tr("服务器地址"), self.server)
        info.addRow(tr("本单位"), self.office)
        info.addRow(tr("设备编号"), self.device)

        options = QGroupBox(tr("同步设置"))
        self.interval = QSpinBox()
        self.interval.setRange(0, 24 * 60)
        self.interval.setSuffix(tr(" 分钟"))
        self.interval.setSpecialValueText(tr("不自动同步"))
        self.interval.setMinimumWidth(130)
        self.interval.setMaximumWidth(200)
        self.certificate = CertificateField()
        self.options_error = QLabel()
        self.errors = FieldErrors(self.options_error, self)
        self.save_button = QPushButton(tr("保存"))
        self.save_button.clicked.connect(self.save_options)
        self.saved = QLabel()
        self.saved.setStyleSheet(NOTE_STYLE)
        form = QFormLayout(options)
        form.addRow(tr("自动同步间隔"), self.errors.field("自动同步间隔", self.interval))
        form.addRow("", note(tr("0 表示不自动同步，只在点击「立即同步」时同步。"), wrap=False))
        form.addRow(tr("证书文件"), self.errors.field("证书文件", self.certificate,
                                                   marks=self.certificate.edit))
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.saved, 1)
        form.addRow(self.options_error)
        form.addRow(save_row)
        if not admin:
            form.addRow(note(tr("只有系统管理员可以修改同步设置。")))
        self.interval.setReadOnly(not admin)
        self.certificate.set_editable(admin)
        self.save_button.setEnabled(admin)

        rounds = QGroupBox(tr("同步情况"))
        self.run_button = QPushButton(tr("立即同步"))
        self.run_button.clicked.connect(self.run_now)
        self.cancel_button = QPushButton(tr("取消"))
        self.cancel_button.clicked.connect(controller.cancel)
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        self.progress_text = QLabel()
        self.progress_text.setStyleSheet(NOTE_STYLE)
        run_row = QHBoxLayout()
        for widget in (self.run_button, self.cancel_button, self.progress):
            run_row.addWidget(widget)
        run_row.addWidget(self.progress_text, 1)
        # The last success and the last failure, each with its time, as plainly as the other.
        self.last_run = selectable()  # the last success's time
        self.last_result = selectable()  # what it did
        self.last_failure = selectable()  # the last failure's time and why
        self.last_failure.setWordWrap(True)
        self.round_error = selectable()
        self.round_error.setStyleSheet(ERROR_STYLE)
        self.round_error.setWordWrap(True)
        self.round_error.hide()
        self.clock = selectable()  # this PC's clock is off the hub's; the audit check
        self.clock.setStyleSheet(ERROR_STYLE)
        self.clock.setWordWrap(True)
        self.clock.hide()
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.refusals = selectable()  # the district's reasons, so someone can act on them
        self.refusals.setStyleSheet(NOTE_STYLE)
        self.refusals.hide()
        self.renumbered = selectable()  # complaints given a new number, so the clerk knows
        self.renumbered.setWordWrap(True)
        self.renumbered.hide()
        self.set_aside_title = QLabel()
        self.set_aside_title.setStyleSheet(ERROR_STYLE)
        self.set_aside = selectable()  # records the district sent that cannot be applied here
        self.set_aside.setWordWrap(True)
        self.set_aside_note = note(tr(
            "这些记录的内容不合规定或与本机的记录冲突，暂不接收，其余数据照常同步。区局发来更正后的"
            "版本时自动补上，每次同步也会重试；如长期存在，请把这里的说明告知区局管理员。"))
        self.set_aside_box = QWidget()
        box = QVBoxLayout(self.set_aside_box)
        box.setContentsMargins(0, 4, 0, 4)
        box.setSpacing(2)
        for widget in (self.set_aside_title, self.set_aside, self.set_aside_note):
            box.addWidget(widget)
        self.set_aside_box.hide()
        self.renumbered_label = QLabel(tr("重新编号"))
        self.renumbered_label.hide()
        grid = QGridLayout(rounds)
        grid.addLayout(run_row, 0, 0, 1, 2)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(QLabel(tr("上次成功")), 1, 0, top)
        grid.addWidget(self.last_run, 1, 1)
        grid.addWidget(self.last_result, 2, 1)
        grid.addWidget(QLabel(tr("上次失败")), 3, 0, top)
        grid.addWidget(self.last_failure, 3, 1)
        grid.addWidget(self.round_error, 4, 1)
        grid.addWidget(self.clock, 5, 0, 1, 2)
        grid.addWidget(QLabel(tr("待处理")), 6, 0, top)
        grid.addWidget(self.counts, 6, 1)
        grid.addWidget(self.refusals, 7, 1)
        grid.addWidget(self.renumbered_label, 8, 0, top)
        grid.addWidget(self.renumbered, 8, 1)
        grid.addWidget(self.set_aside_box, 9, 0, 1, 2)
        grid.setColumnStretch(1, 1)

        self.conflicts_button = QPushButton(tr("处理冲突…"))
        self.conflicts_button.clicked.connect(self.open_conflicts)
        self.retry_button = QPushButton(tr("重新发送被拒绝的记录"))
        self.retry_button.setToolTip(tr("区局处理了拒绝原因（例如补建了单位）之后使用"))
        self.retry_button.clicked.connect(lambda: self.retry_rejected())
        self.export_button = QPushButton(tr("导出同步包…"))
        self.export_button.clicked.connect(lambda: self.export_bundle())
        self.import_button = QPushButton(tr("导入回执…"))
        self.import_button.clicked.connect(lambda: self.import_receipt())
        self.bundle_note = note(tr(
            "网络不通时：导出同步包，用 U 盘带到区局导入；再把区局给出的回执导入本机。"))
        row = QHBoxLayout()
        for button in (self.conflicts_button, self.retry_button, self.export_button,
                       self.import_button):
            row.addWidget(button)
        row.addStretch(1)
        grid.addLayout(row, 12, 0, 1, 2)
        grid.addWidget(self.bundle_note, 13, 0, 1, 2)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(where, 1)
        top.addWidget(options, 1)
        layout.addLayout(top)
        layout.addWidget(rounds)
        self.pcs = OfficePCsBox(ctx)
        layout.addWidget(self.pcs)
        layout.addStretch(1)
        self._dialog: QWidget | None = None

        controller.sig_started.connect(self._started)
        controller.sig_progressed.connect(self._progressed)
        controller.sig_finished.connect(self._finished)
        if controller.running:
            self._started(True)

    # -- showing ---------------------------------------------------------------------------------
    def show_settings(self, settings: SyncSettings) -> None:
        self.server.setText(settings.hub_url)
        office = next((o for o in self.ctx.lookups.offices if o.code == settings.office), None)
        self.office.setText(f"{office.name}（{office.code}）" if office else settings.office)
        self.device.setText(settings.device_id)
        self.interval.setValue(settings.interval_minutes)
        self.certificate.edit.setText(settings.ca_bundle)
        self.pcs.refresh()

    def show_status(self, status: SyncStatus) -> None:
        if status.last_success_at or status.last_failure_at:
            self.last_run.setText(status.last_success_at or tr("尚未成功同步过"))
            self.last_result.setText(status.last_success)
            self.last_failure.setText(tr("{0}　{1}").format(status.last_failure_at,
                                                           status.last_failure)
                                      if status.last_failure_at else tr("无"))
            self.last_failure.setStyleSheet(ERROR_STYLE if status.failed_last else NOTE_STYLE)
        else:  # never synced, or noted by an older version of this program
            ok = status.last_ok is not False
            self.last_run.setText(status.last_run_at if ok and status.last_run_at
                                  else tr("尚未同步过"))
            self.last_result.setText(status.last_result if ok else "")
            self.last_failure.setText(f"{status.last_run_at}　{status.last_result}" if not ok
                                      else tr("无"))
            self.last_failure.setStyleSheet(ERROR_STYLE if not ok else NOTE_STYLE)
        self.last_result.setVisible(bool(self.last_result.text()))
        if status.failed_last and self.round_error.text() \
                and self.round_error.text() in status.last_failure:
            self.round_error.hide()  # the same sentence is the last failure now
        warnings = [w for w in (status.clock_warning, status.audit_warning) if w]
        self.clock.setText("\n".join(warnings))
        self.clock.setVisible(bool(warnings))
        warn = "color:#b3261e; font-weight:bold"
        parts = [tr("待同步 {0} 项").format(status.waiting),
                 _span(tr("冲突 {0} 项").format(status.conflicts), warn if status.conflicts else ""),
                 _span(tr("被拒绝 {0} 项").format(status.rejected), warn if status.rejected else ""),
                 tr("暂存（等待上级记录）{0} 项").format(status.held)]
        if status.set_aside:
            parts.append(_span(tr("无法接收 {0} 项").format(status.set_aside), warn))
        self.counts.setText("　·　".join(parts))
        self.renumbered.setText("\n".join(status.renumbered))
        self.renumbered.setVisible(bool(status.renumbered))
        self.renumbered_label.setVisible(bool(status.renumbered))
        self.set_aside_title.setText(tr("区局发来但本机无法接收的记录（{0} 项）")
                                     .format(status.set_aside))
        lines = [tr("{0}（{1}，{2}）：{3}").format(item.what, item.office, item.held_at, item.reason)
                 for item in status.set_aside_items]
        if status.set_aside > len(status.set_aside_items):
            lines.append(tr("……另有 {0} 项").format(status.set_aside - len(status.set_aside_items)))
        self.set_aside.setText("\n".join(lines))
        self.set_aside_box.setVisible(bool(status.set_aside))
        self.refusals.setText("\n".join(tr("被拒绝 {0} 项：{1}").format(n, message)
                                        for message, n in status.refusals))
        self.refusals.setVisible(bool(status.refusals))
        self.conflicts_button.setEnabled(status.conflicts > 0)
        self.retry_button.setEnabled(status.rejected > 0)

    def _started(self, _manual: bool) -> None:
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.progress_text.setText(tr("正在连接……"))
        self.round_error.hide()

    def _progressed(self, what: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.progress_text.setText(tr("{0} {1}/{2}").format(what, done, total))

    def _finished(self, outcome: RoundOutcome) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.hide()
        self.progress.hide()
        self.progress_text.clear()
        if outcome.error is not None:
            self.round_error.setText(outcome.message)
            self.round_error.show()
        else:
            self.pcs.refresh()  # this PC's last sync and backlog have changed at the hub

    # -- actions ---------------------------------------------------------------------------------
    def run_now(self) -> None:
        self.controller.run_now(manual=True)

    def save_options(self) -> None:
        self.errors.clear()
        try:
            ca_bundle = check_ca_bundle(self.certificate.edit.text())
        except FieldError as error:
            self.errors.show(error)
            return
        sync, user, minutes = self.ctx.services.sync, self.ctx.user, self.interval.value()

        def call() -> Changed:
            sync.set_options(user, interval_minutes=minutes, ca_bundle=ca_bundle)
            return Changed("sync", ())

        self.save_button.setEnabled(False)
        self.ctx.ops.mutate(call, self._options_saved, owner=self, on_error=self._options_refused)

    def _options_saved(self, _changed: object) -> None:
        self.save_button.setEnabled(True)
        minutes = self.interval.value()
        self.saved.setText(tr("已保存：每 {0} 分钟自动同步。").format(minutes) if minutes
                           else tr("已保存：不自动同步。"))
        self.controller.reload_settings()  # the timer follows

    def _options_refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not self.errors.show_refusal(error):
            self.ctx.ops.report(self, error)

    def export_bundle(self, path: str | None = None) -> None:
        """导出同步包…; `path` skips the file dialog."""
        settings = self.controller.settings
        if path is None:
            documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            now = self.ctx.services.ctx.clock.now()
            office = settings.office if settings else ""
            name = tr("同步包-{0}-{1}.hejie").format(office, now.strftime("%Y%m%d-%H%M"))
            path = file_dialogs.save_file(
                self, tr("导出同步包"), str(Path(last_folder("sync-bundle", documents)) / name),
                tr("同步包 (*.hejie)"))
            if not path:
                return
        target = Path(path if path.lower().endswith(".hejie") else path + ".hejie")
        set_last_folder("sync-bundle", str(target.parent))
        sync, user = self.ctx.services.sync, self.ctx.user
        self.export_button.setEnabled(False)
        self.ctx.ops.run(lambda _state: sync.export_bundle(user, target), self._exported, owner=self,
                         on_error=self._file_failed, database=False)

    def _exported(self, summary: BundleSummary) -> None:
        self.export_button.setEnabled(True)
        messages.inform(self, tr("已导出同步包"), tr(
            "已导出 {0} 项数据、{1} 个附件（{2}）到\n{3}\n\n请把文件带到区局导入，"
            "再把区局给出的回执用「导入回执…」导入本机。").format(
                summary.operations, summary.attachments, _size(summary.size), summary.path))

    def import_receipt(self, path: str | None = None) -> None:
        """导入回执…; `path` skips the file dialog."""
        if path is None:
            documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            path = file_dialogs.open_file(
                self, tr("导入回执"), last_folder("sync-bundle", documents),
                tr("同步回执 (*.hejie);;所有文件 (*)"))
            if not path:
                return
        source = Path(path)
        set_last_folder("sync-bundle", str(source.parent))
        sync, user = self.ctx.services.sync, self.ctx.user

        def call(_state: object) -> ReceiptSummary:
            return sync.import_receipt(user, source)

        self.import_button.setEnabled(False)
        self.ctx.ops.run(call, self._imported, owner=self, on_error=self._file_failed, database=False)

    def _imported(self, summary: ReceiptSummary) -> None:
        self.import_button.setEnabled(True)
        report = summary.report
        self.ctx.ops.sig_changed.emit(Changed("sync", (), created=bool(report.pulled)))
        if summary.already_imported:
            messages.inform(self, tr("导入回执"), tr("这个回执已经导入过，未重复导入。"))
            return
        text = tr("回执已导入：{0}").format(report.summary())
        if report.dispatched:
            text += "\n" + tr("收到区局分流投诉 {0} 件：{1}").format(
                len(report.dispatched), "、".join(report.dispatched))
        messages.inform(self, tr("导入回执"), text)

    def retry_rejected(self, confirmed: bool = False) -> None:
        """重新发送被拒绝的记录, then a round; `confirmed` skips the question."""
        status = self.controller.status
        count = status.rejected if status else 0
        if not confirmed and not messages.confirm(self, tr("重新发送被拒绝的记录"), tr(
                "把被区局拒绝的 {0} 项记录重新发送？\n\n请先确认区局已处理拒绝原因"
                "（例如已添加缺少的单位）；原因仍在的记录会再次被拒绝。").format(count)):
            return
        sync, user = self.ctx.services.sync, self.ctx.user

        def call(_state: object) -> list[Changed]:
            sync.retry_rejected(user)
            return [Changed("sync", ())]

        self.retry_button.setEnabled(False)
        self.ctx.ops.run(call, lambda _c: self.controller.run_now(manual=True), owner=self,
                         on_error=self._file_failed, broadcast=True)

    def _file_failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.import_button.setEnabled(True)
        status = self.controller.status
        self.retry_button.setEnabled(bool(status and status.rejected))
        self.ctx.ops.report(self, error)

    def open_conflicts(self) -> QWidget:
        from desktop.ui.dialogs.sync_conflicts import SyncConflictsDialog

        dialog = SyncConflictsDialog(self.ctx, self)
        dialog.open()
        self._dialog = dialog
        return dialog


class SyncTab(QWidget):
    """One of two panels, as the settings say: enrol, or the enrolled PC's sync."""

    def __init__(self, ctx: AppContext, controller: SyncController | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._owns_controller = controller is None
        self.controller = controller or SyncController(ctx, self)
        self.enrol_panel = EnrolPanel(ctx)
        self.enrolled_panel = EnrolledPanel(ctx, self.controller)
        self.loading = QLabel(tr("正在读取……"))
        self.stack = QStackedWidget()
        for widget in (self.loading, self.enrol_panel, self.enrolled_panel):
            self.stack.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.enrol_panel.sig_enrolled.connect(lambda _: self.controller.reload_settings())
        self.controller.sig_settings_changed.connect(self._show_settings)
        self.controller.sig_status_changed.connect(self.enrolled_panel.show_status)
        if self.controller.settings is not None:
            self._show_settings(self.controller.settings)
        if self.controller.status is not None:
            self.enrolled_panel.show_status(self.controller.status)
        self.controller.reload_settings()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._owns_controller:
            self.controller.stop()
        super().closeEvent(event)

    @property
    def enrolled(self) -> bool:
        return self.stack.currentWidget() is self.enrolled_panel

    def _show_settings(self, settings: SyncSettings) -> None:
        if settings.enrolled:
            self.enrolled_panel.show_settings(settings)
            self.stack.setCurrentWidget(self.enrolled_panel)
        else:
            self.stack.setCurrentWidget(self.enrol_panel)


def _span(text: str, style: str) -> str:
    return f"<span style='{style}'>{text}</span>" if style else text


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"

