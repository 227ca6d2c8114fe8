"""The one wire contract between an office's program and the district hub (PROTOCOL_VERSION).

Both sides import this module: the program's client validates what the hub answers with these
models, the hub (`district/`) declares its FastAPI endpoints with them, so the OpenAPI document
describes exactly what travels. Pure pydantic: no Qt, no SQLAlchemy, no I/O.

Records travel as plain JSON fields named after the office database's columns, with three
rules: local integer keys never travel; a reference to an office is its code (`office`,
`scope_office`), a reference to any other record is its UUID under the column's name without
`_id` (`complaint`, `handler`, `registered_by` …); dates and times are ISO strings.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

# Version 2 (this program): the hub checks every record against desktop/domain/contract.py and
# names the refusal (OpResult.code, .fields); sessions report the clock; audit heads are
# anchored at the hub. A hub accepts programs from OLDEST_PROTOCOL on, and tells an older one
# plainly that it must be updated (ErrorCode.PROTOCOL). The URL prefix stays /api/v1.
PROTOCOL_VERSION = 2
OLDEST_PROTOCOL = 1
# The last day (Beijing) a hub accepts each older protocol: offices that work offline keep an
# older program for weeks, and are told plainly when the day has passed.
PROTOCOL_SUNSET: dict[int, date] = {1: date(2027, 3, 31)}
API_PREFIX = "/api/v1"
SESSION_HEADER = "X-Hejie-Session"
CHUNK_HASH_HEADER = "X-Chunk-SHA256"
BLOB_SIZE_HEADER = "X-Blob-Size"
# Operations per push: the most a hub takes in one (PushRequest); each push is a round trip
# and a transaction at both ends, so fewer, larger ones cost less (issue 24).
PUSH_BATCH = 1000
# Records per pulled page: the most a hub gives (district.store.MAX_PULL, 2000 since the
# first hub), for the same reason.
PULL_PAGE = 2000
CHUNK_SIZE = 256 * 1024


def is_loopback(host: str) -> bool:
    """Plain HTTP is allowed only to this computer: both the client and the hub check it."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --------------------------------------------------------------------------------------------
# What travels: the entities, their parents and who owns them
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EntitySpec:
    """One kind of record that travels.

    `owner` names the field holding the owning office's code for a root record; a child has
    no owner field and belongs to whoever owns its parent (`parents`: the first one set).
    A record with neither (a printed list without a complaint) belongs to the sending office.
    `append_only` records are events: never merged, an update of one is refused.
    `deletable`: an office may delete one (a draft disclosure list rebuilt drops its entries);
    the hub refuses a delete of any other kind, and of a record with live records under it.
    """

    name: str
    label: str
    owner: str | None = None
    parents: tuple[tuple[str, str], ...] = ()  # (wire field, entity)
    append_only: bool = False
    blob_field: str | None = None  # the field naming a file by its SHA-256
    deletable: bool = False


ENTITIES: tuple[EntitySpec, ...] = (
    EntitySpec("complaints", "投诉", owner="office"),
    EntitySpec("clock_pauses", "中止计时", parents=(("complaint", "complaints"),)),
    EntitySpec("mediation_records", "调解记录", parents=(("complaint", "complaints"),),
               append_only=True),
    EntitySpec("attachments", "附件", parents=(("complaint", "complaints"),),
               blob_field="sha256"),
    EntitySpec("printings", "打印记录", parents=(("complaint", "complaints"),),
               append_only=True),
    EntitySpec("follow_ups", "回访记录", parents=(("complaint", "complaints"),),
               append_only=True),
    EntitySpec("notice_deliveries", "送达记录", parents=(("complaint", "complaints"),),
               append_only=True),
    EntitySpec("disclosure_lists", "公示清单", owner="scope_office"),
    EntitySpec("disclosure_entries", "公示条目", parents=(("list", "disclosure_lists"),),
               deletable=True),
    EntitySpec("disclosure_requests", "不予公示/更正申请",
               parents=(("entry", "disclosure_entries"),)),
    EntitySpec("disclosure_decisions", "公示审批",
               parents=(("list", "disclosure_lists"), ("request", "disclosure_requests")),
               append_only=True),
    # The office reference 单位参考资料 (issue 22): one document per office, shared by its PCs —
    # calendar, rule sets, code tables, 企业库. Additive: a hub or program without it is not of
    # another protocol (an older hub refuses its operations by name; an older program skips
    # the pulled documents, as any entity of a newer hub).
    EntitySpec("office_references", "单位参考资料", owner="office"),
)
ENTITY: dict[str, EntitySpec] = {e.name: e for e in ENTITIES}
# Parents before children: the order a full upload sends them in.

# The complaint's status field: the hub checks its changes against the state machine.
STATUS_FIELD = "status"


