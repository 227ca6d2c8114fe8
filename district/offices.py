"""The office tree: who is below whom, which decides every device's scope."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.sync.protocol import OfficeWire
from district.models import Office


@dataclass
class OfficeTree:
    offices: dict[str, OfficeWire]
    children: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for office in self.offices.values():
            if office.parent is not None:
                self.children.setdefault(office.parent, []).append(office.code)

    def __contains__(self, code: object) -> bool:
        return code in self.offices

    def name(self, code: str) -> str:
        office = self.offices.get(code)
        return office.name if office else code

    def scope(self, code: str) -> list[str]:
        """The office and every office below it."""
        out, todo = [], [code]
        while todo:
            current = todo.pop()
            if current in out:  # a loop in bad data must not hang the hub
                continue
            out.append(current)
            todo.extend(self.children.get(current, ()))
        return out

    def ancestors(self, code: str) -> list[str]:
        out: list[str] = []
        parent = self.offices[code].parent if code in self.offices else None
        while parent is not None and parent in self.offices and parent not in out:
            out.append(parent)
            parent = self.offices[parent].parent
        return out

    def root(self, code: str) -> str:
        ancestors = self.ancestors(code)
        return ancestors[-1] if ancestors else code

    def related(self, code: str) -> list[OfficeWire]:
        """What an enrolled device is told: its office, the ancestors and the descendants."""
        codes = list(reversed(self.ancestors(code))) + self.scope(code)
        return [self.offices[c] for c in codes]


def load_tree(session: Session) -> OfficeTree:
    rows = session.execute(select(Office.code, Office.name, Office.kind, Office.parent,
                                  Office.tier, Office.address, Office.phone)).all()
    return OfficeTree({r.code: OfficeWire(code=r.code, name=r.name, kind=r.kind, parent=r.parent,
                                          tier=r.tier, address=r.address, phone=r.phone)
                       for r in rows})
