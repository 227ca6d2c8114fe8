"""SQLAlchemy 2 ORM models of the office database.

Business times (received_at, held_at) are Beijing wall-clock times as people write them on
forms; technical timestamps (updated_at, audit `at`) are UTC. Money is stored in fen (cents).
Every syncable record carries a client-generated UUID v7, a version (optimistic locking, also
the sync base version) and an updated time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import uuid6
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship


def new_uuid() -> str:
    return str(uuid6.uuid7())


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Syncable:
    """Columns every record that travels to the district carries."""

    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # The version doubles as the optimistic lock: a stale update raises StaleDataError.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class AppSetting(Base):
    """Key/value settings of this installation (which office it is, and the like)."""

    __tablename__ = "app_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Office(Syncable, Base):
    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # district / sub_bureau / station
    tier: Mapped[str | None] = mapped_column(String(16))  # station tier, seed 000
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    seal_text: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[Office | None] = relationship(remote_side="Office.id")


class User(Syncable, Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    office: Mapped[Office] = relationship()
    roles: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role"
    )


class UserRole(Base):
    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class Enterprise(Syncable, Base):
    __tablename__ = "enterprises"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    station_tier: Mapped[str | None] = mapped_column(String(16))
    alliance_member: Mapped[bool] = mapped_column(Boolean, default=False)
    demo_street: Mapped[bool] = mapped_column(Boolean, default=False)


class CodeItem(Syncable, Base):
    """Editable code tables: channels, categories, rejection and termination grounds …"""

    __tablename__ = "code_items"
    __table_args__ = (UniqueConstraint("kind", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A category's national (12315) class: the code of a `national_class` item (statistics).
    parent: Mapped[str | None] = mapped_column(String(32))


class RuleSetRow(Syncable, Base):
    __tablename__ = "rule_sets"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date] = mapped_column(Date)
    accept_days: Mapped[int] = mapped_column(Integer)
    mediation_days: Mapped[int] = mapped_column(Integer)
    mediation_unit: Mapped[str] = mapped_column(String(16))
    termination_notice_days: Mapped[int | None] = mapped_column(Integer)
    violation_check_days: Mapped[int | None] = mapped_column(Integer)
    violation_check_extension: Mapped[int | None] = mapped_column(Integer)
    odr_days: Mapped[int | None] = mapped_column(Integer)
    # A 举报: whether to open a case, within N working days of receipt (+M with approval).
    report_check_days: Mapped[int | None] = mapped_column(Integer)
    report_check_extension: Mapped[int | None] = mapped_column(Integer)
    tentative: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    # How a calendar-day period whose last day is a rest day or holiday ends (PeriodEnd).
    period_end: Mapped[str] = mapped_column(String(24), default="next_working_day",
                                            server_default="next_working_day")
    # How sure the office is of each limit, {limit: firm/likely/open} (JSON), as
    # rules-2026.md gives it; the grounds' wording under this set, {kind: [[code, text] …]}.
    confidence: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    grounds: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    # Which edition of the printed forms complaints under this set use (2020, 2026).
    forms: Mapped[str] = mapped_column(String(8), default="2020", server_default="2020")


class Complaint(Syncable, Base):
    __tablename__ = "complaints"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    # 投诉 / 举报 / 咨询 (workflow.Intake)
    kind: Mapped[str] = mapped_column(String(16), default="complaint", server_default="complaint")
    district_number: Mapped[str | None] = mapped_column(String(40), index=True)
    channel_code: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    complainant_name: Mapped[str] = mapped_column(String(60))
    complainant_phone: Mapped[str] = mapped_column(String(40), index=True)
    complainant_address: Mapped[str] = mapped_column(String(200), default="")
    complainant_id_number: Mapped[str | None] = mapped_column(String(18))
    complainant_id_type: Mapped[str | None] = mapped_column(String(16))
    reporter_real_name: Mapped[bool | None] = mapped_column(Boolean)
    consent_disclosure: Mapped[bool | None] = mapped_column(Boolean)
    consent_delegation: Mapped[bool | None] = mapped_column(Boolean)

    respondent_name: Mapped[str] = mapped_column(String(200))
    respondent_credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    respondent_address: Mapped[str] = mapped_column(String(200), default="")
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)

    subject: Mapped[str] = mapped_column(String(200))
    category_code: Mapped[str] = mapped_column(String(32))
    brand_model: Mapped[str] = mapped_column(String(100), default="")
    purchase_date: Mapped[date | None] = mapped_column(Date)
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    request_type: Mapped[str] = mapped_column(String(16), default="")
    request: Mapped[str] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)  # a 咨询's answer

    status: Mapped[str] = mapped_column(String(16), default="registered")
    rule_set_code: Mapped[str] = mapped_column(String(32))
    due_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    rejection_ground: Mapped[str | None] = mapped_column(String(32))
    mediation_started_on: Mapped[date | None] = mapped_column(Date)
    settled_on: Mapped[date | None] = mapped_column(Date)
    settlement_terms: Mapped[str | None] = mapped_column(Text)
    # The agreement's performance deadline; None with settlement terms: performed on the spot.
    performance_due_on: Mapped[date | None] = mapped_column(Date)
    terminated_on: Mapped[date | None] = mapped_column(Date)
    termination_ground: Mapped[str | None] = mapped_column(String(32))
    transferred_to: Mapped[str | None] = mapped_column(String(200))
    case_note: Mapped[str | None] = mapped_column(Text)
    violation_found_on: Mapped[date | None] = mapped_column(Date)
    odr_started_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(String(16))
    recovered_cents: Mapped[int | None] = mapped_column(Integer)
    at_fault: Mapped[bool | None] = mapped_column(Boolean)
    satisfaction: Mapped[str | None] = mapped_column(String(16))
    status_note: Mapped[str | None] = mapped_column(Text)
    # The 2026 rules (see domain/complaint_fields.py for each one's meaning).
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    id_proof_requested_on: Mapped[date | None] = mapped_column(Date)
    id_proof_due_on: Mapped[date | None] = mapped_column(Date)
    id_proof_received_on: Mapped[date | None] = mapped_column(Date)
    consumer_judgement: Mapped[str | None] = mapped_column(String(16))
    consumer_judgement_note: Mapped[str | None] = mapped_column(Text)
    delegated_to: Mapped[str | None] = mapped_column(String(200))
    delegated_on: Mapped[date | None] = mapped_column(Date)
    delegation_returned_on: Mapped[date | None] = mapped_column(Date)
    delegation_result: Mapped[str | None] = mapped_column(Text)
    mediation_at: Mapped[datetime | None] = mapped_column(DateTime)
    mediation_place: Mapped[str | None] = mapped_column(String(200))
    mediator_name: Mapped[str | None] = mapped_column(String(40))
    mediator_phone: Mapped[str | None] = mapped_column(String(40))
    mediation_materials: Mapped[str | None] = mapped_column(Text)
    recusal_days: Mapped[int | None] = mapped_column(Integer)
    recusal_request: Mapped[str | None] = mapped_column(Text)
    recusal_requested_on: Mapped[date | None] = mapped_column(Date)
    recusal_decision: Mapped[str | None] = mapped_column(String(16))
    recusal_decided_on: Mapped[date | None] = mapped_column(Date)
    check_extended_on: Mapped[date | None] = mapped_column(Date)
    check_extension_note: Mapped[str | None] = mapped_column(Text)
    case_decided_on: Mapped[date | None] = mapped_column(Date)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    clock_from: Mapped[date | None] = mapped_column(Date)
    origin_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    # History brought in from old ledgers and hotline exports (migration 0014, issue 19).
    original_number: Mapped[str | None] = mapped_column(String(64))
    import_kind: Mapped[str | None] = mapped_column(String(16))
    import_source: Mapped[str | None] = mapped_column(String(300))
    import_key: Mapped[str | None] = mapped_column(String(80))
    import_hash: Mapped[str | None] = mapped_column(String(64))
    remarks: Mapped[str | None] = mapped_column(Text)
    incomplete: Mapped[bool | None] = mapped_column(Boolean)

    pauses: Mapped[list[ClockPause]] = relationship(
        back_populates="complaint", order_by="ClockPause.started_on"
    )
    # Read when a notice's time limit counts to its delivery (the termination decision).
    deliveries: Mapped[list[NoticeDelivery]] = relationship(
        order_by="NoticeDelivery.delivered_at", viewonly=True
    )
    __table_args__ = (
        Index("ix_complaints_received", "received_at", "id"),
        Index("ix_complaints_status_received", "status", "received_at", "id"),
        Index("ix_complaints_office_received", "office_id", "received_at", "id"),
        # A scope's ledger by number and by due date, office by office (migration 0018).
        Index("ix_complaints_office_number", "office_id", "number"),
        Index("ix_complaints_office_due", "office_id", "due_on", sqlite_where=text("due_on IS NOT NULL")),
        Index("ix_complaints_handler_status", "handler_id", "status"),
        # The closed ones by closing day: those waiting for a 回访 (db/aftercare.py).
        Index("ix_complaints_status_closed", "status", "closed_on", "id"),
        # 统计 (db/statistics.py): an office scope's closed items by closing day and received
        # items by receipt, each with every column the statistics read (migrations 0012, 0013:
        # the respondent's columns for the top respondents).
        Index("ix_complaints_closed_stats", "office_id", "closed_on", "received_at", "kind",
              "rule_set_code", "accepted_on", "result", "recovered_cents", "at_fault",
              "satisfaction", "violation_found_on", "settled_on", "terminated_on",
              "odr_started_on", "mediation_started_on", "case_decided_on", "check_extended_on",
              "clock_from", "id_proof_received_on", sqlite_where=text("status = 'closed'")),
        Index("ix_complaints_office_received_stats", "office_id", "received_at", "kind", "status",
              "channel_code", "category_code", "handler_id", "rule_set_code", "accepted_on",
              "closed_on", "result", "amount_cents", "id_proof_requested_on",
              "id_proof_received_on", "enterprise_id", "respondent_credit_code", "respondent_name"),
        # 接处率: the 举报 by receipt (their window reaches 62 days before a period, migration 0013).
        Index("ix_complaints_report_received", "received_at", "office_id", "status",
              sqlite_where=text("kind = 'report'")),
        # Only SQLite's keyword: a postgresql_ one would import SQLAlchemy's PostgreSQL dialect.
        Index("ix_complaints_due", "due_on", sqlite_where=text("due_on IS NOT NULL")),
        Index("ix_complaints_id_proof_received", "id_proof_received_on",
              sqlite_where=text("id_proof_received_on IS NOT NULL")),
        Index("ix_complaints_clock_from", "clock_from", sqlite_where=text("clock_from IS NOT NULL")),
        Index("ix_complaints_original_number", "original_number",
              sqlite_where=text("original_number IS NOT NULL")),
        Index("ix_complaints_import_key", "import_key", sqlite_where=text("import_key IS NOT NULL")),
    )


class ComplaintTally(Base):
    """How many complaints an office has, kept by triggers on `complaints` (migration 0019):
    the ledger's 共 N 件 for a filter with no condition but the scope, without reading an
    index (db/repositories.py, ComplaintRepository.count). Never written by the program."""
    __tablename__ = "complaint_tally"
    office_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)


class ClockPause(Syncable, Base):
    __tablename__ = "clock_pauses"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    complaint: Mapped[Complaint] = relationship(back_populates="pauses")


class FollowUp(Syncable, Base):
    """One 回访 after closing: who called whom, when, how, reached or not, satisfied or not.
    Append-only; the latest reached one's satisfaction is the complaint's."""

    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    called_at: Mapped[datetime] = mapped_column(DateTime)  # Beijing wall-clock time
    caller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    callee: Mapped[str] = mapped_column(String(60), default="")
    means: Mapped[str] = mapped_column(String(16))
    reached: Mapped[bool] = mapped_column(Boolean)
    satisfaction: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")


class NoticeDelivery(Syncable, Base):
    """How and when a notice or decision reached a party (送达). Append-only."""

    __tablename__ = "notice_deliveries"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    notice: Mapped[str] = mapped_column(String(24))
    means: Mapped[str] = mapped_column(String(16))
    delivered_at: Mapped[datetime] = mapped_column(DateTime)  # Beijing wall-clock time
    recipient: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class MediationRecord(Syncable, Base):
    """One contact of a mediation (on site, by phone, online, by video). Append-only."""

    __tablename__ = "mediation_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    held_at: Mapped[datetime] = mapped_column(DateTime)
    means: Mapped[str] = mapped_column(String(16))
    place: Mapped[str] = mapped_column(String(200), default="")
    participants: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # A correction: this record replaces an earlier one of the same complaint, which is kept
    # (shown as 已更正), and says why (migration 0015).
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_records.id"), index=True)
    correction_reason: Mapped[str | None] = mapped_column(Text)


class Attachment(Syncable, Base):
    """A file of a complaint; the bytes live under the data folder, named by their SHA-256."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Printing(Syncable, Base):
    """One form printed (or saved as PDF): who, which form, when, and the record's checksum
    at that moment, which the form's QR code carries so the paper can be checked later."""

    __tablename__ = "printings"
    __table_args__ = (Index("ix_printings_complaint", "complaint_id", "checksum"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    form: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(100))  # what the sheet covers: number, month, period
    pages: Mapped[int] = mapped_column(Integer)
    checksum: Mapped[str | None] = mapped_column(String(16))
    how: Mapped[str] = mapped_column(String(16))  # print / pdf / cli
    printed_at: Mapped[datetime] = mapped_column(DateTime)  # Beijing wall-clock time
    printed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class NumberSequence(Base):
    __tablename__ = "number_sequences"
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Hash-chained audit log: each entry's hash covers its content and the previous hash."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_entity", "entity", "entity_uuid"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(40))
    office_code: Mapped[str] = mapped_column(String(12), default="")
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_uuid: Mapped[str | None] = mapped_column(String(36))
    # The record whose history this entry belongs to (a complaint for its mediation records).
    root_uuid: Mapped[str | None] = mapped_column(String(36), index=True)
    operation: Mapped[str] = mapped_column(String(8))  # insert / update / delete / bulk
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class HolidayOverride(Syncable, Base):
    __tablename__ = "holiday_overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    is_working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(100), default="")


class CalendarYear(Syncable, Base):
    """A year whose whole calendar an administrator has entered (no longer a guess)."""

    __tablename__ = "calendar_years"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class OfficeReference(Syncable, Base):
    """The office reference 单位参考资料 (issue 22): one versioned document per office that its
    PCs share through the district hub — the calendar's overrides and confirmed years, the rule
    sets, the code tables and the 企业库, each a canonical JSON text of its own
    (desktop/db/sync/office_reference.py). Four fields, so that two PCs changing different parts
    merge and the same part becomes a 冲突, as any record's fields do. The local tables stay what
    the program reads; this row is what travels. Its UUID is derived from the office's code, so
    every PC of the office names the same document."""

    __tablename__ = "office_references"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), unique=True)
    # None: no PC of the office has published this part yet (each PC keeps its own).
    calendar: Mapped[str | None] = mapped_column(Text)
    rule_sets: Mapped[str | None] = mapped_column(Text)
    codes: Mapped[str | None] = mapped_column(Text)
    enterprises: Mapped[str | None] = mapped_column(Text)


