"""Setting up a new office database: code tables, rule sets, the office tree, which office this
PC is, the first administrator. The offices themselves are services/offices.py."""

from __future__ import annotations

from desktop import shipped
from desktop.db.models import CodeItem, Office, RuleSetRow
from desktop.db.repositories import CodeRepository, UserRepository
from desktop.domain.errors import DomainError, FieldError
from desktop.domain.numbering import check_office_code
from desktop.domain.workflow import Role
from desktop.security.keys import new_recovery_code
from desktop.services.base import (
    Service,
    ServiceContext,
    bump_generation,
    require_role,
    write_rule_set_row,
)
from desktop.services.dto import CurrentUser, UserInfo
from desktop.services.lengths import check_column
from desktop.services.offices import LOCAL_OFFICE_KEY, OfficeService, OfficeSpec
from desktop.services.reference import SHIPPED_REVISION_KEY, shipped_rule_sets
from desktop.services.users import UserService, check_new_account

RECOVERY_ISSUED_KEY = "recovery_key_issued_at"


def _resource(name: str) -> dict:
    return shipped.read_json(name)


class SetupService(Service):
    def __init__(self, ctx: ServiceContext, *, offices: OfficeService, users: UserService) -> None:
        super().__init__(ctx)
        self.offices, self.users = offices, users

    def is_initialized(self) -> bool:
        with self._uow(None, "", write=False) as uow:
            return CodeRepository(uow.session).setting(LOCAL_OFFICE_KEY) is not None

    def seed_reference_data(self) -> None:
        """Code tables and rule sets shipped with the program; existing rows are left alone."""
        with self._uow(None, "初始化代码表") as uow:
            codes = CodeRepository(uow.session)
            tables = _resource("codetables.json")
            national = tables.get("_category_national", {})  # a category's 12315 class
            for kind, items in tables.items():
                if kind.startswith("_"):
                    continue
                for order, (code, label) in enumerate(items):
                    if codes.get(kind, code) is None:
                        uow.session.add(CodeItem(
                            kind=kind, code=code, label=label, sort_order=order,
                            parent=national.get(code) if kind == "category" else None))
            known = {r.code for r in codes.rule_sets()}
            for shipped in shipped_rule_sets():
                code = shipped.rules.code
                if code not in known:
                    row = RuleSetRow(code=code)
                    write_rule_set_row(row, shipped.rules)
                    uow.session.add(row)
                    codes.set_setting(SHIPPED_REVISION_KEY + code, str(shipped.revision))
            bump_generation(codes)
            uow.commit()
        self.ctx.reference.invalidate()

    def initialize(
        self,
        *,
        offices: list[OfficeSpec],
        local_office_code: str,
        admin_username: str,
        admin_name: str,
        admin_password: str,
    ) -> UserInfo:
        """A new database: reference data, the office tree, which office this PC is, first admin."""
        if self.is_initialized():
            raise DomainError("数据库已经初始化过，不能重复初始化")
        # Check what the person typed before anything is written, so a refused init can simply
        # be run again with the mistake corrected.
        check_new_account(admin_username, admin_name, admin_password)
        codes = [check_office_code(o.code) for o in offices]
        for spec in offices:
            check_column(Office, "name", spec.name, "单位名称")
            check_column(Office, "address", spec.address, "地址")
            check_column(Office, "phone", spec.phone, "电话")
        if local_office_code.strip().upper() not in codes:
            raise FieldError("本单位代码", f"「{local_office_code}」不在新建的单位中")
        self.seed_reference_data()
        created = {o.code: o for o in self.offices.add(offices)}
        local = created.get(local_office_code.strip().upper())
        if local is None:
            raise FieldError("本单位代码", f"「{local_office_code}」不在新建的单位中")
        admin = self.users.create(
            None,
            username=admin_username,
            display_name=admin_name,
            password=admin_password,
            office_id=local.id,
            roles={Role.ADMIN},
        )
        with self._uow(None, "设定本单位") as uow:
            CodeRepository(uow.session).set_setting(LOCAL_OFFICE_KEY, local.code)
            uow.commit()
        if self.ctx.keyring is not None:
            self.ctx.keyring.set_office(local.name)
        return admin

    def issue_recovery_key(self, admin: CurrentUser) -> str:
        """A new recovery key for this database (set-up prints it on the recovery key sheet):
        it opens the database when no password is left. Issuing one again (a sheet lost)
        replaces the old one, which then opens nothing. Returns the code, shown once."""
        require_role(admin, Role.ADMIN, doing="生成恢复密钥")
        keyring = self.ctx.keyring
        if keyring is None:
            raise DomainError("数据库没有加密，无需恢复密钥")
        code = new_recovery_code()
        with self._uow(admin, "生成恢复密钥") as uow:
            CodeRepository(uow.session).set_setting(RECOVERY_ISSUED_KEY, self.ctx.clock.now().isoformat(timespec="seconds"))
            keyring.set_recovery(code)  # the key file first: a failed commit leaves a valid code
            uow.commit()
        return code

    def first_recovery_key(self) -> str:
        """The recovery key made at set-up, right after `initialize` (no one has logged in
        yet): refused once the database has one (a new one then needs an administrator,
        `issue_recovery_key`). Returns the code for the recovery key sheet."""
        keyring = self.ctx.keyring
        if keyring is None:
            raise DomainError("数据库没有加密，无需恢复密钥")
        if not self.is_initialized():
            raise DomainError("请先完成初始化，再生成恢复密钥")
        if self.recovery_issued() is not None:
            raise DomainError("本数据库已有恢复密钥；如需新的，请管理员登录后在「设置 → 用户与角色」中重新生成")
        code = new_recovery_code()
        with self._uow(None, "生成恢复密钥") as uow:
            CodeRepository(uow.session).set_setting(RECOVERY_ISSUED_KEY, self.ctx.clock.now().isoformat(timespec="seconds"))
            keyring.set_recovery(code)
            uow.commit()
        return code

    def recovery_issued(self) -> str | None:
        """When the current recovery key was issued (ISO time), None if never."""
        with self._uow(None, "", write=False) as uow:
            return CodeRepository(uow.session).setting(RECOVERY_ISSUED_KEY)

    def user_count(self) -> int:
        with self._uow(None, "", write=False) as uow:
            return UserRepository(uow.session).count()
