"""What the history import reads and writes besides complaints' own columns: the records earlier
imports made (by their identity), numbers for a day handed out in one go, and the names rows
refer to. SQL for services/history_import.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.db import models as m
from desktop.db.batches import slices
from desktop.db.repositories import ComplaintRepository
from desktop.domain.numbering import format_number, parse_number, slot_range


class HistoryImportRows:
    def __init__(self, session: Session) -> None:
        self.s = session

    # By import_key alone, the office compared here: with office_id in the WHERE, SQLite walks
    # the office's whole ledger for each slice of keys (ix_complaints_office_received) instead
    # of the partial index on import_key (a re-import of 50,000 rows: 3.5 s against 0.1 s).

    def by_keys(self, office_id: int, keys: Iterable[str]) -> dict[str, m.Complaint]:
        """The office's complaints an earlier import made, by their identity (import_key)."""
        out: dict[str, m.Complaint] = {}
        for part in slices(sorted(set(keys))):
            for c in self.s.scalars(select(m.Complaint).where(
                    m.Complaint.import_key.in_(part), m.Complaint.import_key.is_not(None))):
                if c.import_key is not None and c.office_id == office_id:
                    out[c.import_key] = c
        return out

    def hashes_by_keys(self, office_id: int, keys: Iterable[str]) -> dict[str, str | None]:
        """Identity → content hash of what the last import wrote (the preview reads only these)."""
        out: dict[str, str | None] = {}
        c = m.Complaint
        for part in slices(sorted(set(keys))):
            for key, digest, office in self.s.execute(
                    select(c.import_key, c.import_hash, c.office_id).where(
                        c.import_key.in_(part), c.import_key.is_not(None))):
                if office == office_id:
                    out[key] = digest
        return out

    def free_numbers(self, office_id: int, office_code: str, day: date, count: int) -> list[str]:
        """Up to `count` unused numbers of the office's day in this PC's block, in order, the
        day's counter moved past them (inside the import's transaction, under the writer's lock)."""
        repo = ComplaintRepository(self.s)
        block = slot_range(repo.number_slot())
        prefix = f"{office_code}-{day:%Y%m%d}-"
        # A range on the unique index of numbers ("." follows "-"): LIKE 'prefix%' would read
        # every complaint once for each day imported.
        held = {parsed.sequence for number in self.s.scalars(
                    select(m.Complaint.number).where(m.Complaint.number >= prefix,
                                                     m.Complaint.number < prefix[:-1] + "."))
                if (parsed := parse_number(number)) is not None}
        row = repo._sequence(office_id, day)
        start = max([block.start, *(s + 1 for s in held if s in block)]
                    + ([row.last + 1] if row.last in block else []))
        out = []
        for sequence in range(start, block.stop):
            if len(out) == count:
                break
            if sequence not in held:
                out.append(format_number(office_code, day, sequence))
                row.last = max(row.last, sequence)
        return out

    def category_labels(self) -> dict[str, str]:
        return {i.label: i.code for i in self.s.scalars(
            select(m.CodeItem).where(m.CodeItem.kind == "category"))}

    def user_names(self, office_ids: Sequence[int] | None) -> dict[str, int]:
        """Display name → id of the active users of these offices (None: all)."""
        stmt = select(m.User.display_name, m.User.id).where(m.User.active.is_(True))
        if office_ids is not None:
            stmt = stmt.where(m.User.office_id.in_(office_ids))
        return {name: user_id for name, user_id in self.s.execute(stmt.order_by(m.User.id))}
