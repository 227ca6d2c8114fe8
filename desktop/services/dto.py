"""Frozen values the services hand out: widgets and the command line never see ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from desktop.domain.deadlines import Deadlines
from desktop.domain.workflow import Action, Role, Status

if TYPE_CHECKING:  # the login window imports this module, and should not wait for the ORM
    from desktop.db.repositories import Cursor


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    display_name: str
    office_id: int
    office_code: str
    office_name: str
    office_kind: str
    roles: frozenset[Role]
    # Offices whose complaints this user may see: its own and those below it (None: all).
    scope: frozenset[int] | None

    def has(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))


@dataclass(frozen=True)
class OfficeInfo:
    id: int
    code: str
    name: str
    kind: str
    tier: str | None
    parent_id: int | None
    address: str
    phone: str
    seal_text: str


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    office_id: int
    roles: tuple[Role, ...]
    active: bool
    locked_until: datetime | None


@dataclass(frozen=True)
class CodeInfo:
    kind: str
    code: str
    label: str
    active: bool


@dataclass(frozen=True)
class EnterpriseInfo:
    id: int
    uuid: str
    name: str
    credit_code: str | None
    address: str
    industry: str
    phone: str
    alliance_member: bool
    demo_street: bool


@dataclass(frozen=True)
class ComplaintRow:
    """One line of a list: the ledger's fields of the catalogue (domain/complaint_fields.py),
    personal information already masked."""

    id: int
    number: str
    received_at: datetime
    channel_code: str
    complainant: str  # masked
    phone: str  # masked
    respondent_name: str
    subject: str
    category_code: str
    status: Status
    due_on: date | None
    office_id: int
    handler_id: int | None
    version: int
    kind: str = "complaint"  # 投诉 / 举报 / 咨询 (workflow.Intake)
    matched: str = ""  # a search's result: the field that matched, its words marked 【】

    def value(self, name: str) -> object:
        """The value of a catalogued field (by its column name) this row carries."""
        return getattr(self, ROW_NAMES.get(name, name))

    @classmethod
    def of(cls, values: dict[str, Any]) -> ComplaintRow:
        """A row of a list page from its values, every field given: without the frozen
        dataclass's object.__setattr__ per field (a page builds a hundred of these)."""
        row = object.__new__(cls)
        row.__dict__.update(values)
        return row


# The row's own names of two catalogued fields: the masked name and phone.
ROW_NAMES = {"complainant_name": "complainant", "complainant_phone": "phone"}


@dataclass(frozen=True)
class Page:
    rows: tuple[ComplaintRow, ...]
    next_cursor: Cursor | None  # None: this was the last page


@dataclass(frozen=True)
class Link:
    """Another item this one is tied to: 诉转案 (the complaint and the 举报 it became) and
    并案 (a repeat 举报 and the earlier one it was merged into)."""

    relation: str  # 来源投诉 / 诉转案登记的举报 / 并入的举报 / 并入本件的重复举报
    complaint_id: int
    number: str
    status: Status


