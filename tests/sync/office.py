"""Office programs for the sync scenarios: real office databases talking to a real hub.

`Faults` sits between the office's client and the hub as an httpx transport: every request
really reaches the hub; a test decides what happens to it on the way (a reply dropped after
the hub committed, a reply cut short, a chunk corrupted, an edit made while a push is in flight).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from desktop.db.models import Complaint, OutboxOp
from desktop.db.uow import UnitOfWork
from desktop.sync.client import HubClient
from tests.conftest import World, draft, make_world

Hook = Callable[[httpx.Request, Callable[[], httpx.Response]], httpx.Response]


class Faults(httpx.HTTPTransport):
    """A real transport; `hooks["POST /push"]` (method and a part of the path) may wrap a
    request's round trip."""

    def __init__(self) -> None:
        super().__init__()
        self.hooks: dict[str, Hook] = {}
        self.seen: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, request.url.path))
        for key, hook in list(self.hooks.items()):
            method, part = key.split(" ", 1)
            if request.method == method and part in request.url.path:
                return hook(request, lambda: self._forward(request))
        return self._forward(request)

    def _forward(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        response.read()
        return response


def office(tmp_path: Path, name: str, local: str, hub: Any, *, enrol: bool = True,
           chunk_size: int = 64 * 1024) -> tuple[World, Faults]:
    """An office program (its own database and data folder) enrolled with the hub."""
    world = make_world(tmp_path / name, local_office=local)
    faults = Faults()
    world.s.sync.client_factory = lambda url, token, ca: HubClient(
        url, token=token, ca_bundle=ca, transport=faults, backoff=0, retries=2,
        sleep=lambda _s: None, chunk_size=chunk_size)
    if enrol:
        world.s.sync.enrol(world.admin, hub.url, hub.enrol_code(local))
    return world, faults


def register(world: World, user: Any = None, **overrides: Any) -> int:
    return world.s.complaints.register(user or world.clerk, draft(**overrides)).ids[0]


def edit(world: World, user: Any, complaint_id: int, reason: str | None = None,
         **changes: Any) -> None:
    d = world.s.complaints.get(user, complaint_id)
    values = {k: getattr(d, k) for k in (
        "channel_code", "received_at", "complainant_name", "complainant_phone",
        "complainant_address", "respondent_name", "respondent_credit_code",
        "respondent_address", "subject", "category_code", "request_type", "request", "facts")}
    values["complainant_phone"] = _raw(world, complaint_id, "complainant_phone")
    values["complainant_name"] = _raw(world, complaint_id, "complainant_name")
    values["complainant_address"] = _raw(world, complaint_id, "complainant_address")
    values.update(changes)
    world.s.complaints.edit(user, complaint_id, draft(**values), expected_version=d.version,
                            reason=reason)


def _raw(world: World, complaint_id: int, column: str) -> Any:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return getattr(uow.session.get(Complaint, complaint_id), column)


def by_uuid(world: World, uuid: str) -> Complaint | None:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return uow.session.scalars(select(Complaint).where(Complaint.uuid == uuid)).first()


def uuid_of(world: World, complaint_id: int) -> str:
    return _raw(world, complaint_id, "uuid")


def ops(world: World, status: str | None = None) -> list[OutboxOp]:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        query = select(OutboxOp).order_by(OutboxOp.id)
        if status:
            query = query.where(OutboxOp.status == status)
        return list(uow.session.scalars(query))


def cut_results(keep: int) -> Hook:
    """The hub's reply to a push, listing only the first `keep` operations."""
    def hook(request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
        response = forward()
        body = json.loads(response.content)
        body["results"] = body["results"][:keep]
        return httpx.Response(200, json=body, request=request)
    return hook
