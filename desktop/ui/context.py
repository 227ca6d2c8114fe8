"""What every view is handed: the services, the executors, who is logged in, the lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desktop.bootstrap import Services
from desktop.services.dto import CodeInfo, CurrentUser, OfficeInfo, UserInfo
from desktop.ui.ops import Ops

# The grounds for not accepting and for terminating are worded by each rule set, not here.
CODE_KINDS = ("channel", "category", "request_type", "mediation_means", "id_type",
              "national_class")


@dataclass
class Lookups:
    """Code tables, offices and colleagues, read once after login and again when they change."""

    codes: dict[str, list[CodeInfo]] = field(default_factory=dict)
    offices: list[OfficeInfo] = field(default_factory=list)
    users: list[UserInfo] = field(default_factory=list)

    def label(self, kind: str, code: str | None) -> str:
        if not code:
            return ""
        for item in self.codes.get(kind, ()):
            if item.code == code:
                return item.label
        return code

    def active(self, kind: str) -> list[CodeInfo]:
        return [c for c in self.codes.get(kind, ()) if c.active]

    def office_name(self, office_id: int | None) -> str:
        return next((o.name for o in self.offices if o.id == office_id), "")

    def user_name(self, user_id: int | None) -> str:
        return next((u.display_name for u in self.users if u.id == user_id), "")


def load_lookups(services: Services, user: CurrentUser) -> Lookups:
    """Runs on the database worker."""
    return Lookups(
        codes={kind: services.reference.codes(kind, include_inactive=True) for kind in CODE_KINDS},
        offices=services.offices.all(),
        users=services.users.colleagues(user),
    )


@dataclass
class AppContext:
    """Built once per login by the application; views keep a reference, never a global."""

    services: Services
    ops: Ops
    user: CurrentUser
    lookups: Lookups
    data_dir: Path
    demo: bool = False
    # Notices already told in a dialog this session (the calendar not yet published, a rule set
    # to be confirmed): told once, then only the banner, the complaint header and the status line.
    told: set[str] = field(default_factory=set)

    def untold(self, notices: tuple[str, ...] | list[str]) -> list[str]:
        """Those of `notices` not yet told in a dialog this session; they count as told now."""
        new = [n for n in notices if n not in self.told]
        self.told.update(new)
        return new
