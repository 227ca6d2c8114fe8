"""Bringing the office's past in: old Excel ledgers and 12345/12315 work-order exports become
complaints of this office (issue 19).

Reading and planning are desktop/imports/; this service holds each planned row against what
earlier imports wrote (by the row's identity: its original number, or a hash of its date,
parties and content — never its position), and writes one import in one transaction: a new
row becomes a complaint with a number of this office, a changed row updates the complaint it
made (the unit of work audits each change and queues it for the district), an unchanged row
is left alone. Cancel, a crash or a bad row leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop.db.bulk_write import insert_audited
from desktop.db.history_import import HistoryImportRows
from desktop.db.models import CodeItem, Complaint
from desktop.db.repositories import CodeRepository, OfficeRepository
from desktop.domain.contract import HISTORY_CHANNEL
from desktop.domain.deadlines import rule_set_for
from desktop.domain.errors import DomainError, FieldError
from desktop.domain.workflow import HANDLERS, Intake, Role
from desktop.imports import cells
from desktop.imports.mapping import (
    KINDS,
    PROFILE_PREFIX,
    Profile,
    check_mapping,
    check_profile_name,
)
from desktop.imports.plan import Lookups, PlannedRow, Planner, SheetPlan, dedupe
from desktop.imports.sheets import Book, ImportCancelled, ImportFileError, read_book
from desktop.services.base import Service, require_role
from desktop.services.dto import CurrentUser

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
ACTION = "历史导入"
HISTORY_CHANNEL_LABEL = "历史导入"
# Updated rows between two flushes (each flush audits its rows).
FLUSH_EVERY = 1000
# New rows written at once (rows, audit entries, outbox operations: db/bulk_write.py); False:
# through the ORM record by record, as before (the tests hold the two against each other).
BULK = True
BULK_EVERY = 5000
CHECK_EVERY = 200  # rows between two looks at cancel and two progress reports

__all__ = ["ACTION", "HistoryImportService", "ImportCancelled", "ImportFileError", "Preview",
           "SheetChoice"]


@dataclass
class SheetChoice:
    """One sheet to import: its header row (1-based) and column index → target."""

    sheet: str
    header_row: int
    columns: dict[int, str]


@dataclass
class Preview:
    path: Path
    kind: str
    plans: list[SheetPlan]
    notes: list[str] = field(default_factory=list)  # sheets left out and why

    def rows(self) -> Iterator[PlannedRow]:
        for plan in self.plans:
            yield from plan.rows

    @property
    def counts(self) -> dict[str, int]:
        c = Counter[str]()
        for row in self.rows():
            c["rows"] += 1
            if not row.ok:
                c["errors"] += 1
                continue
            c[row.action] += 1
            if row.warned:
                c["warnings"] += 1
            if row.values.get("incomplete"):
                c["incomplete"] += 1
        c["skipped"] = sum(len(p.skipped) for p in self.plans)
        return {k: c.get(k, 0) for k in ("rows", "add", "update", "same", "errors", "warnings",
                                          "incomplete", "skipped")}

    def summary(self) -> str:
        n = self.counts
        return (f"共 {n['rows']} 行：新增 {n['add']}，更新 {n['update']}，不变 {n['same']}，"
                f"错误（不导入）{n['errors']}，警告 {n['warnings']}（其中资料不全 {n['incomplete']}），"
                f"跳过空行和合计行 {n['skipped']}")


@dataclass(frozen=True)
class ImportOutcome:
    added: int
    updated: int
    unchanged: int
    refused: int  # rows with errors, not imported
    numbers: tuple[str, str] | None  # the first and last number given

    def summary(self) -> str:
        span = f"，新编号 {self.numbers[0]} 至 {self.numbers[1]}" if self.numbers else ""
        return (f"已导入：新增 {self.added} 件，更新 {self.updated} 件，不变 {self.unchanged} 件，"
                f"有错误未导入 {self.refused} 行{span}")


def content_digest(values: dict[str, Any]) -> str:
    """What a row says, as a hash: its source (file and row) left out, so that the same row
    moved elsewhere in the sheet, or in next year's copy of the file, is the same."""
    shown = {k: (v.isoformat() if isinstance(v, (date, datetime)) else v)
             for k, v in sorted(values.items()) if k != "import_source"}
    remarks = shown.get("remarks")
    if isinstance(remarks, str) and remarks.startswith("【"):  # its source: file and row
        shown["remarks"] = remarks.partition("】")[2]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False, sort_keys=True)
                          .encode("utf-8")).hexdigest()


