"""Legal time limits of a complaint, from the dated rule set in force on the day it was received."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from desktop.domain.calendar import DueDate, WorkingCalendar, guessed_year_warning
from desktop.domain.errors import DomainError
from desktop.domain.workflow import Intake, Status


class DayUnit(StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


class PeriodEnd(StrEnum):
    """How a period counted in calendar days ends when its last day is a rest day or holiday.

    A period of working days always ends on a working day; this only matters for calendar days.
    """

    NEXT_WORKING_DAY = "next_working_day"  # 顺延至节假日后的第一个工作日
    AS_COUNTED = "as_counted"  # 不顺延：最后一日即使是休息日也到期

    @property
    def label(self) -> str:
        return {"next_working_day": "顺延至下一个工作日",
                "as_counted": "不顺延（最后一日为休息日也到期）"}[self.value]


class Confidence(StrEnum):
    """How sure we are of a limit (../shared/docs/rules-2026.md's marks)."""

    FIRM = "firm"  # several independent sources agree
    LIKELY = "likely"  # one detailed source
    OPEN = "open"  # not found: a guess an administrator should correct

    @property
    def label(self) -> str:
        return {"firm": "已确认", "likely": "较可靠", "open": "待确认"}[self.value]


# What a rule set's confidence speaks of, with the Chinese names the rule-set screen shows.
LIMIT_LABELS = {
    "accept_days": "受理期限",
    "mediation_days": "调解期限",
    "period_end": "期限末日遇节假日",
    "termination_notice_days": "终止调解告知期限",
    "violation_check_days": "违法线索核查期限",
    "report_check_days": "举报核查期限",
    "odr_days": "在线纠纷解决（ODR）期限",
    "grounds": "不予受理、终止调解依据的文字",
}

Grounds = tuple[tuple[str, str], ...]  # (code, wording) in the order the form lists them


@dataclass(frozen=True)
class RuleSet:
    code: str
    name: str
    effective_from: date
    accept_days: int
    mediation_days: int
    mediation_unit: DayUnit
    termination_notice_days: int | None
    violation_check_days: int | None
    violation_check_extension: int | None
    odr_days: int | None
    tentative: bool = False
    note: str = ""
    period_end: PeriodEnd = PeriodEnd.NEXT_WORKING_DAY
    report_check_days: int | None = None
    report_check_extension: int | None = None
    rejection_grounds: Grounds = ()
    termination_grounds: Grounds = ()
    confidence: tuple[tuple[str, Confidence], ...] = ()  # (limit, how sure), LIMIT_LABELS' keys
    forms: str = "2020"

    def how_sure(self, limit: str) -> Confidence | None:
        return dict(self.confidence).get(limit)

    def ground_text(self, kind: str, code: str | None) -> str:
        """A ground's wording under this set (kind: rejection / termination), or the code."""
        if not code:
            return ""
        grounds = self.rejection_grounds if kind == "rejection" else self.termination_grounds
        return dict(grounds).get(code, code)


def rule_set_for(rule_sets: Iterable[RuleSet], received_on: date) -> RuleSet:
    """The set in force on the day of receipt: the latest one that had taken effect by then."""
    ordered = sorted(rule_sets, key=lambda r: r.effective_from)
    if not ordered:
        raise DomainError("没有配置任何投诉处理时限规则，请管理员添加时限规则")
    chosen = ordered[0]
    for rules in ordered:
        if rules.effective_from <= received_on:
            chosen = rules
    return chosen


@dataclass(frozen=True)
class Pause:
    """The mediation clock stopped for testing or appraisal (检验检测鉴定)."""

    started_on: date
    ended_on: date | None
    reason: str


@dataclass(frozen=True)
class Deadlines:
    rule_set: RuleSet
    acceptance_due: DueDate
    mediation_due: DueDate | None
    mediation_paused: bool
    paused_days: int
    termination_notice_due: DueDate | None
    violation_check_due: DueDate | None
    violation_check_extended_due: DueDate | None
    odr_due: DueDate | None
    intake: Intake = Intake.COMPLAINT
    # A 举报: whether to open a case, from receipt (or the last new fact merged into it).
    report_check_due: DueDate | None = None
    report_check_extended_due: DueDate | None = None
    check_extended: bool = False  # the head approved the +15 working days
    id_proof_due: DueDate | None = None  # 限期提供身份证明材料: the date set
    termination_notified: bool = False  # the termination decision reached both parties

    @property
    def warnings(self) -> tuple[str, ...]:
        notes: list[str] = []
        years = set().union(
            *(
                d.guessed_years
                for d in (
                    self.acceptance_due,
                    self.mediation_due,
                    self.termination_notice_due,
                    self.violation_check_due,
                    self.odr_due,
                    self.report_check_due,
                )
                if d is not None
            )
        )
        if years:
            notes.append(guessed_year_warning(years))
        if self.rule_set.tentative:
            notes.append(f"时限规则「{self.rule_set.name}」的数值待确认。")
        return tuple(notes)

    def current_due(self, status: Status) -> DueDate | None:
        """The deadline that matters now for a complaint in this status (None: no clock runs)."""
        if self.intake is Intake.CONSULTATION:
            return None
        if self.intake is Intake.REPORT:
            if status is Status.REGISTERED:
                return self.report_check_extended_due if self.check_extended \
                    else self.report_check_due
            return None
        if status is Status.ID_PENDING:
            return self.id_proof_due
        if status is Status.REGISTERED:
            return self.acceptance_due
        if status is Status.ACCEPTED and self.odr_due is not None:
            # Accepted for the enterprise to settle first (ODR): its 10 working days run.
            return self.odr_due
        if status in (Status.ACCEPTED, Status.MEDIATING, Status.DELEGATED):
            return None if self.mediation_paused else self.mediation_due
        if status is Status.CASE_OPENED:
            return self.violation_check_extended_due if self.check_extended \
                else self.violation_check_due
        if status is Status.TERMINATED:
            return None if self.termination_notified else self.termination_notice_due
        return None


def compute_deadlines(
    calendar: WorkingCalendar,
    rules: RuleSet,
    *,
    received_on: date,
    today: date,
    accepted_on: date | None = None,
    pauses: Sequence[Pause] = (),
    terminated_on: date | None = None,
    violation_found_on: date | None = None,
    odr_started_on: date | None = None,
    intake: Intake = Intake.COMPLAINT,
    clock_from: date | None = None,
    check_extended: bool = False,
    id_proof_due_on: date | None = None,
    id_proof_received_on: date | None = None,
    termination_notified: bool = False,
) -> Deadlines:
    """`clock_from`: a 举报's check runs from this day (the last new fact merged into it)
    instead of receipt. `id_proof_received_on`: the proof of identity the office asked for
    arrived; the acceptance decision's 7 working days run again from that day (the complaint
    is complete only then, as with material supplied later)."""
    acceptance_due = calendar.add_working_days(id_proof_received_on or received_on,
                                               rules.accept_days)
    mediation_due: DueDate | None = None
    paused = any(p.ended_on is None for p in pauses)
    paused_days = 0
    if accepted_on is not None:
        if rules.mediation_unit is DayUnit.WORKING:
            paused_days = sum(
                calendar.working_days_between(p.started_on, p.ended_on or today) for p in pauses
            )
            mediation_due = calendar.add_working_days(
                accepted_on, rules.mediation_days + paused_days
            )
        else:
            # The day of acceptance is not counted: the N-th day after it is the last one,
            # later by every day the clock stood still for testing or appraisal.
            paused_days = sum(((p.ended_on or today) - p.started_on).days for p in pauses)
            last_day = accepted_on + timedelta(days=rules.mediation_days + paused_days)
            if rules.period_end is PeriodEnd.NEXT_WORKING_DAY:
                mediation_due = calendar.working_day_on_or_after(last_day)
            else:
                mediation_due = DueDate(last_day)
    return Deadlines(
        rule_set=rules,
        acceptance_due=acceptance_due,
        mediation_due=mediation_due,
        mediation_paused=paused,
        paused_days=paused_days,
        termination_notice_due=_after(calendar, terminated_on, rules.termination_notice_days),
        violation_check_due=_after(calendar, violation_found_on, rules.violation_check_days),
        violation_check_extended_due=_after(
            calendar,
            violation_found_on,
            None
            if rules.violation_check_days is None
            else rules.violation_check_days + (rules.violation_check_extension or 0),
        ),
        odr_due=_after(calendar, odr_started_on, rules.odr_days),
        intake=intake,
        report_check_due=_after(calendar, clock_from or received_on, rules.report_check_days),
        report_check_extended_due=_after(
            calendar, clock_from or received_on,
            None if rules.report_check_days is None
            else rules.report_check_days + (rules.report_check_extension or 0)),
        check_extended=check_extended,
        id_proof_due=DueDate(id_proof_due_on) if id_proof_due_on else None,
        termination_notified=termination_notified,
    )


def _after(calendar: WorkingCalendar, start: date | None, days: int | None) -> DueDate | None:
    if start is None or days is None:
        return None
    return calendar.add_working_days(start, days)


def working_days_left(calendar: WorkingCalendar, today: date, due: date) -> int:
    """Working days from today to the due date; negative when overdue (days past, any kind)."""
    if due < today:
        return -(today - due).days
    return calendar.working_days_between(today, due)
