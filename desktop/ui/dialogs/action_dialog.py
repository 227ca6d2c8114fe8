"""One dialog per workflow step: it asks for what the step needs and shows the new deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.calendar import DueDate
from desktop.domain.contract import EARLIEST_DATE, NOTE_LEN, text_limit
from desktop.domain.workflow import ALLOWED_RESULTS, Action, Result, Status, transition_for
from desktop.services.dto import Changed, ComplaintDetail
from desktop.ui.context import AppContext
from desktop.ui.dialogs.saving import SavesChange
from desktop.ui.widgets.field_errors import FieldErrors

PAUSE, RESUME = "pause", "resume"  # the mediation clock: not transitions of the state machine

# Where a consumer dispute is usually delegated to (委托调解); the clerk may type another body.
DELEGATES = ("区消费者权益保护委员会", "人民调解委员会")
ID_PROOF_DAYS = 7  # the default time given to provide proof of identity

# What each deadline is called once the complaint reaches a status.
DUE_NAMES = {
    Status.REGISTERED: "受理期限",
    Status.ACCEPTED: "调解期限",
    Status.MEDIATING: "调解期限",
    Status.DELEGATED: "调解期限",
    Status.TERMINATED: "终止调解告知期限",
    Status.CASE_OPENED: "违法行为核查期限",
}


class ActionDialog(SavesChange, QDialog):
    sig_done = Signal(object)  # Changed

    def __init__(self, ctx: AppContext, detail: ComplaintDetail, action: Action | str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.detail, self.action = ctx, detail, action
        title = action.label if isinstance(action, Action) else (
            self.tr("中止调解计时") if action == PAUSE else self.tr("恢复调解计时"))
        self.setWindowTitle(f"{title} — {detail.number}")
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        general = QLabel()
        self.errors = FieldErrors(general, self)
        self.fields: dict[str, QWidget] = {}
        if isinstance(action, Action):
            target = transition_for(action).target
            if action is Action.REOPEN and detail.accepted_on is None:
                target = Status.REGISTERED
            head = self.tr("{0}：{1} → {2}").format(action.label, detail.status.label, target.label)
        else:
            target = detail.status
            head = title
        self.target = target
        heading = QLabel(head)
        heading.setStyleSheet("font-weight: bold;")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("background: #eef4fb; border: 1px solid #b9cfe8; padding: 6px;")
        self._build_fields()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定{0}").format(title))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.form)
        layout.addWidget(self.preview)
        layout.addWidget(general)
        layout.addWidget(self.buttons)
        self.refresh_preview()

    # -- fields --------------------------------------------------------------------------------------
    def _add(self, key: str, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(self.tr(label), self.errors.field(label, widget))
        self.fields[key] = widget
        return widget

    @staticmethod
    def _line(limit: int | None) -> QLineEdit:
        """A one-line box that stops at the wire contract's length (the service says the same)."""
        box = QLineEdit()
        if limit is not None:
            box.setMaxLength(limit)
        return box

    def _text(self, lines: int = 4) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)
        box.setFixedHeight(22 * lines)
        return box

    def _build_fields(self) -> None:
        a = self.action
        if a is Action.ACCEPT:
            day = QDateEdit(QDate(self.ctx.services.ctx.clock.today()))
            day.setCalendarPopup(True)
            day.setDisplayFormat("yyyy-MM-dd")
            # Not before the complaint was received (the service refuses it too).
            day.setMinimumDate(QDate(max(self.detail.received_at.date(), EARLIEST_DATE)))
            odr = QCheckBox(self.tr("先由经营者自行和解（ODR，10 个工作日）"))
            self._add("on", "受理日期", day)
            self._add("odr", "在线纠纷解决", odr)
            day.dateChanged.connect(lambda _: self.refresh_preview())
            odr.toggled.connect(lambda _: self.refresh_preview())
        elif a is Action.REJECT:
            self._add("ground", "不予受理依据", self._grounds("rejection_ground"))
            self._add("note", "说明", self._text(3))
        elif a is Action.REQUEST_ID_PROOF:
            today = self.ctx.services.ctx.clock.today()
            due = QDateEdit(QDate(today + timedelta(days=ID_PROOF_DAYS)))
            due.setCalendarPopup(True)
            due.setDisplayFormat("yyyy-MM-dd")
            due.setMinimumDate(QDate(today + timedelta(days=1)))
            self._add("due", "提供期限", due)
            due.dateChanged.connect(lambda _: self.refresh_preview())
            self._add("note", "说明", self._text(3)).setPlaceholderText(
                self.tr("例如：请携带身份证原件及复印件"))
        elif a is Action.ID_PROOF_RECEIVED:
            self._confirm_only(self.tr("投诉人已提供身份证明材料。确认后投诉回到「登记」，"
                                       "受理期限自今日起重新计算。"))
        elif a is Action.DELEGATE:
            to = QComboBox()
            to.setEditable(True)
            to.addItems([self.tr(d) for d in DELEGATES])
            to.setCurrentIndex(-1)
            to.lineEdit().setPlaceholderText(self.tr("选择或填写受委托的调解组织"))
            limit = text_limit("complaints", "delegated_to")
            if limit:
                to.lineEdit().setMaxLength(limit)
            self._add("to", "受委托调解组织", to)
            self._add("note", "说明", self._text(3))
        elif a is Action.FILE_CASE:
            self._add("note", "立案说明", self._text(4))
        elif a is Action.DECLINE_CASE:
            self._add("note", "不予立案理由", self._text(4))
        elif a is Action.MERGE:
            into = self._add("into", "并入的举报编号", self._line(40))
            assert isinstance(into, QLineEdit)
            into.setPlaceholderText(self.tr("较早登记的同一事项举报的编号"))
            new_facts = QCheckBox(self.tr("有新的事实（并入原举报，原举报的核查期限自今日起重新计算）"))
            self._add("new_facts", "是否有新的事实", new_facts)
            new_facts.toggled.connect(lambda _: self.refresh_preview())
            self._add("note", "说明", self._text(3))
        elif a is Action.SETTLE:
            self._add("terms", "调解协议内容", self._text(5))
            self._add("recovered", "挽回经济损失", QLineEdit()).setPlaceholderText(self.tr("元，选填"))
            self._performance_due()
        elif a is Action.TERMINATE:
            self._add("ground", "终止调解依据", self._grounds("termination_ground"))
            self._add("note", "说明", self._text(3))
        elif a is Action.TRANSFER:
            self._add("target", "转办单位", self._line(text_limit("complaints", "transferred_to")))
            self._add("note", "说明", self._text(3))
        elif a is Action.OPEN_CASE:
            self._add("note", "立案线索说明", self._text(4))
        elif a is Action.CLOSE:
            result = QComboBox()
            for r in Result:
                if r in ALLOWED_RESULTS.get(self.detail.status, ()):
                    result.addItem(r.label, r.value)
            self._add("result", "办结结果", result)
            recovered = QLineEdit()
            if self.detail.recovered is not None:
                recovered.setText(str(self.detail.recovered))
            recovered.setPlaceholderText(self.tr("元，选填"))
            self._add("recovered", "挽回经济损失", recovered)
            fault = QComboBox()
            fault.addItem(self.tr("未认定"), None)
            fault.addItem(self.tr("经营者有责"), True)
            fault.addItem(self.tr("经营者无责"), False)
            self._add("at_fault", "经营者责任", fault)
            self._add("note", "说明", self._text(2))
        elif a is Action.REOPEN:
            self._add("reason", "重新办理理由", self._text(3))
        elif a == PAUSE:
            box = self._add("reason", "中止理由", self._line(text_limit("clock_pauses", "reason")))
            assert isinstance(box, QLineEdit)
            box.setPlaceholderText(self.tr("例如：送检验机构检测"))
        elif a == RESUME:
            self._add("note", "说明", self._line(NOTE_LEN))

    def _grounds(self, kind: str) -> QListWidget:
        """The grounds of the complaint's own rule set, each in its full wording (word-wrapped),
        read on the worker: a complaint received under older rules keeps its older list."""
        grounds = QListWidget()
        grounds.setWordWrap(True)
        grounds.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        grounds.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        grounds.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap the items to the width
        grounds.setUniformItemSizes(False)
        grounds.setMinimumHeight(330)
        grounds.setMinimumWidth(440)
        grounds.setStyleSheet("QListWidget::item { padding: 4px 2px; }")
        self.grounds_loaded = False
        services, user, cid = self.ctx.services, self.ctx.user, self.detail.id

        def show(items: tuple[tuple[str, str], ...]) -> None:
            grounds.clear()
            for n, (code, wording) in enumerate(items, start=1):
                item = QListWidgetItem(f"（{n}）{wording}")
                item.setData(Qt.ItemDataRole.UserRole, code)
                item.setToolTip(wording)
                grounds.addItem(item)
            self.grounds_loaded = True
            grounds.doItemsLayout()
            self.adjustSize()

        self.ctx.ops.query(lambda: services.complaints.grounds_for(user, cid, kind), show, owner=self)
        return grounds

    def _confirm_only(self, text: str) -> None:
        label = QLabel(text)
        label.setWordWrap(True)
        self.form.addRow(label)

    def _performance_due(self) -> None:
        """履行期限 of the agreement: 当场履行 (no date) unless the parties agreed on a day."""
        today = self.ctx.services.ctx.clock.today()
        on_the_spot = QCheckBox(self.tr("当场履行"))
        on_the_spot.setChecked(True)
        due = QDateEdit(QDate(today))
        due.setCalendarPopup(True)
        due.setDisplayFormat("yyyy-MM-dd")
        due.setMinimumDate(QDate(today))
        due.setEnabled(False)
        on_the_spot.toggled.connect(lambda checked: due.setEnabled(not checked))
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(on_the_spot)
        line.addWidget(QLabel(self.tr("或于")))
        line.addWidget(due)
        line.addWidget(QLabel(self.tr("前履行完毕")))
        line.addStretch()
        self.form.addRow(self.tr("履行期限"), self.errors.field("履行期限", row, marks=due))
        self.fields["on_the_spot"] = on_the_spot
        self.fields["performance_due"] = due

    def value(self, key: str):  # type: ignore[no-untyped-def]
        w = self.fields[key]
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QLineEdit):
            return w.text()
        if isinstance(w, QListWidget):
            item = w.currentItem()
            return item.data(Qt.ItemDataRole.UserRole) if item is not None and item.isSelected() else ""
        if isinstance(w, QComboBox) and w.isEditable():
            return w.currentText().strip()
        if isinstance(w, QComboBox):
            return w.currentData() if w.currentData() is not None or key == "at_fault" else w.currentText()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QDateEdit):
            return w.date().toPython()
        raise KeyError(key)

    # -- the deadline -----------------------------------------------------------------------------------
    def refresh_preview(self) -> None:
        if self.action is Action.REQUEST_ID_PROOF:
            self.preview.setText(self.tr("执行后投诉为「待补身份证明」，等待投诉人于 {0} 前提供；"
                                         "收到后受理期限自收到之日起重新计算。")
                                 .format(self.value("due").isoformat()))
            return
        if self.action is Action.ID_PROOF_RECEIVED:
            self.preview.setText(self.tr("执行后投诉回到「登记」，受理期限自今日起重新计算。"))
            return
        if self.action is Action.MERGE:
            text = self.tr("执行后本举报为「已并案」，不再单独办理。")
            if self.value("new_facts"):
                text += self.tr("本举报的事实并入原举报，原举报的核查期限自今日起重新计算。")
            self.preview.setText(text)
            return
        if self.target not in DUE_NAMES and self.action not in (PAUSE, RESUME):
            self.preview.setText(self.tr("执行后状态为「{0}」，不再计算办理期限。").format(self.target.label))
            return
        if self.action in (PAUSE, RESUME):
            self.preview.setText(self.tr("中止期间不计入调解期限；恢复后期限顺延。"))
            return
        services, user, detail = self.ctx.services, self.ctx.user, self.detail
        action = self.action
        assert isinstance(action, Action)
        on = self.value("on") if action is Action.ACCEPT else None
        odr = bool(self.value("odr")) if action is Action.ACCEPT else False
        self.preview.setText(self.tr("正在计算新的期限……"))
        self.ctx.ops.query(lambda: services.complaints.preview_due(user, detail.id, action, on=on, odr=odr),
                           self._show_preview, owner=self, on_error=lambda e: self.preview.setText(str(e)))

    def _show_preview(self, due: DueDate | None) -> None:
        name = DUE_NAMES.get(self.target, "期限")
        if due is None:
            self.preview.setText(self.tr("执行后{0}暂停计算。").format(self.tr(name)))
            return
        text = self.tr("执行后{0}：{1}").format(self.tr(name), due.day.isoformat())
        if self.action is Action.ACCEPT and self.value("odr"):
            text = self.tr("执行后经营者和解期限：{0}（期满未和解再进入调解）").format(due.day.isoformat())
        if due.warning:
            text += "\n" + due.warning
        self.preview.setText(text)
        self.adjustSize()  # the text arrives after the dialog is shown: let it grow

    # -- doing it --------------------------------------------------------------------------------------
    def call(self, values: dict[str, object]) -> Callable[[], Changed]:
        """The service call, bound to plain values read from the widgets on the UI thread."""
        s, user, d = self.ctx.services.complaints, self.ctx.user, self.detail
        cid, version, a, v = d.id, d.version, self.action, values.__getitem__
        calls: dict[object, Callable[[], Changed]] = {
            Action.ACCEPT: lambda: s.accept(user, cid, expected_version=version, on=v("on"), odr=v("odr")),
            Action.REJECT: lambda: s.reject(user, cid, ground=v("ground"), note=v("note"), expected_version=version),
            Action.START_MEDIATION: lambda: s.start_mediation(user, cid, expected_version=version),
            Action.SETTLE: lambda: s.settle(
                user, cid, terms=v("terms"), recovered=v("recovered") or None,
                performance_due=None if v("on_the_spot") else v("performance_due"),
                expected_version=version),
            Action.TERMINATE: lambda: s.terminate(user, cid, ground=v("ground"), note=v("note"),
                                                  expected_version=version),
            Action.TRANSFER: lambda: s.transfer(user, cid, target=v("target"), note=v("note"),
                                                expected_version=version),
            Action.OPEN_CASE: lambda: s.open_case(user, cid, note=v("note"), expected_version=version),
            Action.CLOSE: lambda: s.close(user, cid, result=v("result"), recovered=v("recovered") or None,
                                          at_fault=v("at_fault"), note=v("note"),
                                          expected_version=version),
            Action.REQUEST_ID_PROOF: lambda: s.request_id_proof(user, cid, due=v("due"), note=v("note"),
                                                                expected_version=version),
            Action.ID_PROOF_RECEIVED: lambda: s.id_proof_received(user, cid, expected_version=version),
            Action.DELEGATE: lambda: s.delegate(user, cid, to=v("to"), note=v("note"),
                                                expected_version=version),
            Action.FILE_CASE: lambda: s.file_case(user, cid, note=v("note"), expected_version=version),
            Action.DECLINE_CASE: lambda: s.decline_case(user, cid, note=v("note"),
                                                        expected_version=version),
            Action.MERGE: lambda: s.merge_report(user, cid, into_number=v("into"),
                                                 new_facts=v("new_facts"), note=v("note"),
                                                 expected_version=version),
            Action.REOPEN: lambda: s.reopen(user, cid, reason=v("reason"), expected_version=version),
            PAUSE: lambda: s.pause_clock(user, cid, reason=v("reason"), expected_version=version),
            RESUME: lambda: s.resume_clock(user, cid, note=v("note"), expected_version=version),
        }
        return calls[a]

    def submit(self) -> None:
        self._save(self.call({key: self.value(key) for key in self.fields}))
