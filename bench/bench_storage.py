"""Storage benchmark: build N complaints, then time list pages and Chinese search through the services.

    .venv/bin/python bench/bench_storage.py --complaints 1000000

Prints rows per second inserted, the time to fetch a page of 100 sorted by received time with a
status filter (first page and a deep page), two- and four-character full-text searches (first
page), and the file size. Times are the median of repeated runs after one warm-up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _db import SQLITE_VERSION, open_demo, raw_connection  # noqa: E402  (bench/_db.py)

from desktop import paths  # noqa: E402
from desktop.bootstrap import open_services  # noqa: E402
from desktop.demo.generate import DEMO_PASSWORD, build_demo  # noqa: E402
from desktop.domain.complaint import ComplaintFilter, SortKey  # noqa: E402
from desktop.domain.workflow import Status  # noqa: E402


def timed(fn: Callable[[], object], repeat: int = 15) -> float:
    """Median milliseconds of `repeat` runs after one warm-up."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "bench" / "out" / "storage")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--floors", action="store_true",
                        help="only the issue-24 cases, each beside its floor measured in the same run")
    args = parser.parse_args()
    if args.floors:
        floors(args.data_dir)
        return

    database = paths.database_path(args.data_dir)
    if not (args.reuse and database.exists()):
        shutil.rmtree(args.data_dir, ignore_errors=True)
        s = open_services(args.data_dir)
        marks: list[tuple[float, int]] = []
        start = time.perf_counter()
        build_demo(s, complaints=args.complaints, progress=lambda done, total: marks.append(
            (time.perf_counter(), done)))
        total = time.perf_counter() - start
        s.close()
        # Rows per second of the complaint insertion itself (set-up excluded).
        first_time = marks[0][0] - start
        insert_seconds = marks[-1][0] - (start + first_time) if len(marks) > 1 else total
        inserted = marks[-1][1] - marks[0][1] if len(marks) > 1 else args.complaints
        print(f"built {args.complaints:,} complaints in {total:.1f} s "
              f"({inserted / insert_seconds:,.0f} rows/s inserted, FTS index maintained by trigger)")

    s, district = open_demo(args.data_dir, "bumen")  # sees every office
    desk = s.users.login("wangfang", DEMO_PASSWORD)  # a sub-bureau and its stations
    c = s.complaints
    print(f"database: {database} {database.stat().st_size / 1024 / 1024:,.0f} MB, "
          f"{c.count(district, ComplaintFilter()):,} complaints")

    def deep_cursor(user, query):  # type: ignore[no-untyped-def]
        page = c.page(user, query, limit=100)
        for _ in range(50):
            page = c.page(user, query, after=page.next_cursor, limit=100)
        return page.next_cursor

    cases = [
        ("page 100, status=closed, by received time (district)", district,
         ComplaintFilter(statuses=frozenset({Status.CLOSED}))),
        ("page 100, status=mediating, by received time (district)", district,
         ComplaintFilter(statuses=frozenset({Status.MEDIATING}))),
        ("page 100, status=closed, by received time (sub-bureau scope)", desk,
         ComplaintFilter(statuses=frozenset({Status.CLOSED}))),
        ("search 退款 (2 chars, 20% of rows), first page", district, ComplaintFilter(text="退款")),
        ("search 维修 (2 chars, 15% of rows), first page", district, ComplaintFilter(text="维修")),
        ("search 协商未果 (4 chars, 8% of rows), first page", district, ComplaintFilter(text="协商未果")),
        ("search 无法使用 (4 chars, 0.2% of rows), first page", district, ComplaintFilter(text="无法使用")),
        ("search 质量问题 (4 chars, no match), first page", district, ComplaintFilter(text="质量问题")),
        ("search 退款 + status=closed, sub-bureau scope", desk,
         ComplaintFilter(text="退款", statuses=frozenset({Status.CLOSED}))),
        ("phone prefix 1381", district, ComplaintFilter(text="1381")),
        ("overdue list (due_on < today)", district, c.overdue_filter()),
    ]
    for label, user, query in cases:
        ms = timed(lambda u=user, q=query: c.page(u, q, limit=100))
        print(f"{label:<62} {ms:8.2f} ms")
    closed = ComplaintFilter(statuses=frozenset({Status.CLOSED}))
    cursor = deep_cursor(district, closed)
    ms = timed(lambda: c.page(district, closed, after=cursor, limit=100))
    print(f"{'page 100 after 5,100 rows (keyset), status=closed':<62} {ms:8.2f} ms")
    ms = timed(lambda: c.count(district, ComplaintFilter(text="退款")), repeat=5)
    print(f"{'count of search 退款 (for the row counter)':<62} {ms:8.2f} ms")
    s.close()


