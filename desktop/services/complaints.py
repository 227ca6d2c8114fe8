"""Complaints: register, edit, every workflow transition, the clock pause, reading and listing.

Over 900 lines on purpose: every transition of the state machine (domain/workflow.py) — the
2026 rules' steps for 投诉, 举报 and 咨询 included — is a few lines around the one `_transition`,
and reading them side by side is how one checks them against the table. What is not a
transition lives elsewhere: 送达 and 回访 in services/aftercare.py, the consumer-status facts'
logic in domain/consumer_status.py, the letters a complaint has in services/letters.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from desktop.db.models import ClockPause, Complaint
from desktop.db.repositories import (
    LIST_COLUMNS,
    CodeRepository,
    ComplaintRepository,
    Cursor,
    EnterpriseRepository,
)
from desktop.db.uow import UnitOfWork
from desktop.domain import validators as v
from desktop.domain.aftercare import Notice
from desktop.domain.calendar import DueDate, WorkingCalendar
from desktop.domain.complaint import ComplaintDraft, ComplaintFilter, SortKey, masked
from desktop.domain.complaint_fields import (
    BY_NAME,
    FIELDS,
    FORM_FIELDS,
    LEDGER,
    PERSONAL,
    SEES_PERSONAL_INFO,
)
from desktop.domain.consumer_status import (
    ConsumerFacts,
    EarlierComplaint,
    SharedContact,
    gather,
)
from desktop.domain.contract import LATEST_DATE, NOTE_LEN
from desktop.domain.deadlines import Deadlines, Pause, RuleSet, compute_deadlines, rule_set_for
from desktop.domain.errors import ConflictError, DomainError, FieldError, NotFound, TransitionError
from desktop.domain.numbering import DISPATCH_SEQUENCE_BASE
from desktop.domain.workflow import (
    CASE_DECIDERS,
    HANDLERS,
    Action,
    Intake,
    Result,
    Role,
    Status,
    allowed_actions,
    fire,
    transition_for,
)
from desktop.services.base import Service, require_role, require_scope
from desktop.services.dto import (
    ROW_NAMES,
    Changed,
    ComplaintDetail,
    ComplaintRow,
    CurrentUser,
    Link,
    Page,
)

MAX_PAGE = 500
_OUTCOME_FIELDS = (
    "closed_on", "result", "recovered_cents", "at_fault", "satisfaction", "status_note",
    "rejection_ground", "settled_on", "settlement_terms", "terminated_on", "termination_ground",
    "transferred_to", "case_note", "violation_found_on", "case_decided_on",
)
# Which list of its rule set a ground comes from, by the code table name the dialogs use.
_GROUND_LISTS = {"rejection_ground": "rejection", "termination_ground": "termination"}


def _complaint_text(value: str | None, name: str, field: str) -> str:
    """A text for a complaint's column, trimmed, within the wire contract's length; `field` is
    the label of the dialog's box, so the message shows under it."""
    return v.check_text("complaints", name, (value or "").strip(), field) or ""


def _reason(value: str | None, field: str) -> str:
    """A reason kept in the audit log (修改理由, 重新办理理由…): bounded like a note."""
    return v.check_length((value or "").strip(), field, NOTE_LEN) or ""


def _cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


