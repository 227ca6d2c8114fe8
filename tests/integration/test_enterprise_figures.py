"""Enterprise figures on a real database: counts, mediation success rate, money, office scope."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.domain.errors import NotFound
from desktop.domain.workflow import Result
from desktop.services.dto import CurrentUser
from tests.conftest import World, draft

CODE = "914403001922038216"


def _enterprise(world: World, name: str = "苏州东吴汽车销售服务有限公司", code: str | None = None) -> int:
    return world.s.enterprises.save(world.clerk, name=name, credit_code=code).ids[0]


def _register(world: World, user: CurrentUser, enterprise_id: int, phone: str) -> int:
    changed = world.s.complaints.register(
        user, draft(enterprise_id=enterprise_id, respondent_credit_code=None, complainant_phone=phone))
    return changed.ids[0]


def _version(world: World, user: CurrentUser, cid: int) -> int:
    return world.s.complaints.get(user, cid).version


def _accept(world: World, user: CurrentUser, cid: int) -> None:
    world.s.complaints.accept(user, cid, expected_version=_version(world, user, cid))


def _settle(world: World, user: CurrentUser, cid: int, recovered: str) -> None:
    _accept(world, user, cid)
    world.s.complaints.settle(user, cid, terms="经营者退款", recovered=recovered,
                              expected_version=_version(world, user, cid))


def _terminate(world: World, user: CurrentUser, cid: int) -> None:
    _accept(world, user, cid)
    world.s.complaints.terminate(user, cid, ground="no_agreement",
                                 expected_version=_version(world, user, cid))


def _close(world: World, user: CurrentUser, cid: int, result: Result,
           at_fault: bool | None = None) -> None:
    world.s.complaints.close(user, cid, result=result, at_fault=at_fault,
                             expected_version=_version(world, user, cid))


def _a_mixed_history(world: World, eid: int) -> None:
    """Six complaints of the clerk's station against one enterprise, in every kind of state."""
    clerk = world.clerk
    settled = _register(world, clerk, eid, "13900000001")
    _settle(world, clerk, settled, "1000")
    _close(world, clerk, settled, Result.SETTLED, at_fault=True)
    not_settled = _register(world, clerk, eid, "13900000002")
    _terminate(world, clerk, not_settled)
    _close(world, clerk, not_settled, Result.NOT_SETTLED)
    terminated = _register(world, clerk, eid, "13900000003")
    _terminate(world, clerk, terminated)
    _close(world, clerk, terminated, Result.TERMINATED, at_fault=False)
    rejected = _register(world, clerk, eid, "13900000004")
    world.s.complaints.reject(clerk, rejected, ground="not_consumer",
                              expected_version=_version(world, clerk, rejected))
    _close(world, clerk, rejected, Result.REJECTED)
    _register(world, clerk, eid, "13900000005")  # still registered
    settled_open = _register(world, clerk, eid, "13900000006")
    _settle(world, clerk, settled_open, "500.50")  # settled, not yet closed


def test_figures_count_every_state_and_the_rate_counts_only_mediation_outcomes(world: World) -> None:
    eid = _enterprise(world, code=CODE)
    other = _enterprise(world, name="苏州家居城有限公司")
    _a_mixed_history(world, eid)
    _register(world, world.clerk, other, "13900000009")  # another enterprise: not counted

    f = world.s.enterprises.figures(world.clerk, eid)
    assert (f.complaints, f.open, f.closed) == (6, 2, 4)
    # Settled 1 of 3 mediated (调解成功, 调解不成, 终止调解); the rejected one does not count.
    assert (f.settled, f.mediated) == (1, 3)
    assert f.success_rate == pytest.approx(1 / 3)
    assert f.at_fault == 1
    assert f.recovered_cents == 150050 and f.recovered == Decimal("1500.50")


def test_figures_are_limited_to_the_users_scope(world: World) -> None:
    eid = _enterprise(world, code=CODE)
    _a_mixed_history(world, eid)

    theirs = world.s.enterprises.figures(world.other_clerk, eid)
    assert (theirs.complaints, theirs.open, theirs.closed, theirs.at_fault) == (0, 0, 0, 0)
    assert theirs.success_rate is None and theirs.recovered_cents == 0

    # The other station's own complaint counts for it and for the district, not for the clerk.
    _register(world, world.other_clerk, eid, "13900000007")
    assert world.s.enterprises.figures(world.other_clerk, eid).complaints == 1
    assert world.s.enterprises.figures(world.clerk, eid).complaints == 6
    assert world.s.enterprises.figures(world.desk, eid).complaints == 6  # the clerk's sub-bureau
    assert world.s.enterprises.figures(world.dept_head, eid).complaints == 7


def test_a_reopened_complaint_leaves_the_rate_and_money(world: World) -> None:
    eid = _enterprise(world)
    cid = _register(world, world.clerk, eid, "13900000001")
    _settle(world, world.clerk, cid, "200")
    _close(world, world.clerk, cid, Result.SETTLED, at_fault=True)
    assert world.s.enterprises.figures(world.clerk, eid).success_rate == 1.0

    world.s.complaints.reopen(world.head, cid, reason="投诉人反映协议未履行",
                              expected_version=_version(world, world.head, cid))
    f = world.s.enterprises.figures(world.clerk, eid)
    assert (f.complaints, f.open, f.closed, f.at_fault, f.recovered_cents) == (1, 1, 0, 0, 0)
    assert f.success_rate is None


def test_an_enterprise_without_complaints_and_an_unknown_one(world: World) -> None:
    eid = _enterprise(world)
    f = world.s.enterprises.figures(world.clerk, eid)
    assert (f.complaints, f.open, f.closed, f.at_fault, f.recovered_cents) == (0, 0, 0, 0, 0)
    assert f.success_rate is None
    with pytest.raises(NotFound):
        world.s.enterprises.figures(world.clerk, eid + 100)


def test_list_gives_the_register_by_name_and_narrows_by_name_or_code(world: World) -> None:
    _enterprise(world, name="苏州东吴汽车销售服务有限公司", code=CODE)
    _enterprise(world, name="吴中家居城有限公司")
    _enterprise(world, name="长桥美容美发店")
    names = [e.name for e in world.s.enterprises.list(world.other_clerk)]
    assert sorted(names) == names and len(names) == 3
    assert [e.name for e in world.s.enterprises.list(world.clerk, "家居")] == ["吴中家居城有限公司"]
    assert [e.credit_code for e in world.s.enterprises.list(world.clerk, "91440300")] == [CODE]
    assert len(world.s.enterprises.list(world.clerk, limit=2)) == 2
