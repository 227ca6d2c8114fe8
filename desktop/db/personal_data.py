"""Queries of personal-data protection: the log of outputs of unmasked personal data (kept in
the audit log as entries of their own entity), and the closed complaints whose retention period
has run out (anonymisation).

The outputs log lives in the hash-chained audit log (entity OUTPUTS, operation "bulk", written by
UnitOfWork.log_bulk in the transaction of the print or export it records), so it is as hard to
edit or delete unnoticed as the rest of the log, and no table of its own is needed. The audit
log's index on (entity, entity_uuid) finds its entries without reading the whole log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.db import models as m
from desktop.domain.workflow import FINISHED

OUTPUTS = "personal_data"  # the audit log's entity for outputs of unmasked personal data


class PersonalDataRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    # -- the outputs log -------------------------------------------------------------------
    def outputs(self, start: datetime | None, end: datetime | None,
                limit: int) -> Sequence[m.AuditEntry]:
        """Output entries at or after `start` and before `end` (UTC, as the log keeps time),
        newest first."""
        q = select(m.AuditEntry).where(m.AuditEntry.entity == OUTPUTS)
        if start is not None:
            q = q.where(m.AuditEntry.at >= start)
        if end is not None:
            q = q.where(m.AuditEntry.at < end)
        return self.s.scalars(q.order_by(m.AuditEntry.id.desc()).limit(limit)).all()

    # -- retention ---------------------------------------------------------------------------
    def _due(self, closed_before: date, marker: str):  # type: ignore[no-untyped-def]
        # Finished: 办结 complaints, merged 举报, answered 咨询 (each has its closing day);
        # ix_complaints_status_closed (status, closed_on, id) finds them.
        c = m.Complaint
        return (c.status.in_([s.value for s in FINISHED]), c.closed_on.is_not(None), c.closed_on < closed_before,
                c.complainant_name != marker)

    def count_due(self, closed_before: date, marker: str, scope: set[int] | None) -> int:
        c = m.Complaint
        q = select(func.count()).select_from(c).where(*self._due(closed_before, marker))
        if scope is not None:
            q = q.where(c.office_id.in_(scope))
        return self.s.scalar(q) or 0

    def due(self, closed_before: date, marker: str, scope: set[int] | None,
            limit: int) -> Sequence[m.Complaint]:
        """The next `limit` closed complaints due for anonymisation, earliest closed first."""
        c = m.Complaint
        q = select(c).where(*self._due(closed_before, marker))
        if scope is not None:
            q = q.where(c.office_id.in_(scope))
        return self.s.scalars(q.order_by(c.closed_on, c.id).limit(limit)).all()

    def anonymised_count(self, marker: str) -> int:
        c = m.Complaint
        return self.s.scalar(select(func.count()).select_from(c)
                             .where(c.complainant_name == marker)) or 0

    def children(self, complaint_ids: Sequence[int]) -> list[Any]:
        """The mediation records, attachments, 回访 and 送达 of these complaints: the records
        whose texts may name the consumer."""
        ids = list(complaint_ids)
        out: list[Any] = []
        for model in (m.MediationRecord, m.Attachment, m.FollowUp, m.NoticeDelivery):
            out.extend(self.s.scalars(select(model).where(model.complaint_id.in_(ids))))
        return out
