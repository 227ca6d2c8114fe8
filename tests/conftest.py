"""Shared fixtures: a real office database in a temporary folder, with a fixed clock.

A world (the test district's offices, an administrator and seven staff with real argon2
passwords) is built once per session for each office it may be, then copied into each test's
own folder: migrating and seeding a database and hashing eight passwords took most of a GUI
test's time. The copy is the very file a fresh build would leave (same ids, users, clock)."""

from __future__ import annotations

import gc
import importlib
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest
from argon2 import PasswordHasher

import desktop.services.users as users_module
from desktop import paths
from desktop.bootstrap import Services, open_services
from desktop.db.connection import connect
from desktop.domain.complaint import ComplaintDraft
from desktop.domain.workflow import Role
from desktop.security import keys
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


@pytest.fixture(scope="session", autouse=True)
def collect_only_what_tests_make() -> Iterator[None]:
    """What is alive when the first test starts (every module the collection imported, pytest's
    own objects) is set aside from the cyclic garbage collector, which then looks only at what
    tests make: the GUI tests' collection after each test took ~0.15 s walking a heap that never
    changes."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


# Real argon2, with the cheapest parameters: the suite creates hundreds of accounts.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users_module, "_hasher", FAST_HASHER)


@pytest.fixture(scope="session", autouse=True)
def fast_key_wrapping() -> Iterator[None]:
    """The data key's wraps with argon2id's cheapest parameters (the explicit test setting of
    security/keys.py; production's stay the default). Each wrap records its parameters."""
    previous = keys.use_kdf_params(keys.FAST_FOR_TESTS)
    yield
    keys.use_kdf_params(previous)


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


def build_world(data_dir: Path, local_office: str = "WZCQ") -> World:
    """An office database with the whole test district, built from nothing (migrations,
    reference data, offices, accounts); `local_office` is which office it is."""
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


USERS = ("admin", "desk", "clerk", "head", "other_clerk", "dept_head", "cp", "deputy")


@dataclass(frozen=True)
class _Template:
    database: Path  # checkpointed: the whole database is in this one file
    keyfile: Path  # hejie.keys beside it: every test user's wrap of its data key
    key: keys.DataKey
    office_ids: dict[str, int]
    users: dict[str, CurrentUser]  # World's field name -> the user as login() returned it


class WorldTemplates:
    """Built worlds, each kept as a database file to copy.

    A test's second world of the same office gets a template of its own, so that two office
    programs in one test never share the uuids of their users and offices, as before. (Worlds
    of different tests do share them; each test has its own hub, so nothing meets them twice.)
    A template is built the first time a test asks for it, inside that test: a test that
    patches something building a world runs (the migrations, set-up, users) must not make a
    world after patching, or the patch is baked into the template the later tests copy."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._built: dict[tuple[str, int], _Template] = {}
        self._made: Counter[str] = Counter()  # worlds made in the running test, by office

    def next_test(self) -> None:
        self._made.clear()

    def world(self, data_dir: Path, local_office: str) -> World:
        key = (local_office, self._made[local_office])
        self._made[local_office] += 1
        template = self._built.get(key)
        if template is None:
            template = self._built[key] = self._build(*key)
        if paths.database_path(data_dir).exists():
            raise FileExistsError(f"{data_dir}: a world is made where there is no database yet")
        paths.secure_data_dir(data_dir)  # as open_services does before SQLite creates anything
        shutil.copyfile(template.database, paths.database_path(data_dir))
        shutil.copyfile(template.keyfile, keys.keys_path(data_dir))
        keys.remember(data_dir, template.key)  # as a login of this test would have
        clock = FixedClock(NOW)
        return World(s=open_services(data_dir, clock=clock), clock=clock,
                     office_ids=dict(template.office_ids), **template.users)

    def _build(self, local_office: str, n: int) -> _Template:
        data_dir = self.folder / f"{local_office}-{n}"
        with pytest.MonkeyPatch.context() as patch:  # the hashes the tests' logins expect
            patch.setattr(users_module, "_hasher", FAST_HASHER)
            built = build_world(data_dir, local_office)
        # Without Services.close(): its PRAGMA optimize was never in a fresh test's database.
        built.s.ctx.engine.dispose()
        database = paths.database_path(data_dir)
        key = built.s.ctx.keyring.key if built.s.ctx.keyring else keys.DataKey.new()
        con = connect(database, key)
        try:
            busy, _, _ = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            con.close()
        wal = database.with_name(database.name + "-wal")
        if busy or (wal.exists() and wal.stat().st_size):
            raise RuntimeError(f"{database}: the write-ahead log was not emptied into the file")
        return _Template(database, keys.keys_path(data_dir), key, dict(built.office_ids),
                         {name: getattr(built, name) for name in USERS})


# pytest imports this file as `conftest`, and the helpers that import make_world import it again
# as `tests.conftest`: the session's templates are kept in the latter, for both to find.
_templates: WorldTemplates | None = None


def _shared() -> ModuleType:
    return importlib.import_module("tests.conftest")


@pytest.fixture(scope="session", autouse=True)
def world_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorldTemplates]:
    shared = _shared()
    shared._templates = shared.WorldTemplates(tmp_path_factory.mktemp("world-templates"))
    yield shared._templates
    shared._templates = None


@pytest.fixture(autouse=True)
def _worlds_of_this_test(world_templates: WorldTemplates) -> None:
    world_templates.next_test()


def make_world(data_dir: Path, local_office: str = "WZCQ") -> World:
    """An office database with the whole test district in `data_dir` (without one yet);
    `local_office` is which office it is. Copied from the session's template of it."""
    templates = _shared()._templates
    if templates is None:  # outside a pytest session
        return build_world(data_dir, local_office)
    return templates.world(data_dir, local_office)


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
