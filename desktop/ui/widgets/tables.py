"""Read-only tables of text: rows selected whole, no row numbers, long texts wrapped and in the
tooltip. Used where a window lists a complaint's records, attachments, history, notices."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

RED = QColor("#a61b1b")  # a late delivery, an overdue step


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
               red: AbstractSet[tuple[int, int]] = frozenset()) -> None:
    """Replace the rows with these texts (each also its cell's tooltip); the cells at the
    (row, column) pairs in `red` in red. Rows then as high as their wrapped text."""
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            if (r, c) in red:
                item.setForeground(QBrush(RED))
            table.setItem(r, c, item)
    table.resizeRowsToContents()
