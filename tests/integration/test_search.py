"""Chinese full-text search through the service: two- and four-character words, kept in step."""

from __future__ import annotations

from desktop.db.uow import UnitOfWork
from desktop.domain.complaint import ComplaintFilter
from tests.conftest import World, draft


def _numbers(world: World, text: str) -> set[str]:
    rows = world.s.complaints.page(world.dept_head, ComplaintFilter(text=text)).rows
    return {r.number for r in rows}


def test_two_and_four_character_words(world: World) -> None:
    s, clerk = world.s, world.clerk
    a = s.complaints.register(clerk, draft(facts="洗衣机漏水，商家拒绝退款。", subject="滚筒洗衣机")).number
    b = s.complaints.register(clerk, draft(facts="手机屏幕有质量问题，要求免费维修。", subject="手机",
                                           complainant_phone="13900000001")).number
    c = s.complaints.register(clerk, draft(facts="健身卡无法退卡。", subject="健身年卡",
                                           complainant_name="欧阳娜娜",
                                           complainant_phone="13900000002")).number
    assert _numbers(world, "退款") == {a}
    assert _numbers(world, "维修") == {b}
    assert _numbers(world, "质量问题") == {b}
    assert _numbers(world, "问题质量") == set()  # a phrase, not a bag of pairs
    assert _numbers(world, "欧阳") == {c}  # complainant names are indexed too
    assert _numbers(world, "东吴汽车") == {a, b, c}  # respondent name
    assert _numbers(world, "手机 维修") == {b}
    assert _numbers(world, "卡") == {c}  # one character: LIKE fallback
    assert _numbers(world, "139000000") == {b, c}  # phone prefix
    assert _numbers(world, "WZCQ01-20261119-0002") == {b}
    d = s.complaints.register(clerk, draft(subject="空调", brand_model="格力 KFR-35GW",
                                           complainant_phone="13900000003")).number
    assert _numbers(world, "KFR-35GW") == {d}  # a model number is text, not a phone prefix


def test_index_follows_updates_and_deletes(world: World) -> None:
    s, clerk = world.s, world.clerk
    changed = s.complaints.register(clerk, draft(facts="空调不制冷"))
    assert _numbers(world, "制冷") == {changed.number}
    s.complaints.edit(clerk, changed.ids[0], draft(facts="空调噪音大"), expected_version=1)
    assert _numbers(world, "制冷") == set()
    assert _numbers(world, "噪音") == {changed.number}
    with UnitOfWork(s.ctx.engine) as uow:
        uow.session.execute(__import__("sqlalchemy").text("DELETE FROM complaints"))
        uow.commit()
    assert _numbers(world, "噪音") == set()


def test_keyset_pages_cover_everything_once(world: World) -> None:
    s, clerk = world.s, world.clerk
    for i in range(25):
        s.complaints.register(clerk, draft(complainant_phone=f"1390000{i:04d}"))
    seen: list[str] = []
    page = s.complaints.page(clerk, ComplaintFilter(), limit=10)
    seen += [r.number for r in page.rows]
    while page.next_cursor is not None:
        page = s.complaints.page(clerk, ComplaintFilter(), after=page.next_cursor, limit=10)
        seen += [r.number for r in page.rows]
    assert len(seen) == 25 and len(set(seen)) == 25
    assert seen == sorted(seen, reverse=True)  # same received time: newest id first


def test_mixed_queries_and_special_characters(world: World) -> None:
    s, clerk = world.s, world.clerk
    a = s.complaints.register(clerk, draft(subject="iPhone15 手机", facts="新车退款纠纷")).number
    s.complaints.register(clerk, draft(facts="50%_折扣未兑现", complainant_phone="13900000009"))
    assert _numbers(world, "车 退款") == {a}  # a lone character and a word, both required
    assert _numbers(world, "iphone") == {a}
    assert _numbers(world, "iPhone15") == {a}
    assert len(_numbers(world, "%")) == 1  # a literal percent sign, not a wildcard
    assert _numbers(world, '" * ( ) AND NOT') == set()  # FTS syntax typed by a user: no error


def test_trigger_columns_match_the_code(world: World) -> None:
    """Migration 0002 spells its trigger SQL out; it must index what search.py says."""
    from sqlalchemy import text

    from desktop.db.search import INDEXED_COLUMNS

    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        sql = uow.session.execute(text(
            "SELECT sql FROM sqlite_master WHERE name = 'complaints_fts_ai'")).scalar_one()
    assert ", ".join(f"new.{c}" for c in INDEXED_COLUMNS) in sql


def test_count_of_a_common_word_checks_rows_against_the_matches(world: World, monkeypatch) -> None:
    """A word found in many rows is counted by checking the rows (+id) instead of looking each
    match up: the same numbers either way, with the scope and the other filters applied."""
    import desktop.db.repositories as repositories

    s, clerk = world.s, world.clerk
    for i in range(6):
        s.complaints.register(clerk, draft(facts="商家拒绝退款" if i % 2 else "空调不制冷",
                                           complainant_phone=f"1390000{i:04d}"))
    filters = [ComplaintFilter(text="退款"), ComplaintFilter(text="退款 1390000"),
               ComplaintFilter(text="制冷 车"), ComplaintFilter(text="退款", kind="complaint")]
    expected = [s.complaints.count(u, f) for f in filters for u in (world.dept_head, clerk)]
    assert expected[0] == 3
    monkeypatch.setattr(repositories, "SCAN_FROM", 1)
    assert [s.complaints.count(u, f) for f in filters for u in (world.dept_head, clerk)] == expected
