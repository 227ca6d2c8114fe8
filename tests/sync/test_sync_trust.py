"""Issue 14 on the office's side: what it does with records it cannot apply and with the hub's
refusals. Office programs against the real hub over loopback (SQLite and, with
HEJIE_TEST_PG_URL, PostgreSQL).

The refusals come from the real hub (a received time more than a day ahead of its clock, a
complaint number it already holds for another record). Bad records *arriving* are put into the
real hub's pull reply on the way (`inject`): a validating hub never hands them on, but an office
must survive a hub (an older one, or one restored with bad data) that does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from desktop.cli.main import main as cli
from desktop.db.models import AuditEntry, Complaint
from desktop.db.repositories import CodeRepository
from desktop.db.sync.wire import Codec
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import DomainError
from desktop.sync.client import SyncError
from desktop.sync.protocol import OLDEST_PROTOCOL, ErrorCode
from tests.sync.office import by_uuid, edit, office, ops, register, uuid_of


# ------------------------------------------------------------------------------ helpers
def recording(seen: list[dict[str, Any]]) -> Callable:
    """A push hook that notes each operation the office sends and forwards the request as is."""
    def hook(request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
        seen.extend(json.loads(request.content)["ops"])
        return forward()
    return hook


def inject(records: list[dict[str, Any]]) -> Callable:
    """A pull hook: these records come first in the next page the real hub sends, once."""
    pending = list(records)

    def hook(request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
        response = forward()
        body = json.loads(response.content)
        body["records"] = pending + body["records"]
        pending.clear()
        return httpx.Response(response.status_code, json=body, request=request)
    return hook


def pulled(entity: str, uuid: str, data: dict[str, Any], version: int = 1,
           owner: str = "WZCQ01") -> dict[str, Any]:
    return {"entity": entity, "uuid": uuid, "version": version, "seq": 1, "deleted": False,
            "owner": owner, "data": data, "people": {}}


def wire(world: Any, complaint_id: int) -> dict[str, Any]:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return Codec(uow.session).record("complaints", uow.session.get(Complaint, complaint_id))


# ------------------------------------------------------------------------------ 1. held aside
def test_records_the_office_cannot_apply_are_held_aside_and_the_rest_arrives(hub, tmp_path, capsys):
    source, _ = office(tmp_path, "source", "WZCQ01", hub, enrol=False)
    good = wire(source, register(source))  # a whole, valid complaint to spoil a field of
    station, faults = office(tmp_path, "station", "WZCQ01", hub)
    mine = register(station, complainant_name="本站投诉人")
    taken = by_uuid(station, uuid_of(station, mine)).number
    complaint_uuid = hub.new_uuid()
    bad = {
        "garbage": pulled("complaints", hub.new_uuid(), {**good, "received_at": "garbage",
                                                         "number": "WZCQ01-20261120-0901"}),
        "null": pulled("complaints", complaint_uuid, {**good, "complainant_name": None,
                                                      "number": "WZCQ01-20261120-0902"}),
        "number": pulled("complaints", hub.new_uuid(), {**good, "number": taken}),
        "abc": pulled("complaints", hub.new_uuid(), {**good, "amount_cents": "abc",
                                                     "number": "WZCQ01-20261120-0903"}),
        "sha": pulled("attachments", hub.new_uuid(), {
            "complaint": uuid_of(station, mine), "filename": "发票.jpg", "size": 10,
            "note": "", "added_by": good["registered_by"],
            "added_at": "2026-11-20T10:00:00"}),
    }
    dispatched = hub.dispatch(office="WZCQ01")
    faults.hooks["GET /pull"] = inject(list(bad.values()))

    report = station.s.sync.run()  # before: ValueError / NOT NULL / UNIQUE, nothing arrived

    assert report.set_aside == 5
    assert by_uuid(station, dispatched.uuid) is not None  # what came after still arrived
    status = station.s.sync.status()
    assert status.set_aside == 5 and status.held == 0
    reasons = {item.uuid: item for item in status.set_aside_items}
    assert "接收时间" in reasons[bad["garbage"]["uuid"]].reason
    assert reasons[complaint_uuid].reason == "投诉人姓名不能为空"
    assert reasons[complaint_uuid].what == "投诉 WZCQ01-20261120-0902"
    assert f"投诉单号 {taken} 与本机已有的另一件投诉相同" == reasons[bad["number"]["uuid"]].reason
    assert reasons[bad["abc"]["uuid"]].reason == "涉案金额应为整数"
    assert "文件校验值缺失" in reasons[bad["sha"]["uuid"]].reason
    assert reasons[bad["sha"]["uuid"]].what == f"附件（投诉 {taken}）"
    with UnitOfWork(station.s.ctx.engine, write=False) as uow:  # the cursor moved on
        assert CodeRepository(uow.session).settings_under("sync.")["cursor"]

    # A newer, good version of a record held aside replaces it and is applied.
    fixed = pulled("complaints", complaint_uuid, {**good, "complainant_name": "李四",
                                                  "number": "WZCQ01-20261120-0902"}, version=2)
    faults.hooks["GET /pull"] = inject([fixed])
    station.s.sync.run()
    assert by_uuid(station, complaint_uuid).complainant_name == "李四"
    assert station.s.sync.status().set_aside == 4

    # The command line lists them.
    data_dir = station.s.ctx.data_dir
    station.s.close()
    capsys.readouterr()
    assert cli(["sync", "status", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "区局发来但本机无法接收的记录：4 项" in out
    assert "投诉 WZCQ01-20261120-0901" in out and "涉案金额应为整数" in out


def test_a_record_that_fails_only_in_the_database_is_held_aside_alone(tmp_path):
    """Two disclosure lists of one office and month: the second breaks a unique constraint the
    checks do not look at. The page goes again record by record; the first is applied."""
    from tests.conftest import make_world

    world = make_world(tmp_path / "office", local_office="WZCQ")
    lists = [pulled("disclosure_lists", str(__import__("uuid").uuid4()), {
        "scope_office": "WZCQ", "month": "2026-10-01", "status": "draft", "round": 1,
        "revision": 0, "enterprise_figures": "[]", "channels": ""}, owner="WZCQ")
        for _ in range(2)]
    from desktop.sync.protocol import PulledRecord

    applied = world.s.sync.apply_records([PulledRecord.model_validate(r) for r in lists], "c1")
    assert applied.applied == 1 and applied.set_aside == 1
    [item] = world.s.sync.status().set_aside_items
    assert item.uuid == lists[1]["uuid"] and "与本机已有的记录冲突" in item.reason
    assert "WZCQ" not in item.reason  # the values stay out of the reason


# ------------------------------------------------------------------------------ 2. failures
def test_a_round_that_crashes_is_shown_as_the_last_failure_beside_the_last_success(hub, tmp_path):
    station, faults = office(tmp_path, "station", "WZCQ01", hub)
    register(station)
    station.s.sync.run()
    before = station.s.sync.status()
    assert before.last_success.startswith("发送 1 项") and not before.last_failure

    def garbled(request, forward):
        forward()
        return httpx.Response(200, content=b'{"records": "not a list"}', request=request)

    faults.hooks["GET /pull"] = garbled
    station.clock.at += timedelta(minutes=5)
    with pytest.raises(ValueError) as raised:  # pydantic's ValidationError: a fault here
        station.s.sync.run()
    assert not isinstance(raised.value, DomainError)
    status = station.s.sync.status()
    assert status.last_success == before.last_success  # still there, with its time
    assert status.last_success_at == before.last_success_at
    assert status.last_failure == ("同步失败：程序内部错误（ValidationError），"
                                   "请把错误报告交给技术支持；数据仍保存在本机")
    assert status.failed_last and status.last_failure_at > status.last_success_at


# ------------------------------------------------------------------------------ 3. refused insert
def test_an_insert_refused_for_a_field_goes_again_whole_once_the_field_is_fixed(hub, tmp_path):
    station, faults = office(tmp_path, "station", "WZCQ01", hub)
    station.clock.at = datetime.now() + timedelta(days=3)  # a PC whose clock is 3 days fast
    cid = register(station, received_at=station.clock.at - timedelta(hours=1))
    uuid = uuid_of(station, cid)
    sent: list[dict[str, Any]] = []
    faults.hooks["POST /push"] = recording(sent)
    report = station.s.sync.run()
    assert report.rejected == 1 and hub.record("complaints", uuid) is None
    assert station.s.sync.states([uuid]) == {uuid: "rejected"}

    # The clerk corrects the received time through the ordinary edit.
    station.clock.at = datetime.now()
    edit(station, station.clerk, cid, received_at=datetime.now() - timedelta(days=1))
    sent.clear()
    report = station.s.sync.run()

    assert report.pushed == 1 and report.rejected == 0
    [again] = sent
    assert again["base_version"] == 0 and again["before"] == {}
    assert again["after"]["complainant_name"] == "张伟"  # the whole record, not the change
    stored = hub.record("complaints", uuid)
    assert stored is not None and stored["data"]["complainant_phone"] == "13812345678"
    assert station.s.sync.states([uuid]) == {uuid: "synced"}
    assert [o.status for o in ops(station)] == ["superseded", "acked"]


# ------------------------------------------------------------------------------ 4. renumbering
def test_a_number_the_district_already_has_is_replaced_by_the_next_free_one(hub, tmp_path):
    station, faults = office(tmp_path, "station", "WZCQ01", hub)
    # The same number was handed out before (a restore from a backup on another PC).
    other = hub.enrol("WZCQ01", "旧电脑")
    old_uuid = hub.new_uuid()
    other.push(hub.complaint("WZCQ01", old_uuid, number="WZCQ01-20261119-0001",
                             received_at="2026-11-19T09:00:00", registered_by=hub.new_uuid()))
    cid = register(station)
    uuid = uuid_of(station, cid)
    assert by_uuid(station, uuid).number == "WZCQ01-20261119-0001"

    report = station.s.sync.run()

    text = "投诉单号 WZCQ01-20261119-0001 与区局已有单号重复，已改为 WZCQ01-20261119-0002"
    assert report.renumbered == [text] and text in report.messages
    assert by_uuid(station, uuid).number == "WZCQ01-20261119-0002"
    assert hub.record("complaints", uuid)["data"]["number"] == "WZCQ01-20261119-0002"
    assert by_uuid(station, old_uuid).number == "WZCQ01-20261119-0001"  # the other one arrived
    assert station.s.sync.states([uuid]) == {uuid: "synced"}
    assert station.s.sync.status().renumbered == (text,)
    with UnitOfWork(station.s.ctx.engine, write=False) as uow:
        entry = uow.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "重新编号", AuditEntry.entity == "complaints")).one()
    assert entry.entity_uuid == uuid and entry.reason == text
    assert json.loads(entry.before)["number"] == "WZCQ01-20261119-0001"
    assert json.loads(entry.after)["number"] == "WZCQ01-20261119-0002"
    # The next registration of the day does not take either number.
    assert by_uuid(station, uuid_of(station, register(station))).number == "WZCQ01-20261119-0003"


# ------------------------------------------------------------------------------ 5. sessions
def test_a_session_the_hub_did_not_hear_end_is_ended_at_the_next_round(hub, tmp_path):
    station, faults = office(tmp_path, "station", "WZCQ01", hub)
    register(station)

    def hub_gone(request, forward):
        raise httpx.ConnectError("connection refused", request=request)

    faults.hooks["DELETE /sessions"] = hub_gone
    station.s.sync.run()
    assert station.s.sync._read()["session"]  # noqa: SLF001 - still open at the hub: kept
    del faults.hooks["DELETE /sessions"]
    register(station)
    report = station.s.sync.run()  # before: 本设备已有一个同步正在进行 for two minutes
    assert report.pushed == 1
    assert station.s.sync._read()["session"] == ""  # noqa: SLF001
    assert [m for m, p in faults.seen if m == "DELETE"] == ["DELETE"] * 3


# ------------------------------------------------------------------------------ 6. clock
def test_a_clock_more_than_five_minutes_off_the_hubs_is_warned_about(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    hub.clock.advance(-12 * 60)  # the hub's clock 12 minutes behind this PC's
    report = station.s.sync.run()
    warning = "本机时钟与区局平台相差约 12 分钟，请校准本机时间：登记时间以本机时钟为准"
    assert report.clock_warning == warning and warning in report.messages
    assert station.s.sync.status().clock_warning == warning
    hub.clock.advance(12 * 60 - 3 * 60)  # 3 minutes: within bounds
    assert station.s.sync.run().clock_warning == ""
    assert station.s.sync.status().clock_warning == ""


# ------------------------------------------------------------------------------ 7. protocol
def test_a_hub_refusing_this_programs_protocol_says_update_not_network(hub, tmp_path):
    station, faults = office(tmp_path, "station", "WZCQ01", hub)
    register(station)

    def old_program(request, forward):
        body = json.loads(request.content)
        body["protocol"] = OLDEST_PROTOCOL - 1  # a program older than the hub still serves
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        return faults._forward(httpx.Request(request.method, request.url, headers=headers,  # noqa: SLF001
                                             json=body))

    faults.hooks["POST /sessions"] = old_program
    with pytest.raises(SyncError) as raised:
        station.s.sync.run()
    assert raised.value.code == ErrorCode.PROTOCOL
    assert "须升级本程序" in str(raised.value) and "可照常登记和办理投诉" in str(raised.value)
    status = station.s.sync.status()
    assert status.outdated and "须升级本程序" in status.last_failure
    assert status.waiting == 1  # kept for when it can sync
    del faults.hooks["POST /sessions"]
    station.s.sync.run()
    assert not station.s.sync.status().outdated


def test_fields_of_a_newer_hub_in_its_answers_are_ignored(hub, tmp_path):
    station, faults = office(tmp_path, "station", "WZCQ01", hub)
    register(station)

    def newer(request, forward):
        body = json.loads(forward().content)
        for result in body["results"]:
            result |= {"hint": "新版本的说明", "severity": 2, "fields": [], "code": ""}
        return httpx.Response(200, json={**body, "server_note": {"x": 1}}, request=request)

    faults.hooks["POST /push"] = newer
    faults.hooks["GET /pull"] = lambda request, forward: httpx.Response(
        200, json={**json.loads(forward().content), "watermark": 7}, request=request)
    report = station.s.sync.run()
    assert report.pushed == 1
    assert [o.status for o in ops(station)] == ["acked"]
