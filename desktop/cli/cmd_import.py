"""hejie-admin import: an old Excel ledger or a hotline work-order export (.xlsx, .xls, .csv in
UTF-8 or GBK) brought in as this office's complaints, in one transaction (issue 19)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import login, require_initialized, services, unlock_user
from desktop.imports.mapping import KINDS, LABELS


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser(
        "import", parents=[common], help="导入历史台账或 12345/12315 热线工单（Excel/CSV）",
        description="把旧的 Excel 台账或热线工单导出文件导入为本单位的投诉记录：自动找到表头行，"
                    "按表头文字（或 --profile 指定的导入方案）对应各列；同一文件重复导入不会重复"
                    "新增，内容有变化的行更新原记录。整个导入在一个事务中完成，出错或中断时数据库"
                    "保持原样。先用 --dry-run 预览。",
        epilog="例：hejie-admin import 2024年台账.xlsx --user desk --dry-run --problems 问题行.xlsx；"
               "hejie-admin import 12345工单.csv --profile \"12345 工单导出\"")
    p.add_argument("file", type=Path, help="要导入的文件：.xlsx、.xls 或 .csv")
    p.add_argument("--user", default=None, help="（默认 HEJIE_USER，再默认 admin）以哪个用户的身份导入（记录登记人，审计记录）；"
                                                 "密码从环境变量 HEJIE_PASSWORD 读取或在终端输入")
    p.add_argument("--profile", help="使用已保存的导入方案（在 投诉台账 → 导入… 中保存）")
    p.add_argument("--kind", choices=[k for k, _ in KINDS],
                   help="ledger：历史台账（自行接收）；hotline：热线工单（区局分流）。"
                        "默认取导入方案的类别，否则 ledger")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入数据库")
    p.add_argument("--problems", type=Path, help="把有错误或警告的行写入这个 .xlsx，改正后可再导入")
    p.add_argument("--show", type=int, default=20, metavar="N",
                   help="列出前 N 个有问题的行（默认 20）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desktop.services.history_import import problem_rows, write_problems

    s = services(args.data_dir, user=unlock_user(args.user))
    try:
        require_initialized(s)
        user = login(s, unlock_user(args.user))
        svc = s.history_import

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty() and total:
                print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

        preview, outcome = svc.import_file(user, args.file, profile=args.profile, kind=args.kind,
                                           dry_run=args.dry_run, progress=progress)
        if sys.stderr.isatty():
            print(file=sys.stderr)
        for plan in preview.plans:
            mapped = "、".join(f"{plan.header[i]}→{LABELS[k]}"
                              for i, k in sorted(plan.columns.items())
                              if i < len(plan.header))
            print(f"工作表「{plan.sheet}」表头在第 {plan.header_row} 行：{mapped}")
        for note in preview.notes:
            print(note)
        print(preview.summary())
        for n, (plan, row) in enumerate(problem_rows(preview)):
            if n >= args.show:
                print("……")
                break
            level = "错误" if not row.ok else "警告"
            print(f"  「{plan.sheet}」第 {row.row} 行 {level}：{'；'.join(map(str, row.problems))}")
        if args.problems:
            count = write_problems(preview, args.problems)
            print(f"有问题的 {count} 行已写入 {args.problems}")
        if outcome is None:
            print("预览（--dry-run）：未写入数据库")
        else:
            print(outcome.summary())
        return 0
    finally:
        s.close()

