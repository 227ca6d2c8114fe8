"""Complaints: register, edit, every workflow transition, the clock pause, reading and listing.

Over 500 lines on purpose: every transition is a few lines around the one `_transition`, and
reading them side by side is how one checks them against the state machine (domain/workflow.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from desktop.db.models import ClockPause, Complaint
from desktop.db.repositories import (
    CodeRepository,
    ComplaintRepository,
    Cursor,
    EnterpriseRepository,
)
from desktop.db.uow import UnitOfWork
from desktop.domain import validators as v
from desktop.domain.calendar import DueDate, WorkingCalendar
from desktop.domain.complaint import ComplaintDraft, ComplaintFilter, SortKey, masked
from desktop.domain.complaint_fields import (
    FIELDS,
    FORM_FIELDS,
    LEDGER,
    PERSONAL,
    SEES_PERSONAL_INFO,
)
from desktop.domain.contract import LATEST_DATE, NOTE_LEN
from desktop.domain.deadlines import Deadlines, Pause, RuleSet, compute_deadlines, rule_set_for
from desktop.domain.errors import ConflictError, DomainError, FieldError, NotFound, TransitionError
from desktop.domain.numbering import DISPATCH_SEQUENCE_BASE
from desktop.domain.workflow import (
    HANDLERS,
    Action,
    Result,
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
    Page,
)

MAX_PAGE = 500
_OUTCOME_FIELDS = (
    "closed_on", "result", "recovered_cents", "at_fault", "satisfaction", "status_note",
    "rejection_ground", "settled_on", "settlement_terms", "terminated_on", "termination_ground",
    "transferred_to", "case_note", "violation_found_on",
)


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


def personal_fields(user: CurrentUser, c: Complaint) -> dict[str, str | None]:
    """The complainant's personal information as `user` may see it: in full for the roles that
    handle complaints, masked for the others."""
    full = user.has(*SEES_PERSONAL_INFO)
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


class ComplaintService(Service):
    # -- reading ---------------------------------------------------------------------
    def get(self, user: CurrentUser, complaint_id: int) -> ComplaintDetail:
        with self._uow(user, "", write=False) as uow:
            return self._detail(user, load_complaint(uow, user, complaint_id))

    def find_by_number(self, user: CurrentUser, number: str) -> ComplaintDetail:
        with self._uow(user, "", write=False) as uow:
            c = ComplaintRepository(uow.session).by_number(number.strip().upper())
            if c is None:
                raise NotFound(f"没有找到投诉单号 {number}")
            require_scope(user, c.office_id, "该投诉")
            return self._detail(user, c)

    def page(
        self,
        user: CurrentUser,
        query: ComplaintFilter,
        after: Cursor | None = None,
        limit: int = 100,
    ) -> Page:
        """One page of a list in keyset order; pass the returned cursor for the next."""
        limit = max(1, min(limit, MAX_PAGE))
        scope = set(user.scope) if user.scope is not None else None
        with self._uow(user, "", write=False) as uow:
            rows = ComplaintRepository(uow.session).page(query, scope, after, limit + 1)
            more = len(rows) > limit
            rows = rows[:limit]
            cursor = None
            if more and rows:
                last = rows[-1]
                value = {
                    SortKey.RECEIVED: last.received_at,
                    SortKey.NUMBER: last.number,
                    SortKey.DUE: last.due_on,
                }[query.sort]
                cursor = Cursor(value, last.id)
            return Page(tuple(self._row(c) for c in rows), cursor)

    def rows(self, user: CurrentUser, ids: Sequence[int]) -> list[ComplaintRow]:
        """The list rows of these complaints (those in the user's scope), to refresh a view."""
        scope = set(user.scope) if user.scope is not None else None
        with self._uow(user, "", write=False) as uow:
            return [self._row(c) for c in ComplaintRepository(uow.session).by_ids(ids, scope)]

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
    def register(self, user: CurrentUser, draft: ComplaintDraft) -> Changed:
        require_role(user, *HANDLERS, doing="投诉登记")
        now = self.ctx.clock.now()
        clean = draft.validated(now)
        with self._uow(user, "投诉登记") as uow:
            self._check_codes(uow, clean)
            repo = ComplaintRepository(uow.session)
            day = clean.received_at.date()
            number = repo.next_free_number(user.office_id, user.office_code, day)
            if number is None:
                raise DomainError(f"本单位 {day:%Y-%m-%d} 的投诉编号已用尽"
                                  f"（{DISPATCH_SEQUENCE_BASE + 1} 起的编号留给区局分流件）")
            rules = rule_set_for(self.ctx.reference.rule_sets(), day)
            c = Complaint(
                number=number,
                registered_by_id=user.id,
                office_id=user.office_id,
                handler_id=user.id,
                status=Status.REGISTERED.value,
                rule_set_code=rules.code,
                **self._draft_columns(uow, clean),
            )
            uow.session.add(c)
            deadlines = self._refresh_due(c)
            uow.commit()
            return Changed("complaint", (c.id,), number, deadlines.warnings, created=True)

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
            if c.status == Status.CLOSED:
                raise TransitionError("已办结的投诉不能修改，如需更正请先“重新办理”")
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
        return self._transition(user, complaint_id, Action.OPEN_CASE, {"note": note}, apply,
                                expected_version)

    def close(self, user: CurrentUser, complaint_id: int, *, result: Result | str,
              recovered: Decimal | str | None = None, at_fault: bool | None = None,
              satisfaction: str | None = None, note: str = "", expected_version: int) -> Changed:
        amount = v.check_amount(recovered, "挽回经济损失") if recovered not in (None, "") else None
        if satisfaction is not None:
            _complaint_text(satisfaction, "satisfaction", "投诉人满意度")
        note = _complaint_text(note, "status_note", "说明")
        result = Result(result)

        def apply(c: Complaint) -> None:
            c.closed_on = self.ctx.clock.today()
            c.result = result.value
            if amount is not None:
                c.recovered_cents = _cents(amount)
            c.at_fault = at_fault
            c.satisfaction = satisfaction
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

    # -- internals -----------------------------------------------------------------------
    def _transition(self, user: CurrentUser, complaint_id: int, action: Action,
                    context: dict[str, Any], apply: Callable[[Complaint], None],
                    expected_version: int | None, *, ground_kind: str | None = None,
                    reason: str | None = None) -> Changed:
        with self._uow(user, action.label, reason=reason or None) as uow:
            c = load_complaint(uow, user, complaint_id, expected_version)
            if ground_kind and context.get("ground"):
                item = CodeRepository(uow.session).get(ground_kind, context["ground"])
                if item is None or not item.active:
                    raise FieldError("依据", f"「{context['ground']}」不是有效的法定依据")
            c.status = fire(Status(c.status), action, context, roles=user.roles,
                            was_accepted=c.accepted_on is not None).value
            apply(c)
            if c.status not in (Status.ACCEPTED, Status.MEDIATING):
                # Mediation is over: a running pause ends today, it cannot outlive the clock.
                for pause in c.pauses:
                    if pause.ended_on is None:
                        pause.ended_on = self.ctx.clock.today()
            deadlines = self._refresh_due(c)
            uow.commit()
            return Changed("complaint", (c.id,), c.number, deadlines.warnings)

    def deadlines_of(self, c: Complaint, calendar: WorkingCalendar | None = None,
                     rule_sets: list[RuleSet] | None = None) -> Deadlines:
        """`calendar` and `rule_sets` may be passed in by a caller that handles many complaints."""
        rule_sets = rule_sets if rule_sets is not None else self.ctx.reference.rule_sets()
        rules = next((r for r in rule_sets if r.code == c.rule_set_code), None)
        if rules is None:
            rules = rule_set_for(rule_sets, c.received_at.date())
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

    def _detail(self, user: CurrentUser, c: Complaint) -> ComplaintDetail:
        full = user.has(*SEES_PERSONAL_INFO)
        values = field_values(c, full=full)
        return ComplaintDetail(
            id=c.id, uuid=c.uuid, version=c.version,
            **{k: values[k] for k in _DETAIL_FIELDS},  # type: ignore[arg-type]
            status=Status(c.status),
            deadlines=self.deadlines_of(c),
            allowed_actions=tuple(allowed_actions(Status(c.status), user.roles)),
            personal_info_masked=not full,
            paused=any(p.ended_on is None for p in c.pauses),
        )


# The catalogued fields the detail carries as they are (status becomes a Status above);
# tests/unit/test_complaint_fields.py holds that the detail has every one.
_DETAIL_FIELDS = tuple(f.key for f in FIELDS if f.key != "status")
