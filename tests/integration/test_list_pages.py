"""The ledger's pages (issue 24): a scope read office by office, a common word's page found
window by window, plain rows instead of ORM objects, pages by position and from the end. Each
gives the rows and the order plain SQL gives for the same list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from desktop import paths
from desktop.bootstrap import Services, open_services
from desktop.db import repositories
from desktop.db import uow as uow_module
from desktop.db.repositories import ComplaintRepository
from desktop.db.uow import Actor, UnitOfWork
from desktop.demo.generate import DEMO_PASSWORD, build_demo
from desktop.domain.complaint import ComplaintFilter, SortKey, masked
from desktop.domain.workflow import Status
from desktop.services.complaints import ComplaintService
from desktop.services.dto import CurrentUser


def _raw(data_dir: Path) -> Any:
    """The database on the driver itself, opened with the key this process opened it with."""
    from desktop.db.connection import connect
    from desktop.security import keys

    return connect(paths.database_path(data_dir), keys.remembered(data_dir))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("pages-demo")
    s = open_services(data)
    try:
        build_demo(s, complaints=4000)  # the bulk path: two sub-bureaus, five stations
    finally:
        s.close()
    return data


@pytest.fixture
def s(demo: Path) -> Iterator[Services]:
    services = open_services(demo)
    yield services
    services.close()


def _expected(demo: Path, user: CurrentUser, f: ComplaintFilter) -> list[int]:
    """The list by plain SQL: every row of the scope (and the word), sorted in full."""
    key = f.sort.value
    ascending = (f.sort is SortKey.DUE) != f.reverse
    where = ["1 = 1"]
    if user.scope is not None:
        where.append(f"office_id IN ({','.join(str(i) for i in user.scope)})")
    if f.sort is SortKey.DUE:
        where.append("due_on IS NOT NULL")
    if f.statuses:
        statuses = ",".join(f"'{s.value}'" for s in f.statuses)
        where.append(f"status IN ({statuses})")
    if f.text:
        where.append(f"id IN (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH '\"{f.text}\"')")
    direction = "ASC" if ascending else "DESC"
    with _raw(demo) as db:
        return [r[0] for r in db.execute(
            f"SELECT id FROM complaints WHERE {' AND '.join(where)} "
            f"ORDER BY {key} {direction}, id {direction}")]


def _walk(s: Services, user: CurrentUser, f: ComplaintFilter, limit: int) -> list[int]:
    out, after = [], None
    while True:
        page = s.complaints.page(user, f, after, limit=limit)
        out += [r.id for r in page.rows]
        if page.next_cursor is None:
            return out
        after = page.next_cursor


FILTERS = [
    ComplaintFilter(sort=SortKey.NUMBER),
    ComplaintFilter(sort=SortKey.NUMBER, reverse=True),
    ComplaintFilter(),
    ComplaintFilter(reverse=True),
    ComplaintFilter(sort=SortKey.DUE),
    ComplaintFilter(sort=SortKey.DUE, reverse=True),
    ComplaintFilter(statuses=frozenset({Status.CLOSED}), sort=SortKey.NUMBER),
]


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: f"{f.sort.value}{'-rev' if f.reverse else ''}"
                         f"{'-closed' if f.statuses else ''}")
@pytest.mark.parametrize("username", ["wangfang", "juzhang", "chenjing"])
def test_keyset_pages_give_the_rows_and_order_of_plain_sql(s: Services, demo: Path, username: str,
                                                           f: ComplaintFilter) -> None:
    user = s.users.login(username, DEMO_PASSWORD)
    expected = _expected(demo, user, f)
    assert len(expected) > 10
    assert _walk(s, user, f, limit=max(3, len(expected) // 9)) == expected


def test_a_sub_bureau_by_number_starts_with_its_own_newest(s: Services, demo: Path) -> None:
    """The other sub-bureau's numbers sort first; the scope's page, merged from its offices'
    parts of the index, starts with the scope's own newest number."""
    desk = s.users.login("wangfang", DEMO_PASSWORD)
    assert desk.scope is not None and len(desk.scope) == 4
    f = ComplaintFilter(sort=SortKey.NUMBER)
    first = s.complaints.page(desk, f, limit=20).rows
    assert [r.id for r in first] == _expected(demo, desk, f)[:20]
    assert {r.office_id for r in first} <= set(desk.scope)
    assert first[0].number > first[-1].number


