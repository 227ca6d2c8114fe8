"""Monthly disclosure benchmark: build a month's list over a district's history, then the rest
of the round, each step timed through the real services.

    .venv/bin/python bench/bench_disclosure.py --complaints 200000

Builds the demo database of that size once (bench/out/disclosure-N, reused while it holds N
complaints), then, as the district's section (钱晓宝, every office), for the busiest month:
builds the list (finds the month's closed complaints, masks every summary, freezes the
per-enterprise figures), rebuilds it (nothing changed), reads the overview the 公示 page shows,
renders the 公示审批表, submits, approves twice, publishes and writes the four files. Each step
runs once per month on a fresh copy of the list, --months times; median and max are printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _db import unlock_demo  # noqa: E402  (bench/_db.py)

from desktop.bootstrap import open_services  # noqa: E402
from desktop.demo.generate import DEMO_PASSWORD, build_demo  # noqa: E402
from desktop.services.printing import FormRequest  # noqa: E402


def busiest_months(s, count: int) -> list[date]:  # type: ignore[no-untyped-def]
    with s.ctx.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT substr(closed_on, 1, 7) AS m, count(*) FROM complaints "
            "WHERE status = 'closed' AND accepted_on IS NOT NULL "
            "AND result IN ('settled', 'not_settled', 'terminated') "
            "GROUP BY m ORDER BY count(*) DESC LIMIT ?", (count,)).all()
    return [date(int(m[:4]), int(m[5:7]), 1) for m, _ in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("--months", type=int, default=3)
    args = parser.parse_args()
    folder = Path(__file__).parent / "out" / f"disclosure-{args.complaints}"
    fresh = not (folder / "hejie.db").exists()
    unlock_demo(folder)  # an encrypted demo: its key opened with the demo password
    s = open_services(folder)
    if fresh:
        print(f"building the demo database ({args.complaints:,} complaints)…", file=sys.stderr)
        build_demo(s, complaints=args.complaints)
    login = lambda name: s.users.login(name, DEMO_PASSWORD)  # noqa: E731
    section, head, deputy = login("xiaobao"), login("bumen"), login("juzhang")
    times: dict[str, list[float]] = {}

    def timed(step: str, fn):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = fn()
        times.setdefault(step, []).append(time.perf_counter() - start)
        return result

    rows = []
    for month in busiest_months(s, args.months):
        existing = s.disclosure.overview(section, month).list
        if existing is not None:  # a previous run's list: start again from nothing
            with s.ctx.engine.begin() as connection:
                for table in ("disclosure_decisions", "disclosure_requests"):
                    connection.exec_driver_sql(f"DELETE FROM {table}")
                connection.exec_driver_sql("DELETE FROM disclosure_entries WHERE list_id = ?",
                                           (existing.id,))
                connection.exec_driver_sql("DELETE FROM disclosure_lists WHERE id = ?",
                                           (existing.id,))
        timed("build", lambda month=month: s.disclosure.build(section, month))
        timed("rebuild (unchanged)", lambda month=month: s.disclosure.build(section, month))
        ov = timed("overview", lambda month=month: s.disclosure.overview(section, month))
        rows.append(len(ov.entries))
        list_id = ov.list.id
        timed("print 公示审批表", lambda month=month: s.printing.render(
            section, FormRequest("disclosure", month=month)))
        timed("submit", lambda list_id=list_id: s.disclosure.submit(section, list_id))
        timed("approve ×2", lambda list_id=list_id: (s.disclosure.approve(head, list_id),
                                                     s.disclosure.approve(deputy, list_id)))
        timed("publish", lambda list_id=list_id: s.disclosure.publish(section, list_id,
                                                                      ["website"]))
        with tempfile.TemporaryDirectory() as out:
            timed("export 4 files", lambda list_id=list_id, out=out: s.disclosure.export(
                section, list_id, Path(out)))
    s.close()
    print(f"{args.complaints:,} complaints; months of {', '.join(map(str, rows))} rows")
    print(f"{'step':22} {'median s':>9} {'max s':>7}")
    for step, values in times.items():
        print(f"{step:22} {statistics.median(values):9.3f} {max(values):7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
