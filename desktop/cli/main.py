"""hejie-admin: the administrators' command line. One module per subcommand (cmd_*.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop import __version__, paths
from desktop.cli import (
    chinese_argparse,
    cmd_anonymise,
    cmd_audit,
    cmd_backup,
    cmd_calendar,
    cmd_check,
    cmd_demo,
    cmd_export,
    cmd_import,
    cmd_init,
    cmd_mask,
    cmd_print,
    cmd_restore,
    cmd_stats,
    cmd_sync,
    cmd_user,
)
from desktop.domain.errors import DomainError

COMMANDS = (cmd_init, cmd_demo, cmd_user, cmd_audit, cmd_check, cmd_calendar, cmd_print, cmd_export,
            cmd_mask, cmd_sync, cmd_backup, cmd_restore, cmd_stats, cmd_import, cmd_anonymise)


def build_parser() -> argparse.ArgumentParser:
    chinese_argparse.install()  # usage, options, the errors: before the parsers are made
    parser = argparse.ArgumentParser(prog="hejie-admin", description="和解台 管理命令")
    parser.add_argument("--version", action="version", version=f"hejie-admin {__version__}",
                        help="显示版本号并退出")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help=f"数据文件夹（默认 {paths.default_data_dir()}，也可用环境变量 HEJIE_DATA_DIR）",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    for module in COMMANDS:
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "data_dir", None) is None:
        args.data_dir = paths.default_data_dir()
    try:
        return int(args.run(args) or 0)
    except DomainError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"错误：文件或磁盘操作失败：{exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
