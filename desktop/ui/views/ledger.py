"""投诉台账: the whole complaint list, filtered and searched, fetched page by page."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.complaint import ComplaintFilter
from desktop.domain.workflow import Intake, Status
from desktop.services.dto import ComplaintRow
from desktop.services.printing import FormRequest
from desktop.ui.context import AppContext
from desktop.ui.dialogs.print_options import PeriodDialog, QuarterDialog
from desktop.ui.dialogs.print_preview import preview_form
from desktop.ui.models.complaint_table import ComplaintTableModel
from desktop.ui.printing import print_icon
from desktop.ui.settings import restore_header, save_header
from desktop.ui.widgets.complaint_view import ComplaintTableView

OPEN = "__open__"


class LedgerPage(QWidget):
    sig_open_complaint = Signal(int)

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
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.print_button)

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
        self.print_button = QToolButton()
        self.print_button.setText(self.tr("打印"))
        self.print_button.setIcon(print_icon(self))
        self.print_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.print_button.setMenu(menu)
        self.print_menu = menu

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
        return [self.model.row_at(r) for r in rows]

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
            self.total.setText(self.tr("共 {0} 件，已显示 {1} 件").format(total, self.model.rowCount()))

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        save_header(self, self.table.horizontalHeader())
        super().hideEvent(event)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        save_header(self, self.table.horizontalHeader())
        super().closeEvent(event)
