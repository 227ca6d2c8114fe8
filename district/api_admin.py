"""The district administrator's endpoints (admin credential): offices, codes, devices,
dispatch and USB bundle import."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from desktop.sync.protocol import (
    API_PREFIX,
    DeviceInfo,
    DispatchRequest,
    DispatchResponse,
    EnrolCodeResponse,
    ErrorResponse,
    OfficeCreate,
    OfficeStatus,
    OfficeWire,
)
from district import admin
from district.bundles import import_bundle
from district.deps import AdminDep, HubDep
from district.errors import bad_request

IMPORT_HEADER = "X-Hejie-Import"
MAX_BUNDLE = 1024 * 1024 * 1024

_ERRORS = {s: {"model": ErrorResponse} for s in (400, 401, 403, 404, 409, 422)}
router = APIRouter(prefix=f"{API_PREFIX}/admin", tags=["admin"], dependencies=[AdminDep],
                   responses=_ERRORS)  # type: ignore[arg-type]


@router.get("/offices", response_model=list[OfficeStatus])
def list_offices(hub: HubDep) -> list[OfficeStatus]:
    with hub.db.read() as session:
        return admin.office_status(session)


@router.post("/offices", response_model=OfficeWire)
def create_office(body: OfficeCreate, hub: HubDep) -> OfficeWire:
    with hub.db.write() as session:
        return admin.add_office(session, body, hub.clock.now())


@router.post("/offices/{code}/enrol-codes", response_model=EnrolCodeResponse)
def enrol_code(code: str, hub: HubDep,
               days: Annotated[int, Query(ge=1, le=90)] = 7) -> EnrolCodeResponse:
    with hub.db.write() as session:
        return admin.issue_enrol_code(session, code, hub.clock.now(), days)


@router.get("/devices", response_model=list[DeviceInfo])
def list_devices(hub: HubDep) -> list[DeviceInfo]:
    with hub.db.read() as session:
        return admin.list_devices(session)


@router.post("/devices/{device_id}/revoke", response_model=DeviceInfo)
def revoke(device_id: str, hub: HubDep) -> DeviceInfo:
    with hub.db.write() as session:
        return admin.revoke_device(session, device_id, hub.clock.now())


@router.post("/dispatch", response_model=DispatchResponse)
def dispatch(body: DispatchRequest, hub: HubDep) -> DispatchResponse:
    with hub.db.write() as session:
        return admin.dispatch(session, body, hub.db.hub_id, hub.clock.now())


@router.post("/bundles", response_class=Response, openapi_extra={
    "requestBody": {"required": True,
                    "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                         "format": "binary"}}}}},
    responses={200: {"content": {"application/octet-stream": {}},
                     "description": f"the signed receipt; the summary (BundleImportResult) as "
                                    f"ASCII JSON in the {IMPORT_HEADER} header"}})
async def bundle_import(request: Request, hub: HubDep) -> Response:
    data = await request.body()
    if len(data) > MAX_BUNDLE:
        raise bad_request(f"同步包过大（上限 {MAX_BUNDLE // 1024 // 1024} MB）")
    receipt, summary = await run_in_threadpool(import_bundle, hub, data)
    header = json.dumps(summary.model_dump(mode="json"), ensure_ascii=True)
    return Response(receipt, media_type="application/octet-stream",
                    headers={IMPORT_HEADER: header})