@pytest.mark.parametrize("word", ["退款", "维修"])
@pytest.mark.parametrize("username", ["wangfang", "juzhang"])
@pytest.mark.parametrize("sort", [SortKey.RECEIVED, SortKey.NUMBER])
def test_a_common_word_found_window_by_window_gives_the_same_pages(
        s: Services, demo: Path, monkeypatch: pytest.MonkeyPatch, word: str, username: str,
        sort: SortKey) -> None:
    user = s.users.login(username, DEMO_PASSWORD)
    f = ComplaintFilter(text=word, sort=sort)
    expected = _expected(demo, user, f)
    assert len(expected) > 200
    direct = _walk(s, user, f, limit=61)  # up to 2,000 matches: fetched by id
    # As if the word were common: the page is looked for along the list, 16 rows at a time.
    monkeypatch.setattr(repositories, "FTS_DIRECT_LIMIT", 40)
    monkeypatch.setattr(repositories, "FTS_WINDOW", 16)
    windowed = _walk(s, user, f, limit=61)
    assert direct == windowed == expected
    assert _walk(s, user, replace(f, reverse=True), limit=61) == expected[::-1]
    page = s.complaints.page(user, f, limit=30, offset=100)
    assert [r.id for r in page.rows] == expected[100:130]


def test_pages_by_position_and_from_the_end(s: Services, demo: Path) -> None:
    desk = s.users.login("wangfang", DEMO_PASSWORD)
    for f in FILTERS[:4]:
        expected = _expected(demo, desk, f)
        last = s.complaints.page(desk, f, limit=100, backwards=True)
        assert [r.id for r in last.rows] == expected[-100:]
        before = s.complaints.page(desk, f, last.next_cursor, limit=100, backwards=True)
        assert [r.id for r in before.rows] == expected[-200:-100]
        middle = s.complaints.page(desk, f, limit=50, offset=1234)
        assert [r.id for r in middle.rows] == expected[1234:1284]
        near_end = s.complaints.page(desk, f, last.next_cursor, limit=50, offset=10, backwards=True)
        assert [r.id for r in near_end.rows] == expected[-160:-110]


def test_plain_rows_carry_what_the_orm_rows_carried(s: Services) -> None:
    """The light rows hold the ledger's fields as the rows built from ORM objects did,
    personal data masked; refreshing rows by id gives the same rows."""
    desk = s.users.login("wangfang", DEMO_PASSWORD)
    rows = s.complaints.page(desk, ComplaintFilter(), limit=40).rows
    again = {r.id: r for r in s.complaints.rows(desk, [r.id for r in rows])}
    assert [again[r.id] for r in rows] == list(rows)
    with UnitOfWork(s.ctx.engine, Actor(None, "test"), "", write=False) as uow:
        repo = ComplaintRepository(uow.session)
        for row in rows:
            c = repo.get(row.id)
            assert c is not None
            assert row == ComplaintService._row(c)
            assert row.complainant == masked("complainant_name", c.complainant_name) != c.complainant_name
            assert isinstance(row.status, Status)


