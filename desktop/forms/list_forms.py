"""The sheets of many complaints: the ledger (台账) and the quarterly check of unfinished
complaints (每季度核对未办结件)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from desktop.forms.data import LedgerLine, Letterhead, OpenLine
from desktop.forms.sheet import (
    BLANK_DATE,
    BODY_FLUSH,
    LIST_SECTION,
    NOTE,
    Pdf,
    SheetHeader,
    build,
    empty_note,
    heading,
    iso_day,
    money,
    para,
    ruled_table,
    signatures,
)


def ledger(lines: Sequence[LedgerLine], period: tuple[date, date], lh: Letterhead,
           printed_at: datetime, title: str = "投诉台账") -> Pdf:
    """投诉台账 (landscape): its two parts, dispatched complaints and the office's own."""
    start, end = period
    h = SheetHeader(title=title, letterhead=lh, printed_at=printed_at, landscape=True,
                    subtitle=f"接收日期 {iso_day(start)} 至 {iso_day(end)}　共 {len(lines)} 件")
    w = h.width
    header = ["序号", "投诉单号", "接收时间", "来源", "投诉人", "被投诉方", "商品或服务",
              "分类", "承办人", "状态", "办理期限", "办结日期", "办结结果", "挽回损失(元)"]
    fractions = [0.035, 0.115, 0.07, 0.075, 0.045, 0.115, 0.115, 0.075, 0.045, 0.055, 0.07, 0.07,
                 0.06, 0.055]
    widths = [w * f for f in fractions]
    story: list[Flowable] = list(heading(h))
    parts = [("一、区局平台分流件", [x for x in lines if x.dispatched]),
             ("二、自行受理件", [x for x in lines if not x.dispatched])]
    for caption, part in parts:
        # A part's heading starts a page rather than end one; the table itself may then split.
        story.append(CondPageBreak(30 * mm))
        story.append(para(f"{caption}（{len(part)} 件）", LIST_SECTION))
        if not part:
            story.append(para("本期无。", NOTE))
            continue
        rows = [
            [str(i), x.number, f"{x.received_at:%Y-%m-%d %H:%M}", x.channel, x.complainant,
             x.respondent, x.subject, x.category, x.handler, x.status, iso_day(x.due_on),
             iso_day(x.closed_on), x.result, f"{x.recovered:,.2f}" if x.recovered else ""]
            for i, x in enumerate(part, start=1)
        ]
        story.append(ruled_table(header, rows, widths, small=True, centered=(0, 2, 9, 10, 11)))
    closed = sum(1 for x in lines if x.closed_on)
    recovered = sum((x.recovered for x in lines if x.recovered), start=0)
    story.append(Spacer(1, 3 * mm))
    story.append(para(f"合计：接收 {len(lines)} 件，已办结 {closed} 件，在办 {len(lines) - closed} 件，"
                      f"挽回经济损失 {money(recovered) or '0.00 元'}。", BODY_FLUSH))
    story.append(signatures([("制表人", BLANK_DATE), ("负责人", BLANK_DATE)], w * 0.7))
    return build(h, story)


def quarterly_check(lines: Sequence[OpenLine], year: int, quarter: int, as_of: date,
                    lh: Letterhead, printed_at: datetime) -> Pdf:
    """季度未办结件核对表: what is open, how long, what is next; checked and signed."""
    h = SheetHeader(title="季度未办结件核对表", letterhead=lh, printed_at=printed_at, landscape=True,
                    subtitle=f"{year}年第{quarter}季度　核对截止日 {iso_day(as_of)}　"
                             f"未办结 {len(lines)} 件（其中超期 {sum(x.overdue for x in lines)} 件）")
    w = h.width
    header = ["序号", "投诉单号", "接收日期", "被投诉方", "商品或服务", "承办人", "当前状态",
              "已历时\n(天)", "办理期限", "下一步", "核对意见"]
    fractions = [0.035, 0.125, 0.07, 0.15, 0.13, 0.055, 0.065, 0.05, 0.085, 0.135, 0.1]
    rows = [
        [str(i), x.number, iso_day(x.received_on), x.respondent, x.subject, x.handler,
         x.status, str(x.days_open), iso_day(x.due_on) + ("（超期）" if x.overdue else ""),
         x.next_step, ""]
        for i, x in enumerate(lines, start=1)
    ]
    overdue_rows = [i for i, x in enumerate(lines) if x.overdue]
    story: list[Flowable] = [
        *heading(h),
        ruled_table(header, rows, [w * f for f in fractions], small=True,
                    centered=(0, 2, 7, 8), shaded_rows=overdue_rows),
        *empty_note(lines, "本季度没有未办结的投诉。"),
        signatures([("核对人（签字）", BLANK_DATE), ("负责人（签字）", BLANK_DATE)], w * 0.7),
    ]
    return build(h, story)
