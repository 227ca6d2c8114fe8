"""After the update to the 2026 mediation limit: the workbench tells each user once which
deadlines moved earlier (overdue first), tells an administrator once about new shipped values
of a rule set the office had edited, and the rule-set screen lets the administrator decide."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from desktop.domain.deadlines import DayUnit
from desktop.ui.views.settings import SettingsPage
from desktop.ui.views.workbench import WorkbenchPage
from tests.conftest import World
from tests.gui.conftest import wait_idle
from tests.integration.test_rule_set_update import _as_before_the_update, _due, _mediating, _restart


def _workbench(make_ctx, qtbot, user) -> WorkbenchPage:  # type: ignore[no-untyped-def]
    ctx = make_ctx(user)
    page = WorkbenchPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    return page


def _rows(page: WorkbenchPage) -> list[list[str]]:
    table = page.deadline_notice.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_workbench_tells_each_user_once_which_deadlines_moved_earlier(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    _as_before_the_update(world)
    soon = _mediating(world, date(2026, 10, 20), date(2026, 10, 21))
    late = _mediating(world, date(2026, 9, 16), date(2026, 9, 18))
    _restart(world)  # the first start of the updated program

    page = _workbench(make_ctx, qtbot, world.clerk)
    panel = page.deadline_notice
    assert panel.isVisible()
    assert "2 件" in panel.title.text() and "1 件按新期限已超期" in panel.title.text()
    assert "程序更新时按新规定更新了时限规则《市场监督管理投诉举报处理办法》" in panel.reason.text()
    rows = _rows(page)
    number = {cid: world.s.complaints.get(world.clerk, cid).number for cid in (late, soon)}
    # The overdue one first, whatever order the complaints were made in.
    assert [r[0] for r in rows] == [number[late], number[soon]]
    assert rows[0][2:] == ["调解中", "2026-11-26", "2026-11-17", "已超期"]
    assert rows[1][2:] == ["调解中", "2026-12-23", "2026-12-21", ""]
    assert page.count("overdue") == 1

    opened: list[int] = []
    page.sig_open_complaint.connect(opened.append)
    table = panel.table
    centre = table.visualRect(table.model().index(0, 0)).center()
    # A real double-click starts with a press and release; QTest's DClick alone does not.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened == [late]

    qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page.ctx)
    assert not panel.isVisible()
    # Once: the clerk's next workbench has no notice; a colleague who has not seen it still does.
    assert not _workbench(make_ctx, qtbot, world.clerk).deadline_notice.isVisible()
    assert _workbench(make_ctx, qtbot, world.desk).deadline_notice.isVisible()
    assert not _workbench(make_ctx, qtbot, world.other_clerk).deadline_notice.isVisible()


def test_an_administrator_is_told_once_and_decides_on_the_rule_set_screen(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    _as_before_the_update(world, mediation_days=50)
    cid = _mediating(world, date(2026, 9, 16), date(2026, 9, 18))
    _restart(world)
    assert _due(world, cid) == date(2026, 12, 3)  # the office's 50 working days stay

    assert not _workbench(make_ctx, qtbot, world.clerk).offer_notice.isVisible()
    page = _workbench(make_ctx, qtbot, world.admin)
    assert page.offer_notice.isVisible() and "设置 → 办理时限" in page.offer_notice.text.text()
    assert not page.deadline_notice.isVisible()  # nothing moved yet
    qtbot.mouseClick(page.offer_notice.dismiss_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page.ctx)
    assert not _workbench(make_ctx, qtbot, world.admin).offer_notice.isVisible()

    ctx = make_ctx(world.admin)
    settings = SettingsPage(ctx)
    qtbot.addWidget(settings)
    settings.show()
    settings.tabs.setCurrentWidget(settings.rules)
    wait_idle(qtbot, ctx)
    offer = settings.rules.offer
    assert offer.isVisible() and "samr-2026" in offer.title.text()
    compared = {offer.table.item(r, 0).text(): (offer.table.item(r, 1).text(), offer.table.item(r, 2).text())
                for r in range(offer.table.rowCount())}
    assert compared["调解期限"] == ("50 个工作日", "60 日（自然日）")
    assert compared["数值待确认"] == ("是", "否")
    assert "受理期限" not in compared  # only what differs

    qtbot.mouseClick(offer.adopt_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert not offer.isVisible()
    assert "采用新规定" in settings.rules.status.text()
    rules = next(r for r in world.s.reference.rule_sets() if r.code == "samr-2026")
    assert (rules.mediation_days, rules.mediation_unit) == (60, DayUnit.CALENDAR)
    assert _due(world, cid) == date(2026, 11, 17)
    # The adoption moved a deadline earlier: the clerk is told on the workbench.
    clerk_page = _workbench(make_ctx, qtbot, world.clerk)
    assert clerk_page.deadline_notice.isVisible() and "采用了新规定" in clerk_page.deadline_notice.reason.text()


def test_keeping_the_offices_values_on_the_rule_set_screen(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    _as_before_the_update(world, mediation_days=50)
    cid = _mediating(world, date(2026, 9, 16), date(2026, 9, 18))
    _restart(world)
    ctx = make_ctx(world.admin)
    settings = SettingsPage(ctx)
    qtbot.addWidget(settings)
    settings.show()
    settings.tabs.setCurrentWidget(settings.rules)
    wait_idle(qtbot, ctx)
    qtbot.mouseClick(settings.rules.offer.keep_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert not settings.rules.offer.isVisible() and "已保留" in settings.rules.status.text()
    assert next(r for r in world.s.reference.rule_sets() if r.code == "samr-2026").mediation_days == 50
    assert _due(world, cid) == date(2026, 12, 3)
    assert not _workbench(make_ctx, qtbot, world.admin).offer_notice.isVisible()
