"""After a decision: how each notice reached its party (送达), and the 回访 after closing.

Both are append-only records of a complaint. A reached 回访's satisfaction becomes the
complaint's (the latest one called counts); a delivery recomputes the complaint's due date (the
termination notice's limit is met by its delivery). Which closed items need a 回访, and within
how many working days, is the office's setting, kept in app_settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from desktop.db.aftercare import AftercareRepository, WaitingQuery
from desktop.db.models import Complaint, FollowUp, NoticeDelivery
from desktop.db.repositories import CodeRepository
from desktop.domain import validators as v
from desktop.domain.aftercare import (
    MAX_FOLLOW_UP_DAYS,
    CallMeans,
    Delivery,
    FollowUpRule,
    FollowUpScope,
    Notice,
    Satisfaction,
    first_not_overdue,
    follow_up_due,
    working_days_late,
)
from desktop.domain.complaint import masked
from desktop.domain.contract import LATEST_DATE
from desktop.domain.errors import FieldError, TransitionError
from desktop.domain.workflow import HANDLERS, Intake, Role, Status
from desktop.services.base import Service, ServiceContext, require_role
from desktop.services.complaints import load_complaint
from desktop.services.dto import (
    Changed,
    CurrentUser,
    DeliveryInfo,
    FollowUpInfo,
    NoticeStatus,
    WaitingFollowUp,
    WaitingFollowUps,
)

if TYPE_CHECKING:
    from desktop.services.complaints import ComplaintService

SCOPE_KEY = "follow_up.scope"
DAYS_KEY = "follow_up.days"
SINCE_KEY = "follow_up.since"
_PREFIX = "follow_up."
WAITING_LIMIT = 200  # rows the workbench shows; the count covers them all


def _choice(kind: type[Notice] | type[Delivery] | type[CallMeans] | type[Satisfaction],
            value: str | None, field: str) -> str:
    try:
        return kind(value or "").value
    except ValueError:
        raise FieldError(field, "请选择" if not value else f"「{value}」不是可选的值") from None


def _text(entity: str, name: str, value: str | None, field: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required:
        v.check_required(text, field)
    return v.check_text(entity, name, text, field) or ""


def _applies(c: Complaint, notice: Notice) -> bool:
    """Whether this complaint has reached the decision the notice carries."""
    return {
        Notice.ACCEPTANCE: c.accepted_on is not None,
        Notice.REJECTION: bool(c.rejection_ground),
        Notice.ID_PROOF: c.id_proof_requested_on is not None,
        Notice.MEDIATION: c.mediation_at is not None,
        Notice.TERMINATION: c.terminated_on is not None,
        Notice.REPORT_RESULT: (c.kind == Intake.REPORT and c.case_decided_on is not None
                               and bool(c.reporter_real_name)),
    }[notice]


def _issued_on(c: Complaint, notice: Notice) -> date | None:
    """The day of the decision a notice carries, where the complaint records it."""
    return {
        Notice.ACCEPTANCE: c.accepted_on,
        Notice.ID_PROOF: c.id_proof_requested_on,
        Notice.TERMINATION: c.terminated_on,
        Notice.REPORT_RESULT: c.case_decided_on,
    }.get(notice)


def _issued_text(notice: Notice) -> str:
    return {Notice.ACCEPTANCE: "受理日期", Notice.ID_PROOF: "要求提供身份证明日期",
            Notice.TERMINATION: "终止调解日期", Notice.REPORT_RESULT: "立案决定日期"}.get(
        notice, "接收日期")


class AftercareService(Service):
    def __init__(self, ctx: ServiceContext, *, complaints: ComplaintService) -> None:
        super().__init__(ctx)
        self.complaints = complaints

    # -- 回访 ------------------------------------------------------------------------------------
    def record_follow_up(
        self, user: CurrentUser, complaint_id: int, *, called_at: datetime, callee: str,
        means: str, reached: bool, satisfaction: str | None = None, note: str = "",
    ) -> Changed:
        """Record a 回访 of a closed item; a reached one's satisfaction becomes the complaint's
        when it is the latest reached one called."""
        require_role(user, *HANDLERS, doing="记录回访")
        v.check_date(called_at, "回访时间", self.ctx.clock.now())
        callee = _text("follow_ups", "callee", callee, "回访对象", required=True)
        means = _choice(CallMeans, means, "回访方式")
        note = _text("follow_ups", "note", note, "情况说明")
        if reached:
            if not satisfaction:
                raise FieldError("满意度", "联系上时须选择满意度")
            satisfaction = _choice(Satisfaction, satisfaction, "满意度")
        elif satisfaction:
            raise FieldError("满意度", "未联系上，不能填写满意度")
        with self._uow(user, "回访") as uow:
            c = load_complaint(uow, user, complaint_id)
            if c.status != Status.CLOSED or c.closed_on is None:
                raise TransitionError(
                    f"「{Status(c.status).label}」的{Intake(c.kind).label}不能回访：办结后才回访")
            if called_at.date() < c.closed_on:
                raise FieldError("回访时间", f"不能早于办结日期 {c.closed_on.isoformat()}")
            record = FollowUp(complaint_id=c.id, called_at=called_at, caller_id=user.id,
                              callee=callee, means=means, reached=bool(reached),
                              satisfaction=satisfaction if reached else None, note=note)
            uow.session.add(record)
            uow.session.flush()
            if reached:
                latest = AftercareRepository(uow.session).latest_reached(c.id)
                if latest is not None:
                    c.satisfaction = latest.satisfaction
            uow.commit()
            return Changed("follow_up", (record.id,), c.number, created=True, complaint_id=c.id)

    def follow_ups(self, user: CurrentUser, complaint_id: int) -> list[FollowUpInfo]:
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            return [FollowUpInfo(f.id, f.uuid, f.called_at, f.caller_id,
                                 self.user_name(uow, f.caller_id), f.callee, f.means,
                                 bool(f.reached), f.satisfaction, f.note)
                    for f in AftercareRepository(uow.session).follow_ups(c.id)]

    # -- which closed items need a 回访 ---------------------------------------------------------
    def follow_up_rule(self, user: CurrentUser) -> FollowUpRule:
        """The office's setting (anyone may read it: the workbench follows it)."""
        with self._uow(user, "", write=False) as uow:
            return self._rule(CodeRepository(uow.session))

    @staticmethod
    def _rule(codes: CodeRepository) -> FollowUpRule:
        stored = codes.settings_under(_PREFIX)
        default = FollowUpRule()
        try:
            scope = FollowUpScope(stored.get(SCOPE_KEY.removeprefix(_PREFIX), default.scope))
        except ValueError:
            scope = default.scope  # a value a later program wrote: the default until corrected
        try:
            days = int(stored.get(DAYS_KEY.removeprefix(_PREFIX), default.days))
            since = date.fromisoformat(stored.get(SINCE_KEY.removeprefix(_PREFIX),
                                                  default.since.isoformat()))
        except ValueError:
            days, since = default.days, default.since
        return FollowUpRule(scope, min(max(days, 1), MAX_FOLLOW_UP_DAYS), since)

    def set_follow_up_rule(self, user: CurrentUser, rule: FollowUpRule) -> Changed:
        """An administrator's choice of which closed items need a 回访 and within how long."""
        require_role(user, Role.ADMIN, doing="修改回访设置")
        scope = FollowUpScope(rule.scope)
        if not 1 <= rule.days <= MAX_FOLLOW_UP_DAYS:
            raise FieldError("回访期限", f"应为 1 至 {MAX_FOLLOW_UP_DAYS} 个工作日")
        v.check_not_before(rule.since, "起算日期")
        if rule.since > LATEST_DATE:
            raise FieldError("起算日期", f"不能晚于 {LATEST_DATE.isoformat()}")
        with self._uow(user, "回访设置") as uow:
            codes = CodeRepository(uow.session)
            codes.set_setting(SCOPE_KEY, scope.value)
            codes.set_setting(DAYS_KEY, str(rule.days))
            codes.set_setting(SINCE_KEY, rule.since.isoformat())
            uow.commit()
        return Changed("follow_up_rule", ())

    def follow_up_due(self, user: CurrentUser, complaint_id: int) -> date | None:
        """The last day for this item's 回访 when the setting asks for one (None: it needs none:
        not closed, closed before the setting's day, or not of the kinds it names)."""
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            rule = self._rule(CodeRepository(uow.session))
            if not rule.covers(c.kind, c.status, c.closed_on, c.accepted_on is not None,
                               bool(c.reporter_real_name)):
                return None
            assert c.closed_on is not None
            return follow_up_due(self.ctx.reference.calendar(), c.closed_on, rule.days)

    def waiting_follow_ups(self, user: CurrentUser, limit: int = WAITING_LIMIT) -> WaitingFollowUps:
        """Closed items in the user's scope that need a 回访 and have no reached one since
        closing, overdue first, with the last day for each; `total` and `overdue` count all."""
        calendar, today = self.ctx.reference.calendar(), self.ctx.clock.today()
        with self._uow(user, "", write=False) as uow:
            rule = self._rule(CodeRepository(uow.session))
            query = WaitingQuery(rule.kinds, rule.since, rule.scope is FollowUpScope.ACCEPTED,
                                 user.scope)
            repo = AftercareRepository(uow.session)
            cutoff = first_not_overdue(calendar, today, rule.days)
            total, overdue = repo.waiting_counts(query, cutoff)
            found = repo.waiting(query, max(1, limit))
            attempts = repo.unreached_counts([r.id for r in found])
        return WaitingFollowUps(tuple(
            WaitingFollowUp(r.id, r.number, r.kind, r.respondent_name,
                            masked("complainant_name", r.complainant_name) or "", r.office_id,
                            r.handler_id, r.result, r.closed_on,
                            follow_up_due(calendar, r.closed_on, rule.days), r.closed_on < cutoff,
                            attempts.get(r.id, 0))
            for r in found), total, overdue)

    # -- 送达 ------------------------------------------------------------------------------------
    def record_delivery(
        self, user: CurrentUser, complaint_id: int, *, notice: str, means: str,
        delivered_at: datetime, recipient: str, note: str = "",
    ) -> Changed:
        """Record how and when a notice reached a party; the due date is worked out again."""
        require_role(user, *HANDLERS, doing="记录送达")
        kind = Notice(_choice(Notice, notice, "文书"))
        means = _choice(Delivery, means, "送达方式")
        v.check_date(delivered_at, "送达时间", self.ctx.clock.now())
        recipient = _text("notice_deliveries", "recipient", recipient, "受送达人", required=True)
        note = _text("notice_deliveries", "note", note, "说明")
        with self._uow(user, "送达") as uow:
            c = load_complaint(uow, user, complaint_id)
            if not _applies(c, kind):
                raise FieldError("文书", f"本{Intake(c.kind).label}没有「{kind.label}」可送达")
            earliest = _issued_on(c, kind) or c.received_at.date()
            if delivered_at.date() < earliest:
                raise FieldError("送达时间", f"不能早于{_issued_text(kind)} {earliest.isoformat()}")
            record = NoticeDelivery(complaint_id=c.id, notice=kind.value, means=means,
                                    delivered_at=delivered_at, recipient=recipient, note=note,
                                    recorded_by_id=user.id)
            uow.session.add(record)
            uow.session.flush()
            self.complaints.refresh_due(c)
            uow.commit()
            return Changed("notice_delivery", (record.id,), c.number, created=True,
                           complaint_id=c.id)

    def deliveries(self, user: CurrentUser, complaint_id: int) -> list[DeliveryInfo]:
        """Every 送达 of the complaint, in the order they happened, each with its lateness."""
        found = [d for s in self.notice_status(user, complaint_id) for d in s.deliveries]
        return sorted(found, key=lambda d: (d.delivered_at, d.id))

    def notice_status(self, user: CurrentUser, complaint_id: int) -> list[NoticeStatus]:
        """Each notice the complaint has reached (or has a delivery of), in Notice's order: its
        time limit where the rules set one (受理 and 不予受理: the acceptance limit; 终止调解:
        the termination notice's), its deliveries, and how many working days late it came."""
        today = self.ctx.clock.today()
        calendar = self.ctx.reference.calendar()
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            deadlines = self.complaints.deadlines_of(c)
            recorded = AftercareRepository(uow.session).deliveries(c.id)
            limits = {
                Notice.ACCEPTANCE: deadlines.acceptance_due.day,
                Notice.REJECTION: deadlines.acceptance_due.day,
                Notice.TERMINATION: (deadlines.termination_notice_due.day
                                     if deadlines.termination_notice_due else None),
            }
            out = []
            for notice in Notice:
                mine = [d for d in recorded if d.notice == notice]
                applies = _applies(c, notice)
                if not applies and not mine:
                    continue
                limit = limits.get(notice) if applies else None
                shown = tuple(
                    DeliveryInfo(d.id, d.uuid, d.notice, d.means, d.delivered_at, d.recipient,
                                 d.note, d.recorded_by_id,
                                 working_days_late(calendar, limit, d.delivered_at.date())
                                 if limit else 0)
                    for d in mine)
                late = (shown[0].late_days if shown
                        else working_days_late(calendar, limit, today) if limit else 0)
                out.append(NoticeStatus(notice.value, _issued_on(c, notice) if applies else None,
                                        limit, shown, late, applies))
            return out
