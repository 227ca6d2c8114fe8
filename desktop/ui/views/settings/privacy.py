"""The 个人信息 tab: the retention period of closed complaints' personal data (with how many are
due and a button to anonymise them now), and the log of prints and exports of unmasked
personal data."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.retention import MAX_RETENTION_YEARS, SUGGESTED_YEARS
from desktop.services.dto import Changed
from desktop.services.personal_data import AnonymiseReport, OutputLine, RetentionState
from desktop.ui.context import AppContext
from desktop.ui.ops import Task, TaskState
from desktop.ui.views.settings.common import tr
from desktop.ui.widgets import messages
from desktop.ui.widgets.field_errors import FieldErrors
from desktop.ui.widgets.tables import fill_table, read_only_table

NOTE_STYLE = "color: #555;"
OUTPUT_HEADERS = ("时间", "用户", "方式", "内容", "范围", "投诉件数", "人数", "文件")


class PrivacyTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state: RetentionState | None = None
        self.task: Task | None = None
        self.progress_dialog: QProgressDialog | None = None
        # -- retention --------------------------------------------------------------------
        self.years = QSpinBox()
        self.years.setRange(0, MAX_RETENTION_YEARS)
        self.years.setSpecialValueText(tr("不设置"))
        self.years.setPrefix(tr("办结后 "))
        self.years.setSuffix(tr(" 年"))
        self.years.setMaximumWidth(160)
        self.general = QLabel()
        self.errors = FieldErrors(self.general, self)
        self.save_button = QPushButton(tr("保存"))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.anonymise_button = QPushButton(tr("立即匿名化…"))
        self.anonymise_button.setEnabled(False)
        self.anonymise_button.clicked.connect(self.anonymise)
        box = QGroupBox(tr("个人信息保留期限"))
        form = QFormLayout(box)
        form.addRow(tr("已办结投诉的个人信息保留"), self.errors.field("保留期限", self.years))
        explain = QLabel(tr(
            "《个人信息保护法》第十九条：个人信息的保存期限应当为实现处理目的所必要的最短时间。"
            "保留期限届满后，已办结投诉的投诉人姓名改为「（已匿名化）」，电话、地址、证件号码清空，"
            "事实与理由、调解记录、回访、送达和附件名称中的姓名、电话、证件号码按公示的规则隐去；"
            "日期、分类、被投诉方、处理结果和金额保留，统计不受影响。匿名化不可撤销，"
            "并和其他修改一样记入审计日志、同步到区局。附件文件本身保留（案卷证据），"
            "请按本单位档案管理规定处理。默认不设置，建议 {0} 年；设置前请核对本单位的档案保管期限。"
        ).format(SUGGESTED_YEARS))
        explain.setWordWrap(True)
        explain.setStyleSheet(NOTE_STYLE)
        form.addRow(explain)
        form.addRow(self.general)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.anonymise_button)
        row.addStretch(1)
        form.addRow(row)
        form.addRow(self.status)
        # -- the outputs log ------------------------------------------------------------------
        today = ctx.services.ctx.clock.today()
        self.start = self._date_edit(today - timedelta(days=30))
        self.end = self._date_edit(today)
        self.query_button = QPushButton(tr("查询"))
        self.query_button.clicked.connect(self.load_outputs)
        self.table = read_only_table([tr(h) for h in OUTPUT_HEADERS], (130, 80, 110, 160, 0, 70, 50),
                                     stretch=4)
        self.total = QLabel()
        log_box = QGroupBox(tr("个人信息输出记录（打印、导出完整个人信息）"))
        log = QVBoxLayout(log_box)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(tr("日期")))
        filters.addWidget(self.start)
        filters.addWidget(QLabel("—"))
        filters.addWidget(self.end)
        filters.addWidget(self.query_button)
        filters.addStretch(1)
        log.addLayout(filters)
        log.addWidget(self.table, 1)
        log.addWidget(self.total)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(log_box, 1)
        self.reload()

    @staticmethod
    def _date_edit(day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day))
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        edit.setMaximumWidth(140)
        return edit

    def reload(self) -> None:
        self.load_state()
        self.load_outputs()

    # -- retention ------------------------------------------------------------------------
    def load_state(self) -> None:
        service, user = self.ctx.services.personal_data, self.ctx.user
        self.ctx.ops.query(lambda: service.state(user), self._show_state, owner=self)

    def _show_state(self, state: RetentionState) -> None:
        self.state = state
        self.years.setValue(state.retention.years)
        done = tr("已匿名化的投诉共 {0} 件。").format(state.anonymised)
        if state.closed_before is None:
            self.status.setText(tr("未设置保留期限：不做匿名化。") + done)
        else:
            self.status.setText(tr("保留期限：{0}。{1} 之前办结、尚未匿名化的投诉：{2} 件。").format(
                state.retention.label, f"{state.closed_before:%Y-%m-%d}", state.due) + done)
        self.anonymise_button.setEnabled(state.due > 0 and self.task is None)

    def save(self) -> None:
        self.errors.clear()
        service, user, years = self.ctx.services.personal_data, self.ctx.user, self.years.value()
        self.save_button.setEnabled(False)
        self.ctx.ops.mutate(lambda: service.set_retention(user, years), self._saved, owner=self,
                            on_error=self._refused)

    def _saved(self, _changed: Changed) -> None:
        self.save_button.setEnabled(True)
        self.load_state()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not self.errors.show_refusal(error):
            self.ctx.ops.report(self, error)

    def anonymise(self) -> Task | None:
        state = self.state
        if state is None or state.closed_before is None or state.due == 0:
            return None
        if not messages.confirm(self, tr("个人信息匿名化"), tr(
                "将 {0} 之前办结的 {1} 件投诉的投诉人个人信息匿名化：姓名、电话、地址、证件号码不再保留，"
                "文字中的个人信息隐去。此操作不可撤销，并会同步到区局。确定继续吗？").format(
                    f"{state.closed_before:%Y-%m-%d}", state.due)):
            return None
        service, user = self.ctx.services.personal_data, self.ctx.user
        dialog = QProgressDialog(tr("正在匿名化……"), tr("停止"), 0, 1000, self)
        dialog.setWindowTitle(tr("个人信息匿名化"))
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        self.anonymise_button.setEnabled(False)

        def work(task_state: TaskState) -> AnonymiseReport:
            return service.anonymise(user, progress=task_state.progress)

        def shown(done: int, total: int) -> None:
            dialog.setValue(int(done * 1000 / max(total, 1)))
            dialog.setLabelText(tr("正在匿名化…… {0} / {1} 件").format(done, total))

        def finished(report: AnonymiseReport) -> None:
            dialog.close()
            self.task = None
            messages.inform(self, tr("个人信息匿名化"), report.summary)
            self.reload()

        def failed(error: BaseException) -> None:
            dialog.close()
            self.task = None
            self.load_state()  # what was done stays done: the count shows what is left
            self.ctx.ops.report(self, error)

        task = self.ctx.ops.run(work, finished, owner=self, on_error=failed, on_progress=shown)

        def stopped() -> None:
            # The batch under way finishes; what is done stays done, and a rerun goes on.
            task.cancel()
            dialog.close()
            self.task = None
            self.load_state()  # on the database worker: after the batch under way
            self.general.setText(tr("已停止：已完成的部分保留，再次点击「立即匿名化」可继续。"))
            self.general.show()

        dialog.canceled.connect(stopped)
        self.task = task
        return task

    # -- the outputs log -------------------------------------------------------------------
    def load_outputs(self) -> None:
        service, user = self.ctx.services.personal_data, self.ctx.user
        start: date = self.start.date().toPython()  # type: ignore[assignment]
        end: date = self.end.date().toPython()  # type: ignore[assignment]
        self.ctx.ops.query(lambda: service.outputs(user, start, end), self._show_outputs,
                           owner=self, on_error=lambda e: self.ctx.ops.report(self, e))

    def _show_outputs(self, lines: list[OutputLine]) -> None:
        fill_table(self.table, [
            (f"{x.at:%Y-%m-%d %H:%M}", x.username, x.kind, x.what, x.scope, str(x.complaints),
             str(x.people), x.file) for x in lines])
        self.total.setText(tr("共 {0} 次输出，涉及 {1} 人次。").format(
            len(lines), sum(x.people for x in lines)))
