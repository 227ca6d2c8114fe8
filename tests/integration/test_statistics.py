"""统计 on a hand-built November 2026 (every answer worked out by hand below), the national
classes, and the figures against plain SQL on a generated demo database."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from desktop.bootstrap import open_services
from desktop.demo.generate import build_demo
from desktop.domain.errors import FieldError, PermissionDenied
from desktop.domain.statistics import Period, PeriodKind
from desktop.domain.workflow import Result
from desktop.services.dto import CurrentUser
from desktop.services.statistics import StatsQuery, StatsReport
from tests.conftest import World, draft
from tests.office_db import office_db

NOV = Period.month(2026, 11)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour))


def _v(world: World, user: CurrentUser, cid: int) -> int:
    return world.s.complaints.get(user, cid).version


def _on(world: World, day: date) -> None:
    world.clock.at = _at(day, 10)


def _november(world: World) -> dict[str, int]:
    """Seven items received in November and one in October (all in 长桥分局's scope).

    Acceptance deadlines (7 working days, the first day not counted): received 2 Nov → 11 Nov,
    3 Nov → 12 Nov, 5 Nov → 16 Nov, 9 Nov → 18 Nov, 20 Oct → 29 Oct; the 举报 of 2 Nov is
    checked within 15 working days → 23 Nov."""
    s, clerk, desk = world.s, world.clerk, world.desk
    ids: dict[str, int] = {}

    def register(name: str, day: date, user: CurrentUser = clerk, **kw: object) -> int:
        _on(world, day)
        ids[name] = s.complaints.register(user, draft(received_at=_at(day), **kw)).ids[0]
        return ids[name]

    # A: accepted next day, settled (500 yuan back), closed 10 Nov, at fault; 回访 满意.
    a = register("A", date(2026, 11, 2), amount="1000")
    _on(world, date(2026, 11, 3))
    s.complaints.accept(clerk, a, expected_version=_v(world, clerk, a))
    _on(world, date(2026, 11, 10))
    s.complaints.settle(clerk, a, terms="退款", recovered="500", expected_version=_v(world, clerk, a))
    s.complaints.close(clerk, a, result=Result.SETTLED, at_fault=True, expected_version=_v(world, clerk, a))
    _on(world, date(2026, 11, 11))
    s.aftercare.record_follow_up(clerk, a, called_at=_at(date(2026, 11, 11)), callee="张伟",
                                 means="phone", reached=True, satisfaction="satisfied")
    # B: accepted 16 Nov, five days after its deadline of 11 Nov; settled, closed 17 Nov; 不满意.
    b = register("B", date(2026, 11, 2), amount="2000")
    _on(world, date(2026, 11, 16))
    s.complaints.accept(clerk, b, expected_version=_v(world, clerk, b))
    _on(world, date(2026, 11, 17))
    s.complaints.settle(clerk, b, terms="换货", recovered="200", expected_version=_v(world, clerk, b))
    s.complaints.close(clerk, b, result=Result.SETTLED, at_fault=False, expected_version=_v(world, clerk, b))
    _on(world, date(2026, 11, 18))
    s.aftercare.record_follow_up(clerk, b, called_at=_at(date(2026, 11, 18)), callee="张伟",
                                 means="phone", reached=True, satisfaction="unsatisfied")
    # C: transferred the next day (a decision without a date column: the audit log has it).
    c = register("C", date(2026, 11, 5), amount="300")
    _on(world, date(2026, 11, 6))
    s.complaints.transfer(clerk, c, target="苏州市吴中区消费者协会", expected_version=_v(world, clerk, c))
    s.complaints.close(clerk, c, result=Result.TRANSFERRED, expected_version=_v(world, clerk, c))
    # D: a 咨询, answered at once.
    register("D", date(2026, 11, 5), kind="consultation", respondent_name="", respondent_address="",
             subject="", category_code="other", amount=None, request="",
             facts="问：网购商品七日无理由退货从哪天算起？", answer="自收到商品之日起计算。")
    # E: received in October, never decided (overdue since 29 Oct).
    register("E", date(2026, 10, 20), amount=None)
    # F: received 9 Nov, undecided on 20 Nov (due 18 Nov): not met, open, overdue.
    register("F", date(2026, 11, 9), amount="400")
    # G: accepted 4 Nov, mediation terminated and closed 12 Nov (调解不成).
    g = register("G", date(2026, 11, 3), amount="500")
    _on(world, date(2026, 11, 4))
    s.complaints.accept(clerk, g, expected_version=_v(world, clerk, g))
    _on(world, date(2026, 11, 12))
    s.complaints.terminate(clerk, g, ground="no_agreement", expected_version=_v(world, clerk, g))
    s.complaints.close(clerk, g, result=Result.NOT_SETTLED, at_fault=False,
                       expected_version=_v(world, clerk, g))
    # H: a 举报 at the sub-bureau about food, filed 4 Nov, closed 5 Nov.
    h = register("H", date(2026, 11, 2), desk, kind="report", complainant_name="",
                 complainant_phone="", complainant_address="", reporter_real_name=False,
                 request="", respondent_name="苏州某某食品店", respondent_address="",
                 subject="散装糕点", category_code="food", amount=None,
                 facts="店内销售的散装糕点无生产日期和保质期标识。")
    _on(world, date(2026, 11, 4))
    s.complaints.file_case(desk, h, note="已立案", expected_version=_v(world, desk, h))
    _on(world, date(2026, 11, 5))
    s.complaints.close(desk, h, result=Result.CASE_FILED, expected_version=_v(world, desk, h))
    _on(world, date(2026, 11, 20))
    return ids


def _values(report: StatsReport) -> dict[str, float | None]:
    return {f.key: f.value for f in report.figures}


def test_every_figure_of_a_hand_built_november(world: World) -> None:
    _november(world)
    report = world.s.statistics.report(world.desk, StatsQuery(NOV))
    values = _values(report)
    assert values == {
        "received": 7, "complaints": 5, "reports": 1, "consultations": 1,
        "dispatched": 0, "self_received": 7,
        "intake_rate": pytest.approx(4 / 6),  # A, C, G, H decided in time; B late, F not yet
        "on_time_rate": pytest.approx(4 / 5),  # closed A, B, C, G, H; B accepted late
        "acceptance_rate": pytest.approx(3 / 4),  # A, B, G accepted of A, B, C, G decided
        "closing_rate": pytest.approx(5 / 6),  # A B C G H closed of A B C F G H
        "closed": 5,
        "mediation_success_rate": pytest.approx(2 / 3),  # A, B settled; G not
        "recovered": 700.0, "disputed": 4200.0, "case_transfers": 0, "at_fault": 1,
        "follow_up_rate": pytest.approx(2 / 5), "satisfaction_rate": pytest.approx(1 / 2),
        "average_days": 5.6,  # working days 6 + 11 + 1 + 7 + 3
        "open_at_end": 2, "overdue_at_end": 2,
    }
    late = [(x.limit, x.due_on, x.done_on, x.days_late) for x in report.late]
    assert late == [("受理决定", date(2026, 11, 11), date(2026, 11, 16), 5)]
    assert report.late[0].handler == "clerk"
    open_rows = dict(report.table("open").rows)
    assert open_rows["8–30日"] == 1 and open_rows["31–60日"] == 1 and open_rows["其中超期"] == 2
    # 同比 (November 2025: nothing) and 环比 (October: E only).
    received = report.figure("received")
    assert (received.year_before, received.previous, received.yoy) == (0, 1, None)
    assert received.mom == pytest.approx(6.0)
    by_kind = {r[0]: r[1] for r in report.table("by_kind").rows}
    assert by_kind == {"投诉": 5, "举报": 1, "咨询": 1, "合计": 7}
    by_office = {r[0]: r[1] for r in report.table("by_office").rows}
    assert sorted(by_office.values()) == [1, 6, 7]  # the sub-bureau's 举报, the station's six, 合计
    assert report.top[0][1] == 5  # 苏州东吴汽车销售服务有限公司: A B C F G
    assert report.trend[-1] == 7 and report.trend[-2] == 1 and report.trend_months[-1] == "11月"


def test_the_station_sees_its_own_and_may_not_ask_for_the_sub_bureau(world: World) -> None:
    _november(world)
    station = world.s.statistics.report(world.clerk, StatsQuery(NOV))
    assert _values(station)["received"] == 6  # H is the sub-bureau's
    with pytest.raises(PermissionDenied):
        world.s.statistics.report(world.clerk, StatsQuery(NOV, office_id=world.office_ids["WZCQ"]))
    other = world.s.statistics.report(world.other_clerk, StatsQuery(NOV))
    assert _values(other)["received"] == 0


def test_categories_can_be_counted_as_national_classes(world: World) -> None:
    _november(world)
    own = world.s.statistics.report(world.desk, StatsQuery(NOV))
    assert {r[0]: r[1] for r in own.table("by_category").rows} == {
        "交通工具类": 5, "食品类": 1, "其他": 1, "合计": 7}
    national = world.s.statistics.report(world.desk, StatsQuery(NOV, by_national=True))
    assert {r[0]: r[1] for r in national.table("by_category").rows} == {
        "交通工具": 5, "一般食品": 1, "其他服务": 1, "合计": 7}
    # The administrator maps 交通工具类 elsewhere, or to nothing.
    world.s.national_classes.set_class(world.admin, "vehicle", "goods_other")
    world.s.national_classes.set_class(world.admin, "food", None)
    again = world.s.statistics.report(world.desk, StatsQuery(NOV, by_national=True))
    assert {r[0]: r[1] for r in again.table("by_category").rows} == {
        "其他商品": 5, "（未对应国家分类）": 1, "其他服务": 1, "合计": 7}
    with pytest.raises(FieldError):
        world.s.national_classes.set_class(world.admin, "vehicle", "no_such_class")
    with pytest.raises(PermissionDenied):
        world.s.national_classes.set_class(world.clerk, "vehicle", "goods_food")


def test_an_older_database_gets_the_shipped_mapping_once(world: World) -> None:
    engine = world.s.ctx.engine
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE code_items SET parent = NULL")
        connection.exec_driver_sql("DELETE FROM code_items WHERE kind = 'national_class'")
    assert world.s.reference.install_new_code_tables() == ["national_class"]
    assert world.s.national_classes.install_mapping() == 18
    assert world.s.national_classes.mapping()["catering"] == "svc_catering"
    world.s.national_classes.set_class(world.admin, "catering", "svc_culture")
    assert world.s.national_classes.install_mapping() == 0  # the administrator's from now on
    assert world.s.national_classes.mapping()["catering"] == "svc_culture"


def test_periods_and_their_comparisons() -> None:
    q = Period.quarter(2026, 1)
    assert (q.start, q.end, q.label) == (date(2026, 1, 1), date(2026, 3, 31), "2026年第1季度")
    assert q.previous() == Period.quarter(2025, 4)
    assert q.year_before() == Period.quarter(2025, 1)
    m = Period.month(2024, 2)
    assert m.end == date(2024, 2, 29) and m.year_before().end == date(2023, 2, 28)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    r = Period(date(2026, 3, 1), date(2026, 3, 10))
    assert r.kind is PeriodKind.RANGE and r.previous() == Period(date(2026, 2, 19), date(2026, 2, 28))
    with pytest.raises(FieldError):
        Period(date(2026, 3, 2), date(2026, 3, 1))


def test_the_doc_defines_every_figure_as_the_window_does() -> None:
    from desktop.domain.statistics import FIGURES

    doc = (Path(__file__).parents[2] / "docs" / "statistics.md").read_text("utf-8")
    for f in FIGURES:
        assert f"**{f.label}**" in doc, f.label
        assert f.definition in doc, f.label


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("stats-demo")
    s = open_services(data)
    try:
        build_demo(s, complaints=4000)  # the bulk path: final-state rows
    finally:
        s.close()
    return data


def test_figures_agree_with_plain_sql_on_a_generated_database(demo: Path) -> None:
    s = open_services(demo)
    try:
        admin = s.users.login("juzhang", "demo1234")
        today = s.ctx.clock.today()
        year = Period.year(today.year - 1)
        sub = next(o for o in s.offices.all() if o.code == "WZCQ")
        report = s.statistics.report(admin, StatsQuery(year, office_id=sub.id))
    finally:
        s.close()
    db = office_db(demo)
    scope = "(SELECT id FROM offices WHERE code = 'WZCQ' OR parent_id = (SELECT id FROM offices WHERE code = 'WZCQ'))"
    where = (f"office_id IN {scope} AND received_at >= '{year.start}' AND received_at < '{year.end.year + 1}-01-01'")
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    values = _values(report)
    assert values["received"] == one(f"SELECT COUNT(*) FROM complaints WHERE {where}") > 0
    closed_where = (f"office_id IN {scope} AND status = 'closed' AND closed_on BETWEEN "
                    f"'{year.start}' AND '{year.end}' AND kind IN ('complaint', 'report')")
    assert values["closed"] == one(f"SELECT COUNT(*) FROM complaints WHERE {closed_where}") > 0
    assert values["recovered"] == (one(f"SELECT COALESCE(SUM(recovered_cents), 0) FROM complaints WHERE {closed_where}")) / 100
    assert values["at_fault"] == one(f"SELECT COUNT(*) FROM complaints WHERE {closed_where} AND at_fault = 1")
    settled = one(f"SELECT COUNT(*) FROM complaints WHERE {closed_where} AND result = 'settled'")
    mediated = one(f"SELECT COUNT(*) FROM complaints WHERE {closed_where} AND result IN ('settled', 'not_settled', 'terminated')")
    assert values["mediation_success_rate"] == pytest.approx(settled / mediated)
    dispatched = one(f"SELECT COUNT(*) FROM complaints WHERE {where} AND channel_code = 'district'")
    assert values["dispatched"] == dispatched
    by_channel = dict(db.execute(
        f"SELECT ci.label, COUNT(*) FROM complaints c JOIN code_items ci ON ci.kind = 'channel' "
        f"AND ci.code = c.channel_code WHERE c.{where.replace('AND ', 'AND c.')} GROUP BY ci.label").fetchall())
    assert {r[0]: r[1] for r in report.table("by_channel").rows if r[0] != "合计"} == by_channel
    months = db.execute(f"SELECT substr(received_at, 1, 7), COUNT(*) FROM complaints WHERE {where} "
                        "GROUP BY 1 ORDER BY 1").fetchall()
    assert list(report.trend) == [n for _, n in months]
    # Every late item's limit and days, recomputed here from its rule set's 7 working days, agree
    # for the acceptance limit (the bulk rows are accepted 1–5 working days after receipt: none late).
    assert not [x for x in report.late if x.limit == "受理决定"]
