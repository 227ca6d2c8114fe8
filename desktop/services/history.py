"""A complaint's history (处理经过): its audit entries in plain words, each field under its
Chinese label, personal information masked for users who may not see it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC
from typing import Any

from desktop.db.repositories import AuditRepository
from desktop.domain import complaint_fields, contract
from desktop.domain.aftercare import CallMeans, Delivery, Notice, satisfaction_label
from desktop.domain.complaint import masked
from desktop.domain.disclosure import RequestKind, RequestStatus
from desktop.domain.retention import is_anonymised
from desktop.forms.catalog import FORMS, HOW_LABELS
from desktop.services.base import Service
from desktop.services.complaints import ComplaintService, load_complaint, sees_person
from desktop.services.dto import CurrentUser, HistoryLine
from desktop.services.letters import title_of
from desktop.services.personal_data import CHILD_TEXTS, COMPLAINT_TEXTS

_COMPLAINTS = "complaints"
# What an anonymised complaint's history no longer shows: the person and the texts.
REDACTED: dict[str, frozenset[str]] = {
    _COMPLAINTS: frozenset(f.name for f in complaint_fields.PERSONAL) | frozenset(COMPLAINT_TEXTS),
    **{table: frozenset(names) for table, names in CHILD_TEXTS.items()},
}


def field_label(entity: str, key: str) -> str:
    """A column as people say it: a complaint's from the catalogue, a record's from the wire
    contract (where a reference travels without `_id`)."""
    if entity == _COMPLAINTS:
        return complaint_fields.label(key)
    return contract.label(entity, key.removesuffix("_id") if key.endswith("_id") else key)


def _value(entity: str, key: str, value: object) -> str:
    if value is None or value == "":
        return "（空）"
    field = complaint_fields.BY_NAME.get(key) if entity == _COMPLAINTS else None
    if field is not None and field.choices is not None:
        return field.choices(str(value)).label
    if field is not None and field.name == "satisfaction":
        return satisfaction_label(str(value))
    if field is not None and field.choice_values:
        return dict(field.choice_values).get(str(value), str(value))
    if field is not None and field.kind == "money" and isinstance(value, int):
        return f"{value / 100:,.2f} 元"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _describe(before: str | None, after: str | None, operation: str, entity: str,
              hide: bool = False, titles: Callable[[str], str] | None = None,
              redact: bool = False) -> str:
    """An audit entry in plain words for the history tab; `hide`: mask personal information;
    `titles`: a printed form's title by its key, as the complaint's edition names it."""
    if operation == "insert" and entity == "printings":
        printed = json.loads(after or "{}")
        key = printed.get("form", "")
        title = key  # a form this program no longer knows
        if key in FORMS:
            title = titles(key) if titles is not None else FORMS[key].title
        return (f"{HOW_LABELS.get(printed.get('how', ''), '打印')}《{title}》，"
                f"{printed.get('pages', '?')} 页，核验码 {printed.get('checksum') or '—'}")
    if entity.startswith("disclosure_"):
        return _describe_disclosure(entity, operation, json.loads(before or "{}"),
                                    json.loads(after or "{}"))
    if operation == "insert" and entity in ("follow_ups", "notice_deliveries"):
        new = json.loads(after or "{}")
        return _describe_aftercare(entity, _redacted(entity, new) if redact else new)
    if operation == "insert" and entity == _COMPLAINTS and json.loads(after or "{}").get(
            "import_source"):  # history brought in from an old ledger: where it came from
        return f"历史导入：来自{json.loads(after or '{}')['import_source']}"
    if operation == "insert" and entity == "mediation_records":
        record = json.loads(after or "{}")
        held = str(record.get("held_at", "")).replace("T", " ")[:16]
        if record.get("replaces_id"):
            content = "（已隐去）" if redact else record.get("content", "")
            return (f"更正调解记录：原记录已更正（保留备查），新记录生效；调解时间 {held}，"
                    f"调解内容：{content}")
        return f"新增调解记录（调解时间 {held}）"
    if operation == "insert":
        return {"complaints": "新建投诉记录", "mediation_records": "新增调解记录",
                "attachments": "添加附件", "clock_pauses": "中止调解计时"}.get(entity, "新增记录")
    if operation == "delete":
        return "删除记录"
    old, new = json.loads(before or "{}"), json.loads(after or "{}")
    if redact:
        old, new = _redacted(entity, old), _redacted(entity, new)
    if hide and entity == _COMPLAINTS:
        for values in (old, new):
            for field in complaint_fields.PERSONAL:
                if values.get(field.name):
                    values[field.name] = masked(field.name, values[field.name])
    parts = [
        f"{field_label(entity, key)}：{_value(entity, key, old.get(key))} → "
        f"{_value(entity, key, value)}"
        for key, value in new.items()
        if key != "due_on"
    ]
    return "；".join(parts)


def _redacted(entity: str, values: dict[str, Any]) -> dict[str, Any]:
    """An anonymised complaint's entry (domain.retention): what it wrote of the person and of
    the texts that may name them is not shown again, to anyone."""
    hidden = REDACTED.get(entity, frozenset())
    return {key: "（已隐去）" if key in hidden and value not in (None, "") else value
            for key, value in values.items()}


def _label(kind: type[CallMeans] | type[Delivery] | type[Notice], value: object) -> str:
    try:
        return kind(str(value)).label
    except ValueError:
        return str(value)


def _describe_aftercare(entity: str, new: dict[str, Any]) -> str:
    """A 回访 or a 送达 in one sentence (the callee and recipient are who the office called or
    served, not the complainant's record: shown as entered)."""
    if entity == "follow_ups":
        outcome = (f"联系上，满意度：{satisfaction_label(new.get('satisfaction')) or '（空）'}"
                   if new.get("reached") else "未联系上")
        text = f"{_label(CallMeans, new.get('means'))}回访{new.get('callee', '')}：{outcome}"
    else:
        at = str(new.get("delivered_at", "")).replace("T", " ")[:16]
        text = (f"《{_label(Notice, new.get('notice'))}》以{_label(Delivery, new.get('means'))}方式"
                f"送达{new.get('recipient', '')}（{at}）")
    return text + (f"；{new['note']}" if new.get("note") else "")


def _describe_disclosure(entity: str, operation: str, old: dict[str, Any],
                         new: dict[str, Any]) -> str:
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

class HistoryService(Service):
    def history(self, user: CurrentUser, complaint_id: int) -> list[HistoryLine]:
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            hide = not sees_person(user, c)  # a 举报's reporter: its handler only
            redact = is_anonymised(c.complainant_name)
            rules = ComplaintService(self.ctx).rules_of(c)

            def titles(key: str) -> str:
                return title_of(c, rules, key).title

            lines = []
            for e in AuditRepository(uow.session).history(c.uuid):
                text = _describe(e.before, e.after, e.operation, e.entity, hide, titles, redact)
                if text:  # a recomputed due date alone is not news
                    at = e.at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
                    lines.append(HistoryLine(at, e.username, e.action, text, e.reason))
            return lines
