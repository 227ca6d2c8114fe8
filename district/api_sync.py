"""The endpoints an office's program calls: enrolment, sessions, push, pull, attachments."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

import orjson
from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from desktop import collector
from desktop.sync.protocol import (
    API_PREFIX,
    BLOB_SIZE_HEADER,
    CHUNK_HASH_HEADER,
    PROTOCOL_VERSION,
    PULL_PAGE,
    SESSION_HEADER,
    AuditAnchors,
    AuditReport,
    AuditVerdict,
    BlobStatus,
    EnrolRequest,
    EnrolResponse,
    ErrorCode,
    ErrorResponse,
    OfficeDevice,
    PullResponse,
    PushRequest,
    PushResponse,
    SessionRequest,
    SessionResponse,
)
from district import admin, audit, cursor, devices, store
from district.blobs import check_sha
from district.deps import DeviceContext, DeviceDep, HubDep, log_request
from district.errors import HubError, Msg, not_found
from district.fast_json import OrjsonRoute
from district.hub import Hub
from district.models import Device
from district.offices import load_tree
from district.push import Actor, apply_ops

MAX_CHUNK = 8 * 1024 * 1024
# A full batch of operations with long texts is a few MB; anything far beyond is refused from
# its Content-Length (or once that much has arrived), never read whole into memory.
MAX_PUSH = 32 * 1024 * 1024
_READ = 256 * 1024

_ERRORS = {s: {"model": ErrorResponse} for s in (400, 401, 403, 404, 409, 410, 422)}
router = APIRouter(prefix=API_PREFIX, tags=["sync"], responses=_ERRORS, route_class=OrjsonRoute)  # type: ignore[arg-type]

SessionId = Annotated[str | None, Header(alias=SESSION_HEADER)]


class DeviceStatus(BaseModel):
    """GET /status: what the hub knows of the asking device (not in the wire contract yet)."""

    hub_id: str
    device_id: str
    office: str
    last_sync_at: datetime | None
    hub_backlog: int  # records for the office it has not pulled yet
    server_time: datetime


class Health(BaseModel):
    status: str
    protocol: int
    hub_id: str


@router.get("/health", response_model=Health)
def health(hub: HubDep) -> Health:
    return Health(status="ok", protocol=PROTOCOL_VERSION, hub_id=hub.db.hub_id)


@router.post("/enrol", response_model=EnrolResponse)
def enrol(request: Request, body: EnrolRequest, hub: HubDep) -> EnrolResponse:
    devices.check_protocol(body.protocol, hub.clock.now())
    with hub.db.write() as session:
        enrolled = devices.enrol(session, body.code, body.device_name, hub.db.hub_id,
                                 hub.clock.now())
    log_request(request, enrolled.device_id, enrolled.office)
    return enrolled


@router.post("/sessions", response_model=SessionResponse)
def open_session(body: SessionRequest, device: DeviceDep, hub: HubDep) -> SessionResponse:
    devices.check_protocol(body.protocol, hub.clock.now())
    with hub.db.write() as session:
        opened = devices.start_session(session, device.device_id, body.backlog, hub.clock.now(),
                                       hub.session_ttl)
        slot = session.get(Device, device.device_id).number_slot  # type: ignore[union-attr]
    return SessionResponse(session=opened.id, expires_in=hub.session_ttl, office=device.office,
                           server_time=admin.utc(hub.clock.now()), number_slot=slot)


@router.delete("/sessions/{session_id}", status_code=204)
def close_session(session_id: str, device: DeviceDep, hub: HubDep) -> Response:
    with hub.db.write() as session:
        devices.end_session(session, device.device_id, session_id, hub.clock.now())
    return Response(status_code=204)


@router.get("/status", response_model=DeviceStatus)
def status(device: DeviceDep, hub: HubDep) -> DeviceStatus:
    with hub.db.read() as session:
        row = session.get(Device, device.device_id)
        assert row is not None
        scope = load_tree(session).scope(device.office)
        backlog = store.backlog(session, scope, row.pulled_seq)
        return DeviceStatus(hub_id=hub.db.hub_id, device_id=row.device_id, office=row.office,
                            last_sync_at=admin.utc(row.last_sync_at), hub_backlog=backlog,
                            server_time=admin.utc(hub.clock.now()))


# ------------------------------------------------------------------------------ the office's PCs
# No session needed: the settings page lists them, and the office's administrator revokes a
# lost PC, outside a sync. The device's credential says which office; the program lets only
# its administrators ask.
@router.get("/devices", response_model=list[OfficeDevice])
def office_devices(device: DeviceDep, hub: HubDep) -> list[OfficeDevice]:
    with hub.db.read() as session:
        return admin.office_devices(session, device.office, device.device_id)


@router.post("/devices/{device_id}/revoke", response_model=OfficeDevice)
def revoke_office_device(device_id: str, device: DeviceDep, hub: HubDep) -> OfficeDevice:
    with hub.db.write() as session:
        return admin.revoke_office_device(session, device.office, device.device_id, device_id,
                                          hub.clock.now())


# ------------------------------------------------------------------------------ audit anchors
# A session is optional, as for /status: `audit verify` asks outside a sync too.
@router.get("/audit", response_model=AuditAnchors)
def audit_anchors(device: DeviceDep, hub: HubDep, upto: Annotated[int, Query(ge=0)],
                  session_id: SessionId = None) -> AuditAnchors:
    if session_id is not None:
        with hub.db.write() as session:
            _touch(session, hub, device, session_id)
    with hub.db.read() as session:
        return audit.anchors(session, device.device_id, upto)


@router.post("/audit", response_model=AuditVerdict)
def audit_report(body: AuditReport, device: DeviceDep, hub: HubDep,
                 session_id: SessionId = None) -> AuditVerdict:
    with hub.db.write() as session:
        if session_id is not None:
            _touch(session, hub, device, session_id)
        return audit.report(session, device.office, device.device_id, body, hub.clock.now())


def _touch(session: Session, hub: Hub, device: DeviceContext, session_id: str | None) -> None:
    """Check the sync session and keep it alive, inside the request's write transaction."""
    devices.touch_session(session, device.device_id, session_id, hub.clock.now(),
                          hub.session_ttl)


