"""A complaint's forms in the 2026 edition (the models of SAMR Order No. 121, in force since
2026-04-15): 投诉登记表, 限期提供身份证明材料通知书, 投诉受理决定书, 投诉不予受理决定书,
投诉调解通知书, 投诉终止调解决定书, 投诉调解书. The 调解记录 stays as it was (complaint_forms)."""

from __future__ import annotations

from datetime import date, datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.forms.data import ComplaintPaper, Letterhead
from desktop.forms.marks import (
    GAP,
    WAYS_TO_COMPLAINANT,
    WAYS_TO_PARTIES,
    chinese_number,
    chosen_number,
    ground_list,
    yes_no,
)
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
    money,
    para,
    seal_block,
    signatures,
    signatures_beside_seal,
)

# The 调解书 carries more than a letter: its paragraphs a little closer, to stay on one page.
_TIGHT = ParagraphStyle("tight", parent=BODY, leading=19)
# What a party brings to mediation when the handler wrote nothing else.
DEFAULT_MATERIALS = ("本人有效身份证件；购货凭证、服务单据或者其他能证明消费关系的材料；"
                     "与争议有关的其他证据材料。委托他人参加的，另带授权委托书和受托人身份证件。")


def header(title: str, p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> SheetHeader:
    return SheetHeader(title=title, letterhead=lh, printed_at=printed_at, number=p.number,
                       code=p.code)


def _name(p: ComplaintPaper) -> str:
    return p.complainant_name or "投诉人"


def _filed(p: ComplaintPaper) -> str:
    """How the letters to the complainant name the complaint."""
    return (f"你于{day(p.received_at)}通过{p.channel}提出的对{p.respondent_name}"
            f"（{p.subject}）的投诉（投诉单号 {p.number}）")


def _filed_by(p: ComplaintPaper) -> str:
    """How the letters to both parties name it."""
    return (f"投诉人{_name(p)}于{day(p.received_at)}提出的对被投诉人{p.respondent_name}"
            f"（{p.subject}）的投诉（投诉单号 {p.number}）")


def _letter(h: SheetHeader, body: list[Flowable], lh: Letterhead, when: date | datetime) -> Pdf:
    return build(h, [*heading(h), Spacer(1, 4 * mm), *body, seal_block(lh, day(when), h.width)])


def _contact(p: ComplaintPaper, lh: Letterhead) -> list[Flowable]:
    out = [para(f"承办人：{p.handler or BLANK}{GAP}联系电话：{lh.phone or BLANK}", BODY)]
    if lh.address:
        out.append(para(f"联系地址：{lh.address}", BODY))
    return out


def registration(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """投诉登记表: the complaint as registered, with the two consents; the complainant signs."""
    h = header("投诉登记表", p, lh, printed_at)
    rows = [
        [("投诉单号", p.number), ("接收时间", minute(p.received_at))],
        [("来源渠道", p.channel), ("区局单号", p.district_number or "")],
        *([[("原始编号", p.original_number)]] if p.original_number else []),
        [("投诉人", p.complainant_name), ("联系电话", p.complainant_phone)],
        [("证件类型", p.complainant_id_type), ("证件号码", p.complainant_id_number)],
        [("投诉人地址", p.complainant_address)],
        [("是否同意公示投诉信息", yes_no(p.consent_disclosure)),
         ("是否同意委托调解", yes_no(p.consent_delegation))],
        [("被投诉人", p.respondent_name)],
        [("统一社会信用代码", p.respondent_credit_code), ("被投诉人电话", p.respondent_phone)],
        [("被投诉人地址", p.respondent_address)],
        [("商品或服务", p.subject), ("品牌型号", p.brand_model)],
        [("投诉分类", p.category), ("购买日期", day(p.purchase_date))],
        [("涉案金额", money(p.amount)), ("诉求类型", p.request_type)],
        [("诉求", p.request)],
        [("事实与理由", p.facts)],
        [("登记单位", p.office), ("登记人", p.registered_by)],
    ]
    notes = [
        Spacer(1, 3 * mm),
        para("投诉人承诺：以上登记内容与本人陈述一致，所提供的身份信息和材料真实；"
             "如有虚假，愿意承担相应的法律责任。", BODY_FLUSH),
        para("同意公示的，公示的投诉信息不包含投诉人的联系方式、证件号码、住址等个人信息；"
             "同意委托调解的，本单位可以委托消费者协会或者依法成立的其他调解组织进行调解。", NOTE),
    ]
    story: list[Flowable] = [
        *heading(h),
        *field_grid(rows, h.width, label_width=30 * mm),
        signatures([("投诉人（签字）", BLANK_DATE), ("登记人（签字）", BLANK_DATE)], h.width,
                   lead=notes),
    ]
    return build(h, story)


def id_proof(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """限期提供身份证明材料通知书: proof of identity by a date, or the complaint is not accepted."""
    h = header("限期提供身份证明材料通知书", p, lh, printed_at)
    document = p.complainant_id_type or "居民身份证或者其他有效身份证件"
    body = [
        para(f"{_name(p)}：", BODY_FLUSH),
        para(f"{_filed(p)}，根据{p.rules_title}的规定，投诉人应当提供真实的身份信息。"
             f"为核实你的身份，请你于{day(p.id_proof_due_on)}前向本单位提供下列身份证明材料：", BODY),
        para(f"一、{document}（原件供核对，留存复印件）；", BODY),
        para("二、委托他人代为投诉的，另提供授权委托书和受托人的有效身份证件。", BODY),
        para("逾期未提供，或者拒绝配合核实身份的，本单位将依法作出不予受理的决定。", BODY),
        *_contact(p, lh),
    ]
    return _letter(h, body, lh, p.id_proof_requested_on or printed_at)


def acceptance(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """投诉受理决定书."""
    h = header("投诉受理决定书", p, lh, printed_at)
    body = [
        para(f"{_name(p)}：", BODY_FLUSH),
        para(f"{_filed(p)}，经审查，符合{p.rules_title}规定的受理条件，本单位决定予以受理，"
             f"受理日期为{day(p.accepted_on)}。", BODY),
        para(f"本单位将自受理之日起{p.mediation_limit_words}内组织调解。调解过程中需要进行检定、"
             "检验、检测或者鉴定的，所需时间不计算在调解期限内。", BODY),
    ]
    if p.consent_delegation:
        body.append(para("你已同意委托调解，本单位可以委托消费者协会或者依法成立的其他调解组织"
                         "进行调解。", BODY))
    body += [
        para("请你保持联系方式畅通，按照调解通知参加调解，并如实提供购货凭证、服务单据等证据材料。",
             BODY),
        *_contact(p, lh),
    ]
    return _letter(h, body, lh, p.accepted_on or printed_at)


def rejection(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """投诉不予受理决定书: every ground of the rule set listed, the one that applies ticked."""
    h = header("投诉不予受理决定书", p, lh, printed_at)
    n = chosen_number(p.rejection_grounds, p.rejection_ground_code)
    which = f"下列第{chinese_number(n)}项情形" if n else "下列情形"
    body: list[Flowable] = [
        para(f"{_name(p)}：", BODY_FLUSH),
        para(f"{_filed(p)}，经审查，具有{which}，根据{p.rules_title}的规定，本单位决定不予受理：",
             BODY),
        ground_list(p.rejection_grounds, p.rejection_ground_code, h.width),
    ]
    if n is None and p.rejection_ground:
        body.append(para(f"不予受理的依据：{p.rejection_ground}。", BODY))
    if p.status_note:
        body.append(para(f"说明：{p.status_note}", BODY))
    body += [para(WAYS_TO_COMPLAINANT, BODY),
             para(f"联系电话：{lh.phone or BLANK}", BODY)]
    return _letter(h, body, lh, printed_at)


def mediation_notice(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """投诉调解通知书: when and where, who mediates, what to bring, the right to ask for recusal."""
    h = header("投诉调解通知书", p, lh, printed_at)
    at = p.mediation_at
    when = f"{day(at)} {at.hour}时{at.minute:02d}分" if at else BLANK
    place = p.mediation_place or BLANK
    recusal = chinese_number(p.recusal_days) if p.recusal_days else "____"
    accepted = f"本单位已于{day(p.accepted_on)}受理" if p.accepted_on else "本单位已受理"
    body: list[Flowable] = [
        para(f"投诉人{_name(p)}、被投诉人{p.respondent_name}：", BODY_FLUSH),
        para(f"{_filed_by(p)}，{accepted}。根据{p.rules_title}的规定，本单位定于{when}"
             f"在{place}组织调解，请双方准时参加。", BODY),
        Spacer(1, 1 * mm),
        *field_grid([
            [("调解时间", when), ("调解地点", place)],
            [("调解人员", p.mediator_name), ("联系电话", p.mediator_phone)],
            [("需携带材料", p.mediation_materials or DEFAULT_MATERIALS)],
        ], h.width),
        Spacer(1, 2 * mm),
        para("调解遵循自愿原则。当事人认为调解人员与本投诉有利害关系或者其他关系，可能影响公正调解的，"
             f"可以自收到本通知书之日起{recusal}日内向本单位提出回避申请，并说明理由。", BODY),
        para("当事人无正当理由不参加调解的，本单位可以依法终止调解。", BODY),
    ]
    return _letter(h, body, lh, printed_at)


def termination(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """投诉终止调解决定书: every ground of the rule set listed, the one that applies ticked."""
    h = header("投诉终止调解决定书", p, lh, printed_at)
    n = chosen_number(p.termination_grounds, p.termination_ground_code)
    which = f"下列第{chinese_number(n)}项情形" if n else "下列情形"
    body: list[Flowable] = [
        para(f"投诉人{_name(p)}、被投诉人{p.respondent_name}：", BODY_FLUSH),
        para(f"{_filed_by(p)}，本单位于{day(p.accepted_on)}受理并组织调解。因出现{which}，"
             f"根据{p.rules_title}的规定，本单位决定于{day(p.terminated_on)}终止调解：", BODY),
        ground_list(p.termination_grounds, p.termination_ground_code, h.width),
    ]
    if n is None and p.termination_ground:
        body.append(para(f"终止调解的依据：{p.termination_ground}。", BODY))
    if p.status_note:
        body.append(para(f"说明：{p.status_note}", BODY))
    body.append(para(WAYS_TO_PARTIES, BODY))
    return _letter(h, body, lh, p.terminated_on or printed_at)


def agreement(p: ComplaintPaper, lh: Letterhead, printed_at: datetime) -> Pdf:
    """投诉调解书: both parties with their agents, the complaint, the agreed terms; both sign and
    the office seals, in three copies."""
    h = header("投诉调解书", p, lh, printed_at)
    parties = [
        [("投诉人", p.complainant_name), ("联系电话", p.complainant_phone)],
        [("证件类型", p.complainant_id_type), ("证件号码", p.complainant_id_number)],
        [("住址", p.complainant_address)],
        [("委托代理人", "")],
        [("被投诉人", p.respondent_name)],
        [("统一社会信用代码", p.respondent_credit_code), ("联系电话", p.respondent_phone)],
        [("法定代表人", ""), ("委托代理人", "")],
        [("经营场所", p.respondent_address)],
    ]
    if p.performance_due_on:
        performance = f"被投诉人应于{day(p.performance_due_on)}前履行完毕。"
    else:
        performance = "本协议于签订时当场履行完毕。"
    accepted = f"于{day(p.accepted_on)}受理后" if p.accepted_on else "受理后"
    story: list[Flowable] = [
        *heading(h),
        para("一、当事人", SECTION),
        *field_grid(parties, h.width, label_width=33 * mm, min_height=7 * mm),
        para("二、投诉事项及请求", SECTION),
        para(f"投诉人于{day(p.received_at)}就{p.subject}向本单位投诉称：{p.facts}", _TIGHT),
        para(f"投诉人请求：{p.request}", _TIGHT),
        para("三、调解协议", SECTION),
        para(f"本单位{accepted}依法组织调解，双方当事人自愿达成如下协议：", _TIGHT),
        para(p.settlement_terms, _TIGHT),
    ]
    if p.recovered is not None:
        story.append(para(f"挽回经济损失：{money(p.recovered)}。", _TIGHT))
    story += [
        para(f"履行期限：{performance}", _TIGHT),
        para("四、其他", SECTION),
        para("本调解书经双方当事人或者其委托代理人签字（盖章），调解人员签字并加盖本单位印章后生效，"
             "双方当事人应当自觉履行。本调解书一式三份，双方当事人各执一份，本单位存档一份。", _TIGHT),
        signatures_beside_seal(["投诉人（签字）", "其委托代理人（签字）", "被投诉人（签字并盖章）",
                                "其委托代理人（签字）", "调解人员（签字）"],
                               lh, day(p.settled_on or printed_at), h.width, row_height=9 * mm),
    ]
    return build(h, story)
