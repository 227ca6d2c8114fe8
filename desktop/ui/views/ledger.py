"""投诉台账: the whole complaint list, filtered and searched, fetched page by page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.complaint import ComplaintFilter
from desktop.domain.workflow import HANDLERS, Intake, Role, Status
from desktop.services.dto import ComplaintRow
from desktop.services.printing import FormRequest
from desktop.ui import file_dialogs
from desktop.ui.context import AppContext
from desktop.ui.dialogs.print_options import PeriodDialog, QuarterDialog
from desktop.ui.dialogs.print_preview import preview_form
from desktop.ui.models.complaint_table import ComplaintTableModel
from desktop.ui.ops import Task, TaskState
from desktop.ui.printing import print_icon
from desktop.ui.settings import restore_header, save_header
from desktop.ui.widgets.complaint_view import ComplaintTableView


class MenuToolButton(QToolButton):
    """A button that opens its menu (InstantPopup), wide enough for the menu arrow: the style
    draws the arrow in the bottom-right corner without making room for it, so at 150 % it
    touched the text (导出 Excel, 打印)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        arrow = self.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, self)
        return QSize(hint.width() + arrow, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()


if TYPE_CHECKING:  # openpyxl loads with the first export, not with the window
    from desktop.services.ledger_export import LedgerExport

OPEN = "__open__"


class LedgerPage(QWidget):
    sig_open_complaint = Signal(int)
    sig_exported = Signal(object)  # a LedgerExport, after the workbook was written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索：被投诉方、商品、事实、姓名、电话、单号……（空格分隔多个词）"))
        self.search.setClearButtonEnabled(True)
        self.kind = QComboBox()  # 全部 / 投诉 / 举报 / 咨询
        self.status = QComboBox()
        self.channel = QComboBox()
        self.category = QComboBox()
        self.handler = QComboBox()
        self.office = QComboBox()
        self.source = QComboBox()
        self.date_from = self._date_edit()
        self.date_to = self._date_edit()
        self.use_dates = QCheckBox(self.tr("接收日期"))
        self.overdue = QCheckBox(self.tr("只看超期"))
        self.reset = QPushButton(self.tr("清除条件"))
        self.total = QLabel()
        self.fill_choices()

        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("类型")), 0, 0)
        grid.addWidget(self.kind, 0, 1)
        grid.addWidget(QLabel(self.tr("状态")), 0, 2)
        grid.addWidget(self.status, 0, 3)
        grid.addWidget(QLabel(self.tr("来源")), 0, 4)
        grid.addWidget(self.channel, 0, 5)
        grid.addWidget(QLabel(self.tr("分类")), 0, 6)
        grid.addWidget(self.category, 0, 7)
        grid.addWidget(QLabel(self.tr("承办单位")), 1, 0)
        grid.addWidget(self.office, 1, 1)
        grid.addWidget(QLabel(self.tr("承办人")), 1, 2)
        grid.addWidget(self.handler, 1, 3)
        grid.addWidget(QLabel(self.tr("受理方式")), 1, 4)
        grid.addWidget(self.source, 1, 5)
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("—"))
        dates.addWidget(self.date_to)
        grid.addLayout(dates, 1, 6, 1, 2)
        grid.addWidget(self.overdue, 0, 8)
        grid.addWidget(self.reset, 1, 8)
        for column in (1, 3, 5, 7):
            grid.setColumnStretch(column, 1)

        self.model = ComplaintTableModel(ctx, self)
        self.table = ComplaintTableView(self.model)
        # Several rows at once: the 不予公示 form is printed for the chosen complaints.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.sig_open_complaint.connect(self.sig_open_complaint)
        restore_header(self, self.table.horizontalHeader())
        self.model.sig_count_changed.connect(self._count_changed)
        self.model.rowsInserted.connect(lambda *_: self._count_changed(self.model.total))
        hint = QLabel(self.tr("红色：已超期　黄色：两个工作日内到期　双击或回车打开"))
        hint.setStyleSheet("color: #666;")
        footer = QHBoxLayout()
        footer.addWidget(self.total)
        footer.addStretch()
        footer.addWidget(hint)

        self._build_print_menu()
        self._build_export_menu()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)
        self.import_button = QToolButton()  # 导入历史台账 (views/import_wizard.py)
        self.import_button.setText(self.tr("导入…"))
        self.import_button.setToolTip(self.tr("导入旧的 Excel 台账或 12345/12315 热线工单"))
        self.import_button.clicked.connect(self.open_import)
        self.import_button.setVisible(ctx.user.has(*HANDLERS, Role.ADMIN))
        top.addWidget(self.import_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

        # Typing waits for a pause before asking the database, so keys never queue searches.
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(self.apply)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.search.returnPressed.connect(self.apply)
        for combo in (self.kind, self.status, self.channel, self.category, self.handler, self.office,
                      self.source):
            combo.currentIndexChanged.connect(lambda _: self.apply())
        for box in (self.use_dates, self.overdue):
            box.toggled.connect(lambda _: self.apply())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _: self.use_dates.isChecked() and self.apply())
        self.reset.clicked.connect(lambda: self.clear_filters())
        self.apply()

    def _build_print_menu(self) -> None:
        menu = QMenu(self)
        self.act_print_ledger = menu.addAction(self.tr("投诉台账（按当前筛选）…"))
        self.act_print_ledger.triggered.connect(self.print_ledger)
        self.act_print_quarterly = menu.addAction(self.tr("季度未办结件核对表…"))
        self.act_print_quarterly.triggered.connect(self.print_quarterly)
        menu.addSeparator()
        self.print_button = MenuToolButton()
        self.print_button.setText(self.tr("打印"))
        self.print_button.setIcon(print_icon(self))
        self.print_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.print_button.setMenu(menu)
        self.print_menu = menu

    def _build_export_menu(self) -> None:
        menu = QMenu(self)
        self.act_export_filtered = menu.addAction(self.tr("导出台账（按当前筛选和搜索）…"))
        self.act_export_filtered.triggered.connect(lambda: self.export_excel(selection=False))
        self.act_export_selected = menu.addAction(self.tr("导出所选行…"))
        self.act_export_selected.triggered.connect(lambda: self.export_excel(selection=True))
        self.export_button = MenuToolButton()
        self.export_button.setText(self.tr("导出 Excel"))
        self.export_button.setToolTip(self.tr("台账分两张工作表：区局分流、自行接收"))
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setMenu(menu)
        self.export_menu = menu

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(QDate.currentDate())
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def fill_choices(self) -> None:
        lookups = self.ctx.lookups
        self.kind.addItem(self.tr("全部"), None)
        for intake in Intake:
            self.kind.addItem(self.tr(intake.label), intake.value)
        self.status.addItem(self.tr("全部"), None)
        self.status.addItem(self.tr("在办（未办结）"), OPEN)
        for status in Status:
            self.status.addItem(status.label, status.value)
        for combo, kind in ((self.channel, "channel"), (self.category, "category")):
            combo.addItem(self.tr("全部"), None)
            for code in lookups.codes.get(kind, ()):
                combo.addItem(code.label, code.code)
        self.handler.addItem(self.tr("全部"), None)
        self.handler.addItem(self.tr("我承办的"), self.ctx.user.id)
        for user in lookups.users:
            if user.id != self.ctx.user.id:
                self.handler.addItem(user.display_name, user.id)
        self.office.addItem(self.tr("全部"), None)
        scope = self.ctx.user.scope
        for office in lookups.offices:
            if scope is None or office.id in scope:
                self.office.addItem(office.name, office.id)
        self.source.addItem(self.tr("全部"), None)
        self.source.addItem(self.tr("区局分流"), True)
        self.source.addItem(self.tr("自行受理"), False)

    def current_filter(self) -> ComplaintFilter:
        status = self.status.currentData()
        use_dates = self.use_dates.isChecked()
        start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        if use_dates and start > end:
            start, end = end, start
        today: date = self.model.today
        return ComplaintFilter(
            statuses=frozenset({Status(status)}) if status not in (None, OPEN) else frozenset(),
            open_only=status == OPEN,
            kind=self.kind.currentData(),
            channel_code=self.channel.currentData(),
            category_code=self.category.currentData(),
            handler_id=self.handler.currentData(),
            office_id=self.office.currentData(),
            received_from=start if use_dates else None,
            received_to=end if use_dates else None,
            due_before=today if self.overdue.isChecked() else None,
            dispatched=self.source.currentData(),
            text=self.search.text().strip(),
            sort=self.model.query.sort,
            reverse=self.model.query.reverse,
        )

    def apply(self) -> None:
        self._debounce.stop()
        query = self.current_filter()
        self.table.show_matches(bool(query.text.strip()))
        # The same filter already loading (or loaded) needs no second query.
        if query != self.model.query or (self.model.rowCount() == 0 and not self.model.loading):
            self.model.set_filter(query)

    def reload(self) -> None:
        self.model.reload()

    def clear_filters(self, dispatched: bool | None = None) -> None:
        """Every condition off; `dispatched` then picks 区局分流 (True) or 自行受理 (False)."""
        widgets = (self.search, self.kind, self.status, self.channel, self.category, self.handler, self.office,
                   self.source, self.use_dates, self.overdue)
        for w in widgets:
            w.blockSignals(True)
        self.search.clear()
        for combo in (self.kind, self.status, self.channel, self.category, self.handler, self.office,
                      self.source):
            combo.setCurrentIndex(0)
        self.use_dates.setChecked(False)
        self.overdue.setChecked(False)
        if dispatched is not None:
            self.source.setCurrentIndex(self.source.findData(dispatched))
        for w in widgets:
            w.blockSignals(False)
        self.apply()

    def show_dispatched(self) -> None:
        """The complaints the district dispatched here (区局平台分流件), as after a sync round."""
        self.clear_filters(dispatched=True)

    # -- printing ------------------------------------------------------------------------------------
    def selected_rows(self) -> list[ComplaintRow]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [row for r in rows if (row := self.model.loaded_row(r)) is not None]

    def print_ledger(self) -> PeriodDialog | None:
        """投诉台账 of what the list shows; a list without a received-date range asks for one,
        because a ledger covers a period."""
        query = self.current_filter()
        if query.received_from is not None:
            preview_form(self.ctx, self, FormRequest("ledger", filter=query))
            return None
        dialog = PeriodDialog(self.model.today, self)

        def chosen() -> None:
            start, end = dialog.period()
            preview_form(self.ctx, self, FormRequest("ledger", filter=query, start=start, end=end))

        dialog.accepted.connect(chosen)
        dialog.open()
        return dialog

    # -- Excel ---------------------------------------------------------------------------------
    def export_excel(self, selection: bool = False) -> None:
        """Ask where to save, then export (the list as filtered, or the chosen rows)."""
        if selection and not self.selected_rows():
            QMessageBox.information(self, self.tr("导出所选行"), self.tr("请先在列表中选择要导出的行"))
            return
        name = self.tr("投诉举报台账-{0}.xlsx").format(self.model.today.strftime("%Y%m%d"))
        path = file_dialogs.save_file(self, self.tr("导出台账"), str(Path.home() / name),
                                      self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.export_to(Path(path), selection=selection)

    def export_to(self, target: Path, selection: bool = False) -> Task:
        """Write the workbook off the UI thread, with progress and 取消 (which leaves no file)."""
        query = self.current_filter()
        ids = [r.id for r in self.selected_rows()] if selection else None
        what = self.tr("搜索结果") if query.text and not selection else ""
        services, user = self.ctx.services, self.ctx.user
        dialog = QProgressDialog(self.tr("正在导出台账……"), self.tr("取消"), 0, 1000, self)
        dialog.setWindowTitle(self.tr("导出台账"))
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.export_dialog = dialog

        def work(state: TaskState) -> LedgerExport:
            return services.ledger_export.export(user, query, target, ids=ids,
                                                 progress=state.progress, what=what)

        def shown(done: int, total: int) -> None:
            dialog.setValue(int(done * 1000 / max(total, 1)))
            dialog.setLabelText(self.tr("正在导出台账…… {0} / {1} 行").format(done, total))

        def finished(result: LedgerExport) -> None:
            dialog.close()
            self.last_export = result
            self.sig_exported.emit(result)
            masked = self.tr("完整") if result.personal_in_full else self.tr("已脱敏")
            self.total.setText(self.tr("已导出 {0}：区局分流 {1} 件，自行接收 {2} 件（投诉人信息{3}）").format(
                result.path.name, result.dispatched, result.self_received, masked))

        def failed(error: BaseException) -> None:
            dialog.close()
            self.ctx.ops.report(self, error)

        # Beside the database worker: the lists stay usable while a large ledger is written.
        task = self.ctx.ops.run(work, finished, owner=self, on_error=failed, on_progress=shown,
                                database=False)
        dialog.canceled.connect(task.cancel)
        dialog.canceled.connect(dialog.close)
        self.export_task = task
        return task

    def open_import(self) -> QDialog:
        from desktop.ui.views.import_wizard import ImportWizard

        wizard = ImportWizard(self.ctx, self)
        wizard.sig_imported.connect(lambda _: self.apply())
        wizard.open()
        self.import_wizard = wizard
        return wizard

    def print_quarterly(self) -> QuarterDialog:
        dialog = QuarterDialog(self.model.today, self)

        def chosen() -> None:
            year, quarter = dialog.quarter()
            preview_form(self.ctx, self, FormRequest("quarterly-check", year=year, quarter=quarter))

        dialog.accepted.connect(chosen)
        dialog.open()
        return dialog

    def _count_changed(self, total: int | None) -> None:
        if total is None or total < 0:
            self.total.setText(self.tr("正在统计……"))
        else:
            self.total.setText(self.tr("共 {0} 件，已显示 {1} 件").format(total, self.model.loaded_count))

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        save_header(self, self.table.horizontalHeader())
        super().hideEvent(event)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        save_header(self, self.table.horizontalHeader())
        super().closeEvent(event)