def from_cents(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def field_values(c: Complaint, *, full: bool) -> dict[str, object]:
    """Every catalogued field of `c` by its key (money in yuan: `amount`), with personal
    information masked unless `full`."""
    out: dict[str, object] = {}
    for f in FIELDS:
        value = getattr(c, f.name)
        if f.kind == "money":
            value = from_cents(value)
        elif not full:
            value = masked(f.name, value)
        out[f.key] = value
    return out


def sees_person(user: CurrentUser, c: Complaint) -> bool:
    """Whether `user` sees the complainant's personal information in full: the roles that
    handle complaints do; a 举报's reporter only its handler (and who registered it)."""
    if not user.has(*SEES_PERSONAL_INFO):
        return False
    if c.kind == Intake.REPORT and not user.has(Role.ADMIN):
        return user.id in (c.handler_id, c.registered_by_id)
    return True


def _delegation_returned(c: Complaint, day: date, result: str) -> None:
    """A delegated mediation's result came back (调解成功 or 终止调解) and is recorded."""
    if c.status in (Status.SETTLED, Status.TERMINATED) and c.delegated_to \
            and c.delegation_returned_on is None:
        c.delegation_returned_on, c.delegation_result = day, result[:2000]


def personal_fields(user: CurrentUser, c: Complaint) -> dict[str, str | None]:
    """The complainant's personal information as `user` may see it: in full for the roles that
    handle complaints, masked for the others."""
    full = sees_person(user, c)
    return {f.name: getattr(c, f.name) if full else masked(f.name, getattr(c, f.name))
            for f in PERSONAL}


def load_complaint(uow: UnitOfWork, user: CurrentUser, complaint_id: int,
                   expected_version: int | None = None) -> Complaint:
    """The complaint, if it exists, is in the user's scope and (if given) still at that version."""
    c = ComplaintRepository(uow.session).get(complaint_id)
    if c is None:
        raise NotFound(f"投诉记录 {complaint_id} 不存在")
    require_scope(user, c.office_id, f"投诉 {c.number} ")
    if expected_version is not None and c.version != expected_version:
        raise ConflictError(
            f"投诉 {c.number} 已被他人修改（版本 {c.version}，您看到的是版本 {expected_version}），"
            "请刷新后重试"
        )
    return c


# A list row from a plain row of LIST_COLUMNS (id, version, then the ledger's catalogued
# fields in order): the row's attribute names by position, and the positions whose values are
# shown otherwise (personal information masked, the status as a Status).
_LIST_NAMES = ("id", "version", *(ROW_NAMES.get(f.name, f.key) for f in LEDGER))
_STATUSES = {s.value: s for s in Status}
_LIST_KEYS = tuple(column.key for column in LIST_COLUMNS)  # id first


def _masker(name: str) -> Callable[[Any], Any]:
    """`masked(name, value)` for a non-None value, as a list page calls it a hundred times:
    a name's mask remembered (a ledger repeats its complainants' names; a few microseconds
    each otherwise), an 11-digit mobile cut directly (what mask_phone makes of it)."""
    field = BY_NAME[name]
    if field.personal == "name":
        seen: dict[Any, Any] = {}

        def name_masked(value: Any) -> Any:
            shown = seen.get(value)
            if shown is None:
                if len(seen) >= 65_536:
                    seen.clear()
                shown = seen[value] = masked(name, value)
            return shown
        return name_masked
    if field.personal == "phone":
        def phone_masked(value: Any) -> Any:
            if type(value) is str and len(value) == 11 and value.isdigit():
                return value[:3] + "****" + value[7:]
            return masked(name, value)
        return phone_masked
    return partial(masked, name)


_SHOWN: tuple[tuple[str, Callable[[Any], Any]], ...] = tuple(
    (ROW_NAMES.get(f.name, f.key),
     _STATUSES.__getitem__ if f.name == "status" else _masker(f.name))
    for f in LEDGER if f.personal is not None or f.name == "status")
_NEW_ROW, _SET = object.__new__, object.__setattr__


def _any_row(r: Sequence[Any]) -> ComplaintRow:
    """A ledger line from a plain row (LIST_COLUMNS): the ledger's catalogued fields,
    personal information masked whoever asks (a list is seen over shoulders)."""
    values = dict(zip(_LIST_NAMES, r, strict=True))
    for name, shown in _SHOWN:
        value = values[name]
        if value is not None:
            values[name] = shown(value)
    row = _NEW_ROW(ComplaintRow)  # ComplaintRow.of, without its call nor a copy
    _SET(row, "__dict__", values)
    return row


def _ledger_row(r: Sequence[Any]) -> ComplaintRow:
    """`_any_row` for the ledger as catalogued today (the status, the complainant's name and
    phone shown otherwise), written out: a page makes a hundred (a sixth less time)."""
    values = dict(zip(_LIST_NAMES, r, strict=True))
    value = values["status"]
    if value is not None:
        values["status"] = _STATUSES[value]
    value = values["complainant"]
    if value is not None:
        values["complainant"] = _MASK_NAME(value)
    value = values["phone"]
    if value is not None:
        values["phone"] = _MASK_PHONE(value)
    row = _NEW_ROW(ComplaintRow)
    _SET(row, "__dict__", values)
    return row


_TODAY = [name for name, _shown in _SHOWN] == ["status", "complainant", "phone"]
_MASK_NAME, _MASK_PHONE = (_SHOWN[1][1], _SHOWN[2][1]) if _TODAY else (str, str)
_list_row = _ledger_row if _TODAY else _any_row


class ComplaintService(Service):
    # -- reading ---------------------------------------------------------------------
    def get(self, user: CurrentUser, complaint_id: int) -> ComplaintDetail:
        with self._uow(user, "", write=False) as uow:
            return self._detail(uow, user, load_complaint(uow, user, complaint_id))

    def find_by_number(self, user: CurrentUser, number: str) -> ComplaintDetail:
        with self._uow(user, "", write=False) as uow:
            c = ComplaintRepository(uow.session).by_number(number.strip().upper())
            if c is None:
                raise NotFound(f"没有找到投诉单号 {number}")
            require_scope(user, c.office_id, "该投诉")
            return self._detail(uow, user, c)

    def page(
        self,
        user: CurrentUser,
        query: ComplaintFilter,
        after: Cursor | None = None,
        limit: int = 100,
        *,
        offset: int = 0,
        backwards: bool = False,
    ) -> Page:
        """One page of a list in keyset order; pass the returned cursor for the next.

        `offset` skips that many rows after `after` first (a jump into the list); `backwards`
        reads from the end of the list towards its start: the page holds the `limit` rows
        before `after` (the last rows without it), still in the list's order, and its cursor
        is its first row's, to read further back."""
        limit = max(1, min(limit, MAX_PAGE))
        with self._uow(user, "", write=False) as uow:
            rows = ComplaintRepository(uow.session).page(query, user.scope, after, limit + 1,
                                                         offset=max(0, offset), backwards=backwards)
            more = len(rows) > limit
            rows = rows[:limit]
            cursor = None
            if more and rows:
                last = rows[-1]
                cursor = Cursor(last[_LIST_KEYS.index(query.sort.value)], last[0])
            if backwards:
                rows.reverse()
            out = tuple(_list_row(r) for r in rows)
            if query.text.strip() and out:
                out = self._with_snippets(uow, query.text, out)
            return Page(out, cursor)

    @staticmethod
    def _with_snippets(uow: UnitOfWork, text: str, rows: tuple[ComplaintRow, ...]
                       ) -> tuple[ComplaintRow, ...]:
        """A search's page: each row with why it matched (the matched field's words marked),
        from one query for the page's rows. Personal fields are never quoted (the list masks
        them); a row that matched on one of them shows its masked name."""
        from desktop.db.search import snippets

        fields = sorted((f for f in FIELDS if f.searchable is not None),
                        key=lambda f: f.searchable or 0)
        columns = [f for f in fields if f.personal is None]
        personal = [f for f in fields if f.personal is not None]
        texts = ComplaintRepository(uow.session).texts(
            [r.id for r in rows], [f.name for f in columns + personal])
        snippet = snippets(text)  # the words' pattern made once for the page
        out = []
        for row in rows:
            values = texts.get(row.id, {})
            found = snippet([("投诉单号", row.number)]
                            + [(f.label, values.get(f.name)) for f in columns])
            for f in personal if not found else ():
                if snippet([(f.label, values.get(f.name))]):  # say which, masked
                    found = f"{f.label}：{masked(f.name, values.get(f.name))}"
                    break
            # dataclasses.replace(row, matched=found), without re-running __init__.
            marked = _NEW_ROW(ComplaintRow)
            _SET(marked, "__dict__", {**row.__dict__, "matched": found})
            out.append(marked)
        return tuple(out)

    def rows(self, user: CurrentUser, ids: Sequence[int]) -> list[ComplaintRow]:
        """The list rows of these complaints (those in the user's scope), to refresh a view."""
        with self._uow(user, "", write=False) as uow:
            return [_list_row(r) for r in ComplaintRepository(uow.session).list_rows(ids, user.scope)]

    def count(self, user: CurrentUser, query: ComplaintFilter) -> int:
        scope = set(user.scope) if user.scope is not None else None
        with self._uow(user, "", write=False) as uow:
            return ComplaintRepository(uow.session).count(query, scope)

    # The workbench's lists, as filters the caller can page and count.
    def open_filter(self, user: CurrentUser) -> ComplaintFilter:
        return ComplaintFilter(open_only=True, handler_id=user.id)

    def overdue_filter(self) -> ComplaintFilter:
        return ComplaintFilter(due_before=self.ctx.clock.today(), sort=SortKey.DUE)

    def due_soon_filter(self, working_days: int = 2) -> ComplaintFilter:
        """Clock running and due within the next `working_days` working days (not yet overdue)."""
        today = self.ctx.clock.today()
        limit = self.ctx.reference.calendar().add_working_days(today, working_days).day
        return ComplaintFilter(due_from=today, due_until=limit, sort=SortKey.DUE)

    def received_today_filter(self) -> ComplaintFilter:
        today = self.ctx.clock.today()
        return ComplaintFilter(received_from=today, received_to=today)

    def duplicates(
        self, user: CurrentUser, phone: str, respondent_name: str, credit_code: str | None = None,
        exclude_id: int | None = None,
    ) -> list[ComplaintRow]:
        """Open complaints of the same phone against the same respondent (并案 warning)."""
        try:
            phone = v.check_phone(phone)
        except FieldError:
            return []
        with self._uow(user, "", write=False) as uow:
            scope = set(user.scope) if user.scope is not None else None
            found = ComplaintRepository(uow.session).open_duplicates(
                phone, respondent_name.strip(), credit_code, exclude_id, scope
            )
            return [self._row(c) for c in found]

    # -- registering and editing -------------------------------------------------------
    def register(self, user: CurrentUser, draft: ComplaintDraft, *,
                 add_enterprise: bool = False) -> Changed:
        """Register a 投诉 or 举报, or log a 咨询 with its answer (answered on the spot).
        `add_enterprise`: a respondent typed in, not from the 企业库, is added to it in the
        same transaction (an enterprise of that credit code or name already there is linked)."""
        intake = draft.intake if draft.kind in tuple(Intake) else Intake.COMPLAINT
        require_role(user, *HANDLERS, doing=f"{intake.label}登记")
        if intake is Intake.REPORT and user.office_kind == "station":
            raise DomainError("投诉站不登记举报：请告知举报人向市场监督管理分局举报，"
                              "或通过 12315 平台举报")
        now = self.ctx.clock.now()
        clean = draft.validated(now)
        with self._uow(user, f"{intake.label}登记") as uow:
            self._check_codes(uow, clean)
            repo = ComplaintRepository(uow.session)
            day = clean.received_at.date()
            number = repo.next_free_number(user.office_id, user.office_code, day)
            if number is None:
                raise DomainError(f"本单位 {day:%Y-%m-%d} 的投诉编号已用尽"
                                  f"（{DISPATCH_SEQUENCE_BASE + 1} 起的编号留给区局分流件）")
            rules = rule_set_for(self.ctx.reference.rule_sets(), day)
            columns = self._draft_columns(uow, clean)
            added: int | None = None
            if add_enterprise and columns.get("enterprise_id") is None and clean.respondent_name:
                enterprise_id, created = self._add_enterprise(uow, clean)
                columns["enterprise_id"] = enterprise_id
                added = enterprise_id if created else None
            c = Complaint(
                number=number,
                registered_by_id=user.id,
                office_id=user.office_id,
                handler_id=user.id,
                status=Status.REGISTERED.value,
                rule_set_code=rules.code,
                **columns,
            )
            if intake is Intake.CONSULTATION:
                c.status = fire(Status.REGISTERED, Action.ANSWER, {"answer": clean.answer},
                                roles=user.roles, intake=intake).value
                c.answered_at = now.replace(microsecond=0)
            uow.session.add(c)
            deadlines = self._refresh_due(c)
            uow.commit()
            return Changed("complaint", (c.id,), number, deadlines.warnings, created=True,
                           enterprise_added=added)

    def edit(
        self, user: CurrentUser, complaint_id: int, draft: ComplaintDraft, *,
        expected_version: int, reason: str | None = None,
    ) -> Changed:
        """Change the registered facts. Once accepted, a reason is required (全程留痕)."""
        require_role(user, *HANDLERS, doing="修改投诉")
        clean = draft.validated(self.ctx.clock.now())
        _reason(reason, "修改理由")
        with self._uow(user, "修改投诉", reason=reason) as uow:
            c = load_complaint(uow, user, complaint_id, expected_version)
            if not Status(c.status).is_open and c.kind != Intake.CONSULTATION:
                raise TransitionError(f"「{Status(c.status).label}」的记录不能修改，"
                                      "如需更正请先“重新办理”")
            if clean.kind != c.kind:
                raise FieldError("类型", f"登记后不能改变类型（现为{Intake(c.kind).label}）；"
                                         "投诉涉嫌违法的请用“诉转案”")
            if c.status != Status.REGISTERED and not (reason or "").strip():
                raise FieldError("修改理由", "投诉已受理，修改须填写理由")
            self._check_codes(uow, clean)
            for key, value in self._draft_columns(uow, clean).items():
                setattr(c, key, value)
            c.rule_set_code = rule_set_for(
                self.ctx.reference.rule_sets(), c.received_at.date()
            ).code
            deadlines = self._refresh_due(c)
            uow.commit()
            return Changed("complaint", (c.id,), c.number, deadlines.warnings)

    # -- workflow ------------------------------------------------------------------------
    def accept(self, user: CurrentUser, complaint_id: int, *, expected_version: int,
               on: date | None = None, odr: bool = False) -> Changed:
        """Accept; with `odr` the enterprise first negotiates itself for 10 working days."""
        day = on or self.ctx.clock.today()
        v.check_date(day, "受理日期", self.ctx.clock.now())

        def apply(c: Complaint) -> None:
            if day < c.received_at.date():
                raise FieldError("受理日期", f"不能早于接收日期 {c.received_at.date()}")
            c.accepted_on = day
            c.odr_started_on = day if odr else None
        return self._transition(user, complaint_id, Action.ACCEPT, {}, apply, expected_version)

    def reject(self, user: CurrentUser, complaint_id: int, *, ground: str, note: str = "",
               expected_version: int) -> Changed:
        note = _complaint_text(note, "status_note", "说明")

        def apply(c: Complaint) -> None:
            c.rejection_ground = ground
            c.status_note = note or None
        return self._transition(user, complaint_id, Action.REJECT, {"ground": ground}, apply,
                                expected_version, ground_kind="rejection_ground", reason=note)

    def start_mediation(self, user: CurrentUser, complaint_id: int, *,
                        expected_version: int) -> Changed:
        def apply(c: Complaint) -> None:
            c.mediation_started_on = self.ctx.clock.today()
        return self._transition(user, complaint_id, Action.START_MEDIATION, {}, apply,
                                expected_version)

    def settle(self, user: CurrentUser, complaint_id: int, *, terms: str,
               recovered: Decimal | str | None = None, performance_due: date | None = None,
               expected_version: int) -> Changed:
        """`performance_due`: the agreement's deadline for performing it; None: on the spot."""
        amount = v.check_amount(recovered, "挽回经济损失") if recovered not in (None, "") else None
        _complaint_text(terms, "settlement_terms", "调解协议内容")
        today = self.ctx.clock.today()
        if performance_due is not None and performance_due < today:
            raise FieldError("履行期限", f"不能早于今天（{today}）")
        if performance_due is not None and performance_due > LATEST_DATE:
            raise FieldError("履行期限", f"不能晚于 {LATEST_DATE.isoformat()}：填写的是 "
                                         f"{performance_due.isoformat()}，请核对年份")

        def apply(c: Complaint) -> None:
            _delegation_returned(c, today, f"调解成功：{terms.strip()}")
            c.settled_on = today
            c.settlement_terms = terms.strip()
            c.performance_due_on = performance_due
            if amount is not None:
                c.recovered_cents = _cents(amount)
        return self._transition(user, complaint_id, Action.SETTLE, {"terms": terms}, apply,
                                expected_version)

    def terminate(self, user: CurrentUser, complaint_id: int, *, ground: str, note: str = "",
                  expected_version: int) -> Changed:
        note = _complaint_text(note, "status_note", "说明")

        def apply(c: Complaint) -> None:
            _delegation_returned(c, self.ctx.clock.today(),
                                 f"终止调解：{self.ground_text(c, 'termination_ground', ground)}")
            c.terminated_on = self.ctx.clock.today()
            c.termination_ground = ground
            c.status_note = note or None
        return self._transition(user, complaint_id, Action.TERMINATE, {"ground": ground}, apply,
                                expected_version, ground_kind="termination_ground", reason=note)

    def transfer(self, user: CurrentUser, complaint_id: int, *, target: str, note: str = "",
                 expected_version: int) -> Changed:
        _complaint_text(target, "transferred_to", "转办单位")
        note = _complaint_text(note, "status_note", "说明")

        def apply(c: Complaint) -> None:
            c.transferred_to = target.strip()
            c.status_note = note or None
        return self._transition(user, complaint_id, Action.TRANSFER, {"target": target}, apply,
                                expected_version, reason=note)

    def open_case(self, user: CurrentUser, complaint_id: int, *, note: str,
                  expected_version: int) -> Changed:
        """诉转案: a suspected violation goes to enforcement; the check clock starts."""
        _complaint_text(note, "case_note", "立案线索说明")

        def apply(c: Complaint) -> None:
            c.case_note = note.strip()
            c.violation_found_on = self.ctx.clock.today()
        changed = self._transition(user, complaint_id, Action.OPEN_CASE, {"note": note}, apply,
                                   expected_version, after=self._report_from)
        return changed

    def _report_from(self, uow: UnitOfWork, user: CurrentUser, c: Complaint) -> None:
        """诉转案: the violation goes on as a 举报 of this office, linked to the complaint (its
        own clock: whether to open a case within the rule set's working days)."""
        now = self.ctx.clock.now().replace(microsecond=0)
        repo = ComplaintRepository(uow.session)
        number = repo.next_free_number(user.office_id, user.office_code, now.date())
        if number is None:
            raise DomainError(f"本单位 {now.date():%Y-%m-%d} 的编号已用尽，无法登记诉转案的举报")
        columns = {f.name: getattr(c, f.name) for f in FORM_FIELDS if f.kind != "money"}
        columns.update(
            kind=Intake.REPORT.value, received_at=now, channel_code=c.channel_code,
            facts=f"{c.case_note}\n（由投诉 {c.number} 诉转案。原投诉事实：{c.facts}）"[:5000],
            reporter_real_name=True, consent_disclosure=None, consent_delegation=None,
            answer=None)
        report = Complaint(
            number=number, registered_by_id=user.id, office_id=c.office_id, handler_id=user.id,
            status=Status.REGISTERED.value, amount_cents=c.amount_cents, origin_id=c.id,
            enterprise_id=c.enterprise_id,
            rule_set_code=rule_set_for(self.ctx.reference.rule_sets(), now.date()).code,
            clock_from=now.date(), **columns)
        uow.session.add(report)
        uow.flush()
        self._refresh_due(report)

    # -- 2026 rules: identity, delegation, the mediation notice, recusal, consumer status --
    def request_id_proof(self, user: CurrentUser, complaint_id: int, *, due: date,
                         note: str = "", expected_version: int) -> Changed:
        """限期提供身份证明材料: the acceptance decision waits for the proof until `due`."""
        today = self.ctx.clock.today()
        if due <= today:
            raise FieldError("提供期限", f"应晚于今天（{today}）")
        if due > LATEST_DATE:
            raise FieldError("提供期限", f"不能晚于 {LATEST_DATE.isoformat()}")
        note = _complaint_text(note, "status_note", "说明")

        def apply(c: Complaint) -> None:
            c.id_proof_requested_on, c.id_proof_due_on, c.id_proof_received_on = today, due, None
            c.status_note = note or None
        return self._transition(user, complaint_id, Action.REQUEST_ID_PROOF, {"due": due},
                                apply, expected_version, reason=note)

    def id_proof_received(self, user: CurrentUser, complaint_id: int, *,
                          expected_version: int) -> Changed:
        """The proof arrived: back to 登记, the acceptance decision's days run from today."""
        def apply(c: Complaint) -> None:
            c.id_proof_received_on = self.ctx.clock.today()
        return self._transition(user, complaint_id, Action.ID_PROOF_RECEIVED, {}, apply,
                                expected_version)

    def delegate(self, user: CurrentUser, complaint_id: int, *, to: str, note: str = "",
                 expected_version: int) -> Changed:
        """委托调解 to a consumer association or another mediation body, with the consent the
        registration recorded; the mediation time limit keeps running."""
        _complaint_text(to, "delegated_to", "受委托调解组织")
        note = _complaint_text(note, "status_note", "说明")

        def apply(c: Complaint) -> None:
            if c.consent_delegation is False:
                raise FieldError("受委托调解组织", "投诉人在登记时不同意委托调解")
            c.delegated_to, c.delegated_on = to.strip(), self.ctx.clock.today()
            c.delegation_returned_on = c.delegation_result = None
            c.status_note = note or None
        return self._transition(user, complaint_id, Action.DELEGATE, {"to": to}, apply,
                                expected_version, reason=note)

    def schedule_mediation(self, user: CurrentUser, complaint_id: int, *, at: datetime,
                           place: str, mediator: str, phone: str, materials: str = "",
                           recusal_days: int | None = 3, expected_version: int) -> Changed:
        """投诉调解通知书: when and where, who mediates, what to bring, the days in which a party
        may ask for the mediator's recusal."""
        require_role(user, *HANDLERS, doing="调解通知")
        v.check_date(at, "调解时间", None)
        values = {
            "mediation_place": _complaint_text(place, "mediation_place", "调解地点"),
            "mediator_name": _complaint_text(mediator, "mediator_name", "调解人员"),
            "mediator_phone": _complaint_text(phone, "mediator_phone", "调解人员电话"),
            "mediation_materials": _complaint_text(materials, "mediation_materials", "需携带材料"),
        }
        for field, label in (("mediation_place", "调解地点"), ("mediator_name", "调解人员")):
            if not values[field]:
                raise FieldError(label, "不能为空")
        if values["mediator_phone"]:
            values["mediator_phone"] = v.check_phone(values["mediator_phone"], "调解人员电话")
        if recusal_days is not None and not 1 <= recusal_days <= 30:
            raise FieldError("申请回避期限（日）", "应为 1–30 日")
        with self._uow(user, "调解通知") as uow:
            c = load_complaint(uow, user, complaint_id, expected_version)
            if c.status not in (Status.ACCEPTED, Status.MEDIATING):
                raise TransitionError(f"只有已受理或调解中的投诉可以发调解通知"
                                      f"（当前为「{Status(c.status).label}」）")
            c.mediation_at = at.replace(second=0, microsecond=0)
            for field, value in values.items():
                setattr(c, field, value or None)
            c.recusal_days = recusal_days
            uow.commit()
            return Changed("complaint", (c.id,), c.number)

    def record_recusal(self, user: CurrentUser, complaint_id: int, *, request: str,
                       requested_on: date, decision: str | None = None,
                       decided_on: date | None = None, expected_version: int) -> Changed:
        """A party's request that the mediator step aside (回避), and the office's decision."""
        require_role(user, *HANDLERS, doing="回避申请")
        request = _complaint_text(request, "recusal_request", "回避申请")
        if not request:
            raise FieldError("回避申请", "不能为空：写明谁申请哪位调解人员回避及理由")
        now = self.ctx.clock.now()
        v.check_date(requested_on, "申请回避日期", now)
        if decision not in (None, "granted", "refused"):
            raise FieldError("回避决定", f"「{decision}」不是准予回避或不予回避")
        if decision is not None:
            decided_on = decided_on or self.ctx.clock.today()
            v.check_date(decided_on, "回避决定日期", now)
            if decided_on < requested_on:
                raise FieldError("回避决定日期", f"不能早于申请日期 {requested_on}")
        with self._uow(user, "回避申请") as uow:
            c = load_complaint(uow, user, complaint_id, expected_version)
            if c.status not in (Status.ACCEPTED, Status.MEDIATING):
                raise TransitionError("只有调解阶段的投诉可以申请回避")
            c.recusal_request, c.recusal_requested_on = request, requested_on
            c.recusal_decision = decision
            c.recusal_decided_on = decided_on if decision else None
            uow.commit()
            return Changed("complaint", (c.id,), c.number)

    def judge_consumer(self, user: CurrentUser, complaint_id: int, *, judgement: str,
                       note: str, expected_version: int) -> Changed:
        """The clerk's judgement whether the complainant bought for daily consumption, with
        the reason; the program only gathers facts (consumer_facts)."""
        require_role(user, *HANDLERS, doing="消费者身份判断")
        if judgement not in ("consumer", "not_consumer"):
            raise FieldError("消费者身份判断", "请选择属于或不属于生活消费")
        note = _complaint_text(note, "consumer_judgement_note", "判断理由")
        if not note:
            raise FieldError("判断理由", "不能为空：写明依据的事实")
        with self._uow(user, "消费者身份判断", reason=note) as uow:
            c = load_complaint(uow, user, complaint_id, expected_version)
            if c.kind != Intake.COMPLAINT:
                raise TransitionError("只有投诉需要判断消费者身份")
            c.consumer_judgement, c.consumer_judgement_note = judgement, note
            uow.commit()
            return Changed("complaint", (c.id,), c.number)

    def consumer_facts(self, user: CurrentUser, complaint_id: int) -> ConsumerFacts:
        """What the 2026 rules (Art. 17) list for judging whether a purchase was for daily
        consumption, gathered from this office's records: the person's complaints in the last
        12 months and against whom, others sharing the phone or address, unusual quantities."""
        require_role(user, *SEES_PERSONAL_INFO, doing="查看消费者身份核查事实")
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            since = (c.received_at - timedelta(days=365)).date()
            scope = set(user.scope) if user.scope is not None else None
            repo = ComplaintRepository(uow.session)
            earlier = [EarlierComplaint(o.number, o.received_at.date(), o.respondent_name,
                                        o.subject, Status(o.status).label)
                       for o in repo.same_person(c.id, c.complainant_name, c.complainant_phone,
                                                 c.complainant_id_number, since, scope)]
            shared = [SharedContact(o.number, o.received_at.date(),
                                    masked("complainant_name", o.complainant_name), shares)
                      for o, shares in repo.sharing_contact(
                          c.id, c.complainant_name, c.complainant_phone,
                          c.complainant_address, scope)]
            return gather(since=since, earlier=earlier, shared=shared,
                          texts=(c.subject, c.facts, c.request),
                          judgement=c.consumer_judgement,
                          judgement_note=c.consumer_judgement_note)

    def answer(self, user: CurrentUser, complaint_id: int, *, answer: str,
               expected_version: int) -> Changed:
        """解答 a 咨询 that came without its answer (dispatched by the district from 12315)."""
        _complaint_text(answer, "answer", "解答内容")

        def apply(c: Complaint) -> None:
            c.answer = answer.strip()
            c.answered_at = self.ctx.clock.now().replace(microsecond=0)
        return self._transition(user, complaint_id, Action.ANSWER, {"answer": answer}, apply,
                                expected_version)

    # -- 举报 --------------------------------------------------------------------------
    def file_case(self, user: CurrentUser, complaint_id: int, *, note: str,
                  expected_version: int) -> Changed:
        """立案: a case is opened on the report; the reporter (if named) is told the result."""
        _complaint_text(note, "case_note", "立案说明")

        def apply(c: Complaint) -> None:
            c.case_note, c.case_decided_on = note.strip(), self.ctx.clock.today()
        return self._transition(user, complaint_id, Action.FILE_CASE, {"note": note}, apply,
                                expected_version)

    def decline_case(self, user: CurrentUser, complaint_id: int, *, note: str,
                     expected_version: int) -> Changed:
        _complaint_text(note, "status_note", "不予立案理由")

        def apply(c: Complaint) -> None:
            c.status_note, c.case_decided_on = note.strip(), self.ctx.clock.today()
        return self._transition(user, complaint_id, Action.DECLINE_CASE, {"note": note}, apply,
                                expected_version, reason=note)

    def extend_check(self, user: CurrentUser, complaint_id: int, *, note: str,
                     expected_version: int) -> Changed:
        """The head approved 15 more working days for checking a 举报 or a violation found in
        mediation (`note`: who approved, when)."""
        require_role(user, *CASE_DECIDERS, Role.DEPARTMENT_HEAD, Role.DEPUTY_DIRECTOR,
                     doing="延长核查期限")
        note = _complaint_text(note, "check_extension_note", "批准情况")
        if not note:
            raise FieldError("批准情况", "不能为空：写明哪位负责人何时批准")
        with self._uow(user, "延长核查期限", reason=note) as uow:
            c = load_complaint(uow, user, complaint_id, expected_version)
            checking = (c.kind == Intake.REPORT and c.status == Status.REGISTERED) \
                or c.status == Status.CASE_OPENED
            if not checking:
                raise TransitionError("只有核查中的举报或诉转案可以延长核查期限")
            if c.check_extended_on is not None:
                raise TransitionError(f"核查期限已于 {c.check_extended_on} 延长过，只能延长一次")
            c.check_extended_on, c.check_extension_note = self.ctx.clock.today(), note
            deadlines = self._refresh_due(c)
            uow.commit()
            return Changed("complaint", (c.id,), c.number, deadlines.warnings)

    def merge_report(self, user: CurrentUser, complaint_id: int, *, into_number: str,
                     new_facts: bool, note: str = "", expected_version: int) -> Changed:
        """并案: a repeat report of the same matter is not handled twice. It is merged into the
        earlier report; with new facts, those go into the earlier one and its clock starts
        again from today."""
        note = _complaint_text(note, "status_note", "说明")
        target_number = (into_number or "").strip().upper()
        holder: dict[str, Complaint] = {}

        def apply(c: Complaint) -> None:
            target = holder["target"]
            c.merged_into_id = target.id
            c.status_note = note or f"并入举报 {target.number}"
            if new_facts:
                today = self.ctx.clock.today()
                added = f"\n【{today:%Y-%m-%d} 并案 {c.number} 的新事实】{c.facts}"
                target.facts = (target.facts + added)[:5000]
                target.clock_from = today
                target.check_extended_on = target.check_extension_note = None
                self._refresh_due(target)

        def find(uow: UnitOfWork, c: Complaint) -> None:
            target = ComplaintRepository(uow.session).by_number(target_number)
            if target is None or target.kind != Intake.REPORT:
                raise FieldError("并入的举报", f"没有编号为 {target_number or '（空）'} 的举报")
            require_scope(user, target.office_id, f"举报 {target.number} ")
            if target.id == c.id:
                raise FieldError("并入的举报", "不能并入自己")
            if target.status != Status.REGISTERED:
                raise FieldError("并入的举报", f"举报 {target.number} 已{Status(target.status).label}，"
                                              "不能再并案；新的事实请作为新举报核查")
            holder["target"] = target
        return self._transition(user, complaint_id, Action.MERGE, {"target": target_number},
                                apply, expected_version, reason=note, before=find)

    def close(self, user: CurrentUser, complaint_id: int, *, result: Result | str,
              recovered: Decimal | str | None = None, at_fault: bool | None = None,
              note: str = "", expected_version: int) -> Changed:
        """办结. The complainant's satisfaction is not asked here: the 回访 after closing records
        it (services/aftercare.py)."""
        amount = v.check_amount(recovered, "挽回经济损失") if recovered not in (None, "") else None
        note = _complaint_text(note, "status_note", "说明")
        result = Result(result)

        def apply(c: Complaint) -> None:
            c.closed_on = self.ctx.clock.today()
            c.result = result.value
            if amount is not None:
                c.recovered_cents = _cents(amount)
            c.at_fault = at_fault
            if note:
                c.status_note = note
        return self._transition(user, complaint_id, Action.CLOSE, {"result": result}, apply,
                                expected_version, reason=note)

    def reopen(self, user: CurrentUser, complaint_id: int, *, reason: str,
               expected_version: int) -> Changed:
        _reason(reason, "重新办理理由")

        def apply(c: Complaint) -> None:
            # The earlier outcome no longer stands; the audit log keeps what it was.
            for field in _OUTCOME_FIELDS:
                setattr(c, field, None)
        return self._transition(user, complaint_id, Action.REOPEN, {"reason": reason}, apply,
                                expected_version, reason=reason)

    def pause_clock(self, user: CurrentUser, complaint_id: int, *, reason: str,
                    expected_version: int) -> Changed:
        """Stop the mediation clock for testing or appraisal (检验检测鉴定)."""
        require_role(user, *HANDLERS, doing="中止计时")
        if not reason.strip():
            raise FieldError("中止理由", "不能为空，例如“送检验机构检测”")
        v.check_text("clock_pauses", "reason", reason.strip(), "中止理由")
        # The pause starts today: a PC whose clock says 1900 must not record it.
        v.check_not_before(self.ctx.clock.today(), "中止日期")
        with self._uow(user, "中止计时", reason=reason) as uow:
            c = load_complaint(uow, user, complaint_id, expected_version)
            if c.status not in (Status.ACCEPTED, Status.MEDIATING):
                raise TransitionError(f"只有已受理或调解中的投诉可以中止计时（当前为「{Status(c.status).label}」）")
            if any(p.ended_on is None for p in c.pauses):
                raise TransitionError("调解计时已经处于中止状态")
            c.pauses.append(ClockPause(started_on=self.ctx.clock.today(), reason=reason.strip()))
            deadlines = self._refresh_due(c)
            uow.commit()
            return Changed("complaint", (c.id,), c.number, deadlines.warnings)

    def resume_clock(self, user: CurrentUser, complaint_id: int, *, note: str = "",
                     expected_version: int) -> Changed:
        require_role(user, *HANDLERS, doing="恢复计时")
        note = _reason(note, "说明")
        with self._uow(user, "恢复计时", reason=note or None) as uow:
            c = load_complaint(uow, user, complaint_id, expected_version)
            if c.status not in (Status.ACCEPTED, Status.MEDIATING):
                raise TransitionError(f"「{Status(c.status).label}」状态的投诉没有调解计时可恢复")
            running = [p for p in c.pauses if p.ended_on is None]
            if not running:
                raise TransitionError("调解计时没有中止，无需恢复")
            running[0].ended_on = self.ctx.clock.today()
            deadlines = self._refresh_due(c)
            uow.commit()
            return Changed("complaint", (c.id,), c.number, deadlines.warnings)

    def preview_due(self, user: CurrentUser, complaint_id: int, action: Action, *,
                    on: date | None = None, odr: bool = False) -> DueDate | None:
        """The deadline the complaint would have after `action`, for the dialog to show before
        the user confirms. Nothing is written: the changed copy is rolled back."""
        today = self.ctx.clock.today()
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            target = transition_for(action).target
            if action is Action.REOPEN and c.accepted_on is None:
                target = Status.REGISTERED
            if action is Action.ACCEPT:
                c.accepted_on = on or today
                c.odr_started_on = c.accepted_on if odr else None
            elif action is Action.TERMINATE:
                c.terminated_on = today
            elif action is Action.OPEN_CASE:
                c.violation_found_on = today
            due = self.deadlines_of(c).current_due(target)
            uow.session.rollback()
            return due

    def refresh_due_dates(self, user: CurrentUser | None,
                          progress: Callable[[int], None] | None = None) -> int:
        """Recompute every open complaint's due date after the calendar or a rule set changed."""
        changed, last = 0, 0
        calendar, rule_sets = self.ctx.reference.calendar(), self.ctx.reference.rule_sets()
        while True:
            with self._uow(user, "重算期限") as uow:
                batch = ComplaintRepository(uow.session).open_batch(last, 1000)
                if not batch:
                    return changed
                for c in batch:
                    before = c.due_on
                    self._refresh_due(c, calendar, rule_sets)
                    changed += c.due_on != before
                last = batch[-1].id
                uow.commit()
            if progress:
                progress(changed)

    def import_rows(self, rows: Iterable[dict[str, Any]], label: str,
                    progress: Callable[[int], None] | None = None, batch: int = 5000) -> int:
        """Insert complaint rows (final state, already checked) in one transaction, in batches.

        For generated and imported ledgers: one audit line for the whole import, not one per
        row. `progress(done)` is called after each batch.
        """
        done = 0
        with self._uow(None, label) as uow:
            repo = ComplaintRepository(uow.session)
            chunk: list[dict] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= batch:
                    repo.bulk_insert(chunk)
                    done += len(chunk)
                    chunk = []
                    if progress:
                        progress(done)
            if chunk:
                repo.bulk_insert(chunk)
                done += len(chunk)
            uow.log_bulk("complaints", {"rows": done, "label": label})
            uow.commit()
        if progress:
            progress(done)
        return done

    def load_generated(self, columns: Sequence[str], rows: Iterable[Sequence[Any]], label: str,
                       progress: Callable[[int], None] | None = None) -> int:
        """`import_rows` for generated ledgers of benchmark size: rows as value tuples in the
        order of `columns`, loaded in one transaction by the repository's fast path (the
        full-text index filled once at the end), with the same one audit line that vouches
        for every row. `progress(done)` is called after each batch."""
        with self._uow(None, label) as uow:
            cover = uow.insert_cover("complaints")
            first, done = ComplaintRepository(uow.session).bulk_load(columns, rows, progress,
                                                                     cover=cover)
            uow.log_bulk("complaints", {"rows": done, "label": label}, (cover, first, done))
            uow.commit()
        if progress:
            progress(done)
        return done

    # -- internals -----------------------------------------------------------------------
    def _transition(self, user: CurrentUser, complaint_id: int, action: Action,
                    context: dict[str, Any], apply: Callable[[Complaint], None],
                    expected_version: int | None, *, ground_kind: str | None = None,
                    reason: str | None = None,
                    before: Callable[[UnitOfWork, Complaint], None] | None = None,
                    after: Callable[[UnitOfWork, CurrentUser, Complaint], None] | None = None,
                    ) -> Changed:
        """One workflow step in one transaction: check it (kind, status, role, what it needs),
        `before` (checks that read other records), `apply` the step's own fields, `after`
        (records the step makes besides), the new due date."""
        with self._uow(user, action.label, reason=reason or None) as uow:
            c = load_complaint(uow, user, complaint_id, expected_version)
            if ground_kind and context.get("ground"):
                grounds = self.grounds(c, ground_kind)
                if context["ground"] not in dict(grounds):
                    raise FieldError("依据", f"「{context['ground']}」不是本投诉适用的时限规则"
                                           f"（{self.rules_of(c).name}）所列的法定依据")
            c.status = fire(Status(c.status), action, context, roles=user.roles,
                            was_accepted=c.accepted_on is not None,
                            intake=Intake(c.kind)).value
            if before is not None:
                before(uow, c)
            apply(c)
            if c.status not in (Status.ACCEPTED, Status.MEDIATING, Status.DELEGATED):
                # Mediation is over: a running pause ends today, it cannot outlive the clock.
                for pause in c.pauses:
                    if pause.ended_on is None:
                        pause.ended_on = self.ctx.clock.today()
            if after is not None:
                after(uow, user, c)
            deadlines = self._refresh_due(c)
            uow.commit()
            return Changed("complaint", (c.id,), c.number, deadlines.warnings)

    def rules_of(self, c: Complaint, rule_sets: list[RuleSet] | None = None) -> RuleSet:
        """The rule set a complaint follows: the one it records, or the one in force when it
        was received (a set since removed)."""
        rule_sets = rule_sets if rule_sets is not None else self.ctx.reference.rule_sets()
        rules = next((r for r in rule_sets if r.code == c.rule_set_code), None)
        return rules if rules is not None else rule_set_for(rule_sets, c.received_at.date())

    def grounds(self, c: Complaint, ground_kind: str) -> tuple[tuple[str, str], ...]:
        """The grounds for not accepting (rejection_ground) or for terminating mediation
        (termination_ground) under the complaint's own rule set, in its wording. A set an
        administrator added without grounds borrows those of the latest set in force."""
        kind = _GROUND_LISTS[ground_kind]
        rules = self.rules_of(c)
        own = rules.rejection_grounds if kind == "rejection" else rules.termination_grounds
        if own:
            return own
        latest = rule_set_for(self.ctx.reference.rule_sets(), self.ctx.clock.today())
        return latest.rejection_grounds if kind == "rejection" else latest.termination_grounds

    def grounds_for(self, user: CurrentUser, complaint_id: int,
                    ground_kind: str) -> tuple[tuple[str, str], ...]:
        """What the 不予受理 / 终止调解 dialog offers for this complaint."""
        with self._uow(user, "", write=False) as uow:
            return self.grounds(load_complaint(uow, user, complaint_id), ground_kind)

    def ground_text(self, c: Complaint, ground_kind: str, code: str | None) -> str:
        return dict(self.grounds(c, ground_kind)).get(code or "", code or "")

    def deadlines_of(self, c: Complaint, calendar: WorkingCalendar | None = None,
                     rule_sets: list[RuleSet] | None = None) -> Deadlines:
        """`calendar` and `rule_sets` may be passed in by a caller that handles many complaints."""
        rules = self.rules_of(c, rule_sets)
        terminated = c.status == Status.TERMINATED and c.terminated_on is not None
        return compute_deadlines(
            calendar or self.ctx.reference.calendar(),
            rules,
            received_on=c.received_at.date(),
            today=self.ctx.clock.today(),
            accepted_on=c.accepted_on,
            pauses=[Pause(p.started_on, p.ended_on, p.reason) for p in c.pauses],
            terminated_on=c.terminated_on,
            violation_found_on=c.violation_found_on,
            odr_started_on=c.odr_started_on,
            intake=Intake(c.kind or Intake.COMPLAINT),
            clock_from=c.clock_from,
            check_extended=c.check_extended_on is not None,
            id_proof_due_on=c.id_proof_due_on,
            id_proof_received_on=c.id_proof_received_on,
            # Read only when it matters: the termination decision delivered ends its clock.
            termination_notified=terminated and any(
                d.notice == Notice.TERMINATION for d in c.deliveries),
        )

    def refresh_due(self, c: Complaint) -> None:
        """Work out a complaint's current deadline (one that arrived from the district)."""
        self._refresh_due(c)

    def _refresh_due(self, c: Complaint, calendar: WorkingCalendar | None = None,
                     rule_sets: list[RuleSet] | None = None) -> Deadlines:
        deadlines = self.deadlines_of(c, calendar, rule_sets)
        due = deadlines.current_due(Status(c.status))
        c.due_on = due.day if due else None
        return deadlines

    @staticmethod
    def _check_codes(uow: UnitOfWork, draft: ComplaintDraft) -> None:
        """Each typed field of a code table holds one of its active codes (a blank one that
        need not be filled in is left alone)."""
        codes = CodeRepository(uow.session)
        for f in FORM_FIELDS:
            value = getattr(draft, f.key)
            if f.codes is None or not (f.required or value):
                continue
            item = codes.get(f.codes, value)
            if item is None or not item.active:
                raise FieldError(f.label, f"「{value}」不在代码表中")

    @staticmethod
    def _add_enterprise(uow: UnitOfWork, d: ComplaintDraft) -> tuple[int, bool]:
        """The 企业库's entry for a respondent typed in: the one of that name, or a new one
        (name, credit code, address as registered), shared with the office's other PCs; and
        whether it is new."""
        from desktop.db.models import Enterprise
        from desktop.db.sync.office_reference import publish

        repo = EnterpriseRepository(uow.session)
        known = repo.by_name(d.respondent_name.strip())
        if known is not None:
            return known.id, False
        e = Enterprise(name=d.respondent_name.strip(), credit_code=d.respondent_credit_code or None,
                       address=(d.respondent_address or "").strip(), industry="", phone="",
                       alliance_member=False, demo_street=False)
        uow.session.add(e)
        uow.session.flush()
        publish(uow.session, "enterprises")
        return e.id, True

    @staticmethod
    def _draft_columns(uow: UnitOfWork, d: ComplaintDraft) -> dict[str, object]:
        columns = asdict(d)
        amount = columns.pop("amount")
        columns["amount_cents"] = _cents(amount) if amount is not None else None
        if d.enterprise_id is None and d.respondent_credit_code:
            known = EnterpriseRepository(uow.session).by_credit_code(d.respondent_credit_code)
            columns["enterprise_id"] = known.id if known else None
        elif d.enterprise_id is not None and EnterpriseRepository(uow.session).get(d.enterprise_id) is None:
            raise FieldError("被投诉方", "所选企业不在企业库中")
        return columns

    @staticmethod
    def _row(c: Complaint) -> ComplaintRow:
        """A ledger line: the ledger's catalogued fields, personal information masked whoever
        asks (a list is seen over shoulders)."""
        values: dict[str, object] = {
            ROW_NAMES.get(f.name, f.key): masked(f.name, getattr(c, f.name)) for f in LEDGER}
        values["status"] = Status(c.status)
        return ComplaintRow(id=c.id, version=c.version, **values)  # type: ignore[arg-type]

    def _detail(self, uow: UnitOfWork, user: CurrentUser, c: Complaint) -> ComplaintDetail:
        full = sees_person(user, c)
        values = field_values(c, full=full)
        return ComplaintDetail(
            id=c.id, uuid=c.uuid, version=c.version,
            **{k: values[k] for k in _DETAIL_FIELDS},  # type: ignore[arg-type]
            status=Status(c.status),
            deadlines=self.deadlines_of(c),
            allowed_actions=tuple(allowed_actions(Status(c.status), user.roles, Intake(c.kind))),
            personal_info_masked=not full,
            paused=any(p.ended_on is None for p in c.pauses),
            links=tuple(
                Link(relation, o.id, o.number, Status(o.status))
                for relation, o in ComplaintRepository(uow.session).linked(c)
                if user.scope is None or o.office_id in user.scope),
        )


# The catalogued fields the detail carries as they are (status becomes a Status above);
# tests/unit/test_complaint_fields.py holds that the detail has every one.
_DETAIL_FIELDS = tuple(f.key for f in FIELDS if f.key != "status")
