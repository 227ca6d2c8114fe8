"""The sheets of one complaint: registration, notices, mediation record and agreement."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.forms.data import ComplaintPaper, Letterhead, SessionPaper
from desktop.forms.sheet import (
    BLANK,
    BLANK_DATE,
    BODY,
    BODY_FLUSH,
    SECTION,
    Pdf,
    SheetHeader,
    build,
    day,
    field_grid,
    heading,
    minute,
    money,
    para,
    seal_block,
    signatures,
    signatures_beside_seal,
)


def _header(title: str, paper: ComplaintPaper, letterhead: Letterhead,
            printed_at: datetime) -> SheetHeader:
    return SheetHeader(title=title, letterhead=letterhead, printed_at=printed_at,
                       number=paper.number, code=paper.code)


def _complainant(p: ComplaintPaper) -> str:
    return p.complainant_name or "投诉人"


def _filed(p: ComplaintPaper) -> str:
    """How the letters name the complaint: when, how, against whom, under which number."""
    return (f"您于{day(p.received_at)}通过{p.channel}提出的对{p.respondent_name}"
            f"（{p.subject}）的投诉（投诉单号 {p.number}）")


def registration(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """消费投诉登记表: the complaint as registered; the complainant signs it."""
    h = _header("消费投诉登记表", p, lh, printed_at)
    rows = [
        [("投诉单号", p.number), ("接收时间", minute(p.received_at))],
        [("来源渠道", p.channel), ("区局单号", p.district_number or "")],
        *([[("原始编号", p.original_number)]] if p.original_number else []),
        [("投诉人", p.complainant_name), ("联系电话", p.complainant_phone)],
        [("身份证号码", p.complainant_id_number), ("投诉人地址", p.complainant_address)],
        [("被投诉方", p.respondent_name)],
        [("统一社会信用代码", p.respondent_credit_code), ("被投诉方地址", p.respondent_address)],
        [("商品或服务", p.subject), ("品牌型号", p.brand_model)],
        [("投诉分类", p.category), ("购买日期", day(p.purchase_date))],
        [("涉案金额", money(p.amount)), ("诉求类型", p.request_type)],
        [("诉求", p.request)],
        [("事实与理由", p.facts)],
        [("登记单位", p.office), ("登记人", p.registered_by)],
    ]
    story: list[Flowable] = [
        *heading(h),
        *field_grid(rows, h.width),
        signatures(
            [("投诉人（签字）", BLANK_DATE), ("登记人（签字）", BLANK_DATE)], h.width,
            lead=[Spacer(1, 3 * mm),
                  para("投诉人确认：以上登记内容与本人陈述一致，所附材料真实。", BODY_FLUSH)]),
    ]
    return build(h, story)


def acceptance(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """受理通知书."""
    h = _header("受理通知书", p, lh, printed_at)
    letter = [
        para(f"{_complainant(p)}：", BODY_FLUSH),
        para(f"{_filed(p)}，经审查，符合{p.rule_set_name}规定的受理条件，本单位决定予以受理，"
             f"受理日期为{day(p.accepted_on)}。", BODY),
        para(f"本单位将自受理之日起{p.mediation_limit}内组织调解。调解中需要检验、检测、鉴定的，"
             "所需时间不计算在调解期限内。请您保持联系方式畅通，按约参加调解，并如实提供"
             "购货凭证、服务单据等相关材料。", BODY),
        para(f"承办人：{p.handler or BLANK}　　联系电话：{lh.phone or BLANK}", BODY),
    ]
    if lh.address:
        letter.append(para(f"联系地址：{lh.address}", BODY))
    story = [*heading(h), Spacer(1, 4 * mm), *letter, seal_block(lh, day(printed_at), h.width)]
    return build(h, story)


def rejection(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """不予受理通知书, with the legal ground."""
    h = _header("不予受理通知书", p, lh, printed_at)
    letter = [
        para(f"{_complainant(p)}：", BODY_FLUSH),
        para(f"{_filed(p)}，经审查，因{p.rejection_ground}，根据{p.rule_set_name}的规定，"
             "本单位决定不予受理。", BODY),
    ]
    if p.status_note:
        letter.append(para(f"说明：{p.status_note}", BODY))
    letter += [
        para("您可以依法通过协商和解、请求消费者协会或者依法成立的其他调解组织调解、"
             "向仲裁机构申请仲裁或者向人民法院提起诉讼等途径解决争议。", BODY),
        para(f"联系电话：{lh.phone or BLANK}", BODY),
    ]
    story = [*heading(h), Spacer(1, 4 * mm), *letter, seal_block(lh, day(printed_at), h.width)]
    return build(h, story)


def mediation_record(p: ComplaintPaper, s: SessionPaper, lh: Letterhead,
                     printed_at: datetime) -> Pdf:
    """调解记录: one mediation contact; both parties and the mediator sign."""
    h = _header("调解记录", p, lh, printed_at)
    h = SheetHeader(**{**h.__dict__, "subtitle": f"第 {s.ordinal} 次调解"})
    rows = [
        [("投诉单号", p.number), ("调解时间", minute(s.held_at))],
        [("调解方式", s.means), ("调解地点", s.place)],
        [("投诉人", p.complainant_name), ("联系电话", p.complainant_phone)],
        [("被投诉方", p.respondent_name)],
        [("投诉事项", f"{p.subject}：{p.request}")],
        [("参加人员", s.participants)],
        [("调解情况", s.content)],
        [("调解结果", s.result)],
        [("调解人", s.recorded_by), ("调解单位", p.office)],
    ]
    story = [
        *heading(h),
        *field_grid(rows, h.width),
        signatures([("投诉人（签字）", BLANK_DATE), ("被投诉方（签字或盖章）", BLANK_DATE),
                    ("调解人（签字）", BLANK_DATE)], h.width,
                   lead=[Spacer(1, 2 * mm),
                         para("以上记录经当事人阅看（或向其宣读），确认无误。", BODY_FLUSH)]),
    ]
    return build(h, story)


def agreement(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """调解书: the agreement both parties sign and the office seals, in three copies."""
    h = _header("消费争议调解书", p, lh, printed_at)
    parties = [
        [("投诉人", p.complainant_name), ("联系电话", p.complainant_phone)],
        [("身份证号码", p.complainant_id_number), ("地址", p.complainant_address)],
        [("被投诉方", p.respondent_name)],
        [("统一社会信用代码", p.respondent_credit_code), ("地址", p.respondent_address)],
    ]
    if p.performance_due_on:
        performance = f"被投诉方应于{day(p.performance_due_on)}前履行完毕。"
    else:
        performance = "本协议于签订时当场履行完毕。"
    story: list[Flowable] = [
        *heading(h),
        para("一、当事人", SECTION),
        *field_grid(parties, h.width),
        para("二、投诉事项与事实", SECTION),
        para(f"投诉人于{day(p.received_at)}就{p.subject}向本单位投诉，诉求：{p.request}", BODY),
        para(p.facts, BODY),
        para("三、调解协议", SECTION),
        para(f"经{p.office}主持调解，双方当事人自愿达成如下协议：", BODY),
        para(p.settlement_terms, BODY),
    ]
    if p.recovered is not None:
        story.append(para(f"挽回经济损失：{money(p.recovered)}。", BODY))
    story += [
        para("四、履行期限", SECTION),
        para(performance, BODY),
        para("五、其他", SECTION),
        para("本调解书经双方当事人签字（盖章）后生效，双方应当自觉履行。"
             "本调解书一式三份，双方当事人各执一份，调解单位存档一份。", BODY),
        signatures_beside_seal(["投诉人（签字）", "被投诉方（签字并盖章）", "调解人（签字）"], lh,
                               day(p.settled_on or printed_at), h.width),
    ]
    return build(h, story)


def termination(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """终止调解告知书: the ground and the date, to both parties."""
    h = _header("终止调解告知书", p, lh, printed_at)
    letter = [
        para(f"投诉人{_complainant(p)}、被投诉方{p.respondent_name}：", BODY_FLUSH),
        para(f"投诉人于{day(p.received_at)}提出的关于{p.subject}的投诉（投诉单号 {p.number}），"
             f"本单位于{day(p.accepted_on)}受理并组织调解。调解过程中，因{p.termination_ground}，"
             f"根据{p.rule_set_name}的规定，本单位决定于{day(p.terminated_on)}终止调解。", BODY),
    ]
    if p.status_note:
        letter.append(para(f"说明：{p.status_note}", BODY))
    letter += [
        para("双方可以依法通过协商和解、请求其他调解组织调解、申请仲裁或者向人民法院提起诉讼"
             "等途径解决争议。", BODY),
        para("特此告知。", BODY),
    ]
    story = [*heading(h), Spacer(1, 4 * mm), *letter, seal_block(lh, day(printed_at), h.width)]
    return build(h, story)
