"""Which forms a complaint has: by its kind (投诉 / 举报 / 咨询) and by the edition of the forms
its rule set names (RuleSet.forms), each offered once it has something to say; why one is not;
and where a 分送 goes.

- A 投诉 prints the forms of its rule set's edition: complaints received before 2026-04-15 keep
  the 2020 forms exactly; those under the 2026 rules get the ten 2026 models' complaint forms.
- A 举报 prints the 2026 举报 forms whatever its rule set: the 2020 edition has none.
- A 咨询 is answered on the spot and prints nothing.
- The 投诉/举报分送通知书 is printed by the office that sends an item down: see `dispatch_route`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date

from sqlalchemy.orm import Session

from desktop.db.models import Complaint
from desktop.db.repositories import AuditRepository, OfficeRepository
from desktop.domain.calendar import WorkingCalendar
from desktop.domain.complaint import DISTRICT_DISPATCH_CHANNEL
from desktop.domain.deadlines import RuleSet, compute_deadlines
from desktop.domain.workflow import Intake, Result, Status
from desktop.forms import complaint_forms, forms_2026, report_forms
from desktop.forms.catalog import EDITION_2020, EDITION_2026, FormInfo, form_in
from desktop.forms.sheet import Pdf
from desktop.services.dto import CurrentUser

# A check says why a form has nothing to say yet ("尚未受理"), or None when it applies.
Check = Callable[[Complaint], str | None]


@dataclass(frozen=True)
class Letter:
    key: str
    check: Check
    build: Callable[..., Pdf] | None  # None: the service builds it (sessions, the 分送)


def _always(_c: Complaint) -> str | None:
    return None


def _has(column: str, refusal: str) -> Check:
    return lambda c: None if getattr(c, column) else refusal


def case_filed(c: Complaint) -> bool | None:
    """A 举报's decision: a case opened (True), not opened (False), not decided yet (None)."""
    if c.status == Status.FILED or c.result == Result.CASE_FILED:
        return True
    if c.status == Status.NOT_FILED or c.result == Result.CASE_NOT_FILED:
        return False
    return None


def _report_result(c: Complaint) -> str | None:
    if c.reporter_real_name is not True or not (c.complainant_name or "").strip():
        return "是匿名举报，没有需要告知结果的举报人"
    if case_filed(c) is None or c.case_decided_on is None:
        return "尚未作出是否立案的决定"
    return None


SESSIONS = Letter("mediation-record", _always, None)  # one per mediation record
DISPATCH = Letter("dispatch", _always, None)  # the route decides (dispatch_route)

# In the order of an item's life: the print menu lists them so.
LETTERS_2020 = (
    Letter("registration", _always, complaint_forms.registration),
    Letter("acceptance", _has("accepted_on", "尚未受理"), complaint_forms.acceptance),
    Letter("rejection", _has("rejection_ground", "没有不予受理的决定"), complaint_forms.rejection),
    SESSIONS,
    Letter("agreement", _has("settlement_terms", "没有调解协议"), complaint_forms.agreement),
    Letter("termination", _has("terminated_on", "没有终止调解"), complaint_forms.termination),
)
LETTERS_2026 = (
    Letter("registration", _always, forms_2026.registration),
    DISPATCH,
    Letter("id-proof", _has("id_proof_due_on", "没有要求限期提供身份证明材料"), forms_2026.id_proof),
    Letter("acceptance", _has("accepted_on", "尚未受理"), forms_2026.acceptance),
    Letter("rejection", _has("rejection_ground", "没有不予受理的决定"), forms_2026.rejection),
    Letter("mediation-notice", _has("mediation_at", "尚未安排调解时间"), forms_2026.mediation_notice),
    SESSIONS,
    Letter("agreement", _has("settlement_terms", "没有调解协议"), forms_2026.agreement),
    Letter("termination", _has("terminated_on", "没有终止调解"), forms_2026.termination),
)
REPORT_LETTERS = (
    Letter("report-registration", _always, report_forms.report_registration),
    DISPATCH,
    Letter("report-result", _report_result, report_forms.report_result),
)


def intake_of(c: Complaint) -> Intake:
    return Intake(c.kind or Intake.COMPLAINT)


def edition_of(c: Complaint, rules: RuleSet | None) -> str:
    """The edition a complaint's forms come from: its rule set's; a 举报's is always 2026."""
    if intake_of(c) is Intake.REPORT:
        return EDITION_2026
    return EDITION_2026 if rules is not None and rules.forms == EDITION_2026 else EDITION_2020


def letters_for(c: Complaint, rules: RuleSet | None) -> tuple[Letter, ...]:
    intake = intake_of(c)
    if intake is Intake.CONSULTATION:
        return ()
    if intake is Intake.REPORT:
        return REPORT_LETTERS
    return LETTERS_2026 if edition_of(c, rules) == EDITION_2026 else LETTERS_2020


