"""What the 2026 rules add around a decision: how each notice reached the party (送达) and the
follow-up call after closing (回访). Values and their Chinese labels; pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the contract imports this module; the calendar loads chinesecalendar
    from desktop.domain.calendar import WorkingCalendar


class Notice(StrEnum):
    """A notice or decision that must reach a party, and whose time limit counts to delivery."""

    ACCEPTANCE = "acceptance"  # 投诉受理决定书
    REJECTION = "rejection"  # 投诉不予受理决定书
    ID_PROOF = "id_proof"  # 限期提供身份证明材料通知书
    MEDIATION = "mediation"  # 投诉调解通知书
    TERMINATION = "termination"  # 投诉终止调解决定书
    REPORT_RESULT = "report_result"  # 举报处理结果告知书

    @property
    def label(self) -> str:
        return NOTICE_LABELS[self]


NOTICE_LABELS = {
    Notice.ACCEPTANCE: "受理决定",
    Notice.REJECTION: "不予受理决定",
    Notice.ID_PROOF: "限期提供身份证明材料通知",
    Notice.MEDIATION: "调解通知",
    Notice.TERMINATION: "终止调解决定",
    Notice.REPORT_RESULT: "举报处理结果告知",
}


class Delivery(StrEnum):
    """How a notice was delivered (2026 rules: internet, phone, SMS, e-mail or letter)."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"
    INTERNET = "internet"

    @property
    def label(self) -> str:
        return {"in_person": "当面", "phone": "电话", "sms": "短信", "email": "电子邮件",
                "letter": "信函", "internet": "互联网"}[self.value]


class CallMeans(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    VISIT = "visit"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"phone": "电话", "sms": "短信", "visit": "上门", "other": "其他"}[self.value]


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"
    BASIC = "basic"
    UNSATISFIED = "unsatisfied"

    @property
    def label(self) -> str:
        return {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}[self.value]


class FollowUpScope(StrEnum):
    """Which closed items need a 回访 (a setting; default: every accepted complaint)."""

    ACCEPTED = "accepted"  # complaints that were accepted (mediated, settled, terminated …)
    ALL_COMPLAINTS = "all_complaints"  # every closed complaint, rejected ones too
    COMPLAINTS_AND_REPORTS = "complaints_and_reports"  # and every closed 举报 with a real name
    NONE = "none"

    @property
    def label(self) -> str:
        return {"accepted": "已受理的投诉", "all_complaints": "全部办结的投诉",
                "complaints_and_reports": "全部办结的投诉和实名举报",
                "none": "不要求回访"}[self.value]


FOLLOW_UP_DAYS = 5  # default: within 5 working days of closing


# Closed items need a 回访 from the day the 2026 national rules took effect (they ask for it);
# an administrator may move the day, e.g. to when the office began recording 回访 here.
FOLLOW_UP_SINCE = date(2026, 4, 15)


@dataclass(frozen=True)
class FollowUpRule:
    """Which closed items need a 回访, and within how many working days of closing."""

    scope: FollowUpScope = FollowUpScope.ACCEPTED
    days: int = FOLLOW_UP_DAYS
    since: date = FOLLOW_UP_SINCE  # closed on or after this day

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of item (workflow.Intake values) the scope takes in."""
        if self.scope is FollowUpScope.NONE:
            return ()
        if self.scope is FollowUpScope.COMPLAINTS_AND_REPORTS:
            return ("complaint", "report")
        return ("complaint",)

    def covers(self, kind: str, status: str, closed_on: date | None, accepted: bool,
               real_name: bool) -> bool:
        """Whether a closed item needs a 回访 (what db/aftercare.py's waiting list asks in SQL)."""
        if status != "closed" or closed_on is None or closed_on < self.since:
            return False
        if kind not in self.kinds or (kind == "report" and not real_name):
            return False
        return accepted or self.scope is not FollowUpScope.ACCEPTED


MAX_FOLLOW_UP_DAYS = 60


def follow_up_due(calendar: WorkingCalendar, closed_on: date, days: int) -> date:
    """The last day for a 回访: the n-th working day after closing (the closing day not counted)."""
    return calendar.add_working_days(closed_on, days).day


def first_not_overdue(calendar: WorkingCalendar, today: date, days: int) -> date:
    """The earliest closing day whose 回访 is not overdue today: an item closed before it is.

    Adding working days never moves an earlier day past a later one, so one day splits them."""
    day = today
    while follow_up_due(calendar, day - timedelta(days=1), days) >= today:
        day -= timedelta(days=1)
    return day


def working_days_late(calendar: WorkingCalendar, limit: date, day: date) -> int:
    """How many working days after `limit` a thing done on `day` came (0: in time).

    Counted like the limits themselves, in working days; a day of rest after the limit counts
    as the working day that follows it, so anything after the limit is at least one day late."""
    if day <= limit:
        return 0
    return calendar.working_days_between(limit, calendar.working_day_on_or_after(day).day)


def satisfaction_label(value: str | None) -> str:
    """A complaint's satisfaction in words: a 回访's code by its label; what the closing dialog
    stored before 回访 existed (满意, 未回访 …) as it is."""
    if not value:
        return ""
    try:
        return Satisfaction(value).label
    except ValueError:
        return value
