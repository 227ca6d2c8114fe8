"""What DisclosureService hands out: frozen values for the 公示 page, the printed sheets and
the command line (no ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from desktop.domain.disclosure import ListStatus, RequestKind, RequestStatus, Step
from desktop.domain.workflow import Role
from desktop.exports.data import EnterpriseLine
from desktop.services.dto import Changed


@dataclass(frozen=True)
class DecisionInfo:
    step: Step
    approve: bool
    note: str
    by: str
    at: datetime
    round: int

    @property
    def text(self) -> str:
        verdict = {Step.DEPARTMENT_HEAD: "同意" if self.approve else "退回",
                   Step.DEPUTY_DIRECTOR: "同意" if self.approve else "退回"}.get(self.step, "")
        line = f"{self.at:%Y-%m-%d %H:%M} {self.by} {self.step.label}{verdict}"
        return f"{line}：{self.note}" if self.note else line


@dataclass(frozen=True)
class EntryInfo:
    id: int
    seq: int
    complaint_id: int
    number: str
    received_at: datetime
    respondent: str
    office: str  # the handling office 承办单位
    content: str
    proposed_content: str
    success: bool
    excluded: bool
    corrected_on: date | None
    open_request: str  # "不予公示申请待审批", "更正待审批" or ""
    state: str  # 公示 / 不予公示 / 已不符合公示条件 / 已更正

    @property
    def edited(self) -> bool:
        return self.content != self.proposed_content


@dataclass(frozen=True)
class RequestInfo:
    id: int
    kind: RequestKind
    entry_id: int
    number: str
    respondent: str
    office: str
    status: RequestStatus
    reason: str
    new_content: str | None
    old_content: str | None
    requester: str
    requester_address: str
    filed_by: str
    filed_at: datetime
    decisions: tuple[DecisionInfo, ...]
    waiting_for: Role | None


@dataclass(frozen=True)
class ListInfo:
    id: int
    scope_office_id: int
    scope_name: str
    month: date
    status: ListStatus
    round: int
    revision: int
    channels: tuple[str, ...]
    decisions: tuple[DecisionInfo, ...]  # the whole history, oldest first
    waiting_for: Role | None

    def current(self, step: Step) -> DecisionInfo | None:
        """This round's decision of `step`, if any."""
        found = [d for d in self.decisions if d.round == self.round and d.step is step]
        return found[-1] if found else None

    @property
    def returned(self) -> DecisionInfo | None:
        """Why the list is back in draft: the last refusal or withdrawal, if it is."""
        if self.status is not ListStatus.DRAFT:
            return None
        back = [d for d in self.decisions if d.round == self.round - 1
                and (not d.approve or d.step is Step.WITHDRAW)]
        return back[-1] if back else None


@dataclass(frozen=True)
class Overview:
    """A month at a glance for one scope: the list (None if not built yet), the rows the user
    may see, the requests, and the per-enterprise figures."""

    scope_office_id: int
    scope_name: str
    month: date
    list: ListInfo | None
    entries: tuple[EntryInfo, ...]
    requests: tuple[RequestInfo, ...]
    enterprises: tuple[EnterpriseLine, ...]
    candidates_changed: bool  # complaints closed or reopened since the draft was built


@dataclass(frozen=True)
class MonthState:
    month: date
    status: ListStatus | None
    entries: int


@dataclass(frozen=True)
class ScopeChoice:
    office_id: int
    name: str


@dataclass(frozen=True)
class EditResult:
    changed: Changed
    masked: bool  # the text had personal information, which was hidden before saving
    content: str


