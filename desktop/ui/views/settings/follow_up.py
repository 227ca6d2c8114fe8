"""The 回访 tab: which closed items need a 回访, within how many working days of closing, and
from which closing day on; the workbench's 待回访 list follows it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.aftercare import MAX_FOLLOW_UP_DAYS, FollowUpRule, FollowUpScope
from desktop.domain.contract import EARLIEST_DATE
from desktop.services.dto import Changed
from desktop.ui.context import AppContext
from desktop.ui.views.settings.common import tr
from desktop.ui.widgets.field_errors import FieldErrors

NOTE_STYLE = "color: #555;"


class FollowUpTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.scope = QComboBox()
        for scope in FollowUpScope:
            self.scope.addItem(tr(scope.label), scope.value)
        self.scope.setMaximumWidth(320)
        self.days = QSpinBox()
        self.days.setRange(1, MAX_FOLLOW_UP_DAYS)
        self.days.setSuffix(tr(" 个工作日"))
        self.days.setMaximumWidth(160)
        self.since = QDateEdit()
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setCalendarPopup(True)
        self.since.setMinimumDate(QDate(EARLIEST_DATE))
        self.since.setMaximumWidth(160)
        self.general = QLabel()
        self.errors = FieldErrors(self.general, self)
        self.save_button = QPushButton(tr("保存"))
        self.save_button.clicked.connect(self.save)
        self.saved = QLabel()
        self.saved.setStyleSheet(NOTE_STYLE)

        box = QGroupBox(tr("办结后回访"))
        form = QFormLayout(box)
        form.addRow(tr("需要回访的"), self.errors.field("回访范围", self.scope))
        form.addRow(tr("回访期限"), self.errors.field("回访期限", self.days))
        form.addRow(tr("起算日期"), self.errors.field("起算日期", self.since))
        explain = QLabel(tr(
            "「已受理的投诉」：受理过的投诉办结后都要回访（含调解成功、调解不成、终止调解、诉转案后办结）；"
            "「全部办结的投诉」另含不予受理、未受理即转办的；「全部办结的投诉和实名举报」再加上留了真实姓名的举报人。\n"
            "回访期限自办结次日起按工作日计算（节假日不计，调休上班日计入）。"
            "起算日期之前办结的不列入待回访（默认 2026-04-15，新《市场监督管理投诉举报处理办法》施行之日）。\n"
            "一件投诉只要有一次「联系上」的回访（办结之后），就不再列入工作台的「待回访」；"
            "最近一次联系上的回访的满意度作为该投诉的满意度。"))
        explain.setWordWrap(True)
        explain.setStyleSheet(NOTE_STYLE)
        form.addRow(explain)
        form.addRow(self.general)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.saved, 1)
        form.addRow(row)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)
        self.reload()

    def reload(self) -> None:
        aftercare, user = self.ctx.services.aftercare, self.ctx.user
        self.ctx.ops.query(lambda: aftercare.follow_up_rule(user), self._show, owner=self)

    def _show(self, rule: FollowUpRule) -> None:
        self.scope.setCurrentIndex(self.scope.findData(rule.scope.value))
        self.days.setValue(rule.days)
        self.since.setDate(QDate(rule.since))

    def rule(self) -> FollowUpRule:
        since: date = self.since.date().toPython()  # type: ignore[assignment]
        return FollowUpRule(FollowUpScope(self.scope.currentData()), self.days.value(), since)

    def save(self) -> None:
        self.errors.clear()
        self.saved.clear()
        rule, aftercare, user = self.rule(), self.ctx.services.aftercare, self.ctx.user
        self.save_button.setEnabled(False)
        self.ctx.ops.mutate(lambda: aftercare.set_follow_up_rule(user, rule), self._saved,
                            owner=self, on_error=self._refused)

    def _saved(self, _changed: Changed) -> None:
        self.save_button.setEnabled(True)
        self.saved.setText(tr("已保存。工作台的「待回访」按新的设置列出。"))

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not self.errors.show_refusal(error):
            self.ctx.ops.report(self, error)