@router.post("/push", response_model=PushResponse)
def push(body: PushRequest, device: DeviceDep, hub: HubDep, session_id: SessionId = None) -> Response:
    now = hub.clock.now()
    with hub.db.write() as session:
        seq = store.lock_counter(session)  # first, as every writer of records does (see store)
        devices.touch_session(session, device.device_id, session_id, now, hub.session_ttl)
        tree = load_tree(session)
        with collector.held():  # the batch's work, not the wait for the counter's lock
            results = apply_ops(session, Actor(device.device_id, device.office), tree, body.ops,
                                now, seq)
        devices.settled(session, device.device_id,
                        sum(1 for r in results if r.status != "deferred"))
    # Serialised once, by pydantic: returned as the model, FastAPI would validate the
    # thousand results again and encode them a second time.
    with collector.held():
        answer = PushResponse(results=results).model_dump_json()
    return Response(answer, media_type="application/json")


@router.get("/pull", response_model=PullResponse)
def pull(device: DeviceDep, hub: HubDep, session_id: SessionId = None,
         cursor_text: Annotated[str, Query(alias="cursor")] = "",
         limit: Annotated[int, Query(ge=1, le=store.MAX_PULL)] = PULL_PAGE) -> Response:
    hub_id, secret = hub.db.identity()
    with collector.held(), hub.db.read() as session:
        upto, horizon = store.high_water(session)
        after = cursor.decode(cursor_text, hub_id, secret, horizon)
        if after > upto:  # signed by this hub, yet ahead of it: a restored database
            raise cursor.CursorInvalid()
        scope = load_tree(session).scope(device.office)
        records, last, more = store.pull_page_json(session, scope, after, upto, limit)
    position = last if more else upto
    with hub.db.write() as session:  # one write per page: the session, and where it stands
        _touch(session, hub, device, session_id)
        admin.mark_synced(session, device.device_id, position, hub.clock.now())
    # A PullResponse, written here: the records' stored JSON goes out as it is (store.py).
    body = b'{"records":' + records + b',"cursor":' \
        + orjson.dumps(cursor.encode(hub_id, secret, position)) \
        + b',"more":' + (b"true" if more else b"false") + b"}"
    return Response(body, media_type="application/json")


