"""The hub's tables (SQLAlchemy 2): offices, devices, records with full history, idempotency.

Technical times are naive UTC. Records are generic: one row per (entity, uuid) holding the wire
fields as JSON, so a new kind of record needs no migration here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key.
BigId = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    # Named constraints: a later SQLite batch migration can find and change them.
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class HubMeta(Base):
    """One row (id 1): who this hub is and the global sequence counter.

    Every writing transaction locks this row first (see store.lock_counter): the lock orders
    the commits, so sequence order is commit order and a pull may trust the committed value.
    """

    __tablename__ = "hub_meta"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hub_id: Mapped[str] = mapped_column(String(36))
    cursor_secret: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # Tombstones at or below this sequence may have been pruned: older cursors are refused.
    horizon: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Office(Base):
    __tablename__ = "offices"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # district / sub_bureau / station
    parent: Mapped[str | None] = mapped_column(ForeignKey("offices.code"))
    tier: Mapped[str | None] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Device(Base):
    __tablename__ = "devices"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office: Mapped[str] = mapped_column(ForeignKey("offices.code"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    bundle_key: Mapped[str] = mapped_column(String(64))  # hex; HMAC key of bundles and receipts
    enrolled_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    pulled_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    office_backlog: Mapped[int] = mapped_column(Integer, default=0)
    # The device's block of its office's daily complaint numbers (numbering.py): given at
    # enrolment, never reused within the office (a revoked PC's offline numbers may exist).
    number_slot: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (Index("ix_devices_office_slot", "office", "number_slot", unique=True),)


class EnrolCode(Base):
    __tablename__ = "enrol_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    office: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    device_id: Mapped[str | None] = mapped_column(String(36))


class SyncSession(Base):
    __tablename__ = "sync_sessions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.device_id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)


class Record(Base):
    """The hub's copy of one record of any entity; a tombstone once deleted."""

    __tablename__ = "records"
    # uuid first: the batch loads look records up by uuid alone.
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    parent_entity: Mapped[str | None] = mapped_column(String(32))
    parent_uuid: Mapped[str | None] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    # Unique by construction (the counter lock); indexed with the owner for pulls and backlogs.
    seq: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    blob: Mapped[str | None] = mapped_column(String(64))  # an attachment's SHA-256
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    people: Mapped[dict[str, str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    # Partial indexes where most rows have no value: every index costs each pushed row.
    __table_args__ = (
        Index("ix_records_owner_seq", "owner", "seq"),
        Index("ix_records_parent_uuid", "parent_uuid",
              postgresql_where=text("parent_uuid IS NOT NULL"),
              sqlite_where=text("parent_uuid IS NOT NULL")),
        Index("ix_records_blob", "blob", postgresql_where=text("blob IS NOT NULL"),
              sqlite_where=text("blob IS NOT NULL")),
    )


class RecordHistory(Base):
    """Every applied change, with the fields before and after: the hub's full history."""

    __tablename__ = "record_history"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    uuid: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger)
    op_id: Mapped[str | None] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(36))  # a device id, or "district"
    kind: Mapped[str] = mapped_column(String(16))  # insert / update / delete / owner / dispatch
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_record_history_record", "uuid", "entity"),)


class OperationRow(Base):
    """Idempotency: the answer given to each operation, replayed when the same device sends it
    again (another device's operation with the same id is weighed on its own)."""

    __tablename__ = "operations"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    op_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime)


class Blob(Base):
    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)


class BundleImport(Base):
    __tablename__ = "bundle_imports"
    bundle_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    receipt: Mapped[bytes] = mapped_column(LargeBinary)


class AdminToken(Base):
    __tablename__ = "admin_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class DispatchCounter(Base):
    """The district's daily complaint-number sequence for dispatched complaints."""

    __tablename__ = "dispatch_counters"
    office: Mapped[str] = mapped_column(String(12), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class ComplaintNumber(Base):
    """Which complaint holds each complaint number: a number is unique across the district."""

    __tablename__ = "complaint_numbers"
    number: Mapped[str] = mapped_column(String(64), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_complaint_numbers_uuid", "uuid"),)


class BlobUpload(Base):
    """A device that sent a file's bytes: it may learn how far the upload stands.

    `shadow`: the device's own copy, kept apart (partial/<sha>.<device>) because the shared
    upload already held another device's bytes; `proven` once its whole hash was checked.
    """

    __tablename__ = "blob_uploads"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shadow: Mapped[bool] = mapped_column(Boolean, default=False)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    proven: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(DateTime)


class AuditAnchor(Base):
    """A device's audit head (entries, hash of the last) as reported at a sync: each PC's
    database has its own chain, so anchors and their lines are per device."""

    __tablename__ = "audit_anchors"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    office: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    count: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(DateTime)
    # The first anchor of a new line: the device's database was restored from a backup (or the
    # administrator accepted its log); the device's anchors before it no longer count.
    rebase: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (Index("ix_audit_anchors_device_count", "device", "count"),)


class AuditCheck(Base):
    """The last audit check of each device, with its office: the administrator's office list
    shows the worst of an office's devices."""

    __tablename__ = "audit_verdicts"
    device: Mapped[str] = mapped_column(String(36), primary_key=True)
    office: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    status: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime)
    # The last restore or rewrite found, kept when later checks agree again.
    problem: Mapped[str | None] = mapped_column(String(16))
    problem_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The administrator accepted the device's log as it is (hejie-district office audit-accept):
    # its next report starts a new line of anchors.
    accept_next: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (Index("ix_audit_verdicts_office", "office"),)
