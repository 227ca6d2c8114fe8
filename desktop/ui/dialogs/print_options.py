"""What a printed list covers, asked before it is rendered: a period or a quarter. (The
disclosure sheets print from the 公示 page, which has its month already.)"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QSpinBox,
    QWidget,
)

from desktop.ui.dialogs.small_form import SmallForm

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def _date_edit(day: date, display: str = "yyyy-MM-dd") -> QDateEdit:
    edit = QDateEdit(QDate(day))
    edit.setDisplayFormat(display)
    edit.setCalendarPopup(display == "yyyy-MM-dd")
    return edit


class _OptionsDialog(SmallForm):
    """What a list covers; 确定 reads 预览, because the preview opens next."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(title, self.tr("预览"), parent)


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

    def validate(self) -> bool:
        start, end = self.period()
        if end < start:
            self.refuse(self.tr("截止日期不能早于起始日期。"))
            return False
        return True


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
