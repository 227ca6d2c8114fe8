"""Tests for the demo corpus: valid check digits, realistic shapes, determinism, industry coherence."""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal

import pytest

from desktop.demo import corpus
from desktop.demo.corpus import (
    CATEGORY_CODES,
    INDUSTRIES,
    EnterpriseSeed,
    Person,
    Scenario,
    enterprise,
    enterprises,
    mediation_note,
    person,
    scenario,
    settlement_terms,
)

# ---------------------------------------------------------------- independent check algorithms
_USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_valid(code: str) -> bool:
    if len(code) != 18 or any(ch not in _USCC for ch in code):
        return False
    weights = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, ... as in GB 32100
    total = sum(_USCC.index(ch) * w for ch, w in zip(code[:17], weights, strict=True))
    return _USCC[(31 - total % 31) % 31] == code[17]


def id_valid(number: str) -> bool:
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    weights = [pow(2, 17 - i, 11) for i in range(17)]  # 7, 9, 10, 5, ... as in GB 11643
    total = sum(int(ch) * w for ch, w in zip(number[:17], weights, strict=True))
    return "10X98765432"[total % 11] == number[17]


@pytest.mark.parametrize(
    "code",
    ["914403001922038216", "9144030071526726XG", "91330100716105852F"],  # Huawei, Tencent, Alibaba
)
def test_uscc_check_accepts_real_codes(code: str) -> None:
    assert uscc_valid(code)


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_id_check_accepts_published_examples(number: str) -> None:
    assert id_valid(number)


def test_checks_reject_altered_values() -> None:
    assert not uscc_valid("914403001922038217")
    assert not id_valid("110105194912310021")


# ---------------------------------------------------------------- people
def test_people_look_real() -> None:
    rng = random.Random(7)
    people = [person(rng) for _ in range(1000)]
    for p in people:
        assert isinstance(p, Person)
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", p.name), p.name
        assert re.fullmatch(r"1[3-9]\d{9}", p.mobile), p.mobile
        assert re.fullmatch(r"苏州市(姑苏区|吴中区|相城区|工业园区|高新区|吴江区)\S+\d+号\S*\d+幢\d+室", p.address)
        if p.id_number is not None:
            assert id_valid(p.id_number), p.id_number
            assert p.id_number.startswith("3205")
            born = date(int(p.id_number[6:10]), int(p.id_number[10:12]), int(p.id_number[12:14]))
            assert date(1950, 1, 1) <= born <= date(2005, 12, 31)
    share = sum(p.id_number is not None for p in people) / len(people)
    assert 0.22 < share < 0.38
    assert len({p.name for p in people}) > 500
    assert any(p.name[:2] in corpus._COMPOUND for p in people)
    assert len({p.name[0] for p in people}) > 40


# ---------------------------------------------------------------- enterprises
def test_enterprises_are_distinct_and_valid() -> None:
    seeds = enterprises(random.Random(3), 200)
    assert len(seeds) == 200
    assert len({e.name for e in seeds}) == 200
    assert len({e.credit_code for e in seeds}) == 200
    areas = {"320505", "320506", "320507", "320508", "320509", "320594"}
    for e in seeds:
        assert isinstance(e, EnterpriseSeed)
        assert uscc_valid(e.credit_code), e.credit_code
        assert e.credit_code.startswith("91") and e.credit_code[2:8] in areas
        assert not set(e.credit_code) & set("IOSVZ")
        assert e.industry in INDUSTRIES
        assert re.fullmatch(r"0512-6\d{7}", e.phone)
        assert e.address.startswith("苏州市") and "号" in e.address
        assert e.name.endswith(("公司", "酒家", "美容院"))
    assert len({e.industry for e in seeds}) == len(INDUSTRIES)


def test_enterprise_respects_industry() -> None:
    rng = random.Random(11)
    for industry in INDUSTRIES:
        e = enterprise(rng, industry)
        assert e.industry == industry
    assert "汽车销售服务" in enterprise(rng, "汽车销售(4S)").name
    with pytest.raises(ValueError):
        enterprise(rng, "不存在的行业")


