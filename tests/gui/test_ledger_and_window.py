"""The ledger's filters and search, the workbench, and the main window's navigation and lock."""

from __future__ import annotations

from datetime import datetime, timedelta

from desktop.domain.workflow import Status
from desktop.ui.main_window import MainWindow
from desktop.ui.views.ledger import OPEN, LedgerPage
from desktop.ui.views.workbench import WorkbenchPage
from tests.conftest import World, draft
from tests.gui.conftest import type_text, wait_idle


def _seed(world: World) -> dict[str, int]:
    """A few complaints at two stations of two sub-bureaus, in different states."""
    ids = {}
    at = datetime(2026, 11, 10, 9, 0)
    ids["aircon"] = world.s.complaints.register(world.clerk, draft(
        received_at=at, subject="空调", facts="空调不制冷要求退款", category_code="appliance",
        complainant_phone="13900000001")).ids[0]
    ids["car"] = world.s.complaints.register(world.clerk, draft(
        received_at=at + timedelta(days=1), channel_code="hotline12315",
        complainant_phone="13900000002")).ids[0]
    ids["other"] = world.s.complaints.register(world.other_clerk, draft(
        received_at=at + timedelta(days=2), subject="沙发", facts="沙发开裂要求退款",
        category_code="decoration", complainant_phone="13900000003")).ids[0]
    v = world.s.complaints.get(world.clerk, ids["car"]).version
    world.s.complaints.accept(world.clerk, ids["car"], expected_version=v)
    return ids


def _ids(page: LedgerPage) -> set[int]:
    return {page.model.row_at(i).id for i in range(page.model.rowCount())}


def _ledger(world: World, make_ctx, qtbot, user) -> LedgerPage:  # type: ignore[no-untyped-def]
    ctx = make_ctx(user)
    page = LedgerPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    return page


