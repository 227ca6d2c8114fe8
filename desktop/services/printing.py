"""Printed forms: gather a form's data (masked as the user must see it), render the PDF,
record each printing in the complaint's history, and check a sheet's QR code against the
record as it is now."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from desktop.db.models import Complaint, Printing
from desktop.db.repositories import (
    CodeRepository,
    ComplaintRepository,
    DisclosureRepository,
    OfficeRepository,
    PrintingRepository,
)
from desktop.db.rows import BOOKKEEPING, IDENTITY, plain, values
from desktop.db.uow import UnitOfWork
from desktop.domain import validators as v
from desktop.domain.complaint import DISTRICT_DISPATCH_CHANNEL, ComplaintFilter
from desktop.domain.deadlines import RuleSet
from desktop.domain.disclosure import ListStatus, RequestKind, RequestStatus, Step
from desktop.domain.errors import FieldError, NotFound
from desktop.domain.workflow import Intake, Result, Status
from desktop.files import safe_filename
from desktop.forms import code as qr
from desktop.forms import complaint_forms, disclosure_forms, fonts, list_forms, report_forms
from desktop.forms.catalog import FORMS, HOW_LABELS, FormInfo, Scope
from desktop.forms.data import (
    ComplaintPaper,
    CorrectionPaper,
    DisclosureLine,
    DispatchPaper,
    LedgerLine,
    Letterhead,
    OpenLine,
    RefusalLine,
    SessionPaper,
)
from desktop.forms.sheet import Pdf
from desktop.services import letters as lt
from desktop.services import papers
from desktop.services.base import Service, ServiceContext, require_scope
from desktop.services.complaints import (
    ComplaintService,
    from_cents,
    load_complaint,
    sees_person,
)
from desktop.services.dto import Changed, CurrentUser
from desktop.services.personal_data import log_output, person_key

if TYPE_CHECKING:
    from desktop.services.disclosure import DisclosureService

MAX_LIST_ROWS = 20_000  # a printed list longer than this is a job for the Excel export
# What a printed sheet's checksum leaves out besides a row's bookkeeping and identity: the due
# date the program recomputes, and the local key of a pause's or a session's complaint.
_NOT_CONTENT = BOOKKEEPING | IDENTITY | {"due_on", "complaint_id"}
_APPROVAL_STEPS = (Step.DEPARTMENT_HEAD, Step.DEPUTY_DIRECTOR)

_NEXT_STEPS = {
    Status.REGISTERED: "审查并决定是否受理",
    Status.ACCEPTED: "组织调解",
    Status.MEDIATING: "继续调解，达成协议或终止调解",
    Status.SETTLED: "督促履行，回访后办结",
    Status.TERMINATED: "告知双方后办结",
    Status.REJECTED: "告知投诉人后办结",
    Status.TRANSFERRED: "确认转办后办结",
    Status.CASE_OPENED: "核查违法线索后办结",
    Status.ID_PENDING: "等待身份证明材料，逾期未补正的不予受理",
    Status.DELEGATED: "跟进受委托单位的调解结果",
    Status.FILED: "立案查处，结果出来后办结",
    Status.NOT_FILED: "告知举报人后办结",
}
# Every status an open item can have has its next step (tests/unit/test_next_steps.py).


@dataclass(frozen=True)
class FormRequest:
    """Which form, and for what: fill in the fields the form's scope needs."""

    form: str
    complaint_id: int | None = None
    session_id: int | None = None  # a mediation record; None: the latest
    month: date | None = None  # any day of the month
    start: date | None = None
    end: date | None = None
    year: int | None = None
    quarter: int | None = None
    scope_office_id: int | None = None  # whose disclosure list; None: the user's own
    request_id: int | None = None  # a correction request
    filter: ComplaintFilter | None = None  # the ledger view's filters, if printed from there
    title: str | None = None


@dataclass(frozen=True)
class RenderedForm:
    form: FormInfo
    pdf: bytes
    pages: int
    scope: str  # what it covers, in words: a number, a month, a period
    filename: str
    complaint_id: int | None = None
    checksum: str | None = None
    warnings: tuple[str, ...] = ()
    # People whose personal data the form shows unmasked (0 or 1: the complainant or
    # reporter); a printing of a form with any is logged (services.personal_data).
    people: int = 0


