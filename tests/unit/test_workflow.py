"""The complaint state machine: every allowed and every forbidden transition, guards and roles."""

from __future__ import annotations

import itertools

import pytest

from desktop.domain.errors import TransitionError
from desktop.domain.workflow import (
    HANDLERS,
    TRANSITIONS,
    Action,
    Intake,
    Result,
    Role,
    Status,
    allowed_actions,
    fire,
)

# The whole table, written out independently of the code: (from, action) -> to.
EXPECTED = {
    (Status.REGISTERED, Action.ACCEPT): Status.ACCEPTED,
    (Status.REGISTERED, Action.REJECT): Status.REJECTED,
    (Status.REGISTERED, Action.TRANSFER): Status.TRANSFERRED,
    (Status.ACCEPTED, Action.START_MEDIATION): Status.MEDIATING,
    (Status.ACCEPTED, Action.SETTLE): Status.SETTLED,
    (Status.ACCEPTED, Action.TERMINATE): Status.TERMINATED,
    (Status.ACCEPTED, Action.TRANSFER): Status.TRANSFERRED,
    (Status.ACCEPTED, Action.OPEN_CASE): Status.CASE_OPENED,
    (Status.MEDIATING, Action.SETTLE): Status.SETTLED,
    (Status.MEDIATING, Action.TERMINATE): Status.TERMINATED,
    (Status.MEDIATING, Action.TRANSFER): Status.TRANSFERRED,
    (Status.MEDIATING, Action.OPEN_CASE): Status.CASE_OPENED,
    (Status.REJECTED, Action.CLOSE): Status.CLOSED,
    (Status.SETTLED, Action.CLOSE): Status.CLOSED,
    (Status.TERMINATED, Action.CLOSE): Status.CLOSED,
    (Status.TRANSFERRED, Action.CLOSE): Status.CLOSED,
    (Status.CASE_OPENED, Action.CLOSE): Status.CLOSED,
    (Status.CLOSED, Action.REOPEN): Status.MEDIATING,
    # 2026 rules: proof of identity by a date, delegated mediation
    (Status.REGISTERED, Action.REQUEST_ID_PROOF): Status.ID_PENDING,
    (Status.ID_PENDING, Action.ID_PROOF_RECEIVED): Status.REGISTERED,
    (Status.ID_PENDING, Action.REJECT): Status.REJECTED,
    (Status.ACCEPTED, Action.DELEGATE): Status.DELEGATED,
    (Status.MEDIATING, Action.DELEGATE): Status.DELEGATED,
    (Status.DELEGATED, Action.SETTLE): Status.SETTLED,
    (Status.DELEGATED, Action.TERMINATE): Status.TERMINATED,
    # One closing rule for both kinds: a 投诉 never reaches these statuses.
    (Status.FILED, Action.CLOSE): Status.CLOSED,
    (Status.NOT_FILED, Action.CLOSE): Status.CLOSED,
}
# A 举报: checked whether to open a case, merged when it repeats, transferred, closed, reopened.
REPORT_EXPECTED = {
    (Status.REGISTERED, Action.FILE_CASE): Status.FILED,
    (Status.REGISTERED, Action.DECLINE_CASE): Status.NOT_FILED,
    (Status.REGISTERED, Action.MERGE): Status.MERGED,
    (Status.REGISTERED, Action.TRANSFER): Status.TRANSFERRED,
    (Status.ACCEPTED, Action.TRANSFER): Status.TRANSFERRED,
    (Status.MEDIATING, Action.TRANSFER): Status.TRANSFERRED,
    (Status.FILED, Action.CLOSE): Status.CLOSED,
    (Status.NOT_FILED, Action.CLOSE): Status.CLOSED,
    (Status.REJECTED, Action.CLOSE): Status.CLOSED,
    (Status.SETTLED, Action.CLOSE): Status.CLOSED,
    (Status.TERMINATED, Action.CLOSE): Status.CLOSED,
    (Status.TRANSFERRED, Action.CLOSE): Status.CLOSED,
    (Status.CASE_OPENED, Action.CLOSE): Status.CLOSED,
    (Status.CLOSED, Action.REOPEN): Status.MEDIATING,
}
# A 咨询 is only answered.
CONSULTATION_EXPECTED = {(Status.REGISTERED, Action.ANSWER): Status.ANSWERED}
BY_INTAKE = {Intake.COMPLAINT: EXPECTED, Intake.REPORT: REPORT_EXPECTED,
             Intake.CONSULTATION: CONSULTATION_EXPECTED}

FULL_CONTEXT = {"ground": "no_agreement", "terms": "退款 100 元", "target": "吴江区局",
                "note": "涉嫌虚假宣传", "reason": "投诉人补充证据", "due": "2026-12-20",
                "to": "区消费者协会", "answer": "可向 12315 反映"}
RESULT_FOR = {Status.REJECTED: Result.REJECTED, Status.SETTLED: Result.SETTLED,
              Status.TERMINATED: Result.TERMINATED, Status.TRANSFERRED: Result.TRANSFERRED,
              Status.CASE_OPENED: Result.TRANSFERRED, Status.FILED: Result.CASE_FILED,
              Status.NOT_FILED: Result.CASE_NOT_FILED}
ALL_ROLES = frozenset(Role)
CASES = [(i, s, a) for i, table in BY_INTAKE.items() for s, a in sorted(table, key=str)]


