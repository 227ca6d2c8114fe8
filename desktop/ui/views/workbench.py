"""工作台: my open complaints, due soon, overdue, received today, and the calendar warning."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.calendar import YearSource, guessed_year_warning
from desktop.domain.complaint import ComplaintFilter, SortKey
from desktop.services.dto import Changed
from desktop.services.printing import FormRequest
from desktop.ui.context import AppContext
from desktop.ui.models.complaint_table import ComplaintTableModel
from desktop.ui.ops import Task
from desktop.ui.settings import restore_header, save_header
from desktop.ui.widgets.complaint_view import ComplaintTableView

CARD_STYLE = """
QPushButton {{ text-align: left; padding: 10px 14px; border: 1px solid #c9d3df;
  border-radius: 6px; background: {bg}; }}
QPushButton:checked {{ border: 2px solid #2f6fb3; background: #e8f0fb; }}
"""


@dataclass(frozen=True)
class Card:
    key: str
    title: str
    colour: str


CARDS = (
    Card("mine", "我的在办", "#ffffff"),
    Card("soon", "两个工作日内到期", "#fff8e1"),
    Card("overdue", "已超期", "#fdecec"),
    Card("today", "今日登记", "#ffffff"),
)


@dataclass(frozen=True)
class Figures:
    filters: dict[str, ComplaintFilter]
    counts: dict[str, int]
    warning: str | None


class WorkbenchPage(QWidget):
    sig_open_complaint = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filters: dict[str, ComplaintFilter] = {}
        self.current = "mine"
        hello = QLabel(self.tr("{0}，您好。今天要办的投诉：").format(ctx.user.display_name))
        hello.setStyleSheet("font-size: 16px;")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background: #fff4d6; border: 1px solid #e8c46a; padding: 6px;")
        self.warning.hide()
        self.cards: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        cards = QHBoxLayout()
        for card in CARDS:
            button = QPushButton()
            button.setCheckable(True)
            button.setMinimumHeight(66)
            button.setStyleSheet(CARD_STYLE.format(bg=card.colour))
            button.clicked.connect(lambda _=False, key=card.key: self.select(key))
            group.addButton(button)
            cards.addWidget(button)
            self.cards[card.key] = button
            self._set_card(card.key, None)
        self.list_title = QLabel()
        self.list_title.setStyleSheet("font-weight: bold; margin-top: 6px;")
        self.print_button = QPushButton(self.tr("打印当前列表…"))
        self.print_button.setToolTip(self.tr("按投诉台账的格式打印这张卡片列出的投诉"))
        self.print_button.clicked.connect(self.print_list)
        title_row = QHBoxLayout()
        title_row.addWidget(self.list_title)
        title_row.addStretch()
        title_row.addWidget(self.print_button)
        self.model = ComplaintTableModel(ctx, self)
        self.table = ComplaintTableView(self.model)
        self.table.sig_open_complaint.connect(self.sig_open_complaint)
        self.table.setSortingEnabled(False)
        restore_header(self, self.table.horizontalHeader())
        layout = QVBoxLayout(self)
        layout.addWidget(hello)
        layout.addWidget(self.warning)
        layout.addLayout(cards)
        layout.addLayout(title_row)
        layout.addWidget(self.table, 1)
        ctx.ops.sig_changed.connect(self._on_changed)
        self.cards["mine"].setChecked(True)
        self.reload()

    def _set_card(self, key: str, count: int | None) -> None:
        card = next(c for c in CARDS if c.key == key)
        number = "…" if count is None else str(count)
        self.cards[key].setText(f"{self.tr(card.title)}\n{number} {self.tr('件')}")
        font = self.cards[key].font()
        font.setPointSize(12)
        self.cards[key].setFont(font)

    def count(self, key: str) -> int | None:
        text = self.cards[key].text().split("\n")[1].split()[0]
        return int(text) if text.isdigit() else None

    def reload(self) -> None:
        services, user = self.ctx.services, self.ctx.user

        def work() -> Figures:
            c = services.complaints
            filters = {"mine": c.open_filter(user), "soon": c.due_soon_filter(),
                       "overdue": c.overdue_filter(), "today": c.received_today_filter()}
            counts = {key: c.count(user, query) for key, query in filters.items()}
            # Deadlines reach into next year long before it starts: say when its calendar is a guess.
            today = services.ctx.clock.today()
            warning = None
            calendar = services.ctx.reference.calendar()
            guessed = [y for y in (today.year, today.year + 1)
                       if (y == today.year or today.month >= 10)
                       and calendar.source(y) is YearSource.GUESSED]
            if guessed:
                warning = guessed_year_warning(guessed)
            return Figures(filters, counts, warning)

        self.ctx.ops.query(work, self._show, owner=self)

    def _show(self, figures: Figures) -> None:
        self.filters = figures.filters
        for key, count in figures.counts.items():
            self._set_card(key, count)
        self.warning.setVisible(bool(figures.warning))
        if figures.warning:
            self.warning.setText(self.tr("提示：") + figures.warning)
        self.select(self.current)

    def select(self, key: str) -> None:
        self.current = key
        self.cards[key].setChecked(True)
        title = next(c.title for c in CARDS if c.key == key)
        self.list_title.setText(self.tr(title))
        # Always start over: a change can move a complaint into or out of these lists (closed,
        # no longer overdue), which refreshing rows in place would not show.
        if key in self.filters:
            self.model.set_filter(self.filters[key])

    def print_list(self) -> Task | None:
        """The card's list as a 投诉台账 under the card's name. The cards have no date range, and
        the ledger covers one: from the oldest complaint listed up to today."""
        from desktop.ui.dialogs.print_preview import preview_form

        query = self.filters.get(self.current)
        if query is None:
            return None
        services, user = self.ctx.services, self.ctx.user
        title = self.tr(next(c.title for c in CARDS if c.key == self.current))

        def request() -> FormRequest:
            today = services.ctx.clock.today()
            oldest = services.complaints.page(
                user, replace(query, sort=SortKey.RECEIVED, reverse=True), limit=1).rows
            start = min(oldest[0].received_at.date(), today) if oldest else today
            return FormRequest("ledger", filter=query, start=start,
                               end=max(today, query.received_to or today), title=title)

        return preview_form(self.ctx, self, request)

    def _on_changed(self, changed: Changed) -> None:
        if changed.entity in ("complaint", "mediation_record", "calendar", "rule_set"):
            self.reload()

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        save_header(self, self.table.horizontalHeader())
        super().hideEvent(event)
