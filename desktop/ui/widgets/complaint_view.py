"""A table view over ComplaintTableModel: opens a complaint on double-click or Enter."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.ui.models.complaint_table import COLUMN_INDEX, ComplaintTableModel


class ComplaintTableView(QTableView):
    sig_open_complaint = Signal(int)

    def __init__(self, model: ComplaintTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        # The indicator first, then sorting on: the other order makes Qt sort by column 0 and
        # then by this one, two wasted queries before the first page.
        header.setSortIndicator(COLUMN_INDEX["received_at"], Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        # The ledger's columns come from the catalogue; these are the widths that suit them
        # (a column not named here keeps Qt's default).
        widths = {"number": 170, "kind": 48, "received_at": 125, "status": 70, "due_on": 90,
                  "respondent_name": 230, "subject": 140, "category_code": 110,
                  "complainant_name": 70, "complainant_phone": 105, "channel_code": 120,
                  "office_id": 150, "handler_id": 70, "sync": 70}
        for key, width in widths.items():
            if key in COLUMN_INDEX:
                self.setColumnWidth(COLUMN_INDEX[key], width)
        self.doubleClicked.connect(self._open)

    def complaint_model(self) -> ComplaintTableModel:
        model = self.model()
        assert isinstance(model, ComplaintTableModel)
        return model

    def _open(self, index: QModelIndex) -> None:
        row = self.complaint_model().loaded_row(index.row()) if index.isValid() else None
        if row is not None:  # a long list's row not fetched yet opens nothing
            self.sig_open_complaint.emit(row.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)
