"""Enterprise credit lists on a hand-built register: who is 零投诉, who are the 红/黑榜
candidates, confirmation before export, 消费警示 hints."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from desktop.domain.errors import FieldError, PermissionDenied, TransitionError
from desktop.domain.validators import credit_code_check_char
from desktop.services.credit_lists import CreditRules
from tests.conftest import World, draft


def _code(n: int) -> str:
    first = f"91320506MA{n:07d}"
    return first + credit_code_check_char(first)


def _world(w: World) -> dict[str, int]:
    """Five enterprises; complaints of 2026 set by hand (office, at_fault, termination)."""
    s = w.s
    names = {"mall": ("吴中万达广场", True), "shop": ("长桥便民超市", True),
             "cars": ("东吴汽车销售服务有限公司", False), "sofa": ("木渎家居城", True),
             "quiet": ("宝带桥茶社", False)}
    ids = {}
    for i, (key, (name, alliance)) in enumerate(names.items(), start=1):
        s.enterprises.save(w.admin, name=name, credit_code=_code(i), alliance_member=alliance)
        ids[key] = next(e.id for e in s.enterprises.list(w.admin, name))
    station, bureau = w.office_ids["WZCQ01"], w.office_ids["WZCQ"]

    def complaint(key: str, office: int, *, at_fault: bool | None, ground: str | None = None,
                  when: datetime = datetime(2026, 5, 6, 10, 0), category: str = "vehicle") -> None:
        i = list(names).index(key) + 1
        cid = s.complaints.register(w.desk, draft(respondent_name=names[key][0],
                                                  respondent_credit_code=_code(i),
                                                  received_at=when, category_code=category)).ids[0]
        with s.ctx.engine.begin() as c:
            c.execute(text("UPDATE complaints SET office_id=:o, at_fault=:f, termination_ground=:g "
                           "WHERE id=:id"), {"o": office, "f": at_fault, "g": ground, "id": cid})

    complaint("mall", station, at_fault=True)  # settled at the station: does not count
    complaint("mall", bureau, at_fault=False)  # reached the bureau, not at fault
    complaint("shop", bureau, at_fault=True)  # reached the bureau at fault: not 零投诉
    for _ in range(3):
        complaint("cars", bureau, at_fault=True, category="vehicle")
    complaint("sofa", bureau, at_fault=None, ground="refused_attend", category="decoration")
    complaint("sofa", bureau, at_fault=None, ground="refused_attend", category="decoration")
    complaint("quiet", bureau, at_fault=True, when=datetime(2025, 12, 30, 9, 0))  # last year
    return ids


def _names(lines) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(x.name for x in lines)


def test_zero_red_black_by_the_rules(world: World) -> None:
    _world(world)
    lists = world.s.credit_lists
    assert _names(lists.entries(world.cp, 2026, "zero")) == sorted(
        ["吴中万达广场", "木渎家居城", "宝带桥茶社"])
    mall = next(x for x in lists.entries(world.cp, 2026, "zero") if x.name == "吴中万达广场")
    assert (mall.complaints, mall.at_fault_bureau, mall.at_fault_station) == (2, 0, 1)
    # Red: alliance members among them (宝带桥茶社 is not one).
    assert _names(lists.entries(world.cp, 2026, "red")) == sorted(["吴中万达广场", "木渎家居城"])
    # Black: three at-fault complaints, or two refused mediations.
    black = lists.entries(world.cp, 2026, "black")
    assert [x.name for x in black] == ["东吴汽车销售服务有限公司", "木渎家居城"]
    assert "有责任投诉 3 件" in black[0].why and "拒绝调解 2 件" in black[1].why
    # 2025: 宝带桥茶社 had an at-fault complaint at the bureau.
    assert "宝带桥茶社" not in _names(lists.entries(world.cp, 2025, "zero"))

    # The administrator changes the rules: red for anyone, black from one at-fault complaint.
    with pytest.raises(PermissionDenied):
        lists.set_rules(world.cp, CreditRules())
    lists.set_rules(world.admin, CreditRules(red_alliance_only=False, black_min_at_fault=1,
                                             black_min_refused=5))
    assert lists.rules().black_min_at_fault == 1
    assert "宝带桥茶社" in _names(lists.entries(world.cp, 2026, "red"))
    assert _names(lists.entries(world.cp, 2026, "black")) == sorted(
        ["东吴汽车销售服务有限公司", "长桥便民超市"])


def test_confirmation_before_export_and_print(world: World, tmp_path: Path) -> None:
    ids = _world(world)
    lists = world.s.credit_lists
    target = tmp_path / "红榜.xlsx"
    with pytest.raises(TransitionError):
        lists.export(world.cp, 2026, "red", target)
    with pytest.raises(TransitionError):
        lists.pdf(world.cp, 2026, "red")
    assert not target.exists()
    with pytest.raises(PermissionDenied):
        lists.confirm(world.desk, 2026, "red", ids["mall"], "全年零投诉")
    with pytest.raises(FieldError):
        lists.confirm(world.cp, 2026, "red", ids["mall"], "  ")
    with pytest.raises(TransitionError):  # not a candidate
        lists.confirm(world.cp, 2026, "red", ids["cars"], "试试")
    lists.confirm(world.cp, 2026, "red", ids["mall"], "全年无有责任投诉，站内和解及时")

    lists.export(world.cp, 2026, "red", target)
    ws = openpyxl.load_workbook(target)["诚信红榜"]
    assert ws.freeze_panes == "A4"
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True)]
    assert [r[1] for r in rows] == ["吴中万达广场"]  # only the confirmed one
    assert rows[0][10] == "全年无有责任投诉，站内和解及时"
    pdf = lists.pdf(world.cp, 2026, "red")
    assert pdf.startswith(b"%PDF")

    lists.withdraw(world.cp, 2026, "red", ids["mall"], "复核后撤回")
    with pytest.raises(TransitionError):
        lists.export(world.cp, 2026, "red", target)
    with world.s.ctx.engine.connect() as c:
        actions = [r[0] for r in c.execute(text(
            "SELECT action FROM audit_log WHERE entity = 'credit_lists' ORDER BY id"))]
    assert actions[0] == "确认诚信红榜" and actions[-1] == "撤销诚信红榜确认"


def test_warning_hints_rise_against_the_previous_period(world: World) -> None:
    _world(world)
    for day in (3, 4):  # two more 装修 complaints in June; May had the two of 木渎家居城
        world.s.complaints.register(world.desk, draft(category_code="decoration",
                                                      received_at=datetime(2026, 6, day, 9, 0)))
    for day in (5, 6, 7):
        world.s.complaints.register(world.desk, draft(category_code="appliance",
                                                      received_at=datetime(2026, 6, day, 9, 0)))
    hints = world.s.credit_lists.warning_hints(world.cp, date(2026, 6, 1), date(2026, 6, 30))
    assert hints.previous_start == date(2026, 5, 2) and hints.previous_end == date(2026, 5, 31)
    assert [r.current for r in hints.categories][:1] == [3]
    assert hints.categories[0].previous == 0
    assert "消费警示（草稿）" in hints.draft and "2026年06月01日" in hints.draft
