"""公示: the monthly complaint disclosure at a glance — the year's months and their state, the
month's list, objections and corrections, the per-enterprise figures — and the buttons for what
the logged-in user may do next. Every call goes through DisclosureService on the worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.disclosure import (
    ListStatus,
    RequestKind,
    Step,
)
from desktop.services.disclosure_actions import CANDIDATES_CHANGED, OPEN_REQUESTS
from desktop.services.disclosure_info import (
    EditResult,
    EntryInfo,
    ListInfo,
    MonthState,
    Overview,
    RequestInfo,
)
from desktop.services.dto import Changed
from desktop.services.printing import FormRequest
from desktop.ui import file_dialogs
from desktop.ui.context import AppContext
from desktop.ui.dialogs.disclosure_dialogs import (
    ContentDialog,
    CorrectionDialog,
    PublishDialog,
    ReasonDialog,
)
from desktop.ui.dialogs.print_preview import preview_form
from desktop.ui.dialogs.small_form import SmallForm
from desktop.ui.widgets import messages
from desktop.ui.widgets.tables import fit_columns

# The colour of a month's button by its list's state (None: not built).
MONTH_COLOURS = {None: "#ffffff", ListStatus.DRAFT: "#fff8e1", ListStatus.SUBMITTED: "#e8f0fb",
                 ListStatus.DEPT_APPROVED: "#e8f0fb", ListStatus.APPROVED: "#e6f4ea",
                 ListStatus.PUBLISHED: "#d7ecdc"}
MONTH_STYLE = """
QPushButton {{ padding: 4px 2px; border: 1px solid #c9d3df; border-radius: 5px; background: {bg}; }}
QPushButton:checked {{ border: 2px solid #2f6fb3; }}
"""
STEPS = ((Step.BUILD, "生成"), (Step.SUBMIT, "提交"), (Step.DEPARTMENT_HEAD, "部门负责人"),
         (Step.DEPUTY_DIRECTOR, "分管局长"), (Step.PUBLISH, "发布"))
ENTRY_COLUMNS = ("序号", "投诉单号", "投诉时间", "被投诉方", "承办单位", "投诉内容", "成功与否", "状态")
REQUEST_COLUMNS = ("类型", "投诉单号", "被投诉方", "承办单位", "理由", "状态", "提出")
ENTERPRISE_COLUMNS = ("被投诉方", "统一社会信用代码", "受理", "办结", "调解", "调解成功", "调解成功率")


def _item(text: str, data: object = None, grey: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if grey:
        item.setForeground(QColor("#888888"))
    return item


def _table(columns: tuple[str, ...], stretch: int, giving: tuple[int, ...] = ()) -> QTableWidget:
    """`giving`: long names that give way before the `stretch` column (the complaint's
    content), so that it is not left a few characters wide with rows a screen tall."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    fit_columns(table, (*giving, stretch), stretch)
    return table


class DisclosurePage(QWidget):
    sig_open_complaint = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        user = ctx.user
        self.overview: Overview | None = None
        # Last month is the one being disclosed (in January, December).
        self.month = (ctx.services.ctx.clock.today().replace(day=1) - timedelta(days=1)).replace(day=1)
        self.auto_scope = True

        self.scope_box = QComboBox()
        self.scope_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope_box.setMinimumContentsLength(12)
        self.year_box = QSpinBox()
        self.year_box.setRange(2018, 2100)
        self.year_box.setValue(self.month.year)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("公示范围")))
        top.addWidget(self.scope_box)
        top.addSpacing(16)
        top.addWidget(QLabel(self.tr("年度")))
        top.addWidget(self.year_box)
        top.addStretch(1)

        self.month_buttons: list[QPushButton] = []
        group = QButtonGroup(self)
        months = QHBoxLayout()
        months.setSpacing(4)
        for m in range(1, 13):
            button = QPushButton()
            button.setCheckable(True)
            button.setMinimumHeight(46)
            button.clicked.connect(lambda _=False, m=m: self.select_month(m))
            group.addButton(button)
            months.addWidget(button)
            self.month_buttons.append(button)

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.steps = QLabel()
        self.steps.setWordWrap(True)
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff4d6; border: 1px solid #e8c46a; padding: 6px;")
        self.notice.hide()

        self.btn_build = QPushButton(self.tr("生成清单"))
        self.btn_submit = QPushButton(self.tr("提交审批"))
        self.btn_withdraw = QPushButton(self.tr("撤回…"))
        self.btn_approve = QPushButton(self.tr("审批同意…"))
        self.btn_refuse = QPushButton(self.tr("退回…"))
        self.btn_publish = QPushButton(self.tr("发布…"))
        self.btn_export = QPushButton(self.tr("导出公示文件…"))
        self.btn_print = QPushButton(self.tr("打印"))
        menu = QMenu(self.btn_print)
        menu.addAction(self.tr("消费投诉公示审批表"), lambda: self.print_sheet("disclosure"))
        menu.addAction(self.tr("消费投诉不予公示审批表"), lambda: self.print_sheet("disclosure-refusal"))
        self.btn_print.setMenu(menu)
        self.btn_build.clicked.connect(self.build)
        self.btn_submit.clicked.connect(self.submit)
        self.btn_withdraw.clicked.connect(self.withdraw)
        self.btn_approve.clicked.connect(self.approve)
        self.btn_refuse.clicked.connect(self.refuse)
        self.btn_publish.clicked.connect(self.publish)
        self.btn_export.clicked.connect(self.export)
        actions = QHBoxLayout()
        for button in (self.btn_build, self.btn_submit, self.btn_withdraw, self.btn_approve,
                       self.btn_refuse, self.btn_publish, self.btn_export):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.btn_print)

        # The list.
        self.entries = _table(ENTRY_COLUMNS, 5, giving=(3, 4))
        for column, width in zip((0, 1, 2, 3, 4, 6, 7), (44, 170, 90, 190, 110, 70, 110),
                                 strict=True):
            self.entries.setColumnWidth(column, width)
        self.entries.itemSelectionChanged.connect(self._update_buttons)
        self.entries.itemDoubleClicked.connect(lambda *_: self.edit_content())
        self.btn_edit = QPushButton(self.tr("修改内容…"))
        self.btn_restore = QPushButton(self.tr("恢复系统建议"))
        self.btn_object = QPushButton(self.tr("申请不予公示…"))
        self.btn_correct = QPushButton(self.tr("申请更正…"))
        self.btn_open = QPushButton(self.tr("打开投诉"))
        self.btn_edit.clicked.connect(self.edit_content)
        self.btn_restore.clicked.connect(self.restore_content)
        self.btn_object.clicked.connect(self.object)
        self.btn_correct.clicked.connect(self.correct)
        self.btn_open.clicked.connect(self._open_complaint)
        entry_buttons = QHBoxLayout()
        for button in (self.btn_edit, self.btn_restore, self.btn_object, self.btn_correct):
            entry_buttons.addWidget(button)
        entry_buttons.addStretch(1)
        entry_buttons.addWidget(self.btn_open)
        list_tab = QWidget()
        list_layout = QVBoxLayout(list_tab)
        list_layout.addWidget(self.entries, 1)
        list_layout.addLayout(entry_buttons)

        # Objections and corrections.
        self.requests = _table(REQUEST_COLUMNS, 4, giving=(2, 3))
        for column, width in zip((0, 1, 2, 3, 5, 6), (70, 170, 180, 110, 120, 150), strict=True):
            self.requests.setColumnWidth(column, width)
        self.requests.itemSelectionChanged.connect(self._request_selected)
        self.request_detail = QLabel()
        self.request_detail.setWordWrap(True)
        self.request_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.btn_agree = QPushButton(self.tr("同意…"))
        self.btn_disagree = QPushButton(self.tr("不同意…"))
        self.btn_take_back = QPushButton(self.tr("撤回申请"))
        self.btn_reply = QPushButton(self.tr("打印答复书"))
        self.btn_agree.clicked.connect(lambda: self.decide(True))
        self.btn_disagree.clicked.connect(lambda: self.decide(False))
        self.btn_take_back.clicked.connect(self.withdraw_request)
        self.btn_reply.clicked.connect(self.print_reply)
        request_buttons = QHBoxLayout()
        for button in (self.btn_agree, self.btn_disagree, self.btn_take_back):
            request_buttons.addWidget(button)
        request_buttons.addStretch(1)
        request_buttons.addWidget(self.btn_reply)
        request_tab = QWidget()
        request_layout = QVBoxLayout(request_tab)
        request_layout.addWidget(self.requests, 1)
        request_layout.addWidget(self.request_detail)
        request_layout.addLayout(request_buttons)

        self.enterprises = _table(ENTERPRISE_COLUMNS, 0)
        for column in range(1, len(ENTERPRISE_COLUMNS)):
            self.enterprises.setColumnWidth(column, 180 if column == 1 else 80)

        self.tabs = QTabWidget()
        self.tabs.addTab(list_tab, self.tr("公示清单"))
        self.tabs.addTab(request_tab, self.tr("不予公示与更正申请"))
        self.tabs.addTab(self.enterprises, self.tr("企业汇总"))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(months)
        layout.addWidget(self.title)
        layout.addWidget(self.steps)
        layout.addWidget(self.notice)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)

        ctx.ops.sig_changed.connect(self._on_changed)
        self.ctx.ops.query(lambda: ctx.services.disclosure.scopes(user), self._scopes_loaded,
                           owner=self)
        self.month_buttons[self.month.month - 1].setChecked(True)
        self._update_buttons()

    # -- loading ---------------------------------------------------------------------------
    def _scopes_loaded(self, choices) -> None:  # type: ignore[no-untyped-def]
        self.scope_box.blockSignals(True)
        for choice in choices:
            self.scope_box.addItem(choice.name, choice.office_id)
        self.scope_box.blockSignals(False)
        self.scope_box.currentIndexChanged.connect(self._scope_chosen)
        self.year_box.valueChanged.connect(self._year_changed)
        self.reload()

    def scope(self) -> int | None:
        return self.scope_box.currentData()

    def _scope_chosen(self, _index: int) -> None:
        self.auto_scope = False  # the user's choice holds from now on
        self.reload()

    def reload(self) -> None:
        if self.scope_box.count() == 0:
            return
        # Until the user picks a scope, each month shows the nearest list that exists: a
        # station's clerk sees the sub-bureau's list, or the district's.
        scope = None if self.auto_scope else self.scope()
        services, user, month = self.ctx.services, self.ctx.user, self.month
        year = self.year_box.value()

        def load() -> tuple[list[MonthState], Overview]:
            overview = services.disclosure.overview(user, month, scope)
            return services.disclosure.months(user, overview.scope_office_id, year), overview

        self.ctx.ops.query(load, self._loaded, owner=self)

    def _year_changed(self, year: int) -> None:
        self.month = date(year, self.month.month, 1)
        self.reload()

    def select_month(self, month: int) -> None:
        self.month = date(self.year_box.value(), month, 1)
        self.month_buttons[month - 1].setChecked(True)
        self.reload()

    def _loaded(self, result: tuple[list[MonthState], Overview]) -> None:
        states, overview = result
        if overview.month != self.month or (not self.auto_scope
                                              and overview.scope_office_id != self.scope()):
            return  # the user moved on meanwhile; that load is coming
        if overview.scope_office_id != self.scope():
            self.scope_box.blockSignals(True)
            self.scope_box.setCurrentIndex(self.scope_box.findData(overview.scope_office_id))
            self.scope_box.blockSignals(False)
        for state, button in zip(states, self.month_buttons, strict=True):
            label = state.status.label if state.status else self.tr("未生成")
            if state.status is ListStatus.DRAFT or (state.status and state.status.frozen):
                label = f"{label}\n{state.entries} 件"
            button.setText(f"{state.month.month}月\n{label}" if state.status is None
                           else f"{state.month.month}月 · {label}")
            button.setStyleSheet(MONTH_STYLE.format(bg=MONTH_COLOURS[state.status]))
            button.setToolTip(label)
        self.overview = overview
        self._show(overview)

    def _show(self, ov: Overview) -> None:
        lst = ov.list
        self.title.setText(self.tr("{0} {1}年{2}月 消费投诉公示").format(
            ov.scope_name, ov.month.year, ov.month.month)
            + (self.tr("　状态：{0}（第 {1} 轮）").format(lst.status.label, lst.round) if lst else
               self.tr("　尚未生成清单")))
        self.steps.setText(self._steps_text(lst))
        notes = []
        if lst and lst.returned:
            r = lst.returned
            notes.append(self.tr("上一轮已{0}：{1}（{2}，{3:%Y-%m-%d %H:%M}）").format(
                "撤回" if r.step is Step.WITHDRAW else "退回", r.note, r.by, r.at))
        if ov.candidates_changed:
            notes.append(self.tr("清单生成后本月又有投诉办结或重新办理，请「重新生成」后再提交。"))
        pending = [r for r in ov.requests if r.status.open]
        if pending:
            notes.append(self.tr("有 {0} 件申请正在审批。").format(len(pending)))
        self.notice.setText("\n".join(notes))
        self.notice.setVisible(bool(notes))
        self._fill_entries(ov.entries)
        self._fill_requests(ov.requests)
        self._fill_enterprises(ov)
        self.tabs.setTabText(0, self.tr("公示清单（{0}）").format(
            sum(not e.excluded for e in ov.entries)))
        self.tabs.setTabText(1, self.tr("不予公示与更正申请（{0}）").format(len(ov.requests)))
        self._update_buttons()

    def _steps_text(self, lst: ListInfo | None) -> str:
        if lst is None:
            return self.tr("消保科生成本月清单后，承办单位可对本单位的投诉申请不予公示；"
                           "清单经部门负责人、分管局长两级审批后发布。")
        parts = []
        for step, label in STEPS:
            done = lst.current(step)
            if step is Step.BUILD:
                builds = [d for d in lst.decisions if d.step is Step.BUILD]
                done = builds[-1] if builds else None
            if done is not None and done.approve:
                parts.append(f"<span style='color:#1f7a3a'>✔ {label}</span> "
                             f"<span style='color:#555'>{done.by} {done.at:%m-%d %H:%M}</span>")
            else:
                parts.append(f"<span style='color:#999'>○ {label}</span>")
        return " → ".join(parts)

    def _fill_entries(self, entries: tuple[EntryInfo, ...]) -> None:
        selected = self.selected_entry()
        self.entries.setRowCount(len(entries))
        for r, e in enumerate(entries):
            grey = e.excluded
            state = e.state + (f"（{e.open_request}）" if e.open_request else "")
            if e.edited and not e.excluded:
                state += self.tr("，已修改")
            values = (str(e.seq), e.number, f"{e.received_at:%Y-%m-%d}", e.respondent, e.office,
                      e.content, "成功" if e.success else "不成功", state)
            for c, text in enumerate(values):
                self.entries.setItem(r, c, _item(text, e.id if c == 0 else None, grey))
            if selected and e.id == selected.id:
                self.entries.selectRow(r)
        self.entries.resizeRowsToContents()

    def _fill_requests(self, requests: tuple[RequestInfo, ...]) -> None:
        self.requests.setRowCount(len(requests))
        for r, q in enumerate(requests):
            values = (q.kind.label, q.number, q.respondent, q.office, q.reason, q.status.label,
                      f"{q.filed_by} {q.filed_at:%m-%d %H:%M}")
            for c, text in enumerate(values):
                self.requests.setItem(r, c, _item(text, q.id if c == 0 else None,
                                                  not q.status.open))
        self.requests.resizeRowsToContents()
        self._request_selected()

    def _fill_enterprises(self, ov: Overview) -> None:
        self.enterprises.setRowCount(len(ov.enterprises))
        for r, x in enumerate(ov.enterprises):
            rate = "—" if x.success_rate is None else f"{x.success_rate:.0%}"
            for c, text in enumerate((x.respondent, x.credit_code, str(x.accepted), str(x.closed),
                                      str(x.mediated), str(x.settled), rate)):
                self.enterprises.setItem(r, c, _item(text))

    # -- what is selected, and what may be done with it ---------------------------------------
    def selected_entry(self) -> EntryInfo | None:
        if self.overview is None:
            return None
        rows = self.entries.selectionModel().selectedRows() if self.entries.selectionModel() else []
        if not rows:
            return None
        item = self.entries.item(rows[0].row(), 0)
        entry_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        return next((e for e in self.overview.entries if e.id == entry_id), None)

    def selected_request(self) -> RequestInfo | None:
        if self.overview is None:
            return None
        rows = self.requests.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.requests.item(rows[0].row(), 0)
        request_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        return next((q for q in self.overview.requests if q.id == request_id), None)

    def _update_buttons(self) -> None:
        lst = self.overview.list if self.overview else None
        entry = self.selected_entry()
        can = self.ctx.services.disclosure.list_actions(self.ctx.user, self.overview, entry)
        self.btn_build.setText(self.tr("重新生成") if lst else self.tr("生成清单"))
        self.btn_build.setVisible(can.build)
        self.btn_submit.setVisible(can.submit)
        blocked = {OPEN_REQUESTS: self.tr("还有申请正在审批，审批完毕后才能提交"),
                   CANDIDATES_CHANGED: self.tr("本月又有投诉办结或重新办理，请先重新生成"),
                   }.get(can.submit_blocked, "")
        self.btn_submit.setEnabled(not blocked)
        self.btn_submit.setToolTip(blocked or self.tr("提交后清单内容冻结，交部门负责人审批"))
        self.btn_withdraw.setVisible(can.withdraw)
        self.btn_approve.setVisible(can.decide)
        self.btn_refuse.setVisible(can.decide)
        self.btn_publish.setVisible(can.publish)
        self.btn_export.setVisible(can.export)
        self.btn_print.setEnabled(can.print)
        self.btn_edit.setVisible(can.edit)
        self.btn_edit.setEnabled(can.entry_live)
        self.btn_restore.setVisible(can.edit)
        self.btn_restore.setEnabled(can.entry_edited)
        self.btn_object.setVisible(can.object)
        self.btn_object.setEnabled(can.entry_live)
        self.btn_correct.setVisible(can.correct)
        self.btn_correct.setEnabled(can.entry_live)
        self.btn_open.setEnabled(entry is not None)

    def _request_selected(self) -> None:
        q = self.selected_request()
        can = self.ctx.services.disclosure.request_actions(self.ctx.user, q)
        self.btn_agree.setVisible(can.decide)
        self.btn_disagree.setVisible(can.decide)
        self.btn_take_back.setVisible(can.take_back)
        self.btn_reply.setVisible(can.reply)
        if q is None:
            self.request_detail.setText(self.tr("选择一件申请查看审批经过。"))
            return
        lines = [self.tr("{0}申请 — 投诉 {1}：{2}").format(q.kind.label, q.number, q.reason)]
        if q.kind is RequestKind.CORRECTION:
            lines.append(self.tr("原内容：{0}").format(q.old_content or ""))
            lines.append(self.tr("更正为：{0}").format(q.new_content or ""))
            if q.requester:
                lines.append(self.tr("申请人：{0}").format(q.requester))
        lines += [d.text for d in q.decisions]
        lines.append(self.tr("当前：{0}").format(q.status.label))
        self.request_detail.setText("\n".join(lines))

    # -- acting ---------------------------------------------------------------------------------
    def _mutate(self, fn: Callable[[], Changed | None]) -> None:
        self.ctx.ops.mutate(fn, owner=self)

    def build(self) -> None:
        s, user, month, scope = self.ctx.services, self.ctx.user, self.month, self.scope()
        self._mutate(lambda: s.disclosure.build(user, month, scope))

    def submit(self) -> None:
        lst = self._list()
        if lst is None:
            return
        count = sum(not e.excluded for e in self.overview.entries) if self.overview else 0
        if not messages.confirm(self, self.tr("提交审批"), self.tr(
                "提交后清单内容冻结，共 {0} 件。确定提交部门负责人审批吗？").format(count)):
            return
        s, user = self.ctx.services, self.ctx.user
        self._mutate(lambda: s.disclosure.submit(user, lst.id))

    def withdraw(self) -> ReasonDialog | None:
        lst = self._list()
        if lst is None:
            return None
        dialog = ReasonDialog(self.tr("撤回公示清单"), self.tr("例如：补充本月新办结的投诉"),
                              self.tr("撤回原因"), required=True, ok=self.tr("撤回"), parent=self)
        s, user = self.ctx.services, self.ctx.user
        return self._open(dialog, lambda: s.disclosure.withdraw(user, lst.id, dialog.text()))

    def approve(self) -> ReasonDialog | None:
        lst = self._list()
        if lst is None:
            return None
        count = sum(not e.excluded for e in self.overview.entries) if self.overview else 0
        dialog = ReasonDialog(self.tr("审批同意"), self.tr("审批意见（可不填）"), self.tr("审批意见"),
                              required=False, ok=self.tr("同意"), parent=self,
                              context=self.tr("{0}年{1}月公示清单，共 {2} 件，{3}。").format(
                                  lst.month.year, lst.month.month, count, lst.status.label))
        s, user = self.ctx.services, self.ctx.user
        return self._open(dialog, lambda: s.disclosure.approve(user, lst.id, dialog.text()))

    def refuse(self) -> ReasonDialog | None:
        lst = self._list()
        if lst is None:
            return None
        dialog = ReasonDialog(self.tr("退回公示清单"), self.tr("退回后清单回到草稿，由消保科修改后重新提交"),
                              self.tr("退回理由"), required=True, ok=self.tr("退回"), parent=self)
        s, user = self.ctx.services, self.ctx.user
        return self._open(dialog, lambda: s.disclosure.refuse(user, lst.id, dialog.text()))

    def publish(self) -> PublishDialog | None:
        lst = self._list()
        if lst is None:
            return None
        dialog = PublishDialog(self.title.text(), self._default_folder(), self)
        s, user = self.ctx.services, self.ctx.user

        def send() -> tuple[Changed, list[Path]]:
            changed = s.disclosure.publish(user, lst.id, dialog.chosen_channels())
            return changed, s.disclosure.export(user, lst.id, dialog.target())

        def done(result: tuple[Changed, list[Path]]) -> None:
            dialog.accept()
            self._tell_written(result[1])

        return self._open(dialog, send, done)

    def export(self) -> None:
        lst = self._list()
        if lst is None:
            return
        folder = file_dialogs.existing_folder(self, self.tr("选择保存公示文件的文件夹"),
                                              str(self._default_folder()))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        lst = self._list()
        if lst is None:
            return
        s, user = self.ctx.services, self.ctx.user
        self.ctx.ops.query(lambda: s.disclosure.export(user, lst.id, folder), self._tell_written,
                           owner=self)

    def _tell_written(self, written: list[Path]) -> None:
        messages.inform(self, self.tr("公示文件"), self.tr("已写出 {0} 个文件到 {1}：\n{2}").format(
            len(written), written[0].parent if written else "",
            "\n".join(p.name for p in written)))

    def _default_folder(self) -> Path:
        return Path.home() / "和解台公示文件"

    def edit_content(self) -> ContentDialog | None:
        entry = self.selected_entry()
        lst = self._list()
        if entry is None or lst is None \
                or not self.ctx.services.disclosure.list_actions(self.ctx.user, self.overview).edit:
            return None
        dialog = ContentDialog(entry.number, entry.content, entry.proposed_content, self)
        s, user = self.ctx.services, self.ctx.user

        def done(result: EditResult) -> None:
            dialog.accept()
            self.reload()  # an EditResult is not broadcast as a Changed
            if result.masked:
                messages.inform(self, self.tr("已隐去个人信息"), self.tr(
                    "内容中含有个人信息，已自动隐去后保存：\n{0}").format(result.content))

        return self._open(dialog, lambda: s.disclosure.edit_content(user, entry.id, dialog.text()),
                          done)

    def restore_content(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        s, user = self.ctx.services, self.ctx.user
        self._mutate(lambda: s.disclosure.restore_content(user, entry.id))

    def object(self) -> ReasonDialog | None:
        entry = self.selected_entry()
        if entry is None:
            return None
        dialog = ReasonDialog(
            self.tr("申请不予公示 — {0}").format(entry.number),
            self.tr("例如：投诉内容与事实明显不符，经营者已提供证据"), self.tr("不予公示理由"),
            required=True, ok=self.tr("提交申请"), parent=self,
            context=self.tr("{0}：{1}").format(entry.respondent, entry.content))
        s, user = self.ctx.services, self.ctx.user
        return self._open(dialog, lambda: s.disclosure.object(user, entry.id, dialog.text()))

    def correct(self) -> CorrectionDialog | None:
        entry = self.selected_entry()
        if entry is None:
            return None
        dialog = CorrectionDialog(entry.number, entry.content, self)
        s, user = self.ctx.services, self.ctx.user

        def send() -> Changed:
            reason, content, requester, address = dialog.values()
            return s.disclosure.correct(user, entry.id, reason, content, requester, address)

        return self._open(dialog, send)

    def decide(self, approve: bool) -> ReasonDialog | None:
        q = self.selected_request()
        if q is None:
            return None
        dialog = ReasonDialog(
            self.tr("{0}申请 — {1}").format(q.kind.label, q.number),
            self.tr("审批意见（可不填）") if approve else self.tr("请说明不同意的理由"),
            self.tr("审批意见") if approve else self.tr("不同意的理由"), required=not approve,
            ok=self.tr("同意") if approve else self.tr("不同意"), parent=self, context=q.reason)
        s, user = self.ctx.services, self.ctx.user
        return self._open(dialog, lambda: s.disclosure.decide(user, q.id, approve, dialog.text()))

    def withdraw_request(self) -> None:
        q = self.selected_request()
        if q is None or not messages.confirm(self, self.tr("撤回申请"),
                                             self.tr("确定撤回这件{0}申请吗？").format(q.kind.label)):
            return
        s, user = self.ctx.services, self.ctx.user
        self._mutate(lambda: s.disclosure.withdraw_request(user, q.id))

    def print_sheet(self, form: str) -> None:
        preview_form(self.ctx, self, FormRequest(form, month=self.month,
                                                 scope_office_id=self.scope()))

    def print_reply(self) -> None:
        q = self.selected_request()
        if q is not None:
            preview_form(self.ctx, self, FormRequest("correction-reply", request_id=q.id))

    def _open_complaint(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.sig_open_complaint.emit(entry.complaint_id)

    def _open(self, dialog: SmallForm, send: Callable[[], object],
              done: Callable[[object], None] | None = None) -> SmallForm:
        """Open a form whose 确定 checks it, then sends `send` on the worker: the form closes
        when the service agrees and shows the service's message in itself when not, so
        nothing typed is lost."""

        def submit() -> None:
            dialog.error.hide()
            if dialog.validate():
                self.ctx.ops.mutate(send, done or (lambda _result: dialog.accept()), owner=self,
                                    on_error=lambda error: dialog.refuse(str(error)))

        dialog.submit = submit  # type: ignore[method-assign]
        dialog.open()
        return dialog

    def _list(self) -> ListInfo | None:
        return self.overview.list if self.overview else None

    def _on_changed(self, changed: Changed) -> None:
        if changed.entity.startswith("disclosure") or changed.entity == "complaint":
            self.reload()
