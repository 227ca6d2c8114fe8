"""回访 and 送达 travel: recorded at a station, checked and kept by a real hub, arriving at its
sub-bureau with the satisfaction they set (SQLite and, with HEJIE_TEST_PG_URL, PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

from desktop.domain.workflow import Result
from tests.sync.office import by_uuid, office, register, uuid_of


def test_a_follow_up_and_a_delivery_reach_the_sub_bureau(hub, tmp_path):  # type: ignore[no-untyped-def]
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    s, clerk = station.s, station.clerk
    cid = register(station)  # received Nov 19, 09:30
    version = lambda: s.complaints.get(clerk, cid).version  # noqa: E731
    s.complaints.accept(clerk, cid, expected_version=version())
    s.aftercare.record_delivery(clerk, cid, notice="acceptance", means="sms",
                                delivered_at=datetime(2026, 11, 20, 9, 40), recipient="张伟",
                                note="短信告知已受理")
    s.complaints.settle(clerk, cid, terms="更换新车", expected_version=version())
    s.complaints.close(clerk, cid, result=Result.SETTLED, expected_version=version())
    s.aftercare.record_follow_up(clerk, cid, called_at=datetime(2026, 11, 20, 9, 50),
                                 callee="张伟", means="phone", reached=True,
                                 satisfaction="basic", note="已换车，对等待时间有意见")
    report = s.sync.run()
    assert report.rejected == 0 and report.unanswered == 0
    [follow_up] = s.aftercare.follow_ups(clerk, cid)
    [delivery] = s.aftercare.deliveries(clerk, cid)
    assert hub.record("follow_ups", follow_up.uuid)["data"]["satisfaction"] == "basic"
    assert hub.record("notice_deliveries", delivery.uuid)["data"]["means"] == "sms"
    assert hub.record("complaints", uuid_of(station, cid))["data"]["satisfaction"] == "basic"

    sub, _ = office(tmp_path, "sub", "WZCQ", hub)
    sub.s.sync.run()
    there = by_uuid(sub, uuid_of(station, cid))
    assert there is not None and there.satisfaction == "basic"
    [arrived] = sub.s.aftercare.follow_ups(sub.desk, there.id)
    assert (arrived.uuid, arrived.callee, arrived.means, arrived.reached, arrived.note) == (
        follow_up.uuid, "张伟", "phone", True, "已换车，对等待时间有意见")
    assert arrived.caller == clerk.display_name  # the station's user, known to the district
    [status] = sub.s.aftercare.notice_status(sub.desk, there.id)
    assert status.notice == "acceptance" and status.late_days == 0
    assert status.first is not None and status.first.uuid == delivery.uuid
    assert status.first.recipient == "张伟" and status.first.note == "短信告知已受理"
    # Nothing waits for a 回访 at the sub-bureau either: the station's reached call counts.
    assert sub.s.aftercare.waiting_follow_ups(sub.desk).total == 0
    assert there.closed_on == date(2026, 11, 20)
    assert sub.s.audit.verify().ok
