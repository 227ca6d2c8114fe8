"""hejie-admin backup: a checked backup of the database and the attachments, while the program
runs (no login: whoever may read the data folder may copy it; the audit log records the
system user)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from desktop.cli.common import require_initialized, services


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("backup", parents=[common],
                       help="备份数据库和附件（程序运行时也可以），写入后校验")
    p.add_argument("--to", type=Path, metavar="文件夹",
                   help="备份到这个文件夹（默认：「设置 → 备份」中选的文件夹，未选时为数据文件夹的 backups）")
    p.add_argument("--list", action="store_true", help="只列出备份文件夹中已有的备份")
    p.set_defaults(run=run)


def system_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no name for this uid (a container)
        return "?"


def progress_printer():  # type: ignore[no-untyped-def]
    shown = {"what": ""}

    def show(what: str, done: int, total: int) -> None:
        if what != shown["what"]:
            shown["what"] = what
            print(f"{what}…", file=sys.stderr)

    return show


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def run(args: argparse.Namespace) -> int:
    s = services(args.data_dir)
    try:
        require_initialized(s)
        if args.list:
            folder = args.to or s.backups.folder()
            found = s.backups.backups(folder)
            print(f"备份文件夹：{folder}（{len(found)} 份）")
            for b in found:
                kind = "自动" if b.automatic else "手动"
                print(f"  {b.path.name}\t{b.stamp:%Y-%m-%d %H:%M}\t{kind}\t{megabytes(b.size)}")
            return 0
        result = s.backups.make(None, folder=args.to,
                               made_by=f"hejie-admin（系统用户 {system_user()}）",
                               progress=progress_printer())
    finally:
        s.close()
    m = result.manifest
    print(f"已备份到 {result.path}（{megabytes(result.path.stat().st_size)}，用时 {result.seconds:.1f} 秒）")
    print(f"数据库 {megabytes(m.database.size)}，投诉 {m.counts.get('complaints', 0)} 件，"
          f"附件 {len(m.attachments)} 个；完整性检查通过；"
          f"审计日志 {m.checks.get('audit_entries', 0)} 条"
          + ("，校验通过" if result.good else "，校验发现问题"))
    for warning in result.warnings:
        print(f"注意：{warning}")
    return 0 if result.good else 1
