"""Helpers the subcommands share: opening the services, logging in, reading a password."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from desktop import paths
from desktop.bootstrap import Services, open_services
from desktop.domain.errors import DomainError
from desktop.services.dto import CurrentUser


def services(data_dir: Path, *, create: bool = False) -> Services:
    """Open the office database; only init, demo and the calendar may create a new file."""
    if not create and not paths.database_path(data_dir).exists():
        raise DomainError(f"数据库文件 {paths.database_path(data_dir)} 不存在：请先运行 hejie-admin init 或 demo")
    s = open_services(data_dir)
    if s.backup is not None:
        print(f"数据库已升级，升级前的备份：{s.backup}", file=sys.stderr)
    return s


def require_initialized(s: Services) -> None:
    if not s.setup.is_initialized():
        raise DomainError(f"{s.database} 尚未初始化：请先运行 hejie-admin init 或 hejie-admin demo")


def password(prompt: str, env: str = "HEJIE_PASSWORD") -> str:
    """From the environment (scripts, CI) or typed without echo."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise DomainError(f"需要密码：请在终端中运行，或设置环境变量 {env}")
    return getpass.getpass(prompt)


def login(s: Services, username: str) -> CurrentUser:
    return s.users.login(username, password(f"{username} 的密码："))
