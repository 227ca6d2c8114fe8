"""The 2026 rules' steps through the real widgets: 限期提供身份证明, the grounds of the complaint's
own rule set, 委托调解, a 举报's 立案 / 并案 / 延长核查, 消费者身份核查, the rule-set screen."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt

from desktop.domain.workflow import Action, Status
from desktop.ui.dialogs.action_dialog import ActionDialog
from desktop.ui.dialogs.consumer_status import NOT_DECIDING, ConsumerStatusDialog
from desktop.ui.dialogs.step_dialogs import ExtendCheckDialog
from desktop.ui.views.complaint_window import CONSUMER, EXTEND, NOTICE, RECUSAL, ComplaintWindow
from tests.conftest import World, draft
from tests.gui.conftest import type_text, wait_idle


def _window(qtbot, ctx, complaint_id: int) -> ComplaintWindow:  # type: ignore[no-untyped-def]
    window = ComplaintWindow(ctx, complaint_id)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)
    return window


def _open(qtbot, window: ComplaintWindow, action) -> ActionDialog:  # type: ignore[no-untyped-def]
    window.action_buttons[action].click()
    dialog = window.findChildren(ActionDialog)[-1]
    wait_idle(qtbot, window.ctx)
    return dialog


def _ok(qtbot, window: ComplaintWindow, dialog) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.sig_loaded, timeout=10000):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.result() == dialog.DialogCode.Accepted


def _act(qtbot, window: ComplaintWindow, action, fill=None) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, window, action)
    if fill:
        fill(dialog)
    _ok(qtbot, window, dialog)


def _grounds(dialog: ActionDialog) -> list[tuple[str, str]]:
    box = dialog.fields["ground"]
    return [(box.item(i).data(Qt.ItemDataRole.UserRole), box.item(i).text()) for i in range(box.count())]


def _report(world: World, **overrides) -> int:  # type: ignore[no-untyped-def]
    return world.s.complaints.register(world.desk, draft(kind="report", **overrides)).ids[0]


def test_proof_of_identity_is_asked_for_by_a_date_and_received(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    ctx = make_ctx(clerk)
    window = _window(qtbot, ctx, cid)
    assert Action.REQUEST_ID_PROOF in window.action_buttons and Action.ANSWER not in window.action_buttons

    dialog = _open(qtbot, window, Action.REQUEST_ID_PROOF)
    today = world.clock.today()
    assert dialog.fields["due"].date().toPython() == today + timedelta(days=7)
    dialog.fields["due"].setDate(QDate(2026, 11, 30))
    assert "2026-11-30" in dialog.preview.text()
    type_text(qtbot, dialog.fields["note"], "请携带身份证原件")
    _ok(qtbot, window, dialog)
    stored = s.complaints.get(clerk, cid)
    assert stored.status is Status.ID_PENDING and stored.due_on == date(2026, 11, 30)
    assert "待补身份证明" in window.status_line.text() and "2026-11-30" in window.status_line.text()
    assert set(window.action_buttons) == {Action.REJECT, Action.ID_PROOF_RECEIVED}

    _act(qtbot, window, Action.ID_PROOF_RECEIVED)
    back = s.complaints.get(clerk, cid)
    assert back.status is Status.REGISTERED and back.id_proof_received_on == today
    # The acceptance decision's 7 working days run again from the day the proof arrived.
    assert back.due_on == s.reference.due_date(today, 7).day
    assert "登记" in window.status_line.text() and str(back.due_on) in window.status_line.text()


def test_the_grounds_offered_are_those_of_the_complaints_own_rule_set(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    s, clerk = world.s, world.clerk
    sets = {r.code: r for r in s.reference.rule_sets()}
    new = s.complaints.register(clerk, draft()).ids[0]
    old = s.complaints.register(clerk, draft(received_at=datetime(2026, 3, 2, 9, 0),
                                             complainant_phone="13900001111")).ids[0]
    ctx = make_ctx(clerk)

    window = _window(qtbot, ctx, new)
    dialog = _open(qtbot, window, Action.REJECT)
    offered = _grounds(dialog)
    assert [code for code, _ in offered] == [c for c, _ in sets["samr-2026"].rejection_grounds]
    assert len(offered) == 7
    assert all(wording in text for (_, text), (_, wording) in zip(offered, sets["samr-2026"].rejection_grounds, strict=True))
    assert any("冒用他人名义投诉，或者拒绝配合核实身份" in text for _, text in offered)
    assert dialog.fields["ground"].wordWrap()  # the full wording is read, not elided
    dialog.fields["ground"].setCurrentRow([c for c, _ in offered].index("identity"))
    _ok(qtbot, window, dialog)
    stored = s.complaints.get(clerk, new)
    assert stored.status is Status.REJECTED and stored.rejection_ground == "identity"

    window = _window(qtbot, ctx, old)
    dialog = _open(qtbot, window, Action.REJECT)
    offered = _grounds(dialog)
    assert len(offered) == 6
    assert [code for code, _ in offered] == [c for c, _ in sets["samr-2020"].rejection_grounds]
    assert all(wording in text for (_, text), (_, wording) in zip(offered, sets["samr-2020"].rejection_grounds, strict=True))
    assert not any("冒用他人名义" in text for _, text in offered)
    dialog.reject()


def test_delegated_mediation_then_settled(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    ctx = make_ctx(clerk)
    window = _window(qtbot, ctx, cid)
    assert {NOTICE, RECUSAL} <= set(window.step_buttons)

    def delegate(dialog: ActionDialog) -> None:
        to = dialog.fields["to"]
        assert to.isEditable() and to.findText("区消费者权益保护委员会") >= 0
        type_text(qtbot, to.lineEdit(), "吴中区消费者权益保护委员会")
        type_text(qtbot, dialog.fields["note"], "投诉人同意委托调解")
    _act(qtbot, window, Action.DELEGATE, delegate)
    stored = s.complaints.get(clerk, cid)
    assert stored.status is Status.DELEGATED and stored.delegated_to == "吴中区消费者权益保护委员会"
    assert "委托调解中" in window.status_line.text()
    assert {Action.SETTLE, Action.TERMINATE} <= set(window.action_buttons)

    def settle(dialog: ActionDialog) -> None:
        type_text(qtbot, dialog.fields["terms"], "经营者退款五千元")
    _act(qtbot, window, Action.SETTLE, settle)
    done = s.complaints.get(clerk, cid)
    assert done.status is Status.SETTLED and done.delegation_returned_on == world.clock.today()


def test_closing_no_longer_asks_for_satisfaction(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    s.complaints.settle(clerk, cid, terms="退款", expected_version=2)
    window = _window(qtbot, make_ctx(clerk), cid)
    dialog = _open(qtbot, window, Action.CLOSE)
    assert "satisfaction" not in dialog.fields
    _ok(qtbot, window, dialog)
    assert s.complaints.get(clerk, cid).status is Status.CLOSED


def test_a_report_is_filed_and_a_repeat_with_new_facts_merged(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    s, desk = world.s, world.desk
    earlier = _report(world, received_at=datetime(2026, 11, 10, 9, 0))
    repeat = _report(world, facts="同一 4S 店又以翻新车冒充新车出售，另有购车合同为证。")
    other = _report(world, respondent_name="苏州某食品有限公司", subject="月饼")
    before = s.complaints.get(desk, earlier)
    assert before.due_on == s.reference.due_date(date(2026, 11, 10), 15).day
    ctx = make_ctx(desk)

    window = _window(qtbot, ctx, other)
    assert {Action.FILE_CASE, Action.DECLINE_CASE, Action.MERGE} <= set(window.action_buttons)
    assert Action.ACCEPT not in window.action_buttons
    _act(qtbot, window, Action.FILE_CASE,
         lambda d: type_text(qtbot, d.fields["note"], "涉嫌销售过期食品，予以立案"))
    assert s.complaints.get(desk, other).status is Status.FILED
    assert "已立案" in window.status_line.text()

    window = _window(qtbot, ctx, repeat)
    dialog = _open(qtbot, window, Action.MERGE)
    type_text(qtbot, dialog.fields["into"], before.number)
    dialog.fields["new_facts"].setChecked(True)
    assert "重新计算" in dialog.preview.text()
    _ok(qtbot, window, dialog)
    assert s.complaints.get(desk, repeat).status is Status.MERGED
    after = s.complaints.get(desk, earlier)
    assert after.status is Status.REGISTERED
    assert after.due_on == s.reference.due_date(world.clock.today(), 15).day
    assert after.due_on > before.due_on
    assert "翻新车" in after.facts


def test_extending_the_check_of_a_report_adds_15_working_days(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    s, desk = world.s, world.desk
    rid = _report(world)
    received = date(2026, 11, 19)
    assert s.complaints.get(desk, rid).due_on == s.reference.due_date(received, 15).day
    window = _window(qtbot, make_ctx(desk), rid)
    window.step_buttons[EXTEND].click()
    dialog = window.findChildren(ExtendCheckDialog)[-1]
    new_due = s.reference.due_date(received, 30).day
    assert str(new_due) in dialog.preview.text()
    assert not dialog.ok_button.isEnabled()  # only once the head's approval is ticked
    type_text(qtbot, dialog.approval, "经分局负责人批准")
    dialog.confirmed.setChecked(True)
    _ok(qtbot, window, dialog)
    stored = s.complaints.get(desk, rid)
    assert stored.due_on == new_due and stored.check_extended_on == world.clock.today()
    assert str(new_due) in window.status_line.text()
    assert EXTEND not in window.step_buttons  # once only


def test_the_consumer_status_dialog_shows_the_facts_and_saves_the_judgement(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    s, clerk = world.s, world.clerk
    phone = "13770001234"
    earlier = [s.complaints.register(clerk, draft(
        complainant_phone=phone, respondent_name=f"苏州第{n}手机店", subject="手机",
        received_at=datetime(2026, 10, n, 9, 0))).number for n in (8, 15)]
    unrelated = s.complaints.register(clerk, draft(complainant_name="王芳", complainant_phone="13911112222",
                                                   complainant_address="苏州市相城区")).number
    cid = s.complaints.register(clerk, draft(complainant_phone=phone, facts="一次购买手机 30 台，均有质量问题")).ids[0]
    ctx = make_ctx(clerk)
    window = _window(qtbot, ctx, cid)
    window.step_buttons[CONSUMER].click()
    dialog = window.findChildren(ConsumerStatusDialog)[-1]
    wait_idle(qtbot, ctx)
    assert dialog.facts is not None
    assert NOT_DECIDING in [label.text() for label in dialog.findChildren(type(dialog.since))]
    numbers = [dialog.earlier.item(r, 0).text() for r in range(dialog.earlier.rowCount())]
    assert sorted(numbers) == sorted(earlier) and unrelated not in numbers
    respondents = {dialog.earlier.item(r, 2).text() for r in range(dialog.earlier.rowCount())}
    assert respondents == {"苏州第8手机店", "苏州第15手机店"}
    assert "另有 2 件投诉" in dialog.points.text()
    assert "30 台" in dialog.quantities.text()

    dialog.not_consumer.setChecked(True)
    type_text(qtbot, dialog.note, "一次购买 30 台，近两月另投诉两家手机店")
    with qtbot.waitSignal(dialog.sig_done, timeout=10000):
        dialog.save_button.click()
    wait_idle(qtbot, ctx)
    facts = s.complaints.consumer_facts(clerk, cid)
    assert facts.judgement == "not_consumer" and "30 台" in (facts.judgement_note or "")


def test_a_judgement_without_a_reason_is_refused_in_the_dialog(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    ctx = make_ctx(clerk)
    window = _window(qtbot, ctx, cid)
    window.step_buttons[CONSUMER].click()
    dialog = window.findChildren(ConsumerStatusDialog)[-1]
    wait_idle(qtbot, ctx)
    assert "未发现" in dialog.points.text() and dialog.earlier.rowCount() == 0
    dialog.consumer.setChecked(True)
    dialog.save_button.click()
    wait_idle(qtbot, ctx)
    assert dialog.isVisible() and dialog.errors.message_of("判断理由")
    assert s.complaints.consumer_facts(clerk, cid).judgement is None


# -- the rule-set screen -------------------------------------------------------------------------
def test_the_rule_set_screen_shows_confidence_and_saves_a_grounds_wording(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.views.settings.common import select_key
    from desktop.ui.views.settings.rules import RulesTab

    s = world.s
    ctx = make_ctx(world.admin)
    tab = RulesTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    wait_idle(qtbot, ctx)
    assert select_key(tab.table, "samr-2026")
    row = tab.table.currentRow()
    headers = [tab.table.horizontalHeaderItem(c).text() for c in range(tab.table.columnCount())]
    cell = lambda name: tab.table.item(row, headers.index(name))  # noqa: E731
    assert "期限末日遇节假日" in cell("待确认的项目").text()
    assert cell("期限末日遇节假日").toolTip().endswith("待确认")
    assert cell("依据").text() == "不予受理依据 7 项，终止调解依据 8 项"
    assert cell("举报核查").text() == "15 个工作日" and cell("文书版本").text() == "2026 年版"

    dialog = tab.open_edit_rules()
    assert dialog is not None
    assert dialog.confidence["period_end"].text() == "待确认"
    assert dialog.confidence["accept_days"].text() == "已确认"
    assert dialog.confidence["mediation_days"].text() == "较可靠"
    assert dialog.report_check_days.value() == 15 and dialog.report_check_extension.value() == 15
    assert dialog.forms.currentData() == "2026"
    assert dialog.rejection.table.rowCount() == 7 and dialog.termination.table.rowCount() == 8
    reworded = "自投诉受理之日起六十日内（检定、检验、检测、鉴定时间不计算在内）未能达成调解协议"
    assert dialog.termination.set_wording("time_limit", reworded)
    dialog.report_check_days.setValue(20)
    dialog.ok_button.click()
    wait_idle(qtbot, ctx)
    assert dialog.error_text() == "" and not dialog.isVisible()

    saved = next(r for r in s.reference.rule_sets() if r.code == "samr-2026")
    assert saved.ground_text("termination", "time_limit") == reworded
    assert len(saved.termination_grounds) == 8 and len(saved.rejection_grounds) == 7
    assert saved.report_check_days == 20 and saved.forms == "2026"
    assert saved.how_sure("period_end").label == "待确认"  # kept: the dialog does not change it
    # A complaint under that set offers the new wording.
    cid = s.complaints.register(world.clerk, draft()).ids[0]
    s.complaints.accept(world.clerk, cid, expected_version=1)
    assert dict(s.complaints.grounds_for(world.clerk, cid, "termination_ground"))["time_limit"] == reworded


def test_a_ground_without_wording_is_refused(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.views.settings.common import select_key
    from desktop.ui.views.settings.rules import RulesTab

    ctx = make_ctx(world.admin)
    tab = RulesTab(ctx)
    qtbot.addWidget(tab)
    wait_idle(qtbot, ctx)
    assert select_key(tab.table, "samr-2026")
    dialog = tab.open_edit_rules()
    dialog.rejection.add_row("extra", "")
    dialog.ok_button.click()
    wait_idle(qtbot, ctx)
    assert dialog.isVisible() and "都要填写" in dialog.error_text("不予受理依据")
    saved = next(r for r in world.s.reference.rule_sets() if r.code == "samr-2026")
    assert len(saved.rejection_grounds) == 7
