"""Push: idempotent answers, field merges and conflicts, the workflow, scope, children, events."""

from __future__ import annotations

import threading

from sqlalchemy import update

from desktop.sync.protocol import FieldConflict
from district.models import Record
from tests.sync.test_hub_validation import _entry, _list


def _tombstone(hub, entity, uuid):
    """Mark a record deleted in the hub's database, as a delete stored before deletes were
    limited to deletable records left it."""
    with hub.state.db.write() as session:
        session.execute(update(Record).where(Record.entity == entity, Record.uuid == uuid)
                        .values(deleted=True, data={}, blob=None))


def _ids(response):
    return [(r.status, r.version) for r in response.results]


def test_an_operation_is_applied_once_and_its_answer_replayed(hub):
    station = hub.enrol("WZCQ01")
    new = hub.complaint("WZCQ01")
    first = station.push(new)
    assert _ids(first) == [("acked", 1)]
    rec = hub.record("complaints", new.uuid)
    assert (rec["owner"], rec["version"], rec["deleted"]) == ("WZCQ01", 1, False)
    assert rec["data"] == new.after and rec["seq"] == hub.seq()
    # Sent again (the reply was lost): the stored answer, nothing applied twice.
    again = station.push(new)
    assert again.results == first.results
    assert len(hub.history("complaints", new.uuid)) == 1 and hub.count() == 1
    # The same id with other content is refused and changes nothing.
    forged = new.model_copy(update={"after": {**new.after, "facts": "改过的事实"}})
    [refused] = station.push(forged).results
    assert refused.status == "rejected" and refused.message == "操作编号重复但内容不同，未写入"
    assert hub.record("complaints", new.uuid)["data"]["facts"] == "发动机异响。"
    # A conflict's answer is kept as it was given, even after the record moved on.
    late = hub.op("complaints", new.uuid, {"facts": "站里改"}, before={"facts": "别的"},
                  base_version=1)
    [conflict] = station.push(late).results
    station.push(hub.op("complaints", new.uuid, {"subject": "汽车保养"},
                        before={"subject": "汽车维修"}, base_version=1))
    assert station.push(late).results == [conflict]
    assert conflict.status == "conflict"


def test_the_same_operation_sent_twice_at_once_is_applied_once(hub):
    station = hub.enrol("WZCQ01")
    station.open()
    new = hub.complaint("WZCQ01")
    barrier = threading.Barrier(2)
    answers = []

    def send():
        barrier.wait()
        answers.append(station.push(new).results[0])

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [(a.status, a.version) for a in answers] == [("acked", 1), ("acked", 1)]
    assert hub.count("complaints") == 1 and len(hub.history("complaints", new.uuid)) == 1


def test_different_fields_merge_and_the_same_field_is_a_conflict(hub):
    station, sub = hub.enrol("WZCQ01"), hub.enrol("WZCQ")
    new = hub.complaint("WZCQ01")
    station.push(new)
    # The sub-bureau corrects the facts; the station, from version 1, the address.
    assert _ids(sub.push(hub.op("complaints", new.uuid, {"facts": "分局核实的事实"},
                                before={"facts": "发动机异响。"}, base_version=1))) == [("acked", 2)]
    merged = station.push(hub.op("complaints", new.uuid, {"respondent_address": "吴中大道1号"},
                                 before={"respondent_address": "吴中区宝带西路2号"},
                                 base_version=1))
    assert _ids(merged) == [("acked", 3)]
    data = hub.record("complaints", new.uuid)["data"]
    assert data["facts"] == "分局核实的事实" and data["respondent_address"] == "吴中大道1号"
    # The station changes the facts too, from what it saw: a conflict, nothing applied.
    [conflict] = station.push(hub.op("complaints", new.uuid,
                                     {"facts": "站里的事实", "subject": "汽车大修"},
                                     before={"facts": "发动机异响。", "subject": "汽车维修"},
                                     base_version=1)).results
    assert conflict.status == "conflict" and conflict.version == 3
    assert conflict.conflicts == [FieldConflict(field="facts", office_value="站里的事实",
                                                hub_value="分局核实的事实")]
    assert conflict.hub_record["facts"] == "分局核实的事实"
    assert "facts" in conflict.message
    assert hub.record("complaints", new.uuid)["data"]["subject"] == "汽车维修"
    # History: each applied change with the fields before and after.
    history = hub.history("complaints", new.uuid)
    assert [(h["version"], h["kind"]) for h in history] == [(1, "insert"), (2, "update"),
                                                            (3, "update")]
    assert history[1]["before"] == {"facts": "发动机异响。"}
    assert history[1]["after"] == {"facts": "分局核实的事实"}
    assert history[1]["device"] == sub.device_id and history[1]["op_id"]