class DisclosureList(Syncable, Base):
    """A month's disclosure list 消费投诉公示 for a district or a sub-bureau (seed 002).

    `round` counts the times it went back to draft: approvals belong to one round. `revision`
    counts the corrections applied after publishing. `enterprise_figures` is the per-enterprise
    summary frozen with the rows (JSON), so the published figures never move afterwards."""

    __tablename__ = "disclosure_lists"
    __table_args__ = (UniqueConstraint("scope_office_id", "month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    status: Mapped[str] = mapped_column(String(16), default="draft")
    round: Mapped[int] = mapped_column(Integer, default=1)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    enterprise_figures: Mapped[str] = mapped_column(Text, default="[]")
    channels: Mapped[str] = mapped_column(String(100), default="")  # where it was published

    entries: Mapped[list[DisclosureEntry]] = relationship(
        back_populates="list", order_by="DisclosureEntry.seq", cascade="all, delete-orphan"
    )


class DisclosureEntry(Syncable, Base):
    """One row of a list: a copy of what is published, frozen once the list is submitted."""

    __tablename__ = "disclosure_entries"
    __table_args__ = (UniqueConstraint("list_id", "complaint_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("disclosure_lists.id"), index=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    respondent: Mapped[str] = mapped_column(String(200))
    respondent_credit_code: Mapped[str | None] = mapped_column(String(18))
    content: Mapped[str] = mapped_column(Text)  # as approved and published
    proposed_content: Mapped[str] = mapped_column(Text)  # the program's masked summary
    success: Mapped[bool] = mapped_column(Boolean)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)  # an approved 不予公示
    corrected_on: Mapped[date | None] = mapped_column(Date)

    list: Mapped[DisclosureList] = relationship(back_populates="entries")


class DisclosureRequest(Syncable, Base):
    """A handling office's objection 不予公示 to a row, or a correction 更正 of a published row."""

    __tablename__ = "disclosure_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # objection / correction
    entry_id: Mapped[int] = mapped_column(ForeignKey("disclosure_entries.id"), index=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))  # the handling office
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str] = mapped_column(Text)
    new_content: Mapped[str | None] = mapped_column(Text)  # a correction's proposed text
    old_content: Mapped[str | None] = mapped_column(Text)  # what was published before it
    requester: Mapped[str] = mapped_column(String(200), default="")  # who asked; "" if found
    requester_address: Mapped[str] = mapped_column(String(200), default="")
    filed_at: Mapped[datetime] = mapped_column(DateTime)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class DisclosureDecision(Syncable, Base):
    """One step in the life of a list or a request: who, when, what, and why (append-only)."""

    __tablename__ = "disclosure_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int | None] = mapped_column(ForeignKey("disclosure_lists.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("disclosure_requests.id"),
                                                   index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    step: Mapped[str] = mapped_column(String(20))
    approve: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime)  # Beijing wall-clock time
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