class HistoryImportService(Service):
    # -- reading -------------------------------------------------------------------------
    @staticmethod
    def open(path: Path | str, progress: Progress | None = None,
             cancelled: Cancelled | None = None) -> Book:
        return read_book(path, progress, cancelled)

    @staticmethod
    def choices(book: Book, profile: Profile | None = None) -> list[SheetChoice]:
        """Every data sheet with its found header and the profile's (or the guessed) mapping;
        sheets without a header (notes, instructions) are left out."""
        out = []
        for sheet in book.data_sheets:
            assert sheet.header_row is not None
            header = sheet.header
            columns = (profile or Profile("")).apply(header)
            out.append(SheetChoice(sheet.name, sheet.header_row, columns))
        return out

    def _lookups(self, user: CurrentUser) -> Lookups:
        with self._uow(user, "", write=False) as uow:
            rows = HistoryImportRows(uow.session)
            offices = OfficeRepository(uow.session).subtree_ids(user.office_id)
            return Lookups(rows.category_labels(), rows.user_names(list(offices)))

    @staticmethod
    def _check_user(user: CurrentUser) -> None:
        require_role(user, *HANDLERS, Role.ADMIN, doing=ACTION)

    def preview(self, user: CurrentUser, book: Book, choices: Sequence[SheetChoice],
                kind: str = "ledger", progress: Progress | None = None,
                cancelled: Cancelled | None = None) -> Preview:
        """Every row with what it becomes and its problems; nothing is written."""
        self._check_user(user)
        if kind not in dict(KINDS):
            raise FieldError("导入类别", f"应为 {'、'.join(k for k, _ in KINDS)} 之一")
        if not choices:
            raise ImportFileError(f"「{book.path.name}」中没有找到台账数据（没有识别出表头行）")
        for choice in choices:
            check_mapping(choice.columns)
        planner = Planner(book.path.name, kind, self._lookups(user), today=self.ctx.clock.today())
        total = sum(max(0, len(book.sheet(c.sheet).rows) - c.header_row) for c in choices)
        plans, done = [], 0
        for choice in choices:
            sheet = book.sheet(choice.sheet)
            plans.append(planner.plan_sheet(sheet, choice.columns, choice.header_row, progress,
                                            cancelled, done, total))
            done += max(0, len(sheet.rows) - choice.header_row)
        dedupe(plans)
        preview = Preview(book.path, kind, plans, [
            f"工作表「{s.name}」没有表头行，不是台账数据，已跳过" for s in book.sheets
            if s.name not in {c.sheet for c in choices}])
        station = user.office_kind == "station"
        rows = [r for r in preview.rows() if r.ok]
        for row in rows:
            if station and row.values.get("kind") == Intake.REPORT.value:
                row.error("类型", "投诉站不登记举报")
            row.digest = content_digest(row.values)
        with self._uow(user, "", write=False) as uow:
            known = HistoryImportRows(uow.session).hashes_by_keys(
                user.office_id, (r.key for r in rows if r.key))
        for row in rows:
            key = row.key or ""
            row.action = ("add" if key not in known
                          else "same" if known[key] == row.digest else "update")
        if progress is not None:
            progress(total, total)
        return preview

    # -- writing -------------------------------------------------------------------------
    def run(self, user: CurrentUser, preview: Preview, progress: Progress | None = None,
            cancelled: Cancelled | None = None) -> ImportOutcome:
        """Write the previewed rows in one transaction (ImportCancelled: nothing written)."""
        self._check_user(user)
        rows = [r for r in preview.rows() if r.ok and r.key]
        refused = sum(1 for r in preview.rows() if not r.ok)
        counts = Counter[str]()
        given: list[str] = []
        with self._uow(user, ACTION, reason=f"导入文件「{preview.path.name}」") as uow:
            repo = HistoryImportRows(uow.session)
            existing = repo.by_keys(user.office_id, (r.key for r in rows if r.key))
            days = Counter(r.values["received_at"].date() for r in rows
                           if r.key not in existing)
            numbers = {day: deque(repo.free_numbers(user.office_id, user.office_code, day, n))
                       for day, n in sorted(days.items())}
            short = {day: n - len(numbers[day]) for day, n in days.items()
                     if len(numbers[day]) < n}
            if short:
                day, n = min(short.items())
                raise DomainError(f"{day:%Y-%m-%d} 一天要导入的记录超出本机当日可用的编号"
                                  f"（缺 {n} 个）。未导入任何内容；请分批导入或联系管理员")
            codes = CodeRepository(uow.session)
            if codes.get("channel", HISTORY_CHANNEL) is None:
                # The channel's name in lists, papers and statistics; inactive, so that no
                # clerk registers a new complaint under it (history is exempt from required).
                uow.session.add(CodeItem(kind="channel", code=HISTORY_CHANNEL,
                                         label=HISTORY_CHANNEL_LABEL, sort_order=99,
                                         active=False))
            rule_sets = self.ctx.reference.rule_sets()
            with uow.session.no_autoflush:  # flushed in batches below, each audited at once
                self._write_rows(uow, user, rows, existing, numbers, rule_sets, given, counts,
                                 progress, cancelled)
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            uow.commit()
        if progress is not None:
            progress(len(rows), len(rows))
        ordered = sorted(given)
        return ImportOutcome(counts["added"], counts["updated"], counts["same"], refused,
                             (ordered[0], ordered[-1]) if ordered else None)

    @staticmethod
    def _write_rows(uow: Any, user: CurrentUser, rows: Sequence[PlannedRow],
                    existing: dict[str, Complaint], numbers: dict[date, deque[str]],
                    rule_sets: Sequence[Any], given: list[str], counts: Counter[str],
                    progress: Progress | None, cancelled: Cancelled | None) -> None:
        """A changed row updates its complaint through the ORM (audited at each flush); new
        rows are written BULK_EVERY at a time by db/bulk_write (the same audit entries and
        outbox operations as the ORM path writes, at a fraction of its cost)."""
        new: list[dict[str, Any]] = []
        total = len(rows)

        def write_new() -> None:
            if new:
                if BULK:
                    insert_audited(uow, Complaint, new)
                else:  # record by record, as the unit of work audits an ORM flush
                    uow.session.add_all(Complaint(**values) for values in new)
                    uow.session.flush()
                new.clear()

        for i, row in enumerate(rows):
            if i % CHECK_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise ImportCancelled()
                if progress is not None:
                    progress(i, total)
            digest = row.digest or content_digest(row.values)
            c = existing.get(row.key or "")
            if c is None:
                day = row.values["received_at"].date()
                number = numbers[day].popleft()
                given.append(number)
                new.append(dict(number=number, registered_by_id=user.id,
                                office_id=user.office_id,
                                rule_set_code=rule_set_for(rule_sets, day).code,
                                import_key=row.key, import_hash=digest, **row.values))
                counts["added"] += 1
                if len(new) >= BULK_EVERY:
                    write_new()
            elif c.import_hash != digest:
                for key, value in row.values.items():
                    if getattr(c, key) != value:
                        setattr(c, key, value)
                c.import_hash = digest
                counts["updated"] += 1
                if counts["updated"] % FLUSH_EVERY == 0:
                    uow.session.flush()
            else:
                counts["same"] += 1
        write_new()
        uow.session.flush()

    def import_file(self, user: CurrentUser, path: Path | str, *, profile: str | None = None,
                    kind: str | None = None, dry_run: bool = False,
                    progress: Progress | None = None,
                    cancelled: Cancelled | None = None) -> tuple[Preview, ImportOutcome | None]:
        """Read, preview and (unless `dry_run`) import a file in one go (the command line)."""
        chosen = self.profile(user, profile) if profile else None
        book = self.open(path, None, cancelled)
        preview = self.preview(user, book, self.choices(book, chosen),
                               kind or (chosen.kind if chosen else "ledger"), progress, cancelled)
        if dry_run:
            return preview, None
        return preview, self.run(user, preview, progress, cancelled)

    # -- profiles --------------------------------------------------------------------------
    def profiles(self, user: CurrentUser) -> list[Profile]:
        with self._uow(user, "", write=False) as uow:
            found = CodeRepository(uow.session).settings_under(PROFILE_PREFIX)
        return [Profile.from_json(name, text) for name, text in sorted(found.items())]

    def profile(self, user: CurrentUser, name: str) -> Profile:
        for p in self.profiles(user):
            if p.name == name.strip():
                return p
        known = "、".join(p.name for p in self.profiles(user)) or "（还没有保存任何方案）"
        raise FieldError("导入方案", f"没有名为「{name}」的方案；已有：{known}")

    def save_profile(self, user: CurrentUser, profile: Profile) -> None:
        self._check_user(user)
        name = check_profile_name(profile.name)
        with self._uow(user, "保存导入方案") as uow:
            CodeRepository(uow.session).set_setting(PROFILE_PREFIX + name, profile.to_json())
            uow.commit()

    def delete_profile(self, user: CurrentUser, name: str) -> None:
        self._check_user(user)
        with self._uow(user, "删除导入方案") as uow:
            CodeRepository(uow.session).delete_setting(PROFILE_PREFIX + name)
            uow.commit()


def problem_rows(preview: Preview) -> Iterator[tuple[SheetPlan, PlannedRow]]:
    for plan in preview.plans:
        for row in plan.rows:
            if row.problems:
                yield plan, row


def write_problems(preview: Preview, target: Path | str) -> int:
    """The rows with problems as a workbook to correct and import again: each source sheet's
    header, then 行号 and 问题 in front of the row's cells as read. Returns the row count."""
    import openpyxl  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    target = Path(target)
    book = openpyxl.Workbook()
    book.remove(book.active)
    count = 0
    for plan in preview.plans:
        wanted = [r for r in plan.rows if r.problems]
        if not wanted:
            continue
        ws = book.create_sheet(plan.sheet[:31])
        ws.append(["原行号", "级别", "问题", *plan.header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in wanted:
            level = "错误（未导入）" if not row.ok else "警告"
            ws.append([row.row, level, "；".join(map(str, row.problems)),
                       *(cells.text(v) for v in row.raw)])
            count += 1
        ws.column_dimensions["C"].width = 60
    if not book.worksheets:
        book.create_sheet("问题行").append(["没有问题行"])
    part = target.with_name(target.name + ".part")
    book.save(part)
    part.replace(target)
    return count

