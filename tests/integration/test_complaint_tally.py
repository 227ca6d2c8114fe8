"""The ledger's total (共 N 件) with no condition but the scope comes from `complaint_tally`, a
count per office that triggers on `complaints` keep (migration 0019, issue 21: reading a whole
index to count is slow on an encrypted file). Whatever writes complaints must leave the tally
equal to the real count: the services, the bulk demo load, the history import's bulk write,
sync, a change of office, a deletion; `hejie-admin check` finds a tally that is off and
`--recount` repairs it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

import desktop.services.history_import as history_import
from desktop.bootstrap import Services, open_services
from desktop.cli.main import main
from desktop.demo.generate import DEMO_PASSWORD, build_demo
from desktop.domain.complaint import ComplaintFilter, SortKey
from desktop.domain.workflow import Status
from desktop.services.dto import CurrentUser
from tests.conftest import World, draft
from tests.imports_helpers import ROWS, write_ledger


def _real(s: Services) -> dict[int, int]:
    with s.ctx.engine.connect() as con:
        return dict(tuple(r) for r in con.execute(text(
            "SELECT office_id, count(*) FROM complaints GROUP BY office_id")))


def _tally(s: Services) -> dict[int, int]:
    with s.ctx.engine.connect() as con:
        return {o: n for o, n in con.execute(text("SELECT office_id, n FROM complaint_tally")) if n}


def _direct(s: Services, user: CurrentUser) -> int:
    """The user's whole ledger counted row by row."""
    where = "" if user.scope is None else f"WHERE office_id IN ({','.join(map(str, user.scope))})"
    with s.ctx.engine.connect() as con:
        return int(con.execute(text(f"SELECT count(*) FROM complaints {where}")).scalar_one())


def _agrees(s: Services, *users: CurrentUser) -> None:
    real = _real(s)
    assert real and _tally(s) == real
    for user in users:
        assert s.complaints.count(user, ComplaintFilter()) == _direct(s, user)


def _raw(s: Services, *statements: str) -> None:
    with s.ctx.engine.begin() as con:
        for statement in statements:
            con.execute(text(statement))


def test_registrations_are_tallied_and_the_total_is_the_scopes(world: World) -> None:
    w = world
    for _ in range(3):
        w.s.complaints.register(w.clerk, draft())
    w.s.complaints.register(w.other_clerk, draft())
    w.s.complaints.register(w.desk, draft(received_at=datetime(2026, 11, 18, 9)))
    _agrees(w.s, w.clerk, w.other_clerk, w.desk, w.deputy, w.admin)
    assert w.s.complaints.count(w.clerk, ComplaintFilter()) == 3
    assert w.s.complaints.count(w.deputy, ComplaintFilter()) == 5
    # Sorting changes nothing; the due-date sort keeps only complaints whose clock runs.
    assert w.s.complaints.count(w.deputy, ComplaintFilter(sort=SortKey.NUMBER, reverse=True)) == 5
    assert w.s.complaints.count(w.deputy, ComplaintFilter(sort=SortKey.DUE)) == _direct_due(w.s)


def _direct_due(s: Services) -> int:
    with s.ctx.engine.connect() as con:
        return int(con.execute(text("SELECT count(*) FROM complaints WHERE due_on IS NOT NULL"))
                   .scalar_one())


def test_the_total_reads_the_tally_and_a_condition_reads_the_rows(world: World) -> None:
    w = world
    for _ in range(2):
        w.s.complaints.register(w.clerk, draft())
    _raw(w.s, f"UPDATE complaint_tally SET n = n + 5 WHERE office_id = {w.office_ids['WZCQ01']}")
    # The bare total is the tally's (off by 5 now); any condition counts the rows themselves.
    assert w.s.complaints.count(w.clerk, ComplaintFilter()) == 7
    assert w.s.complaints.count(w.clerk, ComplaintFilter(statuses=frozenset({Status.REGISTERED}))) == 2
    assert w.s.complaints.count(w.clerk, ComplaintFilter(text="发动机")) == 2


