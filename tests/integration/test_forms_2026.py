"""The 2026 forms (SAMR Order No. 121): each rendered from a real record and read back from its
PDF — title, values, the ticked ground among all the rule set lists, the consent boxes, fonts,
pages, the QR code; the edition chosen by the rule set the complaint was received under; the
reporter kept off the 分送通知书; forms that do not apply refused with their reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from desktop.domain.workflow import Role
from desktop.forms import code as qr
from desktop.forms.fonts import TICKED, UNTICKED
from desktop.services.dto import CurrentUser
from desktop.services.printing import FormRequest, RenderedForm
from tests.conftest import PASSWORD, World, draft
from tests.integration.test_forms import assert_fonts_embedded_subsets, flat, read

NEW = datetime(2026, 11, 19, 9, 30)  # under samr-2026: the 2026 forms
OLD = datetime(2026, 3, 19, 9, 30)  # under samr-2020: today's forms
ID_NUMBER = "11010519491231002X"  # a valid resident ID (GB 11643 check digit X)
REPORTER, REPORTER_PHONE = "林秀英", "13955550001"


def store(world: World, cid: int, **columns: object) -> None:
    """Write columns straight into the record: for states no workflow reaches (every decision
    at once, to render each form) and for text the services would refuse."""
    from sqlalchemy import update

    from desktop.db.models import Complaint
    from desktop.db.uow import UnitOfWork

    with UnitOfWork(world.s.ctx.engine) as uow:
        uow.session.execute(update(Complaint).where(Complaint.id == cid).values(**columns))
        uow.commit()


def register(world: World, **overrides: object) -> int:
    values: dict[str, object] = dict(received_at=NEW, complainant_id_type="resident_id",
                                     complainant_id_number=ID_NUMBER, consent_disclosure=True,
                                     consent_delegation=False)
    values.update(overrides)
    return world.s.complaints.register(world.desk, draft(**values)).ids[0]


def version(world: World, cid: int) -> int:
    return world.s.complaints.get(world.desk, cid).version


def accepted(world: World, **overrides: object) -> int:
    cid = register(world, **overrides)
    world.s.complaints.accept(world.desk, cid, expected_version=version(world, cid))
    return cid


def report(world: World, real_name: bool = True, **overrides: object) -> int:
    values: dict[str, object] = dict(
        kind="report", received_at=NEW, reporter_real_name=real_name,
        complainant_name=REPORTER if real_name else "", complainant_phone=REPORTER_PHONE,
        complainant_id_type="resident_id" if real_name else None,
        complainant_id_number=ID_NUMBER if real_name else None,
        respondent_name="苏州好又多超市有限公司", subject="过期食品",
        facts="该超市货架上销售已过保质期的牛奶，生产日期为 2026 年 8 月，保质期 21 天。",
        request="请依法查处")
    values.update(overrides)
    return world.s.complaints.register(world.desk, draft(**values)).ids[0]


@dataclass
class Sheet:
    rendered: RenderedForm
    pages: list[str]
    text: str  # the pages' text without the spaces and line breaks wrapping put in


def sheet(world: World, form: str, cid: int, user: object = None) -> Sheet:
    rendered = world.s.printing.render(user or world.desk, FormRequest(form, complaint_id=cid))
    pages, reader = read(rendered.pdf)
    assert rendered.pages == len(pages)
    assert_fonts_embedded_subsets(reader)
    text = flat("".join(pages))
    number = world.s.complaints.get(world.desk, cid).number
    assert qr.encode(number, rendered.checksum or "") in text  # the code under the QR
    return Sheet(rendered, pages, text)


def keys(world: World, cid: int, user: object = None) -> list[str]:
    return [c.form.key for c in world.s.printing.choices(user or world.desk, cid)]


def ticked_line(text: str, count: int) -> str:
    """The ground ticked in a list of `count`: the boxes, and the one number that carries ☑."""
    assert text.count(TICKED) == 1 and text.count(UNTICKED) == count - 1, text
    return text[text.index(TICKED):][:40]


# -- 投诉登记表 ------------------------------------------------------------------------------------
def test_registration_2026_has_the_id_type_and_both_consents_ticked_as_answered(world: World) -> None:
    cid = register(world)
    s = sheet(world, "registration", cid)
    assert s.rendered.form.title == "投诉登记表" and s.rendered.pages == 1
    for needle in ("投诉登记表", "张伟", "13812345678", "居民身份证", ID_NUMBER, "宝带西路100号",
                   "苏州东吴汽车销售服务有限公司", "要求更换新车", "投诉人（签字）", "登记人（签字）",
                   "长桥分局"):
        assert flat(needle) in s.text, needle
    assert "消费投诉登记表" not in s.text  # the 2020 title
    # 是否同意公示投诉信息 ☑是 □否, 是否同意委托调解 □是 ☑否
    assert f"是否同意公示投诉信息{TICKED}是{UNTICKED}否" in s.text
    assert f"是否同意委托调解{UNTICKED}是{TICKED}否" in s.text

    unanswered = register(world, complainant_phone="13900000011", consent_disclosure=None,
                          consent_delegation=None)
    s = sheet(world, "registration", unanswered)
    assert TICKED not in s.text and s.text.count(UNTICKED) == 4
    assert f"是否同意公示投诉信息{UNTICKED}是{UNTICKED}否" in s.text


def test_registration_2026_masks_personal_information_for_users_who_may_not_see_it(world: World) -> None:
    cid = register(world)
    s = sheet(world, "registration", cid, world.dept_head)
    assert "138****5678" in s.text and "13812345678" not in s.text and "张*" in s.text
    assert ID_NUMBER not in s.text and "居民身份证" in s.text


# -- the edition follows the rule set the complaint was received under ---------------------------
def test_a_complaint_before_2026_04_15_keeps_the_2020_forms_and_wording(world: World) -> None:
    old = accepted(world, received_at=OLD, complainant_phone="13900000021")
    new = accepted(world, complainant_phone="13900000022")
    assert keys(world, old) == ["registration", "acceptance"]
    assert keys(world, new) == ["registration", "acceptance"]
    assert [c.label for c in world.s.printing.choices(world.desk, old)] == ["消费投诉登记表", "受理通知书"]
    assert [c.label for c in world.s.printing.choices(world.desk, new)] == ["投诉登记表", "投诉受理决定书"]

    s = sheet(world, "acceptance", old)
    assert "受理通知书" in s.text and "投诉受理决定书" not in s.text and "45个工作日" in s.text
    assert "《市场监督管理投诉举报处理暂行办法》（2020）" in s.text
    s = sheet(world, "acceptance", new)
    assert "投诉受理决定书" in s.text and "自受理之日起六十日内组织调解" in s.text
    assert "《市场监督管理投诉举报处理办法》规定的受理条件" in s.text
    assert "受理日期为2026年11月20日" in s.text

    # Terminated for the time limit: each prints its own set's wording of that ground.
    for cid in (old, new):
        world.s.complaints.terminate(world.desk, cid, ground="time_limit",
                                     expected_version=version(world, cid))
    s = sheet(world, "termination", old)
    assert "终止调解告知书" in s.text and "投诉终止调解决定书" not in s.text
    assert "自投诉受理之日起四十五个工作日内投诉人和被投诉人未能达成调解协议" in s.text
    assert "六十日" not in s.text and TICKED not in s.text
    s = sheet(world, "termination", new)
    assert "投诉终止调解决定书" in s.text and "四十五个工作日" not in s.text
    assert ticked_line(s.text, 8).startswith(f"{TICKED}（五）自投诉受理之日起六十日内")

    with pytest.raises(Exception, match="使用 2020 年版文书，没有投诉调解通知书"):
        world.s.printing.render(world.desk, FormRequest("mediation-notice", complaint_id=old))


# -- 不予受理决定书, 终止调解决定书: every ground listed, the one that applies ticked ----------------
def test_rejection_2026_lists_all_seven_grounds_and_ticks_the_one_that_applies(world: World) -> None:
    rules = next(r for r in world.s.reference.rule_sets() if r.code == "samr-2026")
    assert len(rules.rejection_grounds) == 7
    cid = register(world)
    world.s.complaints.reject(world.desk, cid, ground="identity", note="经电话联系，投诉人拒绝核实身份",
                              expected_version=version(world, cid))
    s = sheet(world, "rejection", cid)
    assert s.rendered.form.title == "投诉不予受理决定书" and s.rendered.pages == 1
    assert "具有下列第六项情形" in s.text and "本单位决定不予受理" in s.text
    for _code, wording in rules.rejection_grounds:
        assert flat(wording) in s.text, wording
    assert ticked_line(s.text, 7).startswith(f"{TICKED}（六）冒用他人名义投诉，或者拒绝配合核实身份")
    assert f"{UNTICKED}（五）未提供必要的投诉材料，或者提供的材料虚假" in s.text
    assert "经电话联系，投诉人拒绝核实身份" in s.text
    assert "《中华人民共和国消费者权益保护法》第三十九条" in s.text and "向人民法院提起诉讼" in s.text
    assert "rejection" in keys(world, cid)


def test_termination_2026_lists_all_eight_grounds_and_ticks_the_one_that_applies(world: World) -> None:
    rules = next(r for r in world.s.reference.rule_sets() if r.code == "samr-2026")
    cid = accepted(world)
    world.s.complaints.terminate(world.desk, cid, ground="party_gone",
                                 expected_version=version(world, cid))
    s = sheet(world, "termination", cid)
    assert s.rendered.form.title == "投诉终止调解决定书" and s.rendered.pages == 1
    assert "投诉人张伟、被投诉人苏州东吴汽车销售服务有限公司：" in s.text
    assert "因出现下列第七项情形" in s.text and "决定于2026年11月20日终止调解" in s.text
    for _code, wording in rules.termination_grounds:
        assert flat(wording) in s.text, wording
    assert ticked_line(s.text, 8).startswith(f"{TICKED}（七）投诉人或者被投诉人死亡或者终止")
    assert "第三十九条" in s.text


# -- 限期提供身份证明材料通知书, 受理决定书, 调解通知书, 调解书 ---------------------------------------
def test_id_proof_notice_needs_its_due_date_and_says_what_happens_without_proof(world: World) -> None:
    cid = register(world, complainant_id_type="passport", complainant_id_number="E12345678")
    with pytest.raises(Exception, match="没有要求限期提供身份证明材料，不能打印限期提供身份证明材料通知书"):
        world.s.printing.render(world.desk, FormRequest("id-proof", complaint_id=cid))
    assert "id-proof" not in keys(world, cid)
    world.s.complaints.request_id_proof(world.desk, cid, due=date(2026, 11, 27),
                                        expected_version=version(world, cid))
    assert keys(world, cid)[:2] == ["registration", "id-proof"]
    s = sheet(world, "id-proof", cid)
    assert s.rendered.pages == 1
    for needle in ("限期提供身份证明材料通知书", "张伟：", "请你于2026年11月27日前向本单位提供",
                   "一、护照", "本单位将依法作出不予受理的决定", "2026年11月20日"):
        assert flat(needle) in s.text, needle


def test_acceptance_2026_says_the_delegation_when_agreed(world: World) -> None:
    cid = accepted(world, consent_delegation=True)
    s = sheet(world, "acceptance", cid)
    assert "你已同意委托调解" in s.text and "消费者协会" in s.text
    s = sheet(world, "acceptance", accepted(world, complainant_phone="13900000031"))
    assert "你已同意委托调解" not in s.text


def test_mediation_notice_gives_time_place_mediator_materials_and_the_recusal_period(world: World) -> None:
    cid = accepted(world)
    assert "mediation-notice" not in keys(world, cid)
    with pytest.raises(Exception, match="尚未安排调解时间"):
        world.s.printing.render(world.desk, FormRequest("mediation-notice", complaint_id=cid))
    world.s.complaints.schedule_mediation(
        world.desk, cid, at=datetime(2026, 11, 25, 9, 30), place="长桥分局三楼调解室",
        mediator="王建国", phone="0512-65550123", materials="购车合同、维修记录、身份证",
        recusal_days=3, expected_version=version(world, cid))
    assert keys(world, cid) == ["registration", "acceptance", "mediation-notice"]
    s = sheet(world, "mediation-notice", cid)
    assert s.rendered.pages == 1
    for needle in ("投诉调解通知书", "投诉人张伟、被投诉人苏州东吴汽车销售服务有限公司：",
                   "本单位定于2026年11月25日9时30分在长桥分局三楼调解室组织调解", "王建国",
                   "0512-65550123", "购车合同、维修记录、身份证",
                   "可以自收到本通知书之日起三日内向本单位提出回避申请", "无正当理由不参加调解"):
        assert flat(needle) in s.text, needle


def test_agreement_2026_names_agents_legal_representative_place_of_business_and_three_copies(world: World) -> None:
    cid = accepted(world)
    world.s.complaints.settle(world.desk, cid, terms="经营者于 7 日内为投诉人更换同型号新车",
                              recovered="158000", performance_due=date(2026, 11, 27),
                              expected_version=version(world, cid))
    assert keys(world, cid) == ["registration", "acceptance", "agreement"]
    s = sheet(world, "agreement", cid)
    assert s.rendered.form.title == "投诉调解书" and s.rendered.pages == 1
    for needle in ("投诉调解书", "委托代理人", "法定代表人", "经营场所苏州市吴中区长桥街道龙西路8号",
                   "投诉人请求：要求更换新车", "更换同型号新车", "2026年11月27日前履行完毕",
                   "一式三份", "被投诉人（签字并盖章）", "其委托代理人（签字）", "调解人员（签字）",
                   "加盖长桥分局", "158,000.00元"):
        assert flat(needle) in s.text, needle
    assert s.text.count("委托代理人") >= 4  # a line for each party, and both signature lines


# -- 举报: 登记表, 分送通知书, 处理结果告知书 -----------------------------------------------------
def test_report_registration_names_the_reporter_or_prints_anonymous(world: World) -> None:
    cid = report(world)
    assert keys(world, cid) == ["report-registration"]
    s = sheet(world, "report-registration", cid)
    assert s.rendered.pages == 1 and "举报单号" in s.text
    for needle in ("举报登记表", "内部使用", REPORTER, REPORTER_PHONE, "实名", "苏州好又多超市有限公司",
                   "已过保质期的牛奶", "证件号码等信息依法予以保密"):
        assert flat(needle) in s.text, needle

    anonymous = report(world, real_name=False, complainant_phone="")
    s = sheet(world, "report-registration", anonymous)
    assert "举报人匿名" in s.text and "是否实名匿名" in s.text and REPORTER not in s.text


def test_report_result_tells_a_named_reporter_whether_a_case_was_opened(world: World) -> None:
    cid = report(world)
    with pytest.raises(Exception, match="尚未作出是否立案的决定，不能打印举报处理结果告知书"):
        world.s.printing.render(world.desk, FormRequest("report-result", complaint_id=cid))
    world.s.complaints.file_case(world.desk, cid, note="涉嫌销售过期食品，立案调查",
                                 expected_version=version(world, cid))
    assert keys(world, cid) == ["report-registration", "report-result"]
    s = sheet(world, "report-result", cid)
    for needle in ("举报处理结果告知书", f"{REPORTER}：", "反映苏州好又多超市有限公司（过期食品）涉嫌违法的举报",
                   "于2026年11月20日决定对被举报人苏州好又多超市有限公司涉嫌违法的行为予以立案调查"):
        assert flat(needle) in s.text, needle
    assert "不予立案" not in s.text and s.rendered.pages == 1
    assert "涉嫌销售过期食品" not in s.text  # the 立案说明 stays inside the office

    declined = report(world, complainant_phone="13955550002")
    world.clock.at += timedelta(days=1)
    world.s.complaints.decline_case(world.desk, declined, note="现场检查未发现过期商品",
                                    expected_version=version(world, declined))
    s = sheet(world, "report-result", declined)
    assert "于2026年11月21日决定不予立案" in s.text and "不予立案的理由：现场检查未发现过期商品" in s.text

    anonymous = report(world, real_name=False, complainant_phone="")
    world.s.complaints.file_case(world.desk, anonymous, note="立案调查",
                                 expected_version=version(world, anonymous))
    assert keys(world, anonymous) == ["report-registration"]
    with pytest.raises(Exception, match="举报 .* 是匿名举报，没有需要告知结果的举报人"):
        world.s.printing.render(world.desk, FormRequest("report-result", complaint_id=anonymous))


def _district_desk(world: World) -> CurrentUser:
    """A desk clerk of the district bureau: sees personal information in full."""
    world.s.users.create(world.admin, username="wzdesk", display_name="区局窗口", password=PASSWORD,
                         office_id=world.office_ids["WZ"], roles={Role.DESK_STAFF})
    return world.s.users.login("wzdesk", PASSWORD)


def test_report_dispatch_is_printed_by_the_district_and_never_names_the_reporter(world: World) -> None:
    cid = report(world, channel_code="district", district_number="QJ2026-0815")
    district = _district_desk(world)
    # The receiving sub-bureau does not issue the district's notice.
    assert keys(world, cid) == ["report-registration"]
    with pytest.raises(Exception, match="由区局平台分送至长桥分局，分送通知书由吴中区市场监督管理局出具"):
        world.s.printing.render(world.desk, FormRequest("dispatch", complaint_id=cid))
    assert keys(world, cid, district) == ["report-registration", "dispatch"]
    assert [c.label for c in world.s.printing.choices(district, cid)][1] == "举报分送通知书"
    s = sheet(world, "dispatch", cid, district)
    assert s.rendered.form.title == "举报分送通知书" and s.rendered.pages == 1
    assert s.text.startswith("吴中区市场监督管理局举报分送通知书")  # the district's letterhead
    for needle in ("长桥分局：", "苏州好又多超市有限公司", "已过保质期的牛奶", "QJ2026-0815",
                   "于2026年12月10日前作出是否立案的决定",  # 15 working days from 2026-11-19
                   "举报人依法保密", "分送日期2026年11月19日"):
        assert flat(needle) in s.text, needle
    # The reporter is on none of its pages, not even masked.
    for secret in (REPORTER, REPORTER_PHONE, ID_NUMBER, "5550001", "林*"):
        assert secret not in s.text, secret
    # A 举报's reporter is its handler's to see: the district desk's 登记表 masks them …
    registration = sheet(world, "report-registration", cid, district)
    assert REPORTER not in registration.text and "林*" in registration.text
    # … until it handles the report; its 分送通知书 still names no reporter.
    store(world, cid, handler_id=district.id)
    assert REPORTER in sheet(world, "report-registration", cid, district).text
    handled = sheet(world, "dispatch", cid, district)
    assert "长桥分局：" in handled.text and "举报人依法保密" in handled.text
    assert not any(x in handled.text for x in (REPORTER, REPORTER_PHONE, ID_NUMBER, "林*"))
    world.s.printing.record(district, s.rendered, "print")
    assert world.s.records.history(district, cid)[-1].text.startswith("打印《举报分送通知书》")


def test_complaint_dispatch_goes_from_the_office_that_transfers_it_down(world: World) -> None:
    cid = register(world)
    with pytest.raises(Exception, match="没有分送下级单位"):
        world.s.printing.render(world.desk, FormRequest("dispatch", complaint_id=cid))
    world.s.complaints.transfer(world.desk, cid, target="转万达广场投诉站源头和解",
                                expected_version=version(world, cid))
    assert keys(world, cid) == ["registration", "dispatch"]
    s = sheet(world, "dispatch", cid)
    assert s.rendered.form.title == "投诉分送通知书"
    calendar = world.s.printing.ctx.reference.calendar()
    sent = date.today()  # the transfer's day, from the history's time of it
    decision = calendar.add_working_days(sent, 7).day
    result = calendar.working_day_on_or_after(date.fromordinal(decision.toordinal() + 60)).day
    for needle in ("长桥分局投诉分送通知书", "万达广场投诉站：", "张伟", "13812345678", "要求更换新车",
                   f"于{decision.year}年{decision.month}月{decision.day}日前作出是否受理的决定",
                   f"于{result.year}年{result.month}月{result.day}日前将处理结果报送本单位"):
        assert flat(needle) in s.text, needle

    # A 举报 is never sent to a station (stations neither register nor receive one).
    rid = report(world)
    world.s.complaints.transfer(world.desk, rid, target="万达广场投诉站",
                                expected_version=version(world, rid))
    with pytest.raises(Exception, match="投诉站不接收举报"):
        world.s.printing.render(world.desk, FormRequest("dispatch", complaint_id=rid))

    elsewhere = register(world, complainant_phone="13900000041")
    world.s.complaints.transfer(world.desk, elsewhere, target="苏州市姑苏区市场监督管理局",
                                expected_version=version(world, elsewhere))
    with pytest.raises(Exception, match="不是本单位的下级单位"):
        world.s.printing.render(world.desk, FormRequest("dispatch", complaint_id=elsewhere))


# -- what does not apply is refused, with its reason ----------------------------------------------
def test_forms_of_the_wrong_kind_are_refused_and_a_consultation_prints_none(world: World) -> None:
    cid = report(world)
    with pytest.raises(Exception, match="是举报，不适用投诉登记表"):
        world.s.printing.render(world.desk, FormRequest("registration", complaint_id=cid))
    with pytest.raises(Exception, match="是举报，不适用调解记录"):
        world.s.printing.render(world.desk, FormRequest("mediation-record", complaint_id=cid))
    complaint = register(world, complainant_phone="13900000051")
    with pytest.raises(Exception, match="是投诉，不适用举报的文书举报登记表"):
        world.s.printing.render(world.desk, FormRequest("report-registration", complaint_id=complaint))
    with pytest.raises(Exception, match="投诉 .* 尚未受理，不能打印投诉受理决定书"):
        world.s.printing.render(world.desk, FormRequest("acceptance", complaint_id=complaint))

    question = world.s.complaints.register(world.desk, draft(
        kind="consultation", received_at=NEW, respondent_name="", subject="",
        facts="预付卡商家关门了怎么办", answer="可向发卡经营者所在地市场监管部门投诉",
        complainant_address="")).ids[0]
    assert world.s.printing.choices(world.desk, question) == []
    with pytest.raises(Exception, match="是当场解答的咨询，不出具文书"):
        world.s.printing.render(world.desk, FormRequest("registration", complaint_id=question))


def test_the_history_and_the_scanned_code_name_the_2026_title(world: World) -> None:
    cid = register(world)
    rendered = world.s.printing.render(world.desk, FormRequest("registration", complaint_id=cid))
    world.s.printing.record(world.desk, rendered, "print")
    assert world.s.records.history(world.desk, cid)[-1].action == "打印《投诉登记表》"
    number = world.s.complaints.get(world.desk, cid).number
    check = world.s.printing.check_code(world.desk, qr.encode(number, rendered.checksum or ""))
    assert check.unchanged and "该表格（投诉登记表）" in check.message


@pytest.fixture
def every_form(world: World) -> Iterator[dict[str, Sheet]]:
    """Each 2026 form once, for the checks that hold for all of them."""
    out: dict[str, Sheet] = {}
    cid = accepted(world)
    store(world, cid, mediation_at=datetime(2026, 11, 25, 9, 30), mediation_place="调解室",
          id_proof_due_on=date(2026, 11, 27), settlement_terms="退款", settled_on=date(2026, 11, 20),
          terminated_on=date(2026, 11, 20), termination_ground="withdrawn",
          rejection_ground="not_consumer")
    for form in ("registration", "id-proof", "acceptance", "rejection", "mediation-notice",
                 "termination", "agreement"):
        out[form] = sheet(world, form, cid)
    rid = report(world, channel_code="district")
    store(world, rid, status="filed", case_decided_on=date(2026, 11, 20))
    out["report-registration"] = sheet(world, "report-registration", rid)
    out["report-result"] = sheet(world, "report-result", rid)
    out["dispatch"] = sheet(world, "dispatch", rid, _district_desk(world))
    yield out


def test_every_2026_form_is_one_page_with_its_title_office_and_seal_or_signatures(
        every_form: dict[str, Sheet]) -> None:
    assert len(every_form) == 10
    for form, s in every_form.items():
        assert s.rendered.pages == 1, form
        assert flat(s.rendered.form.title) in s.text, form
        assert "第1页共1页" in s.text, form
        assert re.search(r"(加盖.+)|(签字)", s.text), form
        assert "投诉单号" in s.text or "举报单号" in s.text, form


def test_oversized_stored_text_is_clipped_on_the_2026_forms_and_the_seal_stays_whole(world: World) -> None:
    import time

    from desktop.forms.data import OMITTED

    cid = accepted(world)
    store(world, cid, facts="冰箱制冷效果差，多次维修未果。" * 20_000 + "末尾不应印出",
          status_note="注" * 50_000, rejection_ground="over_three_years",
          mediation_materials="材" * 30_000, mediation_at=datetime(2026, 11, 25, 9, 30))
    for form in ("registration", "rejection", "mediation-notice"):
        start = time.perf_counter()
        s = sheet(world, form, cid)
        assert time.perf_counter() - start < 5, form
        assert flat(OMITTED) in s.text and "末尾不应印出" not in s.text, form
        assert 1 <= s.rendered.pages <= 12, (form, s.rendered.pages)
        last = flat(s.pages[-1])
        assert "加盖长桥分局" in last or "登记人（签字）" in last, form  # seal or signatures whole
    s = sheet(world, "rejection", cid)
    assert ticked_line(s.text, 7).startswith(f"{TICKED}（四）除法律另有规定外")