# ---------------------------------------------------------------- scenarios
def test_scenarios_are_well_formed_and_varied() -> None:
    rng = random.Random(5)
    before = date(2025, 12, 31)
    items = [scenario(rng, before=before) for _ in range(2000)]
    for s in items:
        assert isinstance(s, Scenario)
        assert s.category_code in CATEGORY_CODES
        assert s.request_type in corpus.REQUEST_TYPES
        assert s.amount > 0 and s.amount.as_tuple().exponent == -2
        assert s.subject and s.request.startswith("要求")
        assert 2 <= s.facts.count("。") <= 5, s.facts
        assert "{" not in s.facts + s.request
        for y, m, d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", s.facts):
            assert date(int(y), int(m), int(d)) <= before
    assert len(corpus._TEMPLATES) >= 40
    assert {s.category_code for s in items} == set(CATEGORY_CODES)
    assert {s.request_type for s in items} == set(corpus.REQUEST_TYPES)
    assert len({s.subject for s in items}) > 150
    assert len({s.facts for s in items}) > 1900
    assert sum(bool(re.search(r"1[3-9]\d{9}", s.facts)) for s in items) > 100


def test_every_template_item_has_a_fitting_variant() -> None:
    for tpl in corpus._TEMPLATES:
        assert tpl.cat in CATEGORY_CODES and tpl.facts
        assert {r.partition(":")[0] for r in tpl.reqs} <= set(corpus.REQUEST_TYPES)
        for subject, *_ in tpl.items:
            assert any(corpus._fits(x, subject) for x in tpl.xs), subject
    assert not corpus._fits("!新能源>发动机怠速抖动", "比亚迪汉新能源轿车")
    assert corpus._fits("新能源>动力电池报警", "比亚迪汉新能源轿车")


def test_complainant_can_appear_in_facts() -> None:
    rng = random.Random(9)
    who = person(rng)
    texts = [scenario(rng, complainant=who).facts for _ in range(300)]
    assert any(who.name in t or who.mobile in t for t in texts)


@pytest.mark.parametrize(
    ("industry", "allowed"),
    [
        ("汽车销售(4S)", {"vehicle"}),
        ("健身", {"prepaid"}),
        ("装饰装修", {"decoration", "housing"}),
        ("家居建材", {"housing", "daily"}),
        ("旅行社", {"travel", "catering"}),
        ("超市", {"food", "appliance", "prepaid", "other"}),
    ],
)
def test_scenario_matches_industry(industry: str, allowed: set[str]) -> None:
    rng = random.Random(13)
    cats = {scenario(rng, industry).category_code for _ in range(200)}
    assert cats <= allowed


def test_every_industry_has_scenarios() -> None:
    rng = random.Random(17)
    for industry in INDUSTRIES:
        assert scenario(rng, industry).category_code in CATEGORY_CODES
    with pytest.raises(ValueError):
        scenario(rng, "不存在的行业")


def test_mediation_and_settlement_text() -> None:
    rng = random.Random(21)
    for _ in range(300):
        s = scenario(rng)
        content, result = mediation_note(rng, s)
        assert s.subject in content and "调解" in content and result
        terms = settlement_terms(rng, s)
        assert terms.startswith(("经营者", "消费者")) and terms.endswith("。")
        for amount in re.findall(r" ([\d,]+\.\d{2}) 元", terms):
            assert Decimal(amount.replace(",", "")) > 0


def test_same_seed_same_output() -> None:
    def run(seed: int) -> list[object]:
        rng = random.Random(seed)
        out: list[object] = [person(rng) for _ in range(20)]
        out += enterprises(rng, 30)
        for _ in range(20):
            s = scenario(rng)
            out += [s, mediation_note(rng, s), settlement_terms(rng, s)]
        return out

    assert run(42) == run(42)
    assert run(42) != run(43)


def test_the_bulk_rows_phone_draws_what_a_whole_person_draws() -> None:
    """The bulk generator keeps only a person's mobile and draws it more cheaply; the random
    stream must stay exactly as corpus.person leaves it, or the demo database changes."""
    import random

    from desktop.demo import corpus
    from desktop.demo.generate import _person_mobile

    whole, lean = random.Random(2026), random.Random(2026)
    for _ in range(20_000):
        assert _person_mobile(lean) == corpus.person(whole).mobile
    assert lean.getstate() == whole.getstate()
