"""The monthly complaint disclosure 消费投诉公示 (seed 002): build the month's list, take
objections 不予公示, two-level approval, publish the files, correct 更正 what was published.

The rules of who may do what next live in domain/disclosure.py; this service applies them
inside one transaction per call, and every change lands in the audit log through the unit of
work (the rows carry their complaint, so each complaint's history shows its disclosure).

Over 500 lines on purpose: the list's steps, the requests' steps and the checks they share
inside a transaction (`_require_*`, the freezing and reopening of a round) are one state machine
read against domain/disclosure.py; split, each half would call into the other. What the page
may offer is disclosure_actions.py, the values handed out disclosure_info.py, the files
exports/disclosure/."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from desktop.db.models import (
    DisclosureDecision,
    DisclosureEntry,
    DisclosureList,
    DisclosureRequest,
    Office,
)
from desktop.db.repositories import (
    ComplaintRepository,
    DisclosureRepository,
    OfficeRepository,
)
from desktop.db.uow import UnitOfWork
from desktop.domain import validators as v
from desktop.domain.disclosure import (
    CONTENT_LIMIT,
    OBJECTORS,
    SECTION,
    ListStatus,
    RequestKind,
    RequestStatus,
    Step,
    list_approval,
    public_text,
    request_approval,
    shorten,
    summary,
    waiting_for,
)
from desktop.domain.errors import FieldError, NotFound, PermissionDenied, TransitionError
from desktop.domain.masking import mask
from desktop.domain.workflow import Role
from desktop.exports import disclosure as files
from desktop.exports.data import EnterpriseLine, PublicCorrection, PublicEntry, PublicList
from desktop.services.base import Service, require_role, require_scope
from desktop.services.disclosure_actions import (
    ListActions,
    RequestActions,
    list_actions,
    request_actions,
)
from desktop.services.disclosure_info import (
    DecisionInfo,
    EditResult,
    EntryInfo,
    ListInfo,
    MonthState,
    Overview,
    RequestInfo,
    ScopeChoice,
)
from desktop.services.dto import Changed, CurrentUser

CHANNELS = {"website": "区政府门户网站", "wechat": "微信公众号", "board": "公示栏"}
REASON_LIMIT = 500


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


class DisclosureService(Service):
    # -- reading ---------------------------------------------------------------------------
    def scopes(self, user: CurrentUser) -> list[ScopeChoice]:
        """The lists the user may open: their own office's (a district or sub-bureau), the
        offices above it, and the sub-bureaus below it."""
        with self._uow(user, "", write=False) as uow:
            offices = {o.id: o for o in OfficeRepository(uow.session).all()}
            chain, office = [], offices.get(user.office_id)
            while office is not None:
                chain.append(office)
                office = offices.get(office.parent_id) if office.parent_id else None
            below = [o for o in offices.values() if o.kind == "sub_bureau"
                     and (user.scope is None or o.id in user.scope) and o not in chain]
            listed = [o for o in chain if o.kind in ("district", "sub_bureau")]
            listed += sorted(below, key=lambda o: o.code)
            # The user's own level first: that is the list they work on.
            listed.sort(key=lambda o: o.id != user.office_id)
            return [ScopeChoice(o.id, o.name) for o in listed]

    def default_scope(self, user: CurrentUser) -> int:
        choices = self.scopes(user)
        if not choices:
            raise PermissionDenied("您所在单位没有可查看的公示清单")
        return choices[0].office_id

    def _nearest_scope(self, user: CurrentUser, repo: DisclosureRepository, month: date) -> int:
        """Without a choice: the nearest list above the user that exists for the month (a
        station sees its sub-bureau's list, or the district's), else the user's own level."""
        choices = self.scopes(user)
        if not choices:
            raise PermissionDenied("您所在单位没有可查看的公示清单")
        for choice in choices:
            if repo.list_for(choice.office_id, month) is not None:
                return choice.office_id
        return choices[0].office_id

    def months(self, user: CurrentUser, scope_office_id: int, year: int) -> list[MonthState]:
        """The twelve months of `year` with their list's state (None: not built)."""
        with self._uow(user, "", write=False) as uow:
            self._visible_scope(uow, user, scope_office_id)
            repo = DisclosureRepository(uow.session)
            lists = {x.month: x for x in repo.lists_of(scope_office_id, date(year, 1, 1),
                                                       date(year, 12, 31))}
            counts = repo.shown_counts([x.id for x in lists.values()])
            out = []
            for m in range(1, 13):
                x = lists.get(date(year, m, 1))
                out.append(MonthState(date(year, m, 1), ListStatus(x.status) if x else None,
                                      counts.get(x.id, 0) if x else 0))
            return out

    @staticmethod
    def list_actions(user: CurrentUser, ov: Overview | None,
                     entry: EntryInfo | None = None) -> ListActions:
        """What the month's list offers this user, and what the chosen row allows (no read)."""
        return list_actions(user, ov, entry)

    @staticmethod
    def request_actions(user: CurrentUser, request: RequestInfo | None) -> RequestActions:
        """What this user may do with an objection or correction (no read)."""
        return request_actions(user, request)

    def overview(self, user: CurrentUser, month: date, scope_office_id: int | None = None
                 ) -> Overview:
        month = first_of_month(month)
        with self._uow(user, "", write=False) as uow:
            repo = DisclosureRepository(uow.session)
            scope_id = scope_office_id or self._nearest_scope(user, repo, month)
            office = self._visible_scope(uow, user, scope_id)
            lst = repo.list_for(scope_id, month)
            if lst is None:
                return Overview(scope_id, office.name, month, None, (), (), (), False)
            requests = repo.requests_of(lst.id)
            # Every row's handling office in one query (a district's month has thousands).
            uow.session.info.setdefault("complaint_office", {}).update(repo.entry_offices(lst.id))
            mine = [e for e in lst.entries if user.scope is None
                    or self._entry_office(uow, e) in user.scope]
            open_by_entry = {r.entry_id: RequestKind(r.kind) for r in requests
                             if RequestStatus(r.status).open}
            approved_objections = {r.entry_id for r in requests
                                   if r.kind == RequestKind.OBJECTION
                                   and r.status == RequestStatus.APPROVED}
            entries = tuple(self._entry_info(uow, e, open_by_entry.get(e.id),
                                             e.id in approved_objections) for e in mine)
            visible_ids = {e.id for e in mine}
            infos = tuple(self._request_info(uow, r) for r in requests
                          if r.entry_id in visible_ids)
            changed = (ListStatus(lst.status) is ListStatus.DRAFT
                       and self._candidates_changed(uow, lst))
            return Overview(scope_id, office.name, month, self._list_info(uow, lst), entries,
                            infos, self._figures(lst), changed)

    def public_list(self, user: CurrentUser, list_id: int) -> PublicList:
        """The published list as the files show it; only a published list has one."""
        with self._uow(user, "", write=False) as uow:
            lst = self._list(uow, user, list_id)
            return self._public(uow, lst)

    # -- building and editing the draft ------------------------------------------------------
    def build(self, user: CurrentUser, month: date, scope_office_id: int | None = None) -> Changed:
        """Create the month's draft, or bring a draft up to date with what has been closed or
        reopened since; hand-edited summaries and decided objections are kept."""
        require_role(user, *SECTION, doing="生成公示清单")
        month = first_of_month(month)
        if month > first_of_month(self.ctx.clock.today()):
            raise FieldError("月份", f"{month:%Y年%m月}尚未开始，不能生成公示清单")
        with self._uow(user, f"生成{month:%Y年%m月}公示清单") as uow:
            office = self._scope_office(uow, user, scope_office_id or user.office_id)
            repo = DisclosureRepository(uow.session)
            lst = repo.list_for(office.id, month)
            if lst is None:
                lst = DisclosureList(scope_office_id=office.id, month=month,
                                     status=ListStatus.DRAFT, round=1, revision=0, channels="")
                repo.add(lst)
                uow.flush()
            elif ListStatus(lst.status).frozen:
                raise TransitionError(f"{month:%Y年%m月}的公示清单已{ListStatus(lst.status).label}，"
                                      "内容已冻结，不能重新生成")
            self._refresh(uow, lst)
            self._decide(uow, user, lst.id, None, lst.round, Step.BUILD, True,
                         f"共 {sum(not e.excluded for e in lst.entries)} 件")
            uow.commit()
            return Changed("disclosure_list", (lst.id,), created=True)

    def edit_content(self, user: CurrentUser, entry_id: int, text: str) -> EditResult:
        """The section rewrites a row's 投诉内容 before approval. Personal information in what
        was typed is hidden by the same rules as the proposal, and the user is told."""
        require_role(user, *SECTION, doing="修改公示内容")
        cleaned = " ".join((text or "").split())
        if not cleaned:
            raise FieldError("投诉内容", "不能为空")
        v.check_length(cleaned, "投诉内容", CONTENT_LIMIT)
        with self._uow(user, "修改公示内容") as uow:
            entry = self._entry(uow, user, entry_id)
            self._require_draft(entry.list)
            complaint = ComplaintRepository(uow.session).get(entry.complaint_id)
            safe = mask(cleaned, [complaint.complainant_name] if complaint else [])
            entry.content = safe
            uow.commit()
            return EditResult(Changed("disclosure_entry", (entry.id,)), safe != cleaned, safe)

    def restore_content(self, user: CurrentUser, entry_id: int) -> Changed:
        """Back to the program's proposal."""
        require_role(user, *SECTION, doing="修改公示内容")
        with self._uow(user, "恢复公示内容") as uow:
            entry = self._entry(uow, user, entry_id)
            self._require_draft(entry.list)
            entry.content = entry.proposed_content
            uow.commit()
            return Changed("disclosure_entry", (entry.id,))

    # -- the list's approval round -----------------------------------------------------------
    def submit(self, user: CurrentUser, list_id: int) -> Changed:
        require_role(user, *SECTION, doing="提交公示清单")
        with self._uow(user, "提交公示清单审批") as uow:
            lst = self._list(uow, user, list_id, acting=True)
            self._require_draft(lst)
            pending = [r for r in DisclosureRepository(uow.session).requests_of(lst.id)
                       if RequestStatus(r.status).open]
            if pending:
                raise TransitionError(f"还有 {len(pending)} 件不予公示申请尚未审批完毕，"
                                      "审批后才能提交清单")
            if self._candidates_changed(uow, lst):
                raise TransitionError("清单生成后本月又有投诉办结或重新办理，"
                                      "请先「重新生成」核对清单，再提交")
            lst.status = ListStatus.SUBMITTED
            self._decide(uow, user, lst.id, None, lst.round, Step.SUBMIT, True,
                         f"共 {sum(not e.excluded for e in lst.entries)} 件")
            uow.commit()
            return Changed("disclosure_list", (lst.id,))

    def withdraw(self, user: CurrentUser, list_id: int, reason: str) -> Changed:
        """The section takes a submitted list back to draft (a new round) to change it."""
        require_role(user, *SECTION, doing="撤回公示清单")
        reason = _required(reason, "撤回原因")
        with self._uow(user, "撤回公示清单", reason=reason) as uow:
            lst = self._list(uow, user, list_id, acting=True)
            if ListStatus(lst.status) not in (ListStatus.SUBMITTED, ListStatus.DEPT_APPROVED):
                raise TransitionError(f"公示清单当前为「{ListStatus(lst.status).label}」，不能撤回")
            self._decide(uow, user, lst.id, None, lst.round, Step.WITHDRAW, False, reason)
            lst.status, lst.round = ListStatus.DRAFT, lst.round + 1
            uow.commit()
            return Changed("disclosure_list", (lst.id,))

    def approve(self, user: CurrentUser, list_id: int, note: str = "") -> Changed:
        with self._uow(user, "审批公示清单") as uow:
            lst = self._list(uow, user, list_id, acting=True)
            step = list_approval(ListStatus(lst.status))
            require_role(user, step.role, doing=f"{step.step.label}公示清单")
            decisions = DisclosureRepository(uow.session).decisions(list_id=lst.id)
            self._require_second_person(user, decisions, lst.round, step.step)
            lst.status = step.approved
            self._decide(uow, user, lst.id, None, lst.round, step.step, True, _optional(note, "审批意见"))
            uow.commit()
            return Changed("disclosure_list", (lst.id,))

    def refuse(self, user: CurrentUser, list_id: int, reason: str) -> Changed:
        """An approver sends the list back to draft, with the reason, for a new round."""
        reason = _required(reason, "退回理由")
        with self._uow(user, "退回公示清单", reason=reason) as uow:
            lst = self._list(uow, user, list_id, acting=True)
            step = list_approval(ListStatus(lst.status))
            require_role(user, step.role, doing=f"{step.step.label}公示清单")
            self._decide(uow, user, lst.id, None, lst.round, step.step, False, reason)
            lst.status, lst.round = ListStatus.DRAFT, lst.round + 1
            uow.commit()
            return Changed("disclosure_list", (lst.id,))

    def publish(self, user: CurrentUser, list_id: int, channels: Sequence[str]) -> Changed:
        """Mark the approved list published through `channels` (keys of CHANNELS)."""
        require_role(user, *SECTION, doing="发布公示清单")
        unknown = [c for c in channels if c not in CHANNELS]
        if unknown or not channels:
            raise FieldError("发布渠道", "请至少选择一个：" + "、".join(CHANNELS.values()))
        with self._uow(user, "发布公示清单") as uow:
            lst = self._list(uow, user, list_id, acting=True)
            if ListStatus(lst.status) is not ListStatus.APPROVED:
                raise TransitionError(f"公示清单当前为「{ListStatus(lst.status).label}」，"
                                      "须经部门负责人和分管局长审批后才能发布")
            lst.status = ListStatus.PUBLISHED
            lst.channels = ",".join(dict.fromkeys(channels))
            self._decide(uow, user, lst.id, None, lst.round, Step.PUBLISH, True,
                         "、".join(CHANNELS[c] for c in dict.fromkeys(channels)))
            uow.commit()
            return Changed("disclosure_list", (lst.id,))

    def export(self, user: CurrentUser, list_id: int, folder: Path) -> list[Path]:
        """Write the published list's files (Excel, CSV, enterprise CSV, web page) to folder.
        Nothing unpublished leaves this way; each export is written into the audit log."""
        require_role(user, *SECTION, Role.DEPARTMENT_HEAD, Role.DEPUTY_DIRECTOR,
                     doing="导出公示文件")
        pl = self.public_list(user, list_id)
        written = files.write_all(pl, folder)
        with self._uow(user, "导出公示文件") as uow:
            uow.log_bulk("disclosure_lists", {
                "list_id": list_id, "month": f"{pl.month:%Y-%m}", "revision": pl.revision,
                "rows": len(pl.entries), "files": [p.name for p in written]})
            uow.commit()
        return written

    # -- objections and corrections ----------------------------------------------------------
    def object(self, user: CurrentUser, entry_id: int, reason: str) -> Changed:
        """A handling office asks to keep one of its complaints off the list (不予公示)."""
        require_role(user, *OBJECTORS, doing="申请不予公示")
        reason = _required(reason, "不予公示理由")
        with self._uow(user, "申请不予公示", reason=reason) as uow:
            entry = self._entry(uow, user, entry_id)
            lst = entry.list
            if ListStatus(lst.status).frozen:
                raise TransitionError(f"公示清单已{ListStatus(lst.status).label}，不能再申请不予公示"
                                      + ("；已公示的内容如有错误，请申请更正"
                                         if lst.status == ListStatus.PUBLISHED else
                                         "；如确需申请，请联系消保科撤回清单"))
            if entry.excluded:
                raise TransitionError(f"投诉 {entry.number} 已不在公示范围内")
            self._require_no_open_request(uow, entry)
            req = self._file(uow, user, entry, RequestKind.OBJECTION, reason)
            uow.commit()
            return Changed("disclosure_request", (req.id,), created=True,
                           complaint_id=entry.complaint_id)

    def correct(self, user: CurrentUser, entry_id: int, reason: str, new_content: str,
                requester: str = "", requester_address: str = "") -> Changed:
        """A correction 更正 of a published row, on request (`requester`) or found by the
        section; it goes through the same two approvals."""
        require_role(user, *SECTION, doing="申请更正")
        reason = _required(reason, "更正理由")
        content = (new_content or "").strip()
        if not content:
            raise FieldError("更正后的投诉内容", "必须填写")
        v.check_length(content, "更正后的投诉内容", CONTENT_LIMIT)
        # Who asked and where the reply goes: refused when too long, never cut short silently.
        requester = v.check_text("disclosure_requests", "requester", (requester or "").strip(),
                                 "申请人") or ""
        requester_address = v.check_text("disclosure_requests", "requester_address",
                                         (requester_address or "").strip(), "送达地址") or ""
        with self._uow(user, "申请更正公示内容", reason=reason) as uow:
            entry = self._entry(uow, user, entry_id)
            if entry.list.status != ListStatus.PUBLISHED:
                raise TransitionError("只能更正已发布的公示内容；未发布的清单请在草稿中直接修改")
            if entry.excluded:
                raise TransitionError(f"投诉 {entry.number} 未公示，无需更正")
            self._require_no_open_request(uow, entry)
            complaint = ComplaintRepository(uow.session).get(entry.complaint_id)
            safe = mask(content, [complaint.complainant_name] if complaint else [])
            if safe == entry.content:
                raise FieldError("更正后的投诉内容", "与已公示的内容相同")
            req = self._file(uow, user, entry, RequestKind.CORRECTION, reason, safe,
                             requester, requester_address)
            uow.commit()
            return Changed("disclosure_request", (req.id,), created=True,
                           complaint_id=entry.complaint_id)

    def decide(self, user: CurrentUser, request_id: int, approve: bool, note: str = "") -> Changed:
        """The department head, then the deputy director, approve or refuse a request. The
        deputy's approval takes effect: an objection takes the row off the list, a correction
        replaces the published text."""
        note = _required(note, "不同意的理由") if not approve else _optional(note, "审批意见")
        with self._uow(user, "审批" + ("同意" if approve else "不同意"), reason=note or None) as uow:
            req = self._request(uow, user, request_id)
            step = request_approval(RequestStatus(req.status))
            kind = RequestKind(req.kind)
            require_role(user, step.role, doing=f"{step.step.label}{kind.label}申请")
            entry = DisclosureRepository(uow.session).entry(req.entry_id)
            assert entry is not None
            require_scope(user, entry.list.scope_office_id, "该公示清单")
            decisions = DisclosureRepository(uow.session).decisions(request_ids=[req.id])
            self._require_second_person(user, decisions, 1, step.step)
            self._decide(uow, user, None, req.id, 1, step.step, approve, note)
            if not approve:
                req.status = RequestStatus.REFUSED
            else:
                req.status = step.approved
                if req.status == RequestStatus.APPROVED:
                    self._take_effect(uow, req, entry)
            uow.commit()
            return Changed("disclosure_request", (req.id,), complaint_id=req.complaint_id)

    def withdraw_request(self, user: CurrentUser, request_id: int) -> Changed:
        """The one who filed (or the section) takes back a request not yet decided."""
        with self._uow(user, "撤回申请") as uow:
            req = self._request(uow, user, request_id)
            if not RequestStatus(req.status).open:
                raise TransitionError(f"该申请已{RequestStatus(req.status).label}，不能撤回")
            if req.filed_by_id != user.id and not user.has(*SECTION):
                raise PermissionDenied("只有提出申请的人或消保科可以撤回申请")
            req.status = RequestStatus.WITHDRAWN
            self._decide(uow, user, None, req.id, 1, Step.WITHDRAW, False, "")
            uow.commit()
            return Changed("disclosure_request", (req.id,), complaint_id=req.complaint_id)

    def request(self, user: CurrentUser, request_id: int) -> RequestInfo:
        with self._uow(user, "", write=False) as uow:
            return self._request_info(uow, self._request(uow, user, request_id))

    # -- inside a transaction ----------------------------------------------------------------
    def _refresh(self, uow: UnitOfWork, lst: DisclosureList) -> None:
        """Bring the draft's rows in line with the complaints closed in its month."""
        repo = DisclosureRepository(uow.session)
        scope = OfficeRepository(uow.session).subtree_ids(lst.scope_office_id)
        candidates = repo.candidates(scope, lst.month, _month_end(lst.month))
        existing = {e.complaint_id: e for e in lst.entries}
        requests = repo.requests_of(lst.id)
        with_requests = {r.entry_id for r in requests}
        objected = {r.entry_id for r in requests
                    if r.kind == RequestKind.OBJECTION and r.status == RequestStatus.APPROVED}
        wanted = set()
        for c in candidates:
            wanted.add(c.id)
            proposed = summary(c.subject, c.facts, [c.complainant_name])
            entry = existing.get(c.id)
            if entry is None:
                entry = DisclosureEntry(complaint_id=c.id, content=proposed, excluded=False,
                                        seq=0)
                lst.entries.append(entry)
            elif entry.content == entry.proposed_content:
                entry.content = proposed  # not edited by hand: follow the record
            entry.proposed_content = proposed
            entry.number, entry.received_at = c.number, c.received_at
            entry.respondent, entry.respondent_credit_code = c.respondent_name, c.respondent_credit_code
            entry.success = c.result == "settled"
            # 投诉人不同意公示 (2026 registration): kept off the list, shown to the section marked.
            refused = c.consent_disclosure is False
            if entry.excluded and entry.id not in objected and not refused:
                entry.excluded = False  # it qualifies again (closed anew in this month)
            if refused:
                entry.excluded = True
        for complaint_id, entry in existing.items():
            if complaint_id not in wanted:
                # Reopened or closed again in another month: off the list. Rows with requests
                # stay (the requests are records) but are no longer published.
                if entry.id in with_requests:
                    entry.excluded = True
                else:
                    lst.entries.remove(entry)
        ordered = sorted(lst.entries, key=lambda e: (e.received_at, e.number))
        for seq, entry in enumerate(ordered, start=1):
            entry.seq = seq
        uow.flush()
        self._freeze_figures(uow, lst, scope)

    def _freeze_figures(self, uow: UnitOfWork, lst: DisclosureList,
                        scope: set[int] | None = None) -> None:
        """The per-enterprise summary, without the rows kept off the list by an objection."""
        repo = DisclosureRepository(uow.session)
        if scope is None:
            scope = OfficeRepository(uow.session).subtree_ids(lst.scope_office_id)
        rows = repo.enterprise_counts(scope, lst.month, _month_end(lst.month))
        by_key = {r["key"]: r for r in rows}
        for e in lst.entries:
            row = by_key.get(e.respondent_credit_code or e.respondent)
            if e.excluded and row is not None:
                row["closed"] -= 1
                row["mediated"] -= 1
                row["settled"] -= int(e.success)
        lst.enterprise_figures = json.dumps(
            [{k: r[k] for k in ("respondent", "credit_code", "accepted", "closed", "mediated",
                                "settled")} for r in rows if r["accepted"] or r["closed"]],
            ensure_ascii=False)

    def _candidates_changed(self, uow: UnitOfWork, lst: DisclosureList) -> bool:
        scope = OfficeRepository(uow.session).subtree_ids(lst.scope_office_id)
        now = DisclosureRepository(uow.session).candidate_ids(scope, lst.month,
                                                              _month_end(lst.month))
        listed = {e.complaint_id for e in lst.entries if not e.excluded}
        objected = {e.complaint_id for e in lst.entries if e.excluded}
        return (now - objected) != listed

    def _take_effect(self, uow: UnitOfWork, req: DisclosureRequest, entry: DisclosureEntry) -> None:
        if req.kind == RequestKind.OBJECTION:
            entry.excluded = True
            self._freeze_figures(uow, entry.list)
        else:
            entry.content = req.new_content or entry.content
            entry.corrected_on = self.ctx.clock.today()
            entry.list.revision += 1

    def _file(self, uow: UnitOfWork, user: CurrentUser, entry: DisclosureEntry,
              kind: RequestKind, reason: str, new_content: str | None = None,
              requester: str = "", requester_address: str = "") -> DisclosureRequest:
        complaint = ComplaintRepository(uow.session).get(entry.complaint_id)
        assert complaint is not None
        names = [complaint.complainant_name]
        req = DisclosureRequest(
            kind=kind, entry_id=entry.id, complaint_id=entry.complaint_id,
            office_id=complaint.office_id, status=RequestStatus.PENDING,
            reason=reason, new_content=new_content,
            old_content=entry.content if kind is RequestKind.CORRECTION else None,
            requester=requester, requester_address=requester_address,
            filed_at=self.ctx.clock.now(), filed_by_id=user.id)
        DisclosureRepository(uow.session).add(req)
        uow.flush()
        self._decide(uow, user, None, req.id, 1, Step.FILE, True,
                     shorten(public_text(reason, names), 60))
        return req

    def _decide(self, uow: UnitOfWork, user: CurrentUser, list_id: int | None,
                request_id: int | None, round_: int, step: Step, approve: bool, note: str) -> None:
        DisclosureRepository(uow.session).add(DisclosureDecision(
            list_id=list_id, request_id=request_id, round=round_, step=step, approve=approve,
            note=note, decided_at=self.ctx.clock.now(), decided_by_id=user.id))
        uow.flush()

    @staticmethod
    def _require_second_person(user: CurrentUser, decisions: Sequence[DisclosureDecision],
                               round_: int, step: Step) -> None:
        """The two levels of approval are two people."""
        if step is not Step.DEPUTY_DIRECTOR:
            return
        first = [d for d in decisions if d.round == round_ and d.step == Step.DEPARTMENT_HEAD
                 and d.approve]
        if first and first[-1].decided_by_id == user.id:
            raise PermissionDenied("部门负责人审批和分管局长审批须由不同的人完成")

    @staticmethod
    def _require_draft(lst: DisclosureList) -> None:
        status = ListStatus(lst.status)
        if status.frozen:
            raise TransitionError(f"公示清单已{status.label}，内容已冻结；"
                                  "如需修改，须撤回或退回后开始新一轮审批")

    @staticmethod
    def _require_no_open_request(uow: UnitOfWork, entry: DisclosureEntry) -> None:
        for r in DisclosureRepository(uow.session).requests_of_entry(entry.id):
            if RequestStatus(r.status).open:
                raise TransitionError(f"投诉 {entry.number} 已有一件{RequestKind(r.kind).label}申请"
                                      "正在审批")
            if r.kind == RequestKind.OBJECTION and r.status == RequestStatus.APPROVED:
                raise TransitionError(f"投诉 {entry.number} 的不予公示申请已获批准")

    def _scope_office(self, uow: UnitOfWork, user: CurrentUser, office_id: int) -> Office:
        """An office whose list the user may build and act on: a district or sub-bureau in the
        user's scope."""
        office = OfficeRepository(uow.session).get(office_id)
        if office is None:
            raise NotFound(f"单位 {office_id} 不存在")
        if office.kind not in ("district", "sub_bureau"):
            raise FieldError("公示范围", "公示清单按区局或分局编制，投诉站不单独编制")
        require_scope(user, office.id, f"{office.name}的公示清单")
        return office

    def _visible_scope(self, uow: UnitOfWork, user: CurrentUser, office_id: int) -> Office:
        if office_id not in {c.office_id for c in self.scopes(user)}:
            raise PermissionDenied("您不能查看该单位的公示清单")
        office = OfficeRepository(uow.session).get(office_id)
        assert office is not None
        return office

    def _list(self, uow: UnitOfWork, user: CurrentUser, list_id: int,
              acting: bool = False) -> DisclosureList:
        lst = DisclosureRepository(uow.session).get_list(list_id)
        if lst is None:
            raise NotFound(f"公示清单 {list_id} 不存在")
        if acting:
            self._scope_office(uow, user, lst.scope_office_id)
        else:
            self._visible_scope(uow, user, lst.scope_office_id)
        return lst

    def _entry(self, uow: UnitOfWork, user: CurrentUser, entry_id: int) -> DisclosureEntry:
        entry = DisclosureRepository(uow.session).entry(entry_id)
        if entry is None:
            raise NotFound(f"公示清单中没有编号为 {entry_id} 的条目")
        require_scope(user, self._entry_office(uow, entry), f"投诉 {entry.number} ")
        return entry

    def _request(self, uow: UnitOfWork, user: CurrentUser, request_id: int) -> DisclosureRequest:
        req = DisclosureRepository(uow.session).request(request_id)
        if req is None:
            raise NotFound(f"申请 {request_id} 不存在")
        entry = DisclosureRepository(uow.session).entry(req.entry_id)
        assert entry is not None
        if user.scope is not None and req.office_id not in user.scope:
            # Approvers above the handling office see it through the list's scope.
            require_scope(user, entry.list.scope_office_id, "该申请")
        return req

    @staticmethod
    def _entry_office(uow: UnitOfWork, entry: DisclosureEntry) -> int:
        cache = uow.session.info.setdefault("complaint_office", {})
        if entry.complaint_id not in cache:
            c = ComplaintRepository(uow.session).get(entry.complaint_id)
            cache[entry.complaint_id] = c.office_id if c else 0
        return cache[entry.complaint_id]

    # -- turning rows into what the service hands out -----------------------------------------
    def _office_name(self, uow: UnitOfWork, office_id: int) -> str:
        cache = uow.session.info.setdefault("office_names", {})
        if not cache:
            cache.update({o.id: o.name for o in OfficeRepository(uow.session).all()})
        return cache.get(office_id, "")

    def _decision_infos(self, uow: UnitOfWork, rows: Sequence[DisclosureDecision]
                        ) -> tuple[DecisionInfo, ...]:
        return tuple(DecisionInfo(Step(d.step), d.approve, d.note,
                                  self.user_name(uow, d.decided_by_id),
                                  d.decided_at, d.round) for d in rows)

    def _list_info(self, uow: UnitOfWork, lst: DisclosureList) -> ListInfo:
        status = ListStatus(lst.status)
        decisions = DisclosureRepository(uow.session).decisions(list_id=lst.id)
        return ListInfo(lst.id, lst.scope_office_id, self._office_name(uow, lst.scope_office_id),
                        lst.month, status, lst.round, lst.revision,
                        tuple(c for c in lst.channels.split(",") if c),
                        self._decision_infos(uow, decisions), waiting_for(status))

    def _entry_info(self, uow: UnitOfWork, e: DisclosureEntry, open_kind: RequestKind | None,
                    objected: bool) -> EntryInfo:
        if objected:
            state = "不予公示"
        elif e.excluded and self._consent_refused(uow, e):
            state = "投诉人不同意公示"
        elif e.excluded:
            state = "已不符合公示条件"
        elif e.corrected_on:
            state = "已更正"
        else:
            state = "公示"
        return EntryInfo(
            id=e.id, seq=e.seq, complaint_id=e.complaint_id, number=e.number,
            received_at=e.received_at, respondent=e.respondent,
            office=self._office_name(uow, self._entry_office(uow, e)), content=e.content,
            proposed_content=e.proposed_content, success=e.success, excluded=e.excluded,
            corrected_on=e.corrected_on,
            open_request=f"{open_kind.label}申请审批中" if open_kind else "", state=state)

    @staticmethod
    def _consent_refused(uow: UnitOfWork, e: DisclosureEntry) -> bool:
        c = ComplaintRepository(uow.session).get(e.complaint_id)
        return c is not None and c.consent_disclosure is False

    def _request_info(self, uow: UnitOfWork, r: DisclosureRequest) -> RequestInfo:
        entry = DisclosureRepository(uow.session).entry(r.entry_id)
        assert entry is not None
        status = RequestStatus(r.status)
        decisions = DisclosureRepository(uow.session).decisions(request_ids=[r.id])
        return RequestInfo(
            id=r.id, kind=RequestKind(r.kind), entry_id=r.entry_id, number=entry.number,
            respondent=entry.respondent, office=self._office_name(uow, r.office_id),
            status=status, reason=r.reason, new_content=r.new_content, old_content=r.old_content,
            requester=r.requester, requester_address=r.requester_address,
            filed_by=self.user_name(uow, r.filed_by_id), filed_at=r.filed_at,
            decisions=self._decision_infos(uow, decisions), waiting_for=waiting_for(status))

    @staticmethod
    def _figures(lst: DisclosureList) -> tuple[EnterpriseLine, ...]:
        return tuple(EnterpriseLine(r["respondent"], r["credit_code"] or "", r["accepted"],
                                    r["closed"], r["mediated"], r["settled"])
                     for r in json.loads(lst.enterprise_figures or "[]"))

    def _public(self, uow: UnitOfWork, lst: DisclosureList) -> PublicList:
        if lst.status != ListStatus.PUBLISHED:
            raise TransitionError(f"公示清单当前为「{ListStatus(lst.status).label}」，"
                                  "只有审批通过并发布的清单才能导出为公示文件")
        decisions = DisclosureRepository(uow.session).decisions(list_id=lst.id)
        published = [d for d in decisions if d.step == Step.PUBLISH]
        approved = [d for d in decisions if d.step == Step.DEPUTY_DIRECTOR and d.approve
                    and d.round == lst.round]
        shown = [e for e in lst.entries if not e.excluded]
        entries = tuple(PublicEntry(n, e.number, e.received_at, e.respondent, e.content,
                                    e.success, e.corrected_on)
                        for n, e in enumerate(shown, start=1))
        corrections = []
        for r in DisclosureRepository(uow.session).requests_of(lst.id):
            if r.kind == RequestKind.CORRECTION and r.status == RequestStatus.APPROVED:
                entry = DisclosureRepository(uow.session).entry(r.entry_id)
                assert entry is not None and entry.corrected_on is not None
                corrections.append(PublicCorrection(entry.number, entry.corrected_on,
                                                    "对该投诉的公示内容予以更正"))
        offices = OfficeRepository(uow.session)
        issuer = offices.get(lst.scope_office_id)
        assert issuer is not None
        district = offices.district_of(issuer)
        name = issuer.name if district is issuer else f"{district.name}{issuer.name}"
        return PublicList(
            issuer=name, scope=issuer.name, month=lst.month,
            published_on=published[0].decided_at.date(), approved_on=approved[-1].decided_at.date(),
            revision=lst.revision, entries=entries, enterprises=self._figures(lst),
            corrections=tuple(corrections))


def _required(text: str, field: str) -> str:
    value = (text or "").strip()
    if not value:
        raise FieldError(field, "必须填写")
    return _optional(value, field)


def _optional(text: str, field: str) -> str:
    """A reason or an opinion, trimmed, within REASON_LIMIT (well inside the contract's
    `disclosure_decisions.note` and `disclosure_requests.reason`)."""
    return v.check_length((text or "").strip(), field, REASON_LIMIT) or ""
