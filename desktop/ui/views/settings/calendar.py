"""The 工作日 tab: a year's holidays and make-up working days, overrides, confirming the year."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.calendar import DayInfo, YearSource
from desktop.services.dto import Changed
from desktop.ui.context import AppContext
from desktop.ui.settings import restore_header, save_header
from desktop.ui.views.settings.common import (
    FormDialog,
    button_row,
    fill_table,
    make_table,
    selected_key,
    show_dialog,
    tr,
)
from desktop.ui.widgets import messages

WEEKDAYS = "一二三四五六日"
# year_exceptions names a day an administrator set with this prefix (domain/calendar.py).
OVERRIDE_PREFIX = "管理员设定"


class OverrideDialog(FormDialog):
    """Set one day as a working day or a day off, e.g. a 调休 Saturday."""

    def __init__(self, ctx: AppContext, day: date, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("设定工作日"), parent)
        self.day = self.add_field(self.tr("日期"), QDateEdit(QDate(day.year, day.month, day.day)))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.working = self.add_field(self.tr("设为"), QComboBox())
        self.working.addItem(self.tr("放假"), False)
        self.working.addItem(self.tr("上班"), True)
        self.note = self.add_field(self.tr("备注"), QLineEdit())
        self.note.setPlaceholderText(self.tr("如：国办发明电〔2026〕X 号 春节调休"))

    def prepare(self) -> Callable[[], Changed]:
        day = self.day.date().toPython()
        working, note = bool(self.working.currentData()), self.note.text().strip()
        reference, admin = self._ctx.services.reference, self._ctx.user
        return lambda: reference.set_override(admin, day, working, note)


class CalendarTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._days: dict[date, DayInfo] = {}
        self._source: YearSource | None = None
        self._dialog: QDialog | None = None
        self.year = QSpinBox()
        self.year.setRange(2004, 2100)
        self.year.setValue(QDate.currentDate().year())
        self.source = QLabel()
        explain = QLabel(self.tr(
            "国务院办公厅每年秋季公布下一年的放假和调休安排。公布之前，跨入该年的期限只能按推测计算"
            "（法定节日放假，调休上班日不知道），投诉的期限旁会有提示。安排公布后，请把该年的放假日和"
            "调休上班日逐日录入，再点「确认本年日历」：期限不再标为推测，所有未办结投诉的期限随即重算。"))
        explain.setWordWrap(True)
        self.add_button = QPushButton(self.tr("添加设定…"))
        self.remove_button = QPushButton(self.tr("删除设定"))
        self.confirm_button = QPushButton(self.tr("确认本年日历"))
        self.unconfirm_button = QPushButton(self.tr("撤销确认"))
        self.status = QLabel()
        self.table = make_table([self.tr("日期"), self.tr("星期"), self.tr("上班/放假"), self.tr("说明")])
        restore_header(self, self.table.horizontalHeader(), "calendar")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年份：")))
        top.addWidget(self.year)
        top.addWidget(self.source, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(explain)
        layout.addLayout(button_row(self.add_button, self.remove_button, self.confirm_button,
                                    self.unconfirm_button, status=self.status))
        layout.addWidget(self.table)
        self.year.valueChanged.connect(self.reload)
        self.add_button.clicked.connect(lambda: self.open_add_override())
        self.remove_button.clicked.connect(self.remove_selected)
        self.confirm_button.clicked.connect(self.confirm_year)
        self.unconfirm_button.clicked.connect(self.unconfirm_year)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        ctx.ops.sig_changed.connect(self._on_changed)
        self._update_buttons()
        self.reload()

    @Slot()
    def reload(self) -> None:
        reference, year = self._ctx.services.reference, self.year.value()
        self._ctx.ops.query(lambda: (year, *reference.year_exceptions(year)), self._show, owner=self)

    def _show(self, result: tuple[int, YearSource, list[DayInfo]]) -> None:
        year, source, days = result
        if year != self.year.value():  # the user moved on to another year meanwhile
            return
        self._source = source
        self._days = {d.day: d for d in days}
        self.source.setText(self.tr("{year} 年的日历：{source}").format(year=year, source=source.label)
                            + self._source_note(source))
        fill_table(self.table, [
            (d.day, [d.day.isoformat(), self.tr("星期") + WEEKDAYS[d.day.weekday()],
                     self.tr("上班") if d.is_working else self.tr("放假"), d.name])
            for d in days])
        self._update_buttons()

    def _source_note(self, source: YearSource) -> str:
        if source is YearSource.OFFICIAL:
            return self.tr("（程序已内置国务院公布的安排，无需确认）")
        if source is YearSource.GUESSED:
            return self.tr("（尚未确认：跨入该年的期限按推测计算）")
        return self.tr("（已确认）")

    def selected_day(self) -> DayInfo | None:
        key = selected_key(self.table)
        return self._days.get(key) if key is not None else None

    @Slot()
    def _update_buttons(self) -> None:
        day = self.selected_day()
        self.remove_button.setEnabled(day is not None and day.name.startswith(OVERRIDE_PREFIX))
        self.confirm_button.setEnabled(self._source is YearSource.GUESSED)
        self.unconfirm_button.setEnabled(self._source is YearSource.CONFIRMED)

    @Slot(object)
    def _on_changed(self, changed: Changed) -> None:
        if changed.entity == "calendar":
            self.reload()

    # -- actions ---------------------------------------------------------------------------
    def open_add_override(self, day: date | None = None) -> OverrideDialog:
        if day is None:
            chosen = self.selected_day()
            day = chosen.day if chosen is not None else date(self.year.value(), 1, 1)
        dialog = OverrideDialog(self._ctx, day, self)
        dialog.sig_saved.connect(lambda _: self.status.setText(
            self.tr("已保存设定，未办结投诉的期限已重新计算。")))
        self._dialog = show_dialog(self._dialog, dialog)
        return dialog

    def remove_selected(self) -> None:
        day = self.selected_day()
        if day is None or not day.name.startswith(OVERRIDE_PREFIX):
            return
        if not messages.confirm(self, self.tr("删除设定"), self.tr(
                "删除 {day} 的设定后，这一天按国务院公布的安排（或推测）计算。确定删除吗？").format(
                day=day.day.isoformat())):
            return
        self._write(lambda reference, admin: reference.remove_override(admin, day.day),
                    self.tr("已删除 {day} 的设定，未办结投诉的期限已重新计算。").format(
                        day=day.day.isoformat()))

    def confirm_year(self) -> None:
        year = self.year.value()
        if not messages.confirm(self, self.tr("确认本年日历"), self.tr(
                "确认 {year} 年的放假日和调休上班日都已按国务院公布的安排录入了吗？"
                "确认后，跨入 {year} 年的期限不再标为推测。").format(year=year)):
            return
        self._write(lambda reference, admin: reference.confirm_year(admin, year),
                    self.tr("{year} 年日历已确认。").format(year=year))

    def unconfirm_year(self) -> None:
        year = self.year.value()
        if not messages.confirm(self, self.tr("撤销确认"), self.tr(
                "撤销后，跨入 {year} 年的期限重新标为推测（已录入的设定保留）。确定撤销吗？").format(
                year=year)):
            return
        self._write(lambda reference, admin: reference.unconfirm_year(admin, year),
                    self.tr("已撤销 {year} 年日历的确认。").format(year=year))

    def _write(self, call: Callable, done: str) -> None:  # type: ignore[type-arg]
        reference, admin = self._ctx.services.reference, self._ctx.user
        self._ctx.ops.mutate(lambda: call(reference, admin), lambda _: self.status.setText(done),
                             owner=self)

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        save_header(self, self.table.horizontalHeader(), "calendar")
        super().hideEvent(event)
