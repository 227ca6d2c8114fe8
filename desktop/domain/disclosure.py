"""The monthly complaint disclosure 消费投诉公示 (seed 002): what a list and a request may do
next, who may do it, and the published summary of a complaint.

A month's list goes draft → submitted → approved by the department head → approved by the
deputy director → published. A refusal (or the section withdrawing it) returns it to draft in a
new round: once submitted the rows are frozen, and changing them means starting over, so every
approval is an approval of exactly what the approver saw.

Requests — a handling office's objection 不予公示 to one row, or a correction 更正 of a
published row — go pending → approved by the department head → approved by the deputy
director, or are refused at either level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from desktop.domain.errors import TransitionError
from desktop.domain.masking import mask
from desktop.domain.workflow import HANDLERS, Role

PUBLIC_LENGTH = 150  # characters of 投诉内容 on the sheet and the website
CONTENT_LIMIT = 500  # what the section may write by hand


class ListStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    DEPT_APPROVED = "dept_approved"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return LIST_LABELS[self]

    @property
    def frozen(self) -> bool:
        return self is not ListStatus.DRAFT


LIST_LABELS: Mapping[ListStatus, str] = {
    ListStatus.DRAFT: "草稿",
    ListStatus.SUBMITTED: "待部门负责人审批",
    ListStatus.DEPT_APPROVED: "待分管局长审批",
    ListStatus.APPROVED: "已审批，待发布",
    ListStatus.PUBLISHED: "已发布",
}


class RequestKind(StrEnum):
    OBJECTION = "objection"
    CORRECTION = "correction"

    @property
    def label(self) -> str:
        return "不予公示" if self is RequestKind.OBJECTION else "更正"


class RequestStatus(StrEnum):
    PENDING = "pending"
    DEPT_APPROVED = "dept_approved"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return REQUEST_LABELS[self]

    @property
    def open(self) -> bool:
        return self in (RequestStatus.PENDING, RequestStatus.DEPT_APPROVED)


REQUEST_LABELS: Mapping[RequestStatus, str] = {
    RequestStatus.PENDING: "待部门负责人审批",
    RequestStatus.DEPT_APPROVED: "待分管局长审批",
    RequestStatus.APPROVED: "已批准",
    RequestStatus.REFUSED: "未批准",
    RequestStatus.WITHDRAWN: "已撤回",
}


class Step(StrEnum):
    """One line of a list's or a request's history (the decisions table)."""

    BUILD = "build"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    DEPARTMENT_HEAD = "department_head"
    DEPUTY_DIRECTOR = "deputy_director"
    PUBLISH = "publish"
    FILE = "file"

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


STEP_LABELS: Mapping[Step, str] = {
    Step.BUILD: "生成清单",
    Step.SUBMIT: "提交审批",
    Step.WITHDRAW: "撤回",
    Step.DEPARTMENT_HEAD: "部门负责人审批",
    Step.DEPUTY_DIRECTOR: "分管局长审批",
    Step.PUBLISH: "发布",
    Step.FILE: "提出申请",
}

# Who does what. The section (消保科) builds, edits, submits, publishes and files corrections;
# the handling offices file objections to their own complaints.
SECTION = frozenset({Role.CONSUMER_PROTECTION})
OBJECTORS = HANDLERS | SECTION


@dataclass(frozen=True)
class Approval:
    """The approval a status waits for: the step, the role that gives it, what follows."""

    step: Step
    role: Role
    approved: str  # the status after approval


_LIST_APPROVALS: Mapping[ListStatus, Approval] = {
    ListStatus.SUBMITTED: Approval(Step.DEPARTMENT_HEAD, Role.DEPARTMENT_HEAD,
                                   ListStatus.DEPT_APPROVED),
    ListStatus.DEPT_APPROVED: Approval(Step.DEPUTY_DIRECTOR, Role.DEPUTY_DIRECTOR,
                                       ListStatus.APPROVED),
}
_REQUEST_APPROVALS: Mapping[RequestStatus, Approval] = {
    RequestStatus.PENDING: Approval(Step.DEPARTMENT_HEAD, Role.DEPARTMENT_HEAD,
                                    RequestStatus.DEPT_APPROVED),
    RequestStatus.DEPT_APPROVED: Approval(Step.DEPUTY_DIRECTOR, Role.DEPUTY_DIRECTOR,
                                          RequestStatus.APPROVED),
}


def list_approval(status: ListStatus) -> Approval:
    """The approval a list in `status` waits for; TransitionError when it waits for none."""
    approval = _LIST_APPROVALS.get(status)
    if approval is None:
        raise TransitionError(f"公示清单当前为「{status.label}」，没有待审批的事项")
    return approval


def request_approval(status: RequestStatus) -> Approval:
    approval = _REQUEST_APPROVALS.get(status)
    if approval is None:
        raise TransitionError(f"该申请当前为「{status.label}」，没有待审批的事项")
    return approval


def waiting_for(status: ListStatus | RequestStatus) -> Role | None:
    """The role whose approval the list or request waits for, if any."""
    table: Mapping = _LIST_APPROVALS if isinstance(status, ListStatus) else _REQUEST_APPROVALS
    approval = table.get(status)
    return approval.role if approval else None


def summary(subject: str, facts: str, names: Iterable[str] = (), limit: int = PUBLIC_LENGTH) -> str:
    """投诉内容 as proposed for publication: the subject and the facts with personal information
    masked (see masking.mask), whitespace folded, cut to `limit` characters."""
    text = " ".join(f"{subject}：{facts}".split())
    return shorten(mask(text, names), limit)


def shorten(text: str, limit: int = PUBLIC_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def public_text(text: str, names: Iterable[str] = (), limit: int = PUBLIC_LENGTH) -> str:
    """Any text fit for publication: masked, whitespace folded, shortened."""
    return shorten(mask(" ".join(text.split()), names), limit)
