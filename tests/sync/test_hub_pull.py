"""Pull: each office's scope, pages in sequence order, signed cursors, the tombstone horizon."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.orm import Session

from desktop.sync.protocol import ErrorCode, PullResponse
from district import cursor, store
from district.models import Record
from tests.sync.test_hub_validation import _entry, _list


def _seed(hub):
    """One complaint per office (with a mediation record at the station), pushed by the
    district's device, which may write anywhere."""
    district = hub.enrol("WZ")
    made = {office: hub.complaint(office) for office in ("WZ", "WZCQ", "WZCQ01", "WZMD", "WZMD01")}
    event = hub.mediation(made["WZCQ01"].uuid)
    assert {r.status for r in district.push(*made.values(), event).results} == {"acked"}
    return {office: op.uuid for office, op in made.items()}, event.uuid


def test_each_office_pulls_its_own_records_and_those_below_it(hub):
    uuids, event = _seed(hub)
    seen = {}
    for office in ("WZ", "WZCQ", "WZCQ01", "WZMD01"):
        records, _ = hub.enrol(office).pull_all()
        seen[office] = {r.uuid for r in records}
    assert seen["WZ"] == set(uuids.values()) | {event}
    assert seen["WZCQ"] == {uuids["WZCQ"], uuids["WZCQ01"], event}
    assert seen["WZCQ01"] == {uuids["WZCQ01"], event}  # not its sub-bureau's, not its sibling's
    assert seen["WZMD01"] == {uuids["WZMD01"]}


def test_pages_come_in_sequence_order_and_the_cursor_continues(hub):
    station, writer = hub.enrol("WZCQ01"), hub.enrol("WZCQ01", "另一台电脑")
    writer.push(*[hub.complaint("WZCQ01") for _ in range(7)])
    pages, position = [], ""
    while True:
        page = station.pull(position, limit=3)
        pages.append(page)
        position = page.cursor
        if not page.more:
            break
    assert [len(p.records) for p in pages] == [3, 3, 1]
    assert [p.more for p in pages] == [True, True, False]
    seqs = [r.seq for p in pages for r in p.records]
    assert seqs == sorted(seqs) and len(set(seqs)) == 7
    first = pages[0].records[0]
    assert (first.entity, first.owner, first.version, first.deleted) == ("complaints", "WZCQ01",
                                                                         1, False)
    assert first.data["office"] == "WZCQ01"
    # Nothing new: an empty page; a later change arrives with the next pull only.
    assert station.pull(position).records == []
    later = hub.complaint("WZCQ01")
    writer.push(later)
    assert [r.uuid for r in station.pull(position).records] == [later.uuid]
    too_big = station.call("GET", "/pull", params={"limit": 5000})
    assert too_big.status_code == 422 and too_big.json()["error"]["code"] == ErrorCode.INVALID


def test_a_cursor_the_hub_cannot_trust_means_a_full_download(hub):
    station = hub.enrol("WZCQ01")
    hub.enrol("WZCQ01", "另一台电脑").push(hub.complaint("WZCQ01"))
    good = station.pull().cursor
    _, mac = good.split(".")
    secret = hub.state.db.identity()[1]
    untrusted = [
        "garbage", "eyJodWIiOiAxfQ.c2ln", good + "x",
        cursor.encode(hub.hub_id, "00" * 32, 0).split(".")[0] + "." + mac,  # its seq changed
        cursor.encode("00000000-0000-0000-0000-000000000000", secret, 1),  # another hub's
        cursor.encode(hub.hub_id, secret, 99),  # ahead of this hub (a restored database)
    ]
    for bad in untrusted:
        response = station.call("GET", "/pull", params={"cursor": bad})
        assert response.status_code == 410, bad
        assert response.json() == {"error": {"code": ErrorCode.CURSOR_INVALID,
                                             "message": "同步位置无效或已过期，需要重新下载全部数据"}}
    assert len(station.pull("").records) == 1  # from the beginning


