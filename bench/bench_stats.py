"""Statistics speed: one month and one year of a sub-bureau's figures (with 同比 and 环比, the
trend, the late list) through StatisticsService, on a demo database.

    .venv/bin/python bench/bench_stats.py --data-dir /tmp/stats1m   # after hejie-admin demo --complaints 1000000
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from _db import open_demo  # bench/_db.py: an encrypted or a plain demo database

from desktop.domain.statistics import Period
from desktop.services.statistics import StatsQuery


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--office", default="WZCQ")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    s, user = open_demo(args.data_dir, "juzhang")
    try:
        office = next(o for o in s.offices.all() if o.code == args.office)
        today = s.ctx.clock.today()
        last = today.replace(day=1)
        month = Period.month(last.year if last.month > 1 else last.year - 1, last.month - 1 or 12)
        with s.ctx.engine.connect() as c:
            total = c.exec_driver_sql("SELECT COUNT(*) FROM complaints").scalar()
        print(f"complaints: {total:,}; office {office.name}")
        for label, period in (("month", month), ("year", Period.year(today.year - 1))):
            query = StatsQuery(period, office.id)
            s.statistics.report(user, query)  # warm-up
            times, cpu = [], []
            for _ in range(args.repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                report = s.statistics.report(user, query)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            # The CPU time of this process: on a shared machine, what the load does not inflate.
            print(f"{label} {period.label}: median {statistics.median(times):.3f} s "
                  f"(min {min(times):.3f}, max {max(times):.3f}; CPU median "
                  f"{statistics.median(cpu):.3f} s); load {os.getloadavg()[0]:.1f}; received "
                  f"{int(report.figure('received').value or 0):,}, closed "
                  f"{int(report.figure('closed').value or 0):,}")
    finally:
        s.close()


if __name__ == "__main__":
    main()