def test_the_fast_bulk_load_leaves_what_the_plain_bulk_insert_leaves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's fast path (value tuples, the full-text index filled once at the end, the
    trigger off meanwhile) against `import_rows` (dicts, the trigger indexing row by row): the
    same rows, the same index, the trigger back, and an audit chain that verifies."""
    from datetime import datetime, timedelta

    from sqlalchemy import select

    from desktop.db import models as m
    from desktop.db.models import new_uuid
    from tests.conftest import draft, make_world

    facts = ["手机屏幕碎裂，要求退款", "空调不制冷，商家拒绝维修", "预付卡商家关门，要求退还余额"]
    worlds = [make_world(tmp_path / name) for name in ("plain", "fast")]
    template = worlds[0].s.complaints.register(worlds[0].clerk, draft()).ids[0]
    worlds[1].s.complaints.register(worlds[1].clerk, draft())
    with worlds[0].s.ctx.engine.connect() as connection:
        base = dict(connection.execute(select(m.Complaint.__table__).where(
            m.Complaint.id == template)).mappings().one())
    columns = [k for k in base if k not in ("id", "kind")]  # kind: the column's default
    rows = []
    for i in range(300):
        at = datetime(2026, 10, 1, 9) + timedelta(minutes=37 * i)
        rows.append({**base, "uuid": new_uuid(), "number": f"WZCQ01-{at:%Y%m%d}-{9000 + i}",
                     "received_at": at, "updated_at": at, "facts": facts[i % 3] + f"（第{i}件）",
                     "complainant_phone": f"1391234{i:04d}"})
    worlds[0].s.complaints.import_rows(({k: r[k] for k in columns} for r in rows), "批量")
    def no_reread(*_args: object) -> None:
        raise AssertionError("the fast path read its rows back for the audit entry")

    with monkeypatch.context() as patch:
        patch.setattr(uow_module, "_batch_cover", no_reread)
        worlds[1].s.complaints.load_generated(columns, ([r[k] for k in columns] for r in rows), "批量")
    dumps = []
    for w in worlds:
        with _raw(w.s.ctx.data_dir) as db:
            dumps.append((
                db.execute("SELECT * FROM complaints WHERE id > ? ORDER BY id", (template,)).fetchall(),
                [db.execute("SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ?",
                            (f'"{word}"',)).fetchall() for word in ("退款", "维修", "余额", "第")],
                db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall(),
            ))
    assert len(dumps[0][0]) == 300 and all(dumps[0][1])
    assert dumps[0] == dumps[1]
    assert worlds[1].s.audit.verify().ok
    # The batch entry vouches for the same rows with the same digest, though the fast path
    # works its hashes out from the values inserted and import_rows reads the rows back.
    covers = []
    for w in worlds:
        with _raw(w.s.ctx.data_dir) as db:
            after = json.loads(db.execute("SELECT after FROM audit_log WHERE operation = 'bulk'"
                                          " ORDER BY id DESC LIMIT 1").fetchone()[0])
        covers.append((after["covered"], after["ids"], after["digest"]))
    assert covers[0] == covers[1] and covers[0][0] == 300
    # The trigger indexes what comes after, as before.
    new = worlds[1].s.complaints.register(worlds[1].clerk, draft(facts="电视机花屏无法维修"))
    with _raw(worlds[1].s.ctx.data_dir) as db:
        assert (new.ids[0],) in db.execute(
            "SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH '\"花屏\"'").fetchall()
    for w in worlds:
        w.s.close()


def test_a_second_fast_load_vouches_for_its_own_rows_only(tmp_path: Path) -> None:
    """The batch entry worked out from the values (InsertCover) after an earlier batch: it
    covers the new ids only, with the digest a re-read gives, and the chain verifies."""
    from datetime import datetime, timedelta

    from sqlalchemy import select

    from desktop.db import models as m
    from desktop.db.models import new_uuid
    from desktop.db.uow import _batch_cover
    from tests.conftest import draft, make_world

    w = make_world(tmp_path / "w")
    template = w.s.complaints.register(w.clerk, draft()).ids[0]
    with w.s.ctx.engine.connect() as connection:
        base = dict(connection.execute(select(m.Complaint.__table__).where(
            m.Complaint.id == template)).mappings().one())
    columns = [k for k in base if k not in ("id", "kind")]

    def rows(start: int) -> list[list[object]]:
        out = []
        for i in range(start, start + 50):
            at = datetime(2026, 10, 1, 9) + timedelta(minutes=11 * i)
            out.append([{**base, "uuid": new_uuid(), "number": f"WZCQ01-{at:%Y%m%d}-{8000 + i}",
                         "received_at": at, "updated_at": at}[k] for k in columns])
        return out

    w.s.complaints.load_generated(columns, rows(0), "第一批")
    # What a re-read would vouch for now, before the second load: nothing.
    with w.s.ctx.engine.connect() as connection:
        assert _batch_cover(connection, m.Complaint.__table__) == {"covered": 0}
    w.s.complaints.load_generated(columns, rows(50), "第二批")
    with _raw(w.s.ctx.data_dir) as db:
        after = json.loads(db.execute("SELECT after FROM audit_log WHERE operation = 'bulk'"
                                      " ORDER BY id DESC LIMIT 1").fetchone()[0])
        last = db.execute("SELECT max(id) FROM complaints").fetchone()[0]
    assert after["covered"] == 50 and after["ids"] == [last - 49, last]
    assert w.s.audit.verify().ok
    w.s.close()
