"""Complaint numbers are unique across the district: which complaint holds each number.

Two offices cannot hand out the same number by their own numbering (each number starts with
the office's code), but an office restored from a backup taken before its last registrations
numbers again from where the backup stood. The hub keeps number → complaint, refuses a second
holder, and the office's program gives its complaint a new number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from district import store
from district.models import ComplaintNumber

NUMBER_FIELD = "number"


class Numbers:
    """The holders of the numbers one transaction touches, changed in memory, written once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.loaded: dict[str, str | None] = {}
        self.held: dict[str, str | None] = {}

    def load(self, numbers: Iterable[str]) -> None:
        wanted = [n for n in set(numbers) if n not in self.loaded]
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            found = dict(self.session.execute(
                select(ComplaintNumber.number, ComplaintNumber.uuid)
                .where(store.one_of(self.session, ComplaintNumber.number, part))).all())
            for number in part:
                self.loaded[number] = self.held[number] = found.get(number)

    def holder(self, number: str) -> str | None:
        if number not in self.held:
            self.load([number])
        return self.held[number]

    def taken(self, number: str, uuid: str) -> bool:
        """Whether another complaint holds this number."""
        holder = self.holder(number)
        return holder is not None and holder != uuid

    def claim(self, number: str, uuid: str) -> None:
        self.holder(number)
        self.held[number] = uuid

    def release(self, number: object, uuid: str) -> None:
        if isinstance(number, str) and self.holder(number) == uuid:
            self.held[number] = None

    def write(self, now: datetime) -> None:
        gone = [n for n, u in self.held.items() if u != self.loaded[n] and self.loaded[n]]
        for number in gone:
            self.session.execute(delete(ComplaintNumber).where(ComplaintNumber.number == number))
        fresh = [{"number": n, "uuid": u, "at": now} for n, u in self.held.items()
                 if u is not None and u != self.loaded[n]]
        store.bulk_insert(self.session, ComplaintNumber.__table__, fresh)
        self.loaded.update(self.held)
