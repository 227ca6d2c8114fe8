"""投诉登记: one form in the order a clerk takes a call; Ctrl+S saves, nothing typed is lost.

The kind of item (投诉 / 举报 / 咨询) is chosen first; the form then shows the fields of that
kind (the catalogue's `intakes`), marks what that kind requires and reads the labels in its
words (举报人, 被举报方; 咨询人)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.complaint import LABELS, ComplaintDraft
from desktop.domain.complaint_fields import BY_KEY, FORM_FIELDS, Field, Group, in_group
from desktop.domain.contract import EARLIEST_DATE
from desktop.domain.workflow import Intake
from desktop.services.dto import Changed, ComplaintDetail, ComplaintRow, EnterpriseInfo
from desktop.ui import file_dialogs
from desktop.ui.context import AppContext
from desktop.ui.intake_words import intake_of, worded
from desktop.ui.views.attachments import attach_files
from desktop.ui.widgets import messages
from desktop.ui.widgets.enter_moves_on import EnterMovesOn
from desktop.ui.widgets.enterprise_completer import EnterpriseCompleter
from desktop.ui.widgets.field_errors import FieldErrors

# The form's boxes, top to bottom (处理 follows registration), and its columns.
_FORM_GROUPS = (Group.SOURCE, Group.COMPLAINANT, Group.RESPONDENT, Group.MATTER)
_COLUMNS = 3
# 是/否 questions the clerk may not have asked: the first choice says so, and is saved as
# unanswered (None), never as 否.
UNASKED = "（未询问）"
# Why a station's clerk cannot choose 举报 (2026 rules: stations inside enterprises neither
# register nor receive reports).
STATION_NO_REPORT = "投诉站设在企业内部，不登记举报；举报请由分局或区局登记。"


def _attr(f: Field) -> str:
    """The page's attribute for a field's box: its key, a code table's without `_code`."""
    return f.key.removesuffix("_code") if f.editor == "code" else f.key


