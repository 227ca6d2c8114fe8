"""What the forms print, as plain values with every code already turned into its label.

The services fill these in (with personal information masked for users who may not see it);
the forms only lay them out, so the disclosure and ledger work can feed them other rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal

from desktop.domain.complaint_fields import FIELDS
from desktop.domain.contract import LONG_LEN, NOTE_LEN, text_limit

# What a form prints of a field longer than it may be: the services refuse such text at entry,
# but a record stored before that rule (or arriving from elsewhere) may hold more, and laying
# out 80,000 characters takes ReportLab many seconds on the window's only database worker.
OMITTED = "（内容过长，以下从略，全文见系统记录）"
# A field the contract does not bound (a label, a name from the office settings).
LABEL_LEN = 200
# Line breaks count too: 5,000 empty lines are 70 pages of nothing.
MAX_LINES = 200


def clip(text: str | None, limit: int) -> str:
    """`text` as printed: at most `limit` characters and MAX_LINES lines, and if anything was
    left out, the note OMITTED at the end so the paper says so."""
    text = text or ""
    cut = len(text) > limit
    if cut:
        text = text[:limit]
    if text.count("\n") >= MAX_LINES:
        text = "\n".join(text.split("\n", MAX_LINES)[:MAX_LINES])
        cut = True
    return text.rstrip() + OMITTED if cut else text


def _clip_fields(paper: object, limits: Mapping[str, int]) -> None:
    """Clip every text field of a frozen paper in place: at its limit, or LABEL_LEN."""
    for f in fields(paper):  # type: ignore[arg-type]
        value = getattr(paper, f.name)
        if isinstance(value, str):
            clipped = clip(value, limits.get(f.name, LABEL_LEN))
            if clipped is not value:
                object.__setattr__(paper, f.name, clipped)


def _contract(entity: str, *names: str, **renamed: str) -> dict[str, int]:
    """The printed fields' limits from the wire contract (`renamed`: paper field → rule)."""
    out = {n: text_limit(entity, n) for n in names}
    out.update({paper: text_limit(entity, rule) for paper, rule in renamed.items()})
    return {k: v for k, v in out.items() if v is not None}


@dataclass(frozen=True)
class Letterhead:
    """The issuing office as its settings name it."""

    office: str
    district: str
    seal_text: str
    address: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        _clip_fields(self, {})


# Every catalogued text at its own limit; a code's label, a person's or office's name at LABEL_LEN.
_COMPLAINT_LIMITS = {f.key: f.max_len for f in FIELDS
                     if f.kind == "text" and f.codes is None and f.choices is None
                     and f.max_len is not None}


@dataclass(frozen=True)
class ComplaintPaper:
    """A complaint as its forms print it. The services fill each catalogued field
    (domain/complaint_fields.py) under its key, a code's under the key without `_code`
    (`channel`), a person's or an office's under the key without `_id` (`handler`)."""

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
    # What the 2026 forms print besides (forms/forms_2026*.py). The grounds are the complaint's
    # own rule set's: every ground in its order, and the code of the one recorded.
    kind: str = ""  # 投诉 / 举报 / 咨询
    complainant_id_type: str = ""  # the label from the code table id_type
    reporter_real_name: bool | None = None
    consent_disclosure: bool | None = None  # None: not asked or not answered
    consent_delegation: bool | None = None
    respondent_phone: str = ""  # from the enterprise register, when the respondent is linked
    transferred_to: str = ""
    id_proof_requested_on: date | None = None
    id_proof_due_on: date | None = None
    mediation_at: datetime | None = None
    mediation_place: str = ""
    mediator_name: str = ""
    mediator_phone: str = ""
    mediation_materials: str = ""
    recusal_days: int | None = None
    case_decided_on: date | None = None
    case_filed: bool | None = None  # a 举报: a case opened (立案), not (不予立案), undecided
    rejection_ground_code: str = ""
    termination_ground_code: str = ""
    rejection_grounds: tuple[tuple[str, str], ...] = ()
    termination_grounds: tuple[tuple[str, str], ...] = ()
    rules_title: str = ""  # the rules as a legal text cites them: 《…》 without the set's note
    mediation_limit_words: str = ""  # e.g. "六十日", "四十五个工作日"
    original_number: str = ""  # imported history: its number in the old ledger or hotline

    def __post_init__(self) -> None:
        _clip_fields(self, _COMPLAINT_LIMITS)


@dataclass(frozen=True)
class DispatchPaper:
    """A 分送: who sends the complaint or report down to whom, when, and by when the lower
    office reports back (decision_due: a complaint's decision on acceptance)."""

    to_office: str
    dispatched_on: date
    result_due: date
    decision_due: date | None = None

    def __post_init__(self) -> None:
        _clip_fields(self, {})


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

    def __post_init__(self) -> None:
        _clip_fields(self, _contract("mediation_records", "place", "participants", "content",
                                     "result"))


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

    def __post_init__(self) -> None:
        _clip_fields(self, {})


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

    def __post_init__(self) -> None:
        _clip_fields(self, {})


@dataclass(frozen=True)
class DisclosureLine:
    number: str
    received_at: datetime
    respondent: str
    content: str  # no personal information
    success: bool

    def __post_init__(self) -> None:
        _clip_fields(self, _contract("disclosure_entries", "content"))


@dataclass(frozen=True)
class RefusalLine:
    number: str
    office: str
    respondent: str
    reason: str
    approval: str = ""  # the electronic approvals so far, in words

    def __post_init__(self) -> None:
        _clip_fields(self, {"reason": LONG_LEN, "approval": NOTE_LEN})


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

    def __post_init__(self) -> None:
        _clip_fields(self, {**_contract("disclosure_requests", "reason", "old_content",
                                        "new_content", "requester", "requester_address"),
                            "note": LONG_LEN})
