"""Setting up a new office database: code tables, rule sets, this office, the first administrator."""

from __future__ import annotations

from dataclasses import dataclass

from desktop import shipped
from desktop.db.models import CodeItem, Office, RuleSetRow
from desktop.db.repositories import CodeRepository, OfficeRepository, UserRepository
from desktop.domain.errors import DomainError, FieldError, NotFound
from desktop.domain.numbering import check_office_code
from desktop.domain.offices import check_placement
from desktop.domain.validators import check_phone
from desktop.domain.workflow import Role
from desktop.services.base import Service, bump_generation, require_role, write_rule_set_row
from desktop.services.dto import Changed, CurrentUser, OfficeInfo, UserInfo
from desktop.services.lengths import check_column
from desktop.services.reference import SHIPPED_REVISION_KEY, shipped_rule_sets
from desktop.services.users import UserService, check_new_account

LOCAL_OFFICE_KEY = "local_office_code"


def _resource(name: str) -> dict:
    return shipped.read_json(name)


def office_info(office: Office) -> OfficeInfo:
    return OfficeInfo(
        id=office.id,
        code=office.code,
        name=office.name,
        kind=office.kind,
        tier=office.tier,
        parent_id=office.parent_id,
        address=office.address,
        phone=office.phone,
        seal_text=office.seal_text,
    )


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name: str
    kind: str
    parent_code: str | None = None
    tier: str | None = None
    address: str = ""
    phone: str = ""


class SetupService(Service):
    def is_initialized(self) -> bool:
        with self._uow(None, "", write=False) as uow:
            return CodeRepository(uow.session).setting(LOCAL_OFFICE_KEY) is not None

    def seed_reference_data(self) -> None:
        """Code tables and rule sets shipped with the program; existing rows are left alone."""
        with self._uow(None, "初始化代码表") as uow:
            codes = CodeRepository(uow.session)
            for kind, items in _resource("codetables.json").items():
                if kind.startswith("_"):
                    continue
                for order, (code, label) in enumerate(items):
                    if codes.get(kind, code) is None:
                        uow.session.add(CodeItem(kind=kind, code=code, label=label, sort_order=order))
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

    def add_offices(self, specs: list[OfficeSpec]) -> list[OfficeInfo]:
        """Create offices in order (parents before children). Used by init and the demo."""
        out = []
        with self._uow(None, "新建单位") as uow:
            offices = OfficeRepository(uow.session)
            for spec in specs:
                code = check_office_code(spec.code)
                if not spec.name.strip():
                    raise FieldError("单位名称", "不能为空")
                name = check_column(Office, "name", spec.name, "单位名称")
                address = check_column(Office, "address", spec.address, "地址")
                phone = check_column(Office, "phone", spec.phone, "电话")
                check_column(Office, "seal_text", name, "印章文字")
                if offices.by_code(code) is not None:
                    raise FieldError("单位代码", f"「{code}」已存在")
                parent = None
                if spec.parent_code:
                    parent = offices.by_code(spec.parent_code.strip().upper())
                    if parent is None:
                        raise FieldError("上级单位", f"「{spec.parent_code}」不存在")
                tier = check_placement(spec.kind, spec.tier, parent.kind if parent else None)
                office = Office(
                    code=code,
                    name=name,
                    kind=spec.kind,
                    tier=tier,
                    parent_id=parent.id if parent else None,
                    address=address,
                    phone=phone,
                    seal_text=name,
                )
                uow.session.add(office)
                uow.flush()
                out.append(office_info(office))
            uow.commit()
        return out

    def save_office(
        self,
        admin: CurrentUser,
        *,
        office_id: int | None,
        code: str,
        name: str,
        kind: str,
        parent_id: int | None,
        tier: str | None,
        address: str = "",
        phone: str = "",
        seal_text: str = "",
    ) -> Changed:
        """Add an office (office_id None) or correct one. Its code never changes once made:
        complaint numbers are built from it. An empty seal text means the office's name."""
        require_role(admin, Role.ADMIN, doing="维护单位")
        with self._uow(admin, "维护单位") as uow:
            offices = OfficeRepository(uow.session)
            office = None
            if office_id is not None:
                office = offices.get(office_id)
                if office is None:
                    raise NotFound(f"单位 {office_id} 不存在")
            if office is None:
                code = check_office_code(code)
                if offices.by_code(code) is not None:
                    raise FieldError("单位代码", f"「{code}」已存在")
            elif (code or "").strip().upper() != office.code:
                raise FieldError("单位代码", "已有单位的代码不能修改（投诉编号由它生成）")
            if office is not None and kind != office.kind:
                raise FieldError("单位类型", "已有单位的类型不能修改")
            name = (name or "").strip()
            if not name:
                raise FieldError("单位名称", "不能为空")
            check_column(Office, "name", name, "单位名称")
            parent = offices.get(parent_id) if parent_id is not None else None
            if parent_id is not None and parent is None:
                raise FieldError("上级单位", "单位不存在")
            tier = check_placement(kind, tier, parent.kind if parent else None)
            address, seal_text = (address or "").strip(), (seal_text or "").strip() or name
            check_column(Office, "address", address, "地址")
            check_column(Office, "seal_text", seal_text, "印章文字")
            phone = check_phone(phone, "电话") if (phone or "").strip() else ""
            if office is None:
                office = Office(code=code, kind=kind)
                uow.session.add(office)
            office.name, office.tier, office.parent_id = name, tier, parent.id if parent else None
            office.address, office.phone, office.seal_text = address, phone, seal_text
            uow.flush()
            changed = Changed("office", (office.id,), created=office_id is None)
            uow.commit()
        return changed

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
        created = {o.code: o for o in self.add_offices(offices)}
        local = created.get(local_office_code.strip().upper())
        if local is None:
            raise FieldError("本单位代码", f"「{local_office_code}」不在新建的单位中")
        admin = UserService(self.ctx).create(
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
        return admin

    def local_office(self) -> OfficeInfo:
        with self._uow(None, "", write=False) as uow:
            code = CodeRepository(uow.session).setting(LOCAL_OFFICE_KEY)
            office = OfficeRepository(uow.session).by_code(code) if code else None
            if office is None:
                raise DomainError("数据库尚未初始化：请先运行 hejie-admin init")
            return office_info(office)

    def offices(self) -> list[OfficeInfo]:
        with self._uow(None, "", write=False) as uow:
            return [office_info(o) for o in OfficeRepository(uow.session).all()]

    def user_count(self) -> int:
        with self._uow(None, "", write=False) as uow:
            return UserRepository(uow.session).count()
