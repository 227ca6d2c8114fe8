"""What the hub refuses of a station that means harm or is broken (the attacker's review of issue
14): another office's complaint numbers, deletes of what travels, references outside the
device's offices, a status without what its steps record, blanks written over required fields,
text that cannot be stored. A real hub on loopback, real device tokens, SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json

from desktop.sync.protocol import PushResponse, RefusalCode
from district.push import payload_hash
from tests.sync.conftest import complaint_fields
from tests.sync.office import by_uuid, office, register, uuid_of
from tests.sync.test_hub_validation import _entry, _list


# ------------------------------------------------------------------------------ A2. numbers
def test_a_station_cannot_take_another_offices_complaint_numbers(hub):
    station, other, sub = hub.enrol("WZCQ01"), hub.enrol("WZMD01"), hub.enrol("WZCQ")
    squats = [hub.complaint("WZMD01", number=f"WZCQ01-20261119-{i:04d}") for i in (1, 2)]
    unknown = hub.complaint("WZMD01", number="XX99-20261119-0001")
    malformed = hub.complaint("WZMD01", number="WZMD01-2026-0001")
    lowercase = hub.complaint("WZMD01", number="wzmd01-20261119-0001")
    # Imported history is numbered under the importing office's code as well.
    history = hub.complaint("WZMD01", number="WZCQ01-20190301-0001", channel_code="history")
    own = hub.complaint("WZMD01", number="WZMD01-20261119-0001")
    results = other.push(*squats, unknown, malformed, lowercase, history, own).results
    assert [(r.status, r.code, r.fields) for r in results] == [
        ("rejected", RefusalCode.INVALID, ["number"])] * 6 + [("acked", "", [])]
    assert results[0].message == (
        "未写入：投诉单号「WZCQ01-20261119-0001」以「万达广场投诉站（WZCQ01）」的单位代码开头，"
        "不在本设备所属单位「家居城投诉站（WZMD01）」的范围内；投诉单号只能用本单位或下属单位的代码")
    assert "单位代码「XX99」在区局平台不存在" in results[2].message
    assert "格式不正确" in results[3].message and "格式不正确" in results[4].message
    for squat in (*squats, unknown, malformed, lowercase, history):
        assert hub.record("complaints", squat.uuid) is None
    # Changing a number to another office's is refused the same way.
    move = hub.op("complaints", own.uuid, {"number": "WZCQ01-20261119-0003"},
                  before={"number": own.after["number"]}, base_version=1)
    [moved] = other.push(move).results
    assert (moved.status, moved.code, moved.fields) == ("rejected", RefusalCode.INVALID,
                                                        ["number"])
    # The station itself, and its sub-bureau, use the station's code.
    assert station.push(hub.complaint("WZCQ01", number="WZCQ01-20261119-0001")).results[0] \
        .status == "acked"
    assert sub.push(hub.complaint("WZCQ01", number="WZCQ01-20261119-0002")).results[0] \
        .status == "acked"


def test_a_squatted_number_never_makes_the_station_renumber(hub, tmp_path):
    attacker = hub.enrol("WZMD01")  # a station of another sub-bureau
    attacker.push(*[hub.complaint("WZMD01", number=f"WZCQ01-20261119-{i:04d}")
                    for i in range(1, 4)])
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    uuid = uuid_of(station, register(station))
    number = by_uuid(station, uuid).number
    report = station.s.sync.run(station.clerk)
    assert report.renumbered == [] and report.rejected == 0
    assert by_uuid(station, uuid).number == number
    assert hub.record("complaints", uuid)["data"]["number"] == number


# ------------------------------------------------------------------------------ A4. deletes
def test_only_records_offices_delete_may_be_deleted_and_never_with_records_under_them(hub):
    station, sub = hub.enrol("WZCQ01"), hub.enrol("WZCQ")
    complaint = hub.complaint("WZCQ01")
    talk = hub.mediation(complaint.uuid)
    draft = _list(hub)
    entry = _entry(hub, draft.uuid, complaint.uuid)
    station.push(complaint, talk, draft, entry)
    # A complaint (its number would be released while offices hold it), its attachment, a
    # disclosure list: refused, whatever is under them.
    for entity, uuid in (("complaints", complaint.uuid), ("disclosure_lists", draft.uuid),
                         ("complaints", hub.new_uuid())):  # nor a tombstone of one never sent
        [refused] = station.push(hub.op(entity, uuid, kind="delete", base_version=1)).results
        assert (refused.status, refused.code) == ("rejected", RefusalCode.OTHER)
        assert "不能删除" in refused.message
    [refused] = station.push(hub.op("complaints", complaint.uuid, kind="delete",
                                    base_version=1)).results
    assert refused.message.startswith("投诉不能删除")
    assert not hub.record("complaints", complaint.uuid)["deleted"]
    assert not hub.record("mediation_records", talk.uuid)["deleted"]
    # A disclosure entry with a request filed against it stays.
    request = hub.op("disclosure_requests", None, {
        "kind": "objection", "entry": entry.uuid, "complaint": complaint.uuid, "office": "WZCQ01",
        "status": "pending", "reason": "已和解", "new_content": None, "old_content": None,
        "requester": "", "requester_address": "", "filed_at": "2026-11-20T09:00:00",
        "filed_by": hub.new_uuid()})
    assert station.push(request).results[0].status == "acked"
    [held] = station.push(hub.op("disclosure_entries", entry.uuid, kind="delete",
                                 base_version=1)).results
    assert (held.status, held.code) == ("rejected", RefusalCode.OTHER)
    assert held.message == "公示条目下还有不予公示/更正申请，不能删除，未写入"
    # An entry without one is dropped when its draft list is rebuilt.
    loose = _entry(hub, draft.uuid, complaint.uuid)
    station.push(loose)
    [dropped] = station.push(hub.op("disclosure_entries", loose.uuid, kind="delete",
                                    base_version=1)).results
    assert dropped.status == "acked" and hub.record("disclosure_entries", loose.uuid)["deleted"]
    # The sub-bureau still receives the complaint and everything under it.
    got = {r.uuid: r.deleted for r in sub.pull_all()[0]}
    assert got[complaint.uuid] is False and got[talk.uuid] is False
    assert got[entry.uuid] is False


# ------------------------------------------------------------------------------ A5. references
def test_a_record_may_name_only_records_within_the_devices_offices(hub):
    station, other, sub, district = (hub.enrol("WZCQ01"), hub.enrol("WZMD01"), hub.enrol("WZCQ"),
                                     hub.enrol("WZ"))
    theirs = hub.complaint("WZMD01")
    other.push(theirs)
    mine = hub.complaint("WZCQ01")
    draft = _list(hub)
    foreign = _entry(hub, draft.uuid, theirs.uuid)
    fine = _entry(hub, draft.uuid, mine.uuid)
    results = station.push(mine, draft, foreign, fine).results
    assert [(r.status, r.code, r.fields) for r in results] == [
        ("acked", "", []), ("acked", "", []), ("rejected", RefusalCode.SCOPE, ["complaint"]),
        ("acked", "", [])]
    assert results[2].message == (
        f"未写入：所属投诉「{theirs.uuid}」是「家居城投诉站（WZMD01）」的投诉，"
        "不在本设备所属单位「万达广场投诉站（WZCQ01）」的范围内")
    assert hub.record("disclosure_entries", foreign.uuid) is None
    # Nor may an entry be pointed at it later.
    repoint = hub.op("disclosure_entries", fine.uuid, {"complaint": theirs.uuid},
                     before={"complaint": mine.uuid}, base_version=1)
    [refused] = station.push(repoint).results
    assert (refused.status, refused.code, refused.fields) == ("rejected", RefusalCode.SCOPE,
                                                              ["complaint"])
    assert hub.record("disclosure_entries", fine.uuid)["data"]["complaint"] == mine.uuid
    # The sub-bureau never receives a record naming another sub-bureau's complaint.
    assert theirs.uuid not in {r.data.get("complaint") for r in sub.pull_all()[0]}
    # The district's own desk may name any office's records.
    district_list = _list(hub, "WZ")
    assert [r.status for r in district.push(
        district_list, _entry(hub, district_list.uuid, theirs.uuid)).results] == ["acked"] * 2


# ------------------------------------------------------------------------------ A6. evidence, blanks
def test_a_new_complaint_carries_what_the_steps_to_its_status_record(hub):
    station = hub.enrol("WZCQ01")
    bare = [hub.complaint("WZCQ01", status=s) for s in ("closed", "settled", "rejected")]
    closed_undated = hub.complaint("WZCQ01", status="closed", result="not_settled",
                                   termination_ground="双方分歧过大")
    history_bare = hub.complaint("WZCQ01", status="closed", channel_code="history")
    whole = [hub.complaint("WZCQ01", status="closed", result="rejected",
                           rejection_ground="不属于受理范围", closed_on="2026-11-21"),
             hub.complaint("WZCQ01", status="settled", settlement_terms="退款 500 元"),
             hub.complaint("WZCQ01", status="rejected", rejection_ground="不属于受理范围"),
             hub.complaint("WZCQ01", status="mediating")]
    results = station.push(*bare, closed_undated, history_bare, *whole).results
    assert [r.status for r in results] == ["rejected"] * 5 + ["acked"] * 4
    assert results[0].message.startswith("状态变更「登记」→「办结」不符合办理流程：记录缺少")
    assert "调解协议内容" in results[1].message and "不予受理依据" in results[2].message
    assert "办结日期" in results[3].message
    for op in (*bare, closed_undated, history_bare):
        assert hub.record("complaints", op.uuid) is None


def test_an_update_cannot_blank_what_a_registration_requires(hub):
    station = hub.enrol("WZCQ01")
    new = hub.complaint("WZCQ01")
    old = hub.complaint("WZCQ01", channel_code="history")
    station.push(new, old)
    blank = hub.op("complaints", new.uuid, {"complainant_name": "", "facts": " ", "subject": "汽车保养"},
                   before={"complainant_name": "张伟", "facts": "发动机异响。", "subject": "汽车维修"},
                   base_version=1)
    [refused] = station.push(blank).results
    assert (refused.status, refused.code, refused.fields) == (
        "rejected", RefusalCode.INVALID, ["complainant_name", "facts"])
    assert refused.message == "未写入：投诉人姓名不能为空；事实与理由不能为空"
    assert hub.record("complaints", new.uuid)["data"]["complainant_name"] == "张伟"
    # Imported history may lack it.
    emptied = hub.op("complaints", old.uuid, {"facts": ""}, before={"facts": "发动机异响。"},
                     base_version=1)
    assert station.push(emptied).results[0].status == "acked"


# ------------------------------------------------------------------------------ A8. unstorable text
def _raw_push(device, ops: list, replace: dict[str, str]) -> tuple[int, str]:
    """Push ops as JSON text in which some values are replaced by raw JSON (escapes that
    pydantic would never produce, such as a lone surrogate)."""
    text = json.dumps({"ops": [op.model_dump(mode="json") for op in ops]}, ensure_ascii=True)
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new, 1)
    device._session()
    response = device.call("POST", "/push", content=text.encode(),
                           headers={"Content-Type": "application/json"})
    return response.status_code, response.text


def test_an_operation_holding_what_cannot_be_stored_is_refused_alone(hub):
    station, sub = hub.enrol("WZCQ01"), hub.enrol("WZCQ")
    good, lone = hub.complaint("WZCQ01"), hub.complaint("WZCQ01", complainant_name="SURROGATE")
    bad_id = hub.op("complaints", None, complaint_fields("WZCQ01"), op_id="OPID-SURROGATE")
    status, body = _raw_push(station, [good, lone, bad_id],
                             {"SURROGATE": "\\ud800", "OPID-SURROGATE": "op-\\udfff"})
    assert status == 200, body
    results = PushResponse.model_validate_json(body).results
    assert [(r.status, r.code, r.fields) for r in results] == [
        ("acked", "", []), ("rejected", RefusalCode.INVALID, ["complainant_name"]),
        ("rejected", RefusalCode.OTHER, [])]
    assert results[1].message.startswith("未写入：投诉人姓名含有无效字符")
    assert results[2].op_id == "op-\ufffd" and "含有无效字符" in results[2].message
    assert hub.record("complaints", good.uuid) is not None
    assert hub.record("complaints", lone.uuid) is None
    assert hub.record("complaints", bad_id.uuid) is None
    # Sent again: the same stored answer.
    again = _raw_push(station, [lone], {"SURROGATE": "\\ud800"})
    assert PushResponse.model_validate_json(again[1]).results == [results[1]]
    # NaN in a precondition, a lone surrogate in a name beside the record or in an unknown
    # field's name: refused alone too, the good operation of the batch stored.
    edit = hub.op("complaints", good.uuid, {"subject": "汽车保养"}, before={"subject": 1.5},
                  base_version=1)
    people = hub.op("complaints", None, complaint_fields("WZCQ01"),
                    people={hub.new_uuid(): "PEOPLE-SURROGATE"})
    field = hub.complaint("WZCQ01", FIELD_SURROGATE="x")
    fine = hub.complaint("WZCQ01")
    status, body = _raw_push(station, [edit, people, field, fine],
                             {"1.5": "NaN", "PEOPLE-SURROGATE": "\\udc00",
                              "FIELD_SURROGATE": "\\ud801"})
    assert status == 200, body
    results = PushResponse.model_validate_json(body).results
    assert [(r.status, r.fields) for r in results] == [
        ("rejected", ["before"]), ("rejected", ["people"]), ("rejected", ["\ufffd"]),
        ("acked", [])]
    assert hub.record("complaints", fine.uuid) is not None
    assert hub.record("complaints", good.uuid)["data"]["subject"] == "汽车维修"
    assert {good.uuid, fine.uuid} <= {r.uuid for r in sub.pull_all()[0]}


def test_a_body_with_long_digits_a_duplicate_key_and_a_wrong_type_is_answered_op_by_op(hub):
    """The body's reading (desktop/sync/json_read): a run of 20 digits in a text sends it to the
    standard library, a duplicate key keeps its last value as json.loads does, and a field of
    the wrong type is refused for its operation alone."""
    station = hub.enrol("WZCQ01")
    digits = hub.complaint("WZCQ01", facts="订单号 12345678901234567890 未发货")
    twice = hub.complaint("WZCQ01", subject="FIRST-SUBJECT")
    wrong = hub.complaint("WZCQ01", complainant_name="WRONG-TYPE")
    status, body = _raw_push(station, [digits, twice, wrong], {
        '"subject": "FIRST-SUBJECT"': '"subject": "first", "subject": "第二次"',
        '"WRONG-TYPE"': "12345"})
    assert status == 200, body
    results = PushResponse.model_validate_json(body).results
    assert [(r.status, r.fields) for r in results] == [
        ("acked", []), ("acked", []), ("rejected", ["complainant_name"])]
    assert hub.record("complaints", digits.uuid)["data"]["facts"] == "订单号 12345678901234567890 未发货"
    assert hub.record("complaints", twice.uuid)["data"]["subject"] == "第二次"
    assert hub.record("complaints", wrong.uuid) is None


def test_the_hash_of_a_valid_operation_is_what_it_always_was(hub):
    # Stored answers of earlier pushes are keyed by it: a replay must still match.
    op = hub.complaint("WZCQ01", complainant_name="张伟 😀", facts="事实\u3000与理由")
    canonical = json.dumps(op.model_dump(mode="json"), sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    assert payload_hash(op) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    station = hub.enrol("WZCQ01")
    first = station.push(op).results
    assert station.push(op).results == first and first[0].status == "acked"
