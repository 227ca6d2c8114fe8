"""Shared fixtures: a real office database in a temporary folder, with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

import desktop.services.users as users_module
from desktop.bootstrap import Services, open_services
from desktop.domain.complaint import ComplaintDraft
from desktop.domain.workflow import Role
from desktop.services.base import FixedClock
from desktop.services.dto import CurrentUser
from desktop.services.offices import OfficeSpec

PASSWORD = "test1234"
NOW = datetime(2026, 11, 20, 10, 0)

OFFICES = [
    OfficeSpec("WZ", "吴中区市场监督管理局", "district"),
    OfficeSpec("WZCQ", "长桥分局", "sub_bureau", "WZ"),
    OfficeSpec("WZMD", "木渎分局", "sub_bureau", "WZ"),
    OfficeSpec("WZCQ01", "万达广场投诉站", "station", "WZCQ", "large"),
    OfficeSpec("WZMD01", "家居城投诉站", "station", "WZMD", "hotspot"),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, with the cheapest parameters: the suite creates hundreds of accounts."""
    monkeypatch.setattr(users_module, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@dataclass
class World:
    s: Services
    clock: FixedClock
    admin: CurrentUser
    desk: CurrentUser  # WZCQ desk staff
    clerk: CurrentUser  # WZCQ01 station clerk
    head: CurrentUser  # WZCQ01 station head
    other_clerk: CurrentUser  # WZMD01 station clerk
    dept_head: CurrentUser  # district department head
    office_ids: dict[str, int]
    cp: CurrentUser  # district consumer-protection section 消保科
    deputy: CurrentUser  # district deputy director 分管局长


def make_world(data_dir: Path, local_office: str = "WZCQ") -> World:
    """An office database with the whole test district; `local_office` is which office it is."""
    clock = FixedClock(NOW)
    s = open_services(data_dir, clock=clock)
    s.setup.initialize(offices=OFFICES, local_office_code=local_office, admin_username="admin",
                       admin_name="管理员", admin_password=PASSWORD)
    admin = s.users.login("admin", PASSWORD)
    ids = {o.code: o.id for o in s.offices.all()}
    people = {
        "desk": ("WZCQ", {Role.DESK_STAFF}),
        "clerk": ("WZCQ01", {Role.CLERK}),
        "head": ("WZCQ01", {Role.STATION_HEAD}),
        "other": ("WZMD01", {Role.CLERK}),
        "dept": ("WZ", {Role.DEPARTMENT_HEAD}),
        "section": ("WZ", {Role.CONSUMER_PROTECTION}),
        "deputy": ("WZ", {Role.DEPUTY_DIRECTOR}),
    }
    for username, (office, roles) in people.items():
        s.users.create(admin, username=username, display_name=username, password=PASSWORD,
                       office_id=ids[office], roles=roles)
    login = lambda name: s.users.login(name, PASSWORD)  # noqa: E731
    return World(s, clock, admin, login("desk"), login("clerk"), login("head"), login("other"),
                 login("dept"), ids, login("section"), login("deputy"))


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = make_world(tmp_path / "data")
    yield w
    w.s.close()


def draft(**overrides: object) -> ComplaintDraft:
    values: dict[str, object] = dict(
        channel_code="walkin",
        received_at=datetime(2026, 11, 19, 9, 30),
        complainant_name="张伟",
        complainant_phone="13812345678",
        complainant_address="苏州市吴中区长桥街道宝带西路 100 号",
        respondent_name="苏州东吴汽车销售服务有限公司",
        respondent_credit_code="914403001922038216",
        respondent_address="苏州市吴中区长桥街道龙西路 8 号",
        subject="家用轿车",
        category_code="vehicle",
        amount="158000.00",
        request_type="exchange",
        request="要求更换新车",
        facts="新车购买三天后发动机故障灯亮起，4S 店维修两次仍未解决，要求退款或更换新车。",
    )
    values.update(overrides)
    return ComplaintDraft(**values)  # type: ignore[arg-type]