# --------------------------------------------------------------------------------------------
# Errors: every refusal names a code the client acts on and a Chinese sentence it shows
# --------------------------------------------------------------------------------------------
class ErrorCode:
    BAD_CODE = "enrol_code_invalid"  # enrolment code unknown, used or expired
    UNAUTHORISED = "device_unknown"  # no or wrong credential
    REVOKED = "device_revoked"
    SESSION_BUSY = "session_busy"  # another sync session of this device is running
    SESSION_INVALID = "session_invalid"  # expired, closed or not this device's
    CURSOR_INVALID = "cursor_invalid"  # corrupt, from another hub, or older than the horizon
    PROTOCOL = "protocol_version"
    BLOB_CHUNK = "blob_chunk_invalid"
    BLOB_MISMATCH = "blob_mismatch"
    BLOB_OFFSET = "blob_offset"
    BUNDLE_INVALID = "bundle_invalid"
    NOT_FOUND = "not_found"
    ADMIN = "admin_unauthorised"
    INVALID = "invalid_request"


class RefusalCode:
    """Why the hub refused one operation (OpResult.code), for the office to act on."""

    INVALID = "invalid_fields"  # fields break the contract; OpResult.fields names them
    NUMBER_TAKEN = "number_taken"  # another record of the district has this complaint number
    FUTURE = "received_in_future"  # received more than a day after the hub's clock
    SCOPE = "out_of_scope"
    OTHER = "other"


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


# --------------------------------------------------------------------------------------------
# Enrolment and sessions
# --------------------------------------------------------------------------------------------
class OfficeWire(BaseModel):
    code: str
    name: str
    kind: Literal["district", "sub_bureau", "station"]
    parent: str | None = None  # the parent's code
    tier: str | None = None
    address: str = ""
    phone: str = ""


class EnrolRequest(BaseModel):
    code: str = Field(description="the one-time enrolment code the district administrator issued")
    device_name: str = Field(default="", max_length=100)
    protocol: int = PROTOCOL_VERSION


class EnrolResponse(BaseModel):
    hub_id: str  # this hub's identity; cursors and credentials belong to it
    device_id: str
    token: str  # the device's credential, sent as `Authorization: Bearer …`
    bundle_key: str  # hex; signs USB bundles and receipts (HMAC-SHA256)
    office: str  # the enrolled office's code
    offices: list[OfficeWire]  # the office, its ancestors and its descendants
    # This device's block of each day's complaint numbers (see domain/numbering.py): unique
    # among its office's devices, so PCs of one office registering offline never collide.
    # An older hub sends none: 0, the block a lone PC has always used.
    number_slot: int = Field(default=0, ge=0)


class SessionRequest(BaseModel):
    backlog: int = Field(default=0, ge=0, description="operations waiting at the office")
    protocol: int = PROTOCOL_VERSION


class SessionResponse(BaseModel):
    session: str
    expires_in: int  # seconds without a request before the hub ends it
    office: str
    server_time: datetime  # UTC; the program warns when its own clock is 5 minutes off
    # The device's number block, again: a device enrolled before blocks existed learns its own.
    number_slot: int = Field(default=0, ge=0)


# --------------------------------------------------------------------------------------------
# Audit anchors: the hub keeps each office's audit head (count, hash) at every sync, so a
# rewrite of history that was already anchored is found
# --------------------------------------------------------------------------------------------
class AuditHead(BaseModel):
    count: int = Field(ge=0)  # entries in the office's audit log
    hash: str = Field(max_length=64)  # the hash of the last one ("" for an empty log)


class AuditAnchors(BaseModel):
    """GET /audit?upto=N: the office's latest anchor, and the latest one at or below N."""

    latest: AuditHead | None = None
    upto: AuditHead | None = None


class AuditReport(BaseModel):
    """POST /audit: the office's head, and its own entries' hashes at the anchors' counts."""

    head: AuditHead
    at_latest: str | None = None  # the office's hash of entry `latest.count`, if it has one
    at_upto: str | None = None  # the office's hash of entry `upto.count`


AuditStatus = Literal["anchored", "ok", "restored", "diverged"]


class AuditVerdict(BaseModel):
    """anchored: the first anchor; ok: the log continues the anchored one (the anchor moves);
    restored: shorter than the anchored log but agrees with it — a restore from a backup, sync
    first; diverged: disagrees with what was anchored — history was rewritten."""

    status: AuditStatus
    anchor: AuditHead | None = None  # what the hub holds after this report
    message: str = ""


# --------------------------------------------------------------------------------------------
# Push
# --------------------------------------------------------------------------------------------
class Operation(BaseModel):
    """One change of one record, frozen once it is first sent. `before` holds the changed
    fields' values as the office had them (empty for a new record): the hub compares them
    with its own to tell a merge from a conflict."""

    # At most 64 characters. Not a schema limit on purpose: the hub refuses an over-long id
    # for that one operation, so the rest of the batch still lands.
    op_id: str
    entity: str
    uuid: str
    kind: Literal["upsert", "delete"]
    base_version: int = 0  # the hub's version of the record the office last saw; 0: new to it
    before: dict[str, Any] = Field(default_factory=dict)
    after: dict[str, Any] = Field(default_factory=dict)
    people: dict[str, str] = Field(default_factory=dict)  # user uuid -> display name
    made_at: datetime
    made_by: str = ""


