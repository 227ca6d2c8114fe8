"""The hub's door: enrolment codes, device credentials, revocation and sync sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desktop.sync.protocol import (
    OLDEST_PROTOCOL,
    PROTOCOL_SUNSET,
    PROTOCOL_VERSION,
    SESSION_HEADER,
    EnrolResponse,
    ErrorCode,
)


def test_enrolment_binds_the_device_to_the_office_and_tells_it_the_tree(hub):
    code = hub.enrol_code("WZCQ")
    assert len(code) == 9 and code[4] == "-"
    # Typed by hand: lower case, without the dash, with spaces.
    typed = code.lower().replace("-", " ")
    response = hub.http.post("/enrol", json={"code": typed, "device_name": "窗口电脑"})
    assert response.status_code == 200
    enrolled = EnrolResponse.model_validate(response.json())
    assert enrolled.office == "WZCQ" and enrolled.hub_id == hub.hub_id
    assert len(bytes.fromhex(enrolled.bundle_key)) == 32
    # Its office, the ancestors and the descendants; not the sibling sub-bureau.
    assert [o.code for o in enrolled.offices] == ["WZ", "WZCQ", "WZCQ01"]
    assert {d.device_id: d.name for d in hub.devices()} == {enrolled.device_id: "窗口电脑"}


def test_an_enrolment_code_works_once_and_expires(hub):
    code = hub.enrol_code("WZCQ01", days=1)
    assert hub.http.post("/enrol", json={"code": code}).status_code == 200
    again = hub.http.post("/enrol", json={"code": code})
    assert again.status_code == 400
    assert again.json() == {"error": {"code": ErrorCode.BAD_CODE,
                                      "message": "登记码无效、已使用或已过期"}}
    late = hub.enrol_code("WZCQ01", days=1)
    hub.clock.advance(86_400 + 1)
    assert hub.http.post("/enrol", json={"code": late}).json()["error"]["code"] == \
        ErrorCode.BAD_CODE
    assert hub.http.post("/enrol", json={"code": "AAAA-BBBB"}).status_code == 400
    assert len(hub.devices()) == 1


def test_a_program_of_another_protocol_version_is_told_to_upgrade(hub):
    # Older than the oldest protocol the hub accepts: the program must be updated, and may
    # work on offline meanwhile.
    too_old = hub.http.post("/enrol", json={"code": hub.enrol_code("WZ"),
                                            "protocol": OLDEST_PROTOCOL - 1})
    assert too_old.status_code == 400
    assert too_old.json()["error"]["code"] == ErrorCode.PROTOCOL
    assert "升级" in too_old.json()["error"]["message"]
    assert "离线" in too_old.json()["error"]["message"]
    # Newer than the hub: the district must update the hub.
    device = hub.enrol("WZ")
    newer = device.http.post("/sessions", json={"protocol": PROTOCOL_VERSION + 1})
    assert newer.status_code == 400 and newer.json()["error"]["code"] == ErrorCode.PROTOCOL
    assert "请区局管理员先升级区局平台" in newer.json()["error"]["message"]
    # The previous version is served within its window, and told plainly once it has passed.
    assert hub.http.post("/enrol", json={"code": hub.enrol_code("WZ"),
                                         "protocol": 1}).status_code == 200
    until = PROTOCOL_SUNSET[1]
    beijing_today = (hub.clock.now() + timedelta(hours=8)).date()
    hub.clock.advance(((until - beijing_today).days + 1) * 86_400)
    late = device.http.post("/sessions", json={"protocol": 1})
    assert late.status_code == 400 and late.json()["error"]["code"] == ErrorCode.PROTOCOL
    assert until.isoformat() in late.json()["error"]["message"]
    assert device.http.post("/sessions", json={"protocol": PROTOCOL_VERSION}).status_code == 200


def test_unknown_and_revoked_credentials_are_refused_and_nothing_is_written(hub):
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic x"}):
        r = hub.http.post("/push", json={"ops": []}, headers=headers)
        assert r.status_code == 401 and r.json()["error"]["code"] == ErrorCode.UNAUTHORISED
    device = hub.enrol("WZCQ01")
    device.open()
    hub.revoke(device.device_id)
    r = device.call("POST", "/push", json={"ops": [hub.complaint("WZCQ01").model_dump(mode="json")]})
    assert r.status_code == 403
    assert r.json()["error"] == {"code": ErrorCode.REVOKED,
                                 "message": "本设备已被区局停用，请联系区局管理员重新登记"}
    assert device.call("GET", "/pull").status_code == 403
    assert device.call("POST", "/sessions", json={}).status_code == 403
    assert hub.count() == 0
    assert [d.revoked for d in hub.devices()] == [True]


def test_one_session_per_device_until_closed_or_expired(hub):
    device = hub.enrol("WZCQ01")
    first = device.open(backlog=7)
    assert first.expires_in == 120 and first.office == "WZCQ01"
    with pytest.raises(hub.Refused) as busy:
        device.open()
    assert busy.value.status == 409 and busy.value.code == ErrorCode.SESSION_BUSY
    assert busy.value.message == "本设备已有一个同步正在进行，请稍后再试"
    # Each request keeps it alive …
    hub.clock.advance(100)
    assert device.pull().more is False
    hub.clock.advance(100)
    with pytest.raises(hub.Refused):
        device.open()
    # … and 120 s without one ends it.
    hub.clock.advance(121)
    second = device.open()
    assert second.session != first.session
    # The expired session is no longer accepted, the new one is; closing ends it.
    stale = device.call("GET", "/pull", headers={SESSION_HEADER: first.session})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == ErrorCode.SESSION_INVALID
    device.close_session()
    third = device.open()
    assert third.session not in (first.session, second.session)


def test_push_pull_and_blobs_need_an_open_session_of_this_device(hub):
    device = hub.enrol("WZCQ01")
    other = hub.enrol("WZCQ01")
    theirs = other.open()
    no_session = device.call("POST", "/push", json={"ops": []})
    assert no_session.status_code == 409
    assert no_session.json()["error"]["code"] == ErrorCode.SESSION_INVALID
    borrowed = device.call("GET", "/pull", headers={SESSION_HEADER: theirs.session})
    assert borrowed.status_code == 409
    assert device.call("GET", "/blobs/" + "a" * 64).status_code == 409
    # A closed session cannot be closed twice or by another device.
    device.open()
    assert other.http.delete(f"/sessions/{device.session}").status_code == 409
    device.close_session()
    assert device.http.delete(f"/sessions/{theirs.session}").status_code == 409


def test_status_tells_the_device_its_office_and_what_waits_for_it(hub):
    device = hub.enrol("WZCQ01")
    hub.dispatch(office="WZCQ01")
    hub.dispatch(office="WZMD01", district_number="12315-2026-0002")
    status = device.http.get("/status").json()
    assert status["office"] == "WZCQ01" and status["hub_backlog"] == 1
    assert status["last_sync_at"] is None and status["hub_id"] == hub.hub_id
    device.pull_all()
    status = device.http.get("/status").json()
    assert status["hub_backlog"] == 0 and status["last_sync_at"] is not None
