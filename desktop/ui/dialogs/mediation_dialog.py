"""Add, read or correct one mediation record 调解记录: when, how, who took part, what was said.

A saved record is never changed: 更正 saves a new record that replaces it, with the reason
(services/mediation.py); the old one stays, shown as 已更正."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.contract import EARLIEST_DATE, text_limit
from desktop.domain.workflow import HANDLERS
from desktop.services.dto import Changed, MediationRecordInfo
from desktop.ui.context import AppContext
from desktop.ui.widgets.field_errors import FieldErrors


class MediationDialog(QDialog):
    sig_saved = Signal(object)  # Changed

    def __init__(self, ctx: AppContext, complaint_id: int, number: str,
                 record: MediationRecordInfo | None = None, parent: QWidget | None = None,
                 *, correct: bool = False) -> None:
        super().__init__(parent)
        self.ctx, self.complaint_id, self.number = ctx, complaint_id, number
        self.record = record
        self.correcting = False
        self.setWindowTitle((self.tr("调解记录") if record else self.tr("添加调解记录")) + f" — {number}")
        self.setMinimumWidth(520)
        now = ctx.services.ctx.clock.now()
        self.held_at = QDateTimeEdit(QDateTime(now.replace(second=0, microsecond=0)))
        self.held_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.held_at.setCalendarPopup(True)
        self.means = QComboBox()
        for code in ctx.lookups.active("mediation_means"):
            self.means.addItem(code.label, code.code)
        self.place = QLineEdit()
        self.participants = QLineEdit()
        self.participants.setPlaceholderText(self.tr("例如：投诉人张某、经营者代表李某、调解员王芳"))
        self.content = QPlainTextEdit()
        self.content.setTabChangesFocus(True)
        self.content.setMinimumHeight(120)
        self.result = QLineEdit()
        self.result.setPlaceholderText(self.tr("例如：双方同意三日内退款；或：经营者不同意，下次再约"))
        # One-line fields stop at the wire contract's length; the content keeps the service's
        # message. A stored record shown read-only keeps all of its text.
        if record is None:
            self.held_at.setMinimumDate(QDate(EARLIEST_DATE))
            for name, box in (("place", self.place), ("participants", self.participants),
                              ("result", self.result)):
                box.setMaxLength(text_limit("mediation_records", name) or box.maxLength())
        # A correction's reason, shown only while correcting.
        self.reason = QLineEdit()
        self.reason.setMaxLength(text_limit("mediation_records", "correction_reason") or 1000)
        self.reason.setPlaceholderText(self.tr("例如：调解结果记错，应为三日内退款"))
        # What became of a stored record: corrected (and why), or a correction itself.
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setStyleSheet("background: #fff4d6; border: 1px solid #e8c46a; padding: 6px;")
        self.state.hide()
        general = QLabel()
        self.errors = FieldErrors(general, self)
        form = QFormLayout()
        for label, widget in (("调解时间", self.held_at), ("调解方式", self.means), ("地点", self.place),
                              ("参加人员", self.participants), ("调解内容", self.content),
                              ("调解结果", self.result)):
            form.addRow(self.tr(label), self.errors.field(label, widget))
        self.reason_row = self.errors.field("更正理由", self.reason)
        form.addRow(self.tr("更正理由 *"), self.reason_row)
        form.setRowVisible(self.reason_row, False)
        self.form = form
        buttons = QDialogButtonBox.StandardButton.Close if record else (
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons = QDialogButtonBox(buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.correct_button = QPushButton(self.tr("更正此记录…"))
        self.correct_button.setToolTip(self.tr("保存一条更正后的记录代替这一条，原记录保留并标为已更正"))
        self.correct_button.clicked.connect(self.start_correction)
        self.correct_button.hide()
        if record is not None and not record.corrected and ctx.user.has(*HANDLERS):
            self.buttons.addButton(self.correct_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.correct_button.show()
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addWidget(self.buttons)
        if record is not None:
            self._show_record(record)
            if correct and not self.correct_button.isHidden():
                self.start_correction()

    def _show_record(self, r: MediationRecordInfo) -> None:
        self.held_at.setDateTime(QDateTime(r.held_at))
        index = self.means.findData(r.means)
        if index < 0:
            self.means.addItem(self.ctx.lookups.label("mediation_means", r.means), r.means)
            index = self.means.count() - 1
        self.means.setCurrentIndex(index)
        self.place.setText(r.place)
        self.participants.setText(r.participants)
        self.content.setPlainText(r.content)
        self.result.setText(r.result)
        for line in (self.place, self.participants, self.result):
            line.setCursorPosition(0)  # a long text shown from its start, not its end
        for w in (self.held_at, self.place, self.participants, self.result):
            w.setReadOnly(True)
        self.content.setReadOnly(True)
        self.means.setEnabled(False)
        if r.corrected:
            self.state.setText(self.tr("已更正（以更正后的记录为准）。更正理由：{0}").format(
                r.replaced_reason or ""))
            self.state.show()
        elif r.replaces_id is not None:
            self.state.setText(self.tr("这是更正后的记录，代替原记录。更正理由：{0}").format(
                r.correction_reason or ""))
            self.state.show()

    def start_correction(self) -> None:
        """Make the fields editable, ask for the reason; saving adds the correcting record."""
        assert self.record is not None
        self.correcting = True
        self.setWindowTitle(self.tr("更正调解记录") + f" — {self.number}")
        self.state.setText(self.tr("更正不会改动原记录：保存后新增一条更正后的记录代替它，"
                                   "原记录保留并在处理经过中标为已更正。"))
        self.state.show()
        for w in (self.held_at, self.place, self.participants, self.result):
            w.setReadOnly(False)
        self.content.setReadOnly(False)
        self.means.setEnabled(True)
        self.held_at.setMinimumDate(QDate(EARLIEST_DATE))
        self.form.setRowVisible(self.reason_row, True)
        self.buttons.removeButton(self.correct_button)
        self.correct_button.hide()
        self.buttons.setStandardButtons(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存更正"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.reason.setFocus()

    def submit(self) -> None:
        held_at: datetime = self.held_at.dateTime().toPython()
        means, place = self.means.currentData() or "", self.place.text()
        participants, content, result = (self.participants.text(), self.content.toPlainText(),
                                         self.result.text())
        services, user, cid = self.ctx.services, self.ctx.user, self.complaint_id
        self.buttons.setEnabled(False)
        if self.correcting:
            assert self.record is not None
            rid, reason = self.record.id, self.reason.text()
            self.ctx.ops.mutate(
                lambda: services.records.correct_mediation_record(
                    user, cid, rid, reason=reason, held_at=held_at, means=means, place=place,
                    participants=participants, content=content, result=result),
                self._saved, owner=self, on_error=self._refused)
            return
        self.ctx.ops.mutate(
            lambda: services.records.add_mediation_record(
                user, cid, held_at=held_at, means=means, place=place, participants=participants,
                content=content, result=result),
            self._saved, owner=self, on_error=self._refused)

    def _saved(self, changed: Changed) -> None:
        self.sig_saved.emit(changed)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if not self.errors.show(error):
            self.ctx.ops.report(self, error)
