"""The database check (hejie-admin check): SQLite's integrity check and the migration state,
read without migrating: a check must never change what it checks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from desktop import paths
from desktop.db.migrate import current_revision, head_revision, known_revisions
from desktop.db.repositories import integrity_check, recount_tally, tally_differences
from desktop.domain.errors import DomainError
from desktop.services.base import Service


@dataclass(frozen=True)
class DatabaseCheck:
    current: str | None  # the file's schema revision (None: not a Hejie database, or empty)
    head: str  # this program's revision
    known: bool  # the file's revision is one this program can upgrade
    problems: tuple[str, ...]  # PRAGMA integrity_check's lines; ("ok",) when sound
    # Offices whose complaint tally (the ledger's 共 N 件) is off: (office code, tallied, real).
    tally: tuple[tuple[str, int, int], ...] = ()

    @property
    def sound(self) -> bool:
        return self.problems == ("ok",) and not self.tally

    @property
    def latest(self) -> bool:
        return self.current == self.head


class CheckService(Service):
    def check(self) -> DatabaseCheck:
        try:
            current, head = current_revision(self.ctx.engine), head_revision()
            with self._uow(None, "", write=False) as uow:
                problems = integrity_check(uow.session)
                tally = tally_differences(uow.session) if problems == ["ok"] else []
        except SQLAlchemyError as exc:
            database = paths.database_path(self.ctx.data_dir)
            raise DomainError(f"无法读取数据库文件 {database}：{getattr(exc, 'orig', None) or exc}") from exc
        return DatabaseCheck(current, head, current in known_revisions(), tuple(problems), tuple(tally))

    def recount(self) -> None:
        """Count every office's complaints into the tally again (hejie-admin check --recount):
        the repair when the check found it off. The tally is kept by triggers, so only a
        change that went around them (a hand edit of the file) can put it off."""
        with self._uow(None, "") as uow:
            recount_tally(uow.session)
            uow.commit()
