"""Users: create, disable, change password, roles; login with argon2 and lock-out after failures."""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from desktop.db.models import User, UserRole
from desktop.db.repositories import OfficeRepository, UserRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import AuthenticationError, FieldError, NotFound
from desktop.domain.workflow import Role
from desktop.security import lockout
from desktop.security.lockout import LOCK_MINUTES, MAX_FAILURES
from desktop.services.base import Service, current_user_from, require_role
from desktop.services.dto import CurrentUser, UserInfo
from desktop.services.lengths import check_column

_USERNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.]{2,31}$")
_hasher = PasswordHasher()


def check_password_strength(password: str) -> None:
    if len(password) < 8 or not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise FieldError("密码", "至少 8 位，且同时包含字母和数字")


def check_new_account(username: str, display_name: str, password: str) -> None:
    if not _USERNAME_RE.match(username or ""):
        raise FieldError("用户名", "以字母开头，3–32 位字母、数字、下划线或点")
    if not (display_name or "").strip():
        raise FieldError("姓名", "不能为空")
    check_column(User, "display_name", display_name, "姓名")
    check_password_strength(password)


def _info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        office_id=user.office_id,
        roles=tuple(Role(r.role) for r in user.roles),
        active=user.active,
        locked_until=user.locked_until,
    )