def test_a_precondition_in_before_only_is_checked(hub):
    station, sub = hub.enrol("WZCQ01"), hub.enrol("WZCQ")
    new = hub.complaint("WZCQ01")
    station.push(new)
    # The sub-bureau accepts it; the station edits the subject, sending the status it saw.
    sub.push(hub.op("complaints", new.uuid, {"status": "accepted", "accepted_on": "2026-11-21"},
                    before={"status": "registered", "accepted_on": None}, base_version=1))
    [answer] = station.push(hub.op("complaints", new.uuid, {"subject": "汽车保养"},
                                   before={"subject": "汽车维修", "status": "registered"},
                                   base_version=1)).results
    assert answer.status == "conflict"
    assert answer.conflicts == [FieldConflict(field="status", office_value="registered",
                                              hub_value="accepted")]
    assert hub.record("complaints", new.uuid)["data"]["subject"] == "汽车维修"
    # With the status it now has, the same edit goes through.
    [ok] = station.push(hub.op("complaints", new.uuid, {"subject": "汽车保养"},
                               before={"subject": "汽车维修", "status": "accepted"},
                               base_version=2)).results
    assert (ok.status, ok.version) == ("acked", 3)


def test_status_changes_must_follow_the_workflow(hub):
    station = hub.enrol("WZCQ01")
    new = hub.complaint("WZCQ01")
    station.push(new)

    def change(after, before):
        return station.push(hub.op("complaints", new.uuid, after, before=before,
                                   base_version=1)).results[0]

    # 登记 → 办结 with nothing that a closure records: not a path the workflow allows.
    jump = change({"status": "closed"}, {"status": "registered"})
    assert jump.status == "rejected"
    assert jump.message.startswith("状态变更「登记」→「办结」不符合办理流程")
    unknown = change({"status": "archived"}, {"status": "registered"})
    assert unknown.status == "rejected" and "archived" in unknown.message
    assert hub.record("complaints", new.uuid)["data"]["status"] == "registered"
    # Several steps taken offline in one operation (不予受理, then 办结) are fine.
    offline = change({"status": "closed", "rejection_ground": "R1", "result": "rejected",
                      "closed_on": "2026-11-21"},
                     {"status": "registered", "rejection_ground": None, "result": None,
                      "closed_on": None})
    assert (offline.status, offline.version) == ("acked", 2)
    # 重新办理 of a complaint never accepted returns it to 登记.
    reopened = station.push(hub.op("complaints", new.uuid, {"status": "registered"},
                                   before={"status": "closed"}, base_version=2)).results[0]
    assert reopened.status == "acked"


def test_a_device_writes_only_within_its_office(hub):
    station, sub, other = hub.enrol("WZCQ01"), hub.enrol("WZCQ"), hub.enrol("WZMD")
    foreign = hub.complaint("WZMD01")
    [refused] = station.push(foreign).results
    assert refused.status == "rejected"
    assert "家居城投诉站" in refused.message and "万达广场投诉站" in refused.message
    assert hub.record("complaints", foreign.uuid) is None
    # A sub-bureau writes for its stations; a station not for its sub-bureau.
    below = hub.complaint("WZCQ01")
    own = hub.complaint("WZCQ")
    assert _ids(sub.push(below, own)) == [("acked", 1), ("acked", 1)]
    [up] = station.push(hub.op("complaints", own.uuid, {"facts": "x"},
                               before={"facts": "发动机异响。"}, base_version=1)).results
    assert up.status == "rejected" and "长桥分局" in up.message
    # Moving a record out of its scope is refused; within it, the record's children follow.
    [away] = sub.push(hub.op("complaints", own.uuid, {"office": "WZMD01"},
                             before={"office": "WZCQ"}, base_version=1)).results
    assert away.status == "rejected" and "家居城投诉站" in away.message
    event = hub.mediation(own.uuid)
    sub.push(event)
    assert hub.record("mediation_records", event.uuid)["owner"] == "WZCQ"
    [moved] = sub.push(hub.op("complaints", own.uuid, {"office": "WZCQ01"},
                              before={"office": "WZCQ"}, base_version=1)).results
    assert moved.status == "acked"
    assert hub.record("complaints", own.uuid)["owner"] == "WZCQ01"
    assert hub.record("mediation_records", event.uuid)["owner"] == "WZCQ01"
    got = {r.uuid for r in station.pull_all()[0]}
    assert {own.uuid, event.uuid, below.uuid} <= got
    # The other sub-bureau sees none of it.
    assert other.pull_all()[0] == []


