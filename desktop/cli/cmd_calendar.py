"""hejie-admin calendar: show a year's working-day exceptions; compute a due date."""

from __future__ import annotations

import argparse
from datetime import date

from desktop.cli.common import login, require_initialized, services
from desktop.domain.calendar import YearSource, guessed_year_warning
from desktop.domain.errors import DomainError

_WEEKDAYS = "一二三四五六日"


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("calendar", help="工作日日历")
    cal = p.add_subparsers(dest="calendar_command", required=True, metavar="子命令")
    show = cal.add_parser("show", parents=[common], help="列出某年的节假日和调休上班日")
    show.add_argument("year", type=int)
    show.set_defaults(run=run_show)
    due = cal.add_parser("due", parents=[common], help="计算 N 个工作日后的期限")
    due.add_argument("--from", dest="start", type=date.fromisoformat, required=True,
                     help="起算日（当日不计入），YYYY-MM-DD")
    due.add_argument("--working-days", type=int, required=True, help="工作日数")
    due.set_defaults(run=run_due)
    day = cal.add_parser("set", parents=[common], help="设定某天上班或休息（管理员）")
    day.add_argument("day", type=date.fromisoformat, help="日期 YYYY-MM-DD")
    kind = day.add_mutually_exclusive_group(required=True)
    kind.add_argument("--working", action="store_true", help="上班（如调休上班的周末）")
    kind.add_argument("--holiday", action="store_true", help="休息（如法定节假日）")
    kind.add_argument("--clear", action="store_true", help="删除该日的设定")
    day.add_argument("--note", default="", help="说明，如 春节调休")
    day.add_argument("--as", dest="admin", default="admin", help="管理员用户名")
    day.set_defaults(run=run_set)
    confirm = cal.add_parser("confirm", parents=[common], help="确认某年日历已全部录入（不再按推测计算）")
    confirm.add_argument("year", type=int)
    confirm.add_argument("--note", default="", help="说明，如 国办发明电〔2026〕X号")
    confirm.add_argument("--undo", action="store_true", help="撤销确认（该年重新按推测计算并提示）")
    confirm.add_argument("--as", dest="admin", default="admin", help="管理员用户名")
    confirm.set_defaults(run=run_confirm)


def run_show(args: argparse.Namespace) -> int:
    s = services(args.data_dir, create=True)
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
        raise DomainError("工作日数不能为负")
    s = services(args.data_dir, create=True)
    try:
        due = s.reference.due_date(args.start, args.working_days)
    finally:
        s.close()
    print(f"自 {args.start}（当日不计）起 {args.working_days} 个工作日：{due.day}"
          f"（星期{_WEEKDAYS[due.day.weekday()]}）")
    if due.warning:
        print(f"警告：{due.warning}")
    return 0


def run_set(args: argparse.Namespace) -> int:
    s = services(args.data_dir, user=args.admin)
    try:
        require_initialized(s)
        admin = login(s, args.admin)
        if args.clear:
            s.reference.remove_override(admin, args.day)
            print(f"已删除 {args.day} 的设定")
        else:
            s.reference.set_override(admin, args.day, bool(args.working), args.note)
            print(f"{args.day}（星期{_WEEKDAYS[args.day.weekday()]}）设为{'上班' if args.working else '休息'}")
    finally:
        s.close()
    return 0


def run_confirm(args: argparse.Namespace) -> int:
    s = services(args.data_dir, user=args.admin)
    try:
        require_initialized(s)
        admin = login(s, args.admin)
        if args.undo:
            s.reference.unconfirm_year(admin, args.year)
            print(f"已撤销 {args.year} 年日历的确认：该年重新按推测计算并提示")
        else:
            s.reference.confirm_year(admin, args.year, args.note)
            print(f"{args.year} 年日历已确认：不再提示推测")
    finally:
        s.close()
    return 0
