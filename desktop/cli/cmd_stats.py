"""hejie-admin stats: the statistics of a period and office scope as a workbook (.xlsx) or the
printed statistics report (.pdf); with --review, the half-yearly 处办质量评审表 (.pdf)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from desktop.cli.common import login, require_initialized, services
from desktop.domain.errors import DomainError
from desktop.domain.statistics import Period, PeriodKind


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser(
        "stats", parents=[common], help="统计报表（Excel 或 PDF）、处办质量评审表（PDF）",
        description="统计一个期间：--out 以 .xlsx 结尾写统计工作簿，以 .pdf 结尾写统计报表（A4，"
                    "主要指标、图表、分组统计）。--review 2026H2 写半年度处办质量评审表（PDF），"
                    "此时不用 --from/--to。每次输出 PDF 都记入打印记录。",
        epilog="例：hejie-admin stats --from 2026-11-01 --to 2026-11-30 --out 11月统计.pdf；"
               "hejie-admin stats --review 2026H2 --scope WZCQ --out 评审表.pdf")
    p.add_argument("--from", dest="start", type=date.fromisoformat,
                   help="开始日期 YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=date.fromisoformat,
                   help="结束日期 YYYY-MM-DD（含当日）")
    p.add_argument("--review", metavar="YYYYHn",
                   help="半年度处办质量评审表：2026H1 为 1–6 月，2026H2 为 7–12 月（输出 .pdf）")
    p.add_argument("--scope", help="单位代码（默认：用户所在单位及其下属）")
    p.add_argument("--national", action="store_true", help="分类按国家（12315）分类统计")
    p.add_argument("--without-incomplete", action="store_true",
                   help="不计资料不全的历史导入记录（默认计入）")
    p.add_argument("--user", default="admin", help="以哪个用户的身份统计（决定可统计的范围）；"
                                                 "密码从环境变量 HEJIE_PASSWORD 读取或在终端输入")
    p.add_argument("--out", required=True, type=Path, help="输出文件：.xlsx（统计工作簿）或 .pdf（统计报表；--review 时为评审表）")
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
    from desktop.services.statistics_reports import HalfYear

    suffix = args.out.suffix.lower()
    half = HalfYear.parse(args.review) if args.review else None
    if half is not None:
        if args.start or args.end:
            raise DomainError("--review 与 --from/--to 不能同时使用（评审期间由 --review 决定）")
        if suffix != ".pdf":
            raise DomainError("处办质量评审表只能输出 .pdf")
    else:
        if args.start is None or args.end is None:
            raise DomainError("请给出 --from 和 --to（或用 --review 2026H2 输出评审表）")
        if suffix not in (".xlsx", ".pdf"):
            raise DomainError("--out 应以 .xlsx（统计工作簿）或 .pdf（统计报表）结尾")
    s = services(args.data_dir, user=args.user)
    try:
        require_initialized(s)
        user = login(s, args.user)
        office_id = None
        if args.scope:
            found = [o for o in s.offices.all() if o.code == args.scope]
            if not found:
                raise DomainError(f"没有代码为 {args.scope} 的单位")
            office_id = found[0].id
        if half is not None:
            review = s.statistics_reports.review(user, half, office_id)
            rendered = s.statistics_reports.review_pdf(user, review)
            _write(args.out, rendered.pdf)
            s.statistics_reports.record(user, rendered, "cli")
            message = (f"已写入 {args.out}：{review.office_name} {half.label}处办质量评审表，"
                       f"办结 {review.total.handled} 件，{rendered.pages} 页")
        else:
            report = s.statistics.report(user, StatsQuery(
                period_of(args.start, args.end), office_id, args.national,
                "exclude" if args.without_incomplete else "include"))
            if suffix == ".pdf":
                rendered = s.statistics_reports.report_pdf(user, report, office_id)
                _write(args.out, rendered.pdf)
                s.statistics_reports.record(user, rendered, "cli")
                pages = f"，{rendered.pages} 页"
            else:
                write_workbook(report, args.out)
                pages = ""
            message = (f"已写入 {args.out}：{report.office_name} {report.period.label}，"
                       f"接收 {int(report.figure('received').value or 0)} 件{pages}")
    finally:
        s.close()
    print(message)
    return 0


def _write(path: Path, data: bytes) -> None:
    """Beside the target, then renamed into place: never a half-written file."""
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    part.replace(path)
