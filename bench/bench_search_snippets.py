"""What the search's 匹配内容 (issue 23, item 8) adds to one page of a search.

    .venv/bin/python bench/bench_search_snippets.py --data-dir /tmp/hejie-demo [--repeat 20]

Times `ComplaintService.page` with a search text (one page of 100 rows, which now also reads
the page's searchable texts in one query and computes the snippets in Python) against the same
page without snippets (the service's `_with_snippets` replaced by the identity), on an existing
office database (e.g. the demo: `hejie-admin demo --data-dir …`). Prints the median and max
of --repeat runs after a warm-up, for a few search words, as the desk officer wangfang.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _db import open_demo  # noqa: E402  (bench/_db.py)

from desktop.domain.complaint import ComplaintFilter  # noqa: E402
from desktop.services.complaints import ComplaintService  # noqa: E402


def _time(fn, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--user", default="wangfang")
    parser.add_argument("--password", default="demo1234")
    args = parser.parse_args()
    services, user = open_demo(args.data_dir, args.user, args.password)
    try:
        count = services.complaints.count(user, ComplaintFilter())
        print(f"{count} complaints in scope of {args.user}; page of 100; median / max ms")
        original = ComplaintService.__dict__["_with_snippets"]  # the staticmethod itself
        for text in ("退款", "空调 维修", "苏州", "手机"):
            query = ComplaintFilter(text=text)
            rows = len(services.complaints.page(user, query).rows)
            with_ms = _time(lambda q=query: services.complaints.page(user, q), args.repeat)
            ComplaintService._with_snippets = staticmethod(lambda uow, t, r: r)  # type: ignore[method-assign]
            try:
                without_ms = _time(lambda q=query: services.complaints.page(user, q), args.repeat)
            finally:
                ComplaintService._with_snippets = original  # type: ignore[method-assign]
            print(f"  {text!r:14} {rows:4} rows  with snippets {with_ms[0]:6.1f} / {with_ms[1]:6.1f}"
                  f"   without {without_ms[0]:6.1f} / {without_ms[1]:6.1f}")
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
