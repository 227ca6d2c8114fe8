"""Mediation records: each contact of a mediation (on site, by phone, online, by video),
append-only; the first one on an accepted complaint starts the mediation.

A saved record is never changed. A mistake in one is corrected by a new record that replaces
it, with the reason (`correct_mediation_record`): both are kept and travel to the district as
two records; the old one is shown as 已更正 with the reason, the new one is in force (the
printed forms show the records in force)."""

from __future__ import annotations

from datetime import datetime

from desktop.db.models import MediationRecord
from desktop.db.repositories import CodeRepository, ComplaintRepository
from desktop.db.uow import UnitOfWork
from desktop.domain import validators as v
from desktop.domain.complaint_fields import NOTE_LEN
from desktop.domain.errors import FieldError, TransitionError
from desktop.domain.workflow import HANDLERS, Action, Status, fire
from desktop.services.base import Service, require_role
from desktop.services.complaints import load_complaint
from desktop.services.dto import Changed, CurrentUser, MediationRecordInfo

# The statuses in which a mediation record may be corrected: a slip found after the mediation
# has ended (调解成功, 终止, 办结) is corrected too; the record stays what the paper says.
_CORRECTABLE = frozenset({Status.MEDIATING, Status.SETTLED, Status.TERMINATED, Status.CLOSED})


class MediationService(Service):
    def _checked(self, held_at: datetime, means: str, participants: str, content: str,
                 result: str, place: str) -> None:
        v.check_date(held_at, "调解时间", self.ctx.clock.now())
        # Each text within the wire contract's length, under the label the dialog shows.
        for name, value, field in (("means", means, "调解方式"), ("place", place, "地点"),
                                   ("participants", participants, "参加人员"),
                                   ("content", content, "调解内容"), ("result", result, "调解结果")):
            v.check_text("mediation_records", name, (value or "").strip(), field)
        v.check_required(participants, "参加人员")
        v.check_required(content, "调解内容")

    @staticmethod
    def _means(uow: UnitOfWork, means: str) -> None:
        item = CodeRepository(uow.session).get("mediation_means", means)
        if item is None or not item.active:
            raise FieldError("调解方式", f"「{means}」不在代码表中")

    def add_mediation_record(
        self, user: CurrentUser, complaint_id: int, *, held_at: datetime, means: str,
        participants: str, content: str, result: str = "", place: str = "",
    ) -> Changed:
        """Record one mediation contact; the first one on an accepted complaint starts mediation."""
        require_role(user, *HANDLERS, doing="添加调解记录")
        self._checked(held_at, means, participants, content, result, place)
        with self._uow(user, "添加调解记录") as uow:
            c = load_complaint(uow, user, complaint_id)
            self._means(uow, means)
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

    def correct_mediation_record(
        self, user: CurrentUser, complaint_id: int, record_id: int, *, reason: str,
        held_at: datetime, means: str, participants: str, content: str, result: str = "",
        place: str = "",
    ) -> Changed:
        """Correct a saved mediation record: a new record replacing it, with the reason; the old
        one is kept (已更正). Only the record in force can be corrected (a record corrected
        already is corrected through its correction)."""
        require_role(user, *HANDLERS, doing="更正调解记录")
        reason = v.check_required(reason, "更正理由")
        if len(reason) > NOTE_LEN:
            raise FieldError("更正理由", f"不能超过 {NOTE_LEN} 个字（现有 {len(reason)} 个）")
        v.check_text("mediation_records", "correction_reason", reason, "更正理由")
        self._checked(held_at, means, participants, content, result, place)
        with self._uow(user, "更正调解记录", reason=reason) as uow:
            c = load_complaint(uow, user, complaint_id)
            repo = ComplaintRepository(uow.session)
            old = repo.mediation_record(record_id)
            if old is None or old.complaint_id != c.id:
                raise FieldError("调解记录", f"投诉 {c.number} 没有这条调解记录")
            if repo.correction_of(old.id) is not None:
                raise FieldError("调解记录", "这条调解记录已经更正过，请更正现行的那一条")
            status = Status(c.status)
            if status not in _CORRECTABLE:
                raise TransitionError(f"「{status.label}」状态的投诉不能更正调解记录")
            self._means(uow, means)
            unchanged = (old.held_at == held_at and old.means == means
                         and old.place == place.strip() and old.participants == participants.strip()
                         and old.content == content.strip() and old.result == result.strip())
            if unchanged:
                raise FieldError("调解内容", "与原记录相同，没有需要更正的内容")
            record = MediationRecord(
                complaint_id=c.id, held_at=held_at, means=means, place=place.strip(),
                participants=participants.strip(), content=content.strip(), result=result.strip(),
                recorded_by_id=user.id, replaces_id=old.id, correction_reason=reason,
            )
            uow.session.add(record)
            uow.commit()
            return Changed("mediation_record", (record.id,), c.number, created=True,
                           complaint_id=c.id)

    def mediation_records(self, user: CurrentUser, complaint_id: int) -> list[MediationRecordInfo]:
        """Every record, by when it was held; a corrected one says by which and why."""
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            rows = ComplaintRepository(uow.session).all_mediation_records(c.id)
            replaced = {r.replaces_id: r for r in rows if r.replaces_id is not None}
            out = []
            for r in rows:
                newer = replaced.get(r.id)
                out.append(MediationRecordInfo(
                    r.id, r.uuid, r.held_at, r.means, r.place, r.participants, r.content,
                    r.result, r.recorded_by_id, r.replaces_id, r.correction_reason,
                    newer.id if newer is not None else None,
                    newer.correction_reason if newer is not None else None))
            return out
