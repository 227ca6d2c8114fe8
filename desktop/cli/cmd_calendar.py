"""hejie-admin calendar: show a year's working-day exceptions; compute a due date."""

from __future__ import annotations

import argparse
from datetime import date

from desktop.cli.common import services
from desktop.domain.calendar import YearSource, guessed_year_warning

_WEEKDAYS = "一二三四五六日"


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("calendar", parents=[common], help="工作日日历")
    cal = p.add_subparsers(dest="calendar_command", required=True, metavar="子命令")
    show = cal.add_parser("show", parents=[common], help="列出某年的节假日和调休上班日")
    show.add_argument("year", type=int)
    show.set_defaults(run=run_show)
    due = cal.add_parser("due", parents=[common], help="计算 N 个工作日后的期限")
    due.add_argument("--from", dest="start", type=date.fromisoformat, required=True,
                     help="起算日（当日不计入），YYYY-MM-DD")
    due.add_argument("--working-days", type=int, required=True, help="工作日数")
    due.set_defaults(run=run_due)


def run_show(args: argparse.Namespace) -> int:
    s = services(args.data_dir)
    try:
        source, days = s.reference.year_exceptions(args.year)
    finally:
        s.close()
    print(f"{args.year} 年日历来源：{source.label}")
    for info in days:
        kind = "上班" if info.is_working else "休息"
        print(f"{info.day}  星期{_WEEKDAYS[info.day.weekday()]}  {kind}  {info.name}")
    if source is YearSource.GUESSED:
        print(f"警告：{guessed_year_warning([args.year])}")
    return 0


def run_due(args: argparse.Namespace) -> int:
    if args.working_days < 0:
        print("错误：工作日数不能为负")
        return 2
    s = services(args.data_dir)
    try:
        due = s.reference.due_date(args.start, args.working_days)
    finally:
        s.close()
    print(f"自 {args.start}（当日不计）起 {args.working_days} 个工作日：{due.day}"
          f"（星期{_WEEKDAYS[due.day.weekday()]}）")
    if due.warning:
        print(f"警告：{due.warning}")
    return 0
