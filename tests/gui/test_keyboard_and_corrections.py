"""Issue 23 items 3, 4 and 7 through the real widgets: Tab runs through the registration form
field by field and every keystroke lands; 投诉分类 has no default and is required by name; a
respondent typed in joins the 企业库 on save; Esc and Ctrl+W close a complaint window (asking
when an edit is unsaved); a mediation record is corrected end to end."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit

from desktop.domain.complaint import ComplaintFilter
from desktop.domain.complaint_fields import FORM_FIELDS
from desktop.domain.workflow import Intake
from desktop.ui.dialogs.mediation_dialog import MediationDialog
from desktop.ui.views.complaint_window import ComplaintWindow
from desktop.ui.views.registration import RegistrationPage
from tests.conftest import World, draft
from tests.gui.conftest import type_text, wait_idle

# What a clerk types into each one-line and multi-line field (Latin and digits key by key).
TYPED = {
    "district_number": "QJ2026-118",
    "complainant_name": "刘晓梅",
    "complainant_phone": "13962012345",
    "complainant_id_number": "320506198805123427",
    "complainant_address": "苏州市吴中区长桥街道新家桥路 18 号",
    "respondent_name": "苏州新开张酒店管理有限公司",
    "respondent_credit_code": "91320506MA1XY23450",
    "respondent_address": "苏州市吴中区宝带西路 1188 号",
    "subject": "客房预订",
    "brand_model": "豪华大床房",
    "amount": "899",
    "request": "要求退还预付房费",
    "facts": "预订后酒店以满房为由拒绝入住，也不退款。",
}


def _focused():  # type: ignore[no-untyped-def]
    return QApplication.focusWidget()


def _tab(qtbot) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)


def _active(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def test_tab_reaches_every_field_in_order_and_every_keystroke_lands(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    page = RegistrationPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 900)
    _active(qtbot, page)
    page.kind_buttons[Intake.COMPLAINT].setFocus()
    qtbot.waitUntil(lambda: _focused() is page.kind_buttons[Intake.COMPLAINT])
    page.received_at.setDateTime(QDateTime(datetime(2026, 11, 20, 9, 15)))
    reached = []
    for f in page.shown_fields():
        box = page.boxes[f.key]
        if f.editor == "date":
            _tab(qtbot)
            known = getattr(page, f"has_{f.key}")
            assert _focused() is known, f"Tab before {f.label} went to {_focused()!r}"
            QTest.keyClick(known, Qt.Key.Key_Space)
            assert known.isChecked()
            box.setDate(QDate(2026, 11, 1))  # the test's clock is 2026-11-20
        _tab(qtbot)
        assert _focused() is box, f"Tab to {f.label} went to {_focused()!r}"
        reached.append(f.key)
        if isinstance(box, QComboBox):
            QTest.keyClick(box, Qt.Key.Key_Down)  # the first real choice (or 是)
        elif isinstance(box, QLineEdit | QPlainTextEdit):
            type_text(qtbot, _focused(), TYPED[f.key])
    assert reached == [f.key for f in FORM_FIELDS if Intake.COMPLAINT in f.intakes]
    for key, text in TYPED.items():  # nothing went into a button
        box = page.boxes[key]
        got = box.toPlainText() if isinstance(box, QPlainTextEdit) else box.text()  # type: ignore[attr-defined]
        assert got == text, key
    assert page.category.currentData() and page.channel.currentData()
    # The new respondent is offered for the 企业库, ticked; saving adds it and links it.
    qtbot.waitUntil(lambda: not page._register_timer.isActive())
    wait_idle(qtbot, ctx)
    assert page.add_to_register.isVisible() and page.add_to_register.isChecked()
    QTest.keyClick(_focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    refused = {k: page.errors.message_of(k) for k in page.errors._fields if page.errors.message_of(k)}
    assert not refused, refused
    [row] = world.s.complaints.page(world.clerk, ComplaintFilter()).rows
    c = world.s.complaints.get(world.clerk, row.id)
    assert (c.facts, c.request, c.respondent_credit_code) == (
        TYPED["facts"], TYPED["request"], TYPED["respondent_credit_code"])
    [enterprise] = world.s.enterprises.search(world.clerk, TYPED["respondent_name"])
    assert c.enterprise_id == enterprise.id and enterprise.credit_code == TYPED["respondent_credit_code"]
    assert any("已加入企业库" in text for text in shown.texts("info"))
    _settle(qtbot, page)


def test_the_enterprise_button_is_no_tab_stop_but_has_its_shortcut(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = RegistrationPage(make_ctx(world.clerk))
    qtbot.addWidget(page)
    _active(qtbot, page)
    page.respondent_name.setFocus()
    qtbot.waitUntil(lambda: _focused() is page.respondent_name)
    _tab(qtbot)
    assert _focused() is page.respondent_credit_code
    assert page.add_enterprise.focusPolicy() == Qt.FocusPolicy.ClickFocus
    assert "Ctrl+E" in page.add_enterprise.text()


def test_category_has_no_default_and_saving_without_it_names_the_field(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    page = RegistrationPage(ctx)
    qtbot.addWidget(page)
    page.show()
    for f in FORM_FIELDS:  # every required choice of the catalogue starts unchosen
        if f.editor == "code" and f.required:
            box = page.boxes[f.key]
            assert isinstance(box, QComboBox)
            assert box.currentData() == "" and box.currentText() == "（请选择）", f.label
    page.channel.setCurrentIndex(page.channel.findData("hotline12315"))
    for key in ("complainant_name", "complainant_phone", "complainant_address", "respondent_name",
                "respondent_address", "subject", "request", "facts"):
        box = page.boxes[key]
        (box.setPlainText if isinstance(box, QPlainTextEdit) else box.setText)(TYPED[key])  # type: ignore[attr-defined]
    page.add_to_register.setChecked(False)
    page.save()
    qtbot.waitUntil(lambda: bool(page.errors.message_of("投诉分类")))
    wait_idle(qtbot, ctx)
    assert page.errors.message_of("投诉分类") == "请选择投诉分类"
    assert world.s.complaints.count(world.clerk, ComplaintFilter()) == 0
    page.category.setCurrentIndex(page.category.findData("hotel") if page.category.findData("hotel") > 0 else 1)
    assert page.errors.message_of("投诉分类") == ""  # cleared as it is chosen
    _settle(qtbot, page)


def _settle(qtbot, page: RegistrationPage) -> None:  # type: ignore[no-untyped-def]
    """Let the checks the typing started run before the test's services close."""
    qtbot.waitUntil(lambda: not page._duplicate_timer.isActive()
                    and not page._register_timer.isActive())
    wait_idle(qtbot, page.ctx)


