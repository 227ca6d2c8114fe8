"""A complaint's records: mediation contacts, attachments (files by SHA-256) and its history."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from desktop import paths
from desktop.db.models import Attachment, MediationRecord
from desktop.db.repositories import AuditRepository, CodeRepository, ComplaintRepository
from desktop.domain import validators as v
from desktop.domain.contract import filename_problem
from desktop.domain.disclosure import RequestKind, RequestStatus
from desktop.domain.errors import FieldError, TransitionError
from desktop.domain.workflow import HANDLERS, Action, Result, Status, fire
from desktop.forms.catalog import FORMS, HOW_LABELS
from desktop.services.base import Service, require_role
from desktop.services.complaints import SEES_PERSONAL_INFO, load_complaint
from desktop.services.dto import (
    AttachmentInfo,
    Changed,
    CurrentUser,
    HistoryLine,
    MediationRecordInfo,
)

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024

# Column names as people say them, for the history tab.
_FIELD_LABELS = {
    "status": "状态", "handler_id": "承办人", "accepted_on": "受理日期", "due_on": "期限",
    "settlement_terms": "调解协议", "termination_ground": "终止依据", "rejection_ground": "不予受理依据",
    "result": "办结结果", "closed_on": "办结日期", "recovered_cents": "挽回经济损失",
    "at_fault": "有责任投诉", "facts": "事实与理由", "request": "诉求", "subject": "商品或服务",
    "complainant_name": "投诉人", "complainant_phone": "投诉人电话", "respondent_name": "被投诉方",
    "amount_cents": "涉案金额", "mediation_started_on": "开始调解日期", "settled_on": "调解成功日期",
    "terminated_on": "终止日期", "performance_due_on": "履行期限", "satisfaction": "满意度", "status_note": "说明", "transferred_to": "转办单位", "case_note": "立案线索",
    "started_on": "中止日期", "ended_on": "恢复日期", "content": "调解内容", "filename": "文件名",
}


def _value(key: str, value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if key == "status":
        return Status(str(value)).label
    if key == "result":
        return Result(str(value)).label
    if key.endswith("_cents") and isinstance(value, int):
        return f"{value / 100:,.2f} 元"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


_PERSONAL = {"complainant_name": v.mask_name, "complainant_phone": v.mask_phone,
             "complainant_id_number": v.mask_id_number,
             "complainant_address": lambda _value: "（已隐藏）"}


def _describe(before: str | None, after: str | None, operation: str, entity: str,
              masked: bool = False) -> str:
    """An audit entry in plain words for the history tab."""
    if operation == "insert" and entity == "printings":
        printed = json.loads(after or "{}")
        info = FORMS.get(printed.get("form", ""))
        title = info.title if info else printed.get("form", "")
        return (f"{HOW_LABELS.get(printed.get('how', ''), '打印')}《{title}》，"
                f"{printed.get('pages', '?')} 页，核验码 {printed.get('checksum') or '—'}")
    if entity.startswith("disclosure_"):
        return _describe_disclosure(entity, operation, json.loads(before or "{}"),
                                    json.loads(after or "{}"))
    if operation == "insert":
        return {"complaints": "新建投诉记录", "mediation_records": "新增调解记录",
                "attachments": "添加附件", "clock_pauses": "中止调解计时"}.get(entity, "新增记录")
    if operation == "delete":
        return "删除记录"
    old, new = json.loads(before or "{}"), json.loads(after or "{}")
    if masked:
        for values in (old, new):
            for key, mask in _PERSONAL.items():
                if values.get(key):
                    values[key] = mask(values[key])
    parts = [
        f"{_FIELD_LABELS.get(key, key)}：{_value(key, old.get(key))} → {_value(key, value)}"
        for key, value in new.items()
        if key != "due_on"
    ]
    return "；".join(parts)


def _describe_disclosure(entity: str, operation: str, old: dict, new: dict) -> str:
    """A complaint's disclosure rows and requests, in the words of the 公示 screen."""
    if entity == "disclosure_entries":
        if operation == "insert":
            return "列入消费投诉公示清单"
        if operation == "delete":
            return "移出消费投诉公示清单（已不符合公示条件）"
        parts = []
        if "content" in new:
            parts.append(f"公示内容：{old.get('content') or '（空）'} → {new['content']}")
        if new.get("excluded") is True:
            parts.append("不予公示")
        elif new.get("excluded") is False:
            parts.append("恢复公示")
        if new.get("corrected_on"):
            parts.append(f"已于 {new['corrected_on']} 更正")
        return "；".join(parts) or "公示清单条目已更新"
    if entity == "disclosure_requests":
        if operation == "insert":
            text = f"申请{RequestKind(new['kind']).label}：{new.get('reason', '')}"
            return text + (f"；更正为：{new['new_content']}" if new.get("new_content") else "")
        if "status" in new:
            return (f"申请状态：{RequestStatus(old['status']).label} → "
                    f"{RequestStatus(new['status']).label}")
    return "公示记录已更新"


