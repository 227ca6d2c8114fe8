"""The complaint workflow as an explicit state machine: statuses, actions, guards, roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desktop.domain.errors import TransitionError


class Status(StrEnum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MEDIATING = "mediating"
    SETTLED = "settled"
    TERMINATED = "terminated"
    TRANSFERRED = "transferred"
    CASE_OPENED = "case_opened"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self is not Status.CLOSED


STATUS_LABELS: Mapping[Status, str] = {
    Status.REGISTERED: "登记",
    Status.ACCEPTED: "已受理",
    Status.REJECTED: "不予受理",
    Status.MEDIATING: "调解中",
    Status.SETTLED: "调解成功",
    Status.TERMINATED: "终止调解",
    Status.TRANSFERRED: "转办",
    Status.CASE_OPENED: "诉转案",
    Status.CLOSED: "办结",
}


class Action(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    START_MEDIATION = "start_mediation"
    SETTLE = "settle"
    TERMINATE = "terminate"
    TRANSFER = "transfer"
    OPEN_CASE = "open_case"
    CLOSE = "close"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: Mapping[Action, str] = {
    Action.ACCEPT: "受理",
    Action.REJECT: "不予受理",
    Action.START_MEDIATION: "开始调解",
    Action.SETTLE: "调解成功",
    Action.TERMINATE: "终止调解",
    Action.TRANSFER: "转办",
    Action.OPEN_CASE: "诉转案",
    Action.CLOSE: "办结",
    Action.REOPEN: "重新办理",
}


class Role(StrEnum):
    CLERK = "clerk"
    STATION_HEAD = "station_head"
    DESK_STAFF = "desk_staff"
    CONSUMER_PROTECTION = "consumer_protection"
    DEPARTMENT_HEAD = "department_head"
    DEPUTY_DIRECTOR = "deputy_director"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: Mapping[Role, str] = {
    Role.CLERK: "投诉站登记员",
    Role.STATION_HEAD: "站长",
    Role.DESK_STAFF: "分局窗口人员",
    Role.CONSUMER_PROTECTION: "消保科",
    Role.DEPARTMENT_HEAD: "部门负责人",
    Role.DEPUTY_DIRECTOR: "分管局长",
    Role.ADMIN: "系统管理员",
}

# People who handle complaints day to day (register, mediate, close).
HANDLERS = frozenset({Role.CLERK, Role.STATION_HEAD, Role.DESK_STAFF})


class Result(StrEnum):
    """The closing result recorded on 办结 (domain guide, "Closing records")."""

    SETTLED = "settled"
    NOT_SETTLED = "not_settled"
    TERMINATED = "terminated"
    REJECTED = "rejected"
    TRANSFERRED = "transferred"

    @property
    def label(self) -> str:
        return RESULT_LABELS[self]


RESULT_LABELS: Mapping[Result, str] = {
    Result.SETTLED: "调解成功",
    Result.NOT_SETTLED: "调解不成",
    Result.TERMINATED: "终止调解",
    Result.REJECTED: "不予受理",
    Result.TRANSFERRED: "转办/移送",
}


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    # Keys of the context that must be present and non-empty, with their Chinese labels.
    requires: tuple[tuple[str, str], ...] = ()


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.ACCEPT, frozenset({Status.REGISTERED}), Status.ACCEPTED, HANDLERS),
    Transition(
        Action.REJECT,
        frozenset({Status.REGISTERED}),
        Status.REJECTED,
        HANDLERS,
        (("ground", "不予受理依据"),),
    ),
    Transition(
        Action.START_MEDIATION, frozenset({Status.ACCEPTED}), Status.MEDIATING, HANDLERS
    ),
    Transition(
        Action.SETTLE,
        frozenset({Status.ACCEPTED, Status.MEDIATING}),
        Status.SETTLED,
        HANDLERS,
        (("terms", "调解协议内容"),),
    ),
    Transition(
        Action.TERMINATE,
        frozenset({Status.ACCEPTED, Status.MEDIATING}),
        Status.TERMINATED,
        HANDLERS,
        (("ground", "终止调解依据"),),
    ),
    # 转办: hand over to the office that has jurisdiction, before or after acceptance.
    Transition(
        Action.TRANSFER,
        frozenset({Status.REGISTERED, Status.ACCEPTED, Status.MEDIATING}),
        Status.TRANSFERRED,
        HANDLERS,
        (("target", "转办单位"),),
    ),
    # 诉转案: only a sub-bureau can open an enforcement case; a station transfers instead.
    Transition(
        Action.OPEN_CASE,
        frozenset({Status.ACCEPTED, Status.MEDIATING}),
        Status.CASE_OPENED,
        frozenset({Role.DESK_STAFF}),
        (("note", "立案线索说明"),),
    ),
    Transition(
        Action.CLOSE,
        frozenset(
            {
                Status.REJECTED,
                Status.SETTLED,
                Status.TERMINATED,
                Status.TRANSFERRED,
                Status.CASE_OPENED,
            }
        ),
        Status.CLOSED,
        HANDLERS,
        (("result", "办结结果"),),
    ),
    # Reopening is a supervisor's decision; where it returns to depends on acceptance.
    Transition(
        Action.REOPEN,
        frozenset({Status.CLOSED}),
        Status.MEDIATING,
        frozenset({Role.STATION_HEAD, Role.DEPARTMENT_HEAD, Role.DEPUTY_DIRECTOR}),
        (("reason", "重新办理理由"),),
    ),
)

_BY_ACTION: Mapping[Action, Transition] = {t.action: t for t in TRANSITIONS}

# Which result a closing must carry, given the status it closes from.
ALLOWED_RESULTS: Mapping[Status, frozenset[Result]] = {
    Status.REJECTED: frozenset({Result.REJECTED}),
    Status.SETTLED: frozenset({Result.SETTLED}),
    Status.TERMINATED: frozenset({Result.TERMINATED, Result.NOT_SETTLED}),
    Status.TRANSFERRED: frozenset({Result.TRANSFERRED}),
    Status.CASE_OPENED: frozenset({Result.TRANSFERRED, Result.SETTLED, Result.NOT_SETTLED}),
}


def transition_for(action: Action) -> Transition:
    return _BY_ACTION[action]


def allowed_actions(status: Status, roles: frozenset[Role] | set[Role]) -> list[Action]:
    """The actions a user with these roles may take on a complaint in this status."""
    return [t.action for t in TRANSITIONS if status in t.sources and t.roles & set(roles)]


def fire(
    status: Status,
    action: Action,
    context: Mapping[str, Any] | None = None,
    *,
    roles: frozenset[Role] | set[Role] | None = None,
    was_accepted: bool = True,
) -> Status:
    """Check a transition and return the new status, or raise TransitionError naming the states.

    `roles=None` skips the role check (used when replaying history that was already checked).
    `was_accepted` decides where a reopened complaint returns: to mediation if it had been
    accepted, otherwise back to 登记 for a fresh acceptance decision.
    """
    context = context or {}
    transition = _BY_ACTION[action]
    if status not in transition.sources:
        allowed = "、".join(s.label for s in Status if s in transition.sources)
        raise TransitionError(
            f"当前状态「{status.label}」不能执行「{action.label}」"
            f"（只能从「{allowed}」执行，目标状态为「{transition.target.label}」）"
        )
    if roles is not None and not (transition.roles & set(roles)):
        who = "、".join(r.label for r in Role if r in transition.roles)
        raise TransitionError(f"「{action.label}」只能由{who}执行")
    missing = [label for key, label in transition.requires if not present(context.get(key))]
    if missing:
        raise TransitionError(
            f"「{action.label}」（{status.label} → {transition.target.label}）需要填写：{'、'.join(missing)}"
        )
    if action is Action.CLOSE:
        result = Result(context["result"])
        if result not in ALLOWED_RESULTS[status]:
            ok = "、".join(r.label for r in Result if r in ALLOWED_RESULTS[status])
            raise TransitionError(
                f"从「{status.label}」办结时，办结结果只能是：{ok}（填写的是「{result.label}」）"
            )
    if action is Action.REOPEN and not was_accepted:
        return Status.REGISTERED
    return transition.target


def present(value: Any) -> bool:
    """Whether a field a step requires holds something (blank text does not count)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True