def _complaint_with_record(world: World) -> tuple[int, int]:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=s.complaints.get(clerk, cid).version)
    rid = s.records.add_mediation_record(clerk, cid, held_at=datetime(2026, 11, 19, 15, 0),
                                         means="on_site", participants="张伟、店长李强",
                                         content="双方当面协商", result="同意换车").ids[0]
    return cid, rid


def _window(qtbot, ctx, cid: int) -> ComplaintWindow:  # type: ignore[no-untyped-def]
    window = ComplaintWindow(ctx, cid)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.sig_loaded, timeout=10000):
        _active(qtbot, window)
    wait_idle(qtbot, ctx)
    return window


def test_esc_and_ctrl_w_close_a_complaint_window_asking_when_an_edit_is_unsaved(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    cid, _ = _complaint_with_record(world)
    window = _window(qtbot, ctx, cid)
    window.tabs.setFocus()
    QTest.keyClick(window.tabs, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not shown.texts("confirm")  # nothing to lose: no question

    window = _window(qtbot, ctx, cid)
    window.tabs.setFocus()
    QTest.keyClick(window.tabs, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())

    window = _window(qtbot, ctx, cid)
    form = window.edit()
    assert isinstance(form, RegistrationPage) and not form.changed
    form.subject.setText("家用轿车（白色）")
    assert form.changed
    shown.answer = False  # 不关闭
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.tabs.setFocus()
    QTest.keyClick(window.tabs, Qt.Key.Key_Escape)
    assert window.isVisible() and any("尚未保存" in t for t in shown.texts("confirm"))
    shown.answer = True
    QTest.keyClick(window.tabs, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_a_mediation_record_is_corrected_through_the_window(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    cid, rid = _complaint_with_record(world)
    window = _window(qtbot, ctx, cid)
    window.tabs.setCurrentIndex(1)
    window.records_table.selectRow(0)
    window.correct_record_button.click()
    [dialog] = window.findChildren(MediationDialog)
    assert dialog.correcting and dialog.reason.isVisibleTo(dialog)
    assert not dialog.result.isReadOnly()
    # The stored texts are shown from their start (a long one was shown by its tail).
    assert all(line.cursorPosition() == 0 for line in (dialog.place, dialog.participants, dialog.result))
    dialog.result.setText("同意退款")
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    save.click()  # no reason: refused under the field, nothing saved
    qtbot.waitUntil(lambda: bool(dialog.errors.message_of("更正理由")))
    wait_idle(qtbot, ctx)
    assert len(world.s.records.mediation_records(world.clerk, cid)) == 1
    type_text(qtbot, dialog.reason, "调解结果记错")
    with qtbot.waitSignal(window.sig_loaded, timeout=10000):
        save.click()
    wait_idle(qtbot, ctx)
    old, new = world.s.records.mediation_records(world.clerk, cid)
    assert old.id == rid and old.corrected and new.replaces_id == rid and new.result == "同意退款"
    table = window.records_table
    assert table.rowCount() == 2
    assert table.item(0, 5).text() == "已更正：调解结果记错"
    assert table.item(0, 4).font().strikeOut()
    assert "更正后的记录" in table.item(1, 5).text()
    history = window.history_table
    texts = [history.item(r, 3).text() for r in range(history.rowCount())]
    reasons = [history.item(r, 4).text() for r in range(history.rowCount())]
    assert any("原记录已更正" in t for t in texts) and "调解结果记错" in reasons
    # 处理经过's rows are as tall as their wrapped text.
    history.setColumnWidth(3, 120)
    QApplication.processEvents()
    long_row = max(range(history.rowCount()), key=lambda r: len(history.item(r, 3).text()))
    assert history.rowHeight(long_row) > history.fontMetrics().lineSpacing() * 2
    # A corrected record cannot be corrected again from the window.
    window.correct_record(0)
    assert any("已经更正过" in t for t in shown.texts("info"))
