"""Mediation records: each contact of a mediation (on site, by phone, online, by video),
append-only; the first one on an accepted complaint starts the mediation."""

from __future__ import annotations

from datetime import datetime

from desktop.db.models import MediationRecord
from desktop.db.repositories import CodeRepository, ComplaintRepository
from desktop.domain import validators as v
from desktop.domain.errors import FieldError, TransitionError
from desktop.domain.workflow import HANDLERS, Action, Status, fire
from desktop.services.base import Service, require_role
from desktop.services.complaints import load_complaint
from desktop.services.dto import Changed, CurrentUser, MediationRecordInfo


class MediationService(Service):
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
