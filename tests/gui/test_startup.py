"""First start: the set-up dialog creates the office and administrator, then login opens the window."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.bootstrap import open_services
from desktop.security import keys
from desktop.ui.app import Launcher, data_folder, parse_args
from desktop.ui.dialogs.login import LoginDialog
from desktop.ui.dialogs.setup_dialog import SetupDialog
from tests.gui.conftest import type_text


@pytest.fixture
def launcher(tmp_path: Path, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the launcher installs its own
    made = Launcher(QApplication.instance(), tmp_path / "office", demo=False, username="")
    yield made
    if made.window is not None:
        made.window.switching = True  # closing must not quit the test's application
        made.window.close()
    qtbot.waitUntil(lambda: made.ops.busy == 0, timeout=10000)
    made.shutdown()


def _fill(qtbot, dialog: SetupDialog, password_again: str = "station2026") -> None:  # type: ignore[no-untyped-def]
    dialog.kind_station.setChecked(True)
    for box, text in ((dialog.district_code, "WZ"), (dialog.district_name, "吴中区市场监督管理局"),
                      (dialog.bureau_code, "WZCQ"), (dialog.bureau_name, "长桥分局"),
                      (dialog.station_code, "wzcq07"), (dialog.station_name, "宝带商城消费投诉监督站"),
                      (dialog.admin_name, "周建国"), (dialog.password, "station2026"),
                      (dialog.password_again, password_again)):
        type_text(qtbot, box, text)


def test_first_start_sets_up_the_station_and_its_administrator_logs_in(launcher, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    launcher.start()
    qtbot.waitUntil(lambda: isinstance(getattr(launcher, "_dialog", None), SetupDialog), timeout=10000)
    dialog = launcher._dialog
    _fill(qtbot, dialog, password_again="station2025")
    dialog.submit()
    assert dialog.errors.message_of("再输一次密码") == "两次输入的密码不一致"
    assert dialog.isVisible() and dialog.station_name.text() == "宝带商城消费投诉监督站"
    dialog.password_again.clear()
    type_text(qtbot, dialog.password_again, "station2026")
    dialog.submit()
    # The recovery key, once: its sheet saved (read back), and 继续 only once confirmed.
    qtbot.waitUntil(lambda: getattr(dialog, "key_dialog", None) is not None, timeout=10000)
    keys_shown = dialog.key_dialog
    code = keys_shown.code_label.text()
    assert len(code) == 44 and code.count("-") == 8
    keys_shown.reject()  # Esc before confirming: the key stays on screen
    assert keys_shown.isVisible()
    ok = keys_shown.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    sheet = keys_shown.save_to(tmp_path / "恢复密钥单.pdf")
    text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
    assert all(group in text for group in code.split("-")) and "宝带商城消费投诉监督站" in text
    assert "保险柜" in text
    keys_shown.confirmed.setChecked(True)
    ok.click()
    qtbot.waitUntil(lambda: isinstance(launcher._dialog, LoginDialog), timeout=10000)
    login = launcher._dialog
    assert login.username.text() == "admin"
    type_text(qtbot, login.password, "station2026")
    login.submit()
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=10000)
    window = launcher.window
    assert "宝带商城消费投诉监督站" in window.where.text()
    assert window.nav.item(window.nav.count() - 1).text() == "设置"
    services = launcher.services
    assert services.offices.local().code == "WZCQ07"
    assert [o.kind for o in services.offices.all()] == ["district", "sub_bureau", "station"]
    # The recovery key opens this database.
    data_dir = services.ctx.data_dir
    assert keys.KeyFile.read(data_dir).open_with_recovery(code) is not None  # type: ignore[union-attr]


def test_a_refused_office_code_is_shown_next_to_its_field(launcher, qtbot) -> None:  # type: ignore[no-untyped-def]
    launcher.start()
    qtbot.waitUntil(lambda: isinstance(getattr(launcher, "_dialog", None), SetupDialog), timeout=10000)
    dialog = launcher._dialog
    _fill(qtbot, dialog)
    dialog.bureau_code.clear()
    type_text(qtbot, dialog.bureau_code, "长桥")
    dialog.submit()
    qtbot.waitUntil(lambda: bool(dialog.errors.message_of("分局代码")), timeout=10000)
    assert "大写字母或数字" in dialog.errors.message_of("分局代码")
    assert dialog.isVisible()
    services = open_services(launcher.data_dir)
    try:
        assert not services.setup.is_initialized()  # nothing half-written
    finally:
        services.close()


def test_data_folder_follows_the_command_line_and_the_environment(tmp_path: Path, monkeypatch) -> None:
    assert data_folder(parse_args(["--data-dir", str(tmp_path / "x")])) == tmp_path / "x"
    monkeypatch.setenv("HEJIE_DATA_DIR", str(tmp_path / "env"))
    assert data_folder(parse_args([])) == tmp_path / "env"
    assert data_folder(parse_args(["--demo"])) == tmp_path / "env" / "demo"