def _context(status: Status, action: Action) -> dict:
    ctx = dict(FULL_CONTEXT)
    if action is Action.CLOSE:
        ctx["result"] = RESULT_FOR[status]
    return ctx


@pytest.mark.parametrize(("intake", "status", "action"), CASES)
def test_allowed_transition_reaches_its_target(intake: Intake, status: Status,
                                               action: Action) -> None:
    assert fire(status, action, _context(status, action), roles=ALL_ROLES,
                intake=intake) is BY_INTAKE[intake][(status, action)]


FORBIDDEN = [(i, s, a) for i in Intake for s, a in itertools.product(Status, Action)
             if (s, a) not in BY_INTAKE[i]]


@pytest.mark.parametrize(("intake", "status", "action"), FORBIDDEN,
                         ids=[f"{i}-{s}-{a}" for i, s, a in FORBIDDEN])
def test_forbidden_transition_names_the_states(intake: Intake, status: Status,
                                               action: Action) -> None:
    with pytest.raises(TransitionError) as err:
        fire(status, action, FULL_CONTEXT | {"result": Result.SETTLED}, roles=ALL_ROLES,
             intake=intake)
    assert action.label in str(err.value)
    # Either the kind of item cannot take the action at all, or not in this status.
    assert intake.label in str(err.value) or status.label in str(err.value)


def test_table_in_code_matches_the_written_table() -> None:
    for intake, table in BY_INTAKE.items():
        in_code = {(s, t.action): t.target for t in TRANSITIONS for s in t.sources
                   if intake in t.intakes}
        assert in_code == table, intake


def test_a_report_is_decided_by_a_sub_bureau_and_a_question_cannot_be_closed() -> None:
    with pytest.raises(TransitionError, match="分局窗口人员"):
        fire(Status.REGISTERED, Action.FILE_CASE, {"note": "x"}, roles={Role.CLERK},
             intake=Intake.REPORT)
    with pytest.raises(TransitionError, match="举报不能执行「受理」"):
        fire(Status.REGISTERED, Action.ACCEPT, roles=ALL_ROLES, intake=Intake.REPORT)
    with pytest.raises(TransitionError, match="咨询不能执行「办结」"):
        fire(Status.REGISTERED, Action.CLOSE, {"result": "settled"}, roles=ALL_ROLES,
             intake=Intake.CONSULTATION)
    assert allowed_actions(Status.REGISTERED, {Role.DESK_STAFF}, Intake.REPORT) == [
        Action.TRANSFER, Action.FILE_CASE, Action.DECLINE_CASE, Action.MERGE]


@pytest.mark.parametrize(
    ("status", "action", "missing"),
    [
        (Status.REGISTERED, Action.REJECT, "不予受理依据"),
        (Status.MEDIATING, Action.TERMINATE, "终止调解依据"),
        (Status.MEDIATING, Action.SETTLE, "调解协议内容"),
        (Status.ACCEPTED, Action.TRANSFER, "转办单位"),
        (Status.CLOSED, Action.REOPEN, "重新办理理由"),
    ],
)
def test_guards_require_their_grounds(status: Status, action: Action, missing: str) -> None:
    with pytest.raises(TransitionError, match=missing):
        fire(status, action, {"ground": "  ", "terms": ""}, roles=ALL_ROLES)


def test_closing_needs_a_result_that_fits_the_outcome() -> None:
    with pytest.raises(TransitionError, match="办结结果"):
        fire(Status.SETTLED, Action.CLOSE, {}, roles=ALL_ROLES)
    with pytest.raises(TransitionError, match="只能是：调解成功"):
        fire(Status.SETTLED, Action.CLOSE, {"result": Result.REJECTED}, roles=ALL_ROLES)
    assert fire(Status.TERMINATED, Action.CLOSE, {"result": Result.NOT_SETTLED}) is Status.CLOSED


def test_reopen_of_a_rejected_complaint_returns_to_registration() -> None:
    assert fire(Status.CLOSED, Action.REOPEN, {"reason": "错误不予受理"},
                roles={Role.DEPARTMENT_HEAD}, was_accepted=False) is Status.REGISTERED


def test_roles() -> None:
    with pytest.raises(TransitionError, match="分局窗口人员"):
        fire(Status.MEDIATING, Action.OPEN_CASE, {"note": "x"}, roles={Role.CLERK})
    with pytest.raises(TransitionError, match="只能由"):
        fire(Status.CLOSED, Action.REOPEN, {"reason": "x"}, roles={Role.CLERK})
    with pytest.raises(TransitionError):
        fire(Status.REGISTERED, Action.ACCEPT, roles={Role.DEPARTMENT_HEAD})


def test_allowed_actions_depend_on_status_and_role() -> None:
    assert allowed_actions(Status.REGISTERED, HANDLERS) == [
        Action.ACCEPT, Action.REJECT, Action.REQUEST_ID_PROOF, Action.TRANSFER]
    assert Action.OPEN_CASE in allowed_actions(Status.MEDIATING, {Role.DESK_STAFF})
    assert Action.OPEN_CASE not in allowed_actions(Status.MEDIATING, {Role.CLERK})
    assert allowed_actions(Status.CLOSED, {Role.CLERK}) == []
    assert allowed_actions(Status.CLOSED, {Role.STATION_HEAD}) == [Action.REOPEN]
