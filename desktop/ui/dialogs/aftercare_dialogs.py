"""Record a 回访 (who was called, when, how, reached or not, satisfied or not) or a 送达 (which
notice reached whom, how and when)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.aftercare import CallMeans, Delivery, Notice, Satisfaction
from desktop.domain.contract import EARLIEST_DATE, text_limit
from desktop.ui.context import AppContext
from desktop.ui.dialogs.saving import SavesChange
from desktop.ui.widgets.field_errors import FieldErrors


def _when(now: datetime, earliest: date | None) -> QDateTimeEdit:
    """A date and time, now by default, never before `earliest` (the closing or decision day)."""
    box = QDateTimeEdit(QDateTime(now.replace(second=0, microsecond=0)))
    box.setDisplayFormat("yyyy-MM-dd HH:mm")
    box.setCalendarPopup(True)
    box.setMinimumDate(QDate(max(earliest or EARLIEST_DATE, EARLIEST_DATE)))
    return box


def _note() -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setMinimumHeight(90)
    return box


class _RecordDialog(SavesChange, QDialog):
    """A form saved on the database worker; a refusal stays in the dialog under its field."""

    sig_saved = Signal(object)  # Changed
    done_signal = "sig_saved"

    def __init__(self, ctx: AppContext, complaint_id: int, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.complaint_id = ctx, complaint_id
        self.setWindowTitle(title)
        self.setMinimumWidth(500)
        self.form = QFormLayout()
        self.general = QLabel()
        self.errors = FieldErrors(self.general, self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def _finish_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)

    def _row(self, label: str, widget: QWidget, *aliases: str) -> None:
        self.form.addRow(self.tr(label), self.errors.field(label, widget, *aliases))

    def submit(self) -> None:
        raise NotImplementedError



class FollowUpDialog(_RecordDialog):
    """记录回访: after closing, a call (or message, or visit) to the complainant."""

    def __init__(self, ctx: AppContext, complaint_id: int, number: str, *,
                 closed_on: date | None = None, callee: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, complaint_id, self.tr("记录回访 — {0}").format(number), parent)
        self.called_at = _when(ctx.services.ctx.clock.now(), closed_on)
        self.callee = QLineEdit(callee)
        self.callee.setPlaceholderText(self.tr("例如：投诉人张伟本人"))
        self.callee.setMaxLength(text_limit("follow_ups", "callee") or 60)
        self.means = QComboBox()
        for means in CallMeans:
            self.means.addItem(self.tr(means.label), means.value)
        self.reached_yes = QRadioButton(self.tr("联系上"))
        self.reached_no = QRadioButton(self.tr("未联系上"))
        self.reached_yes.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.reached_yes)
        group.addButton(self.reached_no)
        reached = QWidget()
        row = QHBoxLayout(reached)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.reached_yes)
        row.addWidget(self.reached_no)
        row.addStretch()
        self.satisfaction = QComboBox()
        self.satisfaction.addItem(self.tr("请选择"), None)
        for level in Satisfaction:
            self.satisfaction.addItem(self.tr(level.label), level.value)
        self.note = _note()
        self.note.setPlaceholderText(self.tr("例如：投诉人表示已收到退款；或：电话无人接听，次日再拨"))
        self._row("回访时间", self.called_at)
        self._row("回访对象", self.callee)
        self._row("回访方式", self.means)
        self._row("是否联系上", reached)
        self._row("满意度", self.satisfaction)
        self._row("情况说明", self.note)
        self.reached_yes.toggled.connect(self._reached_changed)
        self._finish_layout()

    def _reached_changed(self, reached: bool) -> None:
        # Not reached: no one said whether they were satisfied.
        self.satisfaction.setEnabled(reached)
        if not reached:
            self.satisfaction.setCurrentIndex(0)
        self.errors.clear_one("满意度")

    def submit(self) -> None:
        called_at: datetime = self.called_at.dateTime().toPython()
        callee, means = self.callee.text(), self.means.currentData()
        reached = self.reached_yes.isChecked()
        satisfaction = self.satisfaction.currentData() if reached else None
        note = self.note.toPlainText()
        services, user, cid = self.ctx.services, self.ctx.user, self.complaint_id
        self._save(lambda: services.aftercare.record_follow_up(
            user, cid, called_at=called_at, callee=callee, means=means, reached=reached,
            satisfaction=satisfaction, note=note))


class DeliveryDialog(_RecordDialog):
    """记录送达: how and when a notice or decision reached a party."""

    def __init__(self, ctx: AppContext, complaint_id: int, number: str,
                 notices: list[Notice], *, chosen: Notice | None = None,
                 recipient: str = "", earliest: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, complaint_id, self.tr("记录送达 — {0}").format(number), parent)
        self.notice = QComboBox()
        for notice in notices:
            self.notice.addItem(self.tr(notice.label), notice.value)
        if chosen is not None and chosen in notices:
            self.notice.setCurrentIndex(notices.index(chosen))
        self.means = QComboBox()
        for means in Delivery:
            self.means.addItem(self.tr(means.label), means.value)
        self.delivered_at = _when(ctx.services.ctx.clock.now(), earliest)
        self.recipient = QLineEdit(recipient)
        self.recipient.setPlaceholderText(self.tr("例如：投诉人张伟；被投诉方某某公司"))
        self.recipient.setMaxLength(text_limit("notice_deliveries", "recipient") or 60)
        self.note = _note()
        self.note.setPlaceholderText(self.tr("例如：挂号信单号、短信发送号码、电话告知的内容"))
        self._row("文书", self.notice)
        self._row("送达方式", self.means)
        self._row("送达时间", self.delivered_at)
        self._row("受送达人", self.recipient)
        self._row("说明", self.note)
        self._finish_layout()

    def submit(self) -> None:
        notice, means = self.notice.currentData() or "", self.means.currentData()
        delivered_at: datetime = self.delivered_at.dateTime().toPython()
        recipient, note = self.recipient.text(), self.note.toPlainText()
        services, user, cid = self.ctx.services, self.ctx.user, self.complaint_id
        self._save(lambda: services.aftercare.record_delivery(
            user, cid, notice=notice, means=means, delivered_at=delivered_at,
            recipient=recipient, note=note))
