"""The complaint state machine: every allowed and every forbidden transition, guards and roles."""

from __future__ import annotations

import itertools

import pytest

from desktop.domain.errors import TransitionError
from desktop.domain.workflow import (
    HANDLERS,
    TRANSITIONS,
    Action,
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
}

FULL_CONTEXT = {"ground": "no_agreement", "terms": "退款 100 元", "target": "吴江区局",
                "note": "涉嫌虚假宣传", "reason": "投诉人补充证据"}
RESULT_FOR = {Status.REJECTED: Result.REJECTED, Status.SETTLED: Result.SETTLED,
              Status.TERMINATED: Result.TERMINATED, Status.TRANSFERRED: Result.TRANSFERRED,
              Status.CASE_OPENED: Result.TRANSFERRED}
ALL_ROLES = frozenset(Role)


def _context(status: Status, action: Action) -> dict:
    ctx = dict(FULL_CONTEXT)
    if action is Action.CLOSE:
        ctx["result"] = RESULT_FOR[status]
    return ctx


@pytest.mark.parametrize(("status", "action"), sorted(EXPECTED, key=str))
def test_allowed_transition_reaches_its_target(status: Status, action: Action) -> None:
    assert fire(status, action, _context(status, action), roles=ALL_ROLES) is EXPECTED[(status, action)]


FORBIDDEN = [pair for pair in itertools.product(Status, Action) if pair not in EXPECTED]


@pytest.mark.parametrize(("status", "action"), FORBIDDEN, ids=[f"{s}-{a}" for s, a in FORBIDDEN])
def test_forbidden_transition_names_the_states(status: Status, action: Action) -> None:
    with pytest.raises(TransitionError) as err:
        fire(status, action, FULL_CONTEXT | {"result": Result.SETTLED}, roles=ALL_ROLES)
    assert status.label in str(err.value)
    assert action.label in str(err.value)


def test_table_in_code_matches_the_written_table() -> None:
    in_code = {(s, t.action): t.target for t in TRANSITIONS for s in t.sources}
    assert in_code == EXPECTED


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
    assert allowed_actions(Status.REGISTERED, HANDLERS) == [Action.ACCEPT, Action.REJECT, Action.TRANSFER]
    assert Action.OPEN_CASE in allowed_actions(Status.MEDIATING, {Role.DESK_STAFF})
    assert Action.OPEN_CASE not in allowed_actions(Status.MEDIATING, {Role.CLERK})
    assert allowed_actions(Status.CLOSED, {Role.CLERK}) == []
    assert allowed_actions(Status.CLOSED, {Role.STATION_HEAD}) == [Action.REOPEN]
