"""Maintaining the office tree: administrators only, checked fields, one audited unit of work."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from desktop.db.models import AuditEntry
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import FieldError, PermissionDenied
from tests.conftest import World


def _office(world: World, code: str):  # type: ignore[no-untyped-def]
    return next(o for o in world.s.offices.all() if o.code == code)


def _audit(world: World, action: str) -> list[AuditEntry]:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return list(uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _new_station(world: World, **overrides: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = dict(
        office_id=None, code="wzcq02", name=" 新区商场投诉站 ", kind="station",
        parent_id=world.office_ids["WZCQ"], tier="general", address="苏州市吴中区东吴北路 1 号",
        phone="051265201234", seal_text="",
    )
    values.update(overrides)
    return world.s.offices.save(world.admin, **values)  # type: ignore[arg-type]


def test_admin_adds_a_station_under_a_sub_bureau(world: World) -> None:
    changed = _new_station(world)
    assert changed.entity == "office" and changed.created
    office = _office(world, "WZCQ02")  # codes are stored upper-case
    assert changed.ids == (office.id,)
    assert office.name == "新区商场投诉站"
    assert office.parent_id == world.office_ids["WZCQ"]
    assert office.tier == "general"
    assert office.phone == "0512-65201234"
    assert office.seal_text == "新区商场投诉站"  # empty seal text: the office's name

    entries = _audit(world, "维护单位")
    assert [e.operation for e in entries] == ["insert"]
    assert entries[0].entity == "offices" and entries[0].username == "admin"
    assert json.loads(entries[0].after)["code"] == "WZCQ02"
    assert world.s.audit.verify().ok


def test_admin_edits_an_office_and_the_change_is_audited(world: World) -> None:
    station = _office(world, "WZCQ01")
    changed = world.s.offices.save(
        world.admin, office_id=station.id, code="WZCQ01", name="万达广场消费维权服务站",
        kind="station", parent_id=station.parent_id, tier="hotspot", address="宝带西路 1 号",
        phone="", seal_text="吴中区万达广场消费维权服务站")
    assert changed.ids == (station.id,) and not changed.created
    after = _office(world, "WZCQ01")
    assert (after.name, after.tier, after.address, after.seal_text) == (
        "万达广场消费维权服务站", "hotspot", "宝带西路 1 号", "吴中区万达广场消费维权服务站")
    entry = _audit(world, "维护单位")[-1]
    assert entry.operation == "update"
    assert json.loads(entry.before)["name"] == "万达广场投诉站"
    assert json.loads(entry.after)["name"] == "万达广场消费维权服务站"


def test_only_an_administrator_maintains_offices(world: World) -> None:
    with pytest.raises(PermissionDenied, match="维护单位"):
        world.s.offices.save(
            world.desk, office_id=None, code="WZCQ03", name="某站", kind="station",
            parent_id=world.office_ids["WZCQ"], tier="general", address="", phone="",
            seal_text="")
    assert "WZCQ03" not in {o.code for o in world.s.offices.all()}
    assert _audit(world, "维护单位") == []


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        (dict(code="万达"), "单位代码", "大写字母或数字"),
        (dict(code="WZCQ01"), "单位代码", "已存在"),
        (dict(name="  "), "单位名称", "不能为空"),
        (dict(kind="shop"), "单位类型", "之一"),
        (dict(tier=None), "投诉站类别", "之一"),
        (dict(parent_id=None), "上级单位", "必须有上级单位"),
        (dict(parent_id=999), "上级单位", "不存在"),
        (dict(kind="sub_bureau", parent_id="WZCQ"), "上级单位", "只能设在区局之下"),
        (dict(kind="district", parent_id="WZ"), "上级单位", "最上级"),
        (dict(phone="12315"), "电话", "固定电话"),
        (dict(seal_text="印" * 101), "印章文字", "100"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(world: World, overrides: dict, field: str,
                                                  text: str) -> None:
    if isinstance(overrides.get("parent_id"), str):
        overrides = {**overrides, "parent_id": world.office_ids[overrides["parent_id"]]}
    with pytest.raises(FieldError, match=text) as refused:
        _new_station(world, **overrides)
    assert refused.value.field == field
    assert len(world.s.offices.all()) == 5
    assert _audit(world, "维护单位") == []


def test_an_existing_office_keeps_its_code_and_kind(world: World) -> None:
    station = _office(world, "WZCQ01")
    common = dict(office_id=station.id, name=station.name, parent_id=station.parent_id,
                  tier="large", address="", phone="", seal_text="")
    with pytest.raises(FieldError, match="代码不能修改") as refused:
        world.s.offices.save(world.admin, code="WZCQ09", kind="station", **common)
    assert refused.value.field == "单位代码"
    with pytest.raises(FieldError, match="类型不能修改"):
        world.s.offices.save(world.admin, code="WZCQ01", kind="sub_bureau", **common)
    # The same code typed in lower case is the same code.
    world.s.offices.save(world.admin, code="wzcq01", kind="station", **common)
    assert _office(world, "WZCQ01").seal_text == station.name


def test_a_station_moves_to_another_sub_bureau(world: World) -> None:
    station = _office(world, "WZCQ01")
    world.s.offices.save(
        world.admin, office_id=station.id, code=station.code, name=station.name, kind="station",
        parent_id=world.office_ids["WZMD"], tier=station.tier, address="", phone="",
        seal_text=station.seal_text)
    assert _office(world, "WZCQ01").parent_id == world.office_ids["WZMD"]