def load() -> str:
    """The machine's load, printed beside the figures (the machine is shared)."""
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def floors(data_dir: Path) -> None:
    """Issue 24: each list case through the services beside its floor, the same rows read with
    the program's driver (sqlcipher3 through db/connection.connect: the same SQLite build, and
    the key when the file is encrypted; no services, no ORM) in the same run, and the ratio.

    Floors: a keyset page = the page's columns of the newest 101 complaints of the scope, by the
    received-time index; a search page = the first 101 rowids the full-text index gives.
    """
    database = paths.database_path(data_dir)
    # Opened (and migrated) first, so the raw connection sees the same schema and has the key.
    s, desk = open_demo(data_dir, "wangfang")  # a sub-bureau and its stations
    district = s.users.login("bumen", DEMO_PASSWORD)
    c = s.complaints
    raw = raw_connection(data_dir)  # read only in fact; not mode=ro, which cannot share the WAL index
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.execute("PRAGMA cache_size=-65536")
    scope = ",".join(str(i) for i in sorted(desk.scope or ()))
    columns = ("id, number, kind, received_at, status, due_on, respondent_name, subject, category_code, "
               "complainant_name, complainant_phone, channel_code, office_id, handler_id, version")
    keyset = (f"SELECT {columns} FROM complaints WHERE office_id IN ({scope}) "
              "ORDER BY received_at DESC, id DESC LIMIT 101")
    plain = f"SELECT {columns} FROM complaints ORDER BY received_at DESC, id DESC LIMIT 101"
    fts = "SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH '\"退款\"' LIMIT 101"
    total = raw.execute("SELECT count(*) FROM complaints").fetchone()[0]
    print(f"database: {database} {database.stat().st_size / 1024 / 1024:,.0f} MB, {total:,} complaints; "
          f"SQLite {SQLITE_VERSION} (sqlcipher3, program and floor alike); {load()}")
    number = ComplaintFilter(sort=SortKey.NUMBER)
    cases = [
        ("ledger by 投诉单号, newest first, sub-bureau scope", keyset,
         lambda: c.page(desk, number, limit=100)),
        ("ledger by 投诉单号, oldest first, sub-bureau scope", keyset,
         lambda: c.page(desk, ComplaintFilter(sort=SortKey.NUMBER, reverse=True), limit=100)),
        ("ledger by 接收时间, newest first, sub-bureau scope", keyset,
         lambda: c.page(desk, ComplaintFilter(), limit=100)),
        ("ledger by 接收时间, oldest first, sub-bureau scope", keyset,
         lambda: c.page(desk, ComplaintFilter(reverse=True), limit=100)),
        ("ledger by 办理期限, soonest first, sub-bureau scope", keyset,
         lambda: c.page(desk, ComplaintFilter(sort=SortKey.DUE), limit=100)),
        ("ledger by 办理期限, latest first, sub-bureau scope", keyset,
         lambda: c.page(desk, ComplaintFilter(sort=SortKey.DUE, reverse=True), limit=100)),
        ("search 退款 (20 % of rows), first page, district", fts,
         lambda: c.page(district, ComplaintFilter(text="退款"), limit=100)),
        ("search 退款, first page, sub-bureau scope", fts,
         lambda: c.page(desk, ComplaintFilter(text="退款"), limit=100)),
        ("search 退款, by 投诉单号, sub-bureau scope", fts,
         lambda: c.page(desk, ComplaintFilter(text="退款", sort=SortKey.NUMBER), limit=100)),
        ("plain ledger page (district, newest first)", plain,
         lambda: c.page(district, ComplaintFilter(), limit=100)),
    ]
    print("(wall: median of 15 runs after a warm-up; CPU: this process's CPU time per call, the "
          "same runs — on a loaded machine the wall time also counts waiting for a core)")
    print(f"{'case':<58} {'service ms':>10} {'CPU ms':>7} {'floor ms':>9} {'ratio':>7}")
    for label, floor_sql, act in cases:
        floor = timed(lambda q=floor_sql: raw.execute(q).fetchall(), repeat=25)
        cpu = time.process_time()
        ms = timed(act, repeat=15)
        cpu_ms = (time.process_time() - cpu) * 1000 / 16
        print(f"{label:<58} {ms:10.2f} {cpu_ms:7.2f} {floor:9.3f} {ms / floor:7.1f}x   ({load()})",
              flush=True)
    raw.close()
    s.close()


if __name__ == "__main__":
    main()
