"""A table view over ComplaintTableModel: opens a complaint on double-click or Enter."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.ui.models.complaint_table import COLUMN_INDEX, ComplaintTableModel
from desktop.ui.widgets.tables import MarkedDelegate, fit_columns

# The columns of long names, which give way when the window is narrow.
# The columns a search's 匹配内容 takes the place of (their filters stand above the table).
SEARCH_HIDES = ("channel_code", "office_id")
FLEXIBLE = ("respondent_name", "subject", "office_id", "channel_code", "category_code",
            "matched")


class ComplaintTableView(QTableView):
    sig_open_complaint = Signal(int)

    def __init__(self, model: ComplaintTableModel | QAbstractItemModel,
                 parent: QWidget | None = None) -> None:
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
        # Each column as wide as its texts (a number is never cut); at 1366 px the long names
        # (被投诉方, 商品或服务, 承办单位, 来源) give way, cut in the middle with the whole name in
        # the tooltip, so that the ledger fits without scrolling sideways.
        self.fitter = fit_columns(self, [COLUMN_INDEX[k] for k in FLEXIBLE if k in COLUMN_INDEX],
                                  stretch=COLUMN_INDEX.get("respondent_name"))
        matched = COLUMN_INDEX["matched"]
        self.fitter.min_chars[matched] = 14
        self.fitter.last = [matched]
        # Why a row matched a search: hidden until the ledger searches.
        self.setItemDelegateForColumn(COLUMN_INDEX["matched"], MarkedDelegate(self))
        self.setColumnHidden(COLUMN_INDEX["matched"], True)
        # 同步 only on a PC that syncs with the district (else always empty).
        if isinstance(model, ComplaintTableModel):
            model.sig_enrolled.connect(self._show_sync)
        self.doubleClicked.connect(self._open)

    def _show_sync(self, enrolled: bool) -> None:
        self.setColumnHidden(COLUMN_INDEX["sync"], not enrolled)
        self.fitter.later()

    def show_matches(self, searching: bool) -> None:
        """Show the 匹配内容 column while searching (after any header state restored)."""
        # While searching, why each row matched takes the room of 来源 and 承办单位 (both
        # chosen above the table); it gives way after the other names, down to 14 characters.
        self.setColumnHidden(COLUMN_INDEX["matched"], not searching)
        for key in SEARCH_HIDES:
            self.setColumnHidden(COLUMN_INDEX[key], searching)
        self.fitter.later()

    def sizeHintForColumn(self, column: int) -> int:
        """The widest text of the rows on screen that are fetched. Qt's own measure reads up to
        1,000 rows beyond the screen, and in a long list (rows fetched by position) reading a row
        not fetched yet fetches its page: sizing the columns would fetch the whole list."""
        model = self.model()
        if model is None or model.rowCount() == 0:
            return -1
        top = max(0, self.rowAt(0))
        bottom = self.rowAt(self.viewport().height() - 1)
        if bottom < 0:
            bottom = model.rowCount() - 1
        loaded = getattr(model, "loaded_row", None)
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        width = -1
        for row in range(top, bottom + 1):
            if loaded is not None and loaded(row) is None:
                continue
            index = model.index(row, column)
            width = max(width, self.itemDelegateForIndex(index).sizeHint(option, index).width())
        return width + (1 if self.showGrid() and width >= 0 else 0)

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
