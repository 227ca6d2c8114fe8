"""What the forms print, as plain values with every code already turned into its label.

The services fill these in (with personal information masked for users who may not see it);
the forms only lay them out, so the disclosure and ledger work can feed them other rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Letterhead:
    """The issuing office as its settings name it."""

    office: str
    district: str
    seal_text: str
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ComplaintPaper:
    number: str
    code: str  # the QR text: number and checksum
    received_at: datetime
    channel: str
    district_number: str | None
    office: str
    registered_by: str
    handler: str
    complainant_name: str
    complainant_phone: str
    complainant_address: str
    complainant_id_number: str
    respondent_name: str
    respondent_credit_code: str
    respondent_address: str
    subject: str
    category: str
    brand_model: str
    purchase_date: date | None
    amount: Decimal | None
    request_type: str
    request: str
    facts: str
    status: str
    rule_set_name: str
    mediation_limit: str  # e.g. "45 个工作日"
    accepted_on: date | None = None
    rejection_ground: str = ""
    settled_on: date | None = None
    settlement_terms: str = ""
    performance_due_on: date | None = None
    recovered: Decimal | None = None
    terminated_on: date | None = None
    termination_ground: str = ""
    status_note: str = ""


@dataclass(frozen=True)
class SessionPaper:
    """One mediation contact (调解记录)."""

    ordinal: int  # 第 n 次
    held_at: datetime
    means: str
    place: str
    participants: str
    content: str
    result: str
    recorded_by: str


@dataclass(frozen=True)
class LedgerLine:
    number: str
    received_at: datetime
    channel: str
    dispatched: bool  # 区局平台分流 (the ledger's first part) or received by the office itself
    complainant: str  # masked
    respondent: str
    subject: str
    category: str
    handler: str
    status: str
    due_on: date | None
    closed_on: date | None
    result: str
    recovered: Decimal | None


@dataclass(frozen=True)
class OpenLine:
    """One unfinished complaint on the quarterly check sheet."""

    number: str
    received_on: date
    respondent: str
    subject: str
    handler: str
    status: str
    days_open: int
    due_on: date | None
    overdue: bool
    next_step: str


@dataclass(frozen=True)
class DisclosureLine:
    number: str
    received_at: datetime
    respondent: str
    content: str  # no personal information
    success: bool


@dataclass(frozen=True)
class RefusalLine:
    number: str
    office: str
    respondent: str
    reason: str
    approval: str = ""  # the electronic approvals so far, in words


@dataclass(frozen=True)
class CorrectionPaper:
    """A decided correction request 更正申请, answered by letter to whoever asked."""

    number: str  # the complaint's number on the list
    month: date  # the list's month
    requester: str
    requester_address: str
    filed_on: date
    reason: str
    old_content: str
    new_content: str
    approved: bool
    decided_on: date
    note: str  # why not, when refused