def test_a_child_waits_for_its_parent(hub):
    sub = hub.enrol("WZCQ")
    parent = hub.complaint("WZCQ01")
    child = hub.mediation(parent.uuid)
    [deferred] = sub.push(child).results
    assert deferred.status == "deferred" and deferred.message == "上级记录尚未到达，稍后重发"
    assert hub.record("mediation_records", child.uuid) is None
    # An edit of a record that has not arrived waits too.
    edit = hub.op("clock_pauses", None, {"reason": "送检"}, before={"reason": "检测"},
                  base_version=1)
    assert sub.push(edit).results[0].status == "deferred"
    # Parent and child in one batch, parent first; the child belongs to the parent's office.
    assert _ids(sub.push(parent, child)) == [("acked", 1), ("acked", 1)]
    assert hub.record("mediation_records", child.uuid)["owner"] == "WZCQ01"
    assert hub.record("mediation_records", child.uuid)["parent_uuid"] == parent.uuid
    # A parent deleted at the hub (a tombstone stored before deletes were limited to
    # deletable records; an office cannot delete a complaint): its new child waits.
    [refused] = sub.push(hub.op("complaints", parent.uuid, kind="delete", base_version=1)).results
    assert refused.status == "rejected"
    _tombstone(hub, "complaints", parent.uuid)
    assert sub.push(hub.mediation(parent.uuid)).results[0].status == "deferred"


def test_events_are_only_added(hub):
    station = hub.enrol("WZCQ01")
    parent = hub.complaint("WZCQ01")
    event = hub.mediation(parent.uuid)
    station.push(parent, event)
    [changed] = station.push(hub.op("mediation_records", event.uuid, {"content": "改写"},
                                    before={"content": "电话沟通。"}, base_version=1)).results
    assert changed.status == "rejected" and changed.message == "调解记录等事件记录只能新增，不能修改"
    [removed] = station.push(hub.op("mediation_records", event.uuid, kind="delete",
                                    base_version=1)).results
    assert removed.status == "rejected"
    # The same event sent again as new (the office lost its state): the same record, no change.
    resent = hub.op("mediation_records", event.uuid, event.after)
    assert _ids(station.push(resent)) == [("acked", 1)]
    assert hub.record("mediation_records", event.uuid)["data"]["content"] == "电话沟通。"


def test_deletes_leave_tombstones(hub):
    # What an office deletes: a draft disclosure list's entry (see test_hub_trust_rules for
    # what it may not delete).
    station = hub.enrol("WZCQ01")
    listed = hub.complaint("WZCQ01")
    draft = _list(hub)
    new = _entry(hub, draft.uuid, listed.uuid)
    station.push(listed, draft, new)
    assert _ids(station.push(hub.op("disclosure_entries", new.uuid, kind="delete",
                                    base_version=1))) == [("acked", 2)]
    rec = hub.record("disclosure_entries", new.uuid)
    assert rec["deleted"] and rec["data"] == {} and rec["version"] == 2
    assert hub.count("disclosure_entries") == 0
    assert hub.history("disclosure_entries", new.uuid)[-1]["before"]["content"] == "x"
    [late] = station.push(hub.op("disclosure_entries", new.uuid, {"content": "y"},
                                 before={"content": "x"}, base_version=1)).results
    assert late.status == "rejected" and late.message == "该记录已在区局删除，未写入"
    # A delete of a record the hub never had keeps a tombstone: a late insert cannot revive it.
    ghost = _entry(hub, draft.uuid, listed.uuid)
    assert station.push(hub.op("disclosure_entries", ghost.uuid,
                               kind="delete")).results[0].status == "acked"
    assert station.push(ghost).results[0].status == "rejected"
    [page] = [hub.enrol("WZCQ01", "另一台电脑").pull_all()[0]]
    assert {(r.uuid, r.deleted) for r in page if r.entity == "disclosure_entries"} == {
        (new.uuid, True), (ghost.uuid, True)}


def test_an_insert_replayed_after_the_office_lost_its_copy(hub):
    station = hub.enrol("WZCQ01")
    new = hub.complaint("WZCQ01")
    station.push(new)
    station.push(hub.op("complaints", new.uuid, {"facts": "新事实"},
                        before={"facts": "发动机异响。"}, base_version=1))
    # Restored from an old backup, the office sends the insert again under a new id.
    same = hub.op("complaints", new.uuid, {**new.after, "facts": "新事实"})
    assert _ids(station.push(same)) == [("acked", 2)]
    old = hub.op("complaints", new.uuid, {**new.after,
                                          "complainant_id_number": "320506199001011234"})
    [answer] = station.push(old).results
    assert answer.status == "conflict"
    assert [c.field for c in answer.conflicts] == ["facts"]


def test_malformed_operations_are_refused_one_by_one(hub):
    station = hub.enrol("WZCQ01")
    good = hub.complaint("WZCQ01")
    results = station.push(hub.op("users", None, {"name": "x"}),
                           hub.op("complaints", "not-a-uuid", {"office": "WZCQ01"}),
                           hub.op("complaints", None, {**good.after, "office": "NOPE"}),
                           hub.op("complaints", None, {"office": "WZCQ01"}, op_id="x" * 65),
                           good).results
    assert [r.status for r in results] == ["rejected"] * 4 + ["acked"]
    assert "users" in results[0].message and "not-a-uuid" in results[1].message
    assert "NOPE" in results[2].message
    bad = station.call("POST", "/push", json={"ops": [{"op_id": "x"}]})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    assert hub.count() == 1
