"""The recovery key: shown once at set-up with its sheet to save and print (RecoveryKeyDialog),
and typed back when no password is left (RecoveryLoginDialog, from the login window's
「忘记所有密码？用恢复密钥」): the key opens the database, then an administrator gets a new
password and is logged in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import refusal_text
from desktop.ui.ops import Ops

if TYPE_CHECKING:
    from desktop.bootstrap import Services
    from desktop.services.dto import CurrentUser


class RecoveryKeyDialog(QDialog):
    """The new recovery key, once: save its sheet (PDF) and print it; 继续 only after the
    administrator says the sheet is printed."""

    def __init__(self, code: str, office: str, issued: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code, self.office, self.issued = code, office, issued
        self.saved: Path | None = None
        self.setWindowTitle(self.tr("和解台 — 恢复密钥"))
        self.setMinimumWidth(560)
        intro = QLabel(self.tr(
            "数据库已加密。下面是本单位数据库的恢复密钥：所有人的密码都忘记时，只有它能打开数据库。"
            "请现在保存并打印恢复密钥单，交单位保险柜保管；本窗口关闭后不再显示。"))
        intro.setWordWrap(True)
        self.code_label = QLabel(code)
        self.code_label.setStyleSheet("font-family: monospace; font-size: 20px; font-weight: bold;")
        self.code_label.setTextInteractionFlags(self.code_label.textInteractionFlags()
                                                | self.code_label.textInteractionFlags().TextSelectableByMouse)
        self.save_button = QPushButton(self.tr("保存恢复密钥单（PDF）并打开以打印…"))
        self.save_button.clicked.connect(self.choose_and_save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.confirmed = QCheckBox(self.tr("我已打印恢复密钥单，将交保险柜保管，并删除电脑上的 PDF"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("继续"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.confirmed.toggled.connect(self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (intro, self.code_label, self.save_button, self.status, self.confirmed, self.buttons):
            layout.addWidget(widget)

    def choose_and_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("保存恢复密钥单"),
                                              str(Path.home() / "恢复密钥单.pdf"), "PDF (*.pdf)")
        if name:
            path = self.save_to(Path(name))
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def save_to(self, path: Path) -> Path:
        from desktop.forms import recovery_sheet

        recovery_sheet.write(path, self.code, self.office, self.issued)
        self.saved = path
        self.status.setText(self.tr("已保存到 {0}。打印后请删除这个文件。").format(path))
        return path

    def reject(self) -> None:  # Esc or the window's ×: the key must not be lost unseen
        if self.confirmed.isChecked():
            self.accept()


class RecoveryLoginDialog(QDialog):
    """「忘记所有密码？用恢复密钥」: the key opens the database (on the database worker), then
    one administrator gets a new password and is logged in."""

    sig_logged_in = Signal(object)  # CurrentUser

    def __init__(self, ops: Ops, open_with: Callable[[str], Services],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.open_with = ops, open_with
        self.services: Services | None = None
        self.setWindowTitle(self.tr("和解台 — 用恢复密钥打开"))
        self.setMinimumWidth(520)
        intro = QLabel(self.tr("输入恢复密钥单上的恢复密钥（9 组，每组 4 个字符；大小写、空格和横线都可以）。"))
        intro.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.admin = QComboBox()
        self.admin.setEnabled(False)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        for box in (self.password, self.password_again):
            box.setEnabled(False)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("恢复密钥"), self.code)
        form.addRow(self.tr("管理员"), self.admin)
        form.addRow(self.tr("新密码"), self.password)
        form.addRow(self.tr("再输一次"), self.password_again)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("打开数据库"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        if self.services is None:
            self._open()
        else:
            self._set_password()

    def _open(self) -> None:
        code = self.code.text()
        if not code.strip():
            self.message.setText(self.tr("请输入恢复密钥"))
            return
        self.buttons.setEnabled(False)
        self.message.setText(self.tr("正在打开……"))

        def work() -> tuple[Services, list[str]]:
            services = self.open_with(code)
            return services, [a.username for a in services.users.administrators()]

        self.ops.query(work, self._opened, owner=self, on_error=self._refused)

    def _opened(self, result: tuple[Services, list[str]]) -> None:
        self.services, admins = result
        self.buttons.setEnabled(True)
        self.code.setEnabled(False)
        self.admin.addItems(admins)
        for box in (self.admin, self.password, self.password_again):
            box.setEnabled(True)
        self.ok.setText(self.tr("设置新密码并登录"))
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(self.tr("恢复密钥正确，数据库已打开。请为一位管理员设置新密码。")
                             if admins else self.tr("数据库中没有在用的管理员账户，请联系技术支持"))
        self.password.setFocus()

    def _set_password(self) -> None:
        self.message.setStyleSheet("color: #b00020;")
        if self.password.text() != self.password_again.text():
            self.message.setText(self.tr("两次输入的密码不一致"))
            return
        services, name, secret = self.services, self.admin.currentText(), self.password.text()
        assert services is not None
        self.buttons.setEnabled(False)
        self.ops.mutate(lambda: services.users.recover_admin(name, secret), self._done,
                        owner=self, on_error=self._refused)

    def _done(self, user: CurrentUser) -> None:
        self.sig_logged_in.emit(user)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(refusal_text(error, lambda: self.ops.report(self, error),
                                          self.tr("出错了")))
