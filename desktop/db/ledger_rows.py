"""The ledger's rows for a spreadsheet: only the columns it shows, in keyset pages, oldest first."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, tuple_
from sqlalchemy.orm import Session

from desktop.db import models as m
from desktop.db.batches import slices
from desktop.db.repositories import ComplaintRepository, dispatched_part
from desktop.domain.complaint import ComplaintFilter

_c = m.Complaint
# What an exported ledger line needs: its catalogued columns, and who may see the person.
COLUMNS = (
    _c.id, _c.number, _c.kind, _c.received_at, _c.status, _c.due_on, _c.respondent_name,
    _c.subject, _c.category_code, _c.complainant_name, _c.complainant_phone, _c.channel_code,
    _c.office_id, _c.handler_id, _c.registered_by_id, _c.district_number, _c.closed_on,
    _c.result, _c.recovered_cents, _c.at_fault, _c.import_kind,
)


class LedgerRows:
    """Reads for the ledger export; the list filter is the ledger view's own
    (ComplaintRepository._filtered), so the workbook holds what the window shows."""

    def __init__(self, session: Session) -> None:
        self.s = session
        self._complaints = ComplaintRepository(session)

    def _part(self, f: ComplaintFilter, scope: AbstractSet[int] | None, dispatched: bool) -> Any:
        stmt = self._complaints._filtered(select(*COLUMNS), f, set(scope) if scope is not None else None)
        return stmt.where(dispatched_part(dispatched))

    def count(self, f: ComplaintFilter, scope: AbstractSet[int] | None, dispatched: bool) -> int:
        inner = self._part(f, scope, dispatched).with_only_columns(_c.id)
        return self.s.scalar(select(func.count()).select_from(inner.subquery())) or 0

    def page(self, f: ComplaintFilter, scope: AbstractSet[int] | None, dispatched: bool,
             after: tuple[datetime, int] | None, limit: int) -> Sequence[Row[Any]]:
        """The next `limit` rows after `after` (received time, id), oldest first."""
        stmt = self._part(f, scope, dispatched)
        if after is not None:
            stmt = stmt.where(tuple_(_c.received_at, _c.id) > tuple_(*after))
        return self.s.execute(stmt.order_by(_c.received_at, _c.id).limit(limit)).all()

    def by_ids(self, ids: Sequence[int], scope: AbstractSet[int] | None) -> list[Row[Any]]:
        """These complaints (those in scope), oldest first: a selection of the ledger's rows."""
        out: list[Row[Any]] = []
        for part in slices(list(ids)):
            stmt = select(*COLUMNS).where(_c.id.in_(part))
            if scope is not None:
                stmt = stmt.where(_c.office_id.in_(list(scope)))
            out += self.s.execute(stmt).all()
        return sorted(out, key=lambda r: (r.received_at, r.id))

    def names(self) -> tuple[dict[int, str], dict[int, str]]:
        """Office names and user display names by id (a ledger names the same few)."""
        offices = dict(tuple(r) for r in self.s.execute(select(m.Office.id, m.Office.name)))
        users = dict(tuple(r) for r in self.s.execute(select(m.User.id, m.User.display_name)))
        return offices, users