def test_pruned_tombstones_raise_the_horizon_and_older_cursors_are_refused(hub):
    station, writer = hub.enrol("WZCQ01"), hub.enrol("WZCQ01", "另一台电脑")
    # What an office deletes: a draft disclosure list's entry (complaints are never deleted).
    listed = hub.complaint("WZCQ01")
    kept = _list(hub)
    gone = _entry(hub, kept.uuid, listed.uuid)
    writer.push(listed, kept, gone)
    before_delete = station.pull().cursor
    writer.push(hub.op("disclosure_entries", gone.uuid, kind="delete", base_version=1))
    records, after_delete = station.pull_all(before_delete)
    assert [(r.uuid, r.deleted, r.data) for r in records] == [(gone.uuid, True, {})]
    assert hub.prune(days=30) == (0, 0)  # too young to prune
    hub.clock.advance(31 * 86_400)
    removed, horizon = hub.prune(days=30)
    station.open()  # a month later: the old session has long expired
    assert removed == 1 and horizon == hub.record("disclosure_lists", kept.uuid)["seq"] + 2
    assert hub.record("disclosure_entries", gone.uuid) is None
    # The office that saw the deletion goes on; one that did not must download everything.
    assert station.pull(after_delete).records == []
    stale = station.call("GET", "/pull", params={"cursor": before_delete})
    assert stale.status_code == 410
    assert [r.uuid for r in station.pull_all()[0]] == [listed.uuid, kept.uuid]
    hub.set_horizon(10_000)
    assert station.call("GET", "/pull", params={"cursor": after_delete}).status_code == 410


def test_the_hub_says_when_its_record_is_exactly_the_offices(hub):
    station, colleague = hub.enrol("WZCQ01"), hub.enrol("WZCQ01", "另一台电脑")
    mine = hub.complaint("WZCQ01")
    [made] = station.push(mine).results
    assert (made.status, made.version, made.yours) == ("acked", 1, True)
    colleague.push(hub.op("complaints", mine.uuid, {"facts": "同事改过的事实。"},
                          before={"facts": "发动机异响。"}, base_version=1))
    # The station, still at version 1, edits another field: merged onto version 2, so the
    # hub's record is not the station's.
    [merged] = station.push(hub.op("complaints", mine.uuid, {"request": "退款"},
                                   before={"request": "免费维修"}, base_version=1)).results
    assert (merged.status, merged.version, merged.yours) == ("acked", 3, False)
    # The same edit again at version 1 changes nothing, and still is not the station's record.
    [same] = station.push(hub.op("complaints", mine.uuid, {"request": "退款"},
                                 before={"request": "免费维修"}, base_version=1)).results
    assert (same.status, same.version, same.yours) == ("acked", 3, False)
    # Its next edit goes straight onto version 3.
    [straight] = station.push(hub.op("complaints", mine.uuid, {"request": "换货"},
                                     before={"request": "退款"}, base_version=3)).results
    assert (straight.version, straight.yours) == (4, True)
    # Every device of the office is served every change, its own included.
    assert [r.version for r in station.pull().records] == [4]


def test_dispatched_complaints_reach_the_target_office_only(hub):
    sent = hub.dispatch(office="WZCQ01", received_at="2026-11-19T18:30:00+08:00")
    second = hub.dispatch(office="WZMD01", district_number="12315-2026-0002",
                          received_at="2026-11-19T16:00:00Z", amount_cents=12800)
    # Under the district's code, in the sequences its own desk never reaches.
    assert (sent.number, sent.office) == ("WZ-20261119-900001", "WZCQ01")
    # 16:00 UTC is after midnight in Beijing: the next day's first number.
    assert second.number == "WZ-20261120-900001"
    station, other, sub = hub.enrol("WZCQ01"), hub.enrol("WZMD01"), hub.enrol("WZCQ")
    [got] = station.pull().records
    assert got.uuid == sent.uuid and got.owner == "WZCQ01"
    data = got.data
    assert data["number"] == sent.number and data["channel_code"] == "district"
    assert data["status"] == "registered" and data["received_at"] == "2026-11-19T18:30:00"
    assert data["district_number"] == "12315-2026-0001" and data["office"] == "WZCQ01"
    assert "rule_set_code" not in data and "due_on" not in data
    assert got.people == {data["registered_by"]: "区局平台"}
    assert [r.uuid for r in sub.pull().records] == [sent.uuid]
    assert [r.data["amount_cents"] for r in other.pull().records] == [12800]
    [made] = hub.history("complaints", sent.uuid)
    assert (made["device"], made["kind"], made["version"]) == ("district", "dispatch", 1)
    # The same pseudo-user for every dispatch of this hub.
    assert hub.record("complaints", second.uuid)["data"]["registered_by"] == data["registered_by"]
    refused = hub.admin.post("/dispatch", json={"office": "NOPE", "district_number": "1",
                                                "received_at": "2026-11-19T10:00:00",
                                                "complainant_name": "x", "complainant_phone": "1",
                                                "respondent_name": "x", "subject": "x",
                                                "category_code": "x", "request": "x",
                                                "facts": "x"})
    assert refused.status_code == 400 and "NOPE" in refused.json()["error"]["message"]


