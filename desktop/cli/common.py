"""Helpers the subcommands share: opening the services, logging in, reading a password.

The office database is encrypted (security/keys.py): opening it takes a user's password, read
once per process from HEJIE_PASSWORD or typed, for the user the command acts as (its --user or
--admin), else HEJIE_USER, else admin. HEJIE_RECOVERY_KEY opens it with the recovery key
instead (no one is logged in then: commands that act as a user still ask for a password).
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from desktop import paths
from desktop.bootstrap import Locked, Services, data_key, encrypt_and_login, open_services
from desktop.domain.errors import DomainError
from desktop.security import keys
from desktop.services.dto import CurrentUser

_typed: dict[str, str] = {}  # this process's passwords, by user: asked once, never written


def unlock_user(user: str | None = None) -> str:
    return (user or os.environ.get("HEJIE_USER") or "admin").strip()


def open_key(data_dir: Path, user: str | None = None) -> keys.DataKey | None:
    """The database's key: the one a new or not yet set-up database has, else opened with the
    recovery key (HEJIE_RECOVERY_KEY) or with the acting user's password."""
    try:
        return data_key(data_dir)
    except Locked:
        pass
    code = os.environ.get("HEJIE_RECOVERY_KEY")
    if code:
        return keys.unlock_with_recovery(data_dir, code)
    name = unlock_user(user)
    return keys.unlock(data_dir, name, user_password(name))


def services(data_dir: Path, *, create: bool = False, user: str | None = None) -> Services:
    """Open the office database; only init, demo and the calendar may create a new file.
    `user`: who the command acts as, whose password opens the database."""
    if not create and not paths.database_path(data_dir).exists():
        raise DomainError(f"数据库文件 {paths.database_path(data_dir)} 不存在：请先运行 hejie-admin init 或 demo")
    s = open_services(data_dir, key=open_key(data_dir, user))
    if s.backup is not None:
        print(f"数据库已升级，升级前的备份：{s.backup}", file=sys.stderr)
    if s.ctx.keyring is None and s.setup.is_initialized():
        # A database from before encryption: the acting administrator's login encrypts it.
        name = unlock_user(user)
        print("数据库尚未加密，正在加密（一次性升级）……", file=sys.stderr)
        s, _admin = encrypt_and_login(s, name, user_password(name))
        code = s.setup.first_recovery_key()
        print(f"数据库已加密。恢复密钥：{code}\n请立即把它抄写或打印在恢复密钥单上，交保险柜保管"
              "（图形界面的首次加密会打印恢复密钥单）。", file=sys.stderr)
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


def user_password(username: str) -> str:
    if os.environ.get("HEJIE_PASSWORD"):
        return os.environ["HEJIE_PASSWORD"]
    if username not in _typed:
        _typed[username] = password(f"{username} 的密码：")
    return _typed[username]


def login(s: Services, username: str) -> CurrentUser:
    return s.users.login(username, user_password(username))
