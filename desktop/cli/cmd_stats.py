"""hejie-admin stats: the statistics of a period and office scope, as a workbook (.xlsx)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from desktop.cli.common import login, require_initialized, services
from desktop.domain.errors import DomainError
from desktop.domain.statistics import Period, PeriodKind


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("stats", parents=[common], help="统计报表（Excel）")
    p.add_argument("--from", dest="start", required=True, type=date.fromisoformat,
                   help="开始日期 YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, type=date.fromisoformat,
                   help="结束日期 YYYY-MM-DD（含当日）")
    p.add_argument("--scope", help="单位代码（默认：用户所在单位及其下属）")
    p.add_argument("--national", action="store_true", help="分类按国家（12315）分类统计")
    p.add_argument("--user", default="admin", help="以哪个用户的身份统计（决定可统计的范围）；"
                                                 "密码从环境变量 HEJIE_PASSWORD 读取或在终端输入")
    p.add_argument("--out", required=True, type=Path, help="输出文件（.xlsx）")
    p.set_defaults(run=run)


def period_of(start: date, end: date) -> Period:
    """A whole month, quarter or year is named as such (its 环比 is the one before)."""
    for candidate in ([Period.month(start.year, start.month)] + (
            [Period.quarter(start.year, (start.month + 2) // 3)] if start.month % 3 == 1 else [])
            + [Period.year(start.year)]):
        if (candidate.start, candidate.end) == (start, end):
            return candidate
    return Period(start, end, PeriodKind.RANGE)


def run(args: argparse.Namespace) -> int:
    from desktop.exports.statistics_xlsx import write_workbook
    from desktop.services.statistics import StatsQuery

    if args.out.suffix.lower() != ".xlsx":
        raise DomainError("目前只能输出 .xlsx（纸质月报 PDF 尚未提供）")
    s = services(args.data_dir)
    try:
        require_initialized(s)
        user = login(s, args.user)
        office_id = None
        if args.scope:
            found = [o for o in s.offices.all() if o.code == args.scope]
            if not found:
                raise DomainError(f"没有代码为 {args.scope} 的单位")
            office_id = found[0].id
        report = s.statistics.report(user, StatsQuery(period_of(args.start, args.end), office_id,
                                                      args.national))
        write_workbook(report, args.out)
    finally:
        s.close()
    print(f"已写入 {args.out}：{report.office_name} {report.period.label}，"
          f"接收 {int(report.figure('received').value or 0)} 件")
    return 0