class RegistrationPage(QWidget):
    sig_open_complaint = Signal(int)
    sig_registered = Signal(object)  # Changed

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 editing: ComplaintDetail | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editing = editing  # correcting a registered complaint instead of a new one
        self.enterprise_id: int | None = None
        self.duplicates: list[ComplaintRow] = []
        self._saving = False
        self._loaded: ComplaintDraft | None = None  # what a correction started from
        self._build()
        if editing is not None:
            self.load(editing)
            # In its own window: Esc and Ctrl+W close it, asking first when something changed.
            for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+W")):
                QShortcut(keys, self, activated=self.close,
                          context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- the form ----------------------------------------------------------------------------------
    def _editor(self, f: Field) -> QWidget:
        """The box a clerk types a catalogued field into, by how the catalogue says it is typed."""
        if f.editor == "yesno":
            # A choice like the code tables' (one Tab stop, arrows change it), whose first
            # entry keeps the question unanswered.
            yes, no = f.words or ("是", "否")
            choice = QComboBox()
            choice.addItem(self.tr(UNASKED), None)
            choice.addItem(self.tr(yes), True)
            choice.addItem(self.tr(no), False)
            return choice
        if f.editor == "code":
            # No default: a required choice starts at 请选择 and is refused until chosen (a
            # hotel complaint saved unnoticed under the first category was the trouble).
            choice = QComboBox()
            choice.addItem(self.tr("（请选择）") if f.required else self.tr("（未选）"), "")
            for code in self.ctx.lookups.active(f.codes or ""):
                choice.addItem(code.label, code.code)
            return choice
        if f.editor == "datetime":
            moment = QDateTimeEdit(QDateTime.currentDateTime())
            moment.setDisplayFormat("yyyy-MM-dd HH:mm")
            moment.setCalendarPopup(True)
            # Nor do the dates go back before the contract's first day (1990-01-01).
            moment.setMinimumDate(QDate(EARLIEST_DATE))
            return moment
        if f.editor == "date":
            day = QDateEdit(QDate.currentDate())
            day.setDisplayFormat("yyyy-MM-dd")
            day.setCalendarPopup(True)
            day.setMinimumDate(QDate(EARLIEST_DATE))
            day.setEnabled(False)
            known = QCheckBox(self.tr("已知"))
            known.toggled.connect(day.setEnabled)
            setattr(self, f"has_{f.key}", known)
            return day
        if f.editor == "lines":
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setMinimumHeight(110)
            return text
        line = QLineEdit()
        if f.hint:
            line.setPlaceholderText(self.tr(f.hint))
        return line

    def _build(self) -> None:
        # One box per catalogued field the clerk types (domain/complaint_fields.py), under the
        # field's key, a code table's without `_code` (self.channel, self.category).
        self.boxes: dict[str, QWidget] = {}
        self.holders: dict[str, QWidget] = {}  # each field with its caption and message line
        self.captions: dict[str, QLabel] = {}
        self.group_boxes: dict[Group, QGroupBox] = {}
        self._grids: dict[Group, QGridLayout] = {}
        self.intake = Intake.COMPLAINT
        self._build_kinds()
        for f in FORM_FIELDS:
            box = self._editor(f)
            self.boxes[f.key] = box
            setattr(self, _attr(f), box)
        # Not a Tab stop between the name and the credit code (what was typed next went into
        # the button): reached by its shortcut, or the mouse.
        self.add_enterprise = QPushButton(self.tr("新增到企业库…（Ctrl+E）"))
        self.add_enterprise.setAutoDefault(False)
        self.add_enterprise.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.add_enterprise.clicked.connect(self.new_enterprise)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.new_enterprise,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.enterprise_note = QLabel()
        self.enterprise_note.setStyleSheet("color: #2e7d32;")
        # A respondent typed in and not in the 企业库 is added to it on save, unless unticked.
        self.add_to_register = QCheckBox(self.tr("保存时同时加入企业库(&K)"))
        self.add_to_register.setChecked(True)
        self.add_to_register.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.add_to_register.setToolTip(self.tr(
            "被投诉方不在企业库中：保存登记时以所填名称、统一社会信用代码和地址加入企业库"
            "（Alt+K 勾选或取消）"))
        self.add_to_register.hide()
        self._register_timer = QTimer(self, singleShot=True, interval=400)
        self._register_timer.timeout.connect(self.check_register)
        # One-line fields stop at the wire contract's length, so the clerk meets the limit while
        # typing; the codes typed with spaces (ID number, credit code) and the facts (a
        # QPlainTextEdit) are held to it by the service's message under the field.
        for name, box in self._limited().items():
            box.setMaxLength(BY_KEY[name].max_len or box.maxLength())
        self.files = QListWidget()
        self.files.setMaximumHeight(70)
        self.add_file = QPushButton(self.tr("添加附件…"))
        self.remove_file = QPushButton(self.tr("移除"))
        self.add_file.clicked.connect(self.choose_files)
        self.remove_file.clicked.connect(lambda: [self.files.takeItem(self.files.row(i))
                                                   for i in self.files.selectedItems()])

        general = QLabel()
        self.errors = FieldErrors(general, self)
        self.duplicate_box = QLabel()
        self.duplicate_box.setWordWrap(True)
        self.duplicate_box.setTextFormat(Qt.TextFormat.RichText)
        self.duplicate_box.setStyleSheet("background: #fff4d6; border: 1px solid #e8c46a; padding: 6px;")
        self.duplicate_box.linkActivated.connect(lambda link: self.sig_open_complaint.emit(int(link)))
        self.duplicate_box.hide()

        groups = {group: self._group(group) for group in _FORM_GROUPS}
        files = QGroupBox(self.tr("附件（保存登记后复制到本机数据文件夹）"))
        column = QHBoxLayout(files)
        column.addWidget(self.files, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_file)
        buttons.addWidget(self.remove_file)
        buttons.addStretch()
        column.addLayout(buttons)

        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("修改理由（已受理的投诉必填，记入处理经过）"))
        self.reason_message = QLabel()
        self.errors.add("修改理由", self.reason, self.reason_message)
        self.save_button = QPushButton(self.tr("保存登记（Ctrl+S）"))
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton(self.tr("清空"))
        self.clear_button.clicked.connect(self.ask_clear)
        actions = QHBoxLayout()
        if self.editing is not None:
            self.save_button.setText(self.tr("保存修改（Ctrl+S）"))
            self.clear_button.hide()
            reason = QVBoxLayout()
            reason.addWidget(self.reason)
            reason.addWidget(self.reason_message)
            actions.addLayout(reason, 2)
        actions.addWidget(general, 1)
        actions.addStretch()
        actions.addWidget(self.clear_button)
        actions.addWidget(self.save_button)

        body = QWidget()
        form = QVBoxLayout(body)
        self.title = title = QLabel()
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addSpacing(24)
        heading.addWidget(self.kind_caption)
        for button in self.kind_buttons.values():
            heading.addWidget(button)
        heading.addStretch()
        form.addLayout(heading)
        for group, box in groups.items():
            form.addWidget(box)
            if group is Group.RESPONDENT:  # the warning right under whom it is about
                form.addWidget(self.duplicate_box)
        form.addWidget(files)
        form.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        bar = QWidget()
        bar.setLayout(actions)
        outer.addWidget(bar)

        # Tab runs through the fields in the catalogue's order (a date's 已知 box before it),
        # then the files and the save button; the buttons beside the fields are reached by their
        # shortcuts (新增到企业库 Ctrl+E, 保存 Ctrl+S), never between two fields. Enter
        # moves on from every field but the multi-line facts.
        order: list[QWidget] = list(self.kind_buttons.values())
        for f in FORM_FIELDS:
            if f.editor == "date":
                order.append(getattr(self, f"has_{f.key}"))
            order.append(self.boxes[f.key])
        order += [self.add_file, self.remove_file, self.save_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._enter = EnterMovesOn(self)
        self._enter.install(*(self.boxes[f.key] for f in FORM_FIELDS if f.editor != "lines"))
        self.completer = EnterpriseCompleter(self.ctx, self.respondent_name)
        self.completer.sig_chosen.connect(self.use_enterprise)
        self.respondent_name.textEdited.connect(self._respondent_typed)
        self.respondent_name.textChanged.connect(lambda _: self._register_timer.start())
        self._duplicate_timer = QTimer(self, singleShot=True, interval=400)
        self._duplicate_timer.timeout.connect(self.check_duplicates)
        for box in (self.complainant_phone, self.respondent_name, self.respondent_credit_code):
            box.textChanged.connect(lambda _: self._duplicate_timer.start())
        self.set_kind(Intake.COMPLAINT)

    # -- the kind of item -------------------------------------------------------------------------
    def _build_kinds(self) -> None:
        """投诉 / 举报 / 咨询 as a row of radio buttons (one Tab stop; the arrows choose)."""
        self.kind_caption = QLabel(self.tr("类型 *"))
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[Intake, QRadioButton] = {}
        for intake in Intake:
            button = QRadioButton(self.tr(intake.label))
            button.setStyleSheet("QRadioButton { font-size: 14px; padding: 2px 6px; }")
            self.kind_group.addButton(button)
            self.kind_buttons[intake] = button
        self.kind_buttons[Intake.COMPLAINT].setChecked(True)  # before the form is there to follow
        for intake, button in self.kind_buttons.items():
            button.toggled.connect(lambda on, i=intake: on and self.set_kind(i))
        if self.ctx.user.office_kind == "station":
            report = self.kind_buttons[Intake.REPORT]
            report.setEnabled(False)
            report.setToolTip(self.tr(STATION_NO_REPORT))
        self.kind_caption.setToolTip(self.tr("投诉：消费纠纷，调解；举报：违法线索，核查是否立案；"
                                             "咨询：当场解答，登记即办结"))

    def set_kind(self, kind: Intake | str) -> None:
        """Show the fields of this kind of item, in its words, with what it requires marked."""
        intake = intake_of(kind)
        button = self.kind_buttons[intake]
        if not button.isChecked():
            button.setChecked(True)  # comes back here through toggled
            return
        self.intake = intake
        if self.editing is None:
            self.title.setText(self.tr("{0}登记").format(intake.label))
        else:
            self.title.setText(self.tr("修改{0}登记信息 {1}").format(intake.label, self.editing.number))
        for group, box in self.group_boxes.items():
            box.setTitle(self.tr(worded(group.value, intake)))
            self._place(group)
        for f in FORM_FIELDS:
            mark = " *" if f.required_for(intake) else ""
            self.captions[f.key].setText(self.tr(worded(f.label, intake)) + mark)
        self.errors.clear()

    def shown_fields(self) -> tuple[Field, ...]:
        """The fields of the kind chosen, in the catalogue's order."""
        return tuple(f for f in FORM_FIELDS if self.intake in f.intakes)

    def _group(self, group: Group) -> QGroupBox:
        """A box of the form: its fields left to right in the catalogue's order, three columns
        to a row, each as wide as the catalogue says; a field that does not fit starts a row."""
        box = QGroupBox(self.tr(group.value))
        grid = QGridLayout(box)
        self.group_boxes[group], self._grids[group] = box, grid
        for f in in_group(group):
            self._cell(f).setParent(box)
        for column in range(_COLUMNS):
            grid.setColumnStretch(column, 1)
        self._place(group)
        return box

    def _place(self, group: Group) -> None:
        """Lay out the group's fields of the kind chosen, left to right, three columns to a row;
        the others are hidden and take no place (so no gaps where a kind's field would be)."""
        grid = self._grids[group]
        for f in in_group(group):
            grid.removeWidget(self.holders[f.key])
        if group is Group.RESPONDENT:
            grid.removeWidget(self.add_enterprise)
            grid.removeWidget(self.enterprise_note)
            grid.removeWidget(self.add_to_register)
        row = column = 0
        for f in in_group(group):
            holder = self.holders[f.key]
            if self.intake not in f.intakes:
                holder.hide()
                continue
            # 证件类型 stays beside its 证件号码: both start a row when they do not fit together.
            width = f.width + (1 if f.name == "complainant_id_type" else 0)
            if column + width > _COLUMNS:
                row, column = row + 1, 0
            # Top-aligned, so a red message under one field does not shift its neighbours.
            grid.addWidget(holder, row, column, 1, f.width, Qt.AlignmentFlag.AlignTop)
            holder.show()
            column += f.width
            if f.name == "respondent_name":  # the register's button beside the name
                grid.addWidget(self.add_enterprise, row, column,
                               Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft)
                column += 1
        if group is Group.RESPONDENT:
            grid.addWidget(self.enterprise_note, row + 1, 0, 1, 2)
            grid.addWidget(self.add_to_register, row + 1, 2, 1, 1)

    def _limited(self) -> dict[str, QLineEdit]:
        """The one-line fields held to their length while typing, by key."""
        return {f.key: box for f in FORM_FIELDS
                if f.editor == "line" and f.max_len and not f.spaced
                and isinstance(box := self.boxes[f.key], QLineEdit)}

    def _cell(self, f: Field) -> QWidget:
        """Label above, field, and a red line below for what the services say is wrong."""
        widget = self.boxes[f.key]
        focus = None
        if f.editor == "date":  # the 已知 box and the date side by side
            focus = widget
            widget = QWidget()
            line = QHBoxLayout(widget)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(getattr(self, f"has_{f.key}"))
            line.addWidget(focus, 1)
        caption = self.tr(f.label) + (" *" if f.required else "")
        holder = self.errors.field(f.label, widget, caption=caption, marks=focus)
        caption_label = holder.layout().itemAt(0).widget()
        assert isinstance(caption_label, QLabel)
        self.holders[f.key], self.captions[f.key] = holder, caption_label
        return holder

    # -- respondent ---------------------------------------------------------------------------------
    def _respondent_typed(self, _text: str) -> None:
        # Typing a different name un-links the register entry chosen before.
        if self.enterprise_id is not None:
            self.enterprise_id = None
            self.enterprise_note.clear()

    def check_register(self) -> None:
        """Offer 同时加入企业库 for a respondent typed in that the 企业库 does not hold."""
        name = self.respondent_name.text().strip()
        if not name or self.enterprise_id is not None or self.editing is not None \
                or self.intake not in BY_KEY["respondent_name"].intakes:
            self.add_to_register.hide()
            return
        services, user = self.ctx.services, self.ctx.user
        self.ctx.ops.query(lambda: services.enterprises.search(user, name, 20),
                           lambda found: self._show_register_offer(name, found), owner=self)

    def _show_register_offer(self, name: str, found: list[EnterpriseInfo]) -> None:
        if name != self.respondent_name.text().strip() or self.enterprise_id is not None:
            return  # typed on, or chosen from the register, meanwhile
        known = any(e.name == name for e in found)
        self.add_to_register.setVisible(not known)

    @property
    def offers_register(self) -> bool:
        """Whether saving adds the respondent to the 企业库."""
        return (self.editing is None and self.enterprise_id is None
                and not self.add_to_register.isHidden() and self.add_to_register.isChecked()
                and bool(self.respondent_name.text().strip()))

    def use_enterprise(self, info: EnterpriseInfo) -> None:
        self.enterprise_id = info.id
        self.add_to_register.hide()
        self.respondent_name.setText(info.name)
        self.respondent_credit_code.setText(info.credit_code or "")
        if info.address:
            self.respondent_address.setText(info.address)
        note = self.tr("已关联企业库：{0}").format(info.name)
        if info.alliance_member:
            note += self.tr("（放心消费联盟成员）")
        self.enterprise_note.setText(note)
        self.errors.clear_one(LABELS["respondent_name"])

    def new_enterprise(self) -> QWidget:
        from desktop.ui.dialogs.enterprise_dialog import EnterpriseDialog

        dialog = EnterpriseDialog(self.ctx, self, name=self.respondent_name.text().strip())
        services, user = self.ctx.services, self.ctx.user

        def saved(enterprise_id: int) -> None:
            self.ctx.ops.query(lambda: services.enterprises.get(user, enterprise_id),
                               self.use_enterprise, owner=self)

        dialog.sig_saved.connect(saved)
        dialog.open()
        return dialog

    # -- duplicates -----------------------------------------------------------------------------------
    def check_duplicates(self) -> None:
        phone, name = self.complainant_phone.text().strip(), self.respondent_name.text().strip()
        code = self.respondent_credit_code.text().strip() or None
        if not phone or not name:
            self._show_duplicates([])
            return
        services, user = self.ctx.services, self.ctx.user
        exclude = self.editing.id if self.editing is not None else None
        self.ctx.ops.query(lambda: services.complaints.duplicates(user, phone, name, code, exclude),
                           self._show_duplicates, owner=self)

    def _show_duplicates(self, rows: list[ComplaintRow]) -> None:
        self.duplicates = rows
        if not rows:
            self.duplicate_box.hide()
            return
        links = "、".join(f'<a href="{r.id}">{r.number}</a>（{r.status.label}）' for r in rows[:5])
        self.duplicate_box.setText(self.tr(
            "注意：同一电话对同一被投诉方已有 {0} 件未办结投诉：{1}。如是同一事项，请在原投诉中处理（并案）。"
        ).format(len(rows), links))
        self.duplicate_box.show()

    # -- files ----------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        names = file_dialogs.open_files(self, self.tr("选择附件"))
        self.add_files([Path(n) for n in names])

    def add_files(self, files: list[Path]) -> None:
        for path in files:
            self.files.addItem(str(path))

    # -- saving ---------------------------------------------------------------------------------------
    def draft(self) -> ComplaintDraft:
        """What the form holds for the kind chosen; a field of another kind (typed before the
        clerk changed the kind) goes as blank."""
        values: dict[str, Any] = {
            f.key: self._typed(f) if self.intake in f.intakes else self._blank(f)
            for f in FORM_FIELDS}
        return ComplaintDraft(enterprise_id=self.enterprise_id, kind=self.intake.value, **values)

    @staticmethod
    def _blank(f: Field) -> object:
        if f.editor in ("yesno", "date") or f.null or f.editor == "money":
            return None
        return ""

    def _typed(self, f: Field) -> object:
        """What the clerk typed into a field, as the draft takes it."""
        box = self.boxes[f.key]
        if f.editor == "yesno":
            assert isinstance(box, QComboBox)
            return box.currentData()  # True, False, or None: not asked
        if isinstance(box, QComboBox):
            return box.currentData() or (None if f.null else "")
        if isinstance(box, QDateTimeEdit) and f.editor == "datetime":
            return box.dateTime().toPython().replace(second=0, microsecond=0)
        if isinstance(box, QDateEdit):
            return box.date().toPython() if getattr(self, f"has_{f.key}").isChecked() else None
        if isinstance(box, QPlainTextEdit):
            return box.toPlainText()
        assert isinstance(box, QLineEdit)
        if f.null or f.editor == "money":  # blank: none given
            return box.text().strip() or None
        return box.text()

    def save(self) -> None:
        if self._saving:
            return
        if self.editing is not None:
            self._save_edit()
            return
        if self.duplicates and not messages.confirm(
            self, self.tr("可能重复"),
            self.tr("同一电话对同一被投诉方已有未办结的投诉（{0}）。仍然登记为新投诉吗？").format(
                "、".join(r.number for r in self.duplicates[:5]))):
            return
        draft = self.draft()
        files = [Path(self.files.item(i).text()) for i in range(self.files.count())]
        self._saving = True
        self.save_button.setEnabled(False)
        services, user = self.ctx.services, self.ctx.user
        add = self.offers_register
        self.ctx.ops.mutate(lambda: services.complaints.register(user, draft, add_enterprise=add),
                            lambda changed: self._registered(changed, files), owner=self,
                            on_error=self._refused)

    def _refused(self, error: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if not self.errors.show(error):
            self.ctx.ops.report(self, error)

    def _registered(self, changed: Changed, files: list[Path]) -> None:
        name = self.respondent_name.text().strip()
        if changed.enterprise_added is not None:  # the 企业库 page shows it at once
            self.ctx.ops.sig_changed.emit(Changed("enterprise", (changed.enterprise_added,),
                                                  created=True))
        self._saving = False
        self.save_button.setEnabled(True)
        self.errors.clear()
        self.clear()
        self.sig_registered.emit(changed)
        if self.intake is Intake.CONSULTATION:
            text = self.tr("已登记咨询，单号 {0}，已按已解答记录（解答内容和解答时间已保存）。").format(
                changed.number)
        elif self.intake is Intake.REPORT:
            text = self.tr("已登记举报，单号 {0}。").format(changed.number)
        else:
            text = self.tr("已登记，投诉单号 {0}。").format(changed.number)
        if changed.enterprise_added is not None:
            text += "\n" + self.tr("被投诉方「{0}」已加入企业库。").format(name)
        new = self.ctx.untold(changed.warnings)  # once a session (see ComplaintWindow._action_done)
        if new:
            text += "\n" + "\n".join(new)
        if files:
            attach_files(self.ctx, self, changed.ids[0], files)
        messages.inform(self, self.tr("登记成功"), text)
        self.sig_open_complaint.emit(changed.ids[0])

    def load(self, d: ComplaintDetail) -> None:
        """Fill the form with a registered complaint, to correct it."""
        # An older record's date before the first day is shown as stored (a date box would
        # move it silently to its minimum); the save then says what is wrong with it.
        for f in FORM_FIELDS:
            box, value = self.boxes[f.key], getattr(d, f.key)
            day = value.date() if isinstance(value, datetime) else value
            if isinstance(box, QDateTimeEdit) and isinstance(day, date) and day < EARLIEST_DATE:
                box.setMinimumDate(QDate(day))
        # The kind is the registered item's own; it is not changed by a correction.
        self.set_kind(d.kind)
        for button in self.kind_buttons.values():
            button.setEnabled(False)
        for f in FORM_FIELDS:
            self._show_value(f, getattr(d, f.key))
        self.enterprise_id = d.enterprise_id
        self._show_whole(d)
        self.files.setEnabled(False)
        self.add_file.hide()
        self.remove_file.hide()
        self._loaded = self.draft()

    @property
    def changed(self) -> bool:
        """A correction's form differs from the record it was opened with."""
        return self._loaded is not None and (self.draft() != self._loaded
                                             or bool(self.reason.text().strip()))

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.isWindow() and self.changed and not messages.confirm(
                self, self.tr("关闭"), self.tr("修改尚未保存，关闭将放弃这些修改。仍然关闭吗？")):
            event.ignore()
            return
        super().closeEvent(event)

    def _show_value(self, f: Field, value: Any) -> None:
        box = self.boxes[f.key]
        if f.editor == "yesno" and isinstance(box, QComboBox):
            box.setCurrentIndex({True: 1, False: 2}.get(value, 0))  # type: ignore[call-overload]
        elif isinstance(box, QComboBox):
            box.setCurrentIndex(max(0, box.findData(value)))
        elif isinstance(box, QDateTimeEdit) and f.editor == "datetime":
            box.setDateTime(QDateTime(value))
        elif isinstance(box, QDateEdit):
            getattr(self, f"has_{f.key}").setChecked(value is not None)
            if value is not None:
                box.setDate(QDate(value))
        elif isinstance(box, QPlainTextEdit):
            box.setPlainText(value or "")
        elif isinstance(box, QLineEdit):
            box.setText("" if value is None else str(value))

    def _show_whole(self, d: ComplaintDetail) -> None:
        """A record stored before the length rules may hold more than a field now takes:
        setText would cut it silently, and saving would store the cut text. Such a field
        shows all of it instead, and the save is refused with the limit under it."""
        for name, box in self._limited().items():
            value = getattr(d, name) or ""
            if len(value) > box.maxLength():
                box.setMaxLength(len(value))
                box.setText(value)

    def _save_edit(self) -> None:
        assert self.editing is not None
        draft, reason = self.draft(), self.reason.text().strip() or None
        cid, version = self.editing.id, self.editing.version
        services, user = self.ctx.services, self.ctx.user
        self._saving = True
        self.save_button.setEnabled(False)
        self.ctx.ops.mutate(
            lambda: services.complaints.edit(user, cid, draft, expected_version=version, reason=reason),
            self._edited, owner=self, on_error=self._refused)

    def _edited(self, changed: Changed) -> None:
        self._saving = False
        self._loaded = None  # saved: nothing to lose on closing
        self.errors.clear()
        self.sig_registered.emit(changed)
        self.close()

    @property
    def dirty(self) -> bool:
        """Something typed in a field the clerk must fill in, or the district's number (the
        respondent's address alone is what choosing from the register may have filled in)."""
        for f in FORM_FIELDS:
            box = self.boxes[f.key]
            if f.required or f.name == "district_number":
                if isinstance(box, QLineEdit) and box.text().strip() and f.name != "respondent_address":
                    return True
                if isinstance(box, QPlainTextEdit) and box.toPlainText().strip():
                    return True
        return False

    def ask_clear(self) -> None:
        if not self.dirty or messages.confirm(self, self.tr("清空"), self.tr("清空登记表中填写的内容？")):
            self.clear()

    def clear(self) -> None:
        for f in FORM_FIELDS:
            box = self.boxes[f.key]
            if isinstance(box, QLineEdit | QPlainTextEdit):
                box.clear()
            elif isinstance(box, QComboBox):
                box.setCurrentIndex(0)
            elif isinstance(box, QDateTimeEdit) and f.editor == "datetime":
                box.setDateTime(QDateTime.currentDateTime())
            elif isinstance(box, QDateEdit):
                getattr(self, f"has_{f.key}").setChecked(False)
        self.files.clear()
        self.enterprise_id = None
        self.enterprise_note.clear()
        self.add_to_register.hide()
        self.add_to_register.setChecked(True)
        self._show_duplicates([])
        self.errors.clear()
        self.channel.setFocus()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if not self.dirty:
            self.received_at.setDateTime(QDateTime.currentDateTime())
            self.channel.setFocus()