class UserService(Service):
    def login(self, username: str, password: str) -> CurrentUser:
        """Check the password; five failures lock the account for fifteen minutes."""
        now = self.ctx.clock.now()
        refused = AuthenticationError("用户名或密码不正确")
        with self._uow(None, "登录") as uow:
            user = UserRepository(uow.session).by_username(username.strip())
            if user is None:
                _hasher.hash(password)  # same cost as a real check: no timing hint
                raise refused
            if user.locked_until is not None and user.locked_until > now:
                raise lockout.still_locked(user.locked_until, now)
            if not self._password_ok(user, password):
                user.failed_logins += 1
                message = refused
                if user.failed_logins >= MAX_FAILURES:
                    user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                    user.failed_logins = 0
                    message = lockout.just_locked()
                uow.commit()
                raise message from None
            if not user.active:  # told only to someone who knows the password
                raise AuthenticationError("该账户已停用，请联系管理员")
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            keyring = self.ctx.keyring
            if keyring is not None and not keyring.has(user.username):
                keyring.wrap_user(user.username, password)  # a wrap lost to a crash: made again
            uow.commit()
            return current_user_from(user, OfficeRepository(uow.session))

    def _password_ok(self, user: User, password: str) -> bool:
        """The account's password hash says yes; or, when a crash came between writing the key
        file and the database, the user's key wrap opens with it (the hash then follows)."""
        try:
            _hasher.verify(user.password_hash, password)
            return True
        except (VerificationError, InvalidHashError):
            pass
        keyring = self.ctx.keyring
        if keyring is not None and user.active and keyring.opens(user.username, password):
            user.password_hash = _hasher.hash(password)
            return True
        return False

    def _wrap(self, username: str, password: str) -> Callable[[], None]:
        """Wrap the data key for `username` under `password`; returns the undo (for a failed
        commit of the database change that goes with it)."""
        keyring = self.ctx.keyring
        if keyring is None:
            return lambda: None
        before = keyring.wrap_user(username, password)
        return lambda: keyring.restore_user(username, before)

    def recover_admin(self, username: str, new_password: str) -> CurrentUser:
        """After the recovery key opened the database (no password left): give an active
        administrator a new password, which wraps the key for them, and log them in."""
        check_password_strength(new_password)
        with self._uow(None, "用恢复密钥重设管理员密码") as uow:
            user = UserRepository(uow.session).by_username(username.strip())
            if user is None or not user.active or Role.ADMIN.value not in {r.role for r in user.roles}:
                raise FieldError("管理员", f"「{username}」不是在用的管理员账户")
            undo = self._wrap(user.username, new_password)
            try:
                user.password_hash = _hasher.hash(new_password)
                user.failed_logins = 0
                user.locked_until = None
                user.last_login_at = self.ctx.clock.now()
                uow.commit()
            except BaseException:
                undo()
                raise
            return current_user_from(user, OfficeRepository(uow.session))

    def administrators(self) -> builtins.list[UserInfo]:
        """The active administrators (the recovery dialog offers them)."""
        with self._uow(None, "", write=False) as uow:
            return [_info(u) for u in UserRepository(uow.session).all()
                    if u.active and Role.ADMIN.value in {r.role for r in u.roles}]

    def create(
        self,
        admin: CurrentUser | None,
        *,
        username: str,
        display_name: str,
        password: str,
        office_id: int,
        roles: set[Role],
    ) -> UserInfo:
        """Create an account. `admin=None` only for the first administrator at set-up."""
        with self._uow(admin, "新建用户") as uow:
            users = UserRepository(uow.session)
            if admin is None and users.count() > 0:
                raise AuthenticationError("已有用户，新建用户需由管理员登录后操作")
            if admin is not None:
                require_role(admin, Role.ADMIN, doing="新建用户")
            check_new_account(username, display_name, password)
            if not roles:
                raise FieldError("角色", "至少选择一个角色")
            if users.by_username(username) is not None:
                raise FieldError("用户名", f"「{username}」已被使用")
            if OfficeRepository(uow.session).get(office_id) is None:
                raise FieldError("所属单位", "单位不存在")
            user = User(
                username=username,
                display_name=display_name.strip(),
                office_id=office_id,
                password_hash=_hasher.hash(password),
                roles=[UserRole(role=r.value) for r in sorted(roles)],
            )
            uow.session.add(user)
            undo = self._wrap(username, password)
            try:
                uow.commit()
            except BaseException:
                undo()
                raise
            return _info(user)

    def set_active(self, admin: CurrentUser, user_id: int, active: bool) -> UserInfo:
        with self._uow(admin, "启用用户" if active else "停用用户") as uow:
            require_role(admin, Role.ADMIN, doing="停用或启用用户")
            user = self._get(uow, user_id)
            if not active and user.id == admin.id:
                raise FieldError("用户", "不能停用当前登录的管理员自己")
            user.active = active
            uow.commit()
            if not active and self.ctx.keyring is not None:
                # Without its wrap the account's password no longer opens the database. Enabling
                # it again needs a new password (reset_password), which wraps the key anew.
                self.ctx.keyring.remove_user(user.username)
            return _info(user)

    def set_roles(self, admin: CurrentUser, user_id: int, roles: set[Role]) -> UserInfo:
        with self._uow(admin, "修改角色") as uow:
            require_role(admin, Role.ADMIN, doing="修改角色")
            if not roles:
                raise FieldError("角色", "至少选择一个角色")
            user = self._get(uow, user_id)
            if user.id == admin.id and Role.ADMIN not in roles:
                raise FieldError("角色", "不能取消自己的管理员角色（至少保留一个管理员）")
            wanted = {r.value for r in roles}
            for row in list(user.roles):
                if row.role not in wanted:
                    uow.session.delete(row)  # an explicit delete is audited; an orphan is not
                    user.roles.remove(row)
            have = {r.role for r in user.roles}
            user.roles.extend(UserRole(role=r) for r in sorted(wanted - have))
            uow.commit()
            return _info(user)

    def change_password(
        self, user: CurrentUser, old_password: str, new_password: str
    ) -> None:
        with self._uow(user, "修改密码") as uow:
            row = self._get(uow, user.id)
            try:
                _hasher.verify(row.password_hash, old_password)
            except (VerificationError, InvalidHashError):
                raise FieldError("原密码", "不正确") from None
            check_password_strength(new_password)
            row.password_hash = _hasher.hash(new_password)
            undo = self._wrap(row.username, new_password)
            try:
                uow.commit()
            except BaseException:
                undo()
                raise

    def reset_password(self, admin: CurrentUser, user_id: int, new_password: str) -> None:
        with self._uow(admin, "重置密码") as uow:
            require_role(admin, Role.ADMIN, doing="重置密码")
            check_password_strength(new_password)
            row = self._get(uow, user_id)
            row.password_hash = _hasher.hash(new_password)
            row.failed_logins = 0
            row.locked_until = None
            undo = self._wrap(row.username, new_password) if row.active else (lambda: None)
            try:
                uow.commit()
            except BaseException:
                undo()
                raise
            lockout.succeeded(self.ctx.data_dir, row.username)  # the start's login's own count

    def list(self, admin: CurrentUser) -> list[UserInfo]:
        require_role(admin, Role.ADMIN, doing="查看用户")
        with self._uow(admin, "", write=False) as uow:
            return [_info(u) for u in UserRepository(uow.session).all()]

    def colleagues(self, user: CurrentUser) -> builtins.list[UserInfo]:
        """Active accounts of the offices this user sees: names for lists and handler filters."""
        with self._uow(user, "", write=False) as uow:
            return [
                _info(u) for u in UserRepository(uow.session).all()
                if u.active and (user.scope is None or u.office_id in user.scope)
            ]

    @staticmethod
    def _get(uow: UnitOfWork, user_id: int) -> User:
        user = UserRepository(uow.session).get(user_id)
        if user is None:
            raise NotFound(f"用户 {user_id} 不存在")
        return user