@dataclass(frozen=True)
class FormChoice:
    """A form that can be printed for a complaint in its present state."""

    form: FormInfo
    label: str
    session_id: int | None = None


@dataclass(frozen=True)
class CodeCheck:
    complaint_id: int
    number: str
    scanned: bool  # the text carried a checksum (a sheet's code), not just a number
    unchanged: bool | None  # None: nothing to compare
    message: str


def month_range(month: date) -> tuple[date, date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise FieldError("季度", "应为 1–4")
    first = date(year, 3 * quarter - 2, 1)
    return first, month_range(date(year, 3 * quarter, 1))[1]


# The columns a sheet's checksum covered when the first sheets were printed (migration 0007).
# A column added since counts once it holds something: adding a field to the program must not
# make every sheet printed before it look out of date, while a value typed into it later does.
_FIRST_COLUMNS = {
    "complaints": frozenset({
        "accepted_on", "amount_cents", "at_fault", "brand_model", "case_note", "category_code",
        "channel_code", "closed_on", "complainant_address", "complainant_id_number",
        "complainant_name", "complainant_phone", "district_number", "enterprise_id", "facts",
        "handler_id", "mediation_started_on", "number", "odr_started_on", "office_id",
        "performance_due_on", "purchase_date", "received_at", "recovered_cents",
        "registered_by_id", "rejection_ground", "request", "request_type", "respondent_address",
        "respondent_credit_code", "respondent_name", "result", "rule_set_code", "satisfaction",
        "settled_on", "settlement_terms", "status", "status_note", "subject", "terminated_on",
        "termination_ground", "transferred_to", "violation_found_on"}),
    "clock_pauses": frozenset({"ended_on", "reason", "started_on"}),
    "mediation_records": frozenset({"content", "held_at", "means", "participants", "place",
                                    "recorded_by_id", "result"}),
}


def _plain_columns(obj: Any) -> dict[str, Any]:
    first = _FIRST_COLUMNS[obj.__tablename__]
    return {key: plain(value) for key, value in values(obj, _NOT_CONTENT).items()
            if key in first or value not in (None, "")}


class PrintService(Service):
    def __init__(self, ctx: ServiceContext, *, disclosure: DisclosureService) -> None:
        super().__init__(ctx)
        # The disclosure sheets print the month's list as the disclosure workflow has it.
        self.disclosure = disclosure
        # A complaint's rule set and grounds, as the workflow reads them.
        self.complaints = ComplaintService(ctx)

    # -- what can be printed ---------------------------------------------------------
    @staticmethod
    def catalog() -> list[FormInfo]:
        return list(FORMS.values())

    def choices(self, user: CurrentUser, complaint_id: int) -> list[FormChoice]:
        """The forms of this item that have something to say, in the order of its life: those
        of its kind and of its rule set's edition (services/letters.py)."""
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            rules = self._rules(c)
            out: list[FormChoice] = []
            for letter in lt.letters_for(c, rules):
                info = lt.title_of(c, rules, letter.key)
                if letter is lt.SESSIONS:
                    sessions = ComplaintRepository(uow.session).mediation_records(c.id)
                    out += [FormChoice(info, f"调解记录（第 {n} 次，{s.held_at:%Y-%m-%d}）", s.id)
                            for n, s in enumerate(sessions, start=1)]
                elif self._refusal(uow, user, c, letter) is None:
                    out.append(FormChoice(info, info.title))
            return out

    def _refusal(self, uow: UnitOfWork, user: CurrentUser, c: Complaint,
                 letter: lt.Letter) -> str | None:
        """Why this letter of the item has nothing to say yet; None: it can be printed."""
        if letter is lt.DISPATCH:
            route = lt.dispatch_route(uow.session, user, c, self.ctx.clock.today())
            return route if isinstance(route, str) else None
        return letter.check(c)

    # -- rendering ---------------------------------------------------------------------
    def render(self, user: CurrentUser, request: FormRequest) -> RenderedForm:
        info = FORMS.get(request.form)
        if info is None:
            raise FieldError("表格", f"没有名为「{request.form}」的表格")
        builders: dict[Scope, Callable[[UnitOfWork, CurrentUser, FormInfo, FormRequest],
                                       RenderedForm]] = {
            Scope.COMPLAINT: self._complaint_form, Scope.SESSION: self._complaint_form,
            Scope.MONTH: self._disclosure, Scope.REQUEST: self._correction_reply,
            Scope.PERIOD: self._ledger, Scope.QUARTER: self._quarterly,
        }
        with self._uow(user, "", write=False) as uow:
            return builders[info.scope](uow, user, info, request)

    def _complaint_form(self, uow: UnitOfWork, user: CurrentUser, info: FormInfo,
                        request: FormRequest) -> RenderedForm:
        if request.complaint_id is None:
            raise FieldError("投诉单号", f"打印{info.title}需要指定投诉")
        c = load_complaint(uow, user, request.complaint_id)
        rules = self._rules(c)
        letter = lt.letter(c, rules, info.key)
        if letter is None:
            raise FieldError("表格", lt.not_offered(c, rules, info))
        info = lt.title_of(c, rules, info.key)
        refusal = self._refusal(uow, user, c, letter)
        if refusal is not None:
            what = lt.intake_of(c).label
            raise FieldError("表格", f"{what} {c.number} {refusal}，不能打印{info.title}")
        repo = ComplaintRepository(uow.session)
        sessions = list(repo.mediation_records(c.id))
        digest = qr.checksum(self._content(c, sessions))
        paper = self._paper(uow, user, c, qr.encode(c.number, digest), rules)
        lh = self._letterhead(uow, c.office_id)
        now = self.ctx.clock.now()
        texts = [paper.complainant_name, paper.respondent_name, paper.facts, paper.request]
        if letter is lt.SESSIONS:
            session = self._session(uow, sessions, request.session_id, c.number)
            pdf = complaint_forms.mediation_record(paper, session, lh, now)
            texts += [session.participants, session.content, session.result]
        elif letter is lt.DISPATCH:
            pdf = self._dispatch(uow, user, c, paper, rules, now)
        else:
            assert letter.build is not None
            pdf = letter.build(paper, lh, now)
            texts += [paper.settlement_terms, paper.mediation_place, paper.mediation_materials,
                      paper.status_note]
        shown = sees_person(user, c) and person_key(c.complainant_name,
                                                    c.complainant_phone) is not None
        return replace(self._rendered(info, pdf, c.number, f"{info.title}-{c.number}", texts,
                                      complaint_id=c.id, checksum=digest),
                       people=1 if shown else 0)

    def _dispatch(self, uow: UnitOfWork, user: CurrentUser, c: Complaint, paper: ComplaintPaper,
                  rules: RuleSet, now: datetime) -> Pdf:
        """The 分送通知书 on the sending office's letterhead, with the dates to report back by."""
        route = lt.dispatch_route(uow.session, user, c, now.date())
        assert not isinstance(route, str)  # _refusal said there is one
        report = lt.intake_of(c) is Intake.REPORT
        decision, result = lt.report_back(self.ctx.reference.calendar(), rules, report,
                                          route.dispatched_on)
        dispatch = DispatchPaper(to_office=route.to_office, dispatched_on=route.dispatched_on,
                                 result_due=result, decision_due=decision)
        return report_forms.dispatch(paper, dispatch, self._letterhead(uow, route.from_office_id),
                                     now, report)

    def _session(self, uow: UnitOfWork, sessions: list, session_id: int | None,
                 number: str) -> SessionPaper:
        if not sessions:
            raise FieldError("表格", f"投诉 {number} 还没有调解记录")
        chosen = next((s for s in sessions if s.id == session_id), None) if session_id else sessions[-1]
        if chosen is None:
            raise NotFound(f"投诉 {number} 没有编号为 {session_id} 的调解记录")
        means = self._labels(uow, "mediation_means")
        return SessionPaper(
            ordinal=sessions.index(chosen) + 1, held_at=chosen.held_at,
            means=means.get(chosen.means, chosen.means), place=chosen.place,
            participants=chosen.participants, content=chosen.content, result=chosen.result,
            recorded_by=self.user_name(uow, chosen.recorded_by_id))

    def _disclosure(self, uow: UnitOfWork, user: CurrentUser, info: FormInfo,
                    request: FormRequest) -> RenderedForm:
        """The month's two approval sheets, from the disclosure workflow: the rows as built
        (or as frozen for approval) and the electronic approvals given so far."""
        month = self._month(request)
        ov = self.disclosure.overview(user, month, request.scope_office_id)
        if ov.list is None:
            raise FieldError("月份", f"{ov.scope_name}{month:%Y年%m月}的公示清单尚未生成，"
                                   "请先在「公示」中生成清单")
        lst = ov.list
        lh = self._letterhead(uow, lst.scope_office_id)
        now = self.ctx.clock.now()
        if info.key == "disclosure":
            lines = [DisclosureLine(number=e.number, received_at=e.received_at,
                                    respondent=e.respondent, content=e.content, success=e.success)
                     for e in ov.entries if not e.excluded]
            approvals = [d.text for d in (lst.current(Step.DEPARTMENT_HEAD),
                                          lst.current(Step.DEPUTY_DIRECTOR)) if d and d.approve]
            unapproved = lst.status not in (ListStatus.APPROVED, ListStatus.PUBLISHED)
            pdf = disclosure_forms.disclosure_approval(
                lines, month, lh, now, approvals, state=lst.status.label if unapproved else "")
            texts = [x.content for x in lines] + [x.respondent for x in lines]
        else:
            refusals = [
                RefusalLine(r.number, r.office, r.respondent, r.reason, "；".join(
                    [d.text for d in r.decisions if d.step in _APPROVAL_STEPS]
                    + [f"当前：{r.status.label}"]))
                for r in ov.requests
                if r.kind is RequestKind.OBJECTION and r.status is not RequestStatus.WITHDRAWN]
            pdf = disclosure_forms.disclosure_refusal(refusals, month, lh, now)
            texts = [x.reason for x in refusals] + [x.respondent for x in refusals]
        return self._rendered(info, pdf, f"{month:%Y-%m}", f"{info.title}-{month:%Y-%m}", texts)

    def _correction_reply(self, uow: UnitOfWork, user: CurrentUser, info: FormInfo,
                          request: FormRequest) -> RenderedForm:
        if request.request_id is None:
            raise FieldError("更正申请", "请指定要答复的更正申请")
        req = self.disclosure.request(user, request.request_id)
        if req.kind is not RequestKind.CORRECTION:
            raise FieldError("更正申请", "只有更正申请需要答复书")
        if req.status not in (RequestStatus.APPROVED, RequestStatus.REFUSED):
            raise FieldError("更正申请", f"该申请{req.status.label}，审批完毕后才能打印答复书")
        decided = req.decisions[-1]
        entry = DisclosureRepository(uow.session).entry(req.entry_id)
        assert entry is not None  # a request's entry is never deleted while the request stands
        lst = entry.list
        paper = CorrectionPaper(
            number=req.number, month=lst.month, requester=req.requester,
            requester_address=req.requester_address, filed_on=req.filed_at.date(),
            reason=req.reason, old_content=req.old_content or "", new_content=req.new_content or "",
            approved=req.status is RequestStatus.APPROVED, decided_on=decided.at.date(),
            note=decided.note)
        pdf = disclosure_forms.correction_reply(paper, self._letterhead(uow, lst.scope_office_id),
                                                self.ctx.clock.now())
        return self._rendered(info, pdf, req.number, f"{info.title}-{req.number}",
                              [paper.requester, paper.reason, paper.old_content, paper.new_content])

    def _ledger(self, uow: UnitOfWork, user: CurrentUser, info: FormInfo,
                request: FormRequest) -> RenderedForm:
        today = self.ctx.clock.today()
        start = request.start or (request.filter.received_from if request.filter else None)
        end = request.end or (request.filter.received_to if request.filter else None)
        start, end = start or today.replace(day=1), end or today
        if end < start:
            raise FieldError("截止日期", "不能早于起始日期")
        base = request.filter or ComplaintFilter()
        f = ComplaintFilter(**{**base.__dict__, "received_from": start, "received_to": end})
        channels = self._labels(uow, "channel")
        categories = self._labels(uow, "category")
        lines = [
            LedgerLine(
                number=c.number, received_at=c.received_at,
                channel=channels.get(c.channel_code, c.channel_code),
                dispatched=c.channel_code == DISTRICT_DISPATCH_CHANNEL,
                complainant=v.mask_name(c.complainant_name), respondent=c.respondent_name,
                subject=c.subject, category=categories.get(c.category_code, c.category_code),
                handler=self.user_name(uow, c.handler_id), status=Status(c.status).label,
                due_on=c.due_on, closed_on=c.closed_on,
                result=Result(c.result).label if c.result else "",
                recovered=from_cents(c.recovered_cents))
            for c in self._list(uow, user, f)
        ]
        lh = self._letterhead(uow, user.office_id)
        pdf = list_forms.ledger(lines, (start, end), lh, self.ctx.clock.now(),
                               title=request.title or info.title)
        scope = f"{start:%Y-%m-%d}–{end:%Y-%m-%d}"
        return self._rendered(info, pdf, scope, f"{info.title}-{start:%Y%m%d}-{end:%Y%m%d}",
                              [x.respondent + x.subject for x in lines])

    def _quarterly(self, uow: UnitOfWork, user: CurrentUser, info: FormInfo,
                   request: FormRequest) -> RenderedForm:
        today = self.ctx.clock.today()
        year = request.year or today.year
        quarter = request.quarter or (today.month - 1) // 3 + 1
        _first, last = quarter_range(year, quarter)
        as_of = min(today, last)
        f = ComplaintFilter(open_only=True, received_to=as_of)
        lines = []
        for c in self._list(uow, user, f):
            status = Status(c.status)
            paused = any(p.ended_on is None for p in c.pauses)
            step = "检验检测鉴定中（中止计时），结果出具后恢复调解" if paused else _NEXT_STEPS[status]
            if status is Status.ACCEPTED and c.odr_started_on:
                step = "经营者先行和解中，跟进和解结果"
            lines.append(OpenLine(
                number=c.number, received_on=c.received_at.date(), respondent=c.respondent_name,
                subject=c.subject, handler=self.user_name(uow, c.handler_id), status=status.label,
                days_open=(as_of - c.received_at.date()).days, due_on=c.due_on,
                overdue=c.due_on is not None and c.due_on < as_of, next_step=step))
        lh = self._letterhead(uow, user.office_id)
        pdf = list_forms.quarterly_check(lines, year, quarter, as_of, lh, self.ctx.clock.now())
        return self._rendered(info, pdf, f"{year}Q{quarter}", f"{info.title}-{year}Q{quarter}",
                              [x.respondent + x.subject for x in lines])

    # -- the printing log and the code on the paper --------------------------------------
    def record(self, user: CurrentUser, rendered: RenderedForm, how: str) -> Changed:
        """Write that `rendered` was printed (`how`: print / pdf / cli) into the history."""
        if how not in HOW_LABELS:
            raise ValueError(how)
        with self._uow(user, f"{HOW_LABELS[how]}《{rendered.form.title}》") as uow:
            row = Printing(complaint_id=rendered.complaint_id, form=rendered.form.key,
                           scope=rendered.scope[:100], pages=rendered.pages,
                           checksum=rendered.checksum, how=how,
                           printed_at=self.ctx.clock.now(), printed_by_id=user.id)
            PrintingRepository(uow.session).add(row)
            if rendered.people:
                log_output(uow, kind=how, what=rendered.form.title, scope=rendered.scope,
                           complaints=1 if rendered.complaint_id is not None else 0,
                           people=rendered.people,
                           file=rendered.filename if how == "pdf" else "")
            uow.commit()
            if rendered.complaint_id is None:
                return Changed("printing", (row.id,), created=True)
            return Changed("printing", (row.id,), created=True,
                           complaint_id=rendered.complaint_id)

    def check_code(self, user: CurrentUser, text: str) -> CodeCheck:
        """What the find box received: a complaint number, or a printed sheet's code. For a
        code, compare its checksum with the record as it is now."""
        scanned = qr.decode(text)
        if not scanned.number:
            raise FieldError("查找", "请输入投诉单号，或扫描表格上的二维码")
        with self._uow(user, "", write=False) as uow:
            repo = ComplaintRepository(uow.session)
            c = repo.by_number(scanned.number)
            if c is None:
                raise NotFound(f"没有找到投诉单号 {scanned.number}")
            require_scope(user, c.office_id, f"投诉 {c.number} ")
            if scanned.checksum is None:
                return CodeCheck(c.id, c.number, False, None, "")
            current = qr.checksum(self._content(c, list(repo.mediation_records(c.id))))
            printings = PrintingRepository(uow.session).of_complaint(c.id, scanned.checksum)
            when = ""
            if printings:
                p = printings[-1]  # the first printing of that content
                title = lt.title_of(c, self._rules(c), p.form).title if p.form in FORMS else p.form
                when = (f"该表格（{title}）于 "
                        f"{p.printed_at:%Y-%m-%d %H:%M} 由{self.user_name(uow, p.printed_by_id)}打印。")
            if current == scanned.checksum:
                return CodeCheck(c.id, c.number, True, True,
                                 f"{when}投诉 {c.number} 自打印以来没有改动，纸面内容与记录一致。")
            return CodeCheck(c.id, c.number, True, False,
                             f"{when}投诉 {c.number} 在打印之后已有改动，纸面内容可能已过时，"
                             "请以系统记录为准，必要时重新打印。")

    # -- helpers -----------------------------------------------------------------------
    @staticmethod
    def _content(c: Complaint, sessions: list) -> dict[str, Any]:
        """What the checksum covers: the complaint as people wrote it, its pauses and its
        mediation records; not bookkeeping (versions, recomputed due dates, printings)."""
        return {
            "complaint": _plain_columns(c),
            "pauses": [_plain_columns(p) for p in c.pauses],
            "sessions": [_plain_columns(s) for s in sessions],
        }

    def _rules(self, c: Complaint) -> RuleSet:
        """The rule set the item follows: its forms' edition and wording."""
        return self.complaints.rules_of(c)

    def _paper(self, uow: UnitOfWork, user: CurrentUser, c: Complaint, code: str,
               rules: RuleSet) -> ComplaintPaper:
        grounds = (self.complaints.grounds(c, "rejection_ground"),
                   self.complaints.grounds(c, "termination_ground"))
        return papers.complaint_paper(uow, user, c, code, rules, grounds,
                                      lambda kind: self._labels(uow, kind),
                                      lambda user_id: self.user_name(uow, user_id))

    def _letterhead(self, uow: UnitOfWork, office_id: int) -> Letterhead:
        """The issuing office's names and seal, and its district, from the office settings."""
        offices = OfficeRepository(uow.session)
        office = offices.get(office_id)
        if office is None:
            raise NotFound(f"单位 {office_id} 不存在")
        district = offices.district_of(office)
        return Letterhead(office=office.name, district=district.name,
                          seal_text=office.seal_text or office.name, address=office.address,
                          phone=office.phone)

    def _list(self, uow: UnitOfWork, user: CurrentUser, f: ComplaintFilter) -> list[Complaint]:
        rows = ComplaintRepository(uow.session).chronological(f, user.scope, MAX_LIST_ROWS + 1)
        if len(rows) > MAX_LIST_ROWS:
            raise FieldError("范围", f"超过 {MAX_LIST_ROWS:,} 件，请缩小日期范围或改用导出 Excel")
        return rows

    def _month(self, request: FormRequest) -> date:
        return request.month or self.ctx.clock.today().replace(day=1)

    @staticmethod
    def _labels(uow: UnitOfWork, kind: str) -> dict[str, str]:
        cache = uow.session.info.setdefault("labels", {})
        if kind not in cache:
            cache[kind] = {i.code: i.label for i in CodeRepository(uow.session).items(kind, True)}
        return cache[kind]

    def _rendered(self, info: FormInfo, pdf: Pdf, scope: str, name: str, texts: list[str],
                  complaint_id: int | None = None, checksum: str | None = None) -> RenderedForm:
        missing = sorted(set().union(*(fonts.missing(t or "") for t in texts))) if texts else []
        warnings = (f"以下字符字库中没有，已印作「{fonts.MISSING_MARK}」，请在纸面上手写补全："
                    f"{'、'.join(missing)}",) if missing else ()
        stamp = self.ctx.clock.now().strftime("%Y%m%d-%H%M")
        return RenderedForm(form=info, pdf=pdf.data, pages=pdf.pages, scope=scope,
                            # The name carries a complaint number that may have come from
                            # another office: it is a label, never a path.
                            filename=safe_filename(f"{name}-{stamp}.pdf", f"表单-{stamp}.pdf"),
                            complaint_id=complaint_id,
                            checksum=checksum, warnings=warnings)
