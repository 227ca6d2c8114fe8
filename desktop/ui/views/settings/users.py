"""The 用户与角色 tab: accounts, their roles, disabling them and resetting passwords."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import FieldError
from desktop.domain.workflow import Role
from desktop.services.dto import Changed, OfficeInfo, UserInfo
from desktop.ui.context import AppContext
from desktop.ui.settings import restore_header, save_header
from desktop.ui.views.settings.common import (
    FormDialog,
    button_row,
    fill_table,
    make_table,
    selected_key,
    show_dialog,
    tr,
)
from desktop.ui.widgets import messages


class RolePicker(QWidget):
    """One check box per role, labelled in Chinese."""

    def __init__(self, checked: Iterable[Role] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[Role, QCheckBox] = {}
        chosen = set(checked)
        for i, role in enumerate(Role):
            box = QCheckBox(role.label)
            box.setChecked(role in chosen)
            grid.addWidget(box, i // 2, i % 2)
            self.boxes[role] = box

    def roles(self) -> set[Role]:
        return {role for role, box in self.boxes.items() if box.isChecked()}


def _password_pair(dialog: FormDialog, label: str) -> tuple[QLineEdit, QLineEdit]:
    first, second = QLineEdit(), QLineEdit()
    for edit in (first, second):
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    dialog.add_field(label, first, "密码")
    dialog.add_field(dialog.tr("再次输入"), second, "确认密码")
    return first, second


def _check_same(first: QLineEdit, second: QLineEdit) -> str:
    if first.text() != second.text():
        raise FieldError("确认密码", tr("两次输入的密码不一致"))
    return first.text()


class UserDialog(FormDialog):
    """A new account: name, office, roles, initial password twice."""

    def __init__(self, ctx: AppContext, offices: list[OfficeInfo], parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("新增用户"), parent)
        self.username = self.add_field(self.tr("用户名"), QLineEdit())
        self.username.setPlaceholderText(self.tr("登录用，字母开头，如 wangfang"))
        self.display_name = self.add_field(self.tr("姓名"), QLineEdit())
        self.office = self.add_field(self.tr("所属单位"), QComboBox())
        for office in offices:
            self.office.addItem(f"{office.name}（{office.code}）", office.id)
        self.office.setCurrentIndex(max(0, self.office.findData(ctx.user.office_id)))
        self.roles = self.add_field(self.tr("角色"), RolePicker())
        self.password, self.password_again = _password_pair(self, self.tr("初始密码"))

    def prepare(self) -> Callable[[], Changed]:
        password = _check_same(self.password, self.password_again)
        if self.office.currentData() is None:
            raise FieldError("所属单位", self.tr("请选择"))
        users, admin = self._ctx.services.users, self._ctx.user
        values: dict[str, Any] = dict(
            username=self.username.text().strip(), display_name=self.display_name.text(),
            password=password, office_id=int(self.office.currentData()),
            roles=self.roles.roles())

        def call() -> Changed:
            return Changed("user", (users.create(admin, **values).id,), created=True)
        return call


class RolesDialog(FormDialog):
    def __init__(self, ctx: AppContext, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("修改角色：{name}").format(name=user.display_name), parent)
        self.user = user
        self.roles = self.add_field(self.tr("角色"), RolePicker(user.roles))

    def prepare(self) -> Callable[[], Changed]:
        users, admin, user_id, roles = self._ctx.services.users, self._ctx.user, self.user.id, self.roles.roles()
        return lambda: Changed("user", (users.set_roles(admin, user_id, roles).id,))


class PasswordDialog(FormDialog):
    def __init__(self, ctx: AppContext, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("重置密码：{name}").format(name=user.display_name), parent)
        self.user = user
        note = QLabel(self.tr("重置后该账户的锁定也一并解除。请把新密码当面告诉本人，并请其登录后自行修改。"))
        note.setWordWrap(True)
        self.form.addRow(note)
        self.password, self.password_again = _password_pair(self, self.tr("新密码"))

    def prepare(self) -> Callable[[], Changed]:
        password = _check_same(self.password, self.password_again)
        users, admin, user_id = self._ctx.services.users, self._ctx.user, self.user.id

        def call() -> Changed:
            users.reset_password(admin, user_id, password)
            return Changed("user", (user_id,))
        return call


class UsersTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._users: dict[int, UserInfo] = {}
        self._offices: list[OfficeInfo] = []
        self._dialog: QDialog | None = None
        self.add_button = QPushButton(self.tr("新增用户…"))
        self.roles_button = QPushButton(self.tr("修改角色…"))
        self.active_button = QPushButton(self.tr("停用"))
        self.password_button = QPushButton(self.tr("重置密码…"))
        self.recovery_button = QPushButton(self.tr("重新生成恢复密钥…"))
        self.recovery_button.setToolTip(self.tr("恢复密钥单丢失或可能泄露时：生成新的恢复密钥并打印，旧的随即作废"))
        self.status = QLabel()
        self.table = make_table([self.tr("用户名"), self.tr("姓名"), self.tr("所属单位"),
                                 self.tr("角色"), self.tr("状态"), self.tr("锁定至")])
        for column, width in ((2, 200), (3, 220)):  # until the user's own layout
            self.table.setColumnWidth(column, width)
        restore_header(self, self.table.horizontalHeader(), "users")
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.add_button, self.roles_button, self.active_button,
                                    self.password_button, self.recovery_button, status=self.status))
        layout.addWidget(self.table)
        self.add_button.clicked.connect(self.open_add_user)
        self.roles_button.clicked.connect(self.open_roles)
        self.active_button.clicked.connect(self.toggle_active)
        self.password_button.clicked.connect(self.open_reset_password)
        self.recovery_button.clicked.connect(self.new_recovery_key)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.open_roles)
        ctx.ops.sig_changed.connect(self._on_changed)
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        services, admin = self._ctx.services, self._ctx.user

        def read() -> tuple[list[UserInfo], list[OfficeInfo], Any]:
            return services.users.list(admin), services.offices.all(), services.ctx.clock.now()
        self._ctx.ops.query(read, self._show, owner=self)

    def _show(self, result: tuple[list[UserInfo], list[OfficeInfo], Any]) -> None:
        users, self._offices, now = result
        self._users = {u.id: u for u in users}
        names = {o.id: o.name for o in self._offices}
        rows = []
        for u in users:
            locked = u.locked_until if u.locked_until and u.locked_until > now else None
            rows.append((u.id, [u.username, u.display_name, names.get(u.office_id, ""),
                                "、".join(r.label for r in u.roles),
                                self.tr("启用") if u.active else self.tr("已停用"),
                                f"{locked:%Y-%m-%d %H:%M}" if locked else ""]))
        fill_table(self.table, rows)
        self._update_buttons()

    def selected_user(self) -> UserInfo | None:
        key = selected_key(self.table)
        return self._users.get(key) if key is not None else None

    @Slot()
    def _update_buttons(self) -> None:
        user = self.selected_user()
        for button in (self.roles_button, self.active_button, self.password_button):
            button.setEnabled(user is not None)
        self.active_button.setText(self.tr("启用") if user and not user.active else self.tr("停用"))

    @Slot(object)
    def _on_changed(self, changed: Changed) -> None:
        if changed.entity in ("user", "office"):
            self.reload()

    # -- actions ---------------------------------------------------------------------------
    def open_add_user(self) -> UserDialog:
        dialog = UserDialog(self._ctx, self._offices, self)
        dialog.sig_saved.connect(lambda _: self.status.setText(self.tr("已新增用户。")))
        self._dialog = show_dialog(self._dialog, dialog)
        return dialog

    def open_roles(self) -> RolesDialog | None:
        user = self.selected_user()
        if user is None:
            return None
        dialog = RolesDialog(self._ctx, user, self)
        dialog.sig_saved.connect(
            lambda _: self.status.setText(self.tr("已修改 {name} 的角色。").format(name=user.display_name)))
        self._dialog = show_dialog(self._dialog, dialog)
        return dialog

    def open_reset_password(self) -> PasswordDialog | None:
        user = self.selected_user()
        if user is None:
            return None
        dialog = PasswordDialog(self._ctx, user, self)
        dialog.sig_saved.connect(
            lambda _: self.status.setText(self.tr("已重置 {name} 的密码。").format(name=user.display_name)))
        self._dialog = show_dialog(self._dialog, dialog)
        return dialog

    def toggle_active(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        active = not user.active
        if not active and not messages.confirm(
                self, self.tr("停用用户"),
                self.tr("停用后 {name} 不能再登录，已办理的记录不受影响。确定停用吗？").format(
                    name=user.display_name)):
            return
        users, admin = self._ctx.services.users, self._ctx.user
        self._ctx.ops.mutate(
            lambda: Changed("user", (users.set_active(admin, user.id, active).id,)),
            lambda _: self.status.setText(
                (self.tr("已启用 {name}。") if active else self.tr("已停用 {name}。")).format(
                    name=user.display_name)),
            owner=self)

    def new_recovery_key(self) -> None:
        """A new recovery key (the old sheet lost or seen by others): the old key stops opening
        the database; the new one is shown once, with its sheet to save and print."""
        if not messages.confirm(
                self, self.tr("重新生成恢复密钥"),
                self.tr("生成新的恢复密钥后，旧的恢复密钥单立即作废，请销毁旧单子并打印新的，"
                        "交保险柜保管。确定生成吗？")):
            return
        services, admin = self._ctx.services, self._ctx.user

        def issue() -> tuple[str, str, Any]:
            code = services.setup.issue_recovery_key(admin)
            return code, services.offices.local().name, services.ctx.clock.now()

        def show(result: tuple[str, str, Any]) -> None:
            from desktop.ui.dialogs.recovery import RecoveryKeyDialog

            self.key_dialog = RecoveryKeyDialog(*result, parent=self)
            self.key_dialog.show()
            self.status.setText(self.tr("已生成新的恢复密钥，旧的已作废。"))

        self._ctx.ops.mutate(issue, show, owner=self)

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        save_header(self, self.table.horizontalHeader(), "users")
        super().hideEvent(event)
