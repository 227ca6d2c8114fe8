"""What a printed list covers, asked before it is rendered: a period, a month, a quarter, or
the reasons for not disclosing the chosen complaints."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.dto import ComplaintRow
from desktop.ui.widgets.field_errors import ERROR_STYLE

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _date_edit(day: date, display: str = "yyyy-MM-dd") -> QDateEdit:
    edit = QDateEdit(QDate(day))
    edit.setDisplayFormat(display)
    edit.setCalendarPopup(display == "yyyy-MM-dd")
    return edit


class _OptionsDialog(QDialog):
    """A form and 确定/取消; the caller connects `accepted` and reads the values."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(360)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("预览"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)

    def finish_layout(self) -> None:
        self.body.addWidget(self.error)
        self.body.addWidget(self.buttons)

    def refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def submit(self) -> None:
        self.accept()


class PeriodDialog(_OptionsDialog):
    """投诉台账 of the complaints received between two days (default: this month so far)."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("投诉台账：接收日期"), parent)
        self.start = _date_edit(today.replace(day=1))
        self.end = _date_edit(today)
        self.form.addRow(QLabel(self.tr("列表没有限定接收日期，台账按这段时间内接收的投诉打印：")))
        self.form.addRow(self.tr("起始日期"), self.start)
        self.form.addRow(self.tr("截止日期"), self.end)
        self.finish_layout()

    def period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()

    def submit(self) -> None:
        start, end = self.period()
        if end < start:
            self.refuse(self.tr("截止日期不能早于起始日期。"))
            return
        self.accept()


class MonthDialog(_OptionsDialog):
    """消费投诉公示审批表 of a month (default: last month, the one being disclosed)."""

    def __init__(self, title: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.month_edit = _date_edit(previous_month(today), "yyyy年MM月")
        self.form.addRow(self.tr("月份"), self.month_edit)
        self.finish_layout()

    def month(self) -> date:
        return self.month_edit.date().toPython().replace(day=1)


class QuarterDialog(_OptionsDialog):
    """季度未办结件核对表 (default: the quarter today is in)."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("季度未办结件核对表"), parent)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.quarter_box = QComboBox()
        self.quarter_box.addItems([self.tr(q) for q in QUARTERS])
        self.quarter_box.setCurrentIndex((today.month - 1) // 3)
        self.form.addRow(self.tr("年度"), self.year)
        self.form.addRow(self.tr("季度"), self.quarter_box)
        self.finish_layout()

    def quarter(self) -> tuple[int, int]:
        return self.year.value(), self.quarter_box.currentIndex() + 1


class RefusalDialog(_OptionsDialog):
    """消费投诉不予公示审批表: the chosen complaints, each with its 不予公示理由, and the month."""

    REASON = 2

    def __init__(self, rows: list[ComplaintRow], today: date, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("消费投诉不予公示审批表"), parent)
        self.setMinimumWidth(720)
        self.rows = rows
        self.month_edit = _date_edit(previous_month(today), "yyyy年MM月")
        self.form.addRow(self.tr("公示月份"), self.month_edit)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels([self.tr("投诉单号"), self.tr("被投诉方"),
                                              self.tr("不予公示理由（双击填写）")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.table.horizontalHeader()
        self.table.setColumnWidth(0, 170)
        self.table.setColumnWidth(1, 220)
        header.setSectionResizeMode(self.REASON, QHeaderView.ResizeMode.Stretch)
        for r, row in enumerate(rows):
            for c, text in enumerate((row.number, row.respondent_name)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
            self.table.setItem(r, self.REASON, QTableWidgetItem(""))
        self.body.addWidget(self.table, 1)
        self.finish_layout()
        if rows:
            self.table.setCurrentCell(0, self.REASON)

    def month(self) -> date:
        return self.month_edit.date().toPython().replace(day=1)

    def reasons(self) -> dict[int, str]:
        return {row.id: self.table.item(r, self.REASON).text().strip() for r, row in enumerate(self.rows)}

    def submit(self) -> None:
        # Close an open cell editor first, so the text being typed counts.
        self.table.setCurrentIndex(QModelIndex())
        missing = [r for r, row in enumerate(self.rows) if not self.table.item(r, self.REASON).text().strip()]
        if missing:
            self.refuse(self.tr("请为每件投诉填写不予公示理由（还有 {0} 件未填）。").format(len(missing)))
            self.table.setCurrentCell(missing[0], self.REASON)
            self.table.editItem(self.table.item(missing[0], self.REASON))
            return
        self.accept()
