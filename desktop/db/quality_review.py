"""The queries of the half-yearly 处办质量评审表: each complaint or report closed in the half, with
what the review counts per office and handler (statistics' own queries are in db/statistics.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.db import models as m
from desktop.db.batches import slices
from desktop.domain.workflow import Action

REOPEN_ACTION = Action.REOPEN.label  # 重新办理: the audit log names a step by its label
HANDLED_KINDS = ("complaint", "report")


class QualityReviewRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def closed(self, start: date, end: date, scope: frozenset[int] | None) -> list[dict[str, Any]]:
        """Each complaint or report closed from `start` to `end` (both counted) in `scope`."""
        c = m.Complaint
        follow_ups = (select(func.count(m.FollowUp.id)).where(m.FollowUp.complaint_id == c.id)
                      .correlate(c).scalar_subquery())
        stmt = select(c.id, c.uuid, c.number, c.office_id, c.handler_id, c.received_at,
                      c.closed_on, c.satisfaction, follow_ups.label("follow_ups")).where(
            c.status == "closed", c.closed_on >= start, c.closed_on <= end,
            c.kind.in_(HANDLED_KINDS))
        if scope is not None:
            stmt = stmt.where(c.office_id.in_(sorted(scope)))
        return [dict(r._mapping) for r in self.s.execute(stmt.order_by(c.id))]

    def reopened(self, uuids: Iterable[str]) -> set[str]:
        """The complaints among `uuids` that were ever reopened (重新办理), by the audit log."""
        a = m.AuditEntry
        out: set[str] = set()
        for part in slices(list(uuids)):
            out.update(str(u) for u in self.s.scalars(
                select(a.entity_uuid).where(a.entity == "complaints", a.entity_uuid.in_(part),
                                            a.action == REOPEN_ACTION).distinct()))
        return out
