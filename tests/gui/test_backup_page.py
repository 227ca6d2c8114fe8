"""设置 → 备份 and the workbench's backup line, driven through the real widgets: a backup made
and listed, the settings saved, the automatic backup once a day, a restore that closes the
window, and the warnings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from desktop import paths
from desktop.db import snapshot
from desktop.db.repositories import CodeRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.backups import BackupPolicy, parse_name
from desktop.ui.backup_controller import BackupController
from desktop.ui.main_window import MainWindow
from desktop.ui.views.settings.backup import BackupTab
from desktop.ui.views.settings.common import select_key
from desktop.ui.views.workbench import WorkbenchPage
from tests.conftest import World, draft
from tests.gui.conftest import Messages, wait_idle
from tests.office_db import key_of


def _tab(qtbot, ctx) -> BackupTab:  # type: ignore[no-untyped-def]
    tab = BackupTab(ctx, BackupController(ctx))
    qtbot.addWidget(tab)
    tab.show()
    wait_idle(qtbot, ctx)
    return tab


def _backup(qtbot, tab: BackupTab):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(tab.controller.sig_finished, timeout=30000) as finished:
        qtbot.mouseClick(tab.backup_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, tab.ctx)
    return finished.args[0]


def test_a_backup_made_on_the_page_is_listed(world: World, make_ctx, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.admin)
    tab = _tab(qtbot, ctx)
    assert "还没有做过备份" in tab.last_ok.text()
    assert tab.table.rowCount() == 0 and not tab.restore_button.isEnabled()
    usb = tmp_path / "usb"
    usb.mkdir()
    tab.choose_folder(str(usb))
    tab.keep_daily.setValue(5)
    tab.warn_days.setValue(3)
    tab.save_policy()
    wait_idle(qtbot, ctx)
    assert tab.saved.text() == "已保存。"
    assert world.s.backups.policy() == BackupPolicy(folder=str(usb), keep_daily=5, warn_days=3)

    outcome = _backup(qtbot, tab)
    assert outcome.error is None and outcome.result.good
    assert "已备份到" in tab.progress_text.text() and str(usb) in tab.progress_text.text()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=5000)
    name = tab.table.item(0, 0).text()
    assert parse_name(name) is not None and (usb / name).is_file()
    assert tab.table.item(0, 2).text() == "手动"
    assert "上次成功的备份" in tab.last_ok.text() and name in tab.last_ok.text()
    assert select_key(tab.table, usb / name) and tab.restore_button.isEnabled()


def test_a_folder_that_is_not_there_is_refused_under_the_field(world: World, make_ctx, qtbot,  # type: ignore[no-untyped-def]
                                                               tmp_path) -> None:
    ctx = make_ctx(world.admin)
    tab = _tab(qtbot, ctx)
    tab.choose_folder(str(tmp_path / "U盘没插"))
    tab.save_policy()
    wait_idle(qtbot, ctx)
    assert "U 盘" in tab.errors.message_of("备份文件夹")
    assert world.s.backups.policy().folder == ""


def test_the_automatic_backup_runs_once_a_day(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)  # whoever is logged in: the backup is the program's
    controller = BackupController(ctx)
    with qtbot.waitSignal(controller.sig_finished, timeout=30000) as finished:
        controller.check_automatic()
    wait_idle(qtbot, ctx)
    outcome = finished.args[0]
    assert outcome.automatic and outcome.error is None
    assert outcome.result.path.parent == paths.backup_dir(world.s.ctx.data_dir)
    assert parse_name(outcome.result.path.name).automatic  # type: ignore[union-attr]
    controller.check_automatic()  # the same day: nothing more
    wait_idle(qtbot, ctx)
    assert not controller.running
    assert len(world.s.backups.backups()) == 1
    world.clock.at += timedelta(days=1)
    with qtbot.waitSignal(controller.sig_finished, timeout=30000):
        controller.check_automatic()
    wait_idle(qtbot, ctx)
    assert len(world.s.backups.backups()) == 2


def test_restoring_from_the_page_closes_the_window(world: World, make_ctx, shown: Messages,  # type: ignore[no-untyped-def]
                                                   qtbot) -> None:
    world.s.complaints.register(world.clerk, draft())
    ctx = make_ctx(world.admin)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("settings")
    wait_idle(qtbot, ctx)
    tab = page.backup  # type: ignore[attr-defined]
    page.tabs.setCurrentWidget(tab)  # type: ignore[attr-defined]
    assert tab.controller is window.backups
    outcome = _backup(qtbot, tab)
    database = paths.database_path(world.s.ctx.data_dir)
    at_backup = snapshot.counts(database, key_of(world.s.ctx.data_dir))["complaints"]
    world.s.complaints.register(world.clerk, draft())  # work after the backup
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=5000)

    shown.answer = False  # first: not now
    tab.restore_from(outcome.result.path)
    qtbot.waitUntil(lambda: any("确定用这份备份恢复吗" in t for t in shown.texts("confirm")),
                    timeout=30000)
    wait_idle(qtbot, ctx)
    assert tab.restore_text.text() == "未恢复。" and window.isVisible()
    assert snapshot.counts(database, key_of(world.s.ctx.data_dir))["complaints"] == at_backup + 1
    assert not list(paths.backup_dir(world.s.ctx.data_dir).glob(".*.part"))

    shown.answer = True
    with qtbot.waitSignal(window.sig_closed, timeout=30000):
        tab.restore_from(outcome.result.path)
    confirm = shown.texts("confirm")[-1]
    assert "长桥分局" in confirm and "投诉 " in confirm
    told = shown.texts("info")[-1]
    assert "已从备份" in told and "请重新打开" in told and "before-restore" in told
    assert snapshot.counts(database, key_of(world.s.ctx.data_dir))["complaints"] == at_backup
    assert list(paths.backup_dir(world.s.ctx.data_dir).glob("hejie-*-before-restore.db"))


def test_a_backup_that_fails_its_check_is_not_restored(world: World, make_ctx, qtbot,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    ctx = make_ctx(world.admin)
    tab = _tab(qtbot, ctx)
    fake = tmp_path / "hejie-backup-20261120-100000.zip"
    fake.write_bytes(b"PK\x03\x04 not really")
    tab.restore_from(fake)
    qtbot.waitUntil(lambda: "不能用这份备份恢复" in tab.restore_text.text(), timeout=10000)
    assert "不是完整的和解台备份" in tab.restore_text.text()
    assert tab.restore_other_button.isEnabled()


def test_the_workbench_warns_about_backups_and_after_a_restore(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    page = WorkbenchPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    banner = page.backup_banner
    assert banner.isVisible()
    assert "还没有做过备份" in banner.text() and "请告知本单位的系统管理员" in banner.text()
    world.s.backups.make(world.admin)
    banner.reload()
    wait_idle(qtbot, ctx)
    assert not banner.isVisible()
    world.clock.at += timedelta(days=7)
    banner.reload()
    wait_idle(qtbot, ctx)
    assert banner.isVisible() and "7 天前" in banner.text()
    # Restored in an office enrolled with the district: sync before registering, until a round.
    with UnitOfWork(world.s.ctx.engine) as uow:
        codes = CodeRepository(uow.session)
        codes.set_setting("sync.token", "t")
        codes.set_setting("sync.after_restore", "2026-11-27 10:00:00")
        uow.commit()
    banner.reload()
    wait_idle(qtbot, ctx)
    assert banner.text().startswith("请先同步：") and "再登记新投诉" in banner.text()
