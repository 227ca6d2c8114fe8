"""投诉登记: one form in the order a clerk takes a call; Ctrl+S saves, nothing typed is lost."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.complaint import LABELS, ComplaintDraft
from desktop.domain.contract import EARLIEST_DATE, text_limit
from desktop.services.dto import Changed, ComplaintDetail, ComplaintRow, EnterpriseInfo
from desktop.ui.context import AppContext
from desktop.ui.views.attachments import attach_files
from desktop.ui.widgets import messages
from desktop.ui.widgets.enter_moves_on import EnterMovesOn
from desktop.ui.widgets.enterprise_completer import EnterpriseCompleter
from desktop.ui.widgets.field_errors import FieldErrors


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
        self._build()
        if editing is not None:
            self.load(editing)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- the form ----------------------------------------------------------------------------------
    def _build(self) -> None:
        lookups = self.ctx.lookups
        self.channel = QComboBox()
        for code in lookups.active("channel"):
            self.channel.addItem(code.label, code.code)
        self.received_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.received_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.received_at.setCalendarPopup(True)
        self.district_number = QLineEdit()
        self.complainant_name = QLineEdit()
        self.complainant_phone = QLineEdit()
        self.complainant_phone.setPlaceholderText(self.tr("手机或固定电话"))
        self.complainant_address = QLineEdit()
        self.complainant_id_number = QLineEdit()
        self.complainant_id_number.setPlaceholderText(self.tr("选填"))
        self.respondent_name = QLineEdit()
        self.respondent_name.setPlaceholderText(self.tr("输入名称或统一社会信用代码，从企业库中选择"))
        self.respondent_credit_code = QLineEdit()
        self.respondent_address = QLineEdit()
        self.add_enterprise = QPushButton(self.tr("新增到企业库…"))
        self.add_enterprise.setAutoDefault(False)
        self.add_enterprise.clicked.connect(self.new_enterprise)
        self.enterprise_note = QLabel()
        self.enterprise_note.setStyleSheet("color: #2e7d32;")
        self.subject = QLineEdit()
        self.subject.setPlaceholderText(self.tr("例如：空调、预付卡、汽车维修"))
        self.brand_model = QLineEdit()
        self.has_purchase_date = QCheckBox(self.tr("已知"))
        self.purchase_date = QDateEdit(QDate.currentDate())
        self.purchase_date.setDisplayFormat("yyyy-MM-dd")
        self.purchase_date.setCalendarPopup(True)
        self.purchase_date.setEnabled(False)
        self.has_purchase_date.toggled.connect(self.purchase_date.setEnabled)
        self.category = QComboBox()
        for code in lookups.active("category"):
            self.category.addItem(code.label, code.code)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("元，选填"))
        self.request_type = QComboBox()
        self.request_type.addItem(self.tr("（未选）"), "")
        for code in lookups.active("request_type"):
            self.request_type.addItem(code.label, code.code)
        self.request = QLineEdit()
        self.facts = QPlainTextEdit()
        self.facts.setTabChangesFocus(True)
        self.facts.setMinimumHeight(110)
        # One-line fields stop at the wire contract's length, so the clerk meets the limit while
        # typing; the codes typed with spaces (ID number, credit code) and the facts (a
        # QPlainTextEdit) are held to it by the service's message under the field.
        for name, box in self._limited().items():
            box.setMaxLength(text_limit("complaints", name) or box.maxLength())
        # Nor do the dates go back before the contract's first day (1990-01-01).
        self.received_at.setMinimumDate(QDate(EARLIEST_DATE))
        self.purchase_date.setMinimumDate(QDate(EARLIEST_DATE))
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

        source = QGroupBox(self.tr("来源"))
        grid = QGridLayout(source)
        self._cell(grid, 0, 0, "channel_code", self.channel)
        self._cell(grid, 0, 1, "received_at", self.received_at)
        self._cell(grid, 0, 2, "district_number", self.district_number)
        person = QGroupBox(self.tr("投诉人"))
        grid = QGridLayout(person)
        self._cell(grid, 0, 0, "complainant_name", self.complainant_name)
        self._cell(grid, 0, 1, "complainant_phone", self.complainant_phone)
        self._cell(grid, 0, 2, "complainant_id_number", self.complainant_id_number)
        self._cell(grid, 1, 0, "complainant_address", self.complainant_address, span=3)
        respondent = QGroupBox(self.tr("被投诉方"))
        grid = QGridLayout(respondent)
        self._cell(grid, 0, 0, "respondent_name", self.respondent_name, span=2)
        grid.addWidget(self.add_enterprise, 0, 2, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft)
        self._cell(grid, 1, 0, "respondent_credit_code", self.respondent_credit_code)
        self._cell(grid, 1, 1, "respondent_address", self.respondent_address, span=2)
        grid.addWidget(self.enterprise_note, 2, 0, 1, 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        matter = QGroupBox(self.tr("投诉事项"))
        grid = QGridLayout(matter)
        self._cell(grid, 0, 0, "subject", self.subject)
        self._cell(grid, 0, 1, "brand_model", self.brand_model)
        dates = QWidget()
        row = QHBoxLayout(dates)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.has_purchase_date)
        row.addWidget(self.purchase_date, 1)
        self._cell(grid, 0, 2, "purchase_date", dates, focus=self.purchase_date)
        self._cell(grid, 2, 0, "category_code", self.category)
        self._cell(grid, 2, 1, "amount", self.amount)
        self._cell(grid, 2, 2, "request_type", self.request_type)
        self._cell(grid, 4, 0, "request", self.request, span=3)
        self._cell(grid, 6, 0, "facts", self.facts, span=3)
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
        title = QLabel(self.tr("投诉登记") if self.editing is None
                       else self.tr("修改登记信息 {0}").format(self.editing.number))
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        form.addWidget(title)
        for box in (source, person, respondent, self.duplicate_box, matter, files):
            form.addWidget(box)
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

        order = [self.channel, self.received_at, self.district_number, self.complainant_name,
                 self.complainant_phone, self.complainant_id_number, self.complainant_address,
                 self.respondent_name, self.add_enterprise, self.respondent_credit_code,
                 self.respondent_address, self.subject, self.brand_model, self.has_purchase_date,
                 self.purchase_date, self.category, self.amount, self.request_type, self.request,
                 self.facts, self.add_file, self.remove_file, self.save_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._enter = EnterMovesOn(self)
        self._enter.install(self.channel, self.received_at, self.district_number,
                            self.complainant_name, self.complainant_phone, self.complainant_id_number,
                            self.complainant_address, self.respondent_name,
                            self.respondent_credit_code, self.respondent_address, self.subject,
                            self.brand_model, self.purchase_date, self.category, self.amount,
                            self.request_type, self.request)
        self.completer = EnterpriseCompleter(self.ctx, self.respondent_name)
        self.completer.sig_chosen.connect(self.use_enterprise)
        self.respondent_name.textEdited.connect(self._respondent_typed)
        self._duplicate_timer = QTimer(self, singleShot=True, interval=400)
        self._duplicate_timer.timeout.connect(self.check_duplicates)
        for box in (self.complainant_phone, self.respondent_name, self.respondent_credit_code):
            box.textChanged.connect(lambda _: self._duplicate_timer.start())

    def _limited(self) -> dict[str, QLineEdit]:
        return {"district_number": self.district_number, "complainant_name": self.complainant_name,
                "complainant_phone": self.complainant_phone,
                "complainant_address": self.complainant_address,
                "respondent_name": self.respondent_name,
                "respondent_address": self.respondent_address, "subject": self.subject,
                "brand_model": self.brand_model, "request": self.request}

    def _cell(self, grid: QGridLayout, row: int, column: int, field: str, widget: QWidget,
              span: int = 1, focus: QWidget | None = None) -> None:
        """Label above, field, and a red line below for what the services say is wrong."""
        required = field in ("channel_code", "received_at", "complainant_name", "complainant_phone",
                             "complainant_address", "respondent_name", "respondent_address",
                             "subject", "category_code", "request", "facts")
        caption = self.tr(LABELS[field]) + (" *" if required else "")
        holder = self.errors.field(LABELS[field], widget, caption=caption, marks=focus)
        # Top-aligned, so a red message under one field does not shift its neighbours.
        grid.addWidget(holder, row, column, 1, span, Qt.AlignmentFlag.AlignTop)

    # -- respondent ---------------------------------------------------------------------------------
    def _respondent_typed(self, _text: str) -> None:
        # Typing a different name un-links the register entry chosen before.
        if self.enterprise_id is not None:
            self.enterprise_id = None
            self.enterprise_note.clear()

    def use_enterprise(self, info: EnterpriseInfo) -> None:
        self.enterprise_id = info.id
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
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("选择附件"))
        self.add_files([Path(n) for n in names])

    def add_files(self, files: list[Path]) -> None:
        for path in files:
            self.files.addItem(str(path))

    # -- saving ---------------------------------------------------------------------------------------
    def draft(self) -> ComplaintDraft:
        return ComplaintDraft(
            channel_code=self.channel.currentData() or "",
            received_at=self.received_at.dateTime().toPython().replace(second=0, microsecond=0),
            complainant_name=self.complainant_name.text(),
            complainant_phone=self.complainant_phone.text(),
            complainant_address=self.complainant_address.text(),
            complainant_id_number=self.complainant_id_number.text().strip() or None,
            respondent_name=self.respondent_name.text(),
            respondent_credit_code=self.respondent_credit_code.text().strip() or None,
            respondent_address=self.respondent_address.text(),
            enterprise_id=self.enterprise_id,
            subject=self.subject.text(),
            category_code=self.category.currentData() or "",
            brand_model=self.brand_model.text(),
            purchase_date=self.purchase_date.date().toPython() if self.has_purchase_date.isChecked() else None,
            amount=self.amount.text().strip() or None,
            request_type=self.request_type.currentData() or "",
            request=self.request.text(),
            facts=self.facts.toPlainText(),
            district_number=self.district_number.text().strip() or None,
        )

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
        self.ctx.ops.mutate(lambda: services.complaints.register(user, draft),
                            lambda changed: self._registered(changed, files), owner=self,
                            on_error=self._refused)

    def _refused(self, error: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if not self.errors.show(error):
            self.ctx.ops.report(self, error)

    def _registered(self, changed: Changed, files: list[Path]) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.errors.clear()
        self.clear()
        self.sig_registered.emit(changed)
        text = self.tr("已登记，投诉单号 {0}。").format(changed.number)
        if changed.warnings:
            text += "\n" + "\n".join(changed.warnings)
        if files:
            attach_files(self.ctx, self, changed.ids[0], files)
        messages.inform(self, self.tr("登记成功"), text)
        self.sig_open_complaint.emit(changed.ids[0])

    def load(self, d: ComplaintDetail) -> None:
        """Fill the form with a registered complaint, to correct it."""
        # An older record's date before the first day is shown as stored (a date box would
        # move it silently to its minimum); the save then says what is wrong with it.
        for box, day in ((self.received_at, d.received_at.date()),
                         (self.purchase_date, d.purchase_date)):
            if day is not None and day < EARLIEST_DATE:
                box.setMinimumDate(QDate(day))
        self.channel.setCurrentIndex(max(0, self.channel.findData(d.channel_code)))
        self.received_at.setDateTime(QDateTime(d.received_at))
        self.district_number.setText(d.district_number or "")
        self.complainant_name.setText(d.complainant_name)
        self.complainant_phone.setText(d.complainant_phone)
        self.complainant_address.setText(d.complainant_address)
        self.complainant_id_number.setText(d.complainant_id_number or "")
        self.respondent_name.setText(d.respondent_name)
        self.respondent_credit_code.setText(d.respondent_credit_code or "")
        self.respondent_address.setText(d.respondent_address)
        self.enterprise_id = d.enterprise_id
        self.subject.setText(d.subject)
        self.brand_model.setText(d.brand_model)
        self.has_purchase_date.setChecked(d.purchase_date is not None)
        if d.purchase_date is not None:
            self.purchase_date.setDate(QDate(d.purchase_date))
        self.category.setCurrentIndex(max(0, self.category.findData(d.category_code)))
        self.amount.setText("" if d.amount is None else str(d.amount))
        self.request_type.setCurrentIndex(max(0, self.request_type.findData(d.request_type)))
        self.request.setText(d.request)
        self.facts.setPlainText(d.facts)
        self._show_whole(d)
        self.files.setEnabled(False)
        self.add_file.hide()
        self.remove_file.hide()

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
        self.errors.clear()
        self.sig_registered.emit(changed)
        self.close()

    @property
    def dirty(self) -> bool:
        boxes = (self.complainant_name, self.complainant_phone, self.complainant_address,
                 self.respondent_name, self.subject, self.request, self.district_number)
        return any(b.text().strip() for b in boxes) or bool(self.facts.toPlainText().strip())

    def ask_clear(self) -> None:
        if not self.dirty or messages.confirm(self, self.tr("清空"), self.tr("清空登记表中填写的内容？")):
            self.clear()

    def clear(self) -> None:
        for box in (self.district_number, self.complainant_name, self.complainant_phone,
                    self.complainant_address, self.complainant_id_number, self.respondent_name,
                    self.respondent_credit_code, self.respondent_address, self.subject,
                    self.brand_model, self.amount, self.request):
            box.clear()
        self.facts.clear()
        self.files.clear()
        self.has_purchase_date.setChecked(False)
        self.request_type.setCurrentIndex(0)
        self.received_at.setDateTime(QDateTime.currentDateTime())
        self.enterprise_id = None
        self.enterprise_note.clear()
        self._show_duplicates([])
        self.errors.clear()
        self.channel.setFocus()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if not self.dirty:
            self.received_at.setDateTime(QDateTime.currentDateTime())
            self.channel.setFocus()
