"""What every request needs: the hub's context, and who is asking (device or administrator)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from desktop.sync.protocol import ErrorCode
from district import admin, devices
from district.errors import HubError, Msg
from district.hub import Hub


@dataclass(frozen=True)
class DeviceContext:
    device_id: str
    office: str


def get_hub(request: Request) -> Hub:
    return request.app.state.hub


HubDep = Annotated[Hub, Depends(get_hub)]


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def log_request(request: Request, device: str | None, office: str | None) -> None:
    info = request.scope.get("state", {}).get("log")
    if info is not None:
        info.update(device=device, office=office)


def current_device(request: Request, hub: HubDep,
                   authorization: Annotated[str | None, Header()] = None) -> DeviceContext:
    token = _bearer(authorization)
    with hub.db.read() as session:
        device = devices.authenticate(session, token)
        context = DeviceContext(device.device_id, device.office)
    log_request(request, context.device_id, context.office)
    return context


DeviceDep = Annotated[DeviceContext, Depends(current_device)]


def current_admin(request: Request, hub: HubDep,
                  authorization: Annotated[str | None, Header()] = None) -> None:
    token = _bearer(authorization)
    if token and hub.env_admin_token and hmac.compare_digest(token.encode(),
                                                             hub.env_admin_token.encode()):
        log_request(request, "admin", None)
        return
    if token:
        with hub.db.read() as session:
            if admin.admin_token_valid(session, token):
                log_request(request, "admin", None)
                return
    raise HubError(401, ErrorCode.ADMIN, Msg.ADMIN)


AdminDep = Depends(current_admin)
