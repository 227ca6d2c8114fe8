"""The audit log answers for the data.

`verify` walks the hash chain (an edited, inserted or deleted entry breaks it), notices a log
that was emptied, cut at its start or its end (audit_log uses AUTOINCREMENT: sqlite_sequence
remembers the highest id ever given), and holds every audited record's current values against
what its entries say: an insert's `after`, each update's `before` (the value the change found,
which must be the previous entry's `after`) and `after`, a delete. Records written by a bulk
statement (the demo generator, an import) are covered by their batch's entry, which carries the
digest of the rows written; verify undoes later updates with their `before` values and
recomputes it.

Beside the records that travel it holds three things that decide who may do what on this PC
against the log: the roles (user_roles has no UUID: its entries are folded by user and role),
the settings that make it an office and a device of the district (SETTINGS_CHECKED: folded by
key; secrets compared by their digest, see uow.SECRETS), and the complaint-number counters
(number_sequences is bookkeeping without audit entries: each office's counter for a day must
not lie behind the numbers its complaints of that day already have). Secrets recorded by earlier
programs as "***" cannot be compared: those are skipped and the report says so.

A log rewritten whole, hashes recomputed, still verifies locally: the district hub therefore
keeps this office's audit head (count, hash of the last entry) at every sync (`anchor`), and a
history that no longer contains what was anchored is reported as rewritten.

Over 500 lines on purpose: `verify` is one pass (the chain, then each table held against what
the chain folded) whose halves share the folded state; the hub's anchors (`anchor`,
`last_anchor`) are the last section and read the same chain.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from desktop.db.repositories import AuditDataRepository, AuditStateRepository, CodeRepository
from desktop.db.uow import (
    AUDITED_RECORDS,
    GENESIS_HASH,
    MASKED,
    SECRET_DIGEST_PREFIX,
    Actor,
    UnitOfWork,
    canonical_row,
    entry_hash,
    is_secret,
    row_hash,
    rows_digest,
    secret_digest,
)
from desktop.domain import contract
from desktop.domain.numbering import DISPATCH_SEQUENCE_BASE, parse_number
from desktop.domain.workflow import Role
from desktop.services.base import Service
from desktop.sync.client import HubClient, SyncError
from desktop.sync.protocol import AuditHead, AuditVerdict
from desktop.sync.protocol import AuditReport as HeadReport

PROGRESS_STEP = 10_000
ANCHOR_KEYS = ("audit.anchor_at", "audit.anchor_status", "audit.anchor_message")
ANCHORED_COUNT_KEY = "audit.anchored_count"  # the log's length at the hub's last anchor
AUDIT_ACTOR = Actor(None, "system")

ENTITY_LABELS = {
    "complaints": "投诉", "clock_pauses": "期限中止", "mediation_records": "调解记录",
    "attachments": "附件", "printings": "打印记录", "follow_ups": "回访",
    "notice_deliveries": "送达", "offices": "单位", "users": "用户",
    "enterprises": "企业", "code_items": "代码表条目", "rule_sets": "期限规则",
    "holiday_overrides": "节假日调整", "calendar_years": "日历年度",
    "disclosure_lists": "公示清单", "disclosure_entries": "公示条目",
    "disclosure_requests": "公示申请", "disclosure_decisions": "公示审批",
}
# The settings held against the log: what makes this PC the office it is (its code) and the
# device it is at the district hub (the hub's address and identity, the device's identity, office,
# credential and bundle key). Every setting is written through the unit of work
# (CodeRepository.set_setting; no raw SQL in the program writes app_settings), so each could be
# checked; the others are left out because they are bookkeeping that changes every sync round
# (sync.last_*, sync.cursor, sync.session, audit.anchor_*) or only marks a cache as stale
# (reference_generation, rule_set_revision:*), and a direct edit of them gives no one a right.
SETTINGS_CHECKED = ("local_office_code", "sync.hub_url", "sync.hub_id", "sync.device_id",
                    "sync.office", "sync.token", "sync.bundle_key")
SETTING_LABELS = {
    "local_office_code": "本单位代码", "sync.hub_url": "区局服务器地址",
    "sync.hub_id": "区局服务器标识", "sync.device_id": "本机设备编号",
    "sync.office": "本机登记的单位", "sync.token": "本机设备凭据",
    "sync.bundle_key": "同步包签名密钥",
}
_GONE = object()  # a setting the log says was deleted
_SHOWN_COUNTERS = 5  # counter problems named one by one; the rest are counted

STATUS_LABELS = {"anchored": "首次存证", "ok": "一致", "restored": "从备份恢复",
                 "diverged": "历史被改写"}


@dataclass(frozen=True)
class AuditReport:
    entries: int
    problems: tuple[str, ...]
    records: int = 0  # audited records held against the log
    notes: tuple[str, ...] = ()  # what could not be checked, and why (not a failure)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class AnchorState:
    """The hub's last verdict on this office's audit log, as stored (for the window and CLI)."""

    at: str
    status: str
    message: str

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def verdict_text(verdict: AuditVerdict) -> str:
    """The hub's verdict as a Chinese sentence (the program's own words: the same whichever
    version the hub runs)."""
    return {
        "anchored": "区局服务器首次记下本机审计日志的状态，此后每次同步都会核对。",
        "ok": "与区局服务器存证的审计日志一致。",
        "restored": "本机数据库是从备份恢复的（审计日志与区局服务器更早一次同步时存证的一致）："
                    "请先同步，把备份之后送到区局的记录取回；区局服务器已记下这次恢复。",
        "diverged": "本机审计日志与区局服务器存证的不一致：已存证的历史被改写过。"
                    "请勿继续修改数据，立即联系区局管理员。",
    }[verdict.status]


@dataclass
class _Record:
    """What the log says about one record, folded entry by entry."""

    first: int  # the id of its first entry
    inserted: bool = False
    deleted: bool = False
    values: dict[str, Any] = field(default_factory=dict)  # expected current values
    base: dict[str, Any] = field(default_factory=dict)  # no insert: each field's earliest `before`
    gone: dict[str, Any] | None = None  # no insert, deleted: the row as the delete found it
    at: int = 0  # the id of its last entry
    by_user: bool = False  # inserted by a user of this PC (not pulled, not the system)


@dataclass
class _Batch:
    entry: int
    entity: str
    low: int
    high: int
    covered: int
    digest: str
    rows: list[tuple[int, str]] = field(default_factory=list)  # (id, row hash) as written


def _same(a: Any, b: Any) -> bool:
    # "***": a secret as programs before the digest recorded it, which cannot say its value.
    return a == b or MASKED in (a, b)


def _secret_value(value: Any) -> Any:
    """A secret as verify compares it: its digest ("***" stays: it cannot be compared; a value
    recorded in clear by a program before secrets were masked is digested first)."""
    if value is None or value == MASKED or (isinstance(value, str)
                                            and value.startswith(SECRET_DIGEST_PREFIX)):
        return value
    return secret_digest(value)


def _role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        return role


def _load(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _field_label(entity: str, column: str) -> str:
    if (entity, column) == ("users", "password_hash"):
        return "密码"
    name = column.removesuffix("_id") if column.endswith("_id") else column
    found = contract.label(entity, name)
    return found if found != name else contract.label(entity, column)


class _Check:
    """One run of the data check: the log folded per record, then each table read once."""

    def __init__(self, repo: AuditDataRepository, tick: Callable[[], None]) -> None:
        self.repo = repo
        self.tick = tick
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.records: dict[tuple[str, str], _Record] = {}
        self.batches: list[_Batch] = []
        self.legacy: dict[str, int] = {}  # entity -> rows vouched for by batches without digest
        self.numbers: dict[int, str] = {}  # complaint id -> number, for the messages
        self.checked = 0
        # Numbers of complaints registered by a user of this PC: the counters must be past them.
        # (Pulled ones reserve their numbers too, but a number changed at another office comes
        # as an update that does not; a bulk import writes history without counting it.)
        self.numbered: list[str] = []
        self.roles: dict[tuple[int, str], int] = {}  # (user id, role) -> its insert's entry
        self.settings: dict[str, Any] = {}  # key -> value the log says it holds (or _GONE)
        self.unknowable: set[str] = set()  # settings an old entry without a key left unclear

    # -- the log ---------------------------------------------------------------------------
    def fold(self, entry: Any) -> None:
        entity, uuid, operation = entry.entity, entry.entity_uuid, entry.operation
        if entity == "user_roles":
            self._role(entry)
            return
        if entity == "app_settings":
            self._setting(entry)
            return
        if entity not in AUDITED_RECORDS:
            return
        if operation == "bulk":
            self._bulk(entry)
            return
        if not uuid or operation not in ("insert", "update", "delete"):
            return
        key = (entity, uuid)
        rec = self.records.get(key)
        before, after = _load(entry.before), _load(entry.after)
        if rec is None:
            rec = self.records[key] = _Record(first=entry.id)
        if operation == "insert":
            rec.inserted, rec.deleted, rec.gone = True, False, None
            rec.by_user = entry.user_id is not None
            rec.values = dict(after)
        else:
            for name, old in before.items():
                if name in rec.values:
                    if not _same(rec.values[name], old):
                        self.problems.append(
                            f"{self._what(entity, rec.values, before)}的「{_field_label(entity, name)}」"
                            f"在第 {entry.id} 条审计记录之前被直接改动过（该记录写下的原值与前面的记录不符）")
                elif not rec.inserted:
                    rec.base.setdefault(name, old)
            if operation == "update":
                rec.values.update(after)
            else:
                rec.deleted = True
                if not rec.inserted:
                    rec.gone = before
        rec.at = entry.id

    def _role(self, entry: Any) -> None:
        values = _load(entry.after if entry.operation == "insert" else entry.before)
        user_id, role = values.get("user_id"), values.get("role")
        if not isinstance(user_id, int) or not isinstance(role, str):
            return
        if entry.operation == "insert":
            self.roles[(user_id, role)] = entry.id
        elif entry.operation == "delete":
            self.roles.pop((user_id, role), None)

    def _setting(self, entry: Any) -> None:
        before, after = _load(entry.before), _load(entry.after)
        if entry.operation == "insert":
            key, value = after.get("key"), after.get("value")
        elif entry.operation == "delete":
            key, value = before.get("key"), _GONE
        elif entry.operation == "update":
            key, value = after.get("key") or before.get("key"), after.get("value")
            if not key:
                # Programs before this one did not name the key of an update: the setting it
                # changed is the checked one whose value it found, if only one holds it.
                found = [k for k, v in self.settings.items()
                         if k not in self.unknowable and v is not _GONE
                         and self._value(k, v) == self._value(k, before.get("value"))]
                if len(found) > 1:
                    self.unknowable.update(found)
                key = found[0] if len(found) == 1 else None
        else:
            return
        if isinstance(key, str) and key in SETTINGS_CHECKED:
            self.settings[key] = value

    @staticmethod
    def _value(key: str, value: Any) -> Any:
        return _secret_value(value) if is_secret("app_settings", "value", key) else value

    def state(self, repo: AuditStateRepository) -> None:
        """Roles, the settings that matter and the number counters, against the log."""
        names = repo.usernames()
        held = repo.user_roles()
        for user_id, role in sorted(held - set(self.roles)):
            self.problems.append(
                f"用户「{names.get(user_id, user_id)}」的角色「{_role_label(role)}」"
                "没有审计记录（不经程序直接写入表中）")
        for user_id, role in sorted(set(self.roles) - held):
            self.problems.append(
                f"用户「{names.get(user_id, user_id)}」的角色「{_role_label(role)}」"
                f"（第 {self.roles[(user_id, role)]} 条审计记录添加）已不在表中，"
                "但审计日志里没有它的删除记录（被直接删除）")
        current = repo.settings(SETTINGS_CHECKED)
        legacy = []
        for key in SETTINGS_CHECKED:
            label = SETTING_LABELS[key]
            if key in self.unknowable:
                legacy.append(label)
                continue
            expected = self.settings.get(key, _GONE)
            now = current.get(key, _GONE)
            if expected is _GONE and now is _GONE:
                continue
            if expected is _GONE:
                self.problems.append(f"设置「{label}」没有审计记录（不经程序直接写入表中）")
            elif now is _GONE:
                self.problems.append(f"设置「{label}」已不在表中，但审计日志里没有它的删除记录"
                                     "（被直接删除）")
            elif self._value(key, expected) == MASKED:
                legacy.append(label)
            elif self._value(key, expected) != self._value(key, now):
                self.problems.append(f"设置「{label}」与审计记录不符（在表中被直接改动）")
        if legacy:
            self.notes.append(f"设置「{'」「'.join(legacy)}」的审计记录由旧版本程序写下"
                              "（只记为“***”或未写明是哪一项设置），无法核对其当前值")
        self._counters(repo)

    def _counters(self, repo: AuditStateRepository) -> None:
        """Each office's counter of a day at least the highest number it already gave that day:
        a counter set back would hand out a number a complaint already has."""
        offices = repo.offices()
        counters = repo.number_counters()
        highest: dict[tuple[int, Any], tuple[int, str]] = {}
        for number in self.numbered:
            parsed = parse_number(number)
            if parsed is None or parsed.sequence > DISPATCH_SEQUENCE_BASE:
                continue
            office = offices.get(parsed.office_code)
            if office is None:
                continue
            key = (office, parsed.day)
            if parsed.sequence > highest.get(key, (0, ""))[0]:
                highest[key] = (parsed.sequence, number)
        behind = [(key, counters.get(key, 0), number) for key, (seq, number) in sorted(highest.items())
                  if counters.get(key, 0) < seq]
        for (_office, day), last, number in behind[:_SHOWN_COUNTERS]:
            self.problems.append(
                f"投诉编号计数被直接改小或删除：{day:%Y-%m-%d} 的计数为 {last}，"
                f"而已有投诉 {number}（下次登记将与已有编号重复）")
        if len(behind) > _SHOWN_COUNTERS:
            self.problems.append(f"另有 {len(behind) - _SHOWN_COUNTERS} 天的投诉编号计数"
                                 "落后于已有的编号")

    def _bulk(self, entry: Any) -> None:
        summary = _load(entry.after)
        ids, digest = summary.get("ids"), summary.get("digest")
        if isinstance(ids, list) and len(ids) == 2 and isinstance(digest, str):
            self.batches.append(_Batch(entry.id, entry.entity, int(ids[0]), int(ids[1]),
                                       int(summary.get("covered", 0)), digest))
        elif set(summary) == {"rows", "label"}:
            # An import written before batches carried a digest (import_rows' summary): the
            # rows it wrote cannot be told apart, so as many rows without entries pass.
            rows = summary.get("rows")
            if isinstance(rows, int) and rows > 0:
                self.legacy[entry.entity] = self.legacy.get(entry.entity, 0) + rows
                self.notes.append(
                    f"第 {entry.id} 条审计记录是旧版本程序的批量写入（{rows} 条"
                    f"{ENTITY_LABELS.get(entry.entity, entry.entity)}），没有数据摘要，"
                    "这些记录的内容无法核对")

    # -- the tables ------------------------------------------------------------------------
    def tables(self) -> None:
        seen: set[tuple[str, str]] = set()
        for entity, table in sorted(AUDITED_RECORDS.items(), key=lambda e: e[0] != "complaints"):
            for row in self.repo.rows(table):
                self.checked += 1
                if self.checked % PROGRESS_STEP == 0:
                    self.tick()
                key = (entity, row["uuid"])
                if entity == "complaints":
                    self.numbers[row["id"]] = row["number"]
                    if key in self.records and self.records[key].by_user:
                        self.numbered.append(row["number"])
                seen.add(key)
                self._row(entity, table, row, self.records.get(key))
        for (entity, _uuid), rec in self.records.items():
            if (entity, _uuid) in seen:
                continue
            if rec.deleted:
                if rec.gone is not None:
                    self._cover(entity, {**rec.gone, **rec.base}, rec)
                continue
            self.problems.append(f"{self._what(entity, rec.values)}在表中已不存在，"
                                 "但审计日志里没有它的删除记录（被直接删除）")
        for batch in self.batches:
            self._check_batch(batch)
        legacy = sum(1 for (entity, _uuid), rec in self.records.items()
                     if entity == "users" and rec.values.get("password_hash") == MASKED)
        if legacy:
            self.notes.append(f"{legacy} 个用户的密码在旧版本程序写下的审计记录中只记为“***”，"
                              "直到下次修改密码之前无法核对其是否被直接改动")

    def _row(self, entity: str, table: Any, row: Any, rec: _Record | None) -> None:
        current = canonical_row(table, row)
        if rec is not None and rec.deleted:
            self.problems.append(f"{self._what(entity, current)}已在第 {rec.at} 条审计记录中删除，"
                                 "却仍在表中（被直接恢复或添加）")
            return
        if rec is not None:
            changed = [name for name, value in rec.values.items()
                       if name in current and not _same(current[name], value)]
            for name in changed:
                self.problems.append(f"{self._what(entity, current)}的「{_field_label(entity, name)}」"
                                     "与审计记录不符（在表中被直接改动）")
            if rec.inserted:
                return
        if self._cover(entity, {**current, **(rec.base if rec else {})}, rec):
            return
        if self.legacy.get(entity, 0) > 0:
            self.legacy[entity] -= 1
            return
        self.problems.append(f"{self._what(entity, current)}没有新增的审计记录"
                             "（不经程序直接写入表中）")

    def _cover(self, entity: str, written: dict[str, Any], rec: _Record | None) -> bool:
        """Hand a row as it was written (later updates undone) to the batch covering its id."""
        row_id = written.get("id")
        for batch in self.batches:
            if (batch.entity == entity and isinstance(row_id, int) and batch.low <= row_id <= batch.high
                    and (rec is None or rec.first > batch.entry)):
                batch.rows.append((row_id, row_hash(written)))
                return True
        return False

    def _check_batch(self, batch: _Batch) -> None:
        rows = sorted(batch.rows)
        if len(rows) == batch.covered and rows_digest(h for _id, h in rows) == batch.digest:
            return
        what = ENTITY_LABELS.get(batch.entity, batch.entity)
        self.problems.append(
            f"第 {batch.entry} 条审计记录批量写入的 {batch.covered} 条{what}"
            f"（编号 {batch.low}–{batch.high}）与写入时的摘要不符"
            f"（现有 {len(rows)} 条；有记录在表中被直接改动、删除或添加）")

    def _what(self, entity: str, values: dict[str, Any], fallback: dict[str, Any] | None = None
              ) -> str:
        values = {**(fallback or {}), **values}
        label = ENTITY_LABELS.get(entity, entity)
        if entity == "complaints" and values.get("number"):
            return f"投诉 {values['number']} "
        if entity == "users" and values.get("username"):
            return f"用户「{values['username']}」"
        complaint = self.numbers.get(values.get("complaint_id"))  # type: ignore[arg-type]
        if complaint:
            return f"投诉 {complaint} 的{label}（{values.get('uuid', '')}）"
        return f"{label}（{values.get('uuid') or values.get('id', '')}）"


class AuditService(Service):
    def verify(self, progress: Callable[[int], None] | None = None) -> AuditReport:
        """Walk the chain in order, then the audited tables; `progress(n)` is called every
        10,000 entries and rows checked."""
        problems: list[str] = []
        prev, count, first_id, last_id = GENESIS_HASH, 0, 0, 0
        done = 0

        def tick() -> None:
            nonlocal done
            done += PROGRESS_STEP
            if progress:
                progress(done)

        with self._uow(None, "", write=False) as uow:
            repo = AuditDataRepository(uow.session)
            check = _Check(repo, tick)
            for entry in repo.chain():
                count += 1
                fields = entry._asdict()
                if entry.prev_hash != prev:
                    problems.append(f"第 {entry.id} 条：与前一条的链接断开（前面的记录被删除或改动）")
                if entry_hash(fields) != entry.hash:
                    problems.append(f"第 {entry.id} 条：内容与哈希不符（记录被改动）")
                prev, last_id = entry.hash, entry.id
                first_id = first_id or entry.id
                check.fold(entry)
                if count % PROGRESS_STEP == 0:
                    tick()
            high = repo.sequence()
            if first_id > 1:
                problems.append(f"审计日志缺少开头的第 1–{first_id - 1} 条（日志的开头被删除）")
            if count and high is None:
                problems.append("数据库中审计日志的编号计数（sqlite_sequence）被删除")
            elif high is not None and high < last_id:
                problems.append(f"审计日志的编号计数（{high}）落后于最后一条的编号 {last_id}"
                                "（计数被改动）")
            elif high is not None and high > last_id:
                problems.append(f"最后 {high - last_id} 条记录（第 {last_id + 1}–{high} 条）已被删除")
            check.tables()
            check.state(AuditStateRepository(uow.session))
            if count == 0 and check.checked:
                problems.insert(0, f"审计日志是空的，但数据库中有 {check.checked} 条记录"
                                   "（审计日志被清空）")
        return AuditReport(count, tuple(problems + check.problems), check.checked,
                           tuple(check.notes))

    # -- the hub's anchors -------------------------------------------------------------------
    def head(self) -> AuditHead:
        """This office's audit head: the number of entries and the hash of the last one."""
        with self._uow(None, "", write=False) as uow:
            count, last = AuditDataRepository(uow.session).head()
        return AuditHead(count=count, hash=last)

    def hash_at(self, count: int) -> str | None:
        """The hash of the `count`-th entry in chain order (None if the log is shorter)."""
        with self._uow(None, "", write=False) as uow:
            return AuditDataRepository(uow.session).hash_at(count)

    def anchor(self, client: HubClient) -> AuditVerdict | None:
        """Report this office's audit head to the hub and store its verdict. One call, for
        the end of a sync round: never raises for network trouble or a hub without the audit
        endpoints (returns None; the stored verdict stays the previous one)."""
        try:
            head = self.head()
            # Ask about the anchor this database last stored: if it is older than the hub's
            # latest, this database is older than its last sync (restored from a backup).
            remembered = self._remembered_anchor()
            ask = min(head.count, remembered) if remembered is not None else head.count
            anchors = client.audit_anchors(ask)
            report = HeadReport(
                head=head,
                at_latest=self.hash_at(anchors.latest.count) if anchors.latest else None,
                at_upto=self.hash_at(anchors.upto.count) if anchors.upto else None)
            verdict = client.report_audit(report)
        except (SyncError, httpx.HTTPError, ValueError):
            return None
        with UnitOfWork(self.ctx.engine, AUDIT_ACTOR, "区局审计存证", outbox=False) as uow:
            codes = CodeRepository(uow.session)
            values = (self.ctx.clock.now().strftime("%Y-%m-%d %H:%M"), verdict.status,
                      verdict_text(verdict))
            for key, value in zip(ANCHOR_KEYS, values, strict=True):
                codes.set_setting(key, value)
            if verdict.status != "diverged" and verdict.anchor is not None:
                codes.set_setting(ANCHORED_COUNT_KEY, str(verdict.anchor.count))
            uow.commit()
        return verdict

    def _remembered_anchor(self) -> int | None:
        """The length of this log the hub last anchored, as this database remembers it."""
        with self._uow(None, "", write=False) as uow:
            value = CodeRepository(uow.session).setting(ANCHORED_COUNT_KEY)
        return int(value) if value and value.isdigit() else None

    def last_anchor(self) -> AnchorState | None:
        """The hub's last verdict as stored by `anchor`, None if the hub was never asked."""
        with self._uow(None, "", write=False) as uow:
            codes = CodeRepository(uow.session)
            at, status, message = (codes.setting(k) for k in ANCHOR_KEYS)
        if not status:
            return None
        return AnchorState(at or "", status, message or "")

    def hub_client(self, *, timeout: float = 10.0, retries: int = 1) -> HubClient | None:
        """A client for the hub this office is enrolled with (its stored address, device token
        and certificate file), or None when it is not enrolled."""
        with self._uow(None, "", write=False) as uow:
            stored = CodeRepository(uow.session).settings_under("sync.")
        if not stored.get("token") or not stored.get("hub_url"):
            return None
        return HubClient(stored["hub_url"], token=stored["token"],
                         ca_bundle=stored.get("ca_bundle") or None, timeout=timeout,
                         retries=retries)
