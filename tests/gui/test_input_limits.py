"""Issue 14, item 7 in the window: one-line fields stop at the wire contract's length while the
clerk types, long texts are refused by the service with the limit under the field, and a record
stored before the rules is shown whole rather than cut silently."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDateTime

from desktop.db.models import Enterprise
from desktop.domain.complaint import LABELS, ComplaintFilter
from desktop.domain.contract import FACTS_LEN, text_limit
from desktop.domain.workflow import Action
from desktop.services.lengths import column_length
from desktop.ui.dialogs.action_dialog import PAUSE, ActionDialog
from desktop.ui.dialogs.disclosure_dialogs import CorrectionDialog
from desktop.ui.dialogs.enterprise_dialog import EnterpriseDialog
from desktop.ui.dialogs.mediation_dialog import MediationDialog
from desktop.ui.views.registration import RegistrationPage
from tests.conftest import World, draft
from tests.gui.conftest import type_text, wait_idle


def _fill(qtbot, page: RegistrationPage) -> None:  # type: ignore[no-untyped-def]
    page.received_at.setDateTime(QDateTime(datetime(2026, 11, 20, 9, 15)))
    page.channel.setCurrentIndex(page.channel.findData("hotline12315"))
    page.category.setCurrentIndex(page.category.findData("appliance"))
    type_text(qtbot, page.complainant_name, "刘晓梅")
    type_text(qtbot, page.complainant_phone, "13962012345")
    type_text(qtbot, page.complainant_address, "苏州市吴中区长桥街道新家桥路 18 号")
    type_text(qtbot, page.respondent_name, "苏州美家家电有限公司")
    type_text(qtbot, page.respondent_address, "苏州市吴中区宝带西路 1188 号")
    type_text(qtbot, page.subject, "空调")
    type_text(qtbot, page.request, "要求更换同型号空调")


def _settle(qtbot, page: RegistrationPage) -> None:  # type: ignore[no-untyped-def]
    """Let the duplicate check the typing started run before the test's services close."""
    qtbot.waitUntil(lambda: not page._duplicate_timer.isActive())
    wait_idle(qtbot, page.ctx)


