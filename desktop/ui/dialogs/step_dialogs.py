"""Steps that record something on a complaint without moving its status: the mediation notice
(投诉调解通知书), a recusal request and its decision (回避), the head's approval to extend the
check of a 举报 or of a violation found in mediation (延长核查)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.contract import EARLIEST_DATE, text_limit
from desktop.domain.workflow import Status
from desktop.services.dto import Changed, ComplaintDetail
from desktop.ui.context import AppContext
from desktop.ui.dialogs.saving import SavesChange
from desktop.ui.widgets.field_errors import FieldErrors


def _date_edit(day) -> QDateEdit:  # type: ignore[no-untyped-def]
    edit = QDateEdit(QDate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(QDate(EARLIEST_DATE))
    return edit


def _line(text: str | None, field: str) -> QLineEdit:
    box = QLineEdit(text or "")
    limit = text_limit("complaints", field)
    if limit:
        box.setMaxLength(limit)
    return box


def _text(text: str | None, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit(text or "")
    box.setTabChangesFocus(True)
    box.setFixedHeight(24 * lines)
    return box


class StepDialog(SavesChange, QDialog):
    """A form over one complaint whose save runs on the database worker; a refusal shows next
    to the field it names and the dialog stays open with what was typed."""

    sig_done = Signal(object)  # Changed
    title = ""
    ok_text = "保存"

    def __init__(self, ctx: AppContext, detail: ComplaintDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.detail = ctx, detail
        self.setWindowTitle(f"{self.tr(self.title)} — {detail.number}")
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.general = QLabel()
        self.errors = FieldErrors(self.general, self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr(self.ok_text))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self._build()
        self.layout_.addWidget(self.general)
        self.layout_.addWidget(self.buttons)

    def add(self, label: str, widget: QWidget, *aliases: str) -> QWidget:
        self.form.addRow(self.tr(label), self.errors.field(label, widget, *aliases))
        return widget

    def note(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet("color: #555;")
        self.form.addRow(label)
        return label

    # -- to implement ---------------------------------------------------------------------------
    def _build(self) -> None:
        raise NotImplementedError

    def call(self) -> Callable[[], Changed]:
        """Read the widgets here, on the UI thread; the returned call runs on the worker."""
        raise NotImplementedError

    # -- saving -----------------------------------------------------------------------------------
    def submit(self) -> None:
        self.errors.clear()
        self._save(self.call())


class MediationNoticeDialog(StepDialog):
    """投诉调解通知书: time, place, mediator and phone, what to bring, the days in which a party
    may ask for the mediator's recusal. Filled with what was recorded before."""

    title = "调解通知"

    def _build(self) -> None:
        d = self.detail
        now = self.ctx.services.ctx.clock.now().replace(second=0, microsecond=0)
        at = getattr(d, "mediation_at", None) or (now + timedelta(days=1)).replace(hour=9, minute=0)
        self.at = QDateTimeEdit(QDateTime(at))
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.add("调解时间", self.at)
        self.place = _line(getattr(d, "mediation_place", None), "mediation_place")
        self.add("调解地点", self.place)
        self.mediator = _line(getattr(d, "mediator_name", None) or self.ctx.user.display_name,
                              "mediator_name")
        self.add("调解人员", self.mediator)
        self.phone = _line(getattr(d, "mediator_phone", None), "mediator_phone")
        self.add("调解人员电话", self.phone)
        self.materials = _text(getattr(d, "mediation_materials", None), 3)
        self.materials.setPlaceholderText(self.tr("例如：身份证件、购物凭证、商品实物、往来记录"))
        self.add("需携带材料", self.materials)
        self.recusal_days = QSpinBox()
        self.recusal_days.setRange(1, 30)
        self.recusal_days.setSuffix(self.tr(" 日"))
        self.recusal_days.setValue(getattr(d, "recusal_days", None) or 3)
        self.add("申请回避期限（日）", self.recusal_days)
        self.note(self.tr("当事人认为调解人员与本投诉有利害关系、可能影响公正调解的，"
                          "可以在收到通知之日起上述期限内申请回避。保存后可在「打印」中打印投诉调解通知书。"))

    def call(self) -> Callable[[], Changed]:
        s, user, d = self.ctx.services.complaints, self.ctx.user, self.detail
        at: datetime = self.at.dateTime().toPython()
        place, mediator, phone = self.place.text(), self.mediator.text(), self.phone.text()
        materials, days = self.materials.toPlainText(), self.recusal_days.value()
        return lambda: s.schedule_mediation(user, d.id, at=at, place=place, mediator=mediator,
                                            phone=phone, materials=materials, recusal_days=days,
                                            expected_version=d.version)


