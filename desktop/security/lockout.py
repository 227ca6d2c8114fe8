"""Wrong passwords counted before the database is open.

The database is opened by the password (keys.unlock), so the account's own lock-out, kept in the
database (UserService.login), cannot count the tries that fail to open it. They are counted here,
in a small file beside the key file, with the same rule: five wrong passwords in a row lock the
name for fifteen minutes. It guards against someone guessing at the PC; whoever can copy the files
meets argon2id instead.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from desktop.domain.errors import AuthenticationError

TRIES_FILENAME = "hejie.tries"
MAX_FAILURES = 5
LOCK_MINUTES = 15


def _path(data_dir: Path) -> Path:
    return data_dir / TRIES_FILENAME


def _read(data_dir: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(_path(data_dir).read_text("utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or damaged: counting starts again
    return data if isinstance(data, dict) else {}


def _write(data_dir: Path, data: dict[str, dict[str, object]]) -> None:
    path = _path(data_dir)
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        os.replace(partial, path)
    except OSError:
        pass  # a read-only folder: the key still opens nothing without the password


def check(data_dir: Path, username: str, now: datetime) -> None:
    """Refuse a name locked by earlier wrong passwords."""
    entry = _read(data_dir).get(username) or {}
    until = entry.get("locked_until")
    if isinstance(until, str) and datetime.fromisoformat(until) > now:
        raise still_locked(datetime.fromisoformat(until), now)


def still_locked(locked_until: datetime, now: datetime) -> AuthenticationError:
    """The refusal while a name is locked (here or in the account, UserService.login)."""
    minutes = int((locked_until - now).total_seconds() // 60) + 1
    return AuthenticationError(f"密码连续错误次数过多，账户已锁定，请 {minutes} 分钟后再试")


def just_locked() -> AuthenticationError:
    """The refusal of the wrong password that locks the name."""
    return AuthenticationError(f"密码连续错误 {MAX_FAILURES} 次，账户锁定 {LOCK_MINUTES} 分钟")


def failed(data_dir: Path, username: str, now: datetime) -> AuthenticationError | None:
    """Count a wrong password; the message to give instead when this one locks the name."""
    data = _read(data_dir)
    entry = data.get(username) or {}
    count = int(entry.get("failed", 0) or 0) + 1  # type: ignore[call-overload]
    if count >= MAX_FAILURES:
        data[username] = {"failed": 0, "locked_until": (now + timedelta(minutes=LOCK_MINUTES)).isoformat()}
        _write(data_dir, data)
        return just_locked()
    data[username] = {"failed": count}
    _write(data_dir, data)
    return None


def succeeded(data_dir: Path, username: str) -> None:
    data = _read(data_dir)
    if username in data:
        del data[username]
        _write(data_dir, data)
