"""District administration: offices, enrolment codes, devices, dispatch and admin credentials.

Functions on a Session in the caller's transaction, shared by the admin API and the CLI.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import uuid6
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop.domain.complaint import DISTRICT_DISPATCH_CHANNEL
from desktop.domain.errors import FieldError
from desktop.domain.numbering import check_office_code, dispatch_number
from desktop.domain.offices import check_placement
from desktop.domain.workflow import Status
from desktop.sync.protocol import (
    DeviceInfo,
    DispatchRequest,
    DispatchResponse,
    EnrolCodeResponse,
    ErrorCode,
    OfficeCreate,
    OfficeDevice,
    OfficeStatus,
    OfficeWire,
)
from district import audit, devices, store
from district.errors import HubError, Msg, bad_request, not_found
from district.models import AdminToken, Device, DispatchCounter, Office, Record
from district.numbers import Numbers
from district.offices import load_tree
from district.validate import received_in_future, record_problems

DISPATCHER_NAME = "区局平台"
BEIJING = timezone(timedelta(hours=8))


def utc(value: datetime | None) -> datetime | None:
    """A stored naive UTC time as an aware one, for the wire."""
    return value.replace(tzinfo=UTC) if value is not None else None


# ------------------------------------------------------------------------------ offices
def add_office(session: Session, spec: OfficeCreate, now: datetime) -> OfficeWire:
    try:
        code = check_office_code(spec.code)
    except FieldError as exc:
        raise bad_request(str(exc)) from exc
    if session.get(Office, code) is not None:
        raise HubError(409, ErrorCode.INVALID, Msg.OFFICE_EXISTS.format(code=code))
    parent = spec.parent.strip().upper() if spec.parent else None
    parent_row = session.get(Office, parent) if parent is not None else None
    if parent is not None and parent_row is None:
        raise bad_request(Msg.OFFICE_UNKNOWN.format(code=parent))
    if not spec.name.strip():
        raise bad_request("单位名称不能为空")
    try:  # the same tree rules as the office program's, so what enrolment hands out fits it
        tier = check_placement(spec.kind, spec.tier, parent_row.kind if parent_row else None)
    except FieldError as exc:
        raise bad_request(str(exc)) from exc
    session.add(Office(code=code, name=spec.name.strip(), kind=spec.kind, parent=parent,
                       tier=tier, address=spec.address, phone=spec.phone, created_at=now))
    session.flush()  # no relationship() orders the inserts: rows naming it may follow in this transaction
    return OfficeWire(code=code, name=spec.name.strip(), kind=spec.kind, parent=parent,
                      tier=tier, address=spec.address, phone=spec.phone)


def require_office(session: Session, code: str) -> Office:
    office = session.get(Office, code.strip().upper())
    if office is None:
        raise not_found(Msg.OFFICE_UNKNOWN.format(code=code))
    return office


def office_status(session: Session) -> list[OfficeStatus]:
    """Every office with its devices, last sync, and both backlogs."""
    tree = load_tree(session)
    devices_by_office: dict[str, list[Device]] = {}
    for device in session.execute(select(Device).where(Device.revoked_at.is_(None))).scalars():
        devices_by_office.setdefault(device.office, []).append(device)
    checked = audit.verdicts(session)
    out = []
    for code, office in sorted(tree.offices.items()):
        own = devices_by_office.get(code, [])
        # The laggiest device decides what the office as a whole has not pulled yet.
        pulled = min((d.pulled_seq for d in own), default=0)
        last = max((d.last_sync_at for d in own if d.last_sync_at), default=None)
        reporter = max(own, key=lambda d: d.last_seen_at or datetime.min, default=None)
        out.append(OfficeStatus(
            code=code, name=office.name, kind=office.kind, parent=office.parent, devices=len(own),
            last_sync_at=utc(last), office_backlog=reporter.office_backlog if reporter else 0,
            hub_backlog=store.backlog(session, tree.scope(code), pulled),
            audit_status=checked[code].status if code in checked else None,
            audit_at=utc(checked[code].at) if code in checked else None,
            audit_device=checked[code].device if code in checked else None,
            audit_problem=checked[code].problem if code in checked else None,
            audit_problem_at=utc(checked[code].problem_at) if code in checked else None))
    return out


# ------------------------------------------------------------------------------ devices
def issue_enrol_code(session: Session, office: str, now: datetime, days: int = 7) -> EnrolCodeResponse:
    if not 1 <= days <= 90:
        raise bad_request("登记码有效天数应在 1–90 天之间")
    code = require_office(session, office).code
    text, expires = devices.issue_code(session, code, now, days)
    return EnrolCodeResponse(office=code, code=text, expires_at=utc(expires))


def _device_info(device: Device) -> DeviceInfo:
    return DeviceInfo(device_id=device.device_id, office=device.office, name=device.name,
                      enrolled_at=utc(device.enrolled_at), last_seen_at=utc(device.last_seen_at),
                      revoked=device.revoked_at is not None,
                      last_sync_at=utc(device.last_sync_at), office_backlog=device.office_backlog,
                      number_slot=device.number_slot)


def office_devices(session: Session, office: str, asking: str) -> list[OfficeDevice]:
    """The PCs of an office, for one of them: name, last sync, what waits on each."""
    rows = session.execute(select(Device).where(Device.office == office)
                           .order_by(Device.enrolled_at, Device.device_id)).scalars()
    return [OfficeDevice(**_device_info(d).model_dump(), this=d.device_id == asking)
            for d in rows]


def revoke_office_device(session: Session, office: str, asking: str, device_id: str,
                         now: datetime) -> OfficeDevice:
    """An office's administrator revokes a lost PC of the same office from another of its PCs
    (the district revokes any device with revoke_device)."""
    device = session.get(Device, device_id)
    if device is None:
        raise not_found(Msg.DEVICE_UNKNOWN.format(device=device_id))
    if device.office != office:
        raise not_found(Msg.DEVICE_OTHER_OFFICE.format(device=device_id))
    if device_id == asking:
        raise bad_request(Msg.DEVICE_SELF)
    if device.revoked_at is None:
        device.revoked_at = now
    return OfficeDevice(**_device_info(device).model_dump(), this=False)


def list_devices(session: Session) -> list[DeviceInfo]:
    rows = session.execute(select(Device).order_by(Device.office, Device.enrolled_at)).scalars()
    return [_device_info(d) for d in rows]


def revoke_device(session: Session, device_id: str, now: datetime) -> DeviceInfo:
    device = session.get(Device, device_id)
    if device is None:
        raise not_found(Msg.DEVICE_UNKNOWN.format(device=device_id))
    if device.revoked_at is None:
        device.revoked_at = now
    return _device_info(device)


# ------------------------------------------------------------------------------ admin tokens
def create_admin_token(session: Session, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    session.add(AdminToken(token_hash=devices.digest(token), created_at=now))
    return token


def admin_token_valid(session: Session, token: str) -> bool:
    return session.get(AdminToken, devices.digest(token)) is not None


# ------------------------------------------------------------------------------ dispatch
def dispatcher_uuid(hub_id: str) -> str:
    """The fixed pseudo-user a dispatched complaint is registered by, the same at every office."""
    return str(uuid.uuid5(uuid.UUID(hub_id), "district-dispatch"))


def _beijing(value: datetime) -> datetime:
    """Business times travel as Beijing wall-clock times without a zone, as offices write them."""
    if value.tzinfo is not None:
        value = value.astimezone(BEIJING).replace(tzinfo=None)
    return value.replace(microsecond=0)


# What the district cannot know when it hands a complaint on: the receiving office sets its
# rule set on arrival and completes the addresses and the model when it accepts it.
_DISPATCH_LATER = frozenset({"rule_set_code", "brand_model", "complainant_address",
                             "respondent_address"})


def dispatch(session: Session, request: DispatchRequest, hub_id: str, now: datetime) -> DispatchResponse:
    """分流: a complaint the district registers on an office's behalf, owned by that office."""
    tree = load_tree(session)
    office = request.office.strip().upper()
    if office not in tree:
        raise bad_request(Msg.OFFICE_UNKNOWN.format(code=request.office))
    seq = store.lock_counter(session) + 1
    received = _beijing(request.received_at)
    if refusal := received_in_future(received.isoformat(), now):
        raise bad_request(refusal)
    district = tree.root(office)
    counter = session.execute(
        select(DispatchCounter).where(DispatchCounter.office == district,
                                      DispatchCounter.day == received.date()).with_for_update()
    ).scalar_one_or_none()
    if counter is None:
        counter = DispatchCounter(office=district, day=received.date(), last=0)
        session.add(counter)
    numbers = Numbers(session)
    while True:  # past any number of this form an office's program sent (restored, or forged)
        counter.last += 1
        number = dispatch_number(district, received.date(), counter.last)
        if numbers.holder(number) is None:
            break
    fields = request.model_dump(mode="json", exclude={"office", "received_at"})
    registered_by = dispatcher_uuid(hub_id)
    data: dict[str, Any] = {
        **fields,
        "number": number,
        "channel_code": DISTRICT_DISPATCH_CHANNEL,
        "received_at": received.isoformat(),
        "office": office,
        "status": Status.REGISTERED.value,
        "registered_by": registered_by,
    }
    if found := record_problems("complaints", data, new=True, exempt=_DISPATCH_LATER):
        raise bad_request("未分流：" + "；".join(found.messages))
    if data.get("kind") == "report" and tree.offices[office].kind == "station":
        raise bad_request(f"未分流：{tree.name(office)}（{office}）是投诉站，投诉站不接收举报")
    record_uuid = str(uuid6.uuid7())
    numbers.claim(number, record_uuid)
    numbers.write(now)
    people = {registered_by: DISPATCHER_NAME}
    session.add(Record(uuid=record_uuid, entity="complaints", owner=office, version=1, seq=seq,
                       deleted=False, data=data, people=people, created_at=now, updated_at=now))
    store.insert_history(session, [{
        "entity": "complaints", "uuid": record_uuid, "version": 1, "seq": seq, "op_id": None,
        "device": "district", "kind": "dispatch", "before": {}, "after": data, "at": now}])
    store.save_counter(session, seq)
    return DispatchResponse(uuid=record_uuid, number=number, office=office)


def mark_synced(session: Session, device_id: str, pulled: int, now: datetime,
                backlog: int | None = None) -> None:
    values: dict[str, Any] = {"pulled_seq": pulled, "last_sync_at": now, "last_seen_at": now}
    if backlog is not None:
        values["office_backlog"] = backlog
    session.execute(update(Device).where(Device.device_id == device_id).values(**values))
