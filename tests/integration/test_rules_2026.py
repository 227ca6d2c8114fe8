"""The 2026 national rules in the services: 举报 and 咨询 beside 投诉, their clocks across holidays
and 调休, the repeat-report merge, identity proof, delegated mediation, the mediation notice and
recusal, the consumer-status facts, the grounds worded by each complaint's own rule set."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.domain.complaint import ComplaintFilter
from desktop.domain.consumer_status import unusual_quantities
from desktop.domain.errors import DomainError, FieldError, TransitionError
from desktop.domain.workflow import Intake, Result, Role, Status
from tests.conftest import World, draft


def _report(world: World, received: datetime, **overrides: object) -> int:
    values: dict[str, object] = dict(
        kind="report", received_at=received, complainant_name="", complainant_phone="",
        complainant_address="", reporter_real_name=False, request="",
        respondent_name="苏州某某食品店", respondent_address="", subject="散装糕点",
        category_code="food", facts="店内销售的散装糕点无生产日期和保质期标识。")
    values.update(overrides)
    return world.s.complaints.register(world.desk, draft(**values)).ids[0]


# -- 举报: 15 working days (+15 on approval) across the 2026 Mid-autumn and National Day -----
def test_a_report_is_checked_within_15_working_days_across_holidays_and_make_up_days(
        world: World) -> None:
    # Received Thu 24 Sep 2026: Mid-autumn 25–27 Sep and National Day 1–7 Oct are off, Sat 10
    # Oct is a make-up working day. Counted by hand: 28, 29, 30 Sep, 8, 9, 10 (Sat), 12–16,
    # 19–22 Oct → the 15th working day is Thu 22 Oct.
    cid = _report(world, datetime(2026, 9, 24, 15, 0))
    detail = world.s.complaints.get(world.desk, cid)
    assert detail.kind == "report" and detail.status is Status.REGISTERED
    assert detail.due_on == date(2026, 10, 22)
    # The head approves 15 more: 23, 26–30 Oct, 2–6, 9–12 Nov → Thu 12 Nov.
    world.s.complaints.extend_check(world.desk, cid, note="科长王某 10 月 20 日批准",
                                    expected_version=detail.version)
    detail = world.s.complaints.get(world.desk, cid)
    assert detail.due_on == date(2026, 11, 12) and detail.check_extended_on == date(2026, 11, 20)
    with pytest.raises(TransitionError, match="只能延长一次"):
        world.s.complaints.extend_check(world.desk, cid, note="再次", expected_version=detail.version)


def test_a_report_is_decided_and_closed_with_its_own_result(world: World) -> None:
    cid = _report(world, datetime(2026, 11, 19, 9, 0), complainant_name="李娜",
                  complainant_phone="13912345678", reporter_real_name=True)
    d = world.s.complaints.get(world.desk, cid)
    assert d.allowed_actions[:1] and "accept" not in d.allowed_actions
    world.s.complaints.file_case(world.desk, cid, note="涉嫌销售标签不符合规定的食品，立案调查",
                                 expected_version=d.version)
    d = world.s.complaints.get(world.desk, cid)
    assert d.status is Status.FILED and d.case_decided_on == date(2026, 11, 20)
    assert d.due_on is None  # the check is done; the case has a clock of its own elsewhere
    with pytest.raises(TransitionError, match="只能是：立案查处"):
        world.s.complaints.close(world.desk, cid, result=Result.SETTLED, expected_version=d.version)
    world.s.complaints.close(world.desk, cid, result=Result.CASE_FILED, expected_version=d.version)
    assert world.s.complaints.get(world.desk, cid).status is Status.CLOSED


def test_a_station_neither_registers_nor_decides_a_report(world: World) -> None:
    with pytest.raises(DomainError, match="投诉站不登记举报"):
        world.s.complaints.register(world.clerk, draft(kind="report", reporter_real_name=False))


def test_a_repeat_report_is_merged_and_new_facts_restart_the_earlier_ones_clock(
        world: World) -> None:
    first = _report(world, datetime(2026, 11, 2, 9, 0))
    before = world.s.complaints.get(world.desk, first)
    assert before.due_on == date(2026, 11, 23)  # 15 working days from Mon 2 Nov
    repeat = _report(world, datetime(2026, 11, 19, 10, 0),
                     facts="该店仍在销售无标识糕点，另发现冷藏柜温度过高。")
    world.s.complaints.merge_report(world.desk, repeat, into_number=before.number,
                                    new_facts=True, expected_version=1)
    merged = world.s.complaints.get(world.desk, repeat)
    assert merged.status is Status.MERGED and merged.merged_into_id == first
    assert not merged.status.is_open and merged.due_on is None
    after = world.s.complaints.get(world.desk, first)
    assert after.clock_from == date(2026, 11, 20)  # today: the clock starts again
    assert after.due_on == date(2026, 12, 11)  # 15 working days from Fri 20 Nov
    assert "冷藏柜温度过高" in after.facts and merged.number in after.facts

    # Without new facts the earlier one's clock stays; a merged report cannot take a merge.
    third = _report(world, datetime(2026, 11, 19, 11, 0))
    world.s.complaints.merge_report(world.desk, third, into_number=before.number,
                                    new_facts=False, expected_version=1)
    assert world.s.complaints.get(world.desk, first).due_on == date(2026, 12, 11)
    fourth = _report(world, datetime(2026, 11, 19, 12, 0))
    with pytest.raises(FieldError, match="已已并案|不能再并案"):
        world.s.complaints.merge_report(world.desk, fourth, into_number=merged.number,
                                        new_facts=False, expected_version=1)


def test_the_reporters_identity_is_seen_by_its_handler_only(world: World) -> None:
    cid = _report(world, datetime(2026, 11, 19, 9, 0), complainant_name="李娜",
                  complainant_phone="13912345678", reporter_real_name=True)
    assert world.s.complaints.get(world.desk, cid).complainant_phone == "13912345678"
    other = world.s.users.create(world.admin, username="desk2", display_name="窗口二",
                                 password="Passw0rd!2026", office_id=world.office_ids["WZCQ"],
                                 roles={Role.DESK_STAFF})
    colleague = world.s.users.login("desk2", "Passw0rd!2026")
    assert other is not None
    seen = world.s.complaints.get(colleague, cid)
    assert seen.personal_info_masked and seen.complainant_phone != "13912345678"
    assert seen.complainant_name != "李娜"


# -- 咨询 --------------------------------------------------------------------------------
def test_a_question_is_logged_answered_without_a_clock_and_counted(world: World) -> None:
    changed = world.s.complaints.register(world.clerk, draft(
        kind="consultation", respondent_name="", respondent_address="", subject="",
        complainant_address="", request="", facts="预付卡商家关门了，怎么退钱？",
        answer="可凭购卡凭证向商家所在地市场监管部门投诉，或向法院起诉。"))
    d = world.s.complaints.get(world.clerk, changed.ids[0])
    assert d.kind == "consultation" and d.status is Status.ANSWERED and d.due_on is None
    assert d.answered_at == datetime(2026, 11, 20, 10, 0) and d.allowed_actions == ()
    assert world.s.complaints.count(world.clerk, ComplaintFilter(open_only=True)) == 0
    with pytest.raises(Exception, match="解答内容"):
        world.s.complaints.register(world.clerk, draft(kind="consultation", answer=""))


# -- identity, delegation, the mediation notice and recusal --------------------------------
def test_proof_of_identity_by_a_date_then_the_acceptance_clock_runs_again(world: World) -> None:
    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    world.s.complaints.request_id_proof(world.clerk, cid, due=date(2026, 11, 27),
                                        expected_version=1)
    d = world.s.complaints.get(world.clerk, cid)
    assert d.status is Status.ID_PENDING and d.due_on == date(2026, 11, 27)
    world.clock.at = datetime(2026, 11, 25, 9, 0)
    world.s.complaints.id_proof_received(world.clerk, cid, expected_version=d.version)
    d = world.s.complaints.get(world.clerk, cid)
    # 7 working days from Wed 25 Nov: 26, 27, 30 Nov, 1–4 Dec → Fri 4 Dec.
    assert d.status is Status.REGISTERED and d.due_on == date(2026, 12, 4)


def test_missing_proof_leads_to_the_new_2026_ground(world: World) -> None:
    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    world.s.complaints.request_id_proof(world.clerk, cid, due=date(2026, 11, 27),
                                        expected_version=1)
    grounds = dict(world.s.complaints.grounds_for(world.clerk, cid, "rejection_ground"))
    assert len(grounds) == 7 and "拒绝配合核实身份" in grounds["identity"]
    world.s.complaints.reject(world.clerk, cid, ground="identity", expected_version=2)
    assert world.s.complaints.get(world.clerk, cid).status is Status.REJECTED


def test_complaints_under_the_2020_rules_keep_their_own_grounds(world: World) -> None:
    old = world.s.complaints.register(world.clerk, draft(
        received_at=datetime(2026, 3, 2, 9, 0))).ids[0]
    grounds = dict(world.s.complaints.grounds_for(world.clerk, old, "termination_ground"))
    assert len(grounds) == 7 and "四十五个工作日" in grounds["time_limit"]
    assert "identity" not in dict(world.s.complaints.grounds_for(world.clerk, old,
                                                                 "rejection_ground"))
    with pytest.raises(FieldError, match="不是本投诉适用的时限规则"):
        world.s.complaints.reject(world.clerk, old, ground="identity", expected_version=1)
    new = world.s.complaints.register(world.clerk, draft()).ids[0]
    grounds = dict(world.s.complaints.grounds_for(world.clerk, new, "termination_ground"))
    assert len(grounds) == 8 and "六十日" in grounds["time_limit"] and "party_gone" in grounds


def test_delegated_mediation_keeps_the_clock_and_records_the_result(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft(consent_delegation=True)).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    due = s.complaints.get(clerk, cid).due_on
    s.complaints.delegate(clerk, cid, to="吴中区消费者权益保护委员会", expected_version=2)
    d = s.complaints.get(clerk, cid)
    assert d.status is Status.DELEGATED and d.due_on == due and d.delegated_on == date(2026, 11, 20)
    s.complaints.settle(clerk, cid, terms="退还购车定金 5000 元", expected_version=d.version)
    d = s.complaints.get(clerk, cid)
    assert d.status is Status.SETTLED and d.delegation_returned_on == date(2026, 11, 20)
    assert "退还购车定金" in (d.delegation_result or "")

    refused = s.complaints.register(clerk, draft(consent_delegation=False)).ids[0]
    s.complaints.accept(clerk, refused, expected_version=1)
    with pytest.raises(FieldError, match="不同意委托调解"):
        s.complaints.delegate(clerk, refused, to="消保委", expected_version=2)


def test_the_mediation_notice_and_a_recusal_are_recorded(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    s.complaints.schedule_mediation(
        clerk, cid, at=datetime(2026, 11, 26, 14, 30), place="万达广场投诉站调解室",
        mediator="王芳", phone="0512-65201234", materials="购车合同、付款凭证", recusal_days=3,
        expected_version=2)
    d = s.complaints.get(clerk, cid)
    assert (d.mediation_at, d.mediator_name, d.recusal_days) == (
        datetime(2026, 11, 26, 14, 30), "王芳", 3)
    s.complaints.record_recusal(clerk, cid, request="投诉人申请调解员王芳回避：系被投诉方员工亲属",
                                requested_on=date(2026, 11, 20), decision="granted",
                                expected_version=d.version)
    d = s.complaints.get(clerk, cid)
    assert d.recusal_decision == "granted" and d.recusal_decided_on == date(2026, 11, 20)
    with pytest.raises(FieldError, match="调解地点"):
        s.complaints.schedule_mediation(clerk, cid, at=datetime(2026, 11, 27, 9, 0), place=" ",
                                        mediator="王芳", phone="", expected_version=d.version)


# -- consumer status ---------------------------------------------------------------------------
def test_the_consumer_status_facts_are_gathered_and_the_clerk_decides(world: World) -> None:
    s, clerk = world.s, world.clerk
    respondents = ["苏州甲超市", "苏州乙超市", "苏州丙商行", "苏州甲超市", "苏州丁食品店"]
    for i, name in enumerate(respondents):
        s.complaints.register(clerk, draft(
            received_at=datetime(2026, 2 + i, 10, 9, 0), respondent_name=name,
            respondent_credit_code=None, subject="进口饼干", category_code="food"))
    # Another name, the same phone: shared contact, not the same person.
    s.complaints.register(clerk, draft(complainant_name="王强", respondent_name="苏州戊超市",
                                       complainant_address="苏州市吴中区木渎镇中山路 5 号",
                                       respondent_credit_code=None))
    cid = s.complaints.register(clerk, draft(
        respondent_name="苏州己超市", respondent_credit_code=None, subject="进口饼干",
        facts="本人于该超市一次购买进口饼干 60 盒，发现无中文标签，要求十倍赔偿。",
        category_code="food")).ids[0]
    # One of 2025 (more than 12 months before) does not count.
    s.complaints.register(clerk, draft(received_at=datetime(2025, 10, 1, 9, 0)))
    facts = s.complaints.consumer_facts(clerk, cid)
    assert len(facts.earlier) == 5  # same name and phone within 12 months
    assert dict(facts.respondents)["苏州甲超市"] == 2
    assert facts.quantities == ("60 盒",)
    assert [x.shares for x in facts.shared] == ["电话"] and facts.shared[0].complainant == "王*"
    assert any("使用同一电话" in p for p in facts.points)
    assert facts.judgement is None  # the program never decides
    s.complaints.judge_consumer(clerk, cid, judgement="not_consumer",
                                note="一年内对不同超市 5 次同类投诉，一次购买 60 盒",
                                expected_version=1)
    d = s.complaints.get(clerk, cid)
    assert d.consumer_judgement == "not_consumer" and "60 盒" in (d.consumer_judgement_note or "")
    with pytest.raises(FieldError, match="判断理由"):
        s.complaints.judge_consumer(clerk, cid, judgement="consumer", note=" ",
                                    expected_version=d.version)


def test_quantities_are_read_in_digits_and_chinese_numerals() -> None:
    assert unusual_quantities("购买了二十箱牛奶和 3 瓶酒", "又买 15台 空调") == ("二十箱", "15台")
    assert unusual_quantities("买了两双鞋") == ()


def test_the_kind_is_fixed_once_registered(world: World) -> None:
    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    with pytest.raises(FieldError, match="登记后不能改变类型"):
        world.s.complaints.edit(world.clerk, cid, draft(kind="consultation", answer="x"),
                                expected_version=1)
    assert Intake(world.s.complaints.get(world.clerk, cid).kind) is Intake.COMPLAINT


def test_case_and_merge_links_are_kept_both_ways(world: World) -> None:
    s, desk = world.s, world.desk
    cid = s.complaints.register(desk, draft()).ids[0]
    s.complaints.accept(desk, cid, expected_version=1)
    s.complaints.open_case(desk, cid, note="涉嫌销售假冒商品", expected_version=2)
    complaint = s.complaints.get(desk, cid)
    (link,) = complaint.links
    assert link.relation == "诉转案登记的举报" and link.status is Status.REGISTERED
    report = s.complaints.get(desk, link.complaint_id)
    assert report.kind == "report" and report.origin_id == cid
    assert [(x.relation, x.number) for x in report.links] == [("来源投诉", complaint.number)]
    assert report.due_on == date(2026, 12, 11)  # its own clock: 15 working days from today

    repeat = _report(world, datetime(2026, 11, 20, 9, 0))
    s.complaints.merge_report(desk, repeat, into_number=report.number, new_facts=False,
                              expected_version=1)
    assert [x.relation for x in s.complaints.get(desk, link.complaint_id).links] == [
        "来源投诉", "并入本件的重复举报"]
    assert [x.relation for x in s.complaints.get(desk, repeat).links] == ["并入的举报"]


def test_the_reporters_identity_stays_masked_in_the_history_for_other_desk_staff(
        world: World) -> None:
    cid = _report(world, datetime(2026, 11, 19, 9, 0), complainant_name="李娜",
                  complainant_phone="13912345678", reporter_real_name=True)
    world.s.users.create(world.admin, username="desk3", display_name="窗口三",
                         password="Passw0rd!2026", office_id=world.office_ids["WZCQ"],
                         roles={Role.DESK_STAFF})
    colleague = world.s.users.login("desk3", "Passw0rd!2026")
    world.s.complaints.edit(world.desk, cid, draft(
        kind="report", received_at=datetime(2026, 11, 19, 9, 0), complainant_name="李娜",
        complainant_phone="13912340000", complainant_address="", reporter_real_name=True,
        request="", respondent_name="苏州某某食品店", respondent_address="",
        subject="散装糕点", category_code="food",
        facts="店内销售的散装糕点无生产日期和保质期标识。"),
        expected_version=1)
    own = " ".join(h.text for h in world.s.records.history(world.desk, cid))
    other = " ".join(h.text for h in world.s.records.history(colleague, cid))
    assert "13912345678 → 13912340000" in own
    assert "13912345678" not in other and "13912340000" not in other and "电话" in other
