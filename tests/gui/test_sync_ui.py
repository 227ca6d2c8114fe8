"""Sync in the window, driven through the real widgets: 设置 → 同步, rounds by hand and on the
timer, the status bar, the 同步 column, the complaint window's line and the conflicts dialog.

Tests that need the district use the real hub of tests/sync (over loopback HTTP, on SQLite).
"""

from __future__ import annotations

import json
import os
import threading
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt

from desktop.db.models import Complaint
from desktop.db.uow import UnitOfWork
from desktop.domain.complaint import ComplaintFilter
from desktop.domain.workflow import Role
from desktop.services.dto import Changed
from desktop.services.offices import OfficeSpec
from desktop.services.sync import SyncError, SyncService
from desktop.sync.client import HubClient
from desktop.sync.protocol import ENTITY, OLDEST_PROTOCOL
from desktop.ui.context import AppContext
from desktop.ui.dialogs.sync_conflicts import SyncConflictsDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.models.complaint_table import COLUMN_INDEX
from desktop.ui.sync_controller import RoundOutcome, SyncController
from desktop.ui.views.complaint_window import ComplaintWindow
from desktop.ui.views.ledger import LedgerPage
from desktop.ui.views.settings import SettingsPage
from desktop.ui.views.settings.sync import SyncTab
from tests.conftest import PASSWORD, World, draft
from tests.gui.conftest import Messages, type_text, wait_idle
from tests.sync.conftest import hub, hub_server  # noqa: F401 - the district's fixtures, by name
from tests.sync.office import Faults, edit, office, uuid_of
from tests.sync.test_sync_trust import inject

# The hub fixture runs on SQLite and PostgreSQL; the window needs only one.
ON_HUB = pytest.mark.parametrize("hub", ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def no_round_by_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """An enrolled window starts a round a few seconds after it opens; the tests start theirs."""
    monkeypatch.setattr(SyncController, "FIRST_ROUND_DELAY_MS", 10 * 60_000)


def _cable_pulled(world: World, port: int) -> None:
    """The hub out of reach: the program talks to a loopback port where nothing listens (the
    shared test hub itself keeps running), without retries."""
    world.s.sync.client_factory = lambda url, token, ca: HubClient(
        f"http://127.0.0.1:{port}", token=token, ca_bundle=ca, retries=0, backoff=0)


def _tab(qtbot, ctx: AppContext, controller: SyncController | None = None) -> SyncTab:  # type: ignore[no-untyped-def]
    tab = SyncTab(ctx, controller)
    qtbot.addWidget(tab)
    tab.show()
    wait_idle(qtbot, ctx)
    return tab


def _window(qtbot, ctx: AppContext) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, ctx)
    return window


def _round(qtbot, ctx: AppContext, controller: SyncController, manual: bool = True) -> RoundOutcome:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(controller.sig_finished, timeout=30000) as finished:
        assert controller.run_now(manual=manual) is not None
    wait_idle(qtbot, ctx)
    outcome = finished.args[0]
    assert isinstance(outcome, RoundOutcome)
    return outcome


def _settled(qtbot, ctx: AppContext, controller: SyncController) -> None:  # type: ignore[no-untyped-def]
    """Idle, and the status read that follows a burst of changes done."""
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: not controller.status_pending, timeout=5000)
    wait_idle(qtbot, ctx)


