"""Backups as values: the policy an administrator sets, the file names, and which files the
rotation keeps. No files are touched here (services/backup.py does that)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from desktop.domain.errors import FieldError

SUFFIX = ".zip"
PARTIAL_SUFFIX = ".part"
_NAME = re.compile(r"hejie-(auto|backup)-(\d{8})-(\d{6})\.zip")
# A file being written: a dot in front, the writer's process id and ".part" behind; it never
# matches _NAME, so nothing unfinished looks like a backup.
_PARTIAL = re.compile(r"\.hejie-(?:auto|backup|restore)-\d{8}-\d{6}\.(\d+)\.[a-z]+\.part")


@dataclass(frozen=True)
class BackupPolicy:
    """What the administrator decides (设置 → 备份); stored in app_settings."""

    folder: str = ""  # where automatic backups go ("": the data folder's backups/)
    automatic: bool = True  # one backup a day, at the day's first start
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12
    warn_days: int = 7  # the workbench warns when the last good backup is older

    def check(self) -> BackupPolicy:
        for label, value, low, high in (("保留每日备份", self.keep_daily, 1, 366),
                                        ("保留每周备份", self.keep_weekly, 0, 520),
                                        ("保留每月备份", self.keep_monthly, 0, 240),
                                        ("提醒天数", self.warn_days, 1, 365)):
            if not low <= value <= high:
                raise FieldError(label, f"应在 {low} 到 {high} 之间")
        return self


@dataclass(frozen=True)
class BackupName:
    stamp: datetime
    automatic: bool


def backup_name(stamp: datetime, automatic: bool) -> str:
    """hejie-auto-20261120-100000.zip (automatic) or hejie-backup-20261120-100000.zip."""
    return f"hejie-{'auto' if automatic else 'backup'}-{stamp:%Y%m%d-%H%M%S}{SUFFIX}"


def partial_name(final: str, pid: int, part: str) -> str:
    """The temporary name of one part of a backup being written (`part`: zip, db)."""
    return f".{final.removesuffix(SUFFIX)}.{pid}.{part}{PARTIAL_SUFFIX}"


def parse_name(name: str) -> BackupName | None:
    """The time and kind of a backup from its file name; None for any other file."""
    found = _NAME.fullmatch(name)
    if found is None:
        return None
    try:
        stamp = datetime.strptime(found[2] + found[3], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return BackupName(stamp, found[1] == "auto")


def partial_writer(name: str) -> int | None:
    """The process id that was writing this temporary file; None when it is not one of ours."""
    found = _PARTIAL.fullmatch(name)
    return int(found[1]) if found else None


def _newest_per(stamps: list[datetime], period: Callable[[datetime], object], count: int
                ) -> set[datetime]:
    """The newest backup of each of the `count` most recent periods that have one."""
    kept: dict[object, datetime] = {}
    for stamp in sorted(stamps, reverse=True):
        key = period(stamp)
        if key not in kept:
            if len(kept) == count:
                break
            kept[key] = stamp
    return set(kept.values())


def rotation_keeps(stamps: Iterable[datetime], policy: BackupPolicy) -> set[datetime]:
    """Which automatic backups stay: the newest of each of the `keep_daily` most recent days
    that have a backup, of the `keep_weekly` most recent ISO weeks and of the `keep_monthly`
    most recent months (as restic's --keep-daily/weekly/monthly). The newest always stays."""
    stamps = list(stamps)
    if not stamps:
        return set()
    keep = {max(stamps)}
    keep |= _newest_per(stamps, lambda s: s.date(), policy.keep_daily)
    keep |= _newest_per(stamps, lambda s: s.isocalendar()[:2], policy.keep_weekly)
    keep |= _newest_per(stamps, lambda s: (s.year, s.month), policy.keep_monthly)
    return keep


def backup_age_warning(last_ok: datetime | None, today: date, warn_days: int) -> str:
    """What the workbench says about backups; empty while the last good one is recent."""
    if last_ok is None:
        return "本机的数据还没有做过备份。"
    days = (today - last_ok.date()).days
    if days < warn_days:
        return ""
    return f"最近一次成功的备份是 {days} 天前（{last_ok:%Y-%m-%d %H:%M}）。"
