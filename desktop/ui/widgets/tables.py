"""Read-only tables of text: rows selected whole, no row numbers, long texts wrapped and in the
tooltip. Used where a window lists a complaint's records, attachments, history, notices."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QHelpEvent, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
)

# How a search's snippet marks the words it matched (the service's desktop/db/search.py).
MARK_OPEN, MARK_CLOSE = "【", "】"
RED = QColor("#a61b1b")  # a late delivery, an overdue step
GREY = QColor("#777777")  # a record no longer in force (a corrected mediation record)


def read_only_table(headers: Sequence[str], widths: Iterable[int] = (), stretch: int | None = None,
                    fit_contents: bool = False) -> QTableWidget:
    """Columns fitting the window (ColumnFitter): the short ones as wide as their texts, those
    asked `widths` of WRAPPED_WIDTH or more (long texts, wrapped) sharing the rest, the
    `stretch` column taking what is left; or, with `fit_contents`, every column as wide as
    its contents and the last one taking the rest."""
    widths = list(widths)
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
    elif stretch is not None:
        # Columns to their texts; the columns of long texts (wrapped) give way, down to about
        # the width asked for them, the `stretch` one last, and it takes what is left.
        texts = [c for c, w in enumerate(widths) if w >= WRAPPED_WIDTH or c == stretch]
        fitter = fit_columns(table, texts, stretch)
        fitter.together = True
        char = table.fontMetrics().horizontalAdvance("中")
        for c in texts:
            if c < len(widths):
                fitter.min_chars[c] = max(GIVING_MIN_CHARS, min(12, widths[c] // (2 * char)))
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


# -- columns that fit their window -----------------------------------------------------------------
# A column is never narrower than its title (and, for a flexible one, a few characters); a
# column's natural width is its widest text shown, up to MAX_NATURAL.
MAX_NATURAL = 420
FLEX_MIN_CHARS = 8  # the stretch column (the main name)
GIVING_MIN_CHARS = 4  # the other flexible columns
WRAPPED_WIDTH = 150  # px asked for a read-only table's column: a long text, wrapped
PADDING = 16


class _ElidedTips(QStyledItemDelegate):
    """Shows the whole text of a cell as its tooltip when the cell shows it cut (…), unless
    the model gives a tooltip of its own."""

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView,  # type: ignore[override]
                  option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> bool:
        if event is not None and event.type() == QEvent.Type.ToolTip and index.isValid() \
                and index.data(Qt.ItemDataRole.ToolTipRole) in (None, ""):
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if isinstance(text, str) and text:
                width = option.fontMetrics.horizontalAdvance(text) + PADDING
                if width > option.rect.width():
                    QToolTip.showText(event.globalPos(), text, view)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().helpEvent(event, view, option, index)


class ColumnFitter(QObject):
    """Sizes a table's columns to their contents within the window: each column as wide as its
    widest text shown (never narrower than its title); when the window is too narrow, the
    `flexible` columns (long names) give way down to a few characters, their text cut in the
    middle with the whole text in the tooltip; when it is wider, the `stretch` column (by
    default the last flexible one, else the last) takes the rest. Stops for a table once the
    user drags a column's edge."""

    def __init__(self, view: QTableView | QTableWidget, flexible: Sequence[int] = (),
                 stretch: int | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.flexible = tuple(flexible)
        self.stretch = stretch
        self.min_chars: dict[int, int] = {}  # a flexible column's own least width, in characters
        self.last: list[int] = []  # flexible columns that give way only after the others
        self.together = False  # the stretch column gives way with the others (wrapped texts)
        self.user_sized = False
        self._fitting = False
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.fit)
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        view.setItemDelegate(_ElidedTips(view))
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._resized)
        view.viewport().installEventFilter(self)
        self._watch(view.model())

    def _watch(self, model: QAbstractItemModel | None) -> None:
        if model is None:
            return
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged,
                       model.dataChanged, model.headerDataChanged):
            signal.connect(self.later)

    def later(self, *_: object) -> None:
        if not self.user_sized:
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.later()
        return False

    def _resized(self, _column: int, old: int, new: int) -> None:
        # A column's edge dragged (not one hidden or shown, nor the fitter's own widths): the
        # user's widths stand, and are remembered (ui/settings.py).
        if not self._fitting and self.view.isVisible() and old > 0 and new > 0:
            self.user_sized = True

    def minimum(self, column: int) -> int:
        """The narrowest a column may be: its title, and a few characters for a flexible one."""
        header = self.view.horizontalHeader()
        title = self.view.model().headerData(column, Qt.Orientation.Horizontal)
        metrics = header.fontMetrics()
        least = metrics.horizontalAdvance(str(title or "")) + PADDING + 8  # the sort arrow
        if column in self.flexible:
            chars = self.min_chars.get(
                column, FLEX_MIN_CHARS if column == self.stretch else GIVING_MIN_CHARS)
            least = max(least, metrics.horizontalAdvance("中" * chars) + PADDING)
        return least

    def natural(self, column: int) -> int:
        return max(self.minimum(column),
                   min(MAX_NATURAL, self.view.sizeHintForColumn(column) + 4))

    def fit(self) -> None:
        view, model = self.view, self.view.model()
        if model is None or self.user_sized:
            return
        columns = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
        if not columns:
            return
        widths = {c: self.natural(c) for c in columns}
        available = view.viewport().width()
        over = sum(widths.values()) - available
        flexible = [c for c in self.flexible if c in widths]
        stretch = self.stretch if self.stretch in widths else (
            flexible[-1] if flexible else columns[-1])
        if over > 0 and flexible:
            # The other flexible columns give way first, in proportion to what they can give;
            # the stretch column (the main name) last.
            first = [c for c in flexible if (c != stretch or self.together) and c not in self.last]
            for group in (first, [c for c in self.last if c != stretch], [stretch]):
                room = {c: widths[c] - self.minimum(c) for c in group if c in widths}
                total = sum(room.values())
                if total <= 0 or over <= 0:
                    continue
                share = min(1.0, over / total)
                for c in room:
                    give = min(room[c], int(room[c] * share + 0.999))
                    widths[c] -= give
                    over -= give
        elif over < 0:
            widths[stretch] -= over  # the rest of the width
        self._fitting = True
        try:
            for c, width in widths.items():
                view.setColumnWidth(c, width)
        finally:
            self._fitting = False


