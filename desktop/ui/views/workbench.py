"""工作台: my open complaints, due soon, overdue, received today, closed ones waiting for a
回访, and the calendar warning;
once after a rule-set change, the complaints whose deadline moved earlier (overdue first), and
for an administrator the shipped rule sets waiting for a decision."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.calendar import YearSource, guessed_year_warning
from desktop.domain.complaint import ComplaintFilter, SortKey
from desktop.services.dto import Changed, WaitingFollowUps
from desktop.services.printing import FormRequest
from desktop.services.reference import DeadlineNotice, RuleSetOffer, WorkbenchNotices
from desktop.ui.context import AppContext
from desktop.ui.models.complaint_table import ComplaintTableModel
from desktop.ui.ops import Task
from desktop.ui.settings import restore_header, save_header
from desktop.ui.views.workbench_follow_ups import FollowUpList
from desktop.ui.widgets.backup_banner import BackupBanner
from desktop.ui.widgets.complaint_view import ComplaintTableView
from desktop.ui.widgets.tables import fit_columns

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
    Card("follow_up", "待回访", "#eef6ee"),  # not a ComplaintFilter: its own list
)
FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class Figures:
    filters: dict[str, ComplaintFilter]
    counts: dict[str, int]
    warning: str | None
    notices: WorkbenchNotices
    waiting: WaitingFollowUps


NOTICE_STYLE = "QFrame#{name} {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"


class DeadlineNoticePanel(QFrame):
    """The complaints whose deadline a rule-set change moved earlier, overdue first; shown to
    each user until they press 知道了, then never again for that change."""

    sig_open_complaint = Signal(int)
    sig_dismissed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notice: DeadlineNotice | None = None
        self.setObjectName("deadlineNotice")
        self.setStyleSheet(NOTICE_STYLE.format(name="deadlineNotice", bg="#fdecec", border="#e3a3a3"))
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.dismiss_button = QPushButton(self.tr("知道了"))
        self.dismiss_button.setToolTip(self.tr("不再显示这条提示（期限本身已按新规定计算）"))
        self.dismiss_button.clicked.connect(self._dismiss)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("投诉单号"), self.tr("被投诉方"), self.tr("状态"), self.tr("原办理期限"),
            self.tr("现办理期限"), self.tr("情况")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        fit_columns(self.table, (1, 5), 5)
        self.table.setToolTip(self.tr("双击打开投诉"))
        self.table.doubleClicked.connect(
            lambda index: self.sig_open_complaint.emit(self.table.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)))
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.reason)
        layout.addWidget(self.table)
        self.hide()

    def show_notice(self, notice: DeadlineNotice | None) -> None:
        self.notice = notice
        self.setVisible(notice is not None)
        if notice is None:
            return
        overdue = notice.overdue_count
        title = self.tr("办理时限调整：{n} 件在办投诉的到期日提前了").format(n=len(notice.moved))
        if overdue:
            title += self.tr("，其中 {k} 件按新期限已超期，请优先处理").format(k=overdue)
        self.title.setText(title)
        self.reason.setText(self.tr("原因：{reason}。下列投诉的办理期限已按现行规定重新计算；双击一行打开投诉。").format(
            reason=notice.reason))
        self.table.setRowCount(len(notice.moved))
        red = QBrush(QColor("#b00020"))
        for r, m in enumerate(notice.moved):
            texts = [m.number, m.respondent, m.status.label, m.before.isoformat(), m.after.isoformat(),
                     self.tr("已超期") if m.overdue else ""]
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, m.complaint_id)
                if m.overdue and c in (4, 5):
                    item.setForeground(red)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        for c in range(self.table.columnCount() - 1):
            self.table.setColumnWidth(c, self.table.columnWidth(c) + 24)
        self.table.resizeRowsToContents()
        shown = min(len(notice.moved), 6)
        rows = sum(self.table.rowHeight(r) for r in range(shown))
        self.table.setFixedHeight(rows + self.table.horizontalHeader().sizeHint().height() + 4)

    def _dismiss(self) -> None:
        if self.notice is not None:
            self.sig_dismissed.emit(self.notice.id)
        self.hide()


class OfferNoticePanel(QFrame):
    """Tells an administrator, once, that new shipped values of a rule set they edited wait
    for a decision on 设置 → 办理时限."""

    sig_dismissed = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.offers: tuple[RuleSetOffer, ...] = ()
        self.setObjectName("offerNotice")
        self.setStyleSheet(NOTICE_STYLE.format(name="offerNotice", bg="#fff4d6", border="#e8c46a"))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.dismiss_button = QPushButton(self.tr("知道了"))
        self.dismiss_button.clicked.connect(self._dismiss)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_offers(self, offers: tuple[RuleSetOffer, ...]) -> None:
        self.offers = offers
        self.setVisible(bool(offers))
        if offers:
            names = "、".join(o.shipped.name for o in offers)
            self.text.setText(self.tr(
                "本次程序更新带来了时限规则{names}的新规定数值。本单位管理员曾修改过这套规则，"
                "程序没有自动替换，相关投诉仍按本单位的设置计算期限。"
                "请到「设置 → 办理时限」对照两者，选择“采用新规定”或“保留本单位设置”。").format(names=names))

    def _dismiss(self) -> None:
        self.sig_dismissed.emit(self.offers)
        self.hide()


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
        self.deadline_notice = DeadlineNoticePanel(self)
        self.deadline_notice.sig_open_complaint.connect(self.sig_open_complaint)
        self.deadline_notice.sig_dismissed.connect(self.dismiss_deadline_notice)
        self.offer_notice = OfferNoticePanel(self)
        self.offer_notice.sig_dismissed.connect(self.dismiss_offer_notice)
        self.backup_banner = BackupBanner(ctx, self)  # keeps itself up to date
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
        self.follow_ups = FollowUpList()
        self.follow_ups.sig_open_complaint.connect(self.sig_open_complaint)
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.follow_ups)
        layout = QVBoxLayout(self)
        layout.addWidget(hello)
        layout.addWidget(self.warning)
        layout.addWidget(self.backup_banner)
        layout.addWidget(self.offer_notice)
        layout.addWidget(self.deadline_notice)
        layout.addLayout(cards)
        layout.addLayout(title_row)
        layout.addWidget(self.lists, 1)
        ctx.ops.sig_changed.connect(self._on_changed)
        self.cards["mine"].setChecked(True)
        self.reload()

    def _set_card(self, key: str, count: int | None, overdue: int = 0) -> None:
        card = next(c for c in CARDS if c.key == key)
        number = "…" if count is None else str(count)
        late = self.tr("（超期 {0}）").format(overdue) if overdue else ""
        self.cards[key].setText(f"{self.tr(card.title)}\n{number} {self.tr('件')}{late}")
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
            return Figures(filters, counts, warning, services.reference.workbench_notices(user),
                           services.aftercare.waiting_follow_ups(user))

        self.ctx.ops.query(work, self._show, owner=self)

    def _show(self, figures: Figures) -> None:
        self.filters = figures.filters
        for key, count in figures.counts.items():
            self._set_card(key, count)
        self._set_card(FOLLOW_UP, figures.waiting.total, figures.waiting.overdue)
        self.follow_ups.show_waiting(figures.waiting)
        self.warning.setVisible(bool(figures.warning))
        if figures.warning:
            self.warning.setText(self.tr("提示：") + figures.warning)
        self.deadline_notice.show_notice(figures.notices.deadlines)
        self.offer_notice.show_offers(figures.notices.offers)
        self.select(self.current)

    def dismiss_deadline_notice(self, notice_id: str) -> None:
        reference, user = self.ctx.services.reference, self.ctx.user
        self.ctx.ops.mutate(lambda: reference.dismiss_deadline_notice(user, notice_id), owner=self)

    def dismiss_offer_notice(self, offers: tuple[RuleSetOffer, ...]) -> None:
        reference, user = self.ctx.services.reference, self.ctx.user
        self.ctx.ops.mutate(lambda: reference.dismiss_rule_set_offers(user, offers), owner=self)

    def select(self, key: str) -> None:
        self.current = key
        self.cards[key].setChecked(True)
        title = self.tr(next(c.title for c in CARDS if c.key == key))
        self.lists.setCurrentWidget(self.follow_ups if key == FOLLOW_UP else self.table)
        self.print_button.setVisible(key != FOLLOW_UP)  # the ledger form prints filters only
        waiting = self.follow_ups.waiting
        if key == FOLLOW_UP and waiting is not None and waiting.total > len(waiting.rows):
            title += self.tr("（共 {0} 件，列出办结最早的 {1} 件）").format(waiting.total, len(waiting.rows))
        elif key == FOLLOW_UP:
            title += self.tr("（办结后须回访而尚未联系上的，超期的在前；双击打开投诉）")
        self.list_title.setText(title)
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
        if changed.entity in ("complaint", "mediation_record", "calendar", "rule_set", "follow_up",
                              "notice_delivery", "follow_up_rule"):
            self.reload()

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        save_header(self, self.table.horizontalHeader())
        super().hideEvent(event)
