"""A real district hub on loopback for the sync tests: served over HTTP in a thread, on SQLite
and (with HEJIE_TEST_PG_URL set) on PostgreSQL in a fresh schema per test.

`hub` is the hub with the test district's offices (the codes and names of the office
program's test database, tests/conftest.py); `empty_hub` has no office yet. Both offer the
administrator's actions (through the admin API), a look into the hub's database, and `enrol`,
which gives a small device client speaking the wire directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import ssl
import uuid as uuidlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uuid6
from pydantic import BaseModel
from sqlalchemy import Engine, create_engine, func, select, update
from sqlalchemy.pool import NullPool

from desktop.sync.protocol import (
    API_PREFIX,
    BLOB_SIZE_HEADER,
    CHUNK_HASH_HEADER,
    PROTOCOL_VERSION,
    SESSION_HEADER,
    BlobStatus,
    BundleImportResult,
    DeviceInfo,
    DispatchResponse,
    EnrolResponse,
    OfficeCreate,
    OfficeStatus,
    OfficeWire,
    Operation,
    PulledRecord,
    PullResponse,
    PushResponse,
    SessionResponse,
)
from district import admin, store
from district.app import build_app
from district.db import Clock
from district.hub import Hub, open_hub
from district.models import HubMeta, Record
from district.server import RunningHub, start

PG_ENV = "HEJIE_TEST_PG_URL"
# One TLS context for every client: httpx would build (and load CA files for) one per client.
TLS = ssl.create_default_context()
IMPORT_HEADER = "X-Hejie-Import"

# (code, name, kind, parent, tier): as in tests/conftest.py's OFFICES.
DISTRICT = [
    ("WZ", "吴中区市场监督管理局", "district", None, None),
    ("WZCQ", "长桥分局", "sub_bureau", "WZ", None),
    ("WZMD", "木渎分局", "sub_bureau", "WZ", None),
    ("WZCQ01", "万达广场投诉站", "station", "WZCQ", "large"),
    ("WZMD01", "家居城投诉站", "station", "WZMD", "hotspot"),
]

DISPATCH_DEFAULTS: dict[str, Any] = {
    "district_number": "12315-2026-0001",
    "received_at": "2026-11-19T10:00:00",
    "complainant_name": "王强",
    "complainant_phone": "13900001111",
    "respondent_name": "万达广场某餐厅",
    "subject": "餐饮服务",
    "category_code": "catering",
    "request": "退款",
    "facts": "就餐时发现异物，要求退款。",
}


class HubRefused(Exception):
    """The hub answered with an ErrorResponse."""

    def __init__(self, status: int, code: str, message: str, body: dict[str, Any]) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.body = status, code, message, body


def _check(response: httpx.Response) -> httpx.Response:
    if response.status_code >= 400:
        try:
            body = response.json()
            error = body["error"]
        except (ValueError, KeyError, TypeError):
            raise HubRefused(response.status_code, "?", response.text, {}) from None
        raise HubRefused(response.status_code, error["code"], error["message"], body)
    return response


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], response: httpx.Response) -> M:
    return model.model_validate(_check(response).json())


# ------------------------------------------------------------------------------ operations
def new_uuid() -> str:
    return str(uuid6.uuid7())


def op(entity: str, uuid: str | None = None, after: dict[str, Any] | None = None, *,
       before: dict[str, Any] | None = None, base_version: int = 0, kind: str = "upsert",
       people: dict[str, str] | None = None, op_id: str | None = None) -> Operation:
    return Operation(op_id=op_id or new_uuid(), entity=entity, uuid=uuid or new_uuid(),
                     kind=kind, base_version=base_version, before=before or {},
                     after=after or {}, people=people or {}, made_at=datetime(2026, 11, 20, 10),
                     made_by="tester")


# The clerk who registers the tests' complaints and records their mediations.
CLERK = "0192f0a0-0000-7000-8000-00000000c1e4"


def complaint_fields(office: str, **fields: Any) -> dict[str, Any]:
    """A whole new complaint as an office's program sends it: every field the wire contract
    (desktop/domain/contract.py) wants of a new record."""
    data = {
        "number": f"{office}-20261120-{uuidlib.uuid4().int % 10000:04d}",
        "channel_code": "walk_in", "received_at": "2026-11-20T09:00:00", "office": office,
        "registered_by": CLERK,
        "complainant_name": "张伟", "complainant_phone": "13800001234",
        "complainant_address": "吴中区东吴北路1号",
        "respondent_name": "某汽车4S店", "respondent_address": "吴中区宝带西路2号",
        "subject": "汽车维修", "category_code": "auto", "brand_model": "", "request_type": "",
        "request": "免费维修", "facts": "发动机异响。", "status": "registered",
        "rule_set_code": "GB", "due_on": "2026-12-04",
    }
    data.update(fields)
    return data


def complaint(office: str, uuid: str | None = None, **fields: Any) -> Operation:
    """A new complaint of this office, as an insert operation."""
    return op("complaints", uuid, complaint_fields(office, **fields))


def mediation(complaint_uuid: str, uuid: str | None = None, **fields: Any) -> Operation:
    return op("mediation_records", uuid, {"complaint": complaint_uuid,
                                          "held_at": "2026-11-20T10:00:00", "means": "phone",
                                          "place": "", "participants": "张伟",
                                          "content": "电话沟通。", "result": "",
                                          "recorded_by": CLERK, **fields})


def attachment(complaint_uuid: str, sha: str, size: int, uuid: str | None = None,
               **fields: Any) -> Operation:
    return op("attachments", uuid, {"complaint": complaint_uuid, "sha256": sha,
                                    "filename": "发票.pdf", "size": size, "note": "",
                                    "added_by": CLERK, "added_at": "2026-11-20T10:00:00",
                                    **fields})


# ------------------------------------------------------------------------------ a device
class Device:
    """An enrolled device speaking the wire with httpx (no office program behind it)."""

    def __init__(self, hub: HubFixture, enrolment: EnrolResponse,
                 protocol: int = PROTOCOL_VERSION) -> None:
        self.enrolment = enrolment
        self.protocol = protocol  # the program's, sent at each session's start
        self.device_id = enrolment.device_id
        self.office = enrolment.office
        self.token = enrolment.token
        self.http = httpx.Client(base_url=hub.api, timeout=60, verify=TLS,
                                 headers={"Authorization": f"Bearer {enrolment.token}"})
        self.session: str | None = None

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A raw request with the session header when a session is open."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.session:
            headers.setdefault(SESSION_HEADER, self.session)
        return self.http.request(method, path, headers=headers, **kwargs)

    def open(self, backlog: int = 0) -> SessionResponse:
        opened = _parse(SessionResponse, self.http.post("/sessions", json={
            "backlog": backlog, "protocol": self.protocol}))
        self.session = opened.session
        return opened

    def close_session(self) -> None:
        if self.session:
            _check(self.http.delete(f"/sessions/{self.session}"))
            self.session = None

    def _session(self) -> None:
        if not self.session:
            self.open()

    def push(self, *ops: Operation) -> PushResponse:
        self._session()
        body = {"ops": [o.model_dump(mode="json") for o in ops]}
        return _parse(PushResponse, self.call("POST", "/push", json=body))

    def pull(self, cursor: str = "", limit: int | None = None) -> PullResponse:
        self._session()
        params: dict[str, Any] = {"cursor": cursor}
        if limit is not None:
            params["limit"] = limit
        return _parse(PullResponse, self.call("GET", "/pull", params=params))

    def pull_all(self, cursor: str = "", limit: int | None = None) -> tuple[list[PulledRecord], str]:
        records: list[PulledRecord] = []
        while True:
            page = self.pull(cursor, limit)
            records.extend(page.records)
            cursor = page.cursor
            if not page.more:
                return records, cursor

    def put_chunk(self, sha: str, offset: int, chunk: bytes, size: int,
                  chunk_hash: str | None = None) -> httpx.Response:
        self._session()
        return self.call("PUT", f"/blobs/{sha}", params={"offset": offset}, content=chunk,
                         headers={BLOB_SIZE_HEADER: str(size),
                                  CHUNK_HASH_HEADER: chunk_hash or hashlib.sha256(chunk).hexdigest(),
                                  "Content-Type": "application/octet-stream"})

    def upload(self, data: bytes, chunk: int = 64 * 1024) -> BlobStatus:
        sha = hashlib.sha256(data).hexdigest()
        self._session()
        status = _parse(BlobStatus, self.call("GET", f"/blobs/{sha}"))
        offset = status.received
        while not status.complete:
            status = _parse(BlobStatus, self.put_chunk(sha, offset, data[offset:offset + chunk],
                                                       len(data)))
            offset = status.received
        return status

    def close(self) -> None:
        with contextlib.suppress(HubRefused, httpx.HTTPError):
            self.close_session()
        self.http.close()


# ------------------------------------------------------------------------------ the hub
@dataclass
class HubFixture:
    kind: str  # "sqlite" or "postgresql"
    url: str  # http://127.0.0.1:port — the API is under API_PREFIX
    db_url: str
    admin_token: str
    blob_dir: Path
    clock: Clock
    state: Hub  # the hub's database, files and clock the server answers from
    admin: httpx.Client = field(init=False)  # with the admin credential
    http: httpx.Client = field(init=False)  # without any credential
    _devices: list[Device] = field(default_factory=list)

    # helpers for building operations and the refusal class, reachable from the fixture
    Refused = HubRefused
    op = staticmethod(op)
    complaint = staticmethod(complaint)
    mediation = staticmethod(mediation)
    attachment = staticmethod(attachment)
    new_uuid = staticmethod(new_uuid)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.api, timeout=60, verify=TLS)
        self.admin = httpx.Client(base_url=f"{self.api}/admin", timeout=120, verify=TLS,
                                  headers={"Authorization": f"Bearer {self.admin_token}"})

    @property
    def api(self) -> str:
        return self.url + API_PREFIX

    @property
    def engine(self) -> Engine:
        return self.state.db.engine

    @property
    def hub_id(self) -> str:
        return self.state.db.hub_id

    # -- the administrator (admin API) --------------------------------------------------
    def add_office(self, code: str, name: str, kind: str, parent: str | None = None,
                   tier: str | None = None) -> OfficeWire:
        return _parse(OfficeWire, self.admin.post("/offices", json={
            "code": code, "name": name, "kind": kind, "parent": parent, "tier": tier}))

    def enrol_code(self, office: str, days: int = 7) -> str:
        response = _check(self.admin.post(f"/offices/{office}/enrol-codes", params={"days": days}))
        return response.json()["code"]

    def enrol(self, office: str, name: str = "测试设备",
              protocol: int = PROTOCOL_VERSION) -> Device:
        response = self.http.post("/enrol", json={"code": self.enrol_code(office),
                                                  "device_name": name, "protocol": protocol})
        device = Device(self, _parse(EnrolResponse, response), protocol)
        self._devices.append(device)
        return device

    def dispatch(self, **fields: Any) -> DispatchResponse:
        body = {**DISPATCH_DEFAULTS, **fields}
        return _parse(DispatchResponse, self.admin.post("/dispatch", json=body))

    def revoke(self, device_id: str) -> DeviceInfo:
        return _parse(DeviceInfo, self.admin.post(f"/devices/{device_id}/revoke"))

    def offices(self) -> dict[str, OfficeStatus]:
        response = _check(self.admin.get("/offices"))
        return {o["code"]: OfficeStatus.model_validate(o) for o in response.json()}

    def devices(self) -> list[DeviceInfo]:
        return [DeviceInfo.model_validate(d) for d in _check(self.admin.get("/devices")).json()]

    def import_bundle(self, data: bytes) -> tuple[bytes, BundleImportResult]:
        """The receipt's bytes and the summary; HubRefused (message in Chinese) if refused."""
        response = _check(self.admin.post("/bundles", content=data,
                                          headers={"Content-Type": "application/octet-stream"}))
        return response.content, BundleImportResult.model_validate_json(
            response.headers[IMPORT_HEADER])

    # -- a look into the hub's database ---------------------------------------------------
    def count(self, entity: str | None = None) -> int:
        """Live (not deleted) records, of one entity or all."""
        query = select(func.count()).select_from(Record).where(Record.deleted.is_(False))
        if entity:
            query = query.where(Record.entity == entity)
        with self.state.db.read() as session:
            return session.execute(query).scalar_one()

    def record(self, entity: str, uuid: str) -> dict[str, Any] | None:
        """owner, version, seq, deleted, data, people … of the hub's copy, or None."""
        with self.state.db.read() as session:
            return store.record(session, entity, uuid)

    def history(self, entity: str, uuid: str) -> list[dict[str, Any]]:
        with self.state.db.read() as session:
            return store.history(session, entity, uuid)

    def blob_status(self, sha: str) -> dict[str, Any]:
        with self.state.db.read() as session:
            return self.state.blobs.status(session, sha).model_dump()

    def seq(self) -> int:
        with self.state.db.read() as session:
            return store.high_water(session)[0]

    def set_horizon(self, seq: int) -> None:
        """As if tombstones up to `seq` had been pruned: older cursors are refused."""
        with self.state.db.write() as session:
            session.execute(update(HubMeta).where(HubMeta.id == 1).values(horizon=seq))

    def prune(self, days: int = 0) -> tuple[int, int]:
        with self.state.db.write() as session:
            return store.prune_tombstones(session, self.clock.now() - timedelta(days=days))

    def close(self) -> None:
        for device in self._devices:
            device.close()
        self.admin.close()
        self.http.close()
        self.state.db.engine.dispose()