class RecordService(Service):
    # -- mediation records ------------------------------------------------------------------
    def add_mediation_record(
        self, user: CurrentUser, complaint_id: int, *, held_at: datetime, means: str,
        participants: str, content: str, result: str = "", place: str = "",
    ) -> Changed:
        """Record one mediation contact; the first one on an accepted complaint starts mediation."""
        require_role(user, *HANDLERS, doing="添加调解记录")
        v.check_date(held_at, "调解时间", self.ctx.clock.now())
        # Each text within the wire contract's length, under the label the dialog shows.
        for name, value, field in (("means", means, "调解方式"), ("place", place, "地点"),
                                   ("participants", participants, "参加人员"),
                                   ("content", content, "调解内容"), ("result", result, "调解结果")):
            v.check_text("mediation_records", name, (value or "").strip(), field)
        v.check_required(participants, "参加人员")
        v.check_required(content, "调解内容")
        with self._uow(user, "添加调解记录") as uow:
            c = load_complaint(uow, user, complaint_id)
            item = CodeRepository(uow.session).get("mediation_means", means)
            if item is None or not item.active:
                raise FieldError("调解方式", f"「{means}」不在代码表中")
            status = Status(c.status)
            if status is Status.ACCEPTED:
                c.status = fire(status, Action.START_MEDIATION, roles=user.roles).value
                c.mediation_started_on = max(held_at.date(), c.accepted_on or held_at.date())
            elif status is not Status.MEDIATING:
                raise TransitionError(f"「{status.label}」状态的投诉不能添加调解记录（需已受理或调解中）")
            record = MediationRecord(
                complaint_id=c.id, held_at=held_at, means=means, place=place.strip(),
                participants=participants.strip(), content=content.strip(), result=result.strip(),
                recorded_by_id=user.id,
            )
            uow.session.add(record)
            uow.commit()
            return Changed("mediation_record", (record.id,), c.number, created=True,
                           complaint_id=c.id)

    def mediation_records(self, user: CurrentUser, complaint_id: int) -> list[MediationRecordInfo]:
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            return [
                MediationRecordInfo(r.id, r.uuid, r.held_at, r.means, r.place, r.participants,
                                    r.content, r.result, r.recorded_by_id)
                for r in ComplaintRepository(uow.session).mediation_records(c.id)
            ]

    # -- attachments ---------------------------------------------------------------------------
    def blob_path(self, sha256: str) -> Path:
        return paths.attachment_path(self.ctx.data_dir, sha256)

    def attach(
        self, user: CurrentUser, complaint_id: int, source: Path, note: str = "",
        progress=None,  # type: ignore[no-untyped-def]  # callable(done_bytes, total_bytes)
    ) -> Changed:
        """Copy the file into the store (temp name, then rename), then commit its row."""
        require_role(user, *HANDLERS, doing="添加附件")
        source = Path(source)
        if not source.is_file():
            raise FieldError("附件", f"文件 {source} 不存在")
        # The name travels to other offices as a label, never a path (contract.filename_problem).
        if (problem := filename_problem(source.name)) is not None:
            raise FieldError("附件", f"文件名「{source.name[:60]}」{problem}，请改名后再添加")
        v.check_text("attachments", "filename", source.name, "附件文件名")
        v.check_text("attachments", "note", note.strip(), "附件说明")
        size = source.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise FieldError("附件", f"文件过大（{size // 1024 // 1024} MB），单个附件不超过 200 MB")
        with self._uow(user, "", write=False) as uow:
            load_complaint(uow, user, complaint_id)
        sha = self._store(source, size, progress)
        with self._uow(user, "添加附件") as uow:
            c = load_complaint(uow, user, complaint_id)
            row = Attachment(complaint_id=c.id, sha256=sha, filename=source.name, size=size,
                             note=note.strip(), added_by_id=user.id)
            uow.session.add(row)
            uow.commit()
            return Changed("attachment", (row.id,), c.number, created=True, complaint_id=c.id)

    def _store(self, source: Path, size: int, progress) -> str:  # type: ignore[no-untyped-def]
        store = self.ctx.data_dir / "attachments"
        store.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(dir=store, prefix=".incoming-")
        done = 0
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while chunk := src.read(1024 * 1024):
                    digest.update(chunk)
                    out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, size)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.blob_path(sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():  # same bytes already stored: keep the one we have
                os.unlink(tmp_name)
            else:
                shutil.move(tmp_name, target)
            return sha
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def attachments(self, user: CurrentUser, complaint_id: int) -> list[AttachmentInfo]:
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            return [
                AttachmentInfo(a.id, a.sha256, a.filename, a.size, a.note, a.added_at)
                for a in ComplaintRepository(uow.session).attachments(c.id)
            ]

    # -- history ------------------------------------------------------------------------------
    def history(self, user: CurrentUser, complaint_id: int) -> list[HistoryLine]:
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            masked = not user.has(*SEES_PERSONAL_INFO)
            lines = []
            for e in AuditRepository(uow.session).history(c.uuid):
                text = _describe(e.before, e.after, e.operation, e.entity, masked)
                if text:  # a recomputed due date alone is not news
                    at = e.at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
                    lines.append(HistoryLine(at, e.username, e.action, text, e.reason))
            return lines