class RecusalDialog(StepDialog):
    """A party's request that a mediator step aside, and the office's decision (may come later)."""

    title = "回避申请"

    def _build(self) -> None:
        d = self.detail
        today = self.ctx.services.ctx.clock.today()
        self.request = _text(getattr(d, "recusal_request", None), 3)
        self.request.setPlaceholderText(self.tr("谁申请哪位调解人员回避，理由"))
        self.add("回避申请", self.request)
        self.requested_on = _date_edit(getattr(d, "recusal_requested_on", None) or today)
        self.requested_on.setMaximumDate(QDate(today))
        self.add("申请回避日期", self.requested_on)
        self.decision_none = QRadioButton(self.tr("尚未决定"))
        self.granted = QRadioButton(self.tr("准予回避"))
        self.refused = QRadioButton(self.tr("不予回避"))
        self.decision = QButtonGroup(self)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        for button in (self.decision_none, self.granted, self.refused):
            self.decision.addButton(button)
            line.addWidget(button)
        line.addStretch()
        chosen = {"granted": self.granted, "refused": self.refused}.get(
            getattr(d, "recusal_decision", None) or "", self.decision_none)
        chosen.setChecked(True)
        self.add("回避决定", row)
        self.decided_on = _date_edit(getattr(d, "recusal_decided_on", None) or today)
        self.decided_on.setMaximumDate(QDate(today))
        self.add("回避决定日期", self.decided_on)
        self.decision_none.toggled.connect(lambda none: self.decided_on.setEnabled(not none))
        self.decided_on.setEnabled(not self.decision_none.isChecked())

    def call(self) -> Callable[[], Changed]:
        s, user, d = self.ctx.services.complaints, self.ctx.user, self.detail
        request = self.request.toPlainText()
        requested_on = self.requested_on.date().toPython()
        decision = "granted" if self.granted.isChecked() else \
            "refused" if self.refused.isChecked() else None
        decided_on = self.decided_on.date().toPython() if decision else None
        return lambda: s.record_recusal(user, d.id, request=request, requested_on=requested_on,
                                        decision=decision, decided_on=decided_on,
                                        expected_version=d.version)


class ExtendCheckDialog(StepDialog):
    """The head approved 15 more working days for checking (a 举报 whether to open a case, or a
    violation found in mediation); once only."""

    title = "延长核查期限"
    ok_text = "确定延长"

    def _build(self) -> None:
        dl = self.detail.deadlines
        if self.detail.status is Status.CASE_OPENED:
            now, then = dl.violation_check_due, dl.violation_check_extended_due
        else:
            now, then = dl.report_check_due, dl.report_check_extended_due
        extra = (dl.rule_set.report_check_extension if self.detail.status is not Status.CASE_OPENED
                 else dl.rule_set.violation_check_extension)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("background: #eef4fb; border: 1px solid #b9cfe8; padding: 6px;")
        if now is not None and then is not None:
            self.preview.setText(self.tr("经负责人批准，核查期限延长 {0} 个工作日：由 {1} 延至 {2}。"
                                         "只能延长一次。").format(extra or 0, now.day, then.day))
        else:
            self.preview.setText(self.tr("本投诉适用的时限规则没有规定核查期限的延长。"))
        self.form.addRow(self.preview)
        self.approval = _text(None, 3)
        self.approval.setPlaceholderText(self.tr("例如：经分局负责人王某于 11 月 20 日批准"))
        self.add("批准情况", self.approval)
        self.confirmed = QCheckBox(self.tr("已经负责人批准"))
        self.add("负责人批准", self.confirmed)
        self.confirmed.toggled.connect(self.ok_button.setEnabled)
        self.ok_button.setEnabled(False)

    def call(self) -> Callable[[], Changed]:
        s, user, d = self.ctx.services.complaints, self.ctx.user, self.detail
        note = self.approval.toPlainText()
        return lambda: s.extend_check(user, d.id, note=note, expected_version=d.version)

    def _refused(self, error: BaseException) -> None:
        super()._refused(error)
        self.ok_button.setEnabled(self.confirmed.isChecked())
