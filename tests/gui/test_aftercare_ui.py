"""回访 and 送达 through the real widgets: the dialogs, the complaint's 送达与回访 tab, the
workbench's 待回访 card and the 回访 settings tab."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, QDateTime

from desktop.domain.workflow import Result
from desktop.ui.views.complaint_aftercare import AftercarePanel
from desktop.ui.views.complaint_window import ComplaintWindow
from desktop.ui.views.settings.follow_up import FollowUpTab
from desktop.ui.views.workbench import WorkbenchPage
from tests.conftest import NOW, World, draft
from tests.gui.conftest import type_text, wait_idle


def _closed(world: World, on: date, **fields: object) -> int:
    s, clerk = world.s, world.clerk
    world.clock.at = datetime.combine(on, time(10))
    cid = s.complaints.register(clerk, draft(received_at=datetime.combine(on, time(9)),
                                             **fields)).ids[0]
    version = lambda: s.complaints.get(clerk, cid).version  # noqa: E731
    s.complaints.accept(clerk, cid, expected_version=version())
    s.complaints.settle(clerk, cid, terms="退款 3299 元", expected_version=version())
    s.complaints.close(clerk, cid, result=Result.SETTLED, expected_version=version())
    world.clock.at = NOW
    return cid


def _save(qtbot, panel: AftercarePanel, dialog) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(panel.sig_loaded, timeout=10000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.result() == dialog.DialogCode.Accepted


def _texts(table, row: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_a_follow_up_recorded_in_the_dialog_shows_in_the_tab_and_leaves_the_workbench(  # type: ignore[no-untyped-def]
        world: World, make_ctx, qtbot) -> None:
    late = _closed(world, date(2026, 11, 10))  # due Nov 17: overdue on Nov 20
    cid = _closed(world, date(2026, 11, 18), complainant_name="刘晓梅",
                  complainant_phone="13962012345")
    ctx = make_ctx(world.clerk)
    workbench = WorkbenchPage(ctx)
    qtbot.addWidget(workbench)
    wait_idle(qtbot, ctx)
    assert workbench.count("follow_up") == 2
    assert "超期 1" in workbench.cards["follow_up"].text()
    workbench.cards["follow_up"].click()
    assert workbench.lists.currentWidget() is workbench.follow_ups
    assert workbench.print_button.isHidden()
    listed = workbench.follow_ups
    assert [listed.item(r, 0).text() for r in range(listed.rowCount())] == [
        world.s.complaints.get(world.clerk, late).number,
        world.s.complaints.get(world.clerk, cid).number]
    assert _texts(listed, 1)[3:7] == ["刘**", "调解成功", "2026-11-18", "2026-11-25"]
    assert _texts(listed, 0)[7] == "已超期"
    with qtbot.waitSignal(workbench.sig_open_complaint) as opened:
        listed.open_row(1)
    assert opened.args == [cid]

    panel = AftercarePanel(ctx, cid)
    qtbot.addWidget(panel)
    wait_idle(qtbot, ctx)
    assert panel.follow_up_button.isEnabled()
    assert "待回访：请于 2026-11-25 前回访" in panel.follow_up_line.text()
    dialog = panel.record_follow_up()
    assert dialog is not None and dialog.callee.text() == "刘晓梅"
    dialog.called_at.setDateTime(QDateTime(datetime(2026, 11, 20, 9, 15)))
    # Reached, but no satisfaction chosen: refused under its field, nothing typed is lost.
    type_text(qtbot, dialog.note, "投诉人表示已收到退款")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.errors.message_of("满意度") != "")
    assert "须选择满意度" in dialog.errors.message_of("满意度") and dialog.isVisible()
    dialog.satisfaction.setCurrentIndex(dialog.satisfaction.findData("basic"))
    _save(qtbot, panel, dialog)
    assert _texts(panel.follow_ups_table, 0) == [
        "2026-11-20 09:15", world.clerk.display_name, "刘晓梅", "电话", "是", "基本满意",
        "投诉人表示已收到退款"]
    assert "已回访，满意度：基本满意" in panel.follow_up_line.text()
    wait_idle(qtbot, ctx)
    assert workbench.count("follow_up") == 1  # only the overdue one is left
    assert world.s.complaints.get(world.clerk, cid).satisfaction == "basic"

    # An unreached call: no satisfaction to give, and the item still waits.
    dialog = panel.record_follow_up()
    dialog.called_at.setDateTime(QDateTime(datetime(2026, 11, 20, 9, 30)))
    dialog.reached_no.setChecked(True)
    assert not dialog.satisfaction.isEnabled()
    _save(qtbot, panel, dialog)
    assert panel.follow_ups_table.rowCount() == 2
    assert _texts(panel.follow_ups_table, 1)[4:6] == ["否", ""]

    # The complaint window carries the tab; its 投诉信息 shows the satisfaction in words.
    window = ComplaintWindow(ctx, cid)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs[-1] == "送达与回访" and window.aftercare.follow_ups_table.rowCount() == 2
    form = window.record_form
    shown = {form.itemAt(r, form.ItemRole.LabelRole).widget().text():
             form.itemAt(r, form.ItemRole.FieldRole).widget().text() for r in range(form.rowCount())}
    assert shown["满意度："] == "基本满意"


def test_a_delivery_recorded_in_the_dialog_shows_with_its_limit(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]  # received Nov 19: acceptance by Nov 30
    s.complaints.accept(clerk, cid, expected_version=s.complaints.get(clerk, cid).version)
    ctx = make_ctx(clerk)
    panel = AftercarePanel(ctx, cid)
    qtbot.addWidget(panel)
    wait_idle(qtbot, ctx)
    assert not panel.follow_up_button.isEnabled()  # not closed yet
    assert _texts(panel.notices_table, 0) == ["受理决定", "2026-11-30", "未送达",
                                              "未送达，应于 2026-11-30 前送达"]
    dialog = panel.record_delivery()
    assert dialog is not None
    assert [dialog.notice.itemText(i) for i in range(dialog.notice.count())] == ["受理决定"]
    assert dialog.recipient.text() == "张伟"
    dialog.means.setCurrentIndex(dialog.means.findData("sms"))
    dialog.delivered_at.setDateTime(QDateTime(datetime(2026, 11, 20, 9, 40)))
    type_text(qtbot, dialog.note, "短信告知已受理")
    _save(qtbot, panel, dialog)
    assert _texts(panel.notices_table, 0) == ["受理决定", "2026-11-30",
                                              "2026-11-20 09:40 短信送达 张伟", "按期送达"]
    assert _texts(panel.deliveries_table, 0) == ["2026-11-20 09:40", "受理决定", "短信", "张伟",
                                                 "按期", "短信告知已受理"]
    [delivery] = s.aftercare.deliveries(clerk, cid)
    assert (delivery.means, delivery.recorded_by_id) == ("sms", clerk.id)
    # A time before the decision is refused under its field.
    dialog = panel.record_delivery()
    dialog.delivered_at.setDateTime(QDateTime(datetime(2026, 11, 19, 15, 0)))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.errors.message_of("送达时间") != "")
    assert "不能早于受理日期 2026-11-20" in dialog.errors.message_of("送达时间")


def test_the_settings_tab_changes_which_items_wait(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    _closed(world, date(2026, 3, 16))  # before the 2026 rules: not listed by default
    ctx = make_ctx(world.admin)
    tab = FollowUpTab(ctx)
    qtbot.addWidget(tab)
    wait_idle(qtbot, ctx)
    assert (tab.scope.currentData(), tab.days.value()) == ("accepted", 5)
    assert tab.since.date() == QDate(2026, 4, 15)
    assert world.s.aftercare.waiting_follow_ups(world.admin).total == 0
    tab.since.setDate(QDate(2026, 1, 1))
    tab.days.setValue(10)
    tab.save_button.click()
    wait_idle(qtbot, ctx)
    assert "已保存" in tab.saved.text()
    rule = world.s.aftercare.follow_up_rule(world.clerk)
    assert (rule.since, rule.days) == (date(2026, 1, 1), 10)
    assert world.s.aftercare.waiting_follow_ups(world.admin).total == 1
