"""One complaint in its own window: the record, mediation records, attachments, history, and
exactly the actions the state machine allows this user now."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDir, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.aftercare import satisfaction_label
from desktop.domain.complaint_fields import FIELDS, Field
from desktop.domain.workflow import CASE_DECIDERS, HANDLERS, Action, Intake, Role, Status
from desktop.files import (
    can_open,
    is_executable,
    is_sha256,
    path_inside,
    safe_filename,
)
from desktop.services.dto import (
    AttachmentInfo,
    Changed,
    ComplaintDetail,
    HistoryLine,
    MediationRecordInfo,
)
from desktop.services.printing import FormChoice, FormRequest
from desktop.services.sync_info import STATE_LABELS
from desktop.ui import file_dialogs
from desktop.ui.context import AppContext
from desktop.ui.dialogs.action_dialog import PAUSE, RESUME, ActionDialog
from desktop.ui.dialogs.consumer_status import ConsumerStatusDialog
from desktop.ui.dialogs.mediation_dialog import MediationDialog
from desktop.ui.dialogs.step_dialogs import (
    ExtendCheckDialog,
    MediationNoticeDialog,
    RecusalDialog,
    StepDialog,
)
from desktop.ui.intake_words import intake_of, worded
from desktop.ui.ops import Task
from desktop.ui.printing import print_icon
from desktop.ui.settings import restore_geometry, save_geometry
from desktop.ui.views.attachments import attach_files
from desktop.ui.views.complaint_aftercare import AftercarePanel
from desktop.ui.widgets import messages
from desktop.ui.widgets.tables import fill_table, read_only_table

# The action-area steps that are not transitions of the state machine, by their key.
NOTICE, RECUSAL, EXTEND, CONSUMER = "mediation_notice", "recusal", "extend_check", "consumer_status"
STEP_DIALOGS: dict[str, type[StepDialog] | type[ConsumerStatusDialog]] = {
    NOTICE: MediationNoticeDialog,
    RECUSAL: RecusalDialog,
    EXTEND: ExtendCheckDialog,
    CONSUMER: ConsumerStatusDialog,
}


class ComplaintWindow(QWidget):
    sig_open_complaint = Signal(int)
    sig_loaded = Signal()

    def __init__(self, ctx: AppContext, complaint_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx, self.complaint_id = ctx, complaint_id
        self.detail: ComplaintDetail | None = None
        self.records: list[MediationRecordInfo] = []
        self.attachments: list[AttachmentInfo] = []
        self.action_buttons: dict[object, QPushButton] = {}
        self.print_choices: list[FormChoice] = []
        self.sync_state: str | None = None  # None: this PC is not enrolled; "": never synced
        self.sync_refusals: list[str] = []  # the district's reasons, when its state is rejected
        self.setWindowTitle(self.tr("投诉"))

        self.title = QLabel(self.tr("正在读取……"))
        self.title.setStyleSheet("font-size: 17px; font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The forms this complaint has reached, rebuilt on every reload.
        self.print_menu = QMenu(self)
        # A push button, like the action buttons beside it (a QToolButton drew its icon over
        # the text in the Fusion style).
        self.print_button = QPushButton(print_icon(self), self.tr("打印"))
        self.print_button.setMenu(self.print_menu)
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.setToolTip(self.tr("预览并打印本投诉的登记表、通知书、调解记录、调解书（Ctrl+P）"))
        self.print_button.setEnabled(False)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.print_button)
        self.status_line = QLabel()
        self.status_line.setWordWrap(True)
        self.actions_bar = QHBoxLayout()

        self.tabs = QTabWidget()
        self.record_form = QFormLayout()
        record = QWidget()
        record.setLayout(self.record_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(record)
        self.tabs.addTab(scroll, self.tr("投诉信息"))

        self.records_table = read_only_table([self.tr("调解时间"), self.tr("方式"), self.tr("参加人员"),
                                              self.tr("调解内容"), self.tr("结果"), self.tr("更正")],
                                             [130, 90, 180, 300, 180, 200], 3)
        self.records_table.doubleClicked.connect(lambda i: self.view_record(i.row()))
        self.add_record_button = QPushButton(self.tr("添加调解记录…"))
        self.add_record_button.clicked.connect(self.add_record)
        self.correct_record_button = QPushButton(self.tr("更正所选记录…"))
        self.correct_record_button.setToolTip(self.tr(
            "保存一条更正后的记录代替所选记录，写明理由；原记录保留并标为已更正"))
        self.correct_record_button.clicked.connect(
            lambda: self.correct_record(self.records_table.currentRow()))
        self.tabs.addTab(self._with_buttons(self.records_table, self.add_record_button,
                                            self.correct_record_button), self.tr("调解记录"))

        self.files_table = read_only_table([self.tr("文件名"), self.tr("大小"), self.tr("添加时间"),
                                            self.tr("说明"), self.tr("SHA-256 校验值")],
                                           [220, 80, 130, 150, 480], 0)
        self.files_table.doubleClicked.connect(lambda i: self.open_attachment(i.row()))
        self.add_file_button = QPushButton(self.tr("添加附件…"))
        self.add_file_button.clicked.connect(self.choose_attachments)
        self.open_file_button = QPushButton(self.tr("打开"))
        self.open_file_button.clicked.connect(lambda: self.open_attachment(self.files_table.currentRow()))
        self.save_file_button = QPushButton(self.tr("另存为…"))
        self.save_file_button.clicked.connect(lambda: self.save_attachment_as(self.files_table.currentRow()))
        self.tabs.addTab(self._with_buttons(self.files_table, self.add_file_button, self.open_file_button,
                                            self.save_file_button), self.tr("附件"))

        self.history_table = read_only_table([self.tr("时间"), self.tr("操作人"), self.tr("操作"),
                                              self.tr("内容"), self.tr("理由")],
                                             [130, 80, 110, 400, 200], 3)
        self.tabs.addTab(self.history_table, self.tr("处理经过"))
        self.aftercare = AftercarePanel(ctx, complaint_id)  # reloads itself on the same changes
        self.tabs.addTab(self.aftercare, self.tr("送达与回访"))

        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.status_line)
        layout.addLayout(self.actions_bar)
        layout.addWidget(self.tabs, 1)
        ctx.ops.sig_changed.connect(self._on_changed)
        # Esc and Ctrl+W close the window (asking first when an edit is not saved).
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+W")):
            QShortcut(keys, self, activated=self.close,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if not restore_geometry(self):
            self.resize(980, 680)
        self.reload()

    def _with_buttons(self, table: QTableWidget, *buttons: QPushButton) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        for b in buttons:
            row.addWidget(b)
        row.addStretch()
        column.addLayout(row)
        column.addWidget(table)
        return box

    # -- loading ------------------------------------------------------------------------------------
    def reload(self) -> None:
        services, user, cid = self.ctx.services, self.ctx.user, self.complaint_id

        def work() -> tuple[ComplaintDetail, list[MediationRecordInfo], list[AttachmentInfo],
                            list[HistoryLine], list[FormChoice], str | None, list[str]]:
            # The sync state only once enrolled: the outbox fills before, and 待同步 would alarm.
            state = (services.sync.states_by_id([cid]).get(cid, "")
                     if services.sync.settings().enrolled else None)
            refusals = services.sync.refusals(cid) if state == "rejected" else []
            return (services.complaints.get(user, cid), services.records.mediation_records(user, cid),
                    services.records.attachments(user, cid), services.records.history(user, cid),
                    services.printing.choices(user, cid), state, refusals)

        self.ctx.ops.query(work, self._show, owner=self)

    def _show(self, loaded) -> None:  # type: ignore[no-untyped-def]
        (detail, self.records, self.attachments, history, choices, self.sync_state,
         self.sync_refusals) = loaded
        self.detail = detail
        self.setWindowTitle(self.tr("{0} {1}").format(intake_of(detail.kind).label, detail.number))
        self.title.setText(f"{detail.number}　{detail.respondent_name}")
        self._show_status(detail, self.sync_state)
        self._show_actions(detail)
        self._show_record(detail)
        lookups = self.ctx.lookups
        names = {u.username: u.display_name for u in lookups.users}
        fill_table(self.records_table, [
            [r.held_at.strftime("%Y-%m-%d %H:%M"), lookups.label("mediation_means", r.means),
             r.participants, r.content, r.result, self._correction_text(r)] for r in self.records],
            grey={row for row, r in enumerate(self.records) if r.corrected})
        fill_table(self.files_table, [
            [a.filename, _size(a.size), a.added_at.strftime("%Y-%m-%d %H:%M"), a.note, a.sha256]
            for a in self.attachments])
        fill_table(self.history_table, [
            [h.at.strftime("%Y-%m-%d %H:%M"), names.get(h.username, h.username), h.action, h.text,
             h.reason or ""]
            for h in history])
        self.tabs.setTabText(1, self.tr("调解记录（{0}）").format(len(self.records)))
        self.tabs.setTabText(2, self.tr("附件（{0}）").format(len(self.attachments)))
        self._show_print_choices(choices)
        self.sig_loaded.emit()

    def _show_print_choices(self, choices: list[FormChoice]) -> None:
        self.print_choices = choices
        self.print_menu.clear()
        for choice in choices:
            action = self.print_menu.addAction(choice.label)
            action.setToolTip(choice.form.purpose)
            action.triggered.connect(lambda _=False, c=choice: self.print_form(c))
        self.print_menu.setToolTipsVisible(True)
        self.print_button.setEnabled(bool(choices))

    def _show_status(self, d: ComplaintDetail, sync_state: str | None) -> None:
        today = self.ctx.services.ctx.clock.today()
        parts = [self.tr("状态：<b>{0}</b>").format(d.status.label)]
        if d.due_on is not None:
            colour = "#a61b1b" if d.due_on < today else "#222"
            late = self.tr("（已超期）") if d.due_on < today else ""
            parts.append(self.tr("办理期限：<b style='color:{0}'>{1}</b>{2}").format(colour, d.due_on, late))
        if d.paused:
            parts.append(self.tr("<span style='color:#7a5200'>调解计时已中止</span>"))
        parts.append(self.tr("承办：{0} {1}").format(self.ctx.lookups.office_name(d.office_id),
                                                      self.ctx.lookups.user_name(d.handler_id)))
        if sync_state is not None:
            parts.append(self._sync_text(sync_state, self.sync_refusals))
        if d.personal_info_masked:
            parts.append(self.tr("<span style='color:#666'>投诉人个人信息已按权限隐藏</span>"))
        warnings = [w for w in d.deadlines.warnings]
        self.status_line.setText("　".join(parts) + ("<br>" + "<br>".join(warnings) if warnings else ""))

    def _sync_text(self, state: str, refusals: list[str]) -> str:
        label = self.tr(STATE_LABELS[state]) if state else self.tr("尚未同步")
        colour = "#b3261e" if state in ("conflict", "rejected") else "#222"
        text = self.tr("与区局同步：<b style='color:{0}'>{1}</b>").format(colour, label)
        if refusals:  # the district's own words: what to take up with it
            text += self.tr("（原因：{0}）").format(html.escape("；".join(refusals)))
        return text

    def _show_actions(self, d: ComplaintDetail) -> None:
        while self.actions_bar.count():
            item = self.actions_bar.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.action_buttons = {}
        self.step_buttons: dict[str, QPushButton] = {}
        for action in d.allowed_actions:
            if action is Action.ANSWER:  # a 咨询 is answered at registration
                continue
            self._action_button(action, action.label)
        handles = self.ctx.user.has(*HANDLERS)
        if handles and d.status in (Status.ACCEPTED, Status.MEDIATING):
            if d.paused:
                self._action_button(RESUME, self.tr("恢复计时"))
            else:
                self._action_button(PAUSE, self.tr("中止计时"))
        for step, text, tip in self._steps(d):
            self._action_button(step, self.tr(text))
            self.step_buttons[step] = self.action_buttons.pop(step)
            self.step_buttons[step].setToolTip(self.tr(tip))
        self.actions_bar.addStretch()
        if handles and d.status is not Status.CLOSED and not d.personal_info_masked:
            edit = QPushButton(self.tr("修改登记信息…"))
            edit.clicked.connect(self.edit)
            self.actions_bar.addWidget(edit)
            self.edit_button = edit
        can_record = handles and d.status in (Status.ACCEPTED, Status.MEDIATING)
        self.add_record_button.setEnabled(can_record)
        self.add_record_button.setToolTip("" if can_record else self.tr("已受理或调解中的投诉才能添加调解记录"))
        self.add_file_button.setEnabled(handles and d.status is not Status.CLOSED)

    def _steps(self, d: ComplaintDetail) -> list[tuple[str, str, str]]:
        """The steps that record something without moving the status, those that apply now:
        (key, button text, tooltip)."""
        kind = Intake(d.kind or Intake.COMPLAINT)
        handles = self.ctx.user.has(*HANDLERS)
        steps = []
        if handles and kind is Intake.COMPLAINT and d.status in (Status.ACCEPTED, Status.MEDIATING):
            steps.append((NOTICE, "调解通知…", "调解时间、地点、调解人员、需携带材料和申请回避的期限（投诉调解通知书）"))
            steps.append((RECUSAL, "回避申请…", "当事人申请调解人员回避，以及回避决定"))
        checking = (kind is Intake.REPORT and d.status is Status.REGISTERED) \
            or d.status is Status.CASE_OPENED
        if checking and self.ctx.user.has(*CASE_DECIDERS, Role.DEPARTMENT_HEAD, Role.DEPUTY_DIRECTOR) \
                and getattr(d, "check_extended_on", None) is None:
            steps.append((EXTEND, "延长核查…", "经负责人批准，核查期限延长 15 个工作日（只能延长一次）"))
        if handles and kind is Intake.COMPLAINT and d.status.is_open and not d.personal_info_masked:
            steps.append((CONSUMER, "消费者身份核查…",
                          "查看系统汇集的事实（近 12 个月的投诉、相同联系方式、购买数量），记录是否属于生活消费的判断"))
        return steps

    def _action_button(self, action: object, text: str) -> None:
        button = QPushButton(text)
        if action in STEP_DIALOGS:
            button.clicked.connect(lambda _=False, a=action: self.start_step(a))
        else:
            button.clicked.connect(lambda _=False, a=action: self.start_action(a))
        self.actions_bar.addWidget(button)
        self.action_buttons[action] = button

    def _show_record(self, d: ComplaintDetail) -> None:
        """Every catalogued field the tab shows (domain/complaint_fields.py), in its order,
        that belongs to this kind of item and holds something; the parties' names always (a
        咨询's business only when named). Labels in the kind's words (举报人, 被举报方; 咨询人)."""
        while self.record_form.rowCount():
            self.record_form.removeRow(0)
        intake = intake_of(d.kind)
        always = ("complainant_name",) if intake is Intake.CONSULTATION \
            else ("complainant_name", "respondent_name")
        rows = [(self.tr("类型"), intake.label)]
        for f in FIELDS:
            if not f.shown or intake not in f.intakes:
                continue
            value = self._shown_value(f, d)
            if not value and f.name not in always:
                continue
            rows.append((self.tr(worded(f.label, intake)), value))
        for caption, value in rows:
            text = QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.record_form.addRow(caption + "：", text)
        if d.links:
            # 诉转案 and 并案: the tied items, each opened by a click on its number.
            links = QLabel("<br>".join(
                f'{html.escape(link.relation)}：<a href="{link.complaint_id}">'
                f'{html.escape(link.number)}</a>（{html.escape(link.status.label)}）'
                for link in d.links))
            links.setObjectName("links")
            links.setTextFormat(Qt.TextFormat.RichText)
            links.linkActivated.connect(lambda target: self.sig_open_complaint.emit(int(target)))
            self.record_form.addRow(self.tr("关联记录") + "：", links)

    def _shown_value(self, f: Field, d: ComplaintDetail) -> str:
        value = getattr(d, f.key)
        if f.name == "performance_due_on" and value is None and d.settlement_terms:
            return self.tr("当场履行")  # an agreement without a deadline is performed on the spot
        if value is None or value == "":
            return ""
        if f.name in ("rejection_ground", "termination_ground"):
            # Worded by the complaint's own rule set, not a code table.
            kind = "rejection" if f.name == "rejection_ground" else "termination"
            return d.deadlines.rule_set.ground_text(kind, value)
        if f.name == "satisfaction":  # a 回访's code (satisfied …), or an older closing's words
            return satisfaction_label(value)
        if f.codes is not None:
            return self.ctx.lookups.label(f.codes, value)
        if f.choices is not None:
            return f.choices(value).label
        if f.choice_values:
            return dict(f.choice_values).get(value, str(value))
        if f.kind == "money":
            return f"{value} 元"
        if f.kind == "datetime":
            return value.strftime("%Y-%m-%d %H:%M")
        if f.kind == "date":
            return value.isoformat()
        if f.kind == "bool":
            yes, no = f.words or (self.tr("是"), self.tr("否"))
            return yes if value else no
        return str(value)

    # -- actions -----------------------------------------------------------------------------------
    def start_action(self, action: Action | str) -> ActionDialog:
        assert self.detail is not None
        dialog = ActionDialog(self.ctx, self.detail, action, self)
        dialog.sig_done.connect(self._action_done)
        dialog.open()
        return dialog

    def start_step(self, step: str) -> QDialog:
        """调解通知、回避申请、延长核查、消费者身份核查: a dialog of its own, saved on the worker."""
        assert self.detail is not None
        dialog = STEP_DIALOGS[step](self.ctx, self.detail, self)
        dialog.sig_done.connect(self._action_done)
        dialog.open()
        return dialog

    def print_form(self, choice: FormChoice) -> Task:
        """Render the chosen form on the worker, then show its preview."""
        from desktop.ui.dialogs.print_preview import preview_form

        request = FormRequest(choice.form.key, complaint_id=self.complaint_id, session_id=choice.session_id)
        return preview_form(self.ctx, self, request)

    def _action_done(self, changed: Changed) -> None:
        # The calendar / rule-set notices: a dialog the first time this session only; the
        # header's status line and the main window's status bar show them after every change.
        new = self.ctx.untold(changed.warnings)
        if new:
            messages.inform(self, self.tr("提示"), "\n".join(new))

    def edit(self) -> QWidget:
        """The registration form, filled in, in a window of its own (修改须留痕)."""
        from desktop.ui.views.registration import RegistrationPage

        assert self.detail is not None
        form = RegistrationPage(self.ctx, editing=self.detail)
        form.setParent(self, Qt.WindowType.Window)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.setWindowTitle(self.tr("修改登记信息 {0}").format(self.detail.number))
        form.resize(900, 700)
        form.show()
        return form

    def add_record(self) -> MediationDialog:
        assert self.detail is not None
        dialog = MediationDialog(self.ctx, self.complaint_id, self.detail.number, parent=self)
        dialog.open()
        return dialog

    def view_record(self, row: int) -> MediationDialog | None:
        if not 0 <= row < len(self.records) or self.detail is None:
            return None
        dialog = MediationDialog(self.ctx, self.complaint_id, self.detail.number, self.records[row], self)
        dialog.open()
        return dialog

    def correct_record(self, row: int) -> MediationDialog | None:
        """The chosen record, editable, with a reason: saving adds the record replacing it."""
        if self.detail is None:
            return None
        if not 0 <= row < len(self.records):
            messages.inform(self, self.tr("更正调解记录"), self.tr("请先在列表中选中要更正的调解记录。"))
            return None
        record = self.records[row]
        if record.corrected:
            messages.inform(self, self.tr("更正调解记录"), self.tr(
                "这条记录已经更正过（已更正），请选中更正后的那一条再更正。"))
            return None
        dialog = MediationDialog(self.ctx, self.complaint_id, self.detail.number, record, self,
                                 correct=True)
        dialog.open()
        return dialog

    def _correction_text(self, r: MediationRecordInfo) -> str:
        if r.corrected:
            return self.tr("已更正：{0}").format(r.replaced_reason or "")
        if r.replaces_id is not None:
            return self.tr("更正后的记录（{0}）").format(r.correction_reason or "")
        return ""

    def unsaved_edits(self) -> bool:
        """An edit of this complaint typed and not saved: the 修改登记信息 form opened from here,
        or a dialog of this window with something typed in it."""
        from desktop.ui.views.registration import RegistrationPage

        for form in self.findChildren(RegistrationPage):
            if form.isVisible() and form.changed:
                return True
        return any(dialog.isVisible() and getattr(dialog, "has_typed", lambda: False)()
                   for dialog in self.findChildren(QDialog))

    def choose_attachments(self) -> None:
        names = file_dialogs.open_files(self, self.tr("选择附件"))
        if names:
            attach_files(self.ctx, self, self.complaint_id, [Path(n) for n in names])

    def _attachment_copy(self, row: int) -> tuple[AttachmentInfo, Path, Path] | None:
        """(attachment, its stored file, where a copy under its label goes), or None after
        telling the clerk why not. The label is only a label: the copy's name is made safe
        and must resolve inside data_dir/opened."""
        if not 0 <= row < len(self.attachments):
            return None
        attachment = self.attachments[row]
        try:
            if not is_sha256(attachment.sha256):
                raise ValueError(attachment.sha256)
            view = path_inside(self.ctx.data_dir / "opened", attachment.sha256[:12],
                               safe_filename(attachment.filename, attachment.sha256[:12]))
        except ValueError:
            messages.warn(self, self.tr("无法打开附件"),
                          self.tr("这个附件的记录不正确（校验值或文件名无效），为安全起见不予打开。"
                                  "请联系信息管理员。"))
            return None
        source = self.ctx.services.records.blob_path(attachment.sha256)
        return attachment, source, view

    def open_attachment(self, row: int) -> Path | None:
        """The store names files by hash; open a copy under a name made from the label, inside
        data_dir/opened, so that the system picks the right program and the stored original
        cannot be edited. Only a type on files.OPENABLE_SUFFIXES is handed to the desktop;
        any other is copied, and the clerk told where."""
        found = self._attachment_copy(row)
        if found is None:
            return None
        attachment, source, view = found
        opened = self.ctx.data_dir / "opened"

        def copy(_state) -> Path:  # type: ignore[no-untyped-def]
            if not source.is_file():
                raise FileNotFoundError(source)
            view.parent.mkdir(parents=True, exist_ok=True)
            # Checked again now that the folder exists: a link put in its place leads nowhere.
            path_inside(opened, view.parent.name, view.name)
            if not view.is_file():  # a plain copy, removed at close and at the next start
                self.ctx.services.records.export_attachment(attachment.sha256, view)
            return view

        def done(path: Path) -> None:
            if can_open(path.name):
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
            elif is_executable(path.name):
                messages.warn(self, *executable_notice(path))
            else:
                messages.warn(self, *unopened_notice(path))

        def failed(error: BaseException) -> None:
            if isinstance(error, FileNotFoundError):
                messages.warn(self, self.tr("无法打开附件"),
                              self.tr("附件「{0}」的文件在本机还没有（尚未从区局下载，或已缺失），"
                                      "请同步后再试。").format(attachment.filename))
            else:
                self.ctx.ops.report(self, error)

        self.ctx.ops.run(copy, done, owner=self, on_error=failed, database=False)
        return view

    def save_attachment_as(self, row: int) -> Path | None:
        """另存为…: the copy's suggested name is the same safe name 打开 uses."""
        found = self._attachment_copy(row)
        if found is None:
            return None
        attachment, source, view = found
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen = file_dialogs.save_file(self, self.tr("附件另存为"),
                                        str(Path(folder or Path.home()) / view.name))
        if not chosen:
            return None
        target = Path(chosen)

        def copy(_state) -> Path:  # type: ignore[no-untyped-def]
            if not source.is_file():
                raise FileNotFoundError(source)
            return self.ctx.services.records.export_attachment(attachment.sha256, target, mode=0o644)

        def done(path: Path) -> None:
            messages.inform(self, self.tr("附件已保存"),
                            self.tr("附件「{0}」已保存为：\n{1}").format(attachment.filename, path))

        self.ctx.ops.run(copy, done, owner=self, database=False)
        return target

    def _on_changed(self, changed: Changed) -> None:
        # A sync round may have brought the district's changes, or moved the sync state.
        if changed.touches_complaint(self.complaint_id) or changed.entity == "sync":
            self.reload()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.unsaved_edits() and not messages.confirm(
                self, self.tr("关闭投诉窗口"),
                self.tr("有尚未保存的修改，关闭窗口将放弃这些修改。仍然关闭吗？")):
            event.ignore()
            return
        save_geometry(self)
        super().closeEvent(event)