# -- sync with the district (issue 6) ---------------------------------------------------------
class OutboxOp(Base):
    """One change waiting to go to the district (the transactional outbox).

    Written in the same transaction as the change. Frozen once first sent (`attempts` > 0): a
    later edit makes a new operation. States: pending → sending → acked | rejected | conflict;
    `sending` returns to `pending` when the program starts again; `resolved` marks a conflict
    whose answer went out as a new operation."""

    __tablename__ = "sync_outbox"
    __table_args__ = (
        Index("ix_outbox_status", "status", "id"),
        Index("ix_outbox_record", "record_uuid", "status"),
        Index("ix_outbox_root", "root_uuid", "status"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    entity: Mapped[str] = mapped_column(String(40))
    record_uuid: Mapped[str] = mapped_column(String(36))
    root_uuid: Mapped[str | None] = mapped_column(String(36))  # the complaint it belongs to
    kind: Mapped[str] = mapped_column(String(8))  # upsert / delete
    base_version: Mapped[int] = mapped_column(Integer, default=0)
    before: Mapped[str] = mapped_column(Text, default="{}")
    after: Mapped[str] = mapped_column(Text, default="{}")
    people: Mapped[str] = mapped_column(Text, default="{}")
    made_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    made_by: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    hub_version: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")
    hub_record: Mapped[str | None] = mapped_column(Text)  # on conflict: the hub's fields
    # On refusal: the hub's RefusalCode (protocol 2), e.g. number_taken; '' otherwise.
    code: Mapped[str] = mapped_column(String(32), default="", server_default="")


class SyncRecord(Base):
    """The hub's version of a record as this office last knew it (the base of its next edit)."""

    __tablename__ = "sync_records"
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    hub_version: Mapped[int] = mapped_column(Integer, default=0)


class SyncConflict(Base):
    """One field changed both here and at the district: a user picks the value to keep."""

    __tablename__ = "sync_conflicts"
    id: Mapped[int] = mapped_column(primary_key=True)
    op_id: Mapped[str] = mapped_column(String(36), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    record_uuid: Mapped[str] = mapped_column(String(36), index=True)
    root_uuid: Mapped[str | None] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    office_value: Mapped[str] = mapped_column(Text)  # JSON
    hub_value: Mapped[str] = mapped_column(Text)  # JSON
    hub_version: Mapped[int] = mapped_column(Integer)
    found_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    choice: Mapped[str | None] = mapped_column(String(8))  # office / hub, once resolved
    resolved_by: Mapped[str | None] = mapped_column(String(40))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)


class SyncHeld(Base):
    """A pulled record that cannot be applied yet: it waits for its parent (or a referenced
    record) to arrive; applied the moment that one is."""

    __tablename__ = "sync_held"
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    waiting_entity: Mapped[str] = mapped_column(String(40))
    waiting_uuid: Mapped[str] = mapped_column(String(36), index=True)
    payload: Mapped[str] = mapped_column(Text)  # the PulledRecord as JSON
    held_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Held aside: why this office cannot apply it (a field breaks the contract, its number is
    # another complaint's here). Then waiting_* are ''. A newer version replaces it.
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