def letter(c: Complaint, rules: RuleSet | None, key: str) -> Letter | None:
    return next((x for x in letters_for(c, rules) if x.key == key), None)


def not_offered(c: Complaint, rules: RuleSet | None, info: FormInfo) -> str:
    """Why an item has no such form at all (its kind, or its rules' edition)."""
    intake = intake_of(c)
    what = f"{intake.label} {c.number}"
    if intake is Intake.CONSULTATION:
        return f"{what} 是当场解答的咨询，不出具文书"
    if intake is Intake.REPORT:
        title = form_in(info.key, EDITION_2026).title
        return f"{what} 是举报，不适用{title}（举报的文书为举报登记表、分送通知书、举报处理结果告知书）"
    if info.key in ("report-registration", "report-result"):
        return f"{what} 是投诉，不适用举报的文书{info.title}"
    name = rules.name if rules is not None else "原有规则"
    return (f"{what} 于{c.received_at:%Y-%m-%d}接收，适用{name}，使用 2020 年版文书，"
            f"没有{info.title}")


def title_of(c: Complaint, rules: RuleSet | None, key: str) -> FormInfo:
    """The form as this item prints it: its edition's title; the 分送通知书 of its kind."""
    info = form_in(key, edition_of(c, rules))
    if key == DISPATCH.key:
        kind = "举报" if intake_of(c) is Intake.REPORT else "投诉"
        return replace(info, title=f"{kind}分送通知书")
    return info


# -- the 分送 ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    """Who sends an item down to whom, and when."""

    from_office_id: int
    to_office: str
    dispatched_on: date


def dispatch_route(session: Session, user: CurrentUser, c: Complaint, today: date) -> Route | str:
    """Where the 分送通知书 of this item goes, or why there is none to print here.

    Printed by the office that sends the item down, never by the one that receives it:
    - the item's office transferred (转办) it to an office below it in the office register
      (a sub-bureau to one of its stations; the 转办单位 typed names it, or is its code): that
      office prints it, to the lower one, dated the day of the transfer — a 举报 never to a
      station, which neither registers nor receives one;
    - an item that came by district dispatch (区局平台分流): the district bureau prints it, to
      the item's office, dated the day it was received there — offered to a user of that
      district bureau only; the receiving office is told who issues it.
    """
    offices = OfficeRepository(session)
    target = (c.transferred_to or "").strip()
    if target:
        below = [offices.get(i) for i in sorted(offices.subtree_ids(c.office_id) - {c.office_id})]
        # Typed by hand: the office's code, or its name anywhere in what was typed.
        office = next((o for o in below if o is not None
                       and (target.upper() == o.code or o.name in target)), None)
        if office is not None and office.kind == "station" and intake_of(c) is Intake.REPORT:
            return f"转办至{office.name}：投诉站不接收举报，不出具举报分送通知书"
        if office is not None:
            return Route(c.office_id, office.name, transfer_day(session, c) or today)
    if c.channel_code == DISTRICT_DISPATCH_CHANNEL:
        own = offices.get(c.office_id)
        district = offices.district_of(own) if own is not None else None
        if own is not None and district is not None and district.id != own.id:
            if user.office_id == district.id:
                return Route(district.id, own.name, c.received_at.date())
            return f"由区局平台分送至{own.name}，分送通知书由{district.name}出具"
    if target:
        return f"转办至「{target}」，不是本单位的下级单位，不需要分送通知书"
    return "没有分送下级单位"


def transfer_day(session: Session, c: Complaint) -> date | None:
    """The (local) day the item was last transferred, from its history."""
    for entry in reversed(AuditRepository(session).history(c.uuid)):
        if (entry.entity_uuid == c.uuid and entry.after and '"transferred_to"' in entry.after
                and json.loads(entry.after).get("transferred_to")):
            return entry.at.replace(tzinfo=UTC).astimezone().date()
    return None


def report_back(calendar: WorkingCalendar, rules: RuleSet, report: bool,
                dispatched_on: date) -> tuple[date | None, date]:
    """By when the lower office decides on acceptance (a complaint) and reports the result:
    a 举报, its check period (15 working days); a complaint, the decision on acceptance
    (7 working days) and the end of mediation had it been accepted on that last day."""
    if report:
        days = rules.report_check_days or rules.violation_check_days or 15
        return None, calendar.add_working_days(dispatched_on, days).day
    decision = calendar.add_working_days(dispatched_on, rules.accept_days).day
    limits = compute_deadlines(calendar, rules, received_on=dispatched_on, today=dispatched_on,
                               accepted_on=decision)
    assert limits.mediation_due is not None  # accepted_on given
    return decision, limits.mediation_due.day