def executable_notice(path: Path | str) -> tuple[str, str]:
    """(title, text) telling the clerk an executable attachment was saved, not opened."""
    tr = QCoreApplication.translate
    name = Path(path).name
    shown = QDir.toNativeSeparators(str(path))
    return (tr("ComplaintWindow", "附件未直接打开"),
            tr("ComplaintWindow",
               "附件「{0}」是可执行文件（{1}），打开它会运行其中的程序或脚本。"
               "为安全起见，和解台不直接打开这类附件。\n\n"
               "副本已保存在：\n{2}\n\n"
               "如需查看内容，请交信息管理员用杀毒软件检查后处理，"
               "或用「另存为…」保存到别处。").format(name, Path(name).suffix.lower(), shown))


def unopened_notice(path: Path | str) -> tuple[str, str]:
    """(title, text) telling the clerk an attachment of a type not opened directly was saved."""
    tr = QCoreApplication.translate
    name = Path(path).name
    suffix = Path(name).suffix.lower()
    kind = (tr("ComplaintWindow", "类型（{0}）").format(suffix) if suffix
            else tr("ComplaintWindow", "没有扩展名，类型"))
    return (tr("ComplaintWindow", "附件未直接打开"),
            tr("ComplaintWindow",
               "附件「{0}」的{1}不在可直接打开的类型之列（PDF、OFD、图片、文本、Office 和 WPS 文档、"
               "常见音视频）。压缩包、光盘映像、网页、带宏的文档等可能含有会被运行的内容，"
               "为安全起见，和解台不直接打开。\n\n"
               "副本已保存在：\n{2}\n\n"
               "如需查看内容，请交信息管理员检查后处理，或用「另存为…」保存到别处。")
            .format(name, kind, QDir.toNativeSeparators(str(path))))


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return ""