class PushRequest(BaseModel):
    ops: list[Operation] = Field(max_length=1000)


class FieldConflict(BaseModel):
    field: str
    office_value: Any = None
    hub_value: Any = None


OpStatus = Literal["acked", "conflict", "rejected", "deferred"]


class OpResult(BaseModel):
    """The hub's answer for one operation, stored with it: a replay gets the same answer.

    acked: applied (fields merged where others had changed other fields);
    conflict: the fields in `conflicts` were changed at the hub too — nothing of this
      operation was applied; the office picks values and sends a new operation;
    rejected: refused for good (`message` says why; e.g. another office's record);
    deferred: not applied yet (its parent has not arrived); send it again later.
    """

    op_id: str
    status: OpStatus
    version: int | None = None  # the record's hub version after the operation
    # The hub's record is now exactly the office's (the change went onto the version the office
    # knew): the office may take `version` as known. Otherwise others' changes are in it too,
    # and the office's next pull brings the merged record.
    yours: bool = False
    message: str = ""
    conflicts: list[FieldConflict] = Field(default_factory=list)
    hub_record: dict[str, Any] | None = None  # on conflict: the hub's current fields
    # On rejection (protocol 2): a RefusalCode and the wire fields at fault.
    code: str = ""
    fields: list[str] = Field(default_factory=list)


class PushResponse(BaseModel):
    results: list[OpResult]


# --------------------------------------------------------------------------------------------
# Pull
# --------------------------------------------------------------------------------------------
class PulledRecord(BaseModel):
    entity: str
    uuid: str
    version: int
    seq: int
    deleted: bool = False
    owner: str  # office code
    data: dict[str, Any] = Field(default_factory=dict)
    people: dict[str, str] = Field(default_factory=dict)


class PullResponse(BaseModel):
    records: list[PulledRecord]
    cursor: str  # opaque; send it back for the next page
    more: bool  # another page is ready now


# --------------------------------------------------------------------------------------------
# Attachments (the tus idea: ask the offset, continue)
# --------------------------------------------------------------------------------------------
class BlobStatus(BaseModel):
    sha256: str
    size: int | None = None  # declared total size, once an upload has begun
    received: int = 0
    complete: bool = False


# --------------------------------------------------------------------------------------------
# Bundles: the same operations on a USB stick
# --------------------------------------------------------------------------------------------
class BundleImportResult(BaseModel):
    bundle_id: str
    office: str
    already_imported: bool
    acked: int
    conflicts: int
    rejected: int
    deferred: int
    records_out: int  # records the receipt carries back to the office


# --------------------------------------------------------------------------------------------
# District administration
# --------------------------------------------------------------------------------------------
class OfficeCreate(OfficeWire):
    """An office to add at the hub: the fields it travels with to the offices."""


class OfficeStatus(BaseModel):
    code: str
    name: str
    kind: str
    parent: str | None
    devices: int  # enrolled and not revoked
    last_sync_at: datetime | None
    # operations the office reported waiting at its last session, less those its pushes had
    # answered since
    office_backlog: int
    hub_backlog: int  # records for the office it has not pulled yet
    # The worst current audit verdict among the office's devices (each PC has its own log):
    # diverged, then restored, then ok or anchored; when it was given and by which device.
    audit_status: AuditStatus | None = None
    audit_at: datetime | None = None
    audit_device: str | None = None
    # The last restore or rewrite found on any of its devices, kept while later checks agree.
    audit_problem: AuditStatus | None = None
    audit_problem_at: datetime | None = None


class EnrolCodeResponse(BaseModel):
    office: str
    code: str
    expires_at: datetime


class DeviceInfo(BaseModel):
    device_id: str
    office: str
    name: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    revoked: bool
    last_sync_at: datetime | None = None
    office_backlog: int = 0  # operations waiting on that PC at its last session
    number_slot: int = 0


class OfficeDevice(DeviceInfo):
    """GET /devices (a device's credential): one PC of the asking device's office."""

    this: bool = False  # the asking device itself


class DispatchRequest(BaseModel):
    """A complaint the district hands to an office (分流): it arrives in the office's ledger.
    `kind`: 12315 sends 投诉, 举报 and 咨询 alike (a 举报 only to a sub-bureau)."""

    office: str
    kind: Literal["complaint", "report", "consultation"] = "complaint"
    district_number: str = Field(min_length=1, max_length=40)
    received_at: datetime
    complainant_name: str
    complainant_phone: str
    complainant_address: str = ""
    respondent_name: str
    respondent_credit_code: str | None = None
    respondent_address: str = ""
    subject: str
    category_code: str
    request_type: str = ""
    request: str
    facts: str
    amount_cents: int | None = None


class DispatchResponse(BaseModel):
    uuid: str
    number: str
    office: str
