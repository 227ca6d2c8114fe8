"""hejie-admin anonymise: the personal data of closed complaints past the retention period.

    hejie-admin anonymise --dry-run            # how many are due, nothing changed
    hejie-admin anonymise --yes                # anonymise them (no question asked: scripts)
    hejie-admin anonymise --set-years 3        # set the period (0: not set)

The period is set on 设置 → 个人信息 or here; see services.personal_data for what is kept.
"""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import login, require_initialized, services, unlock_user
from desktop.domain.errors import DomainError


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("anonymise", parents=[common],
                       help="个人信息保留期限届满的已办结投诉：匿名化")
    p.add_argument("--user", default=None, help="（默认 HEJIE_USER，再默认 admin）以哪个管理员的身份操作；"
                   "密码取自环境变量 HEJIE_PASSWORD 或提示输入")
    p.add_argument("--dry-run", action="store_true", help="只统计到期的件数，不做改动")
    p.add_argument("--yes", action="store_true", help="不再询问，直接匿名化（用于脚本）")
    p.add_argument("--set-years", type=int, metavar="年", help="设置保留期限（办结后几年；0 为不设置）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    s = services(args.data_dir, user=unlock_user(args.user))
    try:
        require_initialized(s)
        user = login(s, unlock_user(args.user))
        if args.set_years is not None:
            s.personal_data.set_retention(user, args.set_years)
            print(f"个人信息保留期限：{s.personal_data.retention(user).label}")
            if not args.dry_run and not args.yes:
                return 0
        preview = s.personal_data.anonymise(user, dry_run=True)
        print(preview.summary)
        if preview.numbers:
            print("例如：" + "、".join(preview.numbers))
        if args.dry_run or preview.complaints == 0:
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                raise DomainError("匿名化不可撤销：请加 --yes 确认，或在终端中运行")
            answer = input(f"将 {preview.complaints} 件投诉的个人信息匿名化，不可撤销。输入 yes 确认：")
            if answer.strip().lower() != "yes":
                print("已取消，未做改动")
                return 1

        def progress(done: int, total: int) -> None:
            print(f"已匿名化 {done}/{total} 件", file=sys.stderr)

        report = s.personal_data.anonymise(user, progress=progress)
        print(report.summary)
    finally:
        s.close()
    return 0
