"""The ledger (投诉举报台账) as an Excel workbook: the filters in force, the two parts
(区局分流 / 自行接收) on two sheets, personal data as the user may see it, streamed.

Who sees what: the workbook leaves the screen, so it follows the complaint window, not the
list (which masks for everyone, being read over shoulders). A user whose roles may see personal
information (complaint_fields.SEES_PERSONAL_INFO: the handling roles and the administrator) gets
the complainant's name and phone in full; for a 举报 only its handler and who registered it
(services.complaints.sees_person); everyone else, and those rows, masked. The title line says
which, and every export is written into the audit log with its filters and row counts.

The file is written under a temporary name beside the target and renamed into place only when
complete; a cancel (the progress callback raises) or a failure removes the temporary file and
leaves any earlier file of that name untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop.db.ledger_rows import LedgerRows
from desktop.db.repositories import CodeRepository
from desktop.domain.complaint import ComplaintFilter, is_dispatched, masked
from desktop.domain.complaint_fields import BY_NAME, LEDGER, SEES_PERSONAL_INFO
from desktop.domain.errors import FieldError
from desktop.domain.workflow import Intake, Result, Role, Status
from desktop.exports.ledger.xlsx import Column, ColumnKind, Part, write_ledger
from desktop.services.base import Service
from desktop.services.complaints import from_cents
from desktop.services.dto import CurrentUser
from desktop.services.personal_data import log_output, person_key

Progress = Callable[[int, int], None]
PAGE = 2000
DISPATCHED_SHEET = "区局分流"
SELF_SHEET = "自行接收"
LEDGER_TITLE = "投诉举报台账"

# Beyond the list's columns, what the seed's ledger keeps and the catalogue holds.
_EXTRA = ("district_number", "closed_on", "result", "recovered_cents", "at_fault")
_KINDS: dict[str, ColumnKind] = {"datetime": "datetime", "date": "date", "money": "money"}
_WIDTHS = {"number": 22, "received_at": 17, "respondent_name": 30, "subject": 18,
           "complainant_phone": 14, "office_id": 18, "district_number": 20, "category_code": 14,
           "channel_code": 14, "recovered_cents": 14}


def _title(name: str) -> str:
    f = BY_NAME[name]
    title = f.ledger[0] if f.ledger else f.label
    return title + "（元）" if f.kind == "money" else title


FIELD_ORDER: tuple[str, ...] = tuple(f.name for f in LEDGER) + _EXTRA
COLUMNS: tuple[Column, ...] = (Column("序号", "int", 7),) + tuple(
    Column(_title(n), _KINDS.get(BY_NAME[n].kind, "text"), _WIDTHS.get(n, 11)) for n in FIELD_ORDER)


@dataclass(frozen=True)
class LedgerExport:
    path: Path
    dispatched: int  # rows on 区局分流
    self_received: int  # rows on 自行接收
    personal_in_full: bool  # whether any row shows personal information unmasked


def may_see_person(user: CurrentUser, kind: str, handler_id: int | None,
                   registered_by_id: int | None) -> bool:
    """services.complaints.sees_person for a row read as values."""
    if not user.has(*SEES_PERSONAL_INFO):
        return False
    if kind == Intake.REPORT and not user.has(Role.ADMIN):
        return user.id in (handler_id, registered_by_id)
    return True


class LedgerExportService(Service):
    def columns(self) -> tuple[Column, ...]:
        return COLUMNS

    def export(self, user: CurrentUser, query: ComplaintFilter, target: Path, *,
               ids: Sequence[int] | None = None, progress: Progress | None = None,
               what: str = "", log_kind: str = "xlsx") -> LedgerExport:
        """Write the ledger of `query` (or only the complaints `ids`, a selection of the list)
        to `target` (.xlsx). `what` names the export in the title line (e.g. 搜索结果);
        `log_kind`: how the outputs log names it (services.personal_data.KIND_LABELS)."""
        target = Path(target)
        if target.suffix.lower() != ".xlsx":
            raise FieldError("文件名", "台账导出为 Excel 文件，文件名应以 .xlsx 结尾")
        if not target.parent.is_dir():
            raise FieldError("文件夹", f"文件夹 {target.parent} 不存在")
        scope = set(user.scope) if user.scope is not None else None
        full_any = [False]
        people: set[tuple[str, str]] = set()  # complainants shown unmasked
        with self._uow(user, "", write=False) as uow:
            rows = LedgerRows(uow.session)
            offices, users = rows.names()
            labels = {k: {i.code: i.label for i in CodeRepository(uow.session).items(k, True)}
                      for k in ("channel", "category")}
            if ids is not None:
                chosen = rows.by_ids(ids, scope)
                parts_rows: list[Any] = [
                    iter([r for r in chosen if is_dispatched(r.channel_code, r.import_kind)]),
                    iter([r for r in chosen if not is_dispatched(r.channel_code, r.import_kind)])]
                total = len(chosen)
            else:
                parts_rows = [self._stream(rows, query, scope, True),
                              self._stream(rows, query, scope, False)]
                total = rows.count(query, scope, True) + rows.count(query, scope, False)

            def values(source: Any) -> Iterator[list[Any]]:
                for seq, r in enumerate(source, start=1):
                    full = may_see_person(user, r.kind, r.handler_id, r.registered_by_id)
                    full_any[0] = full_any[0] or full
                    if full and (person := person_key(r.complainant_name,
                                                      r.complainant_phone)) is not None:
                        people.add(person)
                    yield [seq, *(self._value(r, n, full, offices, users, labels)
                                  for n in FIELD_ORDER)]

            line = self._line(user, query, ids, what, offices, users, labels)
            office = user.office_name
            parts = [
                Part(DISPATCHED_SHEET, f"{office} {LEDGER_TITLE}（区局平台分流件）", line,
                     values(parts_rows[0])),
                Part(SELF_SHEET, f"{office} {LEDGER_TITLE}（自行接收件）", line,
                     values(parts_rows[1])),
            ]
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".xlsx")
            os.close(fd)
            tmp = Path(tmp_name)
            try:
                counts = write_ledger(tmp, COLUMNS, parts, total=total, progress=progress,
                                      title=f"{office} {LEDGER_TITLE}", author=user.display_name)
                with open(tmp, "rb") as written:
                    os.fsync(written.fileno())
                os.chmod(tmp, 0o600)  # it may hold personal information
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
                raise
        with self._uow(user, "导出投诉台账（Excel）") as uow:
            uow.log_bulk("ledger_exports", {
                "file": target.name, "filter": line, "selected": None if ids is None else len(ids),
                "dispatched": counts[0], "self_received": counts[1],
                "personal_in_full": full_any[0]})
            if people:
                log_output(uow, kind=log_kind, what=f"{LEDGER_TITLE}（Excel）", scope=line,
                           complaints=counts[0] + counts[1], people=len(people), file=target.name)
            uow.commit()
        return LedgerExport(target, counts[0], counts[1], full_any[0])

    # -- rows ----------------------------------------------------------------------------
    @staticmethod
    def _stream(rows: LedgerRows, query: ComplaintFilter, scope: set[int] | None,
                dispatched: bool) -> Iterator[Any]:
        after: tuple[datetime, int] | None = None
        while True:
            page = rows.page(query, scope, dispatched, after, PAGE)
            yield from page
            if len(page) < PAGE:
                return
            after = (page[-1].received_at, page[-1].id)

    @staticmethod
    def _value(r: Any, name: str, full: bool, offices: dict[int, str], users: dict[int, str],
               labels: dict[str, dict[str, str]]) -> object:
        value = getattr(r, name)
        if value is None:
            return None
        if name == "kind":
            return Intake(value).label
        if name == "status":
            return Status(value).label
        if name == "result":
            return Result(value).label
        if name == "channel_code":
            return labels["channel"].get(value, value)
        if name == "category_code":
            return labels["category"].get(value, value)
        if name == "office_id":
            return offices.get(value, "")
        if name == "handler_id":
            return users.get(value, "")
        if name == "recovered_cents":
            return from_cents(value)
        if name == "at_fault":
            words = BY_NAME[name].words or ("是", "否")
            return words[0] if value else words[1]
        return value if full else masked(name, value)

    # -- the line under the title ---------------------------------------------------------
    def _line(self, user: CurrentUser, f: ComplaintFilter, ids: Sequence[int] | None, what: str,
              offices: dict[int, str], users: dict[int, str],
              labels: dict[str, dict[str, str]]) -> str:
        parts = [f"单位：{user.office_name}"]
        if ids is not None:
            parts.append(f"所选 {len(ids)} 件")
        else:
            parts.append("期间：" + period_text(f.received_from, f.received_to))
            conditions = filter_text(f, offices, users, labels)
            parts.append("条件：" + (conditions or "全部"))
        if what:
            parts.append(what)
        visible = "投诉人信息：完整（举报仅承办人可见）" if user.has(*SEES_PERSONAL_INFO) \
            else "投诉人信息：已脱敏"
        parts.append(visible)
        parts.append(f"导出：{user.display_name} {self.ctx.clock.now():%Y-%m-%d %H:%M}")
        return "　".join(parts)


def period_text(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return "全部"
    first = f"{start:%Y-%m-%d}" if start else ""
    last = f"{end:%Y-%m-%d}" if end else ""
    return f"{first}—{last}"


def filter_text(f: ComplaintFilter, offices: dict[int, str], users: dict[int, str],
                labels: dict[str, dict[str, str]]) -> str:
    """The filters in force, in the words of the ledger window."""
    out: list[str] = []
    if f.kind:
        out.append(f"类型 {Intake(f.kind).label}")
    if f.open_only:
        out.append("状态 在办（未办结）")
    if f.statuses:
        out.append("状态 " + "、".join(sorted(s.label for s in f.statuses)))
    if f.channel_code:
        out.append(f"来源 {labels['channel'].get(f.channel_code, f.channel_code)}")
    if f.category_code:
        out.append(f"分类 {labels['category'].get(f.category_code, f.category_code)}")
    if f.office_id is not None:
        out.append(f"承办单位 {offices.get(f.office_id, f.office_id)}")
    if f.handler_id is not None:
        out.append(f"承办人 {users.get(f.handler_id, f.handler_id)}")
    if f.dispatched is not None:
        out.append("受理方式 " + ("区局分流" if f.dispatched else "自行受理"))
    if f.due_before is not None:
        out.append(f"办理期限早于 {f.due_before:%Y-%m-%d}（超期）")
    if f.closed_from is not None or f.closed_to is not None:
        out.append("办结日期 " + period_text(f.closed_from, f.closed_to))
    if f.text.strip():
        out.append(f"搜索「{f.text.strip()}」")
    return "；".join(out)

