"""The disclosure's paper (seed 002): the two approval sheets of the month, 消费投诉公示审批表
and 消费投诉不予公示审批表 (its annexes), and the letter answering a correction request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.forms.data import CorrectionPaper, DisclosureLine, Letterhead, RefusalLine
from desktop.forms.sheet import (
    BLANK_DATE,
    BODY,
    BODY_FLUSH,
    NOTE,
    SECTION,
    Pdf,
    SheetHeader,
    build,
    day,
    empty_note,
    field_grid,
    heading,
    iso_day,
    para,
    ruled_table,
    seal_block,
    signatures,
)

_APPROVALS = [("部门负责人签字", BLANK_DATE), ("分管局长签字", BLANK_DATE)]


def _approvals(records: Sequence[str]) -> list[Flowable]:
    """The electronic approvals so far, printed above the lines left for ink."""
    if not records:
        return []
    return [Spacer(1, 2 * mm), para("电子审批记录：" + "；".join(records) + "。", NOTE)]


def disclosure_approval(lines: Sequence[DisclosureLine], month: date, lh: Letterhead,
                        printed_at: datetime, approvals: Sequence[str] = (),
                        state: str = "") -> Pdf:
    """消费投诉公示审批表 — 月: the month's list as it will be published, with the electronic
    approvals given so far (`approvals`) and the list's state when it is not yet approved."""
    subtitle = f"{month.year}年{month.month}月　共 {len(lines)} 件"
    h = SheetHeader(title="消费投诉公示审批表", letterhead=lh, printed_at=printed_at,
                    subtitle=f"{subtitle}　（{state}）" if state else subtitle,
                    issuer=lh.district)
    w = h.width
    widths = [w * 0.05, w * 0.19, w * 0.1, w * 0.17, w * 0.41, w * 0.08]
    rows = [
        [str(i), line.number, iso_day(line.received_at), line.respondent, line.content,
         "成功" if line.success else "不成功"]
        for i, line in enumerate(lines, start=1)
    ]
    story: list[Flowable] = [
        *heading(h),
        ruled_table(["序号", "投诉单号", "投诉时间", "被投诉方", "投诉内容", "成功与否"], rows,
                    widths, small=True, centered=(0, 2, 5)),
        *empty_note(lines, "本月没有可公示的已办结投诉。"),
        signatures(_APPROVALS, w, lead=[Spacer(1, 2 * mm), para(
            f"公示范围：{month.year}年{month.month}月受理并办结的消费投诉；投诉内容已隐去"
            "个人信息和商业秘密。经审核，同意按上表公示。", BODY_FLUSH), *_approvals(approvals)]),
    ]
    return build(h, story)


def disclosure_refusal(lines: Sequence[RefusalLine], month: date, lh: Letterhead,
                       printed_at: datetime) -> Pdf:
    """消费投诉不予公示审批表 — 月: the complaints handling offices ask to keep off the list,
    each with its electronic approvals so far."""
    h = SheetHeader(title="消费投诉不予公示审批表", letterhead=lh,
                    printed_at=printed_at, issuer=lh.district,
                    subtitle=f"{month.year}年{month.month}月　共 {len(lines)} 件")
    w = h.width
    widths = [w * 0.06, w * 0.18, w * 0.14, w * 0.17, w * 0.25, w * 0.2]
    rows = [[str(i), line.number, line.office, line.respondent, line.reason, line.approval]
            for i, line in enumerate(lines, start=1)]
    story: list[Flowable] = [
        *heading(h),
        ruled_table(["序号", "投诉单号", "承办单位", "被投诉方", "不予公示理由", "审批情况"], rows,
                    widths, small=True, centered=(0,)),
        *empty_note(lines, "本月没有申请不予公示的投诉。"),
        signatures([("承办单位（签字）", BLANK_DATE), *_APPROVALS], w),
    ]
    return build(h, story)




def correction_reply(p: CorrectionPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """更正申请答复书: tells whoever asked for a correction what was decided (seed 002:
    "及时更正并将结果告知申请人")."""
    h = SheetHeader(title="消费投诉公示更正申请答复书", letterhead=lh, printed_at=printed_at,
                    number=p.number)
    month = f"{p.month.year}年{p.month.month}月"
    if p.approved:
        decision = (f"经审核，原公示内容确需更正，本局已于{day(p.decided_on)}在原公示渠道予以更正，"
                    "更正后的内容见下表。")
    else:
        decision = f"经审核，决定不予更正。理由：{p.note}"
    rows = [[("投诉单号", p.number), ("公示月份", month)],
            [("申请日期", day(p.filed_on)), ("审核结果", "予以更正" if p.approved else "不予更正")],
            [("申请理由", p.reason)],
            [("原公示内容", p.old_content)]]
    if p.approved:
        rows.append([("更正后内容", p.new_content)])
    story: list[Flowable] = [
        *heading(h),
        Spacer(1, 4 * mm),
        para(f"{p.requester or '申请人'}：", BODY_FLUSH),
        para(f"你（单位）于{day(p.filed_on)}提出的关于{month}消费投诉公示中投诉单号 {p.number} "
             "所载内容的更正申请收悉。" + decision, BODY),
        para("申请与审核情况", SECTION),
        *field_grid(rows, h.width),
        Spacer(1, 2 * mm),
        para("如对本答复有异议，可自收到本答复书之日起向本局提出书面意见。特此告知。", BODY),
    ]
    if p.requester_address:
        story.append(para(f"送达地址：{p.requester_address}", NOTE))
    story.append(seal_block(lh, day(p.decided_on), h.width))
    return build(h, story)
