"""Each data row as what it will become: a complaint's values, its identity (original number or a
hash of date, parties and content), and its problems — errors (not imported) and warnings
(imported, flagged). Nothing here writes; services/history_import.py does."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from desktop.domain.complaint_fields import BY_NAME, MAX_CENTS
from desktop.domain.contract import EARLIEST_DATE, HISTORY_CHANNEL, REQUIRED_BY_INTAKE
from desktop.domain.workflow import Intake, Result, Status
from desktop.imports import cells
from desktop.imports.mapping import LABELS
from desktop.imports.sheets import Cancelled, ImportCancelled, Progress, Row, Sheet

Level = Literal["error", "warning"]
_TOTALS = re.compile(r"^\s*(合\s*计|总\s*计|小\s*计|共\s*计|累\s*计)")
# What the importer fills in itself, so never missing.
_FILLED = frozenset({"number", "kind", "channel_code", "rule_set_code"})


@dataclass(frozen=True)
class Problem:
    level: Level
    field: str  # the field's label ("" for the row as a whole)
    message: str

    def __str__(self) -> str:
        return f"{self.field}：{self.message}" if self.field else self.message


@dataclass
class PlannedRow:
    sheet: str
    row: int  # the sheet's row number as Excel shows it
    raw: Row  # the cells as read, for the problem workbook
    values: dict[str, Any] = field(default_factory=dict)  # complaint columns
    key: str | None = None
    problems: list[Problem] = field(default_factory=list)
    action: str = ""  # add / update / same, once held against the database
    digest: str = ""  # a hash of what the row says (services/history_import.py)

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    @property
    def warned(self) -> bool:
        return any(p.level == "warning" for p in self.problems)

    def error(self, label: str, message: str) -> None:
        self.problems.append(Problem("error", label, message))

    def warn(self, label: str, message: str) -> None:
        self.problems.append(Problem("warning", label, message))

    @property
    def status_label(self) -> str:
        status = self.values.get("status")
        if status is None:
            return ""
        label = Status(status).label
        result = self.values.get("result")
        return f"{label}（{Result(result).label}）" if result else label


@dataclass(frozen=True)
class Lookups:
    """Names the rows refer to: categories by label, users by display name."""

    categories: Mapping[str, str] = field(default_factory=dict)  # label → code
    users: Mapping[str, int] = field(default_factory=dict)  # display name → id


@dataclass
class SheetPlan:
    sheet: str
    header: list[str]
    header_row: int
    rows: list[PlannedRow]
    skipped: list[tuple[int, str]]  # (row, why): blank rows, totals rows
    columns: dict[int, str] = field(default_factory=dict)  # the mapping used


# 处理结果 as ledgers word it → (status, result); the first pattern found wins.
RESULT_WORDS: tuple[tuple[re.Pattern[str], Result], ...] = (
    (re.compile(r"不予受理|不受理"), Result.REJECTED),
    (re.compile(r"终止调解|终止|撤诉|撤回"), Result.TERMINATED),
    (re.compile(r"调解不成|未达成|未能达成|调解失败|不成功|未成功|没有?成功|调解未果|调解无果"),
     Result.NOT_SETTLED),
    (re.compile(r"调解成功|达成一致|达成协议|已和解|和解|已解决|已退款|已赔偿|成功"), Result.SETTLED),
    (re.compile(r"不予立案"), Result.CASE_NOT_FILED),
    (re.compile(r"立案"), Result.CASE_FILED),
    (re.compile(r"转办|移送|转执法|转交"), Result.TRANSFERRED),
)
_OPEN_WORDS = re.compile(r"^(处理中|办理中|调解中|在办|未办结|待处理|待办|已受理|受理)$")
_KIND_WORDS = {"投诉": Intake.COMPLAINT, "举报": Intake.REPORT, "咨询": Intake.CONSULTATION}


def read_result(text: str) -> Result | None:
    for pattern, result in RESULT_WORDS:
        if pattern.search(text):
            return result
    return None


def row_key(original: str | None, received: date | None, values: Mapping[str, Any]) -> str:
    """A row's identity: its original number; without one, a hash of its date, parties and
    content. Never its position in the sheet."""
    if original:
        return "no:" + re.sub(r"\s+", "", cells.half_width(original)).upper()
    content = "\x1f".join([received.isoformat() if received else "",
                           str(values.get("complainant_name") or ""),
                           str(values.get("respondent_name") or ""),
                           re.sub(r"\s+", "", str(values.get("facts") or ""))])
    return "h:" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:40]


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _is_totals(raw: Row) -> bool:
    firsts = [v for v in raw if not cells.is_blank(v)][:2]
    return any(isinstance(v, str) and _TOTALS.match(v) for v in firsts)


class Planner:
    """Turns rows into planned complaints for one file and one mapping."""

    def __init__(self, file_name: str, kind: str, lookups: Lookups, *,
                 today: date | None = None) -> None:
        self.file_name = file_name
        self.kind = kind  # ledger / hotline
        self.lookups = lookups
        self.today = today or date.today()
        self._categories = {cells.half_width(k).strip(): v for k, v in lookups.categories.items()}

    def plan_sheet(self, sheet: Sheet, columns: Mapping[int, str], header_row: int | None = None,
                   progress: Progress | None = None, cancelled: Cancelled | None = None,
                   done: int = 0, total: int = 0) -> SheetPlan:
        start = header_row or sheet.header_row or 1
        header = [cells.text(v) for v in sheet.rows[start - 1]] if sheet.rows else []
        plan = SheetPlan(sheet.name, header, start, [], [], dict(columns))
        for n, (number, raw) in enumerate(sheet.data(start)):
            if n % 1000 == 0:
                if cancelled is not None and cancelled():
                    raise ImportCancelled()
                if progress is not None:
                    progress(done + n, total)
            if all(cells.is_blank(v) for v in raw):
                plan.skipped.append((number, "空行"))
                continue
            if _is_totals(raw):
                plan.skipped.append((number, "合计行"))
                continue
            plan.rows.append(self.plan_row(sheet.name, number, raw, columns))
        return plan

    def plan_row(self, sheet: str, number: int, raw: Row, columns: Mapping[int, str]) -> PlannedRow:
        row = PlannedRow(sheet, number, raw)
        cell: dict[str, Any] = {key: raw[i] if i < len(raw) else None
                                for i, key in columns.items()}
        source = f"{self.file_name}「{sheet}」第 {number} 行"
        remarks: list[str] = []
        v = row.values

        kind_text = cells.text(cell.get("kind")).strip()
        intake = next((k for word, k in _KIND_WORDS.items() if word in kind_text),
                      Intake.COMPLAINT)
        v["kind"] = intake.value
        v["channel_code"] = HISTORY_CHANNEL
        v["import_kind"] = self.kind
        v["import_source"] = source

        received, problem = cells.when(cell.get("received_at"))
        if problem:
            row.error(LABELS["received_at"], problem)
        elif received is None:
            row.error(LABELS["received_at"], "为空：没有日期无法编号")
        elif not EARLIEST_DATE <= received.date() <= self.today:
            row.error(LABELS["received_at"], f"{received.date()} 不在 {EARLIEST_DATE.year} 年至今天之间")
            received = None
        v["received_at"] = received

        original = cells.half_width(cells.text(cell.get("original_number"))).strip()
        if len(original) > 64:
            row.error(LABELS["original_number"], "超过 64 个字")
        v["original_number"] = original or None

        for key in ("complainant_name", "complainant_address", "respondent_name",
                    "respondent_address", "subject", "facts", "request"):
            value = cells.text(cell.get(key))
            f = BY_NAME[key]
            if f.max_len is not None and len(value) > f.max_len:
                row.error(f.label, f"超过 {f.max_len} 个字（现有 {len(value)} 个）")
            v[key] = value
        phone, problem = cells.phone(cell.get("complainant_phone"))
        if problem:
            row.warn("联系电话", problem)
        v["complainant_phone"] = phone
        if not (v["complainant_name"] or v["respondent_name"] or v["facts"]):
            row.error("", "没有投诉人、被投诉方和投诉内容，不像一条投诉")

        for key, column, label in (("amount", "amount_cents", "涉案金额"),
                                   ("recovered", "recovered_cents", "挽回损失")):
            money, problem = cells.amount(cell.get(key))
            if problem:
                row.warn(label, f"{problem}，未导入该金额")
                remarks.append(f"{label}：{cells.text(cell.get(key))}")
            elif money is not None and _cents(money) > MAX_CENTS:
                row.warn(label, "超过一亿元，未导入该金额")
                money = None
            v[column] = _cents(money) if money is not None else None

        category = cells.half_width(cells.text(cell.get("category"))).strip()
        code = self._category(category) if category else ""
        if category and not code:
            row.warn("投诉分类", f"「{category[:20]}」不在分类代码表中，已记入备注")
            remarks.append(f"分类：{category}")
        v["category_code"] = code

        handler = cells.text(cell.get("handler")).strip()
        v["handler_id"] = self.lookups.users.get(handler) if handler else None
        if handler and v["handler_id"] is None:
            row.warn("承办人", f"「{handler[:20]}」不是本程序的用户，已记入备注")
            remarks.append(f"承办人：{handler}")

        self._outcome(row, cell, received, remarks)

        note = cells.text(cell.get("remarks")).strip()
        if note and not cells.nothing(note):
            remarks.insert(0, note)
        if remarks:
            text = f"【{source}】" + "；".join(remarks)
            limit = BY_NAME["remarks"].max_len or 2000
            if len(text) > limit:
                row.warn("备注", f"超过 {limit} 个字，已截断")
                text = text[:limit]
            v["remarks"] = text
        else:
            v["remarks"] = None

        required = REQUIRED_BY_INTAKE[intake.value] - _FILLED
        missing = [BY_NAME[name].label for name in sorted(required, key=list(BY_NAME).index)
                   if not str(v.get(name) or "").strip()]
        if v.get("status") == Status.CLOSED.value and v.get("closed_on") is None:
            missing.append("办结日期")
        v["incomplete"] = bool(missing)
        if missing:
            row.warn("", f"资料不全（缺{'、'.join(missing)}），标为资料不全")
        row.key = row_key(original or None, received.date() if received else None, v)
        return row

    def _category(self, label: str) -> str:
        if label in self._categories:
            return self._categories[label]
        if label in self._categories.values():
            return label
        for known, code in self._categories.items():
            if label in known or known.removesuffix("类").removesuffix("服务") in label:
                return code
        return ""

    def _outcome(self, row: PlannedRow, cell: Mapping[str, Any], received: datetime | None,
                 remarks: list[str]) -> None:
        """Status and result from 处理结果 and 办结日期; blank: still open, to be reviewed.
        Every outcome field is set, so that a row re-imported as open clears an earlier close."""
        v = row.values
        v.update(result=None, closed_on=None, settled_on=None, terminated_on=None)
        text = cells.text(cell.get("result_text")).strip()
        closed_on, problem = cells.day(cell.get("closed_on"))
        if problem:
            row.warn("办结日期", problem)
        if closed_on is not None and received is not None and closed_on < received.date():
            row.warn("办结日期", f"{closed_on} 早于登记日期，未导入该日期")
            closed_on = None
        intake = Intake(v["kind"])
        result = read_result(text) if text else None
        if intake is Intake.CONSULTATION:
            v["status"] = Status.ANSWERED.value
            v["answer"] = text or "（历史导入，原台账未记载解答内容）"
            v["answered_at"] = received
            return
        if result is not None and intake is Intake.REPORT and result in (
                Result.SETTLED, Result.NOT_SETTLED, Result.REJECTED, Result.TERMINATED):
            result = None
        if result is None:
            v["status"] = Status.REGISTERED.value
            if text and not _OPEN_WORDS.match(text):
                row.warn("处理结果", f"「{text[:20]}」无法对应办结结果，导入为未办结，原文记入备注")
                remarks.append(f"处理结果：{text}")
            else:
                row.warn("处理结果", "为空或未办结：导入为未办结，请复核")
            return
        v["status"] = Status.CLOSED.value
        v["result"] = result.value
        v["closed_on"] = closed_on
        if closed_on is None:
            row.warn("办结日期", "为空：办结记录缺办结日期")
        if text != result.label:
            remarks.append(f"处理结果：{text}")
        if result is Result.SETTLED:
            v["settled_on"] = closed_on
        elif result is Result.TERMINATED:
            v["terminated_on"] = closed_on


def dedupe(plans: Sequence[SheetPlan]) -> None:
    """A row whose identity an earlier row of the same import already has is an error."""
    seen: dict[str, PlannedRow] = {}
    for plan in plans:
        for row in plan.rows:
            if not row.ok or row.key is None:
                continue
            first = seen.get(row.key)
            if first is not None:
                why = "原始编号相同" if row.key.startswith("no:") else "日期、当事人和内容相同"
                row.error("", f"与「{first.sheet}」第 {first.row} 行是同一条（{why}），未导入")
            else:
                seen[row.key] = row

