"""The issue's twelve sync scenarios: office programs against a real hub over loopback HTTP,
on SQLite and (with HEJIE_TEST_PG_URL) PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from desktop.db.repositories import CodeRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import FieldError
from desktop.domain.workflow import Result, Role
from desktop.services.offices import OfficeSpec
from desktop.sync import bundle
from desktop.sync.client import HubClient, SyncError
from desktop.sync.protocol import API_PREFIX, BLOB_SIZE_HEADER, CHUNK_HASH_HEADER, ErrorCode
from tests.conftest import PASSWORD
from tests.sync.office import by_uuid, cut_results, edit, office, ops, register, uuid_of

ROOT = Path(__file__).resolve().parents[2]


def test_1_lost_acknowledgement_is_retried_without_duplicates(hub, tmp_path):
    station, faults = office(tmp_path, "station", "WZCQ01", hub)
    ids = [register(station, complainant_name=f"投诉人{i}") for i in range(3)]
    dropped = []

    def drop_first_reply(request, forward):
        response = forward()  # the hub has committed the batch …
        if not dropped:
            dropped.append(response.status_code)
            raise httpx.ReadError("connection reset", request=request)  # … the reply is lost
        return response

    faults.hooks["POST /push"] = drop_first_reply
    report = station.s.sync.run()
    assert dropped == [200]
    assert report.pushed == 3 and report.unanswered == 0
    assert hub.count("complaints") == 3
    for cid in ids:
        uuid = uuid_of(station, cid)
        assert len(hub.history("complaints", uuid)) == 1  # applied once, not twice
    assert ops(station, "pending") == [] and ops(station, "sending") == []


def test_2_the_same_operation_pushed_twice_at_once_makes_one_record(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    register(station)
    from desktop.services.sync import to_operation

    op = to_operation(ops(station)[0])
    settings = station.s.sync._read()  # noqa: SLF001  (the device's own credential)
    # One session, two concurrent requests carrying the same operation.
    client = HubClient(hub.url, token=settings["token"])
    client.start_session(1)
    barrier = threading.Barrier(2)
    results: list = []

    def send() -> None:
        barrier.wait()
        results.append(client.push([op]).results[0])

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.end_session()
    client.close()
    assert [r.status for r in results] == ["acked", "acked"]
    assert results[0].version == results[1].version == 1
    assert hub.count("complaints") == 1
    assert len(hub.history("complaints", op.uuid)) == 1


def _child(data_dir: Path, hub_url: str, kill_at: str) -> int:
    """Run a sync round in a separate program that kills itself at `kill_at`."""
    code = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        import desktop.services.sync.round as sync_module
        from desktop.bootstrap import open_services
        from desktop.db.repositories import CodeRepository
        from desktop.sync.client import HubClient
        from tests.sync.office import Faults

        def die(*_a, **_k):
            os.kill(os.getpid(), signal.SIGKILL)

        faults = Faults()
        if {kill_at!r} == "push":
            def after_hub(request, forward):
                forward()   # the hub applied the batch; the program dies before the reply is used
                die()
            faults.hooks["POST /push"] = after_hub
        else:
            sync_module.PULL_PAGE = 2
            original = CodeRepository.set_setting
            def set_setting(self, key, value):
                if key == "sync.cursor" and value:
                    die()   # the page is applied in this transaction, the cursor not yet saved
                return original(self, key, value)
            CodeRepository.set_setting = set_setting
        from desktop.security import keys
        from tests.conftest import PASSWORD
        key = keys.unlock(Path({str(data_dir)!r}), "admin", PASSWORD)  # as the program's login
        s = open_services(Path({str(data_dir)!r}), key=key)
        s.sync.client_factory = lambda url, token, ca: HubClient(url, token=token, transport=faults)
        s.sync.run()
    """)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, timeout=120).returncode


