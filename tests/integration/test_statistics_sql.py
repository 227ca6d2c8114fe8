"""统计's SQL path for the common case (due days joined in SQL, only the rare items worked out row
by row) gives the very figures, late list and open items of the all-Python path, on a generated
database whose rows were then bent into the rare cases: late decisions, proof of identity asked
for (and received, or not yet), 举报 with a merged new fact (clock restarted) and extended checks,
merged 举报, pauses, ODR, terminations with and without a delivered notice, 不予受理 known only from
the audit log, an unknown rule set, items closed long after receipt."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.bootstrap import open_services
from desktop.demo.generate import build_demo
from desktop.domain.statistics import Period
from desktop.services.statistics import StatisticsService, StatsQuery, StatsReport
from tests.office_db import office_db


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def _bend(db: Any) -> None:
    rows = db.execute("SELECT id, uuid, received_at, accepted_on, closed_on, status FROM complaints "
                      "WHERE kind = 'complaint' ORDER BY id").fetchall()
    for i, (cid, uuid, received_at, accepted_on, closed_on, status) in enumerate(rows):
        received = _day(received_at)
        accepted = _day(accepted_on) if accepted_on else None
        closed = _day(closed_on) if closed_on else None
        set_ = lambda cid=cid, **kw: db.execute(  # noqa: E731
            f"UPDATE complaints SET {', '.join(f'{k} = ?' for k in kw)} WHERE id = ?",
            [*(v.isoformat() if isinstance(v, date) else v for v in kw.values()), cid])
        match i % 16:
            case 1 if accepted:  # accepted around its due day: before, on it, after
                set_(accepted_on=received + timedelta(days=6 + (i // 16) % 12))
            case 2:  # proof of identity asked for and received; or still awaited (open)
                if closed:
                    set_(id_proof_requested_on=received, id_proof_received_on=received + timedelta(days=4 + i % 9))
                else:
                    set_(id_proof_requested_on=received)
            case 3:  # a 举报, its check restarted by a merged new fact, sometimes extended
                set_(kind="report", accepted_on=None, clock_from=received + timedelta(days=i % 20),
                     case_decided_on=(received + timedelta(days=10 + i % 40)) if closed else None,
                     check_extended_on=(received + timedelta(days=5)) if i % 3 == 0 else None)
            case 4:  # a merged 举报
                set_(kind="report", status="merged", accepted_on=None)
            case 5 if accepted:  # a pause of the mediation clock (one still running when i % 3)
                db.execute("INSERT INTO clock_pauses (complaint_id, started_on, ended_on, reason, uuid, "
                           "version, updated_at) VALUES (?, ?, ?, '鉴定', ?, 1, '2026-01-01 00:00:00')",
                           (cid, (accepted + timedelta(days=2)).isoformat(),
                            None if i % 3 == 0 else (accepted + timedelta(days=2 + i % 30)).isoformat(),
                            f"pause-{cid}"))
                set_(settled_on=accepted + timedelta(days=40 + i % 30))
            case 6 if accepted and closed:  # terminated; the notice delivered late, on time, or never
                terminated = accepted + timedelta(days=i % 20)
                set_(terminated_on=terminated, result="terminated")
                if i % 3:
                    db.execute("INSERT INTO notice_deliveries (complaint_id, notice, means, delivered_at, "
                               "recipient, note, recorded_by_id, uuid, version, updated_at) VALUES "
                               "(?, 'termination', 'post', ?, '张伟', '', 1, ?, 1, '2026-01-01 00:00:00')",
                               (cid, f"{terminated + timedelta(days=i % 15)} 10:00:00", f"nd-{cid}"))
            case 7 if closed:  # 不予受理 (or 转办), dated by the audit log only (or not at all)
                set_(accepted_on=None, result="rejected" if i % 2 else "transferred")
                if i % 5:
                    db.execute("INSERT INTO audit_log (at, username, office_code, action, entity, "
                               "entity_uuid, operation, prev_hash, hash) VALUES "
                               "(?, 'x', 'X', ?, 'complaints', ?, 'update', '', '')",
                               (f"{received + timedelta(days=i % 14)} 03:00:00.000000",
                                "不予受理" if i % 2 else "转办", uuid))
            case 8 if accepted:  # ODR first, mediation started late
                set_(odr_started_on=accepted, mediation_started_on=accepted + timedelta(days=i % 25))
            case 9:
                set_(rule_set_code="no-such-rules")
            case 10 if accepted and closed:  # settled late, or a violation found first
                set_(settled_on=accepted + timedelta(days=30 + i % 40),
                     violation_found_on=(accepted + timedelta(days=10)) if i % 2 else None)
            case 11 if closed and status == "closed":  # closed long after receipt
                set_(closed_on=closed + timedelta(days=300 + i % 200))
            case 12 if not closed:  # open, never decided
                set_(accepted_on=None, status="registered")
    db.commit()


@pytest.fixture(scope="module")
def bent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("stats-rare")
    s = open_services(data)
    try:
        build_demo(s, complaints=2000)
    finally:
        s.close()
    db = office_db(data)
    try:
        _bend(db)
    finally:
        db.close()
    return data


def _everything(report: StatsReport) -> dict[str, object]:
    return {"figures": [(f.key, f.value, f.year_before, f.previous) for f in report.figures],
            "late": report.late, "open": report.table("open").rows}


def test_the_sql_common_case_equals_the_python_path_on_rare_cases(
        bent: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = open_services(bent)
    try:
        admin = s.users.login("juzhang", "demo1234")
        today = s.ctx.clock.today()
        sub = next(o for o in s.offices.all() if o.code == "WZCQ")
        periods = [Period.year(today.year - 1), Period.quarter(today.year - 1, 2),
                   *(Period.month(today.year - 1, m) for m in (2, 10))]
        compared = late = 0
        for period in periods:
            for office in (sub.id, None):  # a sub-bureau; the district (no scope)
                query = StatsQuery(period, office)
                monkeypatch.setattr(StatisticsService, "sql_common_case", True)
                fast = s.statistics.report(admin, query)
                monkeypatch.setattr(StatisticsService, "sql_common_case", False)
                slow = s.statistics.report(admin, query)
                assert _everything(fast) == _everything(slow), (period, office)
                compared += 1
                late += len(fast.late)
                assert fast.figure("intake_rate").value is not None
        assert compared == len(periods) * 2
        assert late > 0  # the bent rows made late items of every kind of limit
        kinds = {x.limit for p in periods[:1]
                 for x in s.statistics.report(admin, StatsQuery(p, sub.id)).late}
        assert len(kinds) >= 4, kinds
    finally:
        s.close()
