"""A corrected mediation record travels: the correction is a second record naming the one it
replaces, both accepted and kept by a real hub (append-only on the wire), and the sub-bureau
shows the old one as 已更正 with the reason and the new one in force (SQLite and, with
HEJIE_TEST_PG_URL, PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

from tests.sync.office import by_uuid, office, register, uuid_of


def test_a_correction_reaches_the_hub_and_the_sub_bureau(hub, tmp_path):  # type: ignore[no-untyped-def]
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    s, clerk = station.s, station.clerk
    cid = register(station)
    s.complaints.accept(clerk, cid, expected_version=s.complaints.get(clerk, cid).version)
    s.records.add_mediation_record(clerk, cid, held_at=datetime(2026, 11, 20, 9, 0),
                                   means="on_site", participants="张伟、4S店经理",
                                   content="商家同意更换", result="达成一致")
    assert s.sync.run().rejected == 0  # the first record is at the hub before it is corrected
    [old] = s.records.mediation_records(clerk, cid)
    s.records.correct_mediation_record(
        clerk, cid, old.id, reason="参加人员记错：应为4S店售后主管",
        held_at=old.held_at, means=old.means, participants="张伟、4S店售后主管",
        content=old.content, result=old.result)
    report = s.sync.run()
    assert report.rejected == 0 and report.unanswered == 0
    first, second = s.records.mediation_records(clerk, cid)
    assert first.uuid == old.uuid and first.corrected and second.replaces_id == old.id
    at_hub_old = hub.record("mediation_records", old.uuid)["data"]
    at_hub_new = hub.record("mediation_records", second.uuid)["data"]
    assert at_hub_old["participants"] == "张伟、4S店经理"  # never changed: append-only
    assert at_hub_new["replaces"] == old.uuid
    assert at_hub_new["correction_reason"] == "参加人员记错：应为4S店售后主管"

    sub, _ = office(tmp_path, "sub", "WZCQ", hub)
    sub.s.sync.run()
    there = by_uuid(sub, uuid_of(station, cid))
    assert there is not None
    records = sub.s.records.mediation_records(sub.desk, there.id)
    by = {r.uuid: r for r in records}
    assert set(by) == {old.uuid, second.uuid}
    assert by[old.uuid].corrected and by[old.uuid].replaced_reason == "参加人员记错：应为4S店售后主管"
    assert not by[second.uuid].corrected
    assert by[second.uuid].replaces_id == by[old.uuid].id
    assert by[second.uuid].participants == "张伟、4S店售后主管"
    assert sub.s.audit.verify().ok