def test_3_program_killed_while_sending_sends_again_after_restart(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    ids = [register(station, complainant_name=f"投诉人{i}") for i in range(4)]
    data_dir = station.s.ctx.data_dir
    station.s.close()
    assert _child(data_dir, hub.url, "push") == -signal.SIGKILL
    from desktop.bootstrap import open_services

    again = open_services(data_dir)  # the restart: `sending` goes back to `pending`
    try:
        assert {op.status for op in _ops(again)} == {"pending"}
        from tests.sync.office import Faults

        again.sync.client_factory = lambda url, token, ca: HubClient(
            url, token=token, transport=Faults())
        report = again.sync.run()
        assert report.pushed == 4
        assert {op.status for op in _ops(again)} == {"acked"}
        assert hub.count("complaints") == len(ids)
        for op in _ops(again):
            assert len(hub.history("complaints", op.record_uuid)) == 1
    finally:
        again.close()


def _ops(services):
    from sqlalchemy import select

    from desktop.db.models import OutboxOp

    with UnitOfWork(services.ctx.engine, write=False) as uow:
        return list(uow.session.scalars(select(OutboxOp).order_by(OutboxOp.id)))


def test_4_record_edited_while_its_push_is_in_flight_goes_again(hub, tmp_path):
    station, faults = office(tmp_path, "station", "WZCQ01", hub)
    cid = register(station)
    uuid = uuid_of(station, cid)
    edited = []

    def edit_during_flight(request, forward):
        if not edited:
            edit(station, station.clerk, cid, facts="在发送途中补充的事实：维修记录三份。")
            edited.append(ops(station))
        return forward()

    faults.hooks["POST /push"] = edit_during_flight
    report = station.s.sync.run()
    # The operation in flight was frozen; the edit made a new one, still `pending` then …
    [in_flight, new] = edited[0]
    assert (in_flight.status, new.status) == ("sending", "pending")
    assert "维修记录三份" not in in_flight.after and "维修记录三份" in new.after
    # … which went too, after the first was acknowledged.
    assert report.pushed == 2
    history = hub.history("complaints", uuid)
    assert len(history) == 2
    assert "维修记录三份" in hub.record("complaints", uuid)["data"]["facts"]
    assert station.s.sync.states_by_id([cid]) == {cid: "synced"}


def test_5_a_reply_listing_part_of_the_batch_acknowledges_only_that_part(hub, tmp_path):
    station, faults = office(tmp_path, "station", "WZCQ01", hub)
    for i in range(5):
        register(station, complainant_name=f"投诉人{i}")
    faults.hooks["POST /push"] = cut_results(2)
    report = station.s.sync.run()
    assert report.pushed == 2 and report.unanswered == 3
    assert len(ops(station, "acked")) == 2 and len(ops(station, "pending")) == 3
    del faults.hooks["POST /push"]
    again = station.s.sync.run()
    assert again.pushed == 3
    assert hub.count("complaints") == 5
    assert len(ops(station, "acked")) == 5


def test_6_killed_between_applying_a_page_and_saving_the_cursor(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    for i in range(5):
        register(station, complainant_name=f"投诉人{i}")
    station.s.sync.run()
    sub, _ = office(tmp_path, "sub", "WZCQ", hub)
    data_dir = sub.s.ctx.data_dir
    sub.s.close()
    assert _child(data_dir, hub.url, "cursor") == -signal.SIGKILL
    from desktop.bootstrap import open_services
    from tests.sync.office import Faults

    again = open_services(data_dir)
    try:
        with UnitOfWork(again.ctx.engine, write=False) as uow:
            assert CodeRepository(uow.session).setting("sync.cursor") == ""
            from sqlalchemy import func, select

            from desktop.db.models import Complaint

            assert uow.session.execute(select(func.count()).select_from(Complaint)).scalar() == 0
        again.sync.client_factory = lambda url, token, ca: HubClient(
            url, token=token, transport=Faults())
        report = again.sync.run()
        assert report.pulled == 5
        with UnitOfWork(again.ctx.engine, write=False) as uow:
            numbers = [c.number for c in uow.session.scalars(select(Complaint))]
        assert len(numbers) == len(set(numbers)) == 5  # nothing skipped, nothing doubled
    finally:
        again.close()


@pytest.mark.parametrize("how", ["corrupt", "expired"])
def test_7_a_bad_cursor_means_a_full_download_that_keeps_the_outbox(hub, tmp_path, how):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    for i in range(3):
        register(station, complainant_name=f"投诉人{i}")
    station.s.sync.run()
    sub, _ = office(tmp_path, "sub", "WZCQ", hub)
    sub.s.sync.run()
    own = register(sub, sub.desk, complainant_name="分局自己登记")  # waiting in the outbox
    if how == "corrupt":
        with UnitOfWork(sub.s.ctx.engine, outbox=False) as uow:
            CodeRepository(uow.session).set_setting("sync.cursor", "ey.tampered.cursor")
            uow.commit()
    else:
        hub.set_horizon(10_000)
    # The push goes first and is unaffected; the pull starts again from the beginning.
    report = sub.s.sync.run()
    assert report.full_download
    assert report.pushed == 1
    assert by_uuid(sub, uuid_of(sub, own)) is not None
    with UnitOfWork(sub.s.ctx.engine, write=False) as uow:
        from sqlalchemy import func, select

        from desktop.db.models import Complaint

        assert uow.session.execute(select(func.count()).select_from(Complaint)).scalar() == 4


def _world_pair(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    cid = register(station)
    station.s.sync.run()
    sub, _ = office(tmp_path, "sub", "WZCQ", hub)
    sub.s.sync.run()
    uuid = uuid_of(station, cid)
    sub_id = by_uuid(sub, uuid).id
    return station, cid, sub, sub_id, uuid


def test_8a_same_field_edited_at_station_and_sub_bureau_is_a_conflict(hub, tmp_path):
    station, cid, sub, sub_id, uuid = _world_pair(hub, tmp_path)
    edit(sub, sub.desk, sub_id, facts="分局核实：发动机故障已由厂家确认。")
    sub.s.sync.run()
    edit(station, station.clerk, cid, facts="投诉站补充：消费者提供了三次维修单。")
    report = station.s.sync.run()
    assert report.conflicts == 1
    [conflict] = station.s.sync.conflicts(station.clerk)
    assert conflict.complaint_number == station.s.complaints.get(station.clerk, cid).number
    [f] = conflict.fields
    assert f.field == "facts" and f.label == "投诉事实"
    assert "三次维修单" in f.office_value and "厂家确认" in f.hub_value
    assert station.s.sync.states_by_id([cid]) == {cid: "conflict"}
    # Keeping the station's text sends it as a new operation based on the district's version.
    station.s.sync.resolve(station.clerk, conflict.op_id, {"facts": "office"})
    assert station.s.sync.conflicts(station.clerk) == []
    again = station.s.sync.run()
    assert again.pushed == 1 and again.conflicts == 0
    assert "三次维修单" in hub.record("complaints", uuid)["data"]["facts"]
    sub.s.sync.run()
    assert "三次维修单" in by_uuid(sub, uuid).facts


def test_8a_taking_the_district_value_writes_it_here(hub, tmp_path):
    station, cid, sub, sub_id, uuid = _world_pair(hub, tmp_path)
    edit(sub, sub.desk, sub_id, facts="分局核实后的事实。")
    sub.s.sync.run()
    edit(station, station.clerk, cid, facts="投诉站的事实。")
    station.s.sync.run()
    [conflict] = station.s.sync.conflicts(station.clerk)
    station.s.sync.resolve(station.clerk, conflict.op_id, {"facts": "hub"})
    assert by_uuid(station, uuid).facts == "分局核实后的事实。"
    assert ops(station, "pending") == []
    assert station.s.sync.run().conflicts == 0


def _both_edit_facts(hub, tmp_path, theirs: str, ours: str):  # type: ignore[no-untyped-def]
    """The sub-bureau changes the facts and the address and syncs; then the station, not
    having pulled, changes the facts and syncs."""
    station, cid, sub, sub_id, uuid = _world_pair(hub, tmp_path)
    edit(sub, sub.desk, sub_id, facts=theirs, complainant_address="苏州市吴中区木渎镇中山路 1 号")
    sub.s.sync.run()
    edit(station, station.clerk, cid, facts=ours)
    station.s.sync.run()
    return station, cid, uuid


def test_8a_a_resolved_conflict_keeps_the_districts_other_changes(hub, tmp_path):
    # The sub-bureau changes the facts and the address; the station, its facts only. The
    # station keeps its facts: it must still end with the sub-bureau's address, and after the
    # resolution goes out, hold exactly what the district holds.
    station, cid, uuid = _both_edit_facts(hub, tmp_path, "分局核实后的事实。", "投诉站的事实。")
    [conflict] = station.s.sync.conflicts(station.clerk)
    station.s.sync.resolve(station.clerk, conflict.op_id, {"facts": "office"})
    assert by_uuid(station, uuid).complainant_address == "苏州市吴中区木渎镇中山路 1 号"
    assert station.s.sync.run().pushed == 1
    assert station.s.sync.run().pulled == 0
    data = hub.record("complaints", uuid)["data"]
    here = by_uuid(station, uuid)
    assert (here.facts, here.complainant_address) == (data["facts"], data["complainant_address"])
    assert data["facts"] == "投诉站的事实。"


def test_8b_different_fields_merge_by_themselves(hub, tmp_path):
    station, cid, sub, sub_id, uuid = _world_pair(hub, tmp_path)
    edit(sub, sub.desk, sub_id, complainant_address="苏州市吴中区木渎镇中山路 1 号")
    sub.s.sync.run()
    edit(station, station.clerk, cid, facts="投诉站补充的事实。")
    report = station.s.sync.run()
    assert report.conflicts == 0 and report.pushed == 1
    data = hub.record("complaints", uuid)["data"]
    assert data["facts"] == "投诉站补充的事实。"
    assert data["complainant_address"] == "苏州市吴中区木渎镇中山路 1 号"
    # Both offices end with both changes.
    assert by_uuid(station, uuid).complainant_address == "苏州市吴中区木渎镇中山路 1 号"
    sub.s.sync.run()
    merged = by_uuid(sub, uuid)
    assert merged.facts == "投诉站补充的事实。"
    assert merged.complainant_address == "苏州市吴中区木渎镇中山路 1 号"


def test_8b_an_edit_the_district_already_has_still_brings_its_other_changes(hub, tmp_path):
    # The sub-bureau changes two fields; the station, not having pulled, makes the same change
    # to one of them. Nothing is left to apply of the station's edit, yet the station must
    # not take the district's version as its own: the other field would never arrive.
    station, cid, uuid = _both_edit_facts(hub, tmp_path, "两边写成一样的事实。", "两边写成一样的事实。")
    assert station.s.sync.status().conflicts == 0
    assert station.s.sync.states_by_id([cid]) == {cid: "synced"}
    assert by_uuid(station, uuid).complainant_address == "苏州市吴中区木渎镇中山路 1 号"


def test_8c_an_edit_against_a_closure_is_a_conflict_shown(hub, tmp_path):
    station, cid, sub, sub_id, uuid = _world_pair(hub, tmp_path)
    version = sub.s.complaints.get(sub.desk, sub_id).version
    sub.s.complaints.accept(sub.desk, sub_id, expected_version=version)
    version = sub.s.complaints.get(sub.desk, sub_id).version
    sub.s.complaints.settle(sub.desk, sub_id, terms="退一赔三", expected_version=version)
    version = sub.s.complaints.get(sub.desk, sub_id).version
    sub.s.complaints.close(sub.desk, sub_id, result=Result.SETTLED, expected_version=version)
    assert sub.s.sync.run().pushed >= 1
    assert hub.record("complaints", uuid)["data"]["status"] == "closed"
    edit(station, station.clerk, cid, facts="投诉站在分局办结后又改了事实。")
    report = station.s.sync.run()
    assert report.conflicts == 1
    [conflict] = station.s.sync.conflicts(station.clerk)
    status = {f.field: f for f in conflict.fields}["status"]
    assert (status.office_text, status.hub_text) == ("登记", "办结")
    assert hub.record("complaints", uuid)["data"]["facts"] != "投诉站在分局办结后又改了事实。"


def test_8_a_status_change_outside_the_state_machine_is_rejected(hub, tmp_path):
    station, cid, sub, sub_id, uuid = _world_pair(hub, tmp_path)
    with UnitOfWork(station.s.ctx.engine) as uow:  # a damaged or foreign program's change
        from desktop.db.models import Complaint

        uow.session.get(Complaint, cid).status = "closed"
        uow.commit()
    report = station.s.sync.run()
    assert report.rejected == 1
    [op] = ops(station, "rejected")
    assert "登记" in op.message and "办结" in op.message
    assert hub.record("complaints", uuid)["data"]["status"] == "registered"


def test_9_a_child_arriving_before_its_parent_is_held_until_the_parent_comes(hub, tmp_path,
                                                                              monkeypatch):
    station, cid, sub, sub_id, uuid = _world_pair(hub, tmp_path)
    # A new complaint, its mediation record, then the complaint changed again: the pull's
    # order by change puts the child before the parent's latest version.
    cid2 = register(station, complainant_name="李娜")
    version = station.s.complaints.get(station.clerk, cid2).version
    station.s.complaints.accept(station.clerk, cid2, expected_version=version)
    station.s.records.add_mediation_record(
        station.clerk, cid2, held_at=datetime(2026, 11, 20, 9, 30), means="phone",
        participants="李娜", content="初次联系。")
    station.s.sync.run()
    edit(station, station.clerk, cid2, reason="补充材料", facts="补充的事实。")
    station.s.sync.run()
    import desktop.services.sync.round as sync_module

    monkeypatch.setattr(sync_module, "PULL_PAGE", 1)
    report = sub.s.sync.run()
    assert report.held >= 1 and report.released >= 1
    parent = by_uuid(sub, uuid_of(station, cid2))
    assert parent is not None and parent.facts == "补充的事实。"
    records = sub.s.records.mediation_records(sub.desk, parent.id)
    assert [r.content for r in records] == ["初次联系。"]
    assert sub.s.sync.status().held == 0


def test_10_attachments_resume_refuse_bad_chunks_and_different_bytes(hub, tmp_path):
    station, faults = office(tmp_path, "station", "WZCQ01", hub, chunk_size=64 * 1024)
    cid = register(station)
    payload = os.urandom(200 * 1024)
    source = tmp_path / "发票.pdf"
    source.write_bytes(payload)
    station.s.records.attach(station.clerk, cid, source)
    sha = hashlib.sha256(payload).hexdigest()
    def fail_after_first_chunk(request, forward):
        if request.url.params["offset"] != "0":  # the network goes, and stays gone
            raise httpx.ConnectError("network gone", request=request)
        return forward()

    faults.hooks["PUT /blobs/"] = fail_after_first_chunk
    with pytest.raises(SyncError):
        station.s.sync.run()
    assert hub.blob_status(sha)["received"] == 64 * 1024  # the first chunk stayed
    assert ops(station, "pending")  # nothing acknowledged
    # Resumed: the next round continues at the hub's offset, not at 0.
    sent = []

    def count(request, forward):
        sent.append(int(request.url.params["offset"]))
        return forward()

    faults.hooks["PUT /blobs/"] = count
    report = station.s.sync.run()
    assert sent[0] == 64 * 1024 and report.uploaded == 1
    assert hub.blob_status(sha)["complete"]
    assert report.pushed == 2  # the complaint, then its attachment once its file was whole
    # A corrupted chunk is refused.
    token = station.s.sync._read()["token"]  # noqa: SLF001
    other = os.urandom(1000)
    other_sha = hashlib.sha256(other).hexdigest()
    with httpx.Client(base_url=hub.url + API_PREFIX,
                      headers={"Authorization": f"Bearer {token}"}) as http:
        session = http.post("/sessions", json={"backlog": 0}).json()["session"]
        headers = {"X-Hejie-Session": session, BLOB_SIZE_HEADER: "1000",
                   CHUNK_HASH_HEADER: hashlib.sha256(other).hexdigest()}
        corrupted = bytes([other[0] ^ 0xFF]) + other[1:]
        r = http.put(f"/blobs/{other_sha}", params={"offset": 0}, content=corrupted,
                     headers=headers)
        assert r.status_code == 422 and r.json()["error"]["code"] == ErrorCode.BLOB_CHUNK
        # Different bytes under an existing hash are refused.
        headers[CHUNK_HASH_HEADER] = hashlib.sha256(other[:1000]).hexdigest()
        r = http.put(f"/blobs/{sha}", params={"offset": 0}, content=other,
                     headers={**headers, BLOB_SIZE_HEADER: str(len(payload))})
        assert r.status_code == 409 and r.json()["error"]["code"] == ErrorCode.BLOB_MISMATCH
        http.delete(f"/sessions/{session}")
    # The sub-bureau downloads the file by its hash; the connection drops after 100 KB, and
    # the next round asks only for the rest.
    sub, sub_faults = office(tmp_path, "sub", "WZCQ", hub)
    asked = []

    def cut_after_100k(request, forward):
        asked.append(request.headers.get("Range"))
        whole = forward()
        if len(asked) > 1:
            return whole
        return httpx.Response(whole.status_code, headers={"content-type": "application/octet-stream"},
                              stream=_CutStream(whole.content, 100 * 1024), request=request)

    sub_faults.hooks["GET /content"] = cut_after_100k
    got = sub.s.sync.run()
    assert got.downloaded == 0 and any("中断" in m for m in got.messages)
    got = sub.s.sync.run()
    assert got.downloaded == 1 and asked == [None, f"bytes={100 * 1024}-"]
    from desktop import paths

    assert sub.s.records.attachment_bytes(sha) == payload
    assert payload not in paths.attachment_path(sub.s.ctx.data_dir, sha).read_bytes()  # sealed
    assert not list(paths.attachment_path(sub.s.ctx.data_dir, sha).parent.parent.rglob(".partial-*"))


class _CutStream(httpx.SyncByteStream):
    """A reply body that stops with a network error after `keep` bytes."""

    def __init__(self, data: bytes, keep: int) -> None:
        self.data, self.keep = data, keep

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield self.data[:self.keep]
        raise httpx.ReadError("connection lost")


def test_11_revoked_device_second_session_and_another_office_are_refused(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    # Another office's record: the station's program holds the whole district's offices.
    foreign = register(station, station.other_clerk, complainant_name="木渎的投诉人")
    mine = register(station)
    report = station.s.sync.run()
    assert report.rejected == 1 and report.pushed == 1
    [op] = ops(station, "rejected")
    assert op.record_uuid == uuid_of(station, foreign)
    assert "WZMD01" in op.message or "家居城" in op.message
    assert hub.record("complaints", uuid_of(station, foreign)) is None
    assert station.s.sync.states_by_id([foreign, mine]) == {foreign: "rejected", mine: "synced"}
    assert station.s.sync.refusals(foreign) == [op.message] and station.s.sync.refusals(mine) == []
    # A second session of the same device while one is open.
    token = station.s.sync._read()["token"]  # noqa: SLF001
    holder = HubClient(hub.url, token=token)
    holder.start_session(0)
    register(station, complainant_name="等待中")
    with pytest.raises(SyncError) as busy:
        station.s.sync.run()
    assert busy.value.code == ErrorCode.SESSION_BUSY and "同步" in str(busy.value)
    holder.end_session()
    holder.close()
    # A revoked device.
    hub.revoke(station.s.sync.settings().device_id)
    before = hub.count("complaints")
    with pytest.raises(SyncError) as revoked:
        station.s.sync.run()
    assert revoked.value.code == ErrorCode.REVOKED and "停用" in str(revoked.value)
    assert hub.count("complaints") == before
    assert len(ops(station, "pending")) == 1  # kept for when the office is enrolled again


def test_an_office_the_district_lacks_is_named_at_enrolment_and_its_records_go_once_added(
        hub, tmp_path):
    sub, _ = office(tmp_path, "sub", "WZCQ", hub, enrol=False)
    sub.s.offices.add([OfficeSpec("WZCQ02", "新开的投诉站", "station", "WZCQ", "general")])
    new_id = {o.code: o.id for o in sub.s.offices.all()}["WZCQ02"]
    sub.s.users.create(sub.admin, username="clerk2", display_name="新站办事员", password=PASSWORD,
                       office_id=new_id, roles={Role.CLERK})
    theirs = register(sub, sub.s.users.login("clerk2", PASSWORD))
    ours = register(sub)
    done = sub.s.sync.enrol(sub.admin, hub.url, hub.enrol_code("WZCQ"))
    assert done.offices_missing == ("新开的投诉站（WZCQ02）",) and done.queued == 2
    assert sub.s.sync.run().rejected == 1
    status = sub.s.sync.status()
    [(message, count)] = status.refusals
    assert count == 1 and "WZCQ02" in message
    assert sub.s.sync.states_by_id([theirs, ours]) == {theirs: "rejected", ours: "synced"}
    # Sent again before the district added it: refused again, with the same reason.
    assert sub.s.sync.retry_rejected(sub.admin) == 1
    assert sub.s.sync.run().rejected == 1
    hub.add_office("WZCQ02", "新开的投诉站", "station", "WZCQ", "general")
    assert sub.s.sync.retry_rejected(sub.admin) == 1
    report = sub.s.sync.run()
    assert (report.pushed, report.rejected) == (1, 0)
    assert hub.record("complaints", uuid_of(sub, theirs))["owner"] == "WZCQ02"
    assert sub.s.sync.states_by_id([theirs]) == {theirs: "synced"}
    assert sub.s.sync.status().refusals == () and sub.s.sync.retry_rejected(sub.admin) == 0


def test_enrolment_refuses_a_certificate_file_it_cannot_load(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub, enrol=False)
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("这不是证书", encoding="utf-8")
    for path, words in ((tmp_path / "missing.pem", "找不到文件"), (not_pem, "PEM")):
        with pytest.raises(FieldError) as refused:
            station.s.sync.enrol(station.admin, hub.url, hub.enrol_code("WZCQ01"),
                                 ca_bundle=str(path))
        assert refused.value.field == "证书文件" and words in refused.value.message
    assert not station.s.sync.settings().enrolled


def test_12_bundles_twice_out_of_order_truncated_and_tampered(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    register(station, complainant_name="第一件")
    first = tmp_path / "1.hejie"
    station.s.sync.export_bundle(station.clerk, first)
    register(station, complainant_name="第二件")
    second = tmp_path / "2.hejie"
    summary = station.s.sync.export_bundle(station.clerk, second)
    assert summary.operations == 2  # everything not yet acknowledged
    data = second.read_bytes()
    # Truncated and one byte changed: refused, nothing written.
    for broken in (data[: len(data) // 2], data[:100] + bytes([data[100] ^ 1]) + data[101:]):
        with pytest.raises(Exception) as refused:
            hub.import_bundle(broken)
        assert any(w in str(refused.value) for w in ("截断", "不完整", "签名", "校验", "损坏"))
    assert hub.count("complaints") == 0
    # Out of order: the second (which holds the first's operations too), then the first.
    receipt2, result2 = hub.import_bundle(data)
    assert result2.acked == 2 and not result2.already_imported
    receipt1, result1 = hub.import_bundle(first.read_bytes())
    assert result1.acked == 1
    assert hub.count("complaints") == 2
    # Twice: the same receipt again, nothing applied twice.
    again, result_again = hub.import_bundle(data)
    assert result_again.already_imported and again == receipt2
    assert hub.count("complaints") == 2
    # At the office: a tampered receipt is refused; receipts twice and out of order are safe.
    (tmp_path / "r2").write_bytes(receipt2)
    (tmp_path / "r1").write_bytes(receipt1)
    (tmp_path / "bad").write_bytes(receipt2[:-10] + bytes(10))
    with pytest.raises(bundle.BundleError):
        station.s.sync.import_receipt(station.clerk, tmp_path / "bad")
    assert len(ops(station, "pending")) == 2
    done = station.s.sync.import_receipt(station.clerk, tmp_path / "r2")
    assert done.report.pushed == 2 and not done.already_imported
    assert ops(station, "pending") == []
    cursor = station.s.sync._read()["cursor"]  # noqa: SLF001
    late = station.s.sync.import_receipt(station.clerk, tmp_path / "r1")
    assert not late.already_imported
    assert station.s.sync._read()["cursor"] == cursor  # an older receipt never moves it back  # noqa: SLF001
    assert station.s.sync.import_receipt(station.clerk, tmp_path / "r2").already_imported


def test_dispatched_complaint_arrives_in_the_ledger_with_its_deadline(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    sent = hub.dispatch(office="WZCQ01", district_number="12315-2026-0099",
                        received_at="2026-11-19T10:00:00", complainant_name="王强",
                        complainant_phone="13900001111", respondent_name="万达广场某餐厅",
                        subject="餐饮服务", category_code="catering", request="退款",
                        facts="就餐时发现异物，要求退款。")
    report = station.s.sync.run()
    assert report.dispatched == [sent.number]
    c = by_uuid(station, sent.uuid)
    assert c.channel_code == "district" and c.district_number == "12315-2026-0099"
    assert c.rule_set_code and c.due_on is not None
    # The other sub-bureau's station never sees it.
    other, _ = office(tmp_path, "md", "WZMD01", hub)
    assert other.s.sync.run().dispatched == []


def test_a_dispatch_never_takes_a_number_the_district_desk_gave_the_same_day(hub, tmp_path):
    desk, _ = office(tmp_path, "district", "WZ", hub)
    staff = desk.s.users.create(desk.admin, username="wzdesk", display_name="区局窗口",
                                password=PASSWORD, office_id=desk.office_ids["WZ"],
                                roles={Role.DESK_STAFF})
    assert staff is not None
    user = desk.s.users.login("wzdesk", PASSWORD)
    own = desk.s.complaints.get(user, register(desk, user)).number  # received 2026-11-19
    sent = hub.dispatch(office="WZ", received_at="2026-11-19T10:00:00")
    assert (own, sent.number) == ("WZ-20261119-0001", "WZ-20261119-900001")
    assert desk.s.sync.run().dispatched == [sent.number]
    assert by_uuid(desk, sent.uuid).number == sent.number


def test_12_an_edit_after_exporting_a_bundle_goes_as_its_own_operation(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    cid = register(station)
    uuid = uuid_of(station, cid)
    path = tmp_path / "b.hejie"
    station.s.sync.export_bundle(station.clerk, path)
    edit(station, station.clerk, cid, facts="导出同步包之后又补充的事实。")
    receipt, _ = hub.import_bundle(path.read_bytes())
    (tmp_path / "r.hejie").write_bytes(receipt)
    assert station.s.sync.import_receipt(station.clerk, tmp_path / "r.hejie").report.pushed == 1
    report = station.s.sync.run()
    assert (report.pushed, report.rejected, report.conflicts) == (1, 0, 0)
    assert hub.record("complaints", uuid)["data"]["facts"] == "导出同步包之后又补充的事实。"


def test_an_office_restored_from_an_old_backup_gets_its_records_and_numbers_back(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    made = [register(station) for _ in range(2)]  # received 2026-11-19: …-0001, …-0002
    station.s.sync.run()
    # The same office's database as a backup from before those two, enrolled again.
    restored, _ = office(tmp_path, "restored", "WZCQ01", hub)
    assert restored.s.sync.run().pulled == 2
    numbers = {restored.s.complaints.get(restored.clerk, c).number
               for c in (by_uuid(restored, uuid_of(station, m)).id for m in made)}
    assert numbers == {"WZCQ01-20261119-0001", "WZCQ01-20261119-0002"}
    # Enrolled again, it is another device of the office with a number block of its own.
    again = register(restored)
    assert restored.s.complaints.get(restored.clerk, again).number == "WZCQ01-20261119-1001"
    # In the block the numbers came back in, it numbers past them.
    with UnitOfWork(restored.s.ctx.engine, write=True) as uow:
        CodeRepository(uow.session).set_setting("sync.number_slot", "0")
        uow.commit()
    again = register(restored)
    assert restored.s.complaints.get(restored.clerk, again).number == "WZCQ01-20261119-0003"


def test_12_any_single_changed_byte_of_a_receipt_is_refused_at_the_office(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    register(station)
    path = tmp_path / "b.hejie"
    station.s.sync.export_bundle(station.clerk, path)
    receipt, _ = hub.import_bundle(path.read_bytes())
    key = station.s.sync._read()["bundle_key"]  # noqa: SLF001
    original = bundle.read(receipt, key, expect=bundle.RECEIPT)
    refused = 0
    for i in range(0, len(receipt), 7):  # every seventh byte, each changed on its own
        damaged = receipt[:i] + bytes([receipt[i] ^ 0x55]) + receipt[i + 1:]
        try:
            opened = bundle.read(damaged, key, expect=bundle.RECEIPT)
        except bundle.BundleError:
            refused += 1
            continue
        # A byte of the zip's own bookkeeping (a member's timestamp): the signed content is
        # intact, so reading it is safe.
        assert (opened.content, opened.blobs) == (original.content, original.blobs)
    assert refused > len(receipt) // 7 * 0.8
    assert len(ops(station, "pending")) == 1


def test_a_failure_here_while_a_batch_is_on_the_wire_sends_both_again(hub, tmp_path, monkeypatch):
    """The push is pipelined (issue 24): the next batch is marked while the hub weighs one.
    When this PC fails to record an answer, neither that batch nor the one already on the wire
    stays `sending`: both go again next time, and the hub keeps one record of each."""
    from desktop.db.sync.repo import SyncRepository
    from desktop.services.sync import round as round_module

    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    ids = [register(station, complainant_name=f"投诉人{i}") for i in range(5)]
    monkeypatch.setattr(round_module, "PUSH_BATCH", 2)
    original = SyncRepository.record_results
    calls = []

    def failing_once(repo, sent, results):  # type: ignore[no-untyped-def]
        calls.append(len(sent))
        if len(calls) == 1:
            raise RuntimeError("磁盘已满")
        return original(repo, sent, results)

    monkeypatch.setattr(SyncRepository, "record_results", failing_once)
    with pytest.raises(RuntimeError):
        station.s.sync.run()
    assert ops(station, "sending") == []
    assert len(ops(station, "pending")) == 5  # the first two answered by the hub, unrecorded
    again = station.s.sync.run()
    assert again.pushed == 5 and hub.count("complaints") == 5
    for cid in ids:
        assert len(hub.history("complaints", uuid_of(station, cid))) == 1
    assert ops(station, "pending") == [] and ops(station, "sending") == []
