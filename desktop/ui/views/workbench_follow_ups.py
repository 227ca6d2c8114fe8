"""The workbench's 待回访 list: closed items still waiting for a reached 回访, overdue first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

from desktop.domain.workflow import Intake, Result
from desktop.services.dto import WaitingFollowUps

_LATE = QColor("#a61b1b")


class FollowUpList(QTableWidget):
    """One row per waiting item (the rows the service gave: a page, the longest closed first);
    a double-click opens the complaint."""

    sig_open_complaint = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 8, parent)
        self.setHorizontalHeaderLabels([
            self.tr("投诉单号"), self.tr("类型"), self.tr("被投诉方"), self.tr("投诉人"),
            self.tr("办结结果"), self.tr("办结日期"), self.tr("回访期限"), self.tr("情况")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.setToolTip(self.tr("双击打开投诉，在「送达与回访」页记录回访"))
        for column, width in enumerate((190, 50, 260, 70, 90, 90, 90)):
            self.setColumnWidth(column, width)
        self.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.waiting: WaitingFollowUps | None = None

    def show_waiting(self, waiting: WaitingFollowUps) -> None:
        self.waiting = waiting
        self.setRowCount(len(waiting.rows))
        red = QBrush(_LATE)
        for r, w in enumerate(waiting.rows):
            state = [self.tr("已超期")] if w.overdue else []
            if w.attempts:
                state.append(self.tr("已回访 {0} 次未联系上").format(w.attempts))
            texts = [w.number, self.tr(Intake(w.kind).label), w.respondent_name,
                     w.complainant_name, self.tr(Result(w.result).label) if w.result else "",
                     w.closed_on.isoformat(), w.due_on.isoformat(), "；".join(state)]
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, w.complaint_id)
                if w.overdue and c in (6, 7):
                    item.setForeground(red)
                self.setItem(r, c, item)

    def open_row(self, row: int) -> None:
        item = self.item(row, 0)
        if item is not None:
            self.sig_open_complaint.emit(item.data(Qt.ItemDataRole.UserRole))