def test_filters_and_search_narrow_the_list(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(world)
    page = _ledger(world, make_ctx, qtbot, world.dept_head)
    assert _ids(page) == set(ids.values())
    assert "共 3 件" in page.total.text()

    type_text(qtbot, page.search, "不制冷")
    qtbot.waitUntil(lambda: _ids(page) == {ids["aircon"]}, timeout=5000)
    page.search.clear()
    type_text(qtbot, page.search, "退款 沙发")  # every word must match
    qtbot.waitUntil(lambda: _ids(page) == {ids["other"]}, timeout=5000)
    wait_idle(qtbot, page.ctx)
    assert "共 1 件" in page.total.text()

    page.clear_filters()
    wait_idle(qtbot, page.ctx)
    assert len(_ids(page)) == 3
    page.status.setCurrentIndex(page.status.findData(Status.ACCEPTED.value))
    wait_idle(qtbot, page.ctx)
    assert _ids(page) == {ids["car"]}
    page.status.setCurrentIndex(page.status.findData(OPEN))
    page.channel.setCurrentIndex(page.channel.findData("hotline12315"))
    wait_idle(qtbot, page.ctx)
    assert _ids(page) == {ids["car"]}
    page.clear_filters()
    page.category.setCurrentIndex(page.category.findData("decoration"))
    wait_idle(qtbot, page.ctx)
    assert _ids(page) == {ids["other"]}
    page.clear_filters()
    page.office.setCurrentIndex(page.office.findData(world.office_ids["WZCQ01"]))
    wait_idle(qtbot, page.ctx)
    assert _ids(page) == {ids["aircon"], ids["car"]}
    page.clear_filters()
    page.source.setCurrentIndex(page.source.findData(True))  # district dispatched: none here
    wait_idle(qtbot, page.ctx)
    assert _ids(page) == set()
    page.clear_filters()
    page.date_from.setDate(datetime(2026, 11, 11).date())
    page.date_to.setDate(datetime(2026, 11, 12).date())
    page.use_dates.setChecked(True)
    wait_idle(qtbot, page.ctx)
    assert _ids(page) == {ids["car"], ids["other"]}
    page.clear_filters()
    page.overdue.setChecked(True)  # registered on 11-10, acceptance due within 7 working days
    wait_idle(qtbot, page.ctx)
    assert ids["car"] not in _ids(page)


def test_a_station_clerk_sees_only_their_station_in_the_window(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(world)
    page = _ledger(world, make_ctx, qtbot, world.other_clerk)
    assert _ids(page) == {ids["other"]}
    offices = {page.office.itemData(i) for i in range(page.office.count())}
    assert world.office_ids["WZCQ01"] not in offices
    type_text(qtbot, page.search, "空调")
    page.apply()
    wait_idle(qtbot, page.ctx)
    assert _ids(page) == set()


def test_workbench_counts_and_lists_open_the_complaint(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(world)
    ctx = make_ctx(world.clerk)
    page = WorkbenchPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    assert page.count("mine") == 2
    assert page.count("overdue") == world.s.complaints.count(world.clerk, world.s.complaints.overdue_filter())
    assert {page.model.row_at(i).id for i in range(page.model.rowCount())} == {ids["aircon"], ids["car"]}
    with qtbot.waitSignal(page.sig_open_complaint) as opened:
        page.table.sig_open_complaint.emit(page.model.row_at(0).id)
    assert opened.args[0] in (ids["aircon"], ids["car"])
    # A registration elsewhere in the program refreshes the counts.
    ctx.ops.mutate(lambda: world.s.complaints.register(world.clerk, draft(complainant_phone="13900000009")))
    qtbot.waitUntil(lambda: page.count("mine") == 3, timeout=5000)


def test_main_window_shows_who_where_and_opens_by_number(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(world)
    ctx = make_ctx(world.clerk)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, ctx)
    assert "clerk" in window.who.text() and "万达广场投诉站" in window.where.text()
    assert str(world.s.database) in window.database.text()
    pages = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert pages == ["工作台", "投诉台账", "投诉登记", "企业库", "公示", "统计"]  # no 设置 for a clerk
    number = world.s.complaints.get(world.clerk, ids["aircon"]).number
    type_text(qtbot, window.find_box, number.lower())
    window.find_number()
    qtbot.waitUntil(lambda: ids["aircon"] in window._complaints, timeout=5000)
    # Another office's number is refused with a message, not opened.
    other = world.s.complaints.get(world.other_clerk, ids["other"]).number
    window.find_box.setText(other)
    window.find_number()
    wait_idle(qtbot, ctx)
    assert ids["other"] not in window._complaints
    assert shown.texts("warn")
    for key in ("ledger", "register", "enterprises"):
        assert window.show_page(key) is window.stack.currentWidget()


def test_the_administrator_has_settings_and_lock_asks_for_the_password(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.dialogs.login import LoginDialog

    ctx = make_ctx(world.admin)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.nav.item(window.nav.count() - 1).text() == "设置"
    window.lock()
    assert not window.isVisible()
    dialog = window._lock_dialog
    assert isinstance(dialog, LoginDialog) and dialog.username.isReadOnly()
    type_text(qtbot, dialog.password, "wrong-password")
    dialog.submit()
    wait_idle(qtbot, ctx)
    assert not window.isVisible() and "密码" in dialog.message.text()
    type_text(qtbot, dialog.password, "test1234")
    dialog.submit()
    qtbot.waitUntil(window.isVisible, timeout=5000)


def test_ledger_exports_to_excel_with_the_filters_in_force(world: World, make_ctx, qtbot,  # type: ignore[no-untyped-def]
                                                            tmp_path) -> None:
    import pandas as pd

    from desktop.exports.ledger.xlsx import HEADER_ROW
    from desktop.services.ledger_export import DISPATCHED_SHEET, SELF_SHEET

    ids = _seed(world)
    world.s.complaints.register(world.desk, draft(channel_code="district", complainant_name="赵敏",
                                                  received_at=datetime(2026, 11, 12, 9, 0)))
    page = _ledger(world, make_ctx, qtbot, world.desk)
    page.channel.setCurrentIndex(page.channel.findData("hotline12315"))
    wait_idle(qtbot, page.ctx)
    assert _ids(page) == {ids["car"]}
    target = tmp_path / "台账.xlsx"
    with qtbot.wait_signal(page.sig_exported, timeout=10000):
        page.export_to(target)
    sheets = pd.read_excel(target, sheet_name=None, header=HEADER_ROW - 1)
    assert len(sheets[DISPATCHED_SHEET]) == 0
    own = sheets[SELF_SHEET]
    assert own["来源"].tolist() == ["12315 热线"]
    assert own["投诉人"].tolist() == ["张伟"]  # desk staff handle complaints: in full
    assert "已导出 台账.xlsx" in page.total.text()

    # A selection of rows, whatever the filters: one of each part.
    page.clear_filters()
    wait_idle(qtbot, page.ctx)
    page.table.selectAll()
    chosen = tmp_path / "所选.xlsx"
    with qtbot.wait_signal(page.sig_exported, timeout=10000):
        page.export_to(chosen, selection=True)
    sheets = pd.read_excel(chosen, sheet_name=None, header=HEADER_ROW - 1)
    assert sheets[DISPATCHED_SHEET]["投诉人"].tolist() == ["赵敏"]
    assert len(sheets[SELF_SHEET]) == 2  # the desk sees its sub-bureau: not 木渎's station
