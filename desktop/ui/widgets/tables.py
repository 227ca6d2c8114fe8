"""Read-only tables of text: rows selected whole, no row numbers, long texts wrapped and in the
tooltip. Used where a window lists a complaint's records, attachments, history, notices."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

RED = QColor("#a61b1b")  # a late delivery, an overdue step
GREY = QColor("#777777")  # a record no longer in force (a corrected mediation record)


def read_only_table(headers: Sequence[str], widths: Iterable[int] = (), stretch: int | None = None,
                    fit_contents: bool = False) -> QTableWidget:
    """Fixed `widths` for the first columns and the `stretch` column taking the rest; or, with
    `fit_contents`, every column as wide as its contents and the last one taking the rest."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    # Rows as tall as their wrapped text, also after a column or the window is resized.
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = table.horizontalHeader()
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    if fit_contents:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]],
               red: AbstractSet[tuple[int, int]] = frozenset(),
               grey: AbstractSet[int] = frozenset()) -> None:
    """Replace the rows with these texts (each also its cell's tooltip); the cells at the
    (row, column) pairs in `red` in red, the rows in `grey` (no longer in force) grey and
    struck through. Rows as high as their wrapped text (the vertical header follows the
    column widths as the window is resized)."""
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            if (r, c) in red:
                item.setForeground(QBrush(RED))
            if r in grey:
                item.setForeground(QBrush(GREY))
                if c != len(values) - 1:  # the last column says why
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
            table.setItem(r, c, item)
    table.resizeRowsToContents()
