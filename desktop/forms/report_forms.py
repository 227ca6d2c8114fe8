"""The 2026 forms around a 举报 and a 分送: 举报登记表 (internal), 投诉/举报分送通知书 (to a lower
office, without the reporter), 举报处理结果告知书 (to a reporter who gave their real name).

The reporter's identity is printed on the 登记表 and the 告知书 only: the 分送通知书 leaves every
reporter field out, whatever the user may see."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.forms.data import ComplaintPaper, DispatchPaper, Letterhead
from desktop.forms.sheet import (
    BLANK,
    BLANK_DATE,
    BODY,
    BODY_FLUSH,
    NOTE,
    SECTION,
    Pdf,
    SheetHeader,
    build,
    day,
    field_grid,
    heading,
    minute,
    para,
    seal_block,
    signatures,
)

ANONYMOUS = "匿名"
WITHHELD = "依法保密，本通知书不予载明"
REPORT_NUMBER = "举报单号"


def is_anonymous(p: ComplaintPaper) -> bool:
    return p.reporter_real_name is not True or not p.complainant_name.strip()


def _header(title: str, p: ComplaintPaper, lh: Letterhead, printed_at: datetime,
            label: str, subtitle: str = "") -> SheetHeader:
    return SheetHeader(title=title, letterhead=lh, printed_at=printed_at, number=p.number,
                       code=p.code, number_label=label, subtitle=subtitle)


def report_registration(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """举报登记表: the report as registered; for the office's own file."""
    h = _header("举报登记表", p, lh, printed_at, REPORT_NUMBER, "（内部使用　举报人信息依法保密）")
    anonymous = is_anonymous(p)
    real_name = "实名" if p.reporter_real_name else ANONYMOUS if p.reporter_real_name is False else ""
    rows = [
        [("举报单号", p.number), ("接收时间", minute(p.received_at))],
        [("来源渠道", p.channel), ("区局单号", p.district_number or "")],
        [("举报人", ANONYMOUS if anonymous else p.complainant_name), ("是否实名", real_name)],
        [("证件类型", "" if anonymous else p.complainant_id_type),
         ("证件号码", "" if anonymous else p.complainant_id_number)],
        [("联系电话", p.complainant_phone), ("联系地址", p.complainant_address)],
        [("被举报人", p.respondent_name)],
        [("统一社会信用代码", p.respondent_credit_code), ("被举报人地址", p.respondent_address)],
        [("涉及商品或服务", p.subject), ("举报分类", p.category)],
        [("举报线索与事实", p.facts)],
        [("举报人请求", p.request)],
        [("登记单位", p.office), ("登记人", p.registered_by)],
        [("承办人", p.handler), ("处理状态", p.status)],
    ]
    lead = [Spacer(1, 3 * mm),
            para("举报人的姓名、联系方式、证件号码等信息依法予以保密，不得泄露给被举报人或者与办理"
                 "举报无关的人员；本表不得随分送、告知等文书送出。", NOTE)]
    story: list[Flowable] = [
        *heading(h),
        *field_grid(rows, h.width, label_width=30 * mm),
        signatures([("登记人（签字）", BLANK_DATE), ("承办人（签字）", BLANK_DATE)], h.width,
                   lead=lead),
    ]
    return build(h, story)


def dispatch(p: ComplaintPaper, d: DispatchPaper, lh: Letterhead, printed_at: datetime,
             report: bool) -> Pdf:
    """投诉/举报分送通知书, issued by the dispatching office (`lh`) to the lower one."""
    kind = "举报" if report else "投诉"
    h = _header(f"{kind}分送通知书", p, lh, printed_at, REPORT_NUMBER if report else "投诉单号")
    if report:
        what = f"反映{p.respondent_name}（{p.subject}）涉嫌违法的举报（举报单号 {p.number}）"
        ask = (f"请你单位依法核查处理，于{day(d.result_due)}前作出是否立案的决定，并将处理结果"
               "报送本单位。举报人信息依法予以保密，本通知书不予载明，办理中不得向被举报人透露。")
        people: list[tuple[str, str | None]] = [("举报人", WITHHELD)]
        facts = "举报线索与事实"
    else:
        what = f"对{p.respondent_name}（{p.subject}）的投诉（投诉单号 {p.number}）"
        decision = f"于{day(d.decision_due)}前作出是否受理的决定，" if d.decision_due else ""
        ask = f"请你单位依法处理，{decision}于{day(d.result_due)}前将处理结果报送本单位。"
        people = [("投诉人", p.complainant_name), ("联系电话", p.complainant_phone)]
        facts = "事实与理由"
    rows = [
        [(f"{kind}单号", p.number), ("接收时间", minute(p.received_at))],
        [("区局单号", p.district_number or ""), ("分送日期", day(d.dispatched_on))],
        people,
        [(f"被{kind}人", p.respondent_name)],
        [(f"被{kind}人地址", p.respondent_address)],
        [("商品或服务", p.subject), ("分类", p.category)],
    ]
    if not report:
        rows.append([("诉求", p.request)])
    rows.append([(facts, p.facts)])
    story: list[Flowable] = [
        *heading(h),
        Spacer(1, 2 * mm),
        para(f"{d.to_office}：", BODY_FLUSH),
        para(f"现将{what}分送你单位。根据{p.rules_title}的规定，{ask}", BODY),
        para(f"{kind}基本情况", SECTION),
        *field_grid(rows, h.width),
        Spacer(1, 2 * mm),
        para(f"联系电话：{lh.phone or BLANK}", BODY),
        seal_block(lh, day(d.dispatched_on), h.width),
    ]
    return build(h, story)


def report_result(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """举报处理结果告知书: to a reporter who gave their real name, whether a case was opened."""
    h = _header("举报处理结果告知书", p, lh, printed_at, REPORT_NUMBER)
    if p.case_filed:
        result = (f"经核查，本单位于{day(p.case_decided_on)}决定对被举报人{p.respondent_name}"
                  "涉嫌违法的行为予以立案调查。")
    else:
        result = (f"经核查，被举报人{p.respondent_name}的相关行为不符合立案条件，"
                  f"本单位于{day(p.case_decided_on)}决定不予立案。")
    body: list[Flowable] = [
        para(f"{p.complainant_name}：", BODY_FLUSH),
        para(f"你于{day(p.received_at)}通过{p.channel}反映{p.respondent_name}（{p.subject}）"
             f"涉嫌违法的举报（举报单号 {p.number}），本单位已依法核查。现将处理结果告知如下：", BODY),
        para(result, BODY),
    ]
    if p.case_filed is False and p.status_note:  # the reason not to (the 立案说明 stays inside)
        body.append(para(f"不予立案的理由：{p.status_note}", BODY))
    body += [
        para("感谢你对市场监督管理工作的支持。", BODY),
        para("特此告知。", BODY),
    ]
    story = [*heading(h), Spacer(1, 4 * mm), *body, seal_block(lh, day(printed_at), h.width)]
    return build(h, story)
