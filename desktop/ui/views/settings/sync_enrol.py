"""Enrolment with the district hub (设置 → 同步 before it): address, one-time code, certificate."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import FieldError
from desktop.domain.workflow import Role
from desktop.services.dto import Changed
from desktop.services.sync import check_ca_bundle
from desktop.services.sync_info import Enrolment
from desktop.sync.client import LocalCode, SyncError
from desktop.sync.protocol import ErrorCode
from desktop.ui import file_dialogs
from desktop.ui.context import AppContext
from desktop.ui.settings import last_folder, set_last_folder
from desktop.ui.views.settings.common import tr
from desktop.ui.widgets import messages
from desktop.ui.widgets.field_errors import FieldErrors

NOTE_STYLE = "color: #555;"
FORM_WIDTH = 760
# Refusals of the hub that concern one field of the enrolment form.
FIELD_OF_CODE = {LocalCode.INVALID_URL: "服务器地址", ErrorCode.BAD_CODE: "登记码"}


def selectable(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def note(text: str, wrap: bool = True) -> QLabel:
    """Grey help text. Short notes in form rows do not wrap: a wrapping label there asks for
    the height of two lines and stands apart from the field it explains."""
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setStyleSheet(NOTE_STYLE)
    return label


class CertificateField(QWidget):
    """A path typed or chosen, for a government intranet's own certificate authority."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(tr("留空：使用系统自带的证书机构"))
        self.choose = QPushButton(tr("选择…"))
        self.choose.clicked.connect(self.pick)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.choose)

    def pick(self) -> None:
        folder = last_folder("certificate", str(Path.home()))
        path = file_dialogs.open_file(self, tr("选择证书文件"), folder,
                                      tr("证书文件 (*.pem *.crt *.cer);;所有文件 (*)"))
        if path:
            set_last_folder("certificate", str(Path(path).parent))
            self.edit.setText(path)
            self.edit.textEdited.emit(path)  # clears a message shown under the field

    def set_editable(self, editable: bool) -> None:
        self.edit.setReadOnly(not editable)
        self.choose.setEnabled(editable)


class EnrolPanel(QWidget):
    """Before enrolment: the hub's address, the one-time code, an optional certificate file."""

    sig_enrolled = Signal(object)  # SyncSettings

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._enrolment: Enrolment | None = None
        self.ctx = ctx
        admin = ctx.user.has(Role.ADMIN)
        intro = note(tr(
            "本机尚未登记到区局同步服务器。登记后，本单位的投诉及其办理记录会自动送到区局平台，"
            "区局分流的投诉也会自动收到。请向区局的系统管理员索取服务器地址和一次性登记码。"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://")
        self.code = QLineEdit()
        self.code.setPlaceholderText(tr("如 K7QM-3XPA，只能使用一次"))
        self.certificate = CertificateField()
        self.general_error = QLabel()
        self.errors = FieldErrors(self.general_error, self)
        form = QFormLayout()
        form.addRow(tr("服务器地址"), self.errors.field("服务器地址", self.url))
        form.addRow(tr("一次性登记码"), self.errors.field("登记码", self.code, "一次性登记码"))
        form.addRow(tr("证书文件（可选）"), self.errors.field("证书文件", self.certificate,
                                                         marks=self.certificate.edit))
        form.addRow("", note(tr("区局服务器使用政务内网自建的证书机构时，选择区局提供的 CA 证书"
                                 "（PEM 格式）；否则留空。"), wrap=False))
        self.enrol_button = QPushButton(tr("登记"))
        self.enrol_button.setDefault(True)
        self.enrol_button.clicked.connect(self.enrol)
        self.busy = QLabel()
        self.busy.setStyleSheet(NOTE_STYLE)
        buttons = QHBoxLayout()
        buttons.addWidget(self.enrol_button)
        buttons.addWidget(self.busy, 1)
        self.refusal = note(tr("只有系统管理员可以把本机登记到区局同步服务器。"))
        box = QGroupBox(tr("登记到区局同步服务器"))
        box.setMaximumWidth(FORM_WIDTH)  # an address and a code: a full-width form reads badly
        intro.setMaximumWidth(FORM_WIDTH)
        inner = QVBoxLayout(box)
        inner.addLayout(form)
        inner.addWidget(self.general_error)
        inner.addLayout(buttons)
        inner.addWidget(self.refusal)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(box)
        layout.addStretch(1)
        self.refusal.setVisible(not admin)
        for widget in (self.url, self.code):
            widget.setReadOnly(not admin)
        self.certificate.set_editable(admin)
        self.enrol_button.setEnabled(admin)

    def enrol(self) -> None:
        self.errors.clear()
        try:
            ca_bundle = check_ca_bundle(self.certificate.edit.text())
        except FieldError as error:
            self.errors.show(error)
            return
        sync, user = self.ctx.services.sync, self.ctx.user
        url, code = self.url.text().strip(), self.code.text().strip()

        def call(_state: object) -> list[Changed]:
            self._enrolment = sync.enrol(user, url, code, ca_bundle=ca_bundle)
            # Offices the district knows and this PC did not are added; everything is queued.
            return [Changed("office", ()), Changed("sync", ())]

        self.enrol_button.setEnabled(False)
        self.busy.setText(tr("正在连接区局同步服务器……"))
        self.ctx.ops.run(call, self._enrolled, owner=self, on_error=self._refused, database=False,
                         broadcast=True)

    def _enrolled(self, _changes: object) -> None:
        self.enrol_button.setEnabled(True)
        self.busy.clear()
        self.code.clear()  # used up
        missing = self._enrolment.offices_missing if self._enrolment else ()
        self.sig_enrolled.emit(None)
        if missing:  # their records would be refused: better said now than found later
            messages.warn(self, tr("区局平台缺少单位"), tr(
                "已登记。但区局平台还没有以下单位：\n{0}\n\n它们的记录同步时会被区局拒绝。"
                "请区局管理员添加这些单位，然后在本页点「重新发送被拒绝的记录」。").format(
                    "\n".join(missing)))

    def _refused(self, error: BaseException) -> None:
        self.enrol_button.setEnabled(True)
        self.busy.clear()
        if isinstance(error, SyncError) and error.code in FIELD_OF_CODE:
            error = FieldError(FIELD_OF_CODE[error.code], str(error))
        if not self.errors.show_refusal(error):
            self.ctx.ops.report(self, error)

    def error_text(self, field: str | None = None) -> str:
        if field is not None:
            return self.errors.message_of(field)
        return self.general_error.text() if not self.general_error.isHidden() else ""
