"""消费者身份核查: the facts the 2026 rules list for judging whether a complainant bought for
daily consumption, gathered by the program (services.complaints.consumer_facts), and the
clerk's judgement with its reason. The program shows facts; the clerk decides."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.consumer_status import ConsumerFacts
from desktop.services.dto import ComplaintDetail
from desktop.ui.context import AppContext
from desktop.ui.dialogs.saving import SavesChange
from desktop.ui.widgets.field_errors import FieldErrors
from desktop.ui.widgets.tables import fill_table, read_only_table

NOT_DECIDING = "以下为系统汇集的事实，是否属于生活消费由办理人员判断"


class ConsumerStatusDialog(SavesChange, QDialog):
    sig_done = Signal(object)  # Changed
    sig_loaded = Signal()

    def __init__(self, ctx: AppContext, detail: ComplaintDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.detail = ctx, detail
        self.facts: ConsumerFacts | None = None
        self.setWindowTitle(self.tr("消费者身份核查 — {0}").format(detail.number))
        self.setMinimumSize(760, 690)

        notice = QLabel(self.tr(NOT_DECIDING))
        notice.setWordWrap(True)
        notice.setStyleSheet("background: #fff8e1; border: 1px solid #e8c46a; padding: 6px;"
                             " font-weight: bold;")
        self.since = QLabel(self.tr("正在汇集事实……"))
        self.since.setWordWrap(True)
        self.points = QLabel()
        self.points.setWordWrap(True)
        self.points.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.earlier_box = QGroupBox(self.tr("同一投诉人近 12 个月的其他投诉"))
        self.earlier = read_only_table([self.tr("编号"), self.tr("登记日期"), self.tr("被投诉方"),
                                        self.tr("商品或服务"), self.tr("状态")],
                                       fit_contents=True)
        self.earlier.setMinimumHeight(150)
        QVBoxLayout(self.earlier_box).addWidget(self.earlier)
        self.respondents = QLabel()
        self.respondents.setWordWrap(True)
        self.earlier_box.layout().addWidget(self.respondents)

        self.shared_box = QGroupBox(self.tr("其他人使用相同联系方式的投诉"))
        self.shared = read_only_table([self.tr("编号"), self.tr("登记日期"), self.tr("投诉人"),
                                       self.tr("相同的")], fit_contents=True)
        self.shared.setMaximumHeight(110)
        QVBoxLayout(self.shared_box).addWidget(self.shared)

        self.quantities = QLabel()
        self.quantities.setWordWrap(True)

        judge = QGroupBox(self.tr("办理人员的判断"))
        self.consumer = QRadioButton(self.tr("属于生活消费"))
        self.not_consumer = QRadioButton(self.tr("不属于生活消费"))
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.consumer)
        self.choice.addButton(self.not_consumer)
        radios = QWidget()
        row = QHBoxLayout(radios)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.consumer)
        row.addWidget(self.not_consumer)
        row.addStretch()
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.note.setPlaceholderText(self.tr("写明依据的事实，例如：同一投诉人一年内投诉 8 件，均为同型号手机"))
        general = QLabel()
        self.errors = FieldErrors(general, self)
        judge_layout = QVBoxLayout(judge)
        judge_layout.addWidget(self.errors.field("消费者身份判断", radios))
        judge_layout.addWidget(QLabel(self.tr("判断理由")))
        judge_layout.addWidget(self.errors.field("判断理由", self.note))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存判断"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("关闭"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.save_button.setEnabled(False)  # until the facts are in

        layout = QVBoxLayout(self)
        layout.addWidget(notice)
        layout.addWidget(self.since)
        layout.addWidget(self.points)
        layout.addWidget(self.earlier_box, 2)
        layout.addWidget(self.shared_box)
        layout.addWidget(self.quantities)
        layout.addWidget(judge)
        layout.addWidget(general)
        layout.addWidget(self.buttons)

        services, user, cid = ctx.services, ctx.user, detail.id
        ctx.ops.query(lambda: services.complaints.consumer_facts(user, cid), self._show, owner=self,
                      on_error=self._failed)

    def _show(self, facts: ConsumerFacts) -> None:
        self.facts = facts
        self.since.setText(self.tr("汇集范围：本单位可查看的投诉，{0} 以来（按投诉人姓名、电话、证件号码和地址比对）。")
                           .format(facts.since.isoformat()))
        if facts.points:
            self.points.setText("<ul style='margin:0'>" + "".join(
                f"<li>{html.escape(p)}</li>" for p in facts.points) + "</ul>")
        else:
            self.points.setText(self.tr("未发现需要注意的情况。"))
        fill_table(self.earlier, [[e.number, e.received_on.isoformat(), e.respondent, e.subject,
                                   e.status] for e in facts.earlier])
        self.earlier_box.setTitle(self.tr("同一投诉人近 12 个月的其他投诉（{0} 件）").format(len(facts.earlier)))
        self.respondents.setText(self.tr("涉及被投诉方：{0}").format("；".join(
            self.tr("{0}（{1} 件）").format(name, n) for name, n in facts.respondents))
            if facts.respondents else "")
        self.respondents.setVisible(bool(facts.respondents))
        fill_table(self.shared, [[s.number, s.received_on.isoformat(), s.complainant, s.shares]
                                 for s in facts.shared])
        self.shared_box.setTitle(self.tr("其他人使用相同电话或地址的投诉（{0} 件）").format(len(facts.shared)))
        self.quantities.setText(self.tr("投诉内容中的购买数量：{0}").format("、".join(facts.quantities))
                                if facts.quantities else self.tr("投诉内容中未见异常的购买数量。"))
        if facts.judgement == "consumer":
            self.consumer.setChecked(True)
        elif facts.judgement == "not_consumer":
            self.not_consumer.setChecked(True)
        if facts.judgement_note and not self.note.toPlainText():
            self.note.setPlainText(facts.judgement_note)
        self.save_button.setEnabled(True)
        self.sig_loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.since.setText(self.tr("无法汇集事实。"))
        self.ctx.ops.report(self, error)

    def judgement(self) -> str:
        if self.consumer.isChecked():
            return "consumer"
        if self.not_consumer.isChecked():
            return "not_consumer"
        return ""

    def submit(self) -> None:
        self.errors.clear()
        s, user, d = self.ctx.services.complaints, self.ctx.user, self.detail
        judgement, note = self.judgement(), self.note.toPlainText()
        self._save(lambda: s.judge_consumer(user, d.id, judgement=judgement, note=note,
                                            expected_version=d.version))
