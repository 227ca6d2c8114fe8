"""The monthly disclosure workflow through the real services and database: build, object,
approve at both levels, publish, export, correct; refusals, roles and frozen lists."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from desktop.domain.disclosure import ListStatus, RequestStatus, Step
from desktop.domain.errors import FieldError, PermissionDenied, TransitionError
from desktop.domain.workflow import Result, Role
from desktop.services.dto import CurrentUser
from desktop.services.printing import FormRequest
from tests.conftest import World, draft

NOVEMBER = date(2026, 11, 1)


def closed(world: World, user: CurrentUser | None = None, result: Result = Result.SETTLED,
           **overrides: object) -> int:
    """A complaint accepted, mediated and closed today (2026-11-20) with `result`."""
    s = world.s
    user = user or world.clerk
    cid = s.complaints.register(user, draft(**overrides)).ids[0]
    version = lambda: s.complaints.get(user, cid).version  # noqa: E731
    s.complaints.accept(user, cid, expected_version=version())
    if result is Result.SETTLED:
        s.complaints.settle(user, cid, terms="退款 3000 元", expected_version=version())
    else:  # 调解不成 and 终止调解 both close after a termination
        s.complaints.terminate(user, cid, ground="withdrawn", expected_version=version())
    s.complaints.close(user, cid, result=result, expected_version=version())
    return cid


@pytest.fixture
def month(world: World) -> dict[str, int]:
    """November: three complaints to publish, and two that must not be published."""
    s = world.s
    ids = {
        "car": closed(world, facts="本人张伟，电话13812345678，新车发动机故障，4S 店维修两次未修好。"),
        "gym": closed(world, result=Result.NOT_SETTLED, complainant_name="欧阳娜娜",
                      respondent_name="苏州力美健身有限公司", respondent_credit_code=None,
                      subject="健身预付卡", facts="欧阳娜娜反映健身房闭店，预付卡余额 3000 元无法退还。"),
        "sofa": closed(world, user=world.other_clerk, respondent_name="木渎家居城某沙发店",
                       respondent_credit_code=None, subject="布艺沙发",
                       facts="沙发到货后发现色差，要求退货。"),
    }
    # Not on the list: still open, and closed without acceptance (不予受理).
    s.complaints.register(world.clerk, draft(subject="仍在办理"))
    rid = s.complaints.register(world.clerk, draft(subject="不予受理件")).ids[0]
    s.complaints.reject(world.clerk, rid, ground="not_consumer",
                        expected_version=s.complaints.get(world.clerk, rid).version)
    s.complaints.close(world.clerk, rid, result=Result.REJECTED,
                       expected_version=s.complaints.get(world.clerk, rid).version)
    return ids


def built(world: World) -> int:
    world.s.disclosure.build(world.cp, NOVEMBER)
    ov = world.s.disclosure.overview(world.cp, NOVEMBER)
    assert ov.list is not None
    return ov.list.id


def entry_of(world: World, user: CurrentUser, cid: int):  # type: ignore[no-untyped-def]
    return next(e for e in world.s.disclosure.overview(user, NOVEMBER).entries
                if e.complaint_id == cid)


def test_full_round_build_object_approve_publish_export(world: World, month: dict[str, int],
                                                        tmp_path: Path) -> None:
    s = world.s
    list_id = built(world)
    ov = s.disclosure.overview(world.cp, NOVEMBER)
    assert ov.list.status is ListStatus.DRAFT and ov.scope_name == "吴中区市场监督管理局"
    assert [e.complaint_id for e in ov.entries] == [month["car"], month["gym"], month["sofa"]]
    car = entry_of(world, world.cp, month["car"])
    # The proposal hides the complainant; the enterprise and the product stay readable.
    assert "张伟" not in car.content and "13812345678" not in car.content
    assert "家用轿车" in car.content and car.success
    gym = entry_of(world, world.cp, month["gym"])
    assert "欧阳娜娜" not in gym.content and "3000 元" in gym.content and not gym.success

    # The station clerk sees only their own station's rows, and objects to one.
    mine = s.disclosure.overview(world.other_clerk, NOVEMBER).entries
    assert [e.complaint_id for e in mine] == [month["sofa"]]
    s.disclosure.object(world.other_clerk, mine[0].id, "色差问题经检测不属实，与事实明显不符")
    ov = s.disclosure.overview(world.cp, NOVEMBER)
    (req,) = ov.requests
    assert req.status is RequestStatus.PENDING and req.office == "家居城投诉站"
    assert req.waiting_for is Role.DEPARTMENT_HEAD
    with pytest.raises(TransitionError, match="不予公示申请尚未审批"):
        s.disclosure.submit(world.cp, list_id)
    s.disclosure.decide(world.dept_head, req.id, approve=True)
    s.disclosure.decide(world.deputy, req.id, approve=True, note="同意")
    sofa = entry_of(world, world.cp, month["sofa"])
    assert sofa.excluded and sofa.state == "不予公示"
    figures = {x.respondent: x for x in s.disclosure.overview(world.cp, NOVEMBER).enterprises}
    assert figures["木渎家居城某沙发店"].closed == 0  # taken off the list, off the figures

    s.disclosure.submit(world.cp, list_id)
    s.disclosure.approve(world.dept_head, list_id, note="同意公示")
    s.disclosure.approve(world.deputy, list_id)
    info = s.disclosure.overview(world.cp, NOVEMBER).list
    assert info.status is ListStatus.APPROVED
    dept, deputy = info.current(Step.DEPARTMENT_HEAD), info.current(Step.DEPUTY_DIRECTOR)
    assert (dept.by, dept.approve, dept.note) == ("dept", True, "同意公示")
    assert deputy.by == "deputy" and deputy.at == world.clock.now()

    with pytest.raises(TransitionError, match="只有审批通过并发布"):
        s.disclosure.export(world.cp, list_id, tmp_path)
    s.disclosure.publish(world.cp, list_id, ["website", "wechat"])
    info = s.disclosure.overview(world.cp, NOVEMBER).list
    assert info.status is ListStatus.PUBLISHED and info.channels == ("website", "wechat")

    written = s.disclosure.export(world.cp, list_id, tmp_path)
    xlsx = next(p for p in written if p.suffix == ".xlsx")
    from desktop.exports.disclosure import EXCEL_HEADER_ROW
    frame = pd.read_excel(io.BytesIO(xlsx.read_bytes()), sheet_name="公示清单",
                          header=EXCEL_HEADER_ROW, dtype=str)
    assert list(frame["投诉单号"]) == [car.number, gym.number]
    assert list(frame["成功与否"]) == ["成功", "不成功"]
    assert not frame["投诉内容"].str.contains("张伟|欧阳娜娜|13812345678").any()
    # The complaint's own history tells that it was put on the list and objected to.
    history = s.records.history(world.other_clerk, month["sofa"])
    assert any("申请不予公示" in h.action for h in history)


def test_refusal_returns_to_draft_in_a_new_round_with_its_reason(world: World,
                                                                  month: dict[str, int]) -> None:
    s = world.s
    list_id = built(world)
    s.disclosure.submit(world.cp, list_id)
    s.disclosure.approve(world.dept_head, list_id)
    with pytest.raises(FieldError, match="退回理由"):
        s.disclosure.refuse(world.deputy, list_id, "  ")
    s.disclosure.refuse(world.deputy, list_id, "第 2 条内容过长，请精简")
    info = s.disclosure.overview(world.cp, NOVEMBER).list
    assert info.status is ListStatus.DRAFT and info.round == 2
    assert info.returned.note == "第 2 条内容过长，请精简" and info.returned.by == "deputy"
    assert info.current(Step.DEPARTMENT_HEAD) is None  # round 1's approval no longer counts
    # Back in draft the section may edit again; the new round needs both approvals anew.
    gym = entry_of(world, world.cp, month["gym"])
    s.disclosure.edit_content(world.cp, gym.id, "健身预付卡：健身房闭店，预付卡余额无法退还。")
    s.disclosure.submit(world.cp, list_id)
    with pytest.raises(PermissionDenied, match="部门负责人"):
        s.disclosure.approve(world.deputy, list_id)
    s.disclosure.approve(world.dept_head, list_id)
    s.disclosure.approve(world.deputy, list_id)
    assert s.disclosure.overview(world.cp, NOVEMBER).list.status is ListStatus.APPROVED


def test_wrong_roles_cannot_build_approve_or_publish(world: World, month: dict[str, int]) -> None:
    s = world.s
    with pytest.raises(PermissionDenied, match="消保科"):
        s.disclosure.build(world.dept_head, NOVEMBER)
    list_id = built(world)
    with pytest.raises(PermissionDenied):
        s.disclosure.submit(world.clerk, list_id)
    s.disclosure.submit(world.cp, list_id)
    for wrong in (world.clerk, world.cp, world.admin, world.deputy):
        with pytest.raises(PermissionDenied):
            s.disclosure.approve(wrong, list_id)
    assert s.disclosure.overview(world.cp, NOVEMBER).list.status is ListStatus.SUBMITTED
    with pytest.raises(TransitionError, match="须经部门负责人和分管局长审批"):
        s.disclosure.publish(world.cp, list_id, ["website"])
    # One person holding both roles still cannot give both approvals.
    world.s.users.create(world.admin, username="both", display_name="两职", password="test1234",
                         office_id=world.office_ids["WZ"],
                         roles={Role.DEPARTMENT_HEAD, Role.DEPUTY_DIRECTOR})
    boss = s.users.login("both", "test1234")
    s.disclosure.approve(boss, list_id)
    with pytest.raises(PermissionDenied, match="不同的人"):
        s.disclosure.approve(boss, list_id)
    # A sub-bureau's staff cannot act on the district's list.
    with pytest.raises(PermissionDenied):
        s.disclosure.withdraw(world.desk, list_id, "试试")


def test_submitted_list_is_frozen(world: World, month: dict[str, int]) -> None:
    s = world.s
    list_id = built(world)
    car = entry_of(world, world.cp, month["car"])
    s.disclosure.submit(world.cp, list_id)
    with pytest.raises(TransitionError, match="冻结"):
        s.disclosure.edit_content(world.cp, car.id, "新的内容")
    with pytest.raises(TransitionError, match="冻结"):
        s.disclosure.build(world.cp, NOVEMBER)
    with pytest.raises(TransitionError, match="不能再申请不予公示"):
        s.disclosure.object(world.clerk, car.id, "不属实")
    assert entry_of(world, world.cp, month["car"]).content == car.content
    # Withdrawing starts a new round in which the rows can change again.
    s.disclosure.withdraw(world.cp, list_id, "补充本月新办结的投诉")
    s.disclosure.edit_content(world.cp, car.id, "家用轿车：发动机故障灯亮起，两次维修未解决。")
    assert entry_of(world, world.cp, month["car"]).edited


def test_edits_are_masked_audited_and_new_closings_need_a_rebuild(world: World,
                                                                   month: dict[str, int]) -> None:
    s = world.s
    list_id = built(world)
    car = entry_of(world, world.cp, month["car"])
    result = s.disclosure.edit_content(world.cp, car.id, "张伟反映新车故障，联系电话 139 1234 5678。")
    assert result.masked and "张伟" not in result.content and "5678" not in result.content
    history = s.records.history(world.clerk, month["car"])
    assert any(h.action == "修改公示内容" for h in history)
    # A complaint closed after the draft was built: submitting would publish an old list.
    late = closed(world, subject="电动自行车")
    assert s.disclosure.overview(world.cp, NOVEMBER).candidates_changed
    with pytest.raises(TransitionError, match="重新生成"):
        s.disclosure.submit(world.cp, list_id)
    s.disclosure.build(world.cp, NOVEMBER)
    ov = s.disclosure.overview(world.cp, NOVEMBER)
    assert late in [e.complaint_id for e in ov.entries] and not ov.candidates_changed
    # The hand edit survived the rebuild.
    assert entry_of(world, world.cp, month["car"]).content == result.content
    s.disclosure.submit(world.cp, list_id)


def test_correction_round_changes_the_published_text(world: World, month: dict[str, int],
                                                     tmp_path: Path) -> None:
    s = world.s
    list_id = built(world)
    s.disclosure.submit(world.cp, list_id)
    s.disclosure.approve(world.dept_head, list_id)
    s.disclosure.approve(world.deputy, list_id)
    car = entry_of(world, world.cp, month["car"])
    with pytest.raises(TransitionError, match="已发布"):
        s.disclosure.correct(world.cp, car.id, "经营者申请", "新内容")
    s.disclosure.publish(world.cp, list_id, ["board"])
    new_text = "家用轿车：发动机故障，经营者已为消费者更换新车。经办人电话 13912345678"
    s.disclosure.correct(world.cp, car.id, "经营者提供换车凭证，原公示内容未反映处理结果", new_text,
                         requester="苏州东吴汽车销售服务有限公司", requester_address="龙西路 8 号")
    (req,) = [r for r in s.disclosure.overview(world.cp, NOVEMBER).requests
              if r.kind.value == "correction"]
    assert "13912345678" not in req.new_content and req.old_content == car.content
    with pytest.raises(PermissionDenied):
        s.disclosure.decide(world.clerk, req.id, approve=True)
    s.disclosure.decide(world.dept_head, req.id, approve=True)
    assert entry_of(world, world.cp, month["car"]).content == car.content  # not yet
    s.disclosure.decide(world.deputy, req.id, approve=True)
    after = entry_of(world, world.cp, month["car"])
    assert after.content == req.new_content and after.corrected_on == world.clock.today()
    pl = s.disclosure.public_list(world.cp, list_id)
    assert pl.revision == 1 and pl.corrections[0].number == car.number
    assert pl.entries[0].corrected_on == world.clock.today()
    names = [p.name for p in s.disclosure.export(world.cp, list_id, tmp_path)]
    assert any("更正1" in n for n in names)


def test_refused_request_changes_nothing(world: World, month: dict[str, int]) -> None:
    s = world.s
    built(world)
    car = entry_of(world, world.clerk, month["car"])
    with pytest.raises(PermissionDenied):  # another station's complaint
        s.disclosure.object(world.other_clerk, car.id, "不属实")
    s.disclosure.object(world.clerk, car.id, "不属实")
    with pytest.raises(TransitionError, match="正在审批"):
        s.disclosure.object(world.head, car.id, "重复申请")
    req = s.disclosure.overview(world.cp, NOVEMBER).requests[0]
    with pytest.raises(FieldError, match="不同意的理由"):
        s.disclosure.decide(world.dept_head, req.id, approve=False)
    s.disclosure.decide(world.dept_head, req.id, approve=False, note="证据不足")
    req = s.disclosure.request(world.cp, req.id)
    assert req.status is RequestStatus.REFUSED and req.decisions[-1].note == "证据不足"
    assert not entry_of(world, world.cp, month["car"]).excluded


def test_months_at_a_glance_and_scopes(world: World, month: dict[str, int]) -> None:
    s = world.s
    built(world)
    states = s.disclosure.months(world.cp, world.office_ids["WZ"], 2026)
    assert states[10].status is ListStatus.DRAFT and states[10].entries == 3
    assert states[9].status is None
    assert [c.name for c in s.disclosure.scopes(world.desk)] == ["长桥分局", "吴中区市场监督管理局"]
    with pytest.raises(FieldError, match="尚未开始"):
        s.disclosure.build(world.cp, date(2026, 12, 1))


# -- the paper: the two approval sheets and the reply to a correction ----------------------
def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


def test_approval_sheets_print_the_workflows_rows_and_electronic_approvals(
        world: World, month: dict[str, int]) -> None:
    s = world.s
    with pytest.raises(FieldError, match="尚未生成"):
        s.printing.render(world.cp, FormRequest("disclosure", month=NOVEMBER))
    list_id = built(world)
    sofa = entry_of(world, world.other_clerk, month["sofa"])
    s.disclosure.object(world.other_clerk, sofa.id, "投诉内容与事实明显不符")
    draft_sheet = pdf_text(s.printing.render(world.cp, FormRequest("disclosure", month=NOVEMBER)).pdf)
    assert "（草稿）" in draft_sheet and "共3件" in draft_sheet
    assert "张伟" not in draft_sheet and "13812345678" not in draft_sheet and "张某" in draft_sheet

    req = s.disclosure.overview(world.cp, NOVEMBER).requests[0]
    s.disclosure.decide(world.dept_head, req.id, approve=True)
    refusal = pdf_text(s.printing.render(world.cp, FormRequest("disclosure-refusal",
                                                               month=NOVEMBER)).pdf)
    assert "消费投诉不予公示审批表" in refusal and "投诉内容与事实明显不符" in refusal
    assert "家居城投诉站" in refusal and "部门负责人审批同意" in refusal
    assert "当前：待分管局长审批" in refusal and "分管局长签字" in refusal

    s.disclosure.decide(world.deputy, req.id, approve=True)
    s.disclosure.submit(world.cp, list_id)
    s.disclosure.approve(world.dept_head, list_id)
    s.disclosure.approve(world.deputy, list_id)
    sheet = pdf_text(s.printing.render(world.cp, FormRequest("disclosure", month=NOVEMBER)).pdf)
    assert "共2件" in sheet and "草稿" not in sheet
    assert entry_of(world, world.cp, month["car"]).number in sheet and sofa.number not in sheet
    # The electronic approvals are printed, and the lines for ink are still there.
    assert "2026-11-2010:00dept部门负责人审批同意" in sheet
    assert "deputy分管局长审批同意" in sheet and "部门负责人签字" in sheet


def test_correction_reply_letter(world: World, month: dict[str, int]) -> None:
    s = world.s
    list_id = built(world)
    s.disclosure.submit(world.cp, list_id)
    s.disclosure.approve(world.dept_head, list_id)
    s.disclosure.approve(world.deputy, list_id)
    s.disclosure.publish(world.cp, list_id, ["website"])
    car = entry_of(world, world.cp, month["car"])
    s.disclosure.correct(world.cp, car.id, "已换车，原内容未反映结果", "家用轿车：已为消费者更换新车。",
                         requester="苏州东吴汽车销售服务有限公司")
    req = s.disclosure.overview(world.cp, NOVEMBER).requests[0]
    with pytest.raises(FieldError, match="审批完毕后"):
        s.printing.render(world.cp, FormRequest("correction-reply", request_id=req.id))
    s.disclosure.decide(world.dept_head, req.id, approve=True)
    s.disclosure.decide(world.deputy, req.id, approve=False, note="原内容与登记事实一致")
    letter = pdf_text(s.printing.render(world.cp, FormRequest("correction-reply",
                                                              request_id=req.id)).pdf)
    assert "消费投诉公示更正申请答复书" in letter and "苏州东吴汽车销售服务有限公司：" in letter
    assert "决定不予更正" in letter and "原内容与登记事实一致" in letter and car.number in letter
    assert entry_of(world, world.cp, month["car"]).content == car.content
