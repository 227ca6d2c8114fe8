"""The enterprise credit lists' counts (零投诉企业, 红黑榜, 消费警示): one grouped pass each."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from desktop.db import models as m

# A 终止调解 on this ground: a party did not come, or the respondent refused to mediate.
REFUSED_GROUND = "refused_attend"
# The complaint reached the consumer-protection offices (a sub-bureau or the district); a
# station's own handling (源头和解 inside the enterprise) is the enterprise settling it.
BUREAU_KINDS = ("sub_bureau", "district")


@dataclass(frozen=True)
class EnterpriseCounts:
    complaints: int  # all its complaints received in the period (any office)
    at_bureau: int  # of those, handled by a sub-bureau or the district
    at_fault_bureau: int  # 有责任投诉 that reached a sub-bureau or the district
    at_fault_station: int  # 有责任投诉 settled at a station (do not count against it)
    refused_bureau: int  # mediations ended because a party refused (at a bureau)


def _span(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


class CreditQueries:
    def __init__(self, session: Session) -> None:
        self.s = session

    def enterprises(self) -> Sequence[m.Enterprise]:
        return self.s.scalars(select(m.Enterprise).order_by(m.Enterprise.name, m.Enterprise.id)).all()

    def counts(self, start: date, end: date,
               scope: AbstractSet[int] | None) -> dict[int, EnterpriseCounts]:
        """Per enterprise of the register: its complaints (投诉 only, not 举报 or 咨询)
        received from `start` to `end` within the scope."""
        c, o = m.Complaint, m.Office
        bureau = o.kind.in_(BUREAU_KINDS)
        fault = c.at_fault.is_(True)

        def count_if(condition: Any) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        since, until = _span(start, end)
        stmt = (
            select(c.enterprise_id, func.count(c.id), count_if(bureau),
                   count_if(and_(bureau, fault)), count_if(and_(~bureau, fault)),
                   count_if(and_(bureau, c.termination_ground == REFUSED_GROUND)))
            .join(o, o.id == c.office_id)
            .where(c.enterprise_id.is_not(None), c.kind == "complaint",
                   c.received_at >= since, c.received_at < until)
            .group_by(c.enterprise_id)
        )
        if scope is not None:
            stmt = stmt.where(c.office_id.in_(list(scope)))
        return {row[0]: EnterpriseCounts(*(int(x) for x in row[1:])) for row in self.s.execute(stmt)}

    def by_category(self, start: date, end: date, scope: AbstractSet[int] | None) -> dict[str, int]:
        c = m.Complaint
        since, until = _span(start, end)
        stmt = (select(c.category_code, func.count(c.id))
                .where(c.kind == "complaint", c.received_at >= since, c.received_at < until)
                .group_by(c.category_code))
        if scope is not None:
            stmt = stmt.where(c.office_id.in_(list(scope)))
        return {row[0]: int(row[1]) for row in self.s.execute(stmt)}

    def by_respondent(self, start: date, end: date,
                      scope: AbstractSet[int] | None) -> dict[str, int]:
        """Complaints per respondent, by the register's name when linked, else as typed."""
        c, e = m.Complaint, m.Enterprise
        since, until = _span(start, end)
        name = func.coalesce(e.name, c.respondent_name)
        stmt = (select(name, func.count(c.id)).outerjoin(e, e.id == c.enterprise_id)
                .where(c.kind == "complaint", c.received_at >= since, c.received_at < until,
                       c.respondent_name != "")
                .group_by(name))
        if scope is not None:
            stmt = stmt.where(c.office_id.in_(list(scope)))
        return {row[0]: int(row[1]) for row in self.s.execute(stmt)}