@dataclass(frozen=True)
class ComplaintDetail:
    """One complaint: every field of the catalogue (domain/complaint_fields.py) under its key,
    personal information masked for users who may not see it, and what it means now."""

    id: int
    uuid: str
    version: int
    number: str
    district_number: str | None
    channel_code: str
    received_at: datetime
    office_id: int
    handler_id: int | None
    registered_by_id: int
    complainant_name: str
    complainant_phone: str
    complainant_address: str
    complainant_id_number: str | None
    respondent_name: str
    respondent_credit_code: str | None
    respondent_address: str
    enterprise_id: int | None
    subject: str
    category_code: str
    brand_model: str
    purchase_date: date | None
    amount: Decimal | None
    request_type: str
    request: str
    facts: str
    status: Status
    rule_set_code: str
    due_on: date | None
    accepted_on: date | None
    odr_started_on: date | None
    rejection_ground: str | None
    mediation_started_on: date | None
    settled_on: date | None
    settlement_terms: str | None
    performance_due_on: date | None
    terminated_on: date | None
    termination_ground: str | None
    transferred_to: str | None
    case_note: str | None
    violation_found_on: date | None
    closed_on: date | None
    result: str | None
    recovered: Decimal | None
    at_fault: bool | None
    satisfaction: str | None
    status_note: str | None
    kind: str
    complainant_id_type: str | None
    reporter_real_name: bool | None
    consent_disclosure: bool | None
    consent_delegation: bool | None
    answer: str | None
    answered_at: datetime | None
    id_proof_requested_on: date | None
    id_proof_due_on: date | None
    id_proof_received_on: date | None
    consumer_judgement: str | None
    consumer_judgement_note: str | None
    delegated_to: str | None
    delegated_on: date | None
    delegation_returned_on: date | None
    delegation_result: str | None
    mediation_at: datetime | None
    mediation_place: str | None
    mediator_name: str | None
    mediator_phone: str | None
    mediation_materials: str | None
    recusal_days: int | None
    recusal_request: str | None
    recusal_requested_on: date | None
    recusal_decision: str | None
    recusal_decided_on: date | None
    check_extended_on: date | None
    check_extension_note: str | None
    case_decided_on: date | None
    merged_into_id: int | None
    clock_from: date | None
    origin_id: int | None
    original_number: str | None
    import_kind: str | None
    import_source: str | None
    import_key: str | None
    import_hash: str | None
    remarks: str | None
    incomplete: bool | None
    deadlines: Deadlines
    allowed_actions: tuple[Action, ...]
    personal_info_masked: bool
    paused: bool
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class MediationRecordInfo:
    id: int
    uuid: str
    held_at: datetime
    means: str
    place: str
    participants: str
    content: str
    result: str
    recorded_by_id: int
    replaces_id: int | None = None  # a correction: the record it replaces
    correction_reason: str | None = None  # a correction's reason
    replaced_by_id: int | None = None  # a corrected record: the correction in force
    replaced_reason: str | None = None  # a corrected record: why it was corrected

    @property
    def corrected(self) -> bool:
        """Replaced by a correction (kept, shown as 已更正, no longer in force)."""
        return self.replaced_by_id is not None


@dataclass(frozen=True)
class FollowUpInfo:
    """One 回访 (aftercare.CallMeans, aftercare.Satisfaction codes)."""

    id: int
    uuid: str
    called_at: datetime
    caller_id: int
    caller: str  # the caller's name
    callee: str
    means: str
    reached: bool
    satisfaction: str | None
    note: str


@dataclass(frozen=True)
class DeliveryInfo:
    """One 送达 (aftercare.Notice, aftercare.Delivery codes); `late_days`: working days after
    its notice's limit (0: in time or no limit)."""

    id: int
    uuid: str
    notice: str
    means: str
    delivered_at: datetime
    recipient: str
    note: str
    recorded_by_id: int
    late_days: int = 0


@dataclass(frozen=True)
class NoticeStatus:
    """A notice this complaint has reached: by when it had to be delivered, how it was.

    `late_days` counts working days after `limit`: of the first delivery when delivered, up to
    today when not (0: in time, or not late yet, or no limit)."""

    notice: str  # aftercare.Notice
    issued_on: date | None  # the decision's day, when the complaint records it
    limit: date | None  # None: the rules set no time limit for its delivery
    deliveries: tuple[DeliveryInfo, ...]
    late_days: int
    applies: bool = True  # False: delivered once, but the decision no longer stands (reopened)

    @property
    def delivered(self) -> bool:
        return bool(self.deliveries)

    @property
    def first(self) -> DeliveryInfo | None:
        return self.deliveries[0] if self.deliveries else None


@dataclass(frozen=True)
class WaitingFollowUp:
    """A closed item waiting for a 回访; the complainant masked (a list is seen over shoulders)."""

    complaint_id: int
    number: str
    kind: str
    respondent_name: str
    complainant_name: str
    office_id: int
    handler_id: int | None
    result: str | None
    closed_on: date
    due_on: date  # the last day for the 回访
    overdue: bool
    attempts: int  # 回访 since closing that reached no one


@dataclass(frozen=True)
class WaitingFollowUps:
    rows: tuple[WaitingFollowUp, ...]  # overdue first (the longest closed first)
    total: int
    overdue: int


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    sha256: str
    filename: str
    size: int
    note: str
    added_at: datetime


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    username: str
    action: str
    text: str  # the change in plain words
    reason: str | None


@dataclass(frozen=True)
class Changed:
    """What a mutating call changed, so open views refresh only what they show."""

    entity: str
    ids: tuple[int, ...]
    number: str | None = None
    warnings: tuple[str, ...] = ()
    created: bool = False  # a new record: lists may gain a row, not just change one
    complaint_id: int | None = None  # the complaint a mediation record or attachment belongs to
    enterprise_added: int | None = None  # a registration that added its respondent to the 企业库

    def touches_complaint(self, complaint_id: int) -> bool:
        if self.entity == "complaint":
            return complaint_id in self.ids
        return self.complaint_id == complaint_id
