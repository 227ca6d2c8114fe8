"""统计's SQL path for the common case (due days joined in SQL, only the rare items worked out row
by row) gives the very figures, late list and open items of the all-Python path, on a generated
database whose rows were then bent into the rare cases: late decisions, proof of identity asked
for (and received, or not yet), 举报 with a merged new fact (clock restarted) and extended checks,
merged 举报, pauses, ODR, terminations with and without a delivered notice, 不予受理 known only from
the audit log, an unknown rule set, items closed long after receipt (some before the due-day
tables' first day), follow-ups, satisfaction and fault. The all-Python path sums the closed items
and counts their working days itself."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.bootstrap import open_services
from desktop.db.statistics import StatisticsRepository
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
            case 13 if closed:  # followed up (once or twice), rated or not, at fault or not
                for k in range(1 + i % 2):
                    db.execute("INSERT INTO follow_ups (complaint_id, called_at, caller_id, callee, means, "
                               "reached, satisfaction, note, uuid, version, updated_at) VALUES "
                               "(?, ?, 1, '', 'phone', 1, NULL, '', ?, 1, '2026-01-01 00:00:00')",
                               (cid, f"{closed + timedelta(days=3 + k)} 10:00:00.000000", f"fu-{cid}-{k}"))
                set_(satisfaction=("satisfied", "basic", "dissatisfied", "", None)[(i // 16) % 5],
                     at_fault=(i // 16) % 3 == 0, recovered_cents=None if i % 5 == 0 else 1000 + i)
            case 14 if closed and status == "closed":  # closed 600 days after receipt
                set_(closed_on=received + timedelta(days=600))
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
        # The last: a month whose items include some received before every due-day table's
        # first day (closed 600 days after receipt: their working days are counted apart).
        long_after = today - timedelta(days=115)
        periods = [Period.year(today.year - 1), Period.quarter(today.year - 1, 2),
                   *(Period.month(today.year - 1, m) for m in (2, 10)),
                   Period.month(long_after.year, long_after.month)]
        sums: list[dict[str, object]] = []
        real_sums = StatisticsRepository.closed_sums

        def closed_sums(self: StatisticsRepository, *args: object, **kw: object) -> dict[str, object]:
            out = real_sums(self, *args, **kw)  # type: ignore[arg-type]
            sums.append(dict(out))
            return out

        monkeypatch.setattr(StatisticsRepository, "closed_sums", closed_sums)
        # Each period's own counts (not only the figures rounded from them).
        counted: list[tuple[object, ...]] = []
        real_facts = StatisticsService._facts

        def facts(self: StatisticsService, *args: object) -> object:
            out = real_facts(self, *args)  # type: ignore[arg-type]
            counted.append((out.closed_sums, out.working_days, out.intake_due, out.intake_met,
                            out.open_bands, out.overdue))
            return out

        monkeypatch.setattr(StatisticsService, "_facts", facts)
        compared = late = 0
        for period in periods:
            for office in (sub.id, None):  # a sub-bureau; the district (no scope)
                query = StatsQuery(period, office)
                monkeypatch.setattr(StatisticsService, "sql_common_case", True)
                fast = s.statistics.report(admin, query)
                fast_counts, counted[:] = counted[:], []
                monkeypatch.setattr(StatisticsService, "sql_common_case", False)
                slow = s.statistics.report(admin, query)
                assert _everything(fast) == _everything(slow), (period, office)
                assert fast_counts == counted, (period, office)
                counted.clear()
                compared += 1
                late += len(fast.late)
                assert fast.figure("intake_rate").value is not None
        assert compared == len(periods) * 2
        # The bent rows reached every closed-cohort count and the working days counted apart.
        assert any(other for x in sums for *_, other in x["days"])  # type: ignore[attr-defined]
        for key in ("followed", "rated", "satisfied", "at_fault", "recovered_cents"):
            assert any(x["sums"][key] for x in sums), key  # type: ignore[index]
        assert late > 0  # the bent rows made late items of every kind of limit
        kinds = {x.limit for p in periods[:1]
                 for x in s.statistics.report(admin, StatsQuery(p, sub.id)).late}
        assert len(kinds) >= 4, kinds
    finally:
        s.close()


def test_the_scopes_passes_read_their_indexes_without_sorting_every_row(bent: Path) -> None:
    """A sub-bureau's year: the closed items summed in the closed index's order (no sort), the
    top respondents from the received index alone, the 举报 before the complaints' window by
    their partial index, the trend month by month (no sort)."""
    from sqlalchemy import event

    plans: dict[str, str] = {}

    def explain(conn, cursor, statement, parameters, context, many):  # type: ignore[no-untyped-def]
        name = ("closed" if "stat_wd" in statement else
                "top" if "respondent_credit_code" in statement else
                "reports" if "complaints.kind = 'report'" in statement else
                "trend" if "UNION ALL" in statement else None)
        if name and not many:  # on the same connection: the temp tables are its own
            plans[name] = " | ".join(row[3] for row in cursor.connection.execute(
                "EXPLAIN QUERY PLAN " + statement, parameters))

    s = open_services(bent)
    try:
        admin = s.users.login("juzhang", "demo1234")
        sub = next(o for o in s.offices.all() if o.code == "WZCQ")
        event.listen(s.ctx.engine, "after_cursor_execute", explain)
        s.statistics.report(admin, StatsQuery(Period.year(s.ctx.clock.today().year - 1), sub.id))
        event.remove(s.ctx.engine, "after_cursor_execute", explain)
    finally:
        s.close()
    assert set(plans) == {"closed", "top", "reports", "trend"}, plans
    assert "USING INDEX ix_complaints_closed_stats" in plans["closed"], plans["closed"]
    assert "TEMP B-TREE" not in plans["closed"], plans["closed"]
    assert "COVERING INDEX ix_complaints_office_received_stats" in plans["top"], plans["top"]
    assert "ix_complaints_report_received" in plans["reports"], plans["reports"]
    assert "TEMP B-TREE" not in plans["trend"], plans["trend"]
