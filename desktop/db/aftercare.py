"""The queries of 回访 and 送达: a complaint's follow-up calls and deliveries, and the closed
items still waiting for a reached 回访 (one query, for the workbench)."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, and_, case, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from desktop.db import models as m
from desktop.db.batches import slices


@dataclass(frozen=True)
class WaitingQuery:
    """Closed items of these kinds, closed on or after `since` (and accepted, if asked), in
    these offices (None: all), without a reached 回访 made since their closing."""

    kinds: tuple[str, ...]
    since: date
    accepted_only: bool
    scope: AbstractSet[int] | None


class AftercareRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    # -- a complaint's records ----------------------------------------------------------------
    def follow_ups(self, complaint_id: int) -> Sequence[m.FollowUp]:
        f = m.FollowUp
        return self.s.scalars(select(f).where(f.complaint_id == complaint_id)
                              .order_by(f.called_at, f.id)).all()

    def latest_reached(self, complaint_id: int) -> m.FollowUp | None:
        """The reached 回访 called last (by its time, then as recorded)."""
        f = m.FollowUp
        return self.s.scalars(
            select(f).where(f.complaint_id == complaint_id, f.reached.is_(True))
            .order_by(f.called_at.desc(), f.id.desc()).limit(1)).first()

    def deliveries(self, complaint_id: int) -> Sequence[m.NoticeDelivery]:
        d = m.NoticeDelivery
        return self.s.scalars(select(d).where(d.complaint_id == complaint_id)
                              .order_by(d.delivered_at, d.id)).all()

    # -- waiting for a 回访 ----------------------------------------------------------------------
    def _waiting_where(self, q: WaitingQuery) -> list[Any]:
        c, f = m.Complaint, m.FollowUp
        # A 回访 counts for this closing only: one made before a reopening does not.
        reached = exists().where(f.complaint_id == c.id, f.reached.is_(True),
                                 f.called_at >= c.closed_on)
        kinds = [c.kind == "complaint"] if "complaint" in q.kinds else []
        if "report" in q.kinds:  # a 举报 only when the reporter gave a real name: else whom to call
            kinds.append(and_(c.kind == "report", c.reporter_real_name.is_(True)))
        where = [c.status == "closed", c.closed_on >= q.since, or_(*kinds), not_(reached)]
        if q.accepted_only:
            where.append(c.accepted_on.is_not(None))
        if q.scope is not None:
            where.append(c.office_id.in_(sorted(q.scope)))
        return where

    def waiting(self, q: WaitingQuery, limit: int) -> Sequence[Row[Any]]:
        """The first `limit` waiting items, the longest closed first (ix_complaints_closed gives
        them in that order: nothing is sorted)."""
        if not q.kinds:
            return []
        c = m.Complaint
        return self.s.execute(
            select(c.id, c.number, c.kind, c.respondent_name, c.complainant_name, c.office_id,
                   c.handler_id, c.closed_on, c.result)
            .where(*self._waiting_where(q))
            .order_by(c.closed_on, c.id).limit(limit)).all()

    def waiting_counts(self, q: WaitingQuery, overdue_before: date) -> tuple[int, int]:
        """(how many wait, how many of them closed before `overdue_before`: overdue)."""
        if not q.kinds:
            return 0, 0
        c = m.Complaint
        total, overdue = self.s.execute(
            select(func.count(), func.coalesce(func.sum(case((c.closed_on < overdue_before, 1),
                                                             else_=0)), 0))
            .where(*self._waiting_where(q))).one()
        return int(total), int(overdue)

    def unreached_counts(self, complaint_ids: Sequence[int]) -> dict[int, int]:
        """How many 回访 of each complaint did not reach anyone since its closing."""
        c, f = m.Complaint, m.FollowUp
        out: dict[int, int] = {}
        for part in slices(list(complaint_ids)):
            out.update((complaint_id, n) for complaint_id, n in self.s.execute(
                select(f.complaint_id, func.count())
                .join(c, c.id == f.complaint_id)
                .where(f.complaint_id.in_(part), f.reached.is_(False), f.called_at >= c.closed_on)
                .group_by(f.complaint_id)))
        return out
