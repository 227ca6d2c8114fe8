"""Which steps of the monthly disclosure a user may take now, from the list's state, the row or
request chosen and the user's roles: the 公示 page shows only these (as the complaint window
shows a complaint's `allowed_actions`); the service checks the same rules when a step is taken."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.disclosure import OBJECTORS, SECTION, ListStatus, RequestKind, RequestStatus
from desktop.domain.workflow import Role
from desktop.services.disclosure_info import EntryInfo, Overview, RequestInfo
from desktop.services.dto import CurrentUser

# Why a draft cannot be submitted yet (ListActions.submit_blocked).
OPEN_REQUESTS = "open_requests"  # an objection or correction is still being decided
CANDIDATES_CHANGED = "candidates_changed"  # complaints closed or reopened since it was built


@dataclass(frozen=True)
class ListActions:
    """The month's list: what is offered, and what the chosen row allows."""

    build: bool  # 生成 / 重新生成
    submit: bool
    submit_blocked: str  # "" or OPEN_REQUESTS / CANDIDATES_CHANGED: offered, not yet possible
    withdraw: bool
    decide: bool  # approve or refuse, at the step the list waits for
    publish: bool
    export: bool
    print: bool
    edit: bool  # editing a row's text (and restoring the proposed one) is offered
    object: bool  # 不予公示 is offered
    correct: bool  # 更正 is offered
    entry_live: bool  # the chosen row can be edited, objected to or corrected
    entry_edited: bool  # the chosen row's text was edited by hand (restore is possible)


@dataclass(frozen=True)
class RequestActions:
    decide: bool  # agree or disagree, at the step the request waits for
    take_back: bool
    reply: bool  # print the reply to a correction


def list_actions(user: CurrentUser, ov: Overview | None, entry: EntryInfo | None) -> ListActions:
    section = user.has(*SECTION)
    lst = ov.list if ov else None
    status = lst.status if lst else None
    draft = status is ListStatus.DRAFT
    blocked = ""
    if ov is not None and draft:
        if any(r.status.open for r in ov.requests):
            blocked = OPEN_REQUESTS
        elif ov.candidates_changed:
            blocked = CANDIDATES_CHANGED
    waiting = lst.waiting_for if lst else None
    live = entry is not None and not entry.excluded and not entry.open_request
    return ListActions(
        build=section and (lst is None or draft),
        submit=section and draft,
        submit_blocked=blocked,
        withdraw=section and status in (ListStatus.SUBMITTED, ListStatus.DEPT_APPROVED),
        decide=waiting is not None and user.has(waiting),
        publish=section and status is ListStatus.APPROVED,
        export=status is ListStatus.PUBLISHED
        and user.has(*SECTION, Role.DEPARTMENT_HEAD, Role.DEPUTY_DIRECTOR),
        print=lst is not None,
        edit=section and draft,
        object=user.has(*OBJECTORS) and draft,
        correct=section and status is ListStatus.PUBLISHED,
        entry_live=live,
        entry_edited=live and entry is not None and entry.edited,
    )


def request_actions(user: CurrentUser, q: RequestInfo | None) -> RequestActions:
    if q is None:
        return RequestActions(decide=False, take_back=False, reply=False)
    return RequestActions(
        decide=q.waiting_for is not None and user.has(q.waiting_for),
        take_back=q.status.open and (user.has(*SECTION) or q.filed_by == user.display_name),
        reply=q.kind is RequestKind.CORRECTION
        and q.status in (RequestStatus.APPROVED, RequestStatus.REFUSED),
    )
