"""hejie: the program. Until the window arrives (next release) it prints the workbench in text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop import __version__, paths
from desktop.bootstrap import open_services
from desktop.domain.calendar import YearSource, guessed_year_warning
from desktop.domain.errors import DomainError
from desktop.domain.workflow import Status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hejie", description="和解台")
    parser.add_argument("--version", action="version", version=f"hejie {__version__}")
    parser.add_argument("--demo", action="store_true", help="打开演示数据库（首次使用时自动生成）")
    parser.add_argument("--data-dir", type=Path, help="数据文件夹")
    parser.add_argument("--user", help="以哪个用户查看工作台（演示库默认 wangfang）")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or (paths.demo_data_dir() if args.demo else paths.default_data_dir())
    try:
        if args.demo and not paths.database_path(data_dir).exists():
            from desktop.cli.main import main as admin_main

            print("首次使用演示库，正在生成演示数据……")
            code = admin_main(["demo", "--data-dir", str(data_dir)])
            if code:
                return code
        user = args.user or ("wangfang" if args.demo else None)
        if user is None:
            parser.error("请用 --user 指定用户名")
        return _workbench(data_dir, user, args.demo)
    except DomainError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


def _workbench(data_dir: Path, username: str, demo: bool) -> int:
    import os

    from desktop.demo.generate import DEMO_PASSWORD

    s = open_services(data_dir)
    try:
        if not s.setup.is_initialized():
            raise DomainError(f"{s.database} 尚未初始化：请运行 hejie-admin init（或 hejie --demo 看演示）")
        secret = DEMO_PASSWORD if demo else os.environ.get("HEJIE_PASSWORD") or _ask(username)
        user = s.users.login(username, secret)
        c = s.complaints
        lists = [
            ("我的在办", c.open_filter(user)),
            ("两个工作日内到期", c.due_soon_filter()),
            ("已超期", c.overdue_filter()),
            ("今日登记", c.received_today_filter()),
        ]
        print(f"和解台 {__version__} — {user.office_name}  {user.display_name}")
        print(f"数据库：{s.database}")
        # Deadlines reach into next year long before it starts: say when its calendar is a guess.
        today = s.ctx.clock.today()
        if today.month >= 10 and s.ctx.reference.calendar().source(today.year + 1) is YearSource.GUESSED:
            print(f"提示：{guessed_year_warning([today.year + 1])}")
        for title, query in lists:
            print(f"\n【{title}】共 {c.count(user, query)} 件")
            for row in c.page(user, query, limit=8).rows:
                due = f"期限 {row.due_on}" if row.due_on else ""
                print(f"  {row.number}  {Status(row.status).label:<5} {row.respondent_name[:18]:<18} "
                      f"{row.subject[:14]:<14} {row.complainant} {due}")
    finally:
        s.close()
    return 0


def _ask(username: str) -> str:
    import getpass

    return getpass.getpass(f"{username} 的密码：")


if __name__ == "__main__":
    sys.exit(main())
