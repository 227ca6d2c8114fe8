"""District administration over the admin API; the OpenAPI document, the logs, the schema."""

from __future__ import annotations

import json
import logging
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from desktop.sync.protocol import ErrorCode
from district import logs
from district.db import HubDatabaseError, make_engine, migrate
from district.models import Base


def test_the_admin_api_needs_the_admin_credential(hub):
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        r = hub.http.get("/admin/offices", headers=headers)
        assert r.status_code == 401
        assert r.json()["error"] == {"code": ErrorCode.ADMIN, "message": "区局管理凭据无效"}
    # A device's credential is not an administrator's.
    device = hub.enrol("WZ")
    assert device.http.get("/admin/devices").status_code == 401
    # The token given by the environment (HEJIE_DISTRICT_ADMIN_TOKEN) works besides stored ones.
    hub.state.env_admin_token = "from-the-environment"
    assert hub.http.get("/admin/offices",
                        headers={"Authorization": "Bearer from-the-environment"}).status_code == 200


def test_offices_are_added_under_existing_parents(empty_hub):
    hub = empty_hub
    assert hub.add_office("WZ", "吴中区市场监督管理局", "district").parent is None
    added = hub.add_office("wzcq", "长桥分局", "sub_bureau", "WZ")
    assert (added.code, added.parent) == ("WZCQ", "WZ")
    for body, status, words in (
        ({"code": "WZ", "name": "重复", "kind": "district"}, 409, "已存在"),
        ({"code": "WZX1", "name": "无上级", "kind": "station", "parent": "NOPE"}, 400, "NOPE"),
        ({"code": "w-z", "name": "坏代码", "kind": "station"}, 400, "单位代码"),
        ({"code": "WZX2", "name": "坏类别", "kind": "city"}, 422, "kind"),
        # The office program's tree rules: where each kind may sit, a station's tier.
        ({"code": "WZX3", "name": "无上级的站", "kind": "station", "tier": "large"}, 400, "必须有上级"),
        ({"code": "WZX4", "name": "分局下的分局", "kind": "sub_bureau", "parent": "WZCQ"}, 400,
         "只能设在"),
        ({"code": "WZX5", "name": "没有类别的站", "kind": "station", "parent": "WZCQ"}, 400,
         "投诉站类别"),
    ):
        r = hub.admin.post("/offices", json=body)
        assert r.status_code == status and words in r.json()["error"]["message"], r.json()
    assert sorted(hub.offices()) == ["WZ", "WZCQ"]
    assert hub.admin.post("/offices/NOPE/enrol-codes").status_code == 404
    assert hub.admin.post("/devices/nobody/revoke").status_code == 404


def test_the_office_list_shows_devices_syncs_and_both_backlogs(hub):
    station = hub.enrol("WZCQ01")
    hub.enrol("WZCQ01").close()
    revoked = hub.enrol("WZCQ01")
    hub.revoke(revoked.device_id)
    station.open(backlog=4)
    station.push(hub.complaint("WZCQ01"), hub.complaint("WZCQ01"))
    hub.dispatch(office="WZMD01")
    offices = hub.offices()
    first = offices["WZCQ01"]
    # 4 reported waiting at the session's start, 2 of them answered since (issue 22).
    assert (first.devices, first.office_backlog, first.last_sync_at) == (2, 2, None)
    # Neither of its devices pulled yet: both of its records wait for it.
    assert first.hub_backlog == 2
    assert (offices["WZ"].hub_backlog, offices["WZCQ"].hub_backlog) == (3, 2)
    assert offices["WZMD01"].hub_backlog == 1 and offices["WZMD01"].devices == 0
    station.pull_all()
    for device in hub.devices():
        if device.device_id != station.device_id and not device.revoked:
            hub.revoke(device.device_id)
    after = hub.offices()["WZCQ01"]
    assert after.hub_backlog == 0 and after.last_sync_at is not None and after.devices == 1
    assert {(d.device_id, d.revoked) for d in hub.devices()} >= {(station.device_id, False),
                                                                 (revoked.device_id, True)}


def test_the_openapi_document_describes_the_wire(hub):
    document = hub.http.get("/openapi.json").json()
    paths = document["paths"]
    for path, method in [("/api/v1/enrol", "post"), ("/api/v1/sessions", "post"),
                         ("/api/v1/sessions/{session_id}", "delete"), ("/api/v1/status", "get"),
                         ("/api/v1/push", "post"), ("/api/v1/pull", "get"),
                         ("/api/v1/blobs/{sha256}", "get"), ("/api/v1/blobs/{sha256}", "put"),
                         ("/api/v1/blobs/{sha256}/content", "get"),
                         ("/api/v1/admin/offices", "get"), ("/api/v1/admin/offices", "post"),
                         ("/api/v1/admin/offices/{code}/enrol-codes", "post"),
                         ("/api/v1/admin/devices", "get"),
                         ("/api/v1/admin/devices/{device_id}/revoke", "post"),
                         ("/api/v1/admin/dispatch", "post"), ("/api/v1/admin/bundles", "post")]:
        assert method in paths[path], (path, method)
    schemas = document["components"]["schemas"]
    for model in ("PushRequest", "Operation", "PushResponse", "OpResult", "FieldConflict",
                  "PullResponse", "PulledRecord", "EnrolRequest", "EnrolResponse", "BlobStatus",
                  "ErrorResponse", "DispatchRequest", "OfficeStatus", "SessionResponse"):
        assert model in schemas, model
    push = paths["/api/v1/push"]["post"]
    assert push["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PushRequest")
    assert push["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorResponse")


def test_each_request_is_one_json_log_line(hub):
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(logs.JsonFormatter().format(record)))

    keep = Keep()
    logging.getLogger("district.access").addHandler(keep)
    try:
        device = hub.enrol("WZCQ01")
        device.pull()
        hub.http.get("/status", headers={"Authorization": "Bearer nobody"})
        # The line is written once the reply has gone out: give the server a moment.
        deadline = time.monotonic() + 5
        while not any(line["path"] == "/api/v1/status" for line in lines):
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        logging.getLogger("district.access").removeHandler(keep)
    pulls = [line for line in lines if line["path"] == "/api/v1/pull"]
    assert len(pulls) == 1
    assert pulls[0]["method"] == "GET" and pulls[0]["status"] == 200
    assert pulls[0]["device"] == device.device_id and pulls[0]["office"] == "WZCQ01"
    assert isinstance(pulls[0]["duration_ms"], float)
    refused = [line for line in lines if line["path"] == "/api/v1/status"]
    assert refused[0]["status"] == 401 and refused[0]["device"] is None


def test_the_migrated_schema_matches_the_models_and_a_newer_one_is_refused(hub):
    with hub.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    with hub.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine = make_engine(hub.db_url)
    try:
        with pytest.raises(HubDatabaseError, match="更新版本"):
            migrate(engine)
    finally:
        engine.dispose()