# ------------------------------------------------------------------------------ fixtures
def _database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    schema = f"hub_{uuidlib.uuid4().hex[:16]}"
    owner = create_engine(base, poolclass=NullPool)
    with owner.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with owner.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        owner.dispose()


@pytest.fixture(scope="session")
def hub_server() -> Iterator[dict[str, RunningHub]]:
    """One server for the session; each test puts its own hub (database, files, clock) behind
    it, which saves the app's start and first-request costs (~0.3 s) per test."""
    servers: dict[str, RunningHub] = {}
    yield servers
    for running in servers.values():
        running.stop()


def _hub(kind: str, tmp_path: Path, populate: bool,
         servers: dict[str, RunningHub]) -> Iterator[HubFixture]:
    for db_url in _database(kind, tmp_path):
        clock = Clock()
        blob_dir = tmp_path / "hub-blobs"
        state = open_hub(db_url, blob_dir, clock=clock)
        if "server" not in servers:
            servers["server"] = start(build_app(state))
        running = servers["server"]
        running.app.state.hub = state
        with state.db.write() as session:
            token = admin.create_admin_token(session, clock.now())
            for code, name, office_kind, parent, tier in DISTRICT if populate else ():
                admin.add_office(session, OfficeCreate(code=code, name=name, kind=office_kind,
                                                       parent=parent, tier=tier), clock.now())
        fixture = HubFixture(kind, running.url, db_url, token, blob_dir, clock, state)
        try:
            yield fixture
        finally:
            fixture.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def hub(request: pytest.FixtureRequest, tmp_path: Path,
        hub_server: dict[str, RunningHub]) -> Iterator[HubFixture]:
    """A running hub holding the test district's five offices."""
    yield from _hub(request.param, tmp_path, True, hub_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_hub(request: pytest.FixtureRequest, tmp_path: Path,
              hub_server: dict[str, RunningHub]) -> Iterator[HubFixture]:
    """A running hub without any office."""
    yield from _hub(request.param, tmp_path, False, hub_server)


@pytest.fixture
def district_tree(hub: HubFixture) -> HubFixture:
    """The same hub, named for what it holds: WZ > WZCQ > WZCQ01, WZ > WZMD > WZMD01."""
    return hub