def test_a_change_of_office_and_a_deletion_move_the_tally(world: World) -> None:
    w = world
    ids = [w.s.complaints.register(w.clerk, draft()).ids[0] for _ in range(3)]
    w.s.complaints.register(w.other_clerk, draft())
    _raw(w.s, f"UPDATE complaints SET office_id = {w.office_ids['WZMD01']} WHERE id = {ids[0]}",
         f"UPDATE complaints SET office_id = office_id, facts = facts || '。' WHERE id = {ids[1]}")
    _agrees(w.s, w.clerk, w.other_clerk, w.deputy)
    assert w.s.complaints.count(w.other_clerk, ComplaintFilter()) == 2
    _raw(w.s, "PRAGMA foreign_keys = OFF", f"DELETE FROM complaints WHERE id = {ids[2]}")
    _agrees(w.s, w.clerk, w.other_clerk, w.deputy)
    assert w.s.complaints.count(w.clerk, ComplaintFilter()) == 1


def test_the_bulk_demo_is_tallied_and_inserted_in_received_order(tmp_path: Path) -> None:
    s = open_services(tmp_path / "demo")
    try:
        build_demo(s, complaints=4000)  # the bulk path: final-state rows, the FTS trigger off
        users = [s.users.login(name, DEMO_PASSWORD) for name in ("juzhang", "wangfang", "admin")]
        _agrees(s, *users)
        assert sum(_tally(s).values()) == 4000
        with s.ctx.engine.connect() as con:
            rows = con.execute(text("SELECT id, received_at, office_id, number FROM complaints "
                                    "ORDER BY id")).all()
        # Each day's rows are inserted in the order received (the ledger's newest rows sit
        # together in the table), and each office's numbers of a day follow that order.
        assert [r.received_at for r in rows] == sorted(r.received_at for r in rows)
        numbers: dict[tuple[int, str], list[str]] = {}
        for r in rows:
            numbers.setdefault((r.office_id, r.received_at[:10]), []).append(r.number)
        assert all(n == sorted(n) for n in numbers.values())
        assert any(len(n) > 1 for n in numbers.values())
    finally:
        s.close()


def test_a_bulk_history_import_is_tallied(tmp_path: Path, world: World,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    w = world
    monkeypatch.setattr(history_import, "BULK", True)
    monkeypatch.setattr(history_import, "BULK_EVERY", 2)
    w.s.complaints.register(w.clerk, draft())
    path = tmp_path / "2024台账.xlsx"
    write_ledger(path)
    svc = w.s.history_import
    book = svc.open(path)
    outcome = svc.run(w.desk, svc.preview(w.desk, book, svc.choices(book), "ledger"))
    assert outcome.added >= len(ROWS) - 2
    _agrees(w.s, w.desk, w.clerk, w.deputy)
    assert sum(_tally(w.s).values()) == 1 + outcome.added


def test_check_finds_a_tally_that_is_off_and_recount_repairs_it(world: World, capsys) -> None:  # type: ignore[no-untyped-def]
    w = world
    for _ in range(2):
        w.s.complaints.register(w.clerk, draft())
    data_dir = w.s.ctx.data_dir
    _raw(w.s, "DELETE FROM complaint_tally")
    w.s.close()
    assert main(["check", "--data-dir", str(data_dir)]) == 1
    out = capsys.readouterr().out
    assert "发现问题" in out and "记为 0，实有 2" in out and "--recount" in out
    assert main(["check", "--data-dir", str(data_dir), "--recount"]) == 0
    out = capsys.readouterr().out
    assert "已重新统计" in out and "完整性检查：通过" in out
    s = open_services(data_dir)
    try:
        _agrees(s, w.clerk, w.deputy)
    finally:
        s.close()
