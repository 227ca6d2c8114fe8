"""Personal data beyond the database file: the log of its outputs, and its retention period.

Outputs. Every print or export that puts a consumer's personal data on paper or in a file
unmasked is logged (个人信息输出记录): who, when, what (which form or export, for which
complaint or which range), how many complaints and how many people (distinct complainants and
reporters shown unmasked: the same name and phone count once). `log_output` writes it into the
audit log (entity db.personal_data.OUTPUTS) inside the unit of work of the print or export, so
it is hash-chained with everything else and rolled back with it. The paths: a complaint's
printed forms (PrintService.record, for the window's 打印 / 存为 PDF and `hejie-admin print`) and
the ledger's Excel export (LedgerExportService.export, for the window and `hejie-admin export`).
What prints masked is not logged here: the printed ledger (surnames only), the disclosure forms
(masked texts, businesses), the statistics (counts). The administrator reads the log on 设置 →
个人信息 and with `hejie-admin audit outputs`.

Retention (domain.retention). Once set, closed complaints whose closing day lies longer ago
than the period can be anonymised by the administrator: the complainant's name becomes the
mark, phone, address and ID number are blanked, and the texts of the complaint and of its
mediation records, 回访, 送达 and attachments' names are masked the way the disclosure masks
them (masking.mask: names to 张某, numbers to 【电话】…). Dates, classification, respondent,
status, result and amounts stay, for the statistics. Each batch is one transaction, audited
(the entries hold MASKED where the values were: no new copy) and queued for the district like
any change; a rerun takes up what is left. The attachments' files are kept: they are the case
file's evidence (see the admin guide).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from desktop.db.models import Complaint
from desktop.db.personal_data import OUTPUTS, PersonalDataRepository
from desktop.db.repositories import CodeRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import FieldError
from desktop.domain.masking import mask
from desktop.domain.retention import (
    ANONYMISED_NAME,
    COMPLAINT_TEXTS,
    MAX_RETENTION_YEARS,
    RECORD_TEXTS,
    RETENTION_KEY,
    Retention,
    is_anonymised,
)
from desktop.domain.workflow import Role
from desktop.services.base import Service, require_role
from desktop.services.dto import Changed, CurrentUser

BATCH = 200  # complaints a transaction anonymises
MAX_OUTPUT_LINES = 5000  # the log view's rows (newest first)

KIND_LABELS = {"print": "打印", "pdf": "存为 PDF", "cli": "命令行打印", "xlsx": "导出 Excel",
               "cli-xlsx": "命令行导出 Excel"}

# The texts masked on anonymisation (domain.retention, which the hub reads too).
CHILD_TEXTS = RECORD_TEXTS


def person_key(name: str | None, phone: str | None) -> tuple[str, str] | None:
    """Who a complainant is, for counting people: the same name and phone are one person; no
    name and no phone (an anonymous 举报), or an anonymised one, is no one."""
    name, phone = (name or "").strip(), (phone or "").strip()
    if (not name and not phone) or is_anonymised(name):
        return None
    return name, phone


def log_output(uow: UnitOfWork, *, kind: str, what: str, scope: str, complaints: int,
               people: int, file: str = "") -> None:
    """Log an output of unmasked personal data in the caller's unit of work (before it
    commits). `kind`: KIND_LABELS' key; `what`: the form or export; `scope`: a complaint's
    number or the range and filters."""
    uow.log_bulk(OUTPUTS, {"kind": kind, "what": what, "scope": scope[:500],
                           "complaints": complaints, "people": people, "file": file[:255]})


@dataclass(frozen=True)
class OutputLine:
    at: datetime  # local time
    username: str
    kind: str  # in words
    what: str
    scope: str
    complaints: int
    people: int
    file: str


@dataclass(frozen=True)
class RetentionState:
    retention: Retention
    closed_before: date | None  # due: closed before this day (None: not set)
    due: int  # complaints due now
    anonymised: int  # complaints anonymised so far


@dataclass(frozen=True)
class AnonymiseReport:
    dry_run: bool
    closed_before: date
    complaints: int  # anonymised (or, dry run, due)
    numbers: tuple[str, ...]  # the first few, to show
    summary: str


Progress = Callable[[int, int], None]


def _local_start(day: date) -> datetime:
    """The UTC moment (naive, as the audit log keeps it) a local day begins."""
    return datetime.combine(day, time()).astimezone(UTC).replace(tzinfo=None)


class PersonalDataService(Service):
    # -- the outputs log ---------------------------------------------------------------------
    def outputs(self, user: CurrentUser, start: date | None = None,
                end: date | None = None) -> list[OutputLine]:
        """Outputs of unmasked personal data from `start` to `end` (local days, both included),
        newest first."""
        require_role(user, Role.ADMIN, doing="查看个人信息输出记录")
        if start and end and end < start:
            raise FieldError("截止日期", "不能早于起始日期")
        lo = _local_start(start) if start else None
        hi = _local_start(end + timedelta(days=1)) if end else None
        with self._uow(user, "", write=False) as uow:
            rows = PersonalDataRepository(uow.session).outputs(lo, hi, MAX_OUTPUT_LINES)
            lines = []
            for e in rows:
                try:
                    v = json.loads(e.after or "{}")
                except ValueError:
                    v = {}
                at = e.at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
                lines.append(OutputLine(
                    at=at, username=e.username, kind=KIND_LABELS.get(v.get("kind"), "输出"),
                    what=str(v.get("what", e.action)), scope=str(v.get("scope", "")),
                    complaints=int(v.get("complaints") or 0), people=int(v.get("people") or 0),
                    file=str(v.get("file", ""))))
            return lines

    # -- retention ---------------------------------------------------------------------------
    def retention(self, user: CurrentUser) -> Retention:
        with self._uow(user, "", write=False) as uow:
            return self._retention(uow)

    @staticmethod
    def _retention(uow: UnitOfWork) -> Retention:
        raw = CodeRepository(uow.session).setting(RETENTION_KEY)
        try:
            years = int(raw) if raw else 0
        except ValueError:
            years = 0
        return Retention(max(0, min(years, MAX_RETENTION_YEARS)))

    def set_retention(self, user: CurrentUser, years: int) -> Changed:
        require_role(user, Role.ADMIN, doing="设置个人信息保留期限")
        if isinstance(years, bool) or not isinstance(years, int) \
                or not 0 <= years <= MAX_RETENTION_YEARS:
            raise FieldError("保留期限", f"应为 0（不设置）到 {MAX_RETENTION_YEARS} 年之间的整数")
        with self._uow(user, "设置个人信息保留期限") as uow:
            CodeRepository(uow.session).set_setting(RETENTION_KEY, str(years))
            uow.commit()
        return Changed("setting", ())

    def state(self, user: CurrentUser) -> RetentionState:
        require_role(user, Role.ADMIN, doing="查看个人信息保留期限")
        with self._uow(user, "", write=False) as uow:
            retention = self._retention(uow)
            repo = PersonalDataRepository(uow.session)
            anonymised = repo.anonymised_count(ANONYMISED_NAME)
            if not retention.on:
                return RetentionState(retention, None, 0, anonymised)
            before = retention.closed_before(self.ctx.clock.today())
            due = repo.count_due(before, ANONYMISED_NAME, self._scope(user))
            return RetentionState(retention, before, due, anonymised)

    @staticmethod
    def _scope(user: CurrentUser) -> set[int] | None:
        return set(user.scope) if user.scope is not None else None

    def anonymise(self, user: CurrentUser, *, dry_run: bool = False,
                  progress: Progress | None = None) -> AnonymiseReport:
        """Anonymise every closed complaint of the user's scope whose retention period ran
        out, BATCH a transaction; `dry_run`: only count them. `progress(done, total)` after
        each batch; it may raise to stop (what is done stays done: a rerun goes on)."""
        require_role(user, Role.ADMIN, doing="个人信息到期匿名化")
        scope = self._scope(user)
        with self._uow(user, "", write=False) as uow:
            retention = self._retention(uow)
            if not retention.on:
                raise FieldError("保留期限", "尚未设置个人信息保留期限：请先在「设置 → 个人信息」中设置")
            before = retention.closed_before(self.ctx.clock.today())
            repo = PersonalDataRepository(uow.session)
            total = repo.count_due(before, ANONYMISED_NAME, scope)
            first = tuple(c.number for c in repo.due(before, ANONYMISED_NAME, scope, 10))
        if dry_run:
            return AnonymiseReport(True, before, total, first,
                                   f"{before:%Y-%m-%d} 之前办结、尚未匿名化的投诉共 {total} 件（未做改动）")
        done = 0
        if progress is not None:
            progress(0, total)
        while True:
            with UnitOfWork(self.ctx.engine, self._actor(user), "个人信息到期匿名化",
                            reason=f"保留期限：{retention.label}（{before:%Y-%m-%d} 之前办结）",
                            conceal=True) as uow:
                repo = PersonalDataRepository(uow.session)
                batch = repo.due(before, ANONYMISED_NAME, scope, BATCH)
                if not batch:
                    break
                names = {c.id: [c.complainant_name] for c in batch
                         if c.complainant_name and c.complainant_name.strip()}
                children = repo.children([c.id for c in batch])
                by_complaint: dict[int, list[Any]] = {}
                for child in children:
                    by_complaint.setdefault(child.complaint_id, []).append(child)
                for c in batch:
                    _anonymise(c, [])
                # The complaints' changes first: the hub takes its records' masked texts once
                # it knows the complaint anonymised (the outbox keeps this order).
                uow.flush()
                for c in batch:
                    _anonymise_records(by_complaint.get(c.id, []), c.id, names)
                uow.commit()
            done += len(batch)
            if progress is not None:
                progress(min(done, total), max(total, done))
        return AnonymiseReport(False, before, done, first,
                               f"已将 {before:%Y-%m-%d} 之前办结的 {done} 件投诉的个人信息匿名化")

    @staticmethod
    def _actor(user: CurrentUser) -> Any:
        from desktop.db.uow import Actor

        return Actor(user.id, user.username, user.office_code)


def _anonymise_records(records: list[Any], complaint_id: int,
                       names: dict[int, list[str]]) -> None:
    """A complaint's mediation records, attachments, 回访 and 送达: their texts masked."""
    known = names.get(complaint_id, [])
    for record in records:
        for name in CHILD_TEXTS.get(record.__tablename__, ()):
            value = getattr(record, name)
            if value:
                masked = mask(value, known)
                setattr(record, name, masked if masked.strip() else value)


def _anonymise(c: Complaint, children: list[Any]) -> None:
    """One complaint, in place (the unit of work audits and queues it)."""
    names = [n for n in (c.complainant_name,) if n and n.strip()]
    _anonymise_records(children, c.id, {c.id: names})
    for name in COMPLAINT_TEXTS:
        value = getattr(c, name)
        if value:
            setattr(c, name, mask(value, names))
    c.complainant_name = ANONYMISED_NAME
    c.complainant_phone = ""
    c.complainant_address = ""
    c.complainant_id_number = None
    c.complainant_id_type = None