def test_a_pull_never_passes_a_change_still_being_committed(hub):
    """The safe high-water mark: a change holding the counter is invisible to pulls, and the
    cursor they hand out stays below it, so it is not skipped once it commits."""
    if hub.kind == "sqlite":
        pytest.skip("SQLite has one writer at a time: the pull's session update would wait")
    station = hub.enrol("WZCQ01")
    hub.enrol("WZCQ01", "另一台电脑").push(hub.complaint("WZCQ01"))
    committed = hub.seq()
    hold, release = threading.Event(), threading.Event()
    late = hub.new_uuid()

    def slow_writer():
        with Session(hub.engine) as session, session.begin():
            seq = store.lock_counter(session) + 1
            data = hub.complaint("WZCQ01").after
            session.add(Record(uuid=late, entity="complaints", owner="WZCQ01", version=1,
                               seq=seq, deleted=False, data=data, people={},
                               created_at=hub.clock.now(), updated_at=hub.clock.now()))
            session.flush()
            store.save_counter(session, seq)
            hold.set()
            release.wait(10)

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert hold.wait(10)
    page = station.pull()
    assert [r.seq for r in page.records] == [committed]
    release.set()
    writer.join()
    assert [r.uuid for r in station.pull(page.cursor).records] == [late]


def test_a_page_written_from_the_stored_json_is_the_records_as_stored(hub):
    """The hub writes a pulled page with the records' stored JSON spliced in (issue 24): it
    reads back as exactly the records the hub holds, a tombstone's fields as {}."""
    uuids, event = _seed(hub)
    listed, kept = hub.complaint("WZCQ01"), _list(hub)
    gone = _entry(hub, kept.uuid, listed.uuid)
    writer = hub.enrol("WZCQ01", "另一台电脑")
    writer.push(listed, kept, gone)
    writer.push(hub.op("disclosure_entries", gone.uuid, kind="delete", base_version=1))
    with hub.state.db.read() as session:
        upto, _ = store.high_water(session)
        scope = ["WZ", "WZCQ", "WZCQ01", "WZMD", "WZMD01"]
        expected, _ = store.pull_page(session, scope, 0, upto, None)
        text, last, more = store.pull_page_json(session, scope, 0, upto, 100)
    page = PullResponse.model_validate_json(b'{"records":' + text + b',"cursor":"","more":false}')
    assert page.records == [store.to_wire(r) for r in expected]
    assert (last, more) == (expected[-1].seq, False)
    assert {r.uuid for r in page.records} >= set(uuids.values()) | {event, gone.uuid}
    [tombstone] = [r for r in page.records if r.uuid == gone.uuid]
    assert (tombstone.deleted, tombstone.data) == (True, {})
    with hub.state.db.read() as session:  # a page short of the end says so, and where
        text, last, more = store.pull_page_json(session, scope, 0, upto, 2)
    assert (len(PullResponse.model_validate_json(
        b'{"records":' + text + b',"cursor":"","more":true}').records), last, more) == (
        2, expected[1].seq, True)
