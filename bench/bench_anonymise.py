"""Anonymisation of closed complaints past the retention period: how long the 设置 → 个人信息
count takes, and how fast `PersonalDataService.anonymise` goes (batches of BATCH complaints,
each one transaction with its audit entries and outbox operations).

    .venv/bin/python bench/bench_anonymise.py --complaints 20000

Builds a demo database of N complaints (the demo generator: about two thirds closed, with
mediation records), sets a retention of 1 year and moves the clock three years on, so every
closed one is due. Prints the count's time, the anonymisation's time and rate, and the count
and a search for a name afterwards.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from desktop.bootstrap import open_services
from desktop.demo.generate import DEMO_PASSWORD, build_demo
from desktop.domain.complaint import ComplaintFilter
from desktop.services.base import FixedClock


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=20_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hejie-anon-"))
    clock = FixedClock(datetime.now().replace(microsecond=0))
    s = open_services(folder, clock=clock)
    started = time.perf_counter()
    build_demo(s, args.complaints)
    print(f"demo database of {args.complaints} complaints: {time.perf_counter() - started:.1f} s")
    admin = s.users.login("admin", DEMO_PASSWORD)
    s.personal_data.set_retention(admin, 1)
    clock.at = clock.at + timedelta(days=3 * 366)
    started = time.perf_counter()
    state = s.personal_data.state(admin)
    print(f"due: {state.due} (count {time.perf_counter() - started:.2f} s)")
    started = time.perf_counter()
    report = s.personal_data.anonymise(admin)
    elapsed = time.perf_counter() - started
    print(f"anonymised {report.complaints} in {elapsed:.1f} s "
          f"({report.complaints / max(elapsed, 1e-9):.0f} complaints/s)")
    started = time.perf_counter()
    again = s.personal_data.state(admin)
    print(f"due afterwards: {again.due}, anonymised: {again.anonymised} "
          f"(count {time.perf_counter() - started:.2f} s)")
    print(f"search 张伟 afterwards: {s.complaints.count(admin, ComplaintFilter(text='张伟'))} found")
    s.close()


if __name__ == "__main__":
    main()
