"""hejie-admin audit outputs: the log of prints and exports of unmasked personal data.

hejie-admin audit verify: check the audit log's hash chain, the data against the log, and —
when this office is enrolled and the district hub can be reached — the log against the head
the hub holds for it."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from desktop.cli.common import login, require_initialized, services, unlock_user
from desktop.services.audit import verdict_text
from desktop.sync.client import SyncError


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("audit", parents=[common], help="审计日志")
    p.add_argument("action", choices=["verify", "outputs"],
                   help="verify：校验审计日志是否被改动或删除、数据是否与审计日志相符，"
                        "并向区局服务器核对（已登记时）；outputs：列出打印、导出完整个人信息的记录")
    p.add_argument("--offline", action="store_true", help="不连接区局同步服务器，只做本机校验")
    p.add_argument("--from", dest="start", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="outputs：起始日期")
    p.add_argument("--to", dest="end", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="outputs：截止日期")
    p.add_argument("--user", default=None, help="（默认 HEJIE_USER，再默认 admin）outputs：以哪个管理员的身份查看；"
                   "密码取自环境变量 HEJIE_PASSWORD 或提示输入")
    p.set_defaults(run=run)


def _outputs(args: argparse.Namespace) -> int:
    s = services(args.data_dir, user=unlock_user(args.user))
    try:
        require_initialized(s)
        user = login(s, unlock_user(args.user))
        lines = s.personal_data.outputs(user, args.start, args.end)
    finally:
        s.close()
    print("时间\t用户\t方式\t内容\t范围\t投诉件数\t人数\t文件")
    for x in lines:
        print(f"{x.at:%Y-%m-%d %H:%M}\t{x.username}\t{x.kind}\t{x.what}\t{x.scope}\t"
              f"{x.complaints}\t{x.people}\t{x.file}")
    print(f"共 {len(lines)} 次输出，涉及 {sum(x.people for x in lines)} 人次", file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.action == "outputs":
        return _outputs(args)
    s = services(args.data_dir)
    try:
        report = s.audit.verify(progress=lambda n: print(f"已校验 {n} 条…", file=sys.stderr))
        hub_failed = False if args.offline else _ask_hub(s)
    finally:
        s.close()
    for note in report.notes:
        print(f"注意：{note}")
    if report.ok:
        print(f"审计日志完整：共 {report.entries} 条，哈希链校验通过；"
              f"{report.records} 条记录与审计日志相符。")
        return 1 if hub_failed else 0
    print(f"审计日志异常：共 {report.entries} 条，核对记录 {report.records} 条，"
          f"发现 {len(report.problems)} 处问题：")
    for problem in report.problems[:50]:
        print(f"  - {problem}")
    if len(report.problems) > 50:
        print(f"  … 另有 {len(report.problems) - 50} 处")
    return 1


def _ask_hub(s) -> bool:  # type: ignore[no-untyped-def]
    """Report the head to the hub and print its verdict; True when history was rewritten."""
    try:
        client = s.audit.hub_client()
    except SyncError as exc:  # a stored address the client refuses
        print(f"区局核对：无法连接区局同步服务器（{exc}），以下只是本机校验的结果。")
        return False
    if client is None:
        print("区局核对：本机未登记到区局同步，只做本机校验。")
        return False
    try:
        verdict = s.audit.anchor(client)
    finally:
        client.close()
    if verdict is None:
        print("区局核对：连接不上区局同步服务器，以下只是本机校验的结果。")
        return False
    print(f"区局核对：{verdict_text(verdict)}")
    return verdict.status == "diverged"
