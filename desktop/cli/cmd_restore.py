"""hejie-admin restore FILE: check a backup whole, keep the current database aside, restore the
database and the attachments. Every 和解台 window using this data folder must be closed."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from desktop import bootstrap
from desktop.cli.cmd_backup import progress_printer, system_user
from desktop.cli.common import unlock_user, user_password
from desktop.domain.errors import AuthenticationError, DomainError
from desktop.security.keys import DataKey, KeyFile
from desktop.services.base import Clock
from desktop.services.restore import check_backup, describe


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("restore", parents=[common],
                       help="从备份恢复：先校验备份，现有数据库移到 backups 文件夹保留")
    p.add_argument("file", type=Path, metavar="备份文件", help="hejie-…zip 备份文件")
    p.add_argument("--yes", action="store_true", help="不再询问，直接恢复（用于脚本）")
    p.set_defaults(run=run)


def unlock_backup(keyfile: KeyFile) -> DataKey:
    """The backup's data key: with the recovery key (HEJIE_RECOVERY_KEY) or a user's password
    as it was when the backup was made (HEJIE_USER, default admin; HEJIE_PASSWORD or typed)."""
    code = os.environ.get("HEJIE_RECOVERY_KEY")
    if code:
        key = keyfile.open_with_recovery(code)
        if key is None:
            raise AuthenticationError("恢复密钥不正确：它不是这份备份所属数据库的恢复密钥")
        return key
    name = unlock_user()
    key = keyfile.open_as(name, user_password(name))
    if key is None:
        raise AuthenticationError(f"用户名或密码不正确：这份备份需要制作备份时 {name} 的密码"
                                  "（或用 HEJIE_RECOVERY_KEY 给出恢复密钥）")
    return key


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise DomainError(f"备份文件 {args.file} 不存在")
    clock = Clock()
    checked = check_backup(args.file, args.data_dir, clock, progress_printer(), unlock=unlock_backup)
    try:
        print(f"备份校验通过：{describe(checked.manifest)}")
        print(f"审计日志 {checked.audit_entries} 条，哈希链和记录校验通过。")
        if not args.yes:
            if not sys.stdin.isatty():
                raise DomainError("请加 --yes 确认恢复（或在终端中运行，按提示确认）")
            answer = input(f"用这份备份替换 {args.data_dir} 中的数据库吗？现有数据库会移到 backups 文件夹保留。[y/N] ")
            if answer.strip().lower() not in ("y", "yes", "是"):
                print("未恢复，数据库未作任何修改。")
                return 1
        restored, reminder = bootstrap.restore(
            args.data_dir, checked, username="hejie-admin",
            display=f"系统用户 {system_user()}（命令行）", clock=clock, progress=progress_printer())
    finally:
        checked.discard()
    print(f"已从备份 {restored.source} 恢复。")
    if restored.set_aside is not None:
        print(f"原来的数据库保留为：{restored.set_aside}")
    if restored.attachments_written:
        print(f"恢复附件 {restored.attachments_written} 个。")
    if reminder:
        print(f"重要：{reminder}")
    return 0
