"""hejie-admin demo: a demo database with offices, users, enterprises and two years of complaints."""

from __future__ import annotations

import argparse
import sys
import time

from desktop import paths
from desktop.bootstrap import build_demo_database
from desktop.demo.generate import DEMO_PASSWORD, USERS
from desktop.domain.errors import DomainError
from desktop.security import keys


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("demo", parents=[common], help="生成演示数据库")
    p.add_argument("--complaints", type=int, default=300, help="投诉数量（默认 300；大数量用于性能测试）")
    p.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）")
    p.add_argument("--force", action="store_true", help="数据文件夹里已有数据库时先删除它")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.complaints < 0:
        raise DomainError("投诉数量不能为负")
    database = paths.database_path(args.data_dir)
    if database.exists():
        if not args.force:
            raise DomainError(f"{database} 已存在；要重新生成请加 --force（会删除该文件）")
        for suffix in ("", "-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        keys.keys_path(args.data_dir).unlink(missing_ok=True)  # the new demo gets a new key
        keys.forget(args.data_dir)
    started = time.perf_counter()

    shown = [""]  # the step on the current line

    def step(what: str, done: int, total: int) -> None:
        if what != shown[0]:
            print("\n" if shown[0] else "", end="", file=sys.stderr)
            shown[0] = what
        if not total:
            print(what, end="", file=sys.stderr, flush=True)
        elif done == total or done % max(1, total // 20) == 0:
            print(f"\r{what} {done}/{total}", end="", file=sys.stderr, flush=True)

    # Built beside the database and moved into place when complete (an interrupted build,
    # Ctrl+C included, leaves no half-built demo database behind).
    summary = build_demo_database(args.data_dir, step, complaints=args.complaints, seed=args.seed)
    assert summary is not None  # the database was removed above
    print(file=sys.stderr)
    print(f"演示数据库：{database}（用时 {time.perf_counter() - started:.1f} 秒）")
    print(f"单位 {summary.offices} 个，用户 {summary.users} 个，企业 {summary.enterprises} 家，"
          f"投诉 {summary.complaints} 件")
    print(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
    for username, name, office, roles in USERS:
        print(f"  {username:<10}{name}  {office:<7}{'、'.join(r.label for r in roles)}")
    return 0