def test_one_line_fields_stop_at_the_contracts_length(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = RegistrationPage(make_ctx(world.clerk))
    qtbot.addWidget(page)
    for name in ("complainant_name", "complainant_address", "respondent_name", "respondent_address",
                 "subject", "brand_model", "request", "district_number", "complainant_phone"):
        assert getattr(page, name).maxLength() == text_limit("complaints", name), name
    type_text(qtbot, page.complainant_name, "张" * 70)
    assert page.complainant_name.text() == "张" * 60
    qtbot.keyClicks(page.brand_model, "X" * 150)
    assert len(page.brand_model.text()) == 100


def test_over_long_facts_are_refused_under_the_field_and_kept(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    page = RegistrationPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    _fill(qtbot, page)
    facts = "十月购买的空调安装后不制冷，维修两次仍不好。" * 300
    page.facts.setPlainText(facts[: FACTS_LEN + 200])
    page.save_button.click()
    qtbot.waitUntil(lambda: bool(page.errors.message_of(LABELS["facts"])))
    wait_idle(qtbot, ctx)
    assert page.errors.message_of(LABELS["facts"]) == "不能超过 5000 个字（现有 5200 个）"
    assert len(page.facts.toPlainText()) == FACTS_LEN + 200  # nothing typed is lost
    assert world.s.complaints.count(world.clerk, ComplaintFilter()) == 0
    # Shortened to the limit, it is saved.
    page.facts.setPlainText(facts[:FACTS_LEN])
    assert page.errors.message_of(LABELS["facts"]) == ""
    with qtbot.waitSignal(page.sig_registered, timeout=10000):
        page.save_button.click()
    assert world.s.complaints.count(world.clerk, ComplaintFilter()) == 1
    _settle(qtbot, page)


def test_dates_do_not_go_back_before_1990_but_an_old_record_shows_its_own(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from desktop.db.models import Complaint
    from desktop.db.uow import UnitOfWork

    ctx = make_ctx(world.clerk)
    page = RegistrationPage(ctx)
    qtbot.addWidget(page)
    page.received_at.setDateTime(QDateTime(datetime(1899, 12, 31, 9, 0)))
    page.purchase_date.setDate(date(1850, 1, 1))
    assert page.received_at.date().toPython() == page.purchase_date.date().toPython() == date(1990, 1, 1)

    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    with UnitOfWork(world.s.ctx.engine) as uow:  # a typo stored before the rule
        uow.session.execute(update(Complaint).where(Complaint.id == cid)
                            .values(received_at=datetime(1899, 11, 19, 9, 30)))
        uow.commit()
    editing = RegistrationPage(ctx, editing=world.s.complaints.get(world.clerk, cid))
    qtbot.addWidget(editing)
    editing.show()
    assert editing.received_at.dateTime().toPython() == datetime(1899, 11, 19, 9, 30)
    editing.save_button.click()
    qtbot.waitUntil(lambda: bool(editing.errors.message_of(LABELS["received_at"])))
    assert editing.errors.message_of(LABELS["received_at"]).startswith(
        "不能早于 1990-01-01：填写的是 1899-11-19")
    _settle(qtbot, editing)


def test_an_old_over_long_record_is_shown_whole_and_refused_not_cut(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from desktop.db.models import Complaint
    from desktop.db.uow import UnitOfWork

    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    stored = "苏州东吴汽车销售服务有限公司长桥分公司" * 12
    assert len(stored) == 228  # over the contract's 200
    with UnitOfWork(world.s.ctx.engine) as uow:  # as a record from before the rules holds it
        uow.session.execute(update(Complaint).where(Complaint.id == cid).values(respondent_name=stored))
        uow.commit()
    ctx = make_ctx(world.clerk)
    page = RegistrationPage(ctx, editing=world.s.complaints.get(world.clerk, cid))
    qtbot.addWidget(page)
    page.show()
    assert page.respondent_name.text() == stored
    page.save_button.click()
    qtbot.waitUntil(lambda: bool(page.errors.message_of(LABELS["respondent_name"])))
    assert page.errors.message_of(LABELS["respondent_name"]) == "不能超过 200 个字（现有 228 个）"
    assert world.s.complaints.get(world.clerk, cid).respondent_name == stored
    _settle(qtbot, page)


def test_dialogs_stop_at_the_contracts_length(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    world.s.complaints.accept(world.clerk, cid, expected_version=1)
    detail = world.s.complaints.get(world.clerk, cid)

    mediation = MediationDialog(ctx, cid, detail.number)
    qtbot.addWidget(mediation)
    assert mediation.place.maxLength() == text_limit("mediation_records", "place") == 200
    assert mediation.participants.maxLength() == text_limit("mediation_records", "participants")
    assert mediation.result.maxLength() == text_limit("mediation_records", "result")
    # Mediation content is a long text: the service's message shows under it.
    mediation.held_at.setDateTime(QDateTime(datetime(2026, 11, 20, 9, 0)))
    type_text(qtbot, mediation.participants, "张伟、李经理")
    mediation.content.setPlainText("谈" * (FACTS_LEN + 1))
    mediation.buttons.button(mediation.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: bool(mediation.errors.message_of("调解内容")))
    assert mediation.errors.message_of("调解内容") == "不能超过 5000 个字（现有 5001 个）"
    assert world.s.records.mediation_records(world.clerk, cid) == []
    # The held time does not go back before the contract's first day.
    mediation.held_at.setDateTime(QDateTime(datetime(1899, 6, 1, 9, 0)))
    assert mediation.held_at.date().toPython() == date(1990, 1, 1)

    accept = ActionDialog(ctx, world.s.complaints.get(
        world.clerk, world.s.complaints.register(world.clerk, draft()).ids[0]), Action.ACCEPT)
    qtbot.addWidget(accept)
    accept.fields["on"].setDate(date(2026, 11, 1))  # before the complaint was received
    assert accept.fields["on"].date().toPython() == date(2026, 11, 19)
    wait_idle(qtbot, ctx)

    transfer = ActionDialog(ctx, detail, Action.TRANSFER)
    qtbot.addWidget(transfer)
    assert transfer.fields["target"].maxLength() == text_limit("complaints", "transferred_to")
    pause = ActionDialog(ctx, detail, PAUSE)
    qtbot.addWidget(pause)
    type_text(qtbot, pause.fields["reason"], "送" * 1100)
    assert len(pause.fields["reason"].text()) == text_limit("clock_pauses", "reason") == 1000
    wait_idle(qtbot, ctx)

    correction = CorrectionDialog("WZCQ01-20261120-0001", "家用轿车：已换车。")
    qtbot.addWidget(correction)
    assert correction.requester.maxLength() == text_limit("disclosure_requests", "requester")
    assert correction.address.maxLength() == text_limit("disclosure_requests", "requester_address")

    enterprise = EnterpriseDialog(ctx)
    qtbot.addWidget(enterprise)
    for name in ("name", "address", "industry", "phone"):
        assert getattr(enterprise, name).maxLength() == column_length(Enterprise, name), name
