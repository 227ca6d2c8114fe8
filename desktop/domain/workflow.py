"""The complaint workflow as an explicit state machine: statuses, actions, guards, roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desktop.domain.errors import TransitionError


class Intake(StrEnum):
    """What came in (2026 rules): a 投诉 (a consumer's dispute, mediated), a 举报 (a report of a
    suspected violation: checked whether to open a case) or a 咨询 (a question, answered on the
    spot, no clock). The ledger (投诉举报台账) holds all three."""

    COMPLAINT = "complaint"
    REPORT = "report"
    CONSULTATION = "consultation"

    @property
    def label(self) -> str:
        return {"complaint": "投诉", "report": "举报", "consultation": "咨询"}[self.value]


ALL_INTAKES = frozenset(Intake)
COMPLAINT_ONLY = frozenset({Intake.COMPLAINT})
REPORT_ONLY = frozenset({Intake.REPORT})


class Status(StrEnum):
    REGISTERED = "registered"
    ID_PENDING = "id_pending"  # waiting for proof of identity by a date (限期提供身份证明材料)
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MEDIATING = "mediating"
    DELEGATED = "delegated"  # mediation entrusted to a consumer association or another body
    SETTLED = "settled"
    TERMINATED = "terminated"
    TRANSFERRED = "transferred"
    CASE_OPENED = "case_opened"
    FILED = "filed"  # a 举报 on which a case was opened (立案)
    NOT_FILED = "not_filed"  # a 举报 on which no case was opened (不予立案)
    MERGED = "merged"  # a repeat 举报 merged into the earlier one (并案): not handled twice
    ANSWERED = "answered"  # a 咨询 answered
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in FINISHED


# Nothing more happens to these (a merged report lives on in the one it was merged into).
FINISHED = frozenset({Status.CLOSED, Status.MERGED, Status.ANSWERED})


STATUS_LABELS: Mapping[Status, str] = {
    Status.REGISTERED: "登记",
    Status.ID_PENDING: "待补身份证明",
    Status.ACCEPTED: "已受理",
    Status.REJECTED: "不予受理",
    Status.MEDIATING: "调解中",
    Status.DELEGATED: "委托调解中",
    Status.SETTLED: "调解成功",
    Status.TERMINATED: "终止调解",
    Status.TRANSFERRED: "转办",
    Status.CASE_OPENED: "诉转案",
    Status.FILED: "已立案",
    Status.NOT_FILED: "不予立案",
    Status.MERGED: "已并案",
    Status.ANSWERED: "已解答",
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
    REQUEST_ID_PROOF = "request_id_proof"
    ID_PROOF_RECEIVED = "id_proof_received"
    DELEGATE = "delegate"
    FILE_CASE = "file_case"
    DECLINE_CASE = "decline_case"
    MERGE = "merge"
    ANSWER = "answer"

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
    Action.REQUEST_ID_PROOF: "限期提供身份证明",
    Action.ID_PROOF_RECEIVED: "收到身份证明",
    Action.DELEGATE: "委托调解",
    Action.FILE_CASE: "立案",
    Action.DECLINE_CASE: "不予立案",
    Action.MERGE: "并案",
    Action.ANSWER: "解答",
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
    CASE_FILED = "case_filed"  # a 举报: a case was opened
    CASE_NOT_FILED = "case_not_filed"  # a 举报: no case

    @property
    def label(self) -> str:
        return RESULT_LABELS[self]


RESULT_LABELS: Mapping[Result, str] = {
    Result.SETTLED: "调解成功",
    Result.NOT_SETTLED: "调解不成",
    Result.TERMINATED: "终止调解",
    Result.REJECTED: "不予受理",
    Result.TRANSFERRED: "转办/移送",
    Result.CASE_FILED: "立案查处",
    Result.CASE_NOT_FILED: "不予立案",
}


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    # Keys of the context that must be present and non-empty, with their Chinese labels.
    requires: tuple[tuple[str, str], ...] = ()
    # What it may be taken on: a 举报 is not accepted or mediated, a 咨询 only answered.
    intakes: frozenset[Intake] = COMPLAINT_ONLY


# Who decides on a 举报 (立案 or not): a sub-bureau; stations neither register nor receive one.
CASE_DECIDERS = frozenset({Role.DESK_STAFF})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.ACCEPT, frozenset({Status.REGISTERED}), Status.ACCEPTED, HANDLERS),
    Transition(
        Action.REJECT,
        frozenset({Status.REGISTERED, Status.ID_PENDING}),
        Status.REJECTED,
        HANDLERS,
        (("ground", "不予受理依据"),),
    ),
    # 限期提供身份证明材料: the acceptance decision waits for the proof, until a date.
    Transition(
        Action.REQUEST_ID_PROOF,
        frozenset({Status.REGISTERED}),
        Status.ID_PENDING,
        HANDLERS,
        (("due", "提供期限"),),
    ),
    Transition(
        Action.ID_PROOF_RECEIVED, frozenset({Status.ID_PENDING}), Status.REGISTERED, HANDLERS
    ),
    Transition(
        Action.START_MEDIATION, frozenset({Status.ACCEPTED}), Status.MEDIATING, HANDLERS
    ),
    # 委托调解: a consumer association or another mediation body mediates; its result returns
    # as 调解成功 or 终止调解, within the same mediation time limit.
    Transition(
        Action.DELEGATE,
        frozenset({Status.ACCEPTED, Status.MEDIATING}),
        Status.DELEGATED,
        HANDLERS,
        (("to", "受委托调解组织"),),
    ),
    Transition(
        Action.SETTLE,
        frozenset({Status.ACCEPTED, Status.MEDIATING, Status.DELEGATED}),
        Status.SETTLED,
        HANDLERS,
        (("terms", "调解协议内容"),),
    ),
    Transition(
        Action.TERMINATE,
        frozenset({Status.ACCEPTED, Status.MEDIATING, Status.DELEGATED}),
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
        ALL_INTAKES - {Intake.CONSULTATION},
    ),
    # 诉转案: only a sub-bureau can open an enforcement case; a station transfers instead.
    # The service registers a linked 举报 that follows its own path (立案 or not).
    Transition(
        Action.OPEN_CASE,
        frozenset({Status.ACCEPTED, Status.MEDIATING}),
        Status.CASE_OPENED,
        frozenset({Role.DESK_STAFF}),
        (("note", "立案线索说明"),),
    ),
    # A 举报: checked within 15 working days of receipt whether to open a case.
    Transition(
        Action.FILE_CASE, frozenset({Status.REGISTERED}), Status.FILED, CASE_DECIDERS,
        (("note", "立案说明"),), REPORT_ONLY,
    ),
    Transition(
        Action.DECLINE_CASE, frozenset({Status.REGISTERED}), Status.NOT_FILED, CASE_DECIDERS,
        (("note", "不予立案理由"),), REPORT_ONLY,
    ),
    # A repeat report of the same matter is merged into the earlier one (并案), not handled twice.
    Transition(
        Action.MERGE, frozenset({Status.REGISTERED}), Status.MERGED, CASE_DECIDERS,
        (("target", "并入的举报"),), REPORT_ONLY,
    ),
    # A 咨询 is answered on the spot.
    Transition(
        Action.ANSWER, frozenset({Status.REGISTERED}), Status.ANSWERED, HANDLERS,
        (("answer", "解答内容"),), frozenset({Intake.CONSULTATION}),
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
                Status.FILED,
                Status.NOT_FILED,
            }
        ),
        Status.CLOSED,
        HANDLERS,
        (("result", "办结结果"),),
        ALL_INTAKES - {Intake.CONSULTATION},
    ),
    # Reopening is a supervisor's decision; where it returns to depends on acceptance.
    Transition(
        Action.REOPEN,
        frozenset({Status.CLOSED}),
        Status.MEDIATING,
        frozenset({Role.STATION_HEAD, Role.DEPARTMENT_HEAD, Role.DEPUTY_DIRECTOR}),
        (("reason", "重新办理理由"),),
        ALL_INTAKES - {Intake.CONSULTATION},
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
    Status.FILED: frozenset({Result.CASE_FILED}),
    Status.NOT_FILED: frozenset({Result.CASE_NOT_FILED}),
}


def transition_for(action: Action) -> Transition:
    return _BY_ACTION[action]


def allowed_actions(status: Status, roles: frozenset[Role] | set[Role],
                    intake: Intake = Intake.COMPLAINT) -> list[Action]:
    """The actions a user with these roles may take on an item of this kind in this status."""
    return [t.action for t in TRANSITIONS
            if status in t.sources and t.roles & set(roles) and intake in t.intakes]


def fire(
    status: Status,
    action: Action,
    context: Mapping[str, Any] | None = None,
    *,
    roles: frozenset[Role] | set[Role] | None = None,
    was_accepted: bool = True,
    intake: Intake = Intake.COMPLAINT,
) -> Status:
    """Check a transition and return the new status, or raise TransitionError naming the states.

    `roles=None` skips the role check (used when replaying history that was already checked).
    `was_accepted` decides where a reopened complaint returns: to mediation if it had been
    accepted, otherwise back to 登记 for a fresh acceptance decision.
    """
    context = context or {}
    transition = _BY_ACTION[action]
    if intake not in transition.intakes:
        can = "、".join(i.label for i in Intake if i in transition.intakes)
        raise TransitionError(f"{intake.label}不能执行「{action.label}」（只适用于{can}）")
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
