"""History import at scale (issue 19): a generated 50,000-row ledger workbook, previewed and
imported into a fresh office database; prints the seconds of each step.

    PYTHONPATH=. python bench/bench_import.py [--rows 50000] [--keep DIR]

Targets: preview ≤ 15 s, import ≤ 60 s (reading the workbook counts in the preview)."""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.bootstrap import open_services  # noqa: E402
from desktop.services.base import FixedClock  # noqa: E402
from desktop.services.setup import OfficeSpec  # noqa: E402

HEADER = ["序号", "登记日期", "投诉单号", "投诉人", "联系电话", "被投诉单位", "投诉内容", "诉求",
          "处理结果", "办结日期", "挽回损失（元）", "承办人", "备注"]
RESULTS = ["调解成功", "调解成功", "调解不成", "终止调解", "不予受理", ""]
NOTES = ["", "", "", "职业索赔人", "重复投诉", "转执法大队"]


def write_workbook(path: Path, rows: int) -> None:
    rng = random.Random(19)
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("2025年台账")
    ws.append(["2025年消费投诉台账"])
    ws.append(["填表人：张三    填表日期：2026年1月5日"])
    ws.append(HEADER)
    first = date(2025, 1, 1)
    for n in range(1, rows + 1):
        day = first + timedelta(days=n * 365 // (rows + 1))
        result = rng.choice(RESULTS)
        closed = (day + timedelta(days=rng.randint(1, 40))).strftime("%Y.%m.%d") if result else ""
        ws.append([n, datetime(day.year, day.month, day.day), f"2025-{n:06d}",
                   rng.choice("李王张刘陈杨赵黄周吴") + rng.choice(["女士", "先生", "某"]),
                   float(13800000000 + rng.randint(0, 99999999)),
                   f"苏州某某{rng.choice(['电器', '健身', '餐饮', '教育', '汽车'])}有限公司{n % 700}",
                   f"第 {n} 件：购买商品后出现质量问题，多次协商未果，要求处理。" * 2,
                   rng.choice(["退货退款", "维修", "赔偿"]), result, closed,
                   rng.choice(["", "—", "1,200元", 350.5]), "", rng.choice(NOTES)])
    ws.append(["合计"])
    book.save(path)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="keep the workbook and database here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ledger.xlsx"
    t = time.perf_counter()
    write_workbook(path, args.rows)
    print(f"workbook: {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB, "
          f"written in {time.perf_counter() - t:.1f} s")
    s = open_services(folder / "data", clock=FixedClock(datetime(2026, 2, 1, 9, 0)))
    s.setup.initialize(offices=[OfficeSpec("WZ", "吴中区市场监督管理局", "district"),
                                OfficeSpec("WZCQ", "长桥分局", "sub_bureau", "WZ")],
                       local_office_code="WZCQ", admin_username="admin", admin_name="管理员",
                       admin_password="bench-import-1")
    admin = s.users.login("admin", "bench-import-1")
    svc = s.history_import
    t = time.perf_counter()
    book = svc.open(path)
    read = time.perf_counter() - t
    preview = svc.preview(admin, book, svc.choices(book), "ledger")
    previewed = time.perf_counter() - t
    print(f"preview: {previewed:.1f} s (reading the workbook {read:.1f} s) — {preview.summary()}")
    t = time.perf_counter()
    outcome = svc.run(admin, preview)
    imported = time.perf_counter() - t
    print(f"import: {imported:.1f} s — {outcome.summary()}")
    t = time.perf_counter()
    book = svc.open(path)
    again = svc.preview(admin, book, svc.choices(book), "ledger")
    print(f"second preview (all unchanged): {time.perf_counter() - t:.1f} s — {again.summary()}")
    s.close()
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)  # about 0.5 GB a run
    print(f"targets: preview ≤ 15 s {'met' if previewed <= 15 else 'NOT met'}, "
          f"import ≤ 60 s {'met' if imported <= 60 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
