"""The audit log: verify its hash chain (edited, inserted or deleted entries are detected)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.db.repositories import AuditRepository
from desktop.db.uow import GENESIS_HASH, entry_hash
from desktop.services.base import Service


@dataclass(frozen=True)
class AuditReport:
    entries: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


class AuditService(Service):
    def verify(self, progress=None) -> AuditReport:  # type: ignore[no-untyped-def]
        """Walk the chain in order; `progress(n)` is called every 10,000 entries."""
        problems: list[str] = []
        prev, count, last_id = GENESIS_HASH, 0, 0
        with self._uow(None, "", write=False) as uow:
            repo = AuditRepository(uow.session)
            for entry in repo.iterate():
                count += 1
                fields = {
                    "at": entry.at, "user_id": entry.user_id, "username": entry.username,
                    "office_code": entry.office_code, "action": entry.action,
                    "entity": entry.entity, "entity_uuid": entry.entity_uuid,
                    "root_uuid": entry.root_uuid, "operation": entry.operation,
                    "before": entry.before, "after": entry.after, "reason": entry.reason,
                    "prev_hash": entry.prev_hash,
                }
                if entry.prev_hash != prev:
                    problems.append(f"第 {entry.id} 条：与前一条的链接断开（前面的记录被删除或改动）")
                if entry_hash(fields) != entry.hash:
                    problems.append(f"第 {entry.id} 条：内容与哈希不符（记录被改动）")
                prev, last_id = entry.hash, entry.id
                if progress and count % 10_000 == 0:
                    progress(count)
            high = repo.autoincrement_high_water()
            if high > last_id:
                problems.append(f"最后 {high - last_id} 条记录（第 {last_id + 1}–{high} 条）已被删除")
        return AuditReport(count, tuple(problems))
