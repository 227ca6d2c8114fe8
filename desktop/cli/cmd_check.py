"""hejie-admin check: SQLite integrity check and the migration state of the database."""

from __future__ import annotations

import argparse

from desktop import paths
from desktop.bootstrap import check_database, recount_tally
from desktop.cli.common import open_key


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("check", parents=[common], help="检查数据库完整性和结构版本")
    p.add_argument("--recount", action="store_true",
                   help="各单位投诉件数（台账「共 N 件」）与实际不符时重新统计")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Checking must not migrate the file: check_database opens it as it is.
    result = check_database(args.data_dir, open_key(args.data_dir))
    if args.recount and result.tally and result.latest:
        for office, tallied, real in result.tally:
            print(f"单位 {office} 的投诉件数记为 {tallied}，实有 {real}：重新统计")
        recount_tally(args.data_dir, open_key(args.data_dir))
        result = check_database(args.data_dir, open_key(args.data_dir))
        print("已重新统计各单位投诉件数")
    database = paths.database_path(args.data_dir)
    size = database.stat().st_size
    print(f"数据库：{database}（{size / 1024 / 1024:.1f} MB）")
    print(f"结构版本：{result.current or '无'}；本程序版本：{result.head}", end="")
    if result.latest:
        print("（最新）")
    elif result.current is None:
        print("（不是和解台数据库，或尚未初始化）")
    elif result.known:
        print("（需要升级：下次打开时会先备份再自动升级）")
    else:
        print("（由更新版本的和解台创建，本程序不能打开，请升级程序）")
    print("完整性检查：通过" if result.sound else "完整性检查：发现问题")
    if result.problems != ("ok",):
        for line in result.problems[:50]:
            print(f"  - {line}")
    for office, tallied, real in result.tally:
        print(f"  - 单位 {office} 的投诉件数（台账「共 N 件」）记为 {tallied}，实有 {real}")
    if result.tally:
        print("  用 hejie-admin check --recount 重新统计")
    return 0 if result.sound and result.latest else 1