def fit_columns(view: QTableView | QTableWidget, flexible: Sequence[int] = (),
                stretch: int | None = None) -> ColumnFitter:
    """Columns sized to their contents within the window (see ColumnFitter)."""
    fitter = ColumnFitter(view, flexible, stretch)
    fitter.later()
    return fitter


class MarkedDelegate(QStyledItemDelegate):
    """Draws a text whose words are marked 【】 (a search's snippet) with those words on a
    yellow ground and bold, without the brackets; cut at the right with … when too long."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or MARK_OPEN not in text:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style = item.widget.style() if item.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        rect = item.rect.adjusted(4, 0, -4, 0)
        text = keep_mark_in_view(text, rect.width(), QFontMetrics(item.font))
        document = QTextDocument()
        document.setDefaultFont(item.font)
        document.setDocumentMargin(0)
        document.setHtml(marked_html(text))
        painter.save()
        painter.setClipRect(rect)
        painter.translate(rect.left(), rect.top() + (rect.height() - document.size().height()) / 2)
        document.drawContents(painter)
        painter.restore()


def keep_mark_in_view(text: str, width: int, metrics: QFontMetrics) -> str:
    """A snippet 「label：…words 【match】 more」 whose match would fall past the cell's right
    edge loses words before the match (the label stays), so that the match is seen."""
    if MARK_CLOSE not in text:
        return text
    upto = text[:text.index(MARK_CLOSE)].replace(MARK_OPEN, "")
    slack = metrics.horizontalAdvance("中")  # the bold match is a little wider
    if metrics.horizontalAdvance(upto) + slack <= width:
        return text
    label, sep, rest = text.partition("：")
    if not sep:
        label, rest = "", text
    before, _, after = rest.partition(MARK_OPEN)
    before = before.lstrip("…")
    word = after.partition(MARK_CLOSE)[0]
    head = label + sep + "…"
    while before and metrics.horizontalAdvance(head + before + word) + slack > width:
        before = before[1:]
    return head + before + MARK_OPEN + after


def marked_html(text: str) -> str:
    """A snippet's 【word】 marks as highlighted HTML (the rest escaped)."""
    parts = []
    for piece in text.split(MARK_OPEN):
        word, sep, rest = piece.partition(MARK_CLOSE)
        if sep:
            parts.append(f'<span style="background:#ffe58a; font-weight:bold;">{html.escape(word)}</span>'
                         f"{html.escape(rest)}")
        else:
            parts.append(html.escape(piece))
    return "<span style='white-space:pre'>" + "".join(parts) + "</span>"
