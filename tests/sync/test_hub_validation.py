"""The hub checks what it stores (issue 14): every pushed record against the wire contract,
complaint numbers across the district, received times, references; one bad record in a batch
stops nothing else. A real hub on loopback, real device tokens."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta

import pytest

from desktop.sync import bundle
from desktop.sync.protocol import OpResult, RefusalCode
from tests.sync.conftest import CLERK
from tests.sync.test_hub_bundles import _bundle


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _beijing_now(hub):
    return hub.clock.now() + timedelta(hours=8)


def test_each_malformed_record_is_refused_alone_and_never_stored(hub):
    station, sub = hub.enrol("WZCQ01"), hub.enrol("WZCQ")
    good = hub.complaint("WZCQ01")
    garbage = hub.complaint("WZCQ01", received_at="garbage")
    nameless = hub.complaint("WZCQ01", complainant_name=None)
    amount = hub.complaint("WZCQ01", amount_cents="abc")
    huge = hub.complaint("WZCQ01", complainant_name="张" * 1_000_000)
    no_sha = hub.attachment(good.uuid, "0" * 64, 10)
    del no_sha.after["sha256"]
    traversal = hub.attachment(good.uuid, "1" * 64, 10, filename="../../TRAVERSED.sh")
    after = hub.mediation(good.uuid)
    batch = [good, garbage, nameless, amount, huge, no_sha, traversal, after]
    results = station.push(*batch).results
    assert [r.status for r in results] == ["acked"] + ["rejected"] * 6 + ["acked"]
    refused = results[1:7]
    assert all(r.code == RefusalCode.INVALID for r in refused)
    assert [r.fields for r in refused] == [["received_at"], ["complainant_name"],
                                           ["amount_cents"], ["complainant_name"], ["sha256"],
                                           ["filename"]]
    assert refused[0].message == "未写入：接收时间「garbage」不是有效的日期时间"
    assert refused[1].message == "未写入：投诉人姓名不能为空"
    assert refused[2].message == "未写入：涉案金额应为整数"
    assert refused[3].message == "未写入：投诉人姓名不能超过 60 个字（现有 1000000 个）"
    assert refused[4].message == "未写入：文件校验值缺失"
    assert refused[5].message == "未写入：文件名不能含有路径（/、\\ 或 :）"
    for op in batch[1:7]:
        assert hub.record(op.entity, op.uuid) is None
    assert hub.count() == 2
    # The sub-bureau receives only what was stored.
    records, _ = sub.pull_all()
    assert {r.uuid for r in records} == {good.uuid, after.uuid}
    # Sent again, each gets its stored answer; fixed (a new operation), it is stored.
    assert station.push(*batch).results == results
    fixed = hub.op("complaints", garbage.uuid, {**garbage.after,
                                                "received_at": "2026-11-20T09:30:00"})
    assert station.push(fixed).results[0].status == "acked"


def test_an_update_is_checked_on_the_fields_it_changes(hub):
    station = hub.enrol("WZCQ01")
    new = hub.complaint("WZCQ01")
    station.push(new)
    bad_time = hub.op("complaints", new.uuid, {"received_at": "garbage"},
                      before={"received_at": "2026-11-20T09:00:00"}, base_version=1)
    bad_name = hub.op("complaints", new.uuid, {"complainant_name": None, "subject": "汽车保养"},
                      before={"complainant_name": "张伟", "subject": "汽车维修"}, base_version=1)
    ok = hub.op("complaints", new.uuid, {"facts": "发动机异响，已两次维修。"},
                before={"facts": "发动机异响。"}, base_version=1)
    results = station.push(bad_time, bad_name, ok).results
    assert [(r.status, r.code, r.fields) for r in results] == [
        ("rejected", RefusalCode.INVALID, ["received_at"]),
        ("rejected", RefusalCode.INVALID, ["complainant_name"]),
        ("acked", "", [])]
    data = hub.record("complaints", new.uuid)["data"]
    assert data["received_at"] == "2026-11-20T09:00:00" and data["complainant_name"] == "张伟"
    assert data["subject"] == "汽车维修" and data["facts"] == "发动机异响，已两次维修。"


def test_imported_history_may_lack_what_a_registration_needs_but_not_its_types(hub):
    station = hub.enrol("WZCQ01")
    history = hub.complaint("WZCQ01", channel_code="history", complainant_address="", facts="")
    long_history = hub.complaint("WZCQ01", channel_code="history", facts="事" * 5001)
    fresh = hub.complaint("WZCQ01", complainant_address="")
    results = station.push(history, long_history, fresh).results
    assert [(r.status, r.fields) for r in results] == [
        ("acked", []), ("rejected", ["facts"]), ("rejected", ["complainant_address"])]
    assert results[2].message == "未写入：投诉人地址不能为空"


def test_names_beside_the_record_are_bounded(hub):
    station = hub.enrol("WZCQ01")
    bad_key = hub.complaint("WZCQ01")
    bad_key.people["not-a-uuid"] = "张三"
    long_name = hub.complaint("WZCQ01")
    long_name.people[CLERK] = "名" * 41
    crowd = hub.complaint("WZCQ01")
    crowd.people.update({hub.new_uuid(): "某人" for _ in range(51)})
    made_by = hub.complaint("WZCQ01").model_copy(update={"made_by": "x" * 41})
    fine = hub.complaint("WZCQ01")
    fine.people[CLERK] = "李娜"
    results = station.push(bad_key, long_name, crowd, made_by, fine).results
    assert [(r.status, r.fields) for r in results] == [
        ("rejected", ["people"]), ("rejected", ["people"]), ("rejected", ["people"]),
        ("rejected", ["made_by"]), ("acked", [])]
    assert "经办人标识「not-a-uuid」" in results[0].message
    assert "经办人姓名不能超过 40 个字" in results[1].message
    assert "经办人名单超过 50 人" in results[2].message
    assert hub.record("complaints", fine.uuid)["people"] == {CLERK: "李娜"}


def _list(hub, office="WZCQ01"):
    return hub.op("disclosure_lists", None, {
        "scope_office": office, "month": "2026-11-01", "status": "draft", "round": 1,
        "revision": 0, "enterprise_figures": "[]", "channels": ""})


def _entry(hub, list_uuid, complaint_uuid):
    return hub.op("disclosure_entries", None, {
        "list": list_uuid, "complaint": complaint_uuid, "seq": 1,
        "number": "WZCQ01-20261120-0001", "received_at": "2026-11-20T09:00:00",
        "respondent": "某汽车4S店", "respondent_credit_code": None, "content": "x",
        "proposed_content": "x", "success": True, "excluded": False, "corrected_on": None})


def test_a_record_named_beside_the_parent_must_be_there_and_of_its_kind(hub):
    station = hub.enrol("WZCQ01")
    complaint = hub.complaint("WZCQ01")
    talk = hub.mediation(complaint.uuid)
    station.push(complaint, talk)
    listed = _list(hub)
    waiting = _entry(hub, listed.uuid, hub.new_uuid())  # a complaint not at the hub (yet)
    wrong = _entry(hub, listed.uuid, talk.uuid)  # a mediation record, not a complaint
    wrong_parent = _entry(hub, complaint.uuid, complaint.uuid)  # a complaint, not a list
    later = hub.complaint("WZCQ01")
    in_batch = _entry(hub, listed.uuid, later.uuid)
    results = station.push(listed, waiting, wrong, wrong_parent, later, in_batch).results
    assert [(r.status, r.fields) for r in results] == [
        ("acked", []), ("deferred", []), ("rejected", ["complaint"]), ("rejected", ["list"]),
        ("acked", []), ("acked", [])]
    assert results[1].message == "引用的记录尚未到达区局，稍后重发"
    assert results[2].code == RefusalCode.INVALID
    assert results[2].message == f"未写入：所属投诉「{talk.uuid}」应为投诉，区局平台上它是调解记录"
    assert hub.record("disclosure_entries", waiting.uuid) is None
    # Once the complaint has arrived, the deferred entry goes through when sent again.
    arrived = hub.complaint("WZCQ01", waiting.after["complaint"])
    assert [r.status for r in station.push(arrived, waiting).results] == ["acked", "acked"]


def test_a_complaint_number_is_the_districts_only_one(hub):
    station, other = hub.enrol("WZCQ01"), hub.enrol("WZMD01")
    first = hub.complaint("WZCQ01", number="WZCQ01-20261120-0007")
    assert station.push(first).results[0].status == "acked"
    # Another office (a restore numbered again from an old backup) uses the same number.
    twin = hub.complaint("WZMD01", number="WZCQ01-20261120-0007")
    own = hub.complaint("WZMD01")
    [taken, fine] = other.push(twin, own).results
    assert (taken.status, taken.code, taken.fields) == ("rejected", RefusalCode.NUMBER_TAKEN,
                                                        ["number"])
    assert "WZCQ01-20261120-0007" in taken.message and "新单号" in taken.message
    assert fine.status == "acked" and hub.record("complaints", twin.uuid) is None
    # Its program gives it a new number and sends it again.
    renumbered = hub.op("complaints", twin.uuid, {**twin.after, "number": "WZMD01-20261120-0101"})
    assert other.push(renumbered).results[0].status == "acked"
    # Changing a number to one that is taken is refused too; twice in one batch, the second.
    change = hub.op("complaints", own.uuid, {"number": "WZCQ01-20261120-0007"},
                    before={"number": own.after["number"]}, base_version=1)
    a = hub.complaint("WZMD01", number="WZMD01-20261120-0200")
    b = hub.complaint("WZMD01", number="WZMD01-20261120-0200")
    assert [(r.status, r.code) for r in other.push(change, a, b).results] == [
        ("rejected", RefusalCode.NUMBER_TAKEN), ("acked", ""),
        ("rejected", RefusalCode.NUMBER_TAKEN)]
    # The same complaint sent again keeps its number; a complaint is never deleted at the hub
    # (test_hub_push: only deletable entities), so its number stays held.
    assert station.push(hub.op("complaints", first.uuid, first.after)).results[0].status == "acked"
    [removed] = station.push(hub.op("complaints", first.uuid, kind="delete",
                                    base_version=1)).results
    assert removed.status == "rejected"
    reuse = hub.complaint("WZCQ01", number="WZCQ01-20261120-0007")
    assert station.push(reuse).results[0].code == RefusalCode.NUMBER_TAKEN
    # A dispatched complaint's number is held as well.
    sent = hub.dispatch(office="WZCQ01")
    copy = hub.complaint("WZMD01", number=sent.number)
    assert other.push(copy).results[0].code == RefusalCode.NUMBER_TAKEN


def test_numbers_stored_twice_before_the_check_survive_the_migration(hub):
    from alembic import command
    from sqlalchemy import select, update

    from desktop.db.migrate import alembic_config
    from district.db import MIGRATIONS_DIR, migrate
    from district.models import ComplaintNumber, Record

    station = hub.enrol("WZCQ01")
    first, second = hub.complaint("WZCQ01"), hub.complaint("WZCQ01")
    station.push(first, second)
    cfg = alembic_config(MIGRATIONS_DIR)
    with hub.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    # As the hub before revision 0002 stored it: the second complaint with the first's number.
    with hub.state.db.write() as session:
        session.execute(update(Record).where(Record.uuid == second.uuid).values(
            data={**second.after, "number": first.after["number"]}))
    migrate(hub.engine)
    with hub.state.db.read() as session:
        held = dict(session.execute(select(ComplaintNumber.number, ComplaintNumber.uuid)).all())
    assert held == {first.after["number"]: first.uuid}
    other = hub.enrol("WZMD01")
    copy = hub.complaint("WZMD01", number=first.after["number"])
    assert other.push(copy).results[0].code == RefusalCode.NUMBER_TAKEN


def test_a_complaint_received_in_the_future_is_refused(hub):
    station = hub.enrol("WZCQ01")
    now = _beijing_now(hub)
    ahead = hub.complaint("WZCQ01", received_at=(now + timedelta(days=3)).isoformat(
        timespec="seconds"))
    slightly = hub.complaint("WZCQ01", received_at=(now + timedelta(hours=20)).isoformat(
        timespec="seconds"))
    results = station.push(ahead, slightly).results
    assert [(r.status, r.code, r.fields) for r in results] == [
        ("rejected", RefusalCode.FUTURE, ["received_at"]), ("acked", "", [])]
    assert "比区局平台的时间" in results[0].message
    later = hub.op("complaints", slightly.uuid,
                   {"received_at": (now + timedelta(days=3)).isoformat(timespec="seconds")},
                   before={"received_at": slightly.after["received_at"]}, base_version=1)
    assert station.push(later).results[0].code == RefusalCode.FUTURE
    with pytest.raises(hub.Refused) as refused:
        hub.dispatch(office="WZCQ01", received_at=(now + timedelta(days=3)).isoformat())
    assert refused.value.status == 400 and "接收时间" in refused.value.message


def test_a_dispatch_is_checked_against_the_contract(hub):
    with pytest.raises(hub.Refused) as refused:
        hub.dispatch(office="WZCQ01", complainant_name="张" * 1_000_000, facts=" ")
    assert refused.value.status == 400
    assert refused.value.message == ("未分流：投诉人姓名不能超过 60 个字（现有 1000000 个）；"
                                     "事实与理由不能为空")
    assert hub.count() == 0
    assert hub.dispatch(office="WZCQ01").number.endswith("-900001")


def test_another_devices_operation_id_gets_its_own_answer(hub):
    station, other, third = hub.enrol("WZCQ01"), hub.enrol("WZMD01"), hub.enrol("WZMD")
    new = hub.complaint("WZCQ01")
    [first] = station.push(new).results
    # Another device sends A's very operation: weighed afresh for it, not A's stored answer.
    [replayed] = third.push(new).results
    assert first.status == "acked"
    assert (replayed.status, replayed.code) == ("rejected", RefusalCode.SCOPE)
    # A device's own operation under the same id is applied, not refused as "same id, other
    # content".
    own = hub.complaint("WZMD01").model_copy(update={"op_id": new.op_id})
    assert other.push(own).results[0].status == "acked"
    assert hub.record("complaints", own.uuid)["owner"] == "WZMD01"
    # A still gets its own answer.
    assert station.push(new).results == [first]


def test_a_bad_record_in_a_bundle_is_refused_alone(hub):
    station = hub.enrol("WZCQ01")
    good, bad = hub.complaint("WZCQ01"), hub.complaint("WZCQ01", received_at="garbage")
    receipt_bytes, summary = hub.import_bundle(_bundle(hub, station, [bad, good]))
    assert (summary.acked, summary.rejected) == (1, 1)
    receipt = bundle.read(receipt_bytes, station.enrolment.bundle_key, expect=bundle.RECEIPT)
    results = [OpResult.model_validate(r) for r in receipt.content["results"]]
    assert [(r.status, r.code, r.fields) for r in results] == [
        ("rejected", RefusalCode.INVALID, ["received_at"]), ("acked", "", [])]
    # The bundle's answers are its device's: pushed online later, the same id is a replay.
    assert station.push(good).results[0] == results[1]


def test_a_files_status_is_told_only_to_who_sent_it_or_may_see_it(hub):
    station, sub, stranger = hub.enrol("WZCQ01"), hub.enrol("WZCQ"), hub.enrol("WZMD01")
    data = os.urandom(150_000)
    sha = _sha(data)
    station.open()
    station.put_chunk(sha, 0, data[:64 * 1024], len(data))
    unknown = {"sha256": sha, "size": None, "received": 0, "complete": False}
    # Halfway: the uploader sees its progress, another office's device nothing at all.
    assert station.call("GET", f"/blobs/{sha}").json()["received"] == 64 * 1024
    stranger.open()
    assert stranger.call("GET", f"/blobs/{sha}").json() == unknown
    station.upload(data)
    complaint = hub.complaint("WZCQ01")
    assert [r.status for r in station.push(complaint, hub.attachment(
        complaint.uuid, sha, len(data))).results] == ["acked", "acked"]
    assert stranger.call("GET", f"/blobs/{sha}").json() == unknown
    sub.open()
    assert sub.call("GET", f"/blobs/{sha}").json()["complete"] is True
    # Knowing the hash is not having the file: an attachment naming it waits for the bytes.
    own = hub.complaint("WZMD01")
    claim = hub.attachment(own.uuid, sha, len(data))
    assert [r.status for r in stranger.push(own, claim).results] == ["acked", "deferred"]
    # Other bytes under that hash: refused at the end, as for any file, and nothing replaced.
    forged = os.urandom(len(data))
    for offset in range(0, len(forged), 64 * 1024):
        last = stranger.put_chunk(sha, offset, forged[offset:offset + 64 * 1024], len(forged))
    assert last.status_code == 422 and last.json()["error"]["code"] == "blob_mismatch"
    assert (hub.blob_dir / sha[:2] / sha).read_bytes() == data
    assert stranger.call("GET", f"/blobs/{sha}").json()["received"] == 0
    # The same bytes: its own copy, checked by hash, and its attachment is accepted.
    assert stranger.upload(data).complete
    assert (hub.blob_dir / sha[:2] / sha).read_bytes() == data
    assert not list((hub.blob_dir / "partial").iterdir())
    assert stranger.push(claim).results[0].status == "acked"
    content = stranger.call("GET", f"/blobs/{sha}/content")
    assert content.status_code == 200 and content.content == data


def test_a_second_uploader_may_finish_a_file_another_left_half_done(hub):
    station, stranger = hub.enrol("WZCQ01"), hub.enrol("WZMD01")
    data = os.urandom(150_000)
    sha = _sha(data)
    station.open()
    station.put_chunk(sha, 0, data[:64 * 1024], len(data))
    assert stranger.upload(data).complete
    # The first one's next chunk finds the file whole and the same.
    rest = station.put_chunk(sha, 64 * 1024, data[64 * 1024:], len(data))
    assert rest.status_code == 200 and rest.json()["complete"] is True
    assert (hub.blob_dir / sha[:2] / sha).read_bytes() == data


def test_an_older_program_keeps_working_within_its_window(hub):
    old = hub.enrol("WZCQ01", protocol=1)
    data = os.urandom(5000)
    old.upload(data)
    complaint = hub.complaint("WZCQ01")
    ops = [complaint, hub.mediation(complaint.uuid), hub.attachment(complaint.uuid, _sha(data),
                                                                      len(data))]
    assert [r.status for r in old.push(*ops).results] == ["acked"] * 3
    records, _ = old.pull_all()
    assert {r.uuid for r in records} == {o.uuid for o in ops}
    # A refusal still says why in its message, which is all a version 1 program reads.
    [refused] = old.push(hub.complaint("WZCQ01", received_at="garbage")).results
    assert refused.status == "rejected" and "接收时间" in refused.message


def test_an_over_large_push_is_refused_before_it_is_read(hub):
    station = hub.enrol("WZCQ01")
    station.open()
    body = b'{"ops": ["' + b"x" * (33 * 1024 * 1024) + b'"]}'
    declared = station.call("POST", "/push", content=body,
                            headers={"Content-Type": "application/json"})

    def streamed():
        for _ in range(40):
            yield b"x" * (1024 * 1024)

    unsized = station.call("POST", "/push", content=streamed(),
                           headers={"Content-Type": "application/json"})
    for response in (declared, unsized):
        assert response.status_code == 413
        assert response.json()["error"]["message"].startswith("请求内容过大（上限 32 MB）")
    assert station.push(hub.complaint("WZCQ01")).results[0].status == "acked"
