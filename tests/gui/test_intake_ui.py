"""投诉 / 举报 / 咨询 through the real widgets: the registration form's kind choice, the ledger's
类型 column and filter, and the complaint window's 投诉信息 tab."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDateTime, QPoint, Qt
from PySide6.QtWidgets import QLabel

from desktop.domain.complaint_fields import Group
from desktop.domain.workflow import Intake, Status
from desktop.ui.models.complaint_table import COLUMN_INDEX
from desktop.ui.views.complaint_window import ComplaintWindow
from desktop.ui.views.ledger import LedgerPage
from desktop.ui.views.registration import RegistrationPage
from tests.conftest import World, draft
from tests.gui.conftest import type_text, wait_idle

RECEIVED = datetime(2026, 11, 20, 9, 15)


def _page(qtbot, ctx) -> RegistrationPage:  # type: ignore[no-untyped-def]
    page = RegistrationPage(ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def _choose(qtbot, page: RegistrationPage, intake: Intake) -> None:  # type: ignore[no-untyped-def]
    """Click the kind as a clerk does (a disabled button ignores the click)."""
    button = page.kind_buttons[intake]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def _common(qtbot, page: RegistrationPage, facts: str) -> None:  # type: ignore[no-untyped-def]
    page.channel.setCurrentIndex(page.channel.findData("hotline12315"))
    page.received_at.setDateTime(QDateTime(RECEIVED))
    type_text(qtbot, page.respondent_name, "苏州美家家电有限公司")
    type_text(qtbot, page.subject, "空调")
    page.category.setCurrentIndex(page.category.findData("appliance"))
    type_text(qtbot, page.facts, facts)


def _save(qtbot, page: RegistrationPage):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.sig_registered, timeout=10000) as registered:
        page.save_button.click()
    return registered.args[0]


def _ledger(qtbot, ctx) -> LedgerPage:  # type: ignore[no-untyped-def]
    page = LedgerPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    return page


def _cell(page: LedgerPage, complaint_id: int, key: str) -> str:
    row = page.model.row_of_id(complaint_id)
    assert row is not None, complaint_id
    return page.model.data(page.model.index(row, COLUMN_INDEX[key]))


def _ids(page: LedgerPage) -> set[int]:
    return {page.model.row_at(i).id for i in range(page.model.rowCount())}


def _record(window: ComplaintWindow) -> dict[str, str]:
    form = window.record_form
    rows = {}
    for i in range(form.rowCount()):
        label = form.itemAt(i, form.ItemRole.LabelRole).widget()
        value = form.itemAt(i, form.ItemRole.FieldRole).widget()
        assert isinstance(label, QLabel) and isinstance(value, QLabel)
        rows[label.text().rstrip("：")] = value.text()
    return rows


def test_an_anonymous_report_from_the_form_is_in_the_ledger_with_its_check_deadline(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.desk)  # 长桥分局's desk: a sub-bureau registers 举报
    page = _page(qtbot, ctx)
    assert page.intake is Intake.COMPLAINT and page.kind_buttons[Intake.COMPLAINT].isChecked()
    _choose(qtbot, page, Intake.REPORT)
    assert page.intake is Intake.REPORT and page.title.text() == "举报登记"
    # The report's words and what it asks: the reporter may stay anonymous, nothing to consent to.
    assert page.captions["complainant_name"].text() == "举报人姓名"  # not required: no " *"
    assert page.captions["complainant_phone"].text() == "举报人电话"
    assert page.captions["respondent_name"].text() == "被举报方名称 *"
    assert page.group_boxes[Group.RESPONDENT].title() == "被举报方"
    assert page.group_boxes[Group.COMPLAINANT].title() == "举报人"
    assert not page.holders["reporter_real_name"].isHidden()
    assert page.holders["consent_disclosure"].isHidden() and page.holders["answer"].isHidden()
    page.reporter_real_name.setCurrentIndex(page.reporter_real_name.findText("匿名"))
    _common(qtbot, page, "该店销售无中文标签的进口空调。")
    changed = _save(qtbot, page)
    assert any(f"已登记举报，单号 {changed.number}" in t for t in shown.texts("info"))
    stored = world.s.complaints.get(world.desk, changed.ids[0])
    assert stored.kind == "report" and stored.reporter_real_name is False
    assert stored.complainant_name == "" and stored.complainant_phone == ""

    ledger = _ledger(qtbot, make_ctx(world.desk))
    cid = changed.ids[0]
    qtbot.waitUntil(lambda: cid in _ids(ledger), timeout=5000)
    assert _cell(ledger, cid, "kind") == "举报"  # the label, not the code
    due = world.s.ctx.reference.calendar().add_working_days(RECEIVED.date(), 15).day
    assert due > date(2026, 12, 5)  # 15 working days, not 15 days
    assert _cell(ledger, cid, "due_on") == due.isoformat()


def test_a_consultation_is_registered_answered_and_listed_without_a_deadline(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)  # a station may log a 咨询
    page = _page(qtbot, ctx)
    assert page.holders["answer"].isHidden()
    _choose(qtbot, page, Intake.CONSULTATION)
    assert page.intake is Intake.CONSULTATION
    assert not page.holders["answer"].isHidden() and page.captions["answer"].text() == "解答内容 *"
    assert page.captions["complainant_name"].text() == "咨询人姓名"
    assert page.holders["complainant_address"].isHidden()
    assert page.holders["complainant_id_type"].isHidden()
    type_text(qtbot, page.complainant_name, "王芳")
    _common(qtbot, page, "空调移机是否收费？")
    type_text(qtbot, page.answer, "按购买合同约定，可凭发票联系售后。")
    changed = _save(qtbot, page)
    assert any(changed.number in t and "已解答" in t for t in shown.texts("info"))
    stored = world.s.complaints.get(world.clerk, changed.ids[0])
    assert stored.kind == "consultation" and stored.status is Status.ANSWERED
    assert stored.answer == "按购买合同约定，可凭发票联系售后。" and stored.due_on is None

    ledger = _ledger(qtbot, make_ctx(world.clerk))
    cid = changed.ids[0]
    qtbot.waitUntil(lambda: cid in _ids(ledger), timeout=5000)
    assert _cell(ledger, cid, "kind") == "咨询"
    assert _cell(ledger, cid, "status") == "已解答"
    assert _cell(ledger, cid, "due_on") == ""

    window = ComplaintWindow(ctx, cid)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)
    assert window.windowTitle().startswith("咨询 ")
    record = _record(window)
    assert record["类型"] == "咨询"
    assert record["解答内容"] == "按购买合同约定，可凭发票联系售后。"
    assert record["咨询人姓名"] == "王芳"
    assert "投诉人姓名" not in record


def test_a_station_clerk_cannot_choose_a_report(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, make_ctx(world.clerk))
    report = page.kind_buttons[Intake.REPORT]
    assert not report.isEnabled() and "举报" in report.toolTip()
    _choose(qtbot, page, Intake.REPORT)
    assert page.intake is Intake.COMPLAINT and page.draft().kind == "complaint"
    # A sub-bureau's desk may.
    desk = _page(qtbot, make_ctx(world.desk))
    assert desk.kind_buttons[Intake.REPORT].isEnabled()


def test_the_consent_answers_are_saved_and_shown_in_the_window(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    page = _page(qtbot, ctx)
    for name in ("consent_disclosure", "consent_delegation"):
        box = page.boxes[name]
        assert [box.itemText(i) for i in range(box.count())] == ["（未询问）", "是", "否"]
        assert box.currentData() is None  # unasked until the clerk asks
    assert page.holders["reporter_real_name"].isHidden()
    type_text(qtbot, page.complainant_name, "刘晓梅")
    type_text(qtbot, page.complainant_phone, "13962012345")
    type_text(qtbot, page.complainant_address, "苏州市吴中区长桥街道新家桥路 18 号")
    page.complainant_id_type.setCurrentIndex(page.complainant_id_type.findData("passport"))
    page.consent_disclosure.setCurrentIndex(page.consent_disclosure.findText("否"))
    page.consent_delegation.setCurrentIndex(page.consent_delegation.findText("是"))
    type_text(qtbot, page.respondent_address, "苏州市吴中区宝带西路 1188 号")
    type_text(qtbot, page.request, "要求更换")
    _common(qtbot, page, "空调安装后不制冷。")
    changed = _save(qtbot, page)
    stored = world.s.complaints.get(world.clerk, changed.ids[0])
    assert stored.kind == "complaint"
    assert stored.consent_disclosure is False and stored.consent_delegation is True

    window = ComplaintWindow(ctx, changed.ids[0])
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)
    record = _record(window)
    assert record["是否同意公示投诉信息"] == "否"
    assert record["是否同意委托调解"] == "是"
    assert record["类型"] == "投诉" and "解答内容" not in record
    assert record["证件类型"] == "护照"  # the code table's label, not the code


def test_the_ledger_kind_filter_narrows_the_list_and_search_finds_all_three(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    at = datetime(2026, 11, 18, 9, 0)
    ids = {
        "complaint": world.s.complaints.register(world.desk, draft(
            received_at=at, facts="美家空调不制冷")).ids[0],
        "report": world.s.complaints.register(world.desk, draft(
            kind="report", received_at=at, complainant_name="", complainant_phone="",
            complainant_address="", request="", facts="美家空调无中文标签")).ids[0],
        "consultation": world.s.complaints.register(world.desk, draft(
            kind="consultation", received_at=at, facts="美家空调移机收费吗", answer="可协商")).ids[0],
    }
    ledger = _ledger(qtbot, make_ctx(world.desk))
    assert [ledger.kind.itemText(i) for i in range(ledger.kind.count())] == ["全部", "投诉", "举报", "咨询"]
    assert set(ids.values()) <= _ids(ledger)
    for name, cid in ids.items():
        ledger.kind.setCurrentIndex(ledger.kind.findData(name))
        wait_idle(qtbot, ledger.ctx)
        assert _ids(ledger) == {cid}, name
        assert ledger.total.text().startswith("共 1 件")
    ledger.kind.setCurrentIndex(0)
    type_text(qtbot, ledger.search, "美家空调")
    ledger.apply()
    wait_idle(qtbot, ledger.ctx)
    assert _ids(ledger) == set(ids.values())
    ledger.kind.setCurrentIndex(ledger.kind.findData("report"))
    wait_idle(qtbot, ledger.ctx)
    assert _ids(ledger) == {ids["report"]}
    ledger.clear_filters()
    wait_idle(qtbot, ledger.ctx)
    assert ledger.kind.currentData() is None and set(ids.values()) <= _ids(ledger)
