"""hejie-admin print: render any form to PDF files, for batch printing.

    hejie-admin print --list
    hejie-admin print registration --complaint GSFJ-20261122-0007 --out 登记表.pdf
    hejie-admin print mediation-record --complaint N --session 2
    hejie-admin print disclosure --month 2026-10 [--scope WZCQ]
    hejie-admin print disclosure-refusal --month 2026-10
    hejie-admin print correction-reply --request 3
    hejie-admin print ledger --from 2026-10-01 --to 2026-10-31
    hejie-admin print quarterly-check --quarter 2026-Q3
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from desktop.cli.common import login, require_initialized, services
from desktop.domain.errors import DomainError
from desktop.forms.catalog import FORMS, Scope
from desktop.services.printing import FormRequest, RenderedForm

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("print", parents=[common], help="把表格输出为 PDF（批量打印）")
    p.add_argument("form", nargs="?", choices=list(FORMS), metavar="表格",
                   help="表格名称，见 --list")
    p.add_argument("--list", action="store_true", help="列出所有表格")
    p.add_argument("--user", default="admin", help="以哪个用户的身份输出（决定可见范围和脱敏）；"
                   "密码取自环境变量 HEJIE_PASSWORD 或提示输入")
    p.add_argument("--complaint", action="append", default=[], metavar="投诉单号",
                   help="投诉单号；可重复，每件输出一个文件")
    p.add_argument("--session", type=int, metavar="N", help="调解记录：第 N 次调解（默认最近一次）")
    p.add_argument("--month", metavar="YYYY-MM", help="公示/不予公示审批表的月份")
    p.add_argument("--scope", metavar="单位代码",
                   help="公示/不予公示审批表：哪个区局或分局的清单（默认本人所在单位）")
    p.add_argument("--request", type=int, metavar="编号", help="更正申请答复书：更正申请的编号")
    p.add_argument("--from", dest="start", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="投诉台账：接收日期起")
    p.add_argument("--to", dest="end", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="投诉台账：接收日期止")
    p.add_argument("--quarter", metavar="YYYY-Qn", help="季度未办结件核对表的季度，如 2026-Q3")
    p.add_argument("--out", type=Path, help="输出文件；输出多个文件时为文件夹（默认当前文件夹）")
    p.set_defaults(run=run)


def _month(text: str | None) -> date | None:
    if text is None:
        return None
    match = _MONTH_RE.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise DomainError(f"--month 应为 YYYY-MM，例如 2026-10（收到「{text}」）")
    return date(int(match[1]), int(match[2]), 1)


def _quarter(text: str | None) -> tuple[int | None, int | None]:
    if text is None:
        return None, None
    match = _QUARTER_RE.match(text.strip())
    if not match:
        raise DomainError(f"--quarter 应为 YYYY-Qn，例如 2026-Q3（收到「{text}」）")
    return int(match[1]), int(match[2])


def _print_list() -> int:
    for info in FORMS.values():
        print(f"{info.key:20} {info.title}　— {info.purpose}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.list:
        return _print_list()
    if not args.form:
        raise DomainError("请指定表格名称，或用 --list 查看所有表格")
    info = FORMS[args.form]
    month = _month(args.month)
    year, quarter = _quarter(args.quarter)
    s = services(args.data_dir, user=args.user)
    try:
        require_initialized(s)
        user = login(s, args.user)
        if info.scope in (Scope.COMPLAINT, Scope.SESSION):
            if not args.complaint:
                raise DomainError(f"打印{info.title}需要 --complaint 投诉单号")
            requests = []
            for number in args.complaint:
                detail = s.complaints.find_by_number(user, number)
                session_id = None
                if args.session is not None:
                    sessions = [c.session_id for c in s.printing.choices(user, detail.id)
                                if c.session_id is not None]
                    if not 1 <= args.session <= len(sessions):
                        raise DomainError(f"投诉 {detail.number} 只有 {len(sessions)} 次调解记录")
                    session_id = sessions[args.session - 1]
                requests.append(FormRequest(info.key, complaint_id=detail.id, session_id=session_id))
        elif info.scope is Scope.REQUEST:
            if args.request is None:
                raise DomainError(f"打印{info.title}需要 --request 申请编号（见「公示」中的更正申请）")
            requests = [FormRequest(info.key, request_id=args.request)]
        else:
            scope = None
            if args.scope:
                office = next((o for o in s.offices.all() if o.code == args.scope.upper()), None)
                if office is None:
                    raise DomainError(f"没有代码为 {args.scope} 的单位")
                scope = office.id
            requests = [FormRequest(info.key, month=month, start=args.start, end=args.end,
                                    year=year, quarter=quarter, scope_office_id=scope)]
        several = len(requests) > 1
        for request in requests:
            rendered = s.printing.render(user, request)
            target = _target(args.out, rendered, several)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(rendered.pdf)
            s.printing.record(user, rendered, "cli")
            print(f"{target}　{rendered.form.title}　{rendered.pages} 页")
            for warning in rendered.warnings:
                print(f"注意：{warning}", file=sys.stderr)
    finally:
        s.close()
    return 0


def _target(out: Path | None, rendered: RenderedForm, several: bool) -> Path:
    if out is None:
        return Path.cwd() / rendered.filename
    if several or out.is_dir() or out.suffix.lower() != ".pdf":  # a folder, maybe still to make
        return out / rendered.filename
    return out
