"""Login and unlock: the password is checked on the database worker (argon2 takes a moment)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import refusal_text
from desktop.ui.ops import Ops

if TYPE_CHECKING:  # the services (SQLAlchemy, the models) load on the database worker
    from desktop.bootstrap import Services
    from desktop.services.dto import CurrentUser


class LoginDialog(QDialog):
    sig_logged_in = Signal(object)  # CurrentUser

    def __init__(self, services: Services | None, ops: Ops, *, username: str = "", office: str = "",
                 locked_to: str | None = None, parent: QWidget | None = None,
                 login: Callable[[str, str], CurrentUser] | None = None,
                 recover: Callable[[], None] | None = None) -> None:
        """`login`: what 登录 runs on the database worker; by default the open services' login.
        The launcher's first login passes one that opens the encrypted database with the
        password first (bootstrap.unlock_and_login)."""
        super().__init__(parent)
        self.services, self.ops = services, ops
        if login is None:
            assert services is not None
            login = services.users.login
        self._login = login
        self.setWindowTitle(self.tr("和解台 — 锁定") if locked_to else self.tr("和解台 — 登录"))
        self.setMinimumWidth(380)
        title = QLabel(self.tr("和解台 消费投诉调解"))
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        place = QLabel(self.tr("{0}　已锁定，请输入密码继续").format(office) if locked_to else office)
        place.setStyleSheet("color: #555;")
        self.username = QLineEdit(locked_to or username)
        self.username.setReadOnly(locked_to is not None)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("解锁") if locked_to else self.tr("登录"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(place)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if recover is not None:
            # The first login of a start: when no password is left, the recovery key opens.
            self.recover_link = QLabel(f'<a href="#">{self.tr("忘记所有密码？用恢复密钥")}</a>')
            self.recover_link.linkActivated.connect(lambda _link: recover())
            layout.addWidget(self.recover_link)
        (self.password if self.username.text() else self.username).setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        name, secret = self.username.text().strip(), self.password.text()
        if not name or not secret:
            self.message.setText(self.tr("请输入用户名和密码"))
            return
        self.buttons.setEnabled(False)
        self.message.setText(self.tr("正在验证……"))
        self.ops.query(lambda: self._login(name, secret), self._accepted,
                       owner=self, on_error=self._refused)

    def _accepted(self, user: CurrentUser) -> None:
        self.sig_logged_in.emit(user)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(refusal_text(error, lambda: self.ops.report(self, error),
                                          self.tr("登录时出错")))
        self.password.clear()
        self.password.setFocus()
