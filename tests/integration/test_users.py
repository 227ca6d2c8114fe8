"""Users: argon2 passwords, lock-out after repeated failures, roles, disabling."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desktop.db.models import User
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import AuthenticationError, FieldError, PermissionDenied
from desktop.domain.workflow import Role
from tests.conftest import PASSWORD, World


def test_password_is_stored_as_argon2_and_never_in_the_audit(world: World) -> None:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        user = uow.session.query(User).filter_by(username="clerk").one()
        assert user.password_hash.startswith("$argon2")
        assert PASSWORD not in user.password_hash
    from sqlalchemy import text

    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        stored = uow.session.execute(text("SELECT after FROM audit_log WHERE entity='users'")).scalars()
        assert all("$argon2" not in (a or "") for a in stored)


def test_five_failures_lock_the_account_for_a_while(world: World) -> None:
    s = world.s
    for _ in range(4):
        with pytest.raises(AuthenticationError, match="用户名或密码不正确"):
            s.users.login("clerk", "wrong-password1")
    with pytest.raises(AuthenticationError, match="锁定 15 分钟"):
        s.users.login("clerk", "wrong-password1")
    with pytest.raises(AuthenticationError, match="已锁定"):
        s.users.login("clerk", PASSWORD)  # even the right password waits
    world.clock.at = world.clock.at + timedelta(minutes=16)
    assert s.users.login("clerk", PASSWORD).username == "clerk"


def test_disabled_user_cannot_log_in_and_only_admins_manage_users(world: World) -> None:
    s = world.s
    with pytest.raises(PermissionDenied):
        s.users.set_active(world.desk, world.clerk.id, False)
    s.users.set_active(world.admin, world.clerk.id, False)
    with pytest.raises(AuthenticationError, match="停用"):
        s.users.login("clerk", PASSWORD)
    with pytest.raises(FieldError, match="自己"):
        s.users.set_active(world.admin, world.admin.id, False)


def test_change_password_and_strength(world: World) -> None:
    s = world.s
    with pytest.raises(FieldError, match="原密码"):
        s.users.change_password(world.clerk, "nope", "better1234")
    with pytest.raises(FieldError, match="至少 8 位"):
        s.users.change_password(world.clerk, PASSWORD, "short1")
    s.users.change_password(world.clerk, PASSWORD, "better1234")
    assert s.users.login("clerk", "better1234").id == world.clerk.id


def test_create_checks_names_and_roles(world: World) -> None:
    s = world.s
    with pytest.raises(FieldError, match="已被使用"):
        s.users.create(world.admin, username="clerk", display_name="x", password=PASSWORD,
                       office_id=world.clerk.office_id, roles={Role.CLERK})
    with pytest.raises(FieldError, match="至少选择一个角色"):
        s.users.create(world.admin, username="newbie", display_name="x", password=PASSWORD,
                       office_id=world.clerk.office_id, roles=set())
    with pytest.raises(AuthenticationError, match="已有用户"):
        s.users.create(None, username="sneaky", display_name="x", password=PASSWORD,
                       office_id=world.clerk.office_id, roles={Role.ADMIN})
    info = s.users.set_roles(world.admin, world.clerk.id, {Role.CLERK, Role.STATION_HEAD})
    assert set(info.roles) == {Role.CLERK, Role.STATION_HEAD}
    assert s.users.login("clerk", PASSWORD).has(Role.STATION_HEAD)
    assert isinstance(world.clock.at, datetime)


def test_role_changes_are_audited_both_ways(world: World) -> None:
    from sqlalchemy import text

    s = world.s
    s.users.set_roles(world.admin, world.clerk.id, {Role.CLERK, Role.STATION_HEAD})
    s.users.set_roles(world.admin, world.clerk.id, {Role.STATION_HEAD})
    with UnitOfWork(s.ctx.engine, write=False) as uow:
        rows = uow.session.execute(text(
            "SELECT operation, coalesce(after, before) FROM audit_log WHERE entity='user_roles' "
            "AND root_uuid = (SELECT uuid FROM users WHERE username='clerk') ORDER BY id")).all()
    ops = [(op, "station_head" in data, "clerk" in data.replace("station_head", "")) for op, data in rows]
    assert ops[-2:] == [("insert", True, False), ("delete", False, True)]
    assert s.audit.verify().ok
    with pytest.raises(FieldError, match="管理员"):
        s.users.set_roles(world.admin, world.admin.id, {Role.CLERK})
