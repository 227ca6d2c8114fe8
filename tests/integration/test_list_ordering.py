"""List order both ways, and refreshing single rows: what the ledger's sortable headers rely on."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from desktop.domain.complaint import ComplaintFilter, SortKey
from tests.conftest import World, draft


def _register(world: World, n: int) -> list[int]:
    ids = []
    for i in range(n):
        at = datetime(2026, 11, 1, 9, 0) + timedelta(hours=7 * i)
        changed = world.s.complaints.register(
            world.clerk, draft(received_at=at, complainant_phone=f"1381234{i:04d}")
        )
        assert changed.created
        ids.append(changed.ids[0])
    return ids


def _walk(world: World, query: ComplaintFilter, limit: int) -> list[int]:
    out, after = [], None
    while True:
        page = world.s.complaints.page(world.clerk, query, after, limit=limit)
        out += [r.id for r in page.rows]
        if page.next_cursor is None:
            return out
        after = page.next_cursor


def test_each_sort_key_pages_the_same_rows_both_ways(world: World) -> None:
    ids = _register(world, 9)
    newest_first = _walk(world, ComplaintFilter(), limit=4)
    assert newest_first == list(reversed(ids))
    assert _walk(world, ComplaintFilter(reverse=True), limit=4) == ids
    by_number = _walk(world, ComplaintFilter(sort=SortKey.NUMBER), limit=2)
    assert _walk(world, ComplaintFilter(sort=SortKey.NUMBER, reverse=True), limit=3) == by_number[::-1]
    due = ComplaintFilter(sort=SortKey.DUE)
    soonest = _walk(world, due, limit=2)
    latest = _walk(world, replace(due, reverse=True), limit=2)
    assert sorted(soonest) == sorted(latest) == sorted(ids)
    dues = [world.s.complaints.get(world.clerk, i).due_on for i in soonest]
    assert dues == sorted(dues)


def test_rows_by_id_respect_the_scope(world: World) -> None:
    ids = _register(world, 2)
    assert {r.id for r in world.s.complaints.rows(world.clerk, ids)} == set(ids)
    assert world.s.complaints.rows(world.other_clerk, ids) == []
    assert world.s.complaints.rows(world.clerk, ids)[0].phone.count("*") >= 4


def test_colleagues_are_the_active_accounts_in_scope(world: World) -> None:
    names = {u.username for u in world.s.users.colleagues(world.clerk)}
    assert {"clerk", "head"} <= names
    assert "other" not in names and "desk" not in names
    assert {"clerk", "other", "desk"} <= {u.username for u in world.s.users.colleagues(world.dept_head)}


def test_preview_shows_the_deadline_the_action_will_set_and_writes_nothing(world: World) -> None:
    from desktop.domain.workflow import Action

    cid = _register(world, 1)[0]
    before = world.s.complaints.get(world.clerk, cid)
    due = world.s.complaints.preview_due(world.clerk, cid, Action.ACCEPT)
    assert due is not None and due.day > before.due_on
    odr = world.s.complaints.preview_due(world.clerk, cid, Action.ACCEPT, odr=True)
    assert odr is not None and odr.day < due.day
    assert world.s.complaints.get(world.clerk, cid) == before
    world.s.complaints.accept(world.clerk, cid, expected_version=before.version)
    assert world.s.complaints.get(world.clerk, cid).due_on == due.day
