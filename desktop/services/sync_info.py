"""What the sync service hands out: settings, status, a round's report, conflicts, bundle
results. Frozen values for the window and the command line; no database, no network."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.domain.complaint_fields import FIELDS as COMPLAINT_FIELDS

# A complaint's sync state as the ledger and the complaint window show it.
STATE_LABELS = {"synced": "已同步", "waiting": "待同步", "conflict": "有冲突", "rejected": "被拒绝"}

# Chinese labels of the fields a conflict can show: these words, else a complaint field's
# label from the catalogue, else the field's name.
FIELD_LABELS = {**{f.wire: f.label for f in COMPLAINT_FIELDS}, **{
    "status": "办理状态", "complainant_name": "投诉人", "complainant_phone": "联系电话",
    "complainant_address": "投诉人地址", "respondent_name": "被投诉方", "subject": "商品/服务",
    "request": "诉求", "facts": "投诉事实", "handler": "承办人", "case_note": "办理说明",
    "settlement_terms": "调解协议内容", "result": "办结结果", "closed_on": "办结日期",
    "amount_cents": "涉及金额", "recovered_cents": "挽回损失", "status_note": "状态说明",
    "due_on": "办理期限", "accepted_on": "受理日期", "category_code": "投诉分类",
    "content": "公示内容", "reason": "理由",
    # The office reference's parts (issue 22).
    "calendar": "工作日日历", "rule_sets": "时限规则", "codes": "代码表", "enterprises": "企业库",
}}


@dataclass(frozen=True)
class SyncSettings:
    enrolled: bool
    hub_url: str
    office: str
    device_id: str
    interval_minutes: int
    ca_bundle: str
    number_slot: int = 0  # this PC's block of the day's numbers (numbering.slot_range)


# The program warns when its clock is further than this from the hub's.
CLOCK_TOLERANCE_MINUTES = 5


def clock_warning(skew_minutes: float | None) -> str:
    """The warning for a clock this far off the hub's (positive: the hub is ahead), or ''."""
    if skew_minutes is None or abs(skew_minutes) <= CLOCK_TOLERANCE_MINUTES:
        return ""
    return (f"本机时钟与区局平台相差约 {round(abs(skew_minutes))} 分钟，请校准本机时间："
            f"登记时间以本机时钟为准")


def outdated_message(hub_message: str) -> str:
    """The hub refused this program's protocol version: what that means for the user."""
    return (f"区局平台不接受本程序的同步（{hub_message.rstrip('。')}）。须升级本程序"
            f"（或由区局升级平台）后才能同步；在此之前可照常登记和办理投诉，数据保存在本机，"
            f"能同步时一并发送")


@dataclass(frozen=True)
class SetAside:
    """A record the district sent that this office cannot apply, held aside with why."""

    entity: str
    entity_label: str
    uuid: str
    what: str  # "投诉 WZCQ01-20261120-0001", "调解记录（投诉 …）"
    office: str  # the owning office's code
    reason: str
    held_at: str  # local time, as text


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    waiting: int  # operations not yet acknowledged
    conflicts: int  # fields waiting for a user's choice
    rejected: int
    held: int  # pulled records waiting for their parent
    last_run_at: str  # Beijing time, as text
    last_result: str
    last_ok: bool | None
    # Why the district refused operations: (its message, how many), most frequent first.
    refusals: tuple[tuple[str, int], ...] = ()
    last_success_at: str = ""  # the last round that went through, and what it did
    last_success: str = ""
    last_failure_at: str = ""  # the last round that failed, and why
    last_failure: str = ""
    set_aside: int = 0  # records the district sent that this office cannot apply
    set_aside_items: tuple[SetAside, ...] = ()  # the first of them
    clock_warning: str = ""  # this PC's clock is off the hub's (at the last session)
    renumbered: tuple[str, ...] = ()  # the latest "投诉单号 X 与区局已有单号重复，已改为 Y"
    outdated: bool = False  # the hub refused this program's protocol version
    # The hub found this office's audit log restored from a backup or rewritten (last check).
    audit_warning: str = ""
    audit_diverged: bool = False

    @property
    def failed_last(self) -> bool:
        """The latest round failed (its failure is newer than its success)."""
        return bool(self.last_failure_at) and self.last_failure_at >= self.last_success_at


@dataclass(frozen=True)
class OfficePC:
    """One PC (device) of this office, as the district knows it."""

    device_id: str
    name: str
    enrolled_at: str  # local time, YYYY-MM-DD HH:MM
    last_sync_at: str  # '' when it never synced
    backlog: int  # operations waiting on that PC at its last sync
    first_number: str  # its block's first daily sequence, e.g. "1001"
    revoked: bool
    this: bool  # this PC


@dataclass(frozen=True)
class Enrolment:
    """What enrolling did: the settings now, what was queued, and this office's offices (itself
    or those below it) that the district does not have yet: their records will be refused until
    the district adds them (then 重新发送被拒绝的记录)."""

    settings: SyncSettings
    queued: int
    offices_missing: tuple[str, ...]  # "名称（代码）"


@dataclass
class SyncReport:
    """What one round did, each way."""

    pushed: int = 0  # operations acknowledged
    conflicts: int = 0
    rejected: int = 0
    deferred: int = 0
    unanswered: int = 0
    pulled: int = 0  # records applied here
    kept_local: int = 0
    held: int = 0
    released: int = 0
    dispatched: list[str] = field(default_factory=list)  # numbers of complaints the district sent
    uploaded: int = 0  # attachment files
    downloaded: int = 0
    full_download: bool = False
    cancelled: bool = False  # stopped by the user: the rest goes next round
    set_aside: int = 0  # records received that this office cannot apply (held aside)
    renumbered: list[str] = field(default_factory=list)  # "投诉单号 X …，已改为 Y"
    clock_warning: str = ""
    audit_warning: str = ""  # the hub's verdict when this office's audit log disagrees
    messages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"发送 {self.pushed} 项", f"接收 {self.pulled} 项"]
        if self.dispatched:
            parts.append(f"区局分流投诉 {len(self.dispatched)} 件")
        if self.conflicts:
            parts.append(f"冲突 {self.conflicts} 项待处理")
        if self.rejected:
            parts.append(f"被拒绝 {self.rejected} 项")
        if self.set_aside:
            parts.append(f"无法接收 {self.set_aside} 项（已暂存待查）")
        if self.renumbered:
            parts.append(f"重新编号 {len(self.renumbered)} 件")
        if self.deferred or self.unanswered:
            parts.append(f"{self.deferred + self.unanswered} 项下次重发")
        if self.uploaded or self.downloaded:
            parts.append(f"附件上传 {self.uploaded} 个、下载 {self.downloaded} 个")
        if self.full_download:
            parts.append("已重新下载全部数据")
        return ("已取消：" if self.cancelled else "") + "，".join(parts)


@dataclass(frozen=True)
class ConflictField:
    field: str
    label: str
    office_value: Any
    hub_value: Any
    office_text: str
    hub_text: str


@dataclass(frozen=True)
class ConflictInfo:
    op_id: str
    entity: str
    entity_label: str
    record_uuid: str
    complaint_id: int | None
    complaint_number: str
    made_by: str
    made_at: datetime
    hub_version: int
    fields: tuple[ConflictField, ...]


@dataclass(frozen=True)
class BundleSummary:
    path: Path
    bundle_id: str
    operations: int
    attachments: int
    size: int


@dataclass(frozen=True)
class ReceiptSummary:
    bundle_id: str
    already_imported: bool
    report: SyncReport
