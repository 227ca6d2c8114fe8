"""Conflicts: showing what the district and this office disagree on, and settling it field by field."""

from __future__ import annotations

import json
from typing import Any

from desktop.db.models import OutboxOp, new_uuid
from desktop.db.repositories import ComplaintRepository, OfficeRepository
from desktop.db.sync.office_reference import install, summary
from desktop.db.sync.repo import SyncRepository
from desktop.db.sync.wire import BY_WIRE, Codec
from desktop.db.uow import Actor, UnitOfWork
from desktop.domain.errors import FieldError, NotFound
from desktop.domain.workflow import Role, Status
from desktop.services.base import require_role
from desktop.services.dto import CurrentUser
from desktop.services.sync.base import SyncBase, keep_shipped_rule_set
from desktop.services.sync_info import FIELD_LABELS, ConflictField, ConflictInfo
from desktop.sync.protocol import ENTITY, STATUS_FIELD

REFERENCE = "office_references"  # the office reference (issue 22): settled by an administrator


class SyncConflicts(SyncBase):
    # -- conflicts ------------------------------------------------------------------------
    def conflicts(self, user: CurrentUser) -> list[ConflictInfo]:
        with self._uow(user, "", write=False) as uow:
            repo = SyncRepository(uow.session)
            by_op: dict[str, list[Any]] = {}
            for c in repo.open_conflicts():
                by_op.setdefault(c.op_id, []).append(c)
            out = []
            for op_id, rows in by_op.items():
                op = repo.op(op_id)
                if op is None:
                    continue
                complaint = (ComplaintRepository(uow.session).by_uuid(op.root_uuid)
                             if op.root_uuid else None)
                if complaint is not None and user.scope is not None \
                        and complaint.office_id not in user.scope:
                    continue
                out.append(ConflictInfo(
                    op_id=op_id, entity=op.entity, entity_label=ENTITY[op.entity].label,
                    record_uuid=op.record_uuid,
                    complaint_id=complaint.id if complaint else None,
                    complaint_number=complaint.number if complaint else "",
                    made_by=op.made_by, made_at=op.made_at, hub_version=rows[0].hub_version,
                    fields=tuple(self._field(uow, op.entity, r) for r in rows)))
            return out

    def _field(self, uow: UnitOfWork, entity: str, row: Any) -> ConflictField:
        office, hub = json.loads(row.office_value), json.loads(row.hub_value)
        return ConflictField(row.field, FIELD_LABELS.get(row.field, row.field), office, hub,
                             self._text(uow, entity, row.field, office),
                             self._text(uow, entity, row.field, hub))

    def _text(self, uow: UnitOfWork, entity: str, name: str, value: Any) -> str:
        if value is None or value == "":
            return "（空）"
        if entity == REFERENCE:
            return summary(name, value)
        if entity == "complaints" and name == STATUS_FIELD:
            try:
                return Status(value).label
            except ValueError:
                return str(value)
        spec = BY_WIRE.get(entity, {}).get(name)
        if spec is not None and spec.target == "users":
            user_id = Codec(uow.session).id_of("users", value)
            return self.user_name(uow, user_id) or str(value)
        if isinstance(value, bool):
            return "是" if value else "否"
        return str(value)

    def resolve(self, user: CurrentUser, op_id: str, choices: dict[str, str]) -> None:
        """Keep, per field, this office's value or the district's. The district's values are
        written here; the office's go out as a new operation based on the district's version."""
        with self._uow(user, "处理同步冲突", write=False) as uow:
            repo = SyncRepository(uow.session)
            op = repo.op(op_id)
            rows = [r for r in repo.conflicts_of(op_id) if r.choice is None]
        if op is None or op.status != "conflict" or not rows:
            raise NotFound("该冲突已处理或不存在")
        if op.entity == REFERENCE:
            require_role(user, Role.ADMIN, doing="处理本单位共享设置的冲突")
        if user.scope is not None and op.root_uuid:
            with self._uow(user, "", write=False) as uow:
                complaint = ComplaintRepository(uow.session).by_uuid(op.root_uuid)
            if complaint is not None and complaint.office_id not in user.scope:
                raise NotFound("该冲突已处理或不存在")
        missing = [FIELD_LABELS.get(r.field, r.field) for r in rows
                   if choices.get(r.field) not in ("office", "hub")]
        if missing:
            raise FieldError("冲突处理", f"请为每一项选择保留哪一方的值：{'、'.join(missing)}")
        hub_record = json.loads(op.hub_record or "{}")
        conflicting = {r.field for r in rows}
        version = rows[0].hub_version
        before_op, after_op = json.loads(op.before), json.loads(op.after)
        # The new operation: the office's chosen values against the district's current ones.
        after = {k: v for k, v in after_op.items() if k not in conflicting}
        after.update({r.field: json.loads(r.office_value) for r in rows
                      if choices[r.field] == "office"})
        before = {k: hub_record.get(k) for k in after}
        hub_wins = {r.field: json.loads(r.hub_value) for r in rows if choices[r.field] == "hub"}
        if op.entity == "complaints" and STATUS_FIELD not in after:
            before[STATUS_FIELD] = hub_record.get(STATUS_FIELD, before_op.get(STATUS_FIELD))
        with UnitOfWork(self.ctx.engine, Actor(user.id, user.username, user.office_code),
                        "处理同步冲突", outbox=False) as uow:
            repo = SyncRepository(uow.session)
            obj = repo.record(op.entity, op.record_uuid)
            # The district's record as the conflict found it, but for what this office sends
            # and what its later, unsent edits change: the new operation goes onto that
            # version, so afterwards this office holds exactly what the district does.
            mine = set(after) | repo.unsettled_fields(op.record_uuid, exclude=op_id)
            theirs = {k: v for k, v in hub_record.items() if k not in mine} | hub_wins
            if obj is not None and theirs:
                local = OfficeRepository(uow.session).local()
                assert local is not None
                codec = Codec(uow.session)
                attrs = codec.attrs(op.entity, theirs,
                                    lambda u: repo.user_for(codec, u, "", local.id))
                for key, value in attrs.items():
                    setattr(obj, key, value)
            now = self.ctx.clock.now()
            for r in repo.conflicts_of(op_id):
                r.choice, r.resolved_by, r.resolved_at = choices.get(r.field), user.username, now
            stored = repo.op(op_id)
            assert stored is not None
            stored.status = "resolved"
            if after:
                uow.session.add(OutboxOp(
                    op_id=new_uuid(), entity=op.entity, record_uuid=op.record_uuid,
                    root_uuid=op.root_uuid, kind="upsert", base_version=version,
                    before=json.dumps(before, ensure_ascii=False, sort_keys=True),
                    after=json.dumps(after, ensure_ascii=False, sort_keys=True),
                    people=op.people, made_by=user.username))
            else:
                repo.set_known(op.entity, op.record_uuid, version)
            installed: set[str] = set()
            if op.entity == REFERENCE and obj is not None:
                # The district's values the user kept are written into this PC's tables.
                installed = install(uow.session, obj, keep_shipped_rule_set)
            uow.commit()
        self._reference_arrived(installed, user)

