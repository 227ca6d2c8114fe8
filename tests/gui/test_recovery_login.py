"""「忘记所有密码？用恢复密钥」: with every password lost, the recovery key typed in the login
window's recovery dialog opens the database; an administrator gets a new password and the
window opens. A wrong key is refused with a clear message."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.bootstrap import unlock_and_login
from desktop.security import keys
from desktop.ui.app import Launcher
from desktop.ui.dialogs.login import LoginDialog
from desktop.ui.dialogs.recovery import RecoveryLoginDialog
from tests.conftest import make_world
from tests.gui.conftest import type_text


@pytest.fixture
def office(tmp_path: Path) -> tuple[Path, str]:
    data_dir = tmp_path / "office"
    world = make_world(data_dir)
    code = world.s.setup.issue_recovery_key(world.admin)
    world.s.close()
    keys.forget(data_dir)  # a new start: nothing opened
    return data_dir, code


@pytest.fixture
def launcher(office, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    made = Launcher(QApplication.instance(), office[0], demo=False, username="")
    yield made
    if made.window is not None:
        made.window.switching = True
        made.window.close()
    qtbot.waitUntil(lambda: made.ops.busy == 0, timeout=10000)
    made.shutdown()


def test_the_recovery_key_opens_and_an_administrator_sets_a_new_password(launcher, office, qtbot) -> None:  # type: ignore[no-untyped-def]
    data_dir, code = office
    launcher.start()
    login = launcher._dialog
    assert isinstance(login, LoginDialog) and launcher.services is None
    assert login.recover_link.text().endswith("忘记所有密码？用恢复密钥</a>")
    # A wrong password first: refused, nothing opened.
    type_text(qtbot, login.username, "admin")
    type_text(qtbot, login.password, "forgotten99")
    login.submit()
    qtbot.waitUntil(lambda: login.buttons.isEnabled(), timeout=10000)
    assert "用户名或密码不正确" in login.message.text() and launcher.services is None

    launcher.recover()
    dialog = launcher._recovery
    assert isinstance(dialog, RecoveryLoginDialog)
    type_text(qtbot, dialog.code, keys.new_recovery_code())  # a well-formed key of another database
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=10000)
    assert "不是本数据库的恢复密钥" in dialog.message.text() and launcher.services is None
    dialog.code.clear()
    type_text(qtbot, dialog.code, code[:-1] + ("1" if code[-1] != "1" else "2"))  # one wrong character
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=10000)
    assert "校验不符" in dialog.message.text()
    dialog.code.clear()
    type_text(qtbot, dialog.code, code.lower())
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.admin.isEnabled(), timeout=10000)
    assert dialog.admin.currentText() == "admin" and launcher.services is not None
    type_text(qtbot, dialog.password, "recovered2026")
    type_text(qtbot, dialog.password_again, "recovered2026")
    dialog.submit()
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=10000)
    assert not login.isVisible()
    # The new password opens the database at the next start.
    launcher.window.switching = True
    launcher.window.close()
    launcher.window = None
    qtbot.waitUntil(lambda: launcher.ops.busy == 0, timeout=10000)
    launcher.services.close()
    launcher.services = None
    keys.forget(data_dir)
    s, user = unlock_and_login(data_dir, "admin", "recovered2026")
    assert user.username == "admin"
    s.close()


def test_an_administrator_issues_a_new_recovery_key_and_the_old_one_stops_opening(
        make_ctx, world, qtbot, shown, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.views.settings import SettingsPage
    from tests.gui.conftest import wait_idle

    data_dir = world.s.ctx.data_dir
    old = world.s.setup.issue_recovery_key(world.admin)
    ctx = make_ctx(world.admin)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    page.users.recovery_button.click()
    qtbot.waitUntil(lambda: getattr(page.users, "key_dialog", None) is not None, timeout=10000)
    assert "旧的恢复密钥单立即作废" in shown.texts("confirm")[0]
    new = page.users.key_dialog.code_label.text()
    assert new != old and page.users.status.text() == "已生成新的恢复密钥，旧的已作废。"
    keyfile = keys.KeyFile.read(data_dir)
    assert keyfile is not None and keyfile.open_with_recovery(new) is not None
    assert keyfile.open_with_recovery(old) is None


def test_the_first_start_after_the_upgrade_encrypts_at_an_administrators_login(
        world, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop.db.encrypt import is_plain
    from desktop.ui.dialogs.recovery import RecoveryKeyDialog
    from tests.integration.test_encrypt_upgrade import _plain_office

    data_dir = _plain_office(world, tmp_path / "old")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    launcher = Launcher(QApplication.instance(), data_dir, demo=False, username="")
    try:
        launcher.start()
        qtbot.waitUntil(lambda: isinstance(getattr(launcher, "_dialog", None), LoginDialog), timeout=20000)
        login = launcher._dialog
        assert "请一位管理员登录" in login.message.text()
        assert not hasattr(login, "recover_link")  # nothing to recover yet
        type_text(qtbot, login.username, "admin")
        type_text(qtbot, login.password, "test1234")
        login.submit()
        qtbot.waitUntil(lambda: isinstance(launcher._dialog, RecoveryKeyDialog), timeout=30000)
        sheet = launcher._dialog
        assert not is_plain(data_dir / "hejie.db")
        code = sheet.code_label.text()
        sheet.confirmed.setChecked(True)
        sheet.accept()
        qtbot.waitUntil(lambda: launcher.window is not None, timeout=20000)
        assert keys.KeyFile.read(data_dir).open_with_recovery(code) is not None  # type: ignore[union-attr]
    finally:
        if launcher.window is not None:
            launcher.window.switching = True
            launcher.window.close()
        qtbot.waitUntil(lambda: launcher.ops.busy == 0, timeout=10000)
        launcher.shutdown()
