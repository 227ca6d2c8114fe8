"""The 送达与回访 tab of a complaint: each notice with its time limit, when and how it was
delivered and whether late; the 回访 made after closing; buttons to record either."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.aftercare import CallMeans, Delivery, FollowUpScope, Notice, satisfaction_label
from desktop.domain.workflow import HANDLERS, Status
from desktop.services.dto import Changed, ComplaintDetail, FollowUpInfo, NoticeStatus
from desktop.ui.context import AppContext
from desktop.ui.dialogs.aftercare_dialogs import DeliveryDialog, FollowUpDialog
from desktop.ui.widgets.tables import fill_table, read_only_table


@dataclass(frozen=True)
class Loaded:
    detail: ComplaintDetail
    notices: list[NoticeStatus]
    follow_ups: list[FollowUpInfo]
    follow_up_due: date | None
    scope: FollowUpScope


def _fit_rows(table: QTableWidget) -> None:
    """As high as its rows (two at least): a complaint has a few notices at most, and their
    table needs no scrolling area."""
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    rows = max(rows, 2 * table.verticalHeader().minimumSectionSize(), 40)
    table.setFixedHeight(rows + table.horizontalHeader().sizeHint().height()
                         + 2 * table.frameWidth())


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; margin-top: 4px;")
    return label


class AftercarePanel(QWidget):
    """送达与回访 of one complaint. Reloads itself when a change touches the complaint."""

    sig_loaded = Signal()

    def __init__(self, ctx: AppContext, complaint_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.complaint_id = ctx, complaint_id
        self.loaded: Loaded | None = None

        self.deliver_button = QPushButton(self.tr("记录送达…"))
        self.deliver_button.clicked.connect(self.record_delivery)
        self.notices_table = read_only_table([self.tr("文书"), self.tr("送达期限"), self.tr("送达"),
                                              self.tr("情况")], [160, 110, 330, 200], 2)
        self.deliveries_table = read_only_table(
            [self.tr("送达时间"), self.tr("文书"), self.tr("方式"), self.tr("受送达人"),
             self.tr("是否按期"), self.tr("说明")], [130, 150, 80, 170, 130, 200], 5)
        self.follow_up_button = QPushButton(self.tr("记录回访…"))
        self.follow_up_button.clicked.connect(self.record_follow_up)
        self.follow_up_line = QLabel()
        self.follow_up_line.setWordWrap(True)
        self.follow_ups_table = read_only_table(
            [self.tr("回访时间"), self.tr("回访人"), self.tr("回访对象"), self.tr("方式"),
             self.tr("是否联系上"), self.tr("满意度"), self.tr("情况说明")],
            [130, 80, 130, 60, 80, 80, 200], 6)

        deliver_row = QHBoxLayout()
        deliver_row.addWidget(_heading(self.tr("文书送达")))
        deliver_row.addStretch()
        deliver_row.addWidget(self.deliver_button)
        follow_row = QHBoxLayout()
        follow_row.addWidget(_heading(self.tr("回访")))
        follow_row.addStretch()
        follow_row.addWidget(self.follow_up_button)
        note = QLabel(self.tr("送达期限按工作日计算，逾期天数为期限届满后的工作日数（休息日送达的按其后第一个工作日计）。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.addLayout(deliver_row)
        layout.addWidget(self.notices_table)
        layout.addWidget(self.deliveries_table, 1)
        layout.addWidget(note)
        layout.addLayout(follow_row)
        layout.addWidget(self.follow_up_line)
        layout.addWidget(self.follow_ups_table, 1)
        for button in (self.deliver_button, self.follow_up_button):
            button.setEnabled(False)
        ctx.ops.sig_changed.connect(self._on_changed)
        self.reload()

    # -- loading --------------------------------------------------------------------------------
    def reload(self) -> None:
        services, user, cid = self.ctx.services, self.ctx.user, self.complaint_id

        def work() -> Loaded:
            aftercare = services.aftercare
            return Loaded(services.complaints.get(user, cid), aftercare.notice_status(user, cid),
                          aftercare.follow_ups(user, cid), aftercare.follow_up_due(user, cid),
                          aftercare.follow_up_rule(user).scope)

        self.ctx.ops.query(work, self._show, owner=self)

    def _show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        today = self.ctx.services.ctx.clock.today()
        rows, late = [], set()
        for r, n in enumerate(loaded.notices):
            rows.append([self.tr(Notice(n.notice).label),
                         n.limit.isoformat() if n.limit else self.tr("—"),
                         self._delivered_text(n), self._state_text(n)])
            if n.late_days:
                late.add((r, 3))
        fill_table(self.notices_table, rows, late)
        _fit_rows(self.notices_table)
        deliveries = sorted((d for n in loaded.notices for d in n.deliveries),
                            key=lambda d: (d.delivered_at, d.id))
        limited = {n.notice for n in loaded.notices if n.limit}
        fill_table(self.deliveries_table, [
            [d.delivered_at.strftime("%Y-%m-%d %H:%M"), self.tr(Notice(d.notice).label),
             self.tr(Delivery(d.means).label), d.recipient,
             (self.tr("逾期 {0} 个工作日").format(d.late_days) if d.late_days
              else self.tr("按期") if d.notice in limited else self.tr("—")), d.note]
            for d in deliveries], {(r, 4) for r, d in enumerate(deliveries) if d.late_days})
        fill_table(self.follow_ups_table, [
            [f.called_at.strftime("%Y-%m-%d %H:%M"), f.caller, f.callee,
             self.tr(CallMeans(f.means).label), self.tr("是") if f.reached else self.tr("否"),
             self.tr(satisfaction_label(f.satisfaction)) if f.reached else "", f.note]
            for f in loaded.follow_ups])
        self.follow_up_line.setText(self._follow_up_text(loaded, today))
        handles = self.ctx.user.has(*HANDLERS)
        closed = loaded.detail.status is Status.CLOSED
        self.follow_up_button.setEnabled(handles and closed)
        self.follow_up_button.setToolTip("" if closed else self.tr("办结后才能记录回访"))
        can_deliver = handles and any(n.applies for n in loaded.notices)
        self.deliver_button.setEnabled(can_deliver)
        self.deliver_button.setToolTip("" if can_deliver else self.tr("本投诉尚未作出需要送达的决定或通知"))
        self.sig_loaded.emit()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        # Rows wrap at the width the text column has once shown (filled in a hidden tab, they
        # wrapped at its first, narrow width).
        QTimer.singleShot(0, self, self._wrap_rows)

    def _wrap_rows(self) -> None:
        for table in (self.notices_table, self.deliveries_table, self.follow_ups_table):
            table.resizeRowsToContents()
        _fit_rows(self.notices_table)

    def _delivered_text(self, n: NoticeStatus) -> str:
        first = n.first
        if first is None:
            return self.tr("未送达")
        text = self.tr("{0} {1}送达 {2}").format(first.delivered_at.strftime("%Y-%m-%d %H:%M"),
                                                 self.tr(Delivery(first.means).label), first.recipient)
        if len(n.deliveries) > 1:
            text += self.tr("（共 {0} 次）").format(len(n.deliveries))
        return text

    def _state_text(self, n: NoticeStatus) -> str:
        if not n.applies:
            return self.tr("决定已撤销（重新办理）")
        if n.limit is None:
            return self.tr("已送达") if n.delivered else self.tr("未送达（无送达期限）")
        if n.delivered:
            return (self.tr("逾期 {0} 个工作日送达").format(n.late_days) if n.late_days
                    else self.tr("按期送达"))
        if n.late_days:
            return self.tr("未送达，已逾期 {0} 个工作日").format(n.late_days)
        return self.tr("未送达，应于 {0} 前送达").format(n.limit.isoformat())

    def _follow_up_text(self, loaded: Loaded, today: date) -> str:
        d = loaded.detail
        reached = [f for f in loaded.follow_ups if f.reached]
        if d.status is not Status.CLOSED:
            return self.tr("办结后回访。")
        if loaded.follow_up_due is None:
            text = self.tr("按本单位的回访设置（{0}），本件不要求回访。").format(
                self.tr(loaded.scope.label))
        elif reached and d.closed_on and reached[-1].called_at.date() >= d.closed_on:
            text = self.tr("已回访，满意度：{0}。").format(
                self.tr(satisfaction_label(d.satisfaction)) or self.tr("—"))
        elif loaded.follow_up_due < today:
            text = self.tr("<span style='color:#a61b1b'>回访已超期：应于 {0} 前回访。</span>").format(
                loaded.follow_up_due.isoformat())
        else:
            text = self.tr("待回访：请于 {0} 前回访。").format(loaded.follow_up_due.isoformat())
        if d.closed_on is not None:
            text = self.tr("办结日期 {0}。").format(d.closed_on.isoformat()) + text
        return text

    # -- recording ------------------------------------------------------------------------------
    def record_follow_up(self) -> FollowUpDialog | None:
        if self.loaded is None:
            return None
        d = self.loaded.detail
        callee = "" if d.personal_info_masked else (d.complainant_name or "")
        dialog = FollowUpDialog(self.ctx, self.complaint_id, d.number, closed_on=d.closed_on,
                                callee=callee, parent=self)
        dialog.open()
        return dialog

    def record_delivery(self) -> DeliveryDialog | None:
        if self.loaded is None:
            return None
        d = self.loaded.detail
        applicable = [Notice(n.notice) for n in self.loaded.notices if n.applies]
        waiting = next((Notice(n.notice) for n in self.loaded.notices
                        if n.applies and not n.delivered), None)
        recipient = "" if d.personal_info_masked else (d.complainant_name or "")
        dialog = DeliveryDialog(self.ctx, self.complaint_id, d.number, applicable,
                                chosen=waiting, recipient=recipient, parent=self)
        dialog.open()
        return dialog

    def _on_changed(self, changed: Changed) -> None:
        # As the complaint window: its own changes, and whatever a sync round brought.
        if changed.touches_complaint(self.complaint_id) or changed.entity in ("sync",
                                                                                "follow_up_rule"):
            self.reload()
