"""The office's side of sync in SQL: the outbox's states, the hub versions it knows, conflicts,
and applying what the district sent (holding a child until its parent has arrived)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.db.batches import slices
from desktop.db.driver_rows import bound, update_rows
from desktop.db.models import (
    Attachment,
    Complaint,
    Office,
    OutboxOp,
    SyncConflict,
    SyncHeld,
    SyncRecord,
    User,
    new_uuid,
    utcnow,
)
from desktop.db.sync.apply import UNSETTLED, Applied, PageApplier, hold_aside, save_known
from desktop.db.sync.outbox import full_record_ops, resend_whole
from desktop.db.sync.wire import BY_WIRE, MODELS, Codec
from desktop.db.uow import storage_problem
from desktop.sync.protocol import ENTITIES, ENTITY, OpResult, PulledRecord, RefusalCode

# The hub's answers are written into the outbox by one driver executemany (driver_rows): the
# ORM's bulk update by primary key cost several times as much per row, for a thousand rows a
# reply, and a Core executemany twice as much.
_OUTBOX: Any = OutboxOp.__table__

class SyncRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    # -- the outbox -----------------------------------------------------------------------
    def recover_sending(self) -> int:
        """After a crash or a kill: what was being sent goes again (the hub de-duplicates)."""
        result = self.s.execute(update(OutboxOp).where(OutboxOp.status == "sending")
                                .values(status="pending"))
        return result.rowcount or 0

    def counts(self) -> dict[str, int]:
        rows = self.s.execute(select(OutboxOp.status, func.count()).group_by(OutboxOp.status))
        return {status: n for status, n in rows}

    def waiting(self) -> int:
        return self.s.execute(select(func.count()).select_from(OutboxOp).where(
            OutboxOp.status.in_(("pending", "sending")))).scalar_one()

    def next_batch(self, limit: int, skip: Iterable[int] = ()) -> Sequence[OutboxOp]:
        """The oldest pending operations but `skip`, and none of a record that has an
        operation on its way to the hub (`sending`): what the hub answers about that one (a
        refusal that turns a later edit into the whole record, a renumbering) is recorded
        before the record's next operation is picked."""
        on_the_wire = select(OutboxOp.record_uuid).where(OutboxOp.status == "sending")
        query = select(OutboxOp).where(OutboxOp.status == "pending",
                                       OutboxOp.record_uuid.not_in(on_the_wire))
        skip = list(skip)
        if skip:
            query = query.where(OutboxOp.id.not_in(skip))
        return self.s.scalars(query.order_by(OutboxOp.id).limit(limit)).all()

    def unacknowledged(self, entity: str | None = None, kind: str | None = None
                       ) -> Sequence[OutboxOp]:
        """Operations not answered yet, oldest first; of one entity and kind if given (a
        round looks for its attachments among 30,000 operations: the database picks them)."""
        query = select(OutboxOp).where(OutboxOp.status.in_(("pending", "sending")))
        if entity is not None:
            query = query.where(OutboxOp.entity == entity)
        if kind is not None:
            query = query.where(OutboxOp.kind == kind)
        return self.s.scalars(query.order_by(OutboxOp.id)).all()

    def mark_attempted(self, ids: Sequence[int]) -> None:
        """Frozen without being in flight (written into a USB bundle): they stay pending."""
        for part in slices(ids):
            self.s.execute(update(OutboxOp).where(OutboxOp.id.in_(part))
                           .values(attempts=OutboxOp.attempts + 1))

    def mark_sending(self, ids: Sequence[int]) -> None:
        # Not evaluated against the session's objects (a thousand of them, just loaded): the
        # caller sends them and passes them to record_results, which reads no status.
        connection = self.s.connection()
        sent_at = bound(connection, _OUTBOX.c.sent_at, utcnow())
        for part in slices(ids):
            connection.exec_driver_sql(
                "UPDATE sync_outbox SET status = 'sending', attempts = attempts + 1, sent_at = ? "
                f"WHERE id IN ({', '.join('?' * len(part))})", (sent_at, *part))

    def record_results(self, sent: Sequence[OutboxOp], results: Sequence[OpResult]) -> dict[str, int]:
        """Mark what the hub's reply lists; what it does not list goes again next time."""
        with self.s.no_autoflush:  # one flush at commit, not one per operation
            return self._record_results(sent, results)

    def _record_results(self, sent: Sequence[OutboxOp], results: Sequence[OpResult]) -> dict[str, int]:
        by_id = {r.op_id: r for r in results}
        tally = {"acked": 0, "conflict": 0, "rejected": 0, "deferred": 0, "unanswered": 0}
        now = utcnow()
        unanswered: list[int] = []
        answered: list[dict[str, Any]] = []  # one executemany for the whole reply
        refused_inserts: list[OutboxOp] = []
        known: dict[tuple[str, str], int] = {}
        for op in sent:
            result = by_id.get(op.op_id)
            if result is None:
                tally["unanswered"] += 1
                unanswered.append(op.id)
                continue
            tally[result.status] += 1
            if result.status == "deferred":
                answered.append({"id": op.id, "status": "pending", "done_at": None,
                                 "hub_version": op.hub_version, "message": result.message,
                                 "hub_record": None, "code": ""})
                continue
            answered.append({"id": op.id, "status": result.status, "done_at": now,
                             "hub_version": result.version, "message": result.message,
                             "hub_record": json.dumps(result.hub_record, ensure_ascii=False)
                             if result.hub_record is not None else None,
                             "code": result.code[:32] if result.status == "rejected" else ""})
            if result.status == "rejected" and op.base_version == 0 and op.before in ("{}", ""):
                refused_inserts.append(op)
            if result.status == "acked" and result.version is not None:
                # Only a record the hub holds exactly as this office does is known at that
                # version; otherwise others' changes are in it, and the next pull brings them.
                key = (op.entity, op.record_uuid)
                if result.yours and result.version > known.get(key, 0):
                    known[key] = result.version
            elif result.status == "conflict":
                for c in result.conflicts:
                    self.s.add(SyncConflict(
                        op_id=op.op_id, entity=op.entity, record_uuid=op.record_uuid,
                        root_uuid=op.root_uuid, field=c.field,
                        office_value=json.dumps(c.office_value, ensure_ascii=False),
                        hub_value=json.dumps(c.hub_value, ensure_ascii=False),
                        hub_version=result.version or 0))
        if unanswered:
            self.s.execute(update(OutboxOp).where(OutboxOp.id.in_(unanswered),
                                                  OutboxOp.status == "sending")
                           .values(status="pending"))
        if answered:
            update_rows(self.s.connection(), _OUTBOX, answered)
        save_known(self.s, known)
        for op in refused_inserts:
            # An edit made while the insert was on its way waits unsent: it goes as the whole.
            resend_whole(self.s, op.entity, op.record_uuid, op.made_by)
        orphans = self._refuse_orphans(sent, by_id)
        tally["deferred"] -= orphans
        tally["rejected"] += orphans
        return tally

    def _refuse_orphans(self, sent: Sequence[OutboxOp], by_id: dict[str, OpResult]) -> int:
        """A record deferred because its parent is not at the district, when the parent's own
        operation was refused: it can never arrive, so the child is refused with the reason."""
        deferred = [op for op in sent if (r := by_id.get(op.op_id)) and r.status == "deferred"]
        refused_count = 0
        for op in deferred:
            spec = ENTITY.get(op.entity)
            if spec is None:
                continue
            after: dict[str, Any] = {}
            for row in self.s.scalars(select(OutboxOp.after).where(
                    OutboxOp.record_uuid == op.record_uuid).order_by(OutboxOp.id)):
                after.update(json.loads(row))
            for field_name, _entity in spec.parents:
                parent = after.get(field_name)
                if not parent or self.s.get(SyncRecord, (_entity, parent)) is not None:
                    continue
                refused = self.s.scalars(select(OutboxOp).where(
                    OutboxOp.record_uuid == parent, OutboxOp.status == "rejected")).first()
                if refused is not None:
                    message = (refused.message if refused.message.startswith("所属的")
                               else f"所属的{ENTITY[_entity].label}未被区局接受（{refused.message}）")
                    self.s.execute(update(OutboxOp).where(OutboxOp.id == op.id).values(
                        status="rejected", done_at=utcnow(), message=message))
                    refused_count += 1
                    break
        return refused_count

    def enqueue_unknown(self, made_by: str, offices: set[int], chunk: int = 2000) -> int:
        """Insert operations for every record of this office (and the offices below it) that
        the district has never acknowledged and no operation carries: an office that worked
        before it was enrolled sends all it has. Other offices' records stay here."""
        # Operations never sent for records the district has never had are superseded by the
        # whole records queued below, and other offices' ones are not this office's to send.
        self.s.execute(delete(OutboxOp).where(
            OutboxOp.status == "pending", OutboxOp.attempts == 0,
            OutboxOp.record_uuid.not_in(select(SyncRecord.uuid))))
        total = 0
        included: dict[str, set[int]] = {}
        for spec in ENTITIES:
            model: Any = MODELS[spec.name]
            known = select(SyncRecord.uuid).where(SyncRecord.entity == spec.name)
            queued = select(OutboxOp.record_uuid).where(OutboxOp.entity == spec.name)
            mine = included.setdefault(spec.name, set())
            owner = BY_WIRE[spec.name][spec.owner].attr if spec.owner else None
            parents = [(BY_WIRE[spec.name][f].attr, e) for f, e in spec.parents]
            last = 0
            while True:
                objs = self.s.scalars(select(model).where(model.id > last).order_by(model.id)
                                      .limit(chunk)).all()
                if not objs:
                    break
                last = objs[-1].id
                ours = []
                for o in objs:
                    if owner is not None:
                        keep = getattr(o, owner) in offices
                    else:
                        links = [(getattr(o, a), e) for a, e in parents if getattr(o, a)]
                        keep = not links or any(i in included.get(e, ()) for i, e in links)
                    if keep:
                        mine.add(o.id)
                        ours.append(o)
                skip = set(self.s.scalars(known.where(SyncRecord.uuid.in_([o.uuid for o in ours]))))
                skip |= set(self.s.scalars(queued.where(
                    OutboxOp.record_uuid.in_([o.uuid for o in ours]))))
                fresh = [o for o in ours if o.uuid not in skip]
                if not fresh:
                    continue
                roots = self._roots(spec.name, fresh)
                rows = full_record_ops(self.s, spec.name, fresh,
                                       lambda o, r=roots: r.get(o.id), made_by)
                self.s.execute(insert(OutboxOp), rows)
                total += len(rows)
        return total

    def _roots(self, entity: str, objs: Sequence[Any]) -> dict[int, str | None]:
        if entity == "complaints":
            return {o.id: o.uuid for o in objs}
        uuids = self.uuids_of(list({o.complaint_id for o in objs
                                    if getattr(o, "complaint_id", None)}))
        return {o.id: uuids.get(getattr(o, "complaint_id", None)) for o in objs}

    # -- what the office knows of the hub ---------------------------------------------------
    def set_known(self, entity: str, uuid: str, version: int) -> None:
        save_known(self.s, {(entity, uuid): version})

    def states(self, root_uuids: Sequence[str]) -> dict[str, str]:
        """Each complaint's sync state: conflict, rejected, waiting, synced (absent: never)."""
        if not root_uuids:
            return {}
        out: dict[str, str] = {}
        rows = self.s.execute(
            select(OutboxOp.root_uuid, OutboxOp.status).where(
                OutboxOp.root_uuid.in_(root_uuids),
                OutboxOp.status.in_(("pending", "sending", "conflict", "rejected"))))
        rank = {"conflict": 3, "rejected": 2, "pending": 1, "sending": 1}
        for root, status in rows:
            if rank[status] > rank.get(out.get(root, ""), 0):
                out[root] = status
        for uuid in self.s.scalars(select(SyncRecord.uuid).where(
                SyncRecord.entity == "complaints", SyncRecord.uuid.in_(root_uuids))):
            out.setdefault(uuid, "synced")
        return {k: ("waiting" if v in ("pending", "sending") else v) for k, v in out.items()}

    def unsettled_fields(self, record_uuid: str, exclude: str) -> set[str]:
        """The wire fields this office's unsettled operations of a record change, but one."""
        fields: set[str] = set()
        for after in self.s.scalars(select(OutboxOp.after).where(
                OutboxOp.record_uuid == record_uuid, OutboxOp.status.in_(UNSETTLED),
                OutboxOp.op_id != exclude)):
            fields |= set(json.loads(after))
        return fields

    def refusal_counts(self, limit: int = 5) -> list[tuple[str, int]]:
        """The district's reasons for refused operations, most frequent first."""
        return [(m, n) for m, n in self.s.execute(
            select(OutboxOp.message, func.count()).where(OutboxOp.status == "rejected")
            .group_by(OutboxOp.message).order_by(func.count().desc(), OutboxOp.message)
            .limit(limit))]

    def retry_rejected(self) -> int:
        """Send the refused operations again, after the district removed the cause (added a
        missing office, say). They get new ids: the hub answers a known id with its stored
        refusal. The hub's field rule applies them afresh, so none is applied twice."""
        ids = self.s.scalars(select(OutboxOp.id).where(OutboxOp.status == "rejected")).all()
        if ids:
            self.s.execute(update(OutboxOp), [
                {"id": i, "op_id": new_uuid(), "status": "pending", "message": "",
                 "done_at": None} for i in ids])
        return len(ids)

    def number_taken(self) -> list[str]:
        """Complaints of this office whose number the district refused as another's."""
        return list(self.s.scalars(select(OutboxOp.record_uuid).distinct().where(
            OutboxOp.status == "rejected", OutboxOp.entity == "complaints",
            OutboxOp.code == RefusalCode.NUMBER_TAKEN)))

    def forget_refusal_code(self, record_uuid: str) -> None:
        """The refusal was acted on (or cannot be): not again."""
        self.s.execute(update(OutboxOp).where(OutboxOp.record_uuid == record_uuid,
                                              OutboxOp.status == "rejected")
                       .values(code=""))

    def refusals(self, root_uuid: str) -> list[str]:
        """Why the district refused changes of this complaint or of its records, newest first."""
        out: list[str] = []
        for entity, message in self.s.execute(
                select(OutboxOp.entity, OutboxOp.message).where(
                    OutboxOp.root_uuid == root_uuid, OutboxOp.status == "rejected")
                .order_by(OutboxOp.id.desc())):
            spec = ENTITY.get(entity)
            text = message if entity == "complaints" or spec is None else f"{spec.label}：{message}"
            if text not in out:
                out.append(text)
        return out

    def uuids_of(self, complaint_ids: Sequence[int]) -> dict[int, str]:
        if not complaint_ids:
            return {}
        return dict(self.s.execute(select(Complaint.id, Complaint.uuid)
                                   .where(Complaint.id.in_(complaint_ids))).all())

    # -- conflicts ------------------------------------------------------------------------
    def open_conflicts(self) -> Sequence[SyncConflict]:
        return self.s.scalars(select(SyncConflict).where(SyncConflict.choice.is_(None))
                              .order_by(SyncConflict.id)).all()

    def conflicts_of(self, op_id: str) -> Sequence[SyncConflict]:
        return self.s.scalars(select(SyncConflict).where(SyncConflict.op_id == op_id)
                              .order_by(SyncConflict.id)).all()

    def op(self, op_id: str) -> OutboxOp | None:
        return self.s.scalars(select(OutboxOp).where(OutboxOp.op_id == op_id)).first()

    # -- applying what the district sent ----------------------------------------------------
    def apply(self, records: Sequence[PulledRecord], local_root: int,
              complete: Callable[[str, dict[str, Any]], None] = lambda _e, _a: None) -> Applied:
        """Apply a pulled page in the caller's transaction (with the cursor: one commit).
        `complete(entity, attrs)` fills what this office works out itself for a new record
        (a dispatched complaint's rule set)."""
        def applier() -> PageApplier:
            return PageApplier(self.s, complete, lambda codec, uuid, name: self.user_for(
                codec, uuid, name, local_root))

        # The whole page at once (fast), inside a savepoint: if something the checks did not
        # foresee fails, the page goes again record by record, each in its own savepoint, and
        # a record that still fails is held aside. The machine's troubles (disk full, a lock)
        # are not the record's fault: they stop the round as before.
        try:
            with self.s.begin_nested():
                return applier().apply(records)
        except Exception as exc:  # noqa: BLE001 - any record's failure; the machine's re-raised
            if storage_problem(exc) is not None:
                raise
        total = Applied()
        for record in records:
            try:
                with self.s.begin_nested():
                    part = applier().apply([record])
            except Exception as exc:  # noqa: BLE001
                if storage_problem(exc) is not None:
                    raise
                hold_aside(self.s, record, _failure(exc))
                total.set_aside += 1
                continue
            total.add(part)
        return total

    def record(self, entity: str, uuid: str) -> Any:
        """The local row of a travelling record, or None."""
        model: Any = MODELS[entity]
        return self.s.scalars(select(model).where(model.uuid == uuid)).first()

    def held_count(self) -> int:
        """Pulled records waiting for their parent (not those held aside)."""
        return self.s.execute(select(func.count()).select_from(SyncHeld)
                              .where(SyncHeld.reason == "")).scalar_one()

    def set_aside(self) -> Sequence[SyncHeld]:
        """Pulled records this office cannot apply, with the reason, oldest first."""
        return self.s.scalars(select(SyncHeld).where(SyncHeld.reason != "")
                              .order_by(SyncHeld.held_at, SyncHeld.entity, SyncHeld.uuid)).all()

    def set_aside_records(self) -> list[PulledRecord]:
        return [PulledRecord.model_validate_json(row.payload) for row in self.set_aside()]

    def complaint_numbers(self, uuids: Sequence[str]) -> dict[str, str]:
        if not uuids:
            return {}
        return dict(self.s.execute(select(Complaint.uuid, Complaint.number)
                                   .where(Complaint.uuid.in_(uuids))).all())

    def user_for(self, codec: Codec, uuid: str, name: str, local_root: int) -> int:
        """A user this office has never seen (the district's staff, a sub-bureau's officer):
        kept as a disabled account that only carries the name."""
        user_id = codec.id_of("users", uuid)
        if user_id is not None:
            return user_id
        user = User(uuid=uuid, username=uuid, display_name=(name or "区局用户")[:40],
                    office_id=local_root, password_hash="!", active=False)
        self.s.add(user)
        self.s.flush()
        codec.remember("users", uuid, user.id)
        return user.id

    # -- offices --------------------------------------------------------------------------
    def office_by_code(self, code: str) -> Office | None:
        return self.s.scalars(select(Office).where(Office.code == code)).first()

    def missing_blobs(self, have: Callable[[str], bool]) -> list[tuple[str, int]]:
        rows = self.s.execute(select(Attachment.sha256, Attachment.size).distinct())
        return [(sha, size) for sha, size in rows if not have(sha)]


def _failure(exc: Exception) -> str:
    """Why a record could not be written here, in Chinese, without the values (the message
    of a database error carries the record's fields: names, phones)."""
    if isinstance(exc, IntegrityError):
        return "与本机已有的记录冲突（重复的编号或缺少关联的记录），本机无法保存"
    return f"本机无法保存这条记录（{type(exc).__name__}）"
