"""A whole complaint through the real widgets: typed in, accepted, mediated twice, settled, closed."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt

from desktop.domain.complaint import LABELS, ComplaintFilter
from desktop.domain.workflow import Action, Status, allowed_actions
from desktop.ui.dialogs.action_dialog import PAUSE, ActionDialog
from desktop.ui.views.complaint_window import ComplaintWindow
from desktop.ui.views.registration import RegistrationPage
from tests.conftest import World
from tests.gui.conftest import type_text, wait_idle


def _type(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, widget, text)


def _fill_form(qtbot, page: RegistrationPage) -> None:  # type: ignore[no-untyped-def]
    page.channel.setCurrentIndex(page.channel.findData("hotline12315"))
    page.received_at.setDateTime(QDateTime(datetime(2026, 11, 20, 9, 15)))
    _type(qtbot, page.complainant_name, "刘晓梅")
    _type(qtbot, page.complainant_phone, "13962012345")
    _type(qtbot, page.complainant_address, "苏州市吴中区长桥街道新家桥路 18 号")
    _type(qtbot, page.respondent_name, "苏州美家家电有限公司")
    _type(qtbot, page.respondent_address, "苏州市吴中区宝带西路 1188 号")
    _type(qtbot, page.subject, "空调")
    page.category.setCurrentIndex(page.category.findData("appliance"))
    _type(qtbot, page.amount, "3299")
    _type(qtbot, page.request, "要求更换同型号空调")
    _type(qtbot, page.facts, "十月购买的空调安装后不制冷，维修两次仍不好。")


def _window(qtbot, ctx, complaint_id: int) -> ComplaintWindow:  # type: ignore[no-untyped-def]
    window = ComplaintWindow(ctx, complaint_id)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)
    return window


def _act(qtbot, window: ComplaintWindow, action, fill=None) -> None:  # type: ignore[no-untyped-def]
    window.action_buttons[action].click()
    dialog = window.findChildren(ActionDialog)[-1]
    wait_idle(qtbot, window.ctx)
    if fill:
        fill(dialog)
    with qtbot.waitSignal(window.sig_loaded, timeout=10000):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_complaint_from_the_form_to_closing(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    page = RegistrationPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)  # shortcuts go to the active window
    _fill_form(qtbot, page)
    assert page.dirty
    with qtbot.waitSignal(page.sig_registered, timeout=10000) as registered:
        qtbot.keyClick(page.facts, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    changed = registered.args[0]
    assert changed.number.startswith("WZCQ01-20261120-")
    assert not page.dirty  # the form is ready for the next call
    assert any(changed.number in text for text in shown.texts("info"))
    cid = changed.ids[0]
    stored = world.s.complaints.get(world.clerk, cid)
    assert stored.complainant_name == "刘晓梅" and stored.amount == 3299
    assert stored.status is Status.REGISTERED

    window = _window(qtbot, ctx, cid)
    assert set(window.action_buttons) == set(allowed_actions(Status.REGISTERED, world.clerk.roles))

    def odr_off(dialog: ActionDialog) -> None:
        qtbot.waitUntil(lambda: "调解期限" in dialog.preview.text())
    _act(qtbot, window, Action.ACCEPT, odr_off)
    assert window.detail.status is Status.ACCEPTED
    preview_due = world.s.complaints.get(world.clerk, cid).due_on
    assert preview_due is not None and str(preview_due) in window.status_line.text()

    for n, text in enumerate(("双方陈述，经营者同意上门检测", "检测为压缩机故障，经营者同意更换"), start=1):
        dialog = window.add_record()
        dialog.held_at.setDateTime(QDateTime(datetime(2026, 11, 20, 9, 30 + n)))
        _type(qtbot, dialog.participants, "投诉人刘某、经营者代表陈某、调解员")
        _type(qtbot, dialog.content, text)
        with qtbot.waitSignal(window.sig_loaded, timeout=10000):
            dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        assert window.records_table.rowCount() == n
    assert window.detail.status is Status.MEDIATING

    def settle(dialog: ActionDialog) -> None:
        _type(qtbot, dialog.fields["terms"], "经营者于十一月二十五日前更换同型号新空调")
        _type(qtbot, dialog.fields["recovered"], "3299")
    _act(qtbot, window, Action.SETTLE, settle)
    assert window.detail.status is Status.SETTLED

    def close(dialog: ActionDialog) -> None:
        dialog.fields["at_fault"].setCurrentIndex(dialog.fields["at_fault"].findData(True))
        pass
    _act(qtbot, window, Action.CLOSE, close)
    final = world.s.complaints.get(world.clerk, cid)
    assert final.status is Status.CLOSED and final.result == "settled"
    assert final.recovered == 3299 and final.at_fault is True
    assert window.action_buttons == {}  # a clerk cannot reopen
    assert window.history_table.rowCount() >= 6


def test_a_refused_save_keeps_what_was_typed_and_says_what_is_wrong(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    page = RegistrationPage(ctx)
    qtbot.addWidget(page)
    page.show()
    _fill_form(qtbot, page)
    page.complainant_phone.clear()
    _type(qtbot, page.complainant_phone, "12345")
    page.complainant_address.clear()
    page.save_button.click()
    qtbot.waitUntil(lambda: bool(page.errors.message_of(LABELS["complainant_phone"])))
    wait_idle(qtbot, ctx)
    assert "电话" in page.errors.message_of(LABELS["complainant_phone"]) or page.errors.message_of(LABELS["complainant_phone"])
    assert page.errors.message_of(LABELS["complainant_address"]) == "不能为空"
    assert page.complainant_name.text() == "刘晓梅"
    assert page.facts.toPlainText().startswith("十月购买")
    assert world.s.complaints.count(world.clerk, ComplaintFilter()) == 0
    # Correcting the field clears its message, and the save goes through.
    _type(qtbot, page.complainant_address, "苏州市吴中区")
    assert page.errors.message_of(LABELS["complainant_address"]) == ""
    page.complainant_phone.clear()
    _type(qtbot, page.complainant_phone, "13962012345")
    with qtbot.waitSignal(page.sig_registered, timeout=10000):
        page.save_button.click()
    assert world.s.complaints.count(world.clerk, ComplaintFilter()) == 1


def test_duplicate_warning_names_the_open_complaint(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import draft

    first = world.s.complaints.register(world.clerk, draft(complainant_phone="13962012345",
                                                           respondent_name="苏州美家家电有限公司"))
    ctx = make_ctx(world.clerk)
    page = RegistrationPage(ctx)
    qtbot.addWidget(page)
    page.show()
    _fill_form(qtbot, page)
    qtbot.waitUntil(lambda: page.duplicate_box.isVisible(), timeout=5000)
    assert first.number in page.duplicate_box.text()
    shown.answer = False  # the clerk decides it is the same matter
    page.save_button.click()
    assert any(first.number in t for t in shown.texts("confirm"))
    wait_idle(qtbot, ctx)
    assert world.s.complaints.count(world.clerk, ComplaintFilter()) == 1


def test_action_buttons_are_the_allowed_transitions_for_each_role(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import draft

    cid = world.s.complaints.register(world.desk, draft()).ids[0]
    desk_window = _window(qtbot, make_ctx(world.desk), cid)
    assert set(desk_window.action_buttons) == set(allowed_actions(Status.REGISTERED, world.desk.roles))
    v = world.s.complaints.get(world.desk, cid).version
    world.s.complaints.accept(world.desk, cid, expected_version=v)
    desk_window.reload()
    wait_idle(qtbot, desk_window.ctx)
    expected = set(allowed_actions(Status.ACCEPTED, world.desk.roles)) | {PAUSE}
    assert set(desk_window.action_buttons) == expected
    assert Action.OPEN_CASE in desk_window.action_buttons  # 诉转案 is the sub-bureau's

    # A department head reads the complaint but has no step to take on an open one.
    head_window = _window(qtbot, make_ctx(world.dept_head), cid)
    assert head_window.action_buttons == {}
    assert head_window.detail.personal_info_masked is False or head_window.detail.complainant_phone


def test_correcting_an_accepted_complaint_needs_a_reason_that_history_keeps(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import draft

    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    world.s.complaints.accept(world.clerk, cid, expected_version=world.s.complaints.get(world.clerk, cid).version)
    ctx = make_ctx(world.clerk)
    window = _window(qtbot, ctx, cid)
    form = window.edit()
    assert form.complainant_name.text() == "张伟" and form.facts.toPlainText().startswith("新车")
    form.subject.clear()
    type_text(qtbot, form.subject, "家用轿车（白色）")
    form.save()
    qtbot.waitUntil(lambda: bool(form.errors.message_of("修改理由")), timeout=5000)
    assert world.s.complaints.get(world.clerk, cid).subject == "家用轿车"
    type_text(qtbot, form.reason, "投诉人来电补充车辆颜色")
    with qtbot.waitSignal(window.sig_loaded, timeout=10000):
        form.save()
    assert world.s.complaints.get(world.clerk, cid).subject == "家用轿车（白色）"
    reasons = [window.history_table.item(r, 4).text() for r in range(window.history_table.rowCount())]
    assert "投诉人来电补充车辆颜色" in reasons
