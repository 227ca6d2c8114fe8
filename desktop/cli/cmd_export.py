"""hejie-admin export: lists to Excel files.

    hejie-admin export ledger --from 2026-10-01 --to 2026-12-31 --out 台账.xlsx
    hejie-admin export ledger --kind 举报 --status open --user zhang --out 在办举报.xlsx
    hejie-admin export ledger --search 退款 --source self --out 退款.xlsx

The workbook has the ledger's two parts on two sheets (区局分流, 自行接收); the user decides
what is visible (the office scope) and whether personal information is masked.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from desktop.cli.common import login, require_initialized, services
from desktop.domain.complaint import ComplaintFilter
from desktop.domain.errors import DomainError
from desktop.domain.workflow import Intake, Status

_KINDS = {**{i.label: i.value for i in Intake}, **{i.value: i.value for i in Intake}}
_SOURCES = {"dispatched": True, "区局分流": True, "self": False, "自行受理": False,
            "自行接收": False}


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("export", parents=[common], help="导出 Excel（投诉举报台账）")
    p.add_argument("what", choices=["ledger"], metavar="内容", help="ledger：投诉举报台账")
    p.add_argument("--user", default="admin", help="以哪个用户的身份导出（决定可见范围和脱敏）；"
                   "密码取自环境变量 HEJIE_PASSWORD 或提示输入")
    p.add_argument("--from", dest="start", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="接收日期起")
    p.add_argument("--to", dest="end", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="接收日期止")
    p.add_argument("--kind", metavar="类型", help="投诉、举报或咨询")
    p.add_argument("--status", metavar="状态", help="open（在办）或状态代码，如 accepted、closed")
    p.add_argument("--channel", metavar="代码", help="来源渠道代码，如 12315、walkin、district")
    p.add_argument("--category", metavar="代码", help="投诉分类代码")
    p.add_argument("--office", metavar="单位代码", help="承办单位")
    p.add_argument("--handler", metavar="用户名", help="承办人")
    p.add_argument("--source", metavar="受理方式", help="dispatched（区局分流）或 self（自行受理）")
    p.add_argument("--overdue", action="store_true", help="只导出已超期的")
    p.add_argument("--search", default="", metavar="词语", help="与台账搜索框相同的搜索")
    p.add_argument("--out", type=Path, required=True, help="输出文件（.xlsx）")
    p.set_defaults(run=run)


def _filter(args: argparse.Namespace, s, user) -> ComplaintFilter:  # type: ignore[no-untyped-def]
    kind = None
    if args.kind:
        kind = _KINDS.get(args.kind.strip())
        if kind is None:
            raise DomainError(f"--kind 应为 投诉、举报 或 咨询（收到「{args.kind}」）")
    statuses: frozenset[Status] = frozenset()
    open_only = False
    if args.status:
        if args.status == "open":
            open_only = True
        else:
            try:
                statuses = frozenset({Status(args.status)})
            except ValueError:
                codes = "、".join(x.value for x in Status)
                raise DomainError(f"--status 应为 open 或 {codes}（收到「{args.status}」）") from None
    dispatched = None
    if args.source:
        if args.source not in _SOURCES:
            raise DomainError(f"--source 应为 dispatched 或 self（收到「{args.source}」）")
        dispatched = _SOURCES[args.source]
    office_id = None
    if args.office:
        office = next((o for o in s.offices.all() if o.code == args.office.upper()), None)
        if office is None:
            raise DomainError(f"没有代码为 {args.office} 的单位")
        office_id = office.id
    handler_id = None
    if args.handler:
        found = next((u for u in s.users.colleagues(user) if u.username == args.handler), None)
        if found is None:
            raise DomainError(f"没有用户名为 {args.handler} 的用户")
        handler_id = found.id
    start, end = args.start, args.end
    if start and end and end < start:
        raise DomainError("--to 不能早于 --from")
    return ComplaintFilter(
        statuses=statuses, open_only=open_only, kind=kind, channel_code=args.channel,
        category_code=args.category, handler_id=handler_id, office_id=office_id,
        received_from=start, received_to=end, dispatched=dispatched,
        due_before=s.ctx.clock.today() if args.overdue else None, text=args.search.strip())


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        raise DomainError("--out 应为 .xlsx 文件")
    out.parent.mkdir(parents=True, exist_ok=True)
    s = services(args.data_dir, user=args.user)
    try:
        require_initialized(s)
        user = login(s, args.user)
        query = _filter(args, s, user)
        shown = [-1]

        def progress(done: int, total: int) -> None:
            tenth = done * 10 // total if total else 10
            if tenth != shown[0]:
                shown[0] = tenth
                print(f"已写入 {done}/{total} 行", file=sys.stderr)

        result = s.ledger_export.export(user, query, out, progress=progress, log_kind="cli-xlsx")
        masked = "完整" if result.personal_in_full else "已脱敏"
        print(f"{result.path}　区局分流 {result.dispatched} 件，自行接收 {result.self_received} 件"
              f"　投诉人信息：{masked}")
    finally:
        s.close()
    return 0