# ------------------------------------------------------------------------------ attachments
@router.get("/blobs/{sha256}", response_model=BlobStatus)
def blob_status(sha256: str, device: DeviceDep, hub: HubDep,
                session_id: SessionId = None) -> BlobStatus:
    check_sha(sha256)
    with hub.db.write() as session:
        _touch(session, hub, device, session_id)
        scope = load_tree(session).scope(device.office)
        return hub.blobs.status_for(session, sha256, device.device_id, scope)


@router.put("/blobs/{sha256}", response_model=BlobStatus, openapi_extra={
    "requestBody": {"required": True,
                    "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                         "format": "binary"}}}}})
async def blob_put(request: Request, sha256: str, device: DeviceDep, hub: HubDep,
                   offset: Annotated[int, Query(ge=0)],
                   size: Annotated[int, Header(alias=BLOB_SIZE_HEADER, ge=0)],
                   chunk_hash: Annotated[str, Header(alias=CHUNK_HASH_HEADER)],
                   session_id: SessionId = None) -> BlobStatus:
    """One chunk at `offset`; the upload resumes where GET says the hub stands."""
    check_sha(sha256)
    data = await request.body()
    if len(data) > MAX_CHUNK:
        raise HubError(413, ErrorCode.BLOB_CHUNK, f"附件分块过大（上限 {MAX_CHUNK} 字节）")

    def put() -> BlobStatus:
        now = hub.clock.now()
        with hub.db.write() as session:
            _touch(session, hub, device, session_id)
            scope = load_tree(session).scope(device.office)
            outcome = hub.blobs.put_chunk(session, sha256, offset, size, chunk_hash, data, now,
                                          device.device_id, scope)
        if outcome.error is not None:
            raise outcome.error
        return outcome.status

    return await run_in_threadpool(put)


def _range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end exclusive) of `bytes=N-` or `bytes=N-M`; None without a Range header."""
    if not header:
        return None
    unit, _, spec = header.partition("=")
    first, _, last = spec.strip().partition("-")
    try:
        if unit.strip().lower() != "bytes" or "," in spec or not first:
            raise ValueError(header)
        start = int(first)
        end = min(int(last) + 1, size) if last else size
    except ValueError as exc:
        raise HubError(416, ErrorCode.INVALID, Msg.RANGE.format(range=header)) from exc
    if start >= size or end <= start:
        raise HubError(416, ErrorCode.INVALID, Msg.RANGE.format(range=header))
    return start, end


@router.get("/blobs/{sha256}/content", response_class=StreamingResponse, responses={
    200: {"content": {"application/octet-stream": {}}},
    206: {"content": {"application/octet-stream": {}}, "description": "the requested range"}})
def blob_content(sha256: str, device: DeviceDep, hub: HubDep, session_id: SessionId = None,
                 range_header: Annotated[str | None, Header(alias="Range")] = None) -> StreamingResponse:
    """An attachment's bytes, for offices whose records name it; `Range: bytes=N-` resumes."""
    check_sha(sha256)
    with hub.db.write() as session:
        _touch(session, hub, device, session_id)
        scope = load_tree(session).scope(device.office)
        if not (store.blob_visible(session, sha256, scope)
                and hub.blobs.is_complete(session, sha256)):
            raise not_found()
    path = hub.blobs.path(sha256)
    size = path.stat().st_size
    span = _range(range_header, size)
    start, end = span or (0, size)

    def chunks() -> Iterator[bytes]:
        with path.open("rb") as f:
            f.seek(start)
            left = end - start
            while left > 0:
                chunk = f.read(min(_READ, left))
                if not chunk:
                    break
                left -= len(chunk)
                yield chunk

    headers = {"Content-Length": str(end - start), "Accept-Ranges": "bytes"}
    if span is not None:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    return StreamingResponse(chunks(), status_code=206 if span else 200, headers=headers,
                             media_type="application/octet-stream")