def _enrol(world: World, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    world.s.sync.enrol(world.admin, hub.url, hub.enrol_code("WZCQ"))


def _register(world: World, **overrides: object) -> int:
    return world.s.complaints.register(world.clerk, draft(**overrides)).ids[0]


# -- not enrolled (no hub needed) ------------------------------------------------------------------
def test_the_settings_page_has_a_sync_tab_that_offers_enrolment(make_ctx, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.admin)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    assert page.sync is not None and page.tabs is not None
    page.tabs.setCurrentWidget(page.sync)
    assert not page.sync.enrolled
    assert page.sync.stack.currentWidget() is page.sync.enrol_panel
    panel = page.sync.enrol_panel
    assert panel.enrol_button.isEnabled() and panel.refusal.isHidden()
    assert panel.url.placeholderText() == "https://"


def test_only_an_administrator_may_enrol(make_ctx, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.desk)
    tab = _tab(qtbot, ctx)
    panel = tab.enrol_panel
    assert not panel.enrol_button.isEnabled()
    assert panel.url.isReadOnly() and panel.code.isReadOnly()
    assert "系统管理员" in panel.refusal.text() and not panel.refusal.isHidden()


def test_a_plain_http_address_is_refused_and_the_form_keeps_what_was_typed(  # type: ignore[no-untyped-def]
        make_ctx, world: World, qtbot) -> None:
    ctx = make_ctx(world.admin)
    tab = _tab(qtbot, ctx)
    panel = tab.enrol_panel
    type_text(qtbot, panel.url, "http://hub.wuzhong.example:8443")
    type_text(qtbot, panel.code, "K7QM-3XPA")
    panel.enrol_button.click()
    wait_idle(qtbot, ctx)
    assert "https://" in panel.error_text("服务器地址")
    assert "明文" in panel.error_text("服务器地址")
    assert panel.url.text() == "http://hub.wuzhong.example:8443"
    assert panel.code.text() == "K7QM-3XPA"
    assert not tab.enrolled and not world.s.sync.settings().enrolled
    # Editing the address clears its message.
    type_text(qtbot, panel.url, "x")
    assert panel.error_text("服务器地址") == ""


def test_a_certificate_file_that_is_missing_or_not_pem_is_refused(make_ctx, world: World, qtbot,  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path) -> None:
    ctx = make_ctx(world.admin)
    panel = _tab(qtbot, ctx).enrol_panel
    type_text(qtbot, panel.url, "https://hub.wuzhong.example")
    type_text(qtbot, panel.code, "K7QM-3XPA")
    type_text(qtbot, panel.certificate.edit, str(tmp_path / "none.pem"))
    panel.enrol_button.click()
    assert "找不到文件" in panel.error_text("证书文件")
    junk = tmp_path / "ca.pem"
    junk.write_text("这不是证书", encoding="utf-8")
    panel.certificate.edit.setText(str(junk))
    panel.enrol_button.click()
    assert "PEM" in panel.error_text("证书文件")
    assert ctx.ops.busy == 0  # refused before anything was sent


def test_the_status_bar_says_not_enrolled_and_no_round_runs_by_itself(make_ctx, world: World,  # type: ignore[no-untyped-def]
                                                                       qtbot) -> None:
    ctx = make_ctx(world.admin)
    window = _window(qtbot, ctx)
    assert "未登记" in window.sync_label.text()
    assert window.sync.automatic_interval == 0
    assert window.sync.run_now(manual=False) is None  # skipped, not refused


def test_everyone_reaches_the_sync_panel_administrators_in_settings(make_ctx, world: World,  # type: ignore[no-untyped-def]
                                                                     qtbot) -> None:
    ctx = make_ctx(world.clerk)
    window = _window(qtbot, ctx)
    assert "settings" not in [window.nav.item(i).data(Qt.ItemDataRole.UserRole)
                              for i in range(window.nav.count())]
    menu = window._sync_menu()  # what a click on the status bar's sync label offers
    assert [a.text() for a in menu.actions() if a.text()] == ["立即同步", "处理冲突…", "与区局同步…"]
    assert not menu.actions()[0].isEnabled()  # not enrolled
    menu.close()
    panel = window.show_sync()
    wait_idle(qtbot, ctx)
    [tab] = panel.findChildren(SyncTab)
    assert tab.controller is window.sync and not tab.enrolled
    assert not tab.enrol_panel.enrol_button.isEnabled() and not tab.enrol_panel.refusal.isHidden()
    assert window.show_sync() is panel  # one window, brought to the front

    admin_ctx = make_ctx(world.admin)
    admin_window = _window(qtbot, admin_ctx)
    page = admin_window.show_sync()
    assert admin_window.stack.currentWidget() is page
    assert page.tabs.currentWidget() is page.sync


def test_a_round_asked_for_by_hand_before_enrolment_says_why_not(make_ctx, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.admin)
    window = _window(qtbot, ctx)
    outcome = _round(qtbot, ctx, window.sync)
    assert isinstance(outcome.error, SyncError)
    assert "尚未登记" in outcome.message
    assert "同步失败" in window.statusBar().currentMessage()


def test_the_sync_column_stays_empty_until_enrolled(make_ctx, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    _register(world)
    ctx = make_ctx(world.desk)
    ledger = LedgerPage(ctx)
    qtbot.addWidget(ledger)
    wait_idle(qtbot, ctx)
    assert ledger.model.rowCount() == 1
    assert ledger.model.headerData(COLUMN_INDEX["sync"], Qt.Orientation.Horizontal) == "同步"
    assert ledger.model.index(0, COLUMN_INDEX["sync"]).data() is None


# -- with the district's hub -----------------------------------------------------------------------
@ON_HUB
def test_enrolling_then_a_round_now(make_ctx, world: World, qtbot, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    cid = _register(world)  # made before enrolment: it is queued then
    ctx = make_ctx(world.admin)
    tab = _tab(qtbot, ctx)
    panel = tab.enrol_panel
    type_text(qtbot, panel.url, hub.url)
    type_text(qtbot, panel.code, hub.enrol_code("WZCQ"))
    panel.enrol_button.click()
    qtbot.waitUntil(lambda: tab.enrolled, timeout=20000)
    wait_idle(qtbot, ctx)
    shown = tab.enrolled_panel
    assert shown.server.text() == hub.url
    assert shown.office.text() == "长桥分局（WZCQ）"
    assert shown.device.text() == world.s.sync.settings().device_id
    assert "待同步 0 项" not in shown.counts.text()
    assert world.s.sync.status().waiting > 0

    progress: list[tuple[str, int, int]] = []
    tab.controller.sig_progressed.connect(lambda *args: progress.append(args))
    shown.run_button.click()
    assert not shown.run_button.isEnabled() and shown.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not tab.controller.running, timeout=30000)
    wait_idle(qtbot, ctx)
    assert shown.run_button.isEnabled() and not shown.cancel_button.isVisible()
    assert any(what == "发送" for what, _, _ in progress)
    assert "发送" in shown.last_result.text() and shown.last_run.text()
    assert "待同步 0 项" in shown.counts.text()
    assert world.s.sync.states_by_id([cid]) == {cid: "synced"}
    assert hub.record("complaints", uuid_of(world, cid)) is not None


@ON_HUB
def test_refusals_are_listed_and_sent_again_once_the_district_fixed_them(  # type: ignore[no-untyped-def]
        make_ctx, world: World, qtbot, hub, shown: Messages) -> None:  # noqa: F811
    world.s.offices.add([OfficeSpec("WZCQ02", "新开的投诉站", "station", "WZCQ", "general")])
    office_id = {o.code: o.id for o in world.s.offices.all()}["WZCQ02"]
    world.s.users.create(world.admin, username="clerk2", display_name="新站办事员",
                         password=PASSWORD, office_id=office_id, roles={Role.CLERK})
    world.s.complaints.register(world.s.users.login("clerk2", PASSWORD), draft())
    ctx = make_ctx(world.admin)
    tab = _tab(qtbot, ctx)
    type_text(qtbot, tab.enrol_panel.url, hub.url)
    type_text(qtbot, tab.enrol_panel.code, hub.enrol_code("WZCQ"))
    tab.enrol_panel.enrol_button.click()
    qtbot.waitUntil(lambda: tab.enrolled, timeout=20000)
    wait_idle(qtbot, ctx)
    [warning] = shown.texts("warn")
    assert "新开的投诉站（WZCQ02）" in warning and "重新发送被拒绝的记录" in warning
    panel = tab.enrolled_panel
    assert not panel.retry_button.isEnabled() and not panel.refusals.isVisible()
    panel.run_button.click()
    qtbot.waitUntil(lambda: not tab.controller.running, timeout=30000)
    wait_idle(qtbot, ctx)
    assert panel.refusals.isVisible() and "被拒绝 1 项：" in panel.refusals.text()
    assert "WZCQ02" in panel.refusals.text() and panel.retry_button.isEnabled()
    hub.add_office("WZCQ02", "新开的投诉站", "station", "WZCQ", "general")
    with qtbot.waitSignal(tab.controller.sig_finished, timeout=30000):
        panel.retry_button.click()  # asks first (answered yes), then sends them in a round
    wait_idle(qtbot, ctx)
    assert any("重新发送" in title for kind, title, _ in shown.shown if kind == "confirm")
    assert world.s.sync.status().rejected == 0
    assert not panel.refusals.isVisible() and not panel.retry_button.isEnabled()


@ON_HUB
def test_a_wrong_code_is_shown_under_the_code(make_ctx, world: World, qtbot, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ctx = make_ctx(world.admin)
    tab = _tab(qtbot, ctx)
    panel = tab.enrol_panel
    type_text(qtbot, panel.url, hub.url)
    type_text(qtbot, panel.code, "ZZZZ-ZZZZ")
    panel.enrol_button.click()
    qtbot.waitUntil(lambda: panel.enrol_button.isEnabled(), timeout=20000)
    wait_idle(qtbot, ctx)
    assert panel.error_text("登记码")
    assert panel.code.text() == "ZZZZ-ZZZZ" and panel.url.text() == hub.url
    assert not tab.enrolled


@ON_HUB
def test_a_code_of_another_office_is_refused_with_both_names(make_ctx, world: World, qtbot, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ctx = make_ctx(world.admin)
    panel = _tab(qtbot, ctx).enrol_panel
    type_text(qtbot, panel.url, hub.url)
    type_text(qtbot, panel.code, hub.enrol_code("WZMD"))
    panel.enrol_button.click()
    qtbot.waitUntil(lambda: panel.enrol_button.isEnabled(), timeout=20000)
    assert "长桥分局" in panel.error_text("登记码") and "WZMD" in panel.error_text("登记码")


@ON_HUB
def test_the_interval_drives_the_window_timer(make_ctx, world: World, qtbot, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _enrol(world, hub)
    ctx = make_ctx(world.admin)
    window = _window(qtbot, ctx)
    window.sync.stop_automatic()
    window.sync.start_automatic()
    wait_idle(qtbot, ctx)
    assert window.sync.automatic_interval == 15 * 60_000  # the default
    page = window.show_page("settings")
    wait_idle(qtbot, ctx)
    options = page.sync.enrolled_panel
    options.interval.setValue(5)
    options.save_button.click()
    wait_idle(qtbot, ctx)
    assert world.s.sync.settings().interval_minutes == 5
    assert "每 5 分钟" in options.saved.text()
    assert window.sync.automatic_interval == 5 * 60_000
    options.interval.setValue(0)
    options.save_button.click()
    wait_idle(qtbot, ctx)
    assert window.sync.automatic_interval == 0
    assert "不自动同步" in options.interval.text()


@ON_HUB
def test_the_window_syncs_soon_after_it_opens(make_ctx, world: World, qtbot, hub,  # type: ignore[no-untyped-def]  # noqa: F811
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _enrol(world, hub)
    monkeypatch.setattr(SyncController, "FIRST_ROUND_DELAY_MS", 0)
    ctx = make_ctx(world.admin)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30000) as finished:
        window.show()
    wait_idle(qtbot, ctx)
    assert finished.args[0].error is None and not finished.args[0].manual
    assert "在线" in window.sync_label.text() and "待同步 0 项" in window.sync_label.text()


@ON_HUB
def test_dispatched_complaints_are_announced_and_open_in_the_ledger(make_ctx, world: World, qtbot,  # type: ignore[no-untyped-def]
                                                                  hub, shown: Messages) -> None:  # noqa: F811
    _enrol(world, hub)
    _register(world)  # one of its own, which the district part must not list
    sent = hub.dispatch(office="WZCQ", district_number="12315-2026-0042")
    ctx = make_ctx(world.desk)
    window = _window(qtbot, ctx)
    ledger = window.show_page("ledger")
    wait_idle(qtbot, ctx)
    assert ledger.model.rowCount() == 1
    outcome = _round(qtbot, ctx, window.sync, manual=False)
    assert outcome.report is not None and outcome.report.dispatched == [sent.number]
    [(kind, title, text)] = [m for m in shown.shown if m[0] == "notice"]
    assert title == "区局分流投诉" and f"收到区局分流投诉 1 件：{sent.number}" in text
    assert sent.number in window.statusBar().currentMessage()
    wait_idle(qtbot, ctx)
    assert ledger.model.rowCount() == 2  # the list started over with the new complaint
    window.show_page("workbench")
    shown.actions[0]()  # 在台账中查看
    wait_idle(qtbot, ctx)
    assert window.stack.currentWidget() is ledger
    assert ledger.source.currentData() is True
    assert [ledger.model.row_at(r).number for r in range(ledger.model.rowCount())] == [sent.number]


@ON_HUB
def test_online_then_offline_in_the_status_bar(make_ctx, world: World, qtbot, hub,  # type: ignore[no-untyped-def]  # noqa: F811
                                               free_tcp_port: int) -> None:
    _enrol(world, hub)
    ctx = make_ctx(world.admin)
    window = _window(qtbot, ctx)
    page = window.show_page("settings")
    wait_idle(qtbot, ctx)
    assert _round(qtbot, ctx, window.sync).error is None
    assert "在线" in window.sync_label.text()
    _cable_pulled(world, free_tcp_port)
    outcome = _round(qtbot, ctx, window.sync)
    assert isinstance(outcome.error, SyncError) and outcome.error.code == "network"
    assert "离线" in window.sync_label.text()
    assert "连接不上区局同步服务器" in page.sync.enrolled_panel.round_error.text()
    assert "连接不上" in window.statusBar().currentMessage()
    # Work goes on offline: a new complaint waits, and the status bar counts it.
    _register(world)
    window.sync.refresh_status()
    wait_idle(qtbot, ctx)
    assert "待同步 1 项" in window.sync_label.text()


@ON_HUB
def test_a_round_can_be_cancelled(make_ctx, world: World, qtbot, hub, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _register(world)
    _enrol(world, hub)
    ctx = make_ctx(world.admin)
    tab = _tab(qtbot, ctx)
    panel = tab.enrolled_panel
    # 取消 pressed as soon as the first batch has gone: the pull is skipped. The round waits
    # for the click after it reports the batch, as a slower round would.
    clicked = threading.Event()
    original = SyncService.run

    def run(service, *args, progress=None, **kwargs):  # type: ignore[no-untyped-def]
        def reported(*what):  # type: ignore[no-untyped-def]
            progress(*what)
            if what[0] == "发送":
                clicked.wait(10)
        return original(service, *args, progress=reported, **kwargs)

    monkeypatch.setattr(SyncService, "run", run)
    pulls = []
    monkeypatch.setattr(SyncService, "_pull", lambda *a, **k: pulls.append(1))

    def cancel(*_: object) -> None:
        panel.cancel_button.click()
        clicked.set()

    tab.controller.sig_progressed.connect(cancel)
    with qtbot.waitSignal(tab.controller.sig_finished, timeout=30000) as finished:
        panel.run_button.click()
    outcome = finished.args[0]
    assert outcome.cancelled and outcome.message.startswith("已取消：发送 1 项")
    assert pulls == []
    assert world.s.sync.status().last_result.startswith("已取消：")
    wait_idle(qtbot, ctx)


@ON_HUB
def test_sync_state_in_the_ledger_and_the_complaint_window(make_ctx, world: World, qtbot, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    cid = _register(world)
    _enrol(world, hub)
    ctx = make_ctx(world.desk)
    ledger = LedgerPage(ctx)
    qtbot.addWidget(ledger)
    complaint = ComplaintWindow(ctx, cid)
    qtbot.addWidget(complaint)
    wait_idle(qtbot, ctx)
    cell = lambda: ledger.model.index(0, COLUMN_INDEX["sync"]).data()  # noqa: E731
    assert cell() == "待同步"
    assert "与区局同步：" in complaint.status_line.text() and "待同步" in complaint.status_line.text()
    controller = SyncController(ctx, ledger)
    _round(qtbot, ctx, controller)
    controller.stop()
    assert cell() == "已同步"
    assert "已同步" in complaint.status_line.text()
    # A change here waits for the district again.
    def change() -> Changed:
        edit(world, world.desk, cid, subject="家用轿车（白色）")
        return Changed("complaint", (cid,))

    ctx.ops.mutate(change)
    wait_idle(qtbot, ctx)
    assert cell() == "待同步"


@ON_HUB
def test_the_complaint_window_says_why_the_district_refused_a_change(make_ctx, world: World,  # type: ignore[no-untyped-def]
                                                                     qtbot, hub) -> None:  # noqa: F811
    cid = _register(world)
    _enrol(world, hub)
    world.s.sync.run()
    with UnitOfWork(world.s.ctx.engine) as uow:  # a damaged or foreign program's change
        uow.session.get(Complaint, cid).status = "closed"
        uow.commit()
    assert world.s.sync.run().rejected == 1
    ctx = make_ctx(world.desk)
    complaint = ComplaintWindow(ctx, cid)
    qtbot.addWidget(complaint)
    wait_idle(qtbot, ctx)
    line = complaint.status_line.text()
    assert "被拒绝" in line and "原因：" in line
    assert "登记" in line.split("原因：")[1] and "办结" in line.split("原因：")[1]


@ON_HUB
def test_a_bundle_out_and_its_receipt_back(make_ctx, world: World, qtbot, hub, shown: Messages,  # type: ignore[no-untyped-def]  # noqa: F811
                                          tmp_path: Path) -> None:
    cid = _register(world)
    _enrol(world, hub)
    ctx = make_ctx(world.admin)
    tab = _tab(qtbot, ctx)
    panel = tab.enrolled_panel
    target = tmp_path / "usb" / "同步包"
    target.parent.mkdir()
    panel.export_bundle(str(target))
    wait_idle(qtbot, ctx)
    written = target.with_name("同步包.hejie")
    assert written.is_file()
    assert any("已导出" in text for text in shown.texts("info"))
    receipt, _ = hub.import_bundle(written.read_bytes())
    back = tmp_path / "usb" / "回执.hejie"
    back.write_bytes(receipt)
    panel.import_receipt(str(back))
    _settled(qtbot, ctx, tab.controller)
    assert "回执已导入" in shown.texts("info")[-1]
    assert world.s.sync.states_by_id([cid]) == {cid: "synced"}
    assert "待同步 0 项" in panel.counts.text()
    panel.import_receipt(str(back))
    wait_idle(qtbot, ctx)
    assert "已经导入过" in shown.texts("info")[-1]


def _conflict(world: World, hub, tmp_path: Path) -> tuple[int, World]:  # type: ignore[no-untyped-def]  # noqa: F811
    """The station registers a complaint; the sub-bureau (this window's database) receives it;
    both change its facts; the sub-bureau's push is the second: a conflict here."""
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    station_cid = station.s.complaints.register(station.clerk, draft()).ids[0]
    station.s.sync.run()
    _enrol(world, hub)
    world.s.sync.run()
    number = station.s.complaints.get(station.clerk, station_cid).number
    [row] = world.s.complaints.page(world.admin, ComplaintFilter(text=number)).rows
    cid = row.id
    edit(station, station.clerk, station_cid, facts="投诉站补充：消费者提供了三次维修单。")
    station.s.sync.run()
    edit(world, world.desk, cid, facts="分局核实：发动机故障已由厂家确认。")
    assert world.s.sync.run().conflicts == 1
    return cid, station


@ON_HUB
def test_the_conflicts_dialog_takes_the_district_value(make_ctx, world: World, qtbot, hub,  # type: ignore[no-untyped-def]  # noqa: F811
                                                       tmp_path: Path) -> None:
    cid, _ = _conflict(world, hub, tmp_path)
    ctx = make_ctx(world.admin)
    window = _window(qtbot, ctx)
    assert "冲突 1" in window.sync_label.text()
    dialog = window.open_sync_conflicts()
    wait_idle(qtbot, ctx)
    assert isinstance(dialog, SyncConflictsDialog)
    assert dialog.list.rowCount() == 1
    number = world.s.complaints.get(world.admin, cid).number
    assert dialog.list.item(0, 0).text() == number
    assert dialog.list.item(0, 1).text() == ENTITY["complaints"].label
    assert dialog.fields.rowCount() == 1
    assert dialog.fields.item(0, 0).text() == "投诉事实"
    assert "厂家确认" in dialog.fields.item(0, 1).text()  # 本单位的值
    assert "三次维修单" in dialog.fields.item(0, 2).text()  # 区局的值
    # Nothing chosen: the service says what is missing, the dialog stays.
    dialog.ok_button.click()
    wait_idle(qtbot, ctx)
    assert "请为每一项选择" in dialog.error_text() and "投诉事实" in dialog.error_text()
    dialog.choices["facts"].hub.click()
    dialog.ok_button.click()
    wait_idle(qtbot, ctx)
    assert dialog.list.rowCount() == 0 and not dialog.empty.isHidden()
    assert "三次维修单" in world.s.complaints.get(world.admin, cid).facts
    assert world.s.sync.conflicts(world.admin) == []
    qtbot.waitUntil(lambda: "冲突" not in window.sync_label.text(), timeout=5000)


@ON_HUB
def test_the_conflicts_dialog_keeps_the_office_value_for_the_next_round(  # type: ignore[no-untyped-def]
        make_ctx, world: World, qtbot, hub, tmp_path: Path) -> None:  # noqa: F811
    cid, _ = _conflict(world, hub, tmp_path)
    ctx = make_ctx(world.admin)
    tab = _tab(qtbot, ctx)
    panel = tab.enrolled_panel
    assert panel.conflicts_button.isEnabled()
    assert "冲突 1 项" in panel.counts.text()
    dialog = panel.open_conflicts()
    wait_idle(qtbot, ctx)
    assert isinstance(dialog, SyncConflictsDialog)
    dialog.choose_all("office")
    dialog.ok_button.click()
    _settled(qtbot, ctx, tab.controller)
    assert dialog.list.rowCount() == 0
    assert "厂家确认" in world.s.complaints.get(world.admin, cid).facts
    assert world.s.sync.states_by_id([cid]) == {cid: "waiting"}
    assert "冲突 0 项" in panel.counts.text()
    assert _round(qtbot, ctx, tab.controller).report.pushed == 1  # type: ignore[union-attr]
    assert world.s.sync.states_by_id([cid]) == {cid: "synced"}



# -- issue 14: held aside, the last failure, the clock, an outdated program -------------------------
def _faulty(world: World) -> Faults:
    faults = Faults()
    world.s.sync.client_factory = lambda url, token, ca: HubClient(
        url, token=token, ca_bundle=ca, transport=faults, retries=0, backoff=0)
    return faults


@ON_HUB
def test_the_panel_shows_records_held_aside_the_last_failure_and_a_clock_warning(  # type: ignore[no-untyped-def]
        make_ctx, world: World, qtbot, hub, free_tcp_port: int, tmp_path: Path) -> None:  # noqa: F811
    _enrol(world, hub)
    faults = _faulty(world)
    cid = _register(world)
    bad = {"entity": "complaints", "uuid": hub.new_uuid(), "version": 1, "seq": 1,
           "deleted": False, "owner": "WZCQ01", "people": {},
           "data": {"number": "WZCQ01-20261120-0901", "complainant_name": None,
                    "amount_cents": "abc", "office": "WZCQ01"}}
    faults.hooks["GET /pull"] = inject([bad])
    hub.clock.advance(-12 * 60)
    ctx = make_ctx(world.clerk)  # not an administrator: the panel is everyone's
    window = _window(qtbot, ctx)
    dialog = window.show_sync()  # a clerk's own 与区局同步 window
    wait_idle(qtbot, ctx)
    [tab] = dialog.findChildren(SyncTab)
    assert _round(qtbot, ctx, window.sync).error is None
    _settled(qtbot, ctx, window.sync)
    panel = tab.enrolled_panel
    assert panel.set_aside.isVisible() and "（1 项）" in panel.set_aside_title.text()
    assert "投诉 WZCQ01-20261120-0901（WZCQ01，" in panel.set_aside.text()
    assert "投诉人姓名不能为空；涉案金额应为整数" in panel.set_aside.text()
    assert "无法接收 1 项" in panel.counts.text() and "无法接收 1" in window.sync_label.text()
    clock = "本机时钟与区局平台相差约 12 分钟，请校准本机时间：登记时间以本机时钟为准"
    assert panel.clock.isVisible() and panel.clock.text() == clock
    assert panel.last_failure.text() == "无" and "发送 1 项" in panel.last_result.text()
    assert world.s.sync.states_by_id([cid]) == {cid: "synced"}

    _cable_pulled(world, free_tcp_port)
    world.clock.at += timedelta(minutes=3)
    outcome = _round(qtbot, ctx, window.sync)
    assert outcome.error is not None
    _settled(qtbot, ctx, window.sync)
    assert "同步失败：连接不上区局同步服务器" in panel.last_failure.text()
    assert "2026-11-20 10:03:00" in panel.last_failure.text()
    assert "发送 1 项" in panel.last_result.text()  # the last success stays beside it
    assert panel.last_run.text() == "2026-11-20 10:00:00"
    tip = window.sync_label.toolTip()
    assert "上次成功：2026-11-20 10:00:00" in tip and "上次失败：2026-11-20 10:03:00" in tip
    assert clock in tip and "无法接收的记录 1 项" in tip
    dialog.resize(940, 700)
    wait_idle(qtbot, ctx)
    assert dialog.grab().save(str(tmp_path / "sync-panel.png"))
    if shots := os.environ.get("HEJIE_SHOTS"):  # to look at it, in the program's font
        from PySide6.QtWidgets import QApplication

        from desktop.ui.app import register_fonts

        register_fonts(QApplication.instance())  # type: ignore[arg-type]
        dialog.setFont(QApplication.font())
        wait_idle(qtbot, ctx)
        dialog.grab().save(str(Path(shots) / "sync-panel-issue14.png"))


@ON_HUB
def test_a_program_the_hub_finds_too_old_is_told_plainly_and_rounds_back_off(  # type: ignore[no-untyped-def]
        make_ctx, world: World, qtbot, hub) -> None:  # noqa: F811
    _enrol(world, hub)
    faults = _faulty(world)

    def old_program(request, forward):  # type: ignore[no-untyped-def]
        body = json.loads(request.content) | {"protocol": OLDEST_PROTOCOL - 1}
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        return faults._forward(httpx.Request(request.method, request.url, headers=headers,  # noqa: SLF001
                                             json=body))

    faults.hooks["POST /sessions"] = old_program
    ctx = make_ctx(world.admin)
    window = _window(qtbot, ctx)
    window.sync.stop_automatic()
    window.sync.start_automatic()
    wait_idle(qtbot, ctx)
    assert window.sync.automatic_interval == 15 * 60_000
    page = window.show_page("settings")
    wait_idle(qtbot, ctx)
    outcome = _round(qtbot, ctx, window.sync)
    assert "须升级本程序" in outcome.message and "可照常登记和办理投诉" in outcome.message
    assert "连接不上" not in outcome.message
    _settled(qtbot, ctx, window.sync)
    assert window.sync.outdated and window.sync.automatic_interval == 60 * 60_000
    assert "在线" in window.sync_label.text() and "需升级程序" in window.sync_label.text()
    assert "须升级本程序" in page.sync.enrolled_panel.last_failure.text()
    del faults.hooks["POST /sessions"]  # the district's hub was the old one, and is updated
    assert _round(qtbot, ctx, window.sync).error is None
    assert not window.sync.outdated and window.sync.automatic_interval == 15 * 60_000
