"""Complaints that arrive by sync (a district dispatch, another office's registrations pulled
by its sub-bureau) are tallied for the ledger's total like those registered here (migration 0019)."""

from __future__ import annotations

from sqlalchemy import text

from desktop.domain.complaint import ComplaintFilter
from tests.sync.office import office, register


def test_pulled_complaints_are_tallied(hub, tmp_path):  # type: ignore[no-untyped-def]
    hub.dispatch(office="WZCQ01", received_at="2026-11-19T18:30:00+08:00")
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    for _ in range(2):
        register(station)
    station.s.sync.run()
    sub, _ = office(tmp_path, "sub", "WZCQ", hub)
    register(sub, sub.desk)
    sub.s.sync.run()
    for world in (station, sub):
        with world.s.ctx.engine.connect() as con:
            real = dict(tuple(r) for r in con.execute(text(
                "SELECT office_id, count(*) FROM complaints GROUP BY office_id")))
            tally = {o: n for o, n in con.execute(text("SELECT office_id, n FROM complaint_tally")) if n}
        assert tally == real
    assert station.s.complaints.count(station.clerk, ComplaintFilter()) == 3  # 2 + the dispatch
    assert sub.s.complaints.count(sub.desk, ComplaintFilter()) == 4  # the station's 3 + its own
