"""hejie-admin audit verify: check the audit log's hash chain."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import services


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("audit", parents=[common], help="审计日志")
    p.add_argument("action", choices=["verify"], help="verify：校验审计日志是否被改动或删除")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    s = services(args.data_dir)
    try:
        report = s.audit.verify(progress=lambda n: print(f"已校验 {n} 条…", file=sys.stderr))
    finally:
        s.close()
    if report.ok:
        print(f"审计日志完整：共 {report.entries} 条，哈希链校验通过。")
        return 0
    print(f"审计日志异常：共 {report.entries} 条，发现 {len(report.problems)} 处问题：")
    for problem in report.problems[:50]:
        print(f"  - {problem}")
    if len(report.problems) > 50:
        print(f"  … 另有 {len(report.problems) - 50} 处")
    return 1
