"""What the window shows of sync: settings, status, each complaint's state and refusals."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from desktop.db.sync.repo import SyncRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import FieldError
from desktop.domain.workflow import Role
from desktop.services.base import require_role
from desktop.services.dto import CurrentUser
from desktop.services.sync.base import SET_ASIDE_SHOWN, SyncBase, check_ca_bundle
from desktop.services.sync_info import SetAside, SyncStatus, clock_warning
from desktop.sync.protocol import ENTITY, PulledRecord


class SyncOverview(SyncBase):
    def set_options(self, user: CurrentUser, *, interval_minutes: int, ca_bundle: str = "") -> None:
        require_role(user, Role.ADMIN, doing="修改同步设置")
        if not 0 <= interval_minutes <= 24 * 60:
            raise FieldError("自动同步间隔", "应在 0（不自动同步）到 1440 分钟之间")
        ca_bundle = check_ca_bundle(ca_bundle)
        with self._uow(user, "修改同步设置") as uow:
            self._write(uow, interval_minutes=str(interval_minutes), ca_bundle=ca_bundle)
            uow.commit()

    def status(self) -> SyncStatus:
        v = self._read()
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            repo = SyncRepository(uow.session)
            counts = repo.counts()
            conflicts = len(repo.open_conflicts())
            held = repo.held_count()
            refusals = tuple(repo.refusal_counts()) if counts.get("rejected") else ()
            aside = repo.set_aside()
            items = self._set_aside_items(repo, aside[:SET_ASIDE_SHOWN])
        return SyncStatus(
            enrolled=bool(v["token"]),
            waiting=counts.get("pending", 0) + counts.get("sending", 0),
            conflicts=conflicts, rejected=counts.get("rejected", 0), held=held,
            last_run_at=v["last_run_at"], last_result=v["last_result"],
            last_ok=None if not v["last_ok"] else v["last_ok"] == "1", refusals=refusals,
            last_success_at=v["last_success_at"], last_success=v["last_success"],
            last_failure_at=v["last_failure_at"], last_failure=v["last_failure"],
            set_aside=len(aside), set_aside_items=items,
            clock_warning=clock_warning(float(v["clock_skew"]) if v["clock_skew"] else None),
            renumbered=tuple(json.loads(v["renumbered"] or "[]")), outdated=v["outdated"] == "1",
            **self._audit_state())

    def _audit_state(self) -> dict[str, Any]:
        """The hub's last word on this office's audit log, when it is not plain agreement."""
        state = self.audit.last_anchor() if self.audit is not None else None
        if state is None or state.status not in ("restored", "diverged"):
            return {}
        return {"audit_warning": f"区局审计核对（{state.at}）：{state.message}",
                "audit_diverged": state.status == "diverged"}

    @staticmethod
    def _set_aside_items(repo: SyncRepository, rows: Any) -> tuple[SetAside, ...]:
        records = [PulledRecord.model_validate_json(row.payload) for row in rows]
        parents = repo.complaint_numbers([c for r in records
                                          if isinstance(c := r.data.get("complaint"), str)])
        out = []
        for row, record in zip(rows, records, strict=True):
            spec = ENTITY.get(record.entity)
            label = spec.label if spec else record.entity
            number, parent = record.data.get("number"), record.data.get("complaint")
            if record.entity == "complaints" and isinstance(number, str):
                what = f"投诉 {number[:40]}"
            elif isinstance(parent, str):
                what = f"{label}（投诉 {parents.get(parent) or parent[:8] + '…'}）"
            else:
                what = f"{label} {record.uuid[:8]}…"
            at = row.held_at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
            out.append(SetAside(record.entity, label, record.uuid, what, record.owner[:12],
                                row.reason, at))
        return tuple(out)

    def retry_rejected(self, user: CurrentUser) -> int:
        """Queue the operations the district refused again (the next round sends them)."""
        require_role(user, Role.ADMIN, Role.CLERK, Role.STATION_HEAD, Role.DESK_STAFF,
                     doing="重新发送被拒绝的记录")
        with self._uow(user, "重新发送被拒绝的同步记录") as uow:
            count = SyncRepository(uow.session).retry_rejected()
            if count:
                uow.log_bulk("sync_outbox", {"retried": count})
            uow.commit()
        return count

    def states(self, complaint_uuids: list[str]) -> dict[str, str]:
        """conflict / rejected / waiting / synced for each complaint (absent: never synced)."""
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            return SyncRepository(uow.session).states(complaint_uuids)

    def states_by_id(self, complaint_ids: list[int]) -> dict[int, str]:
        """The same, keyed by the complaints' local ids (for the ledger's rows)."""
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            repo = SyncRepository(uow.session)
            uuids = repo.uuids_of(complaint_ids)
            states = repo.states(list(uuids.values()))
        return {cid: states[uuid] for cid, uuid in uuids.items() if uuid in states}

    def refusals(self, complaint_id: int) -> list[str]:
        """Why the district refused changes of this complaint (its state is then rejected)."""
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            repo = SyncRepository(uow.session)
            uuid = repo.uuids_of([complaint_id]).get(complaint_id)
            return repo.refusals(uuid) if uuid else []

