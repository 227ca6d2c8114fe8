"""Offices: the tree of district, sub-bureaus and stations, and which of them this PC is."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.db.models import Office
from desktop.db.repositories import CodeRepository, OfficeRepository
from desktop.domain.errors import DomainError, FieldError, NotFound
from desktop.domain.numbering import check_office_code
from desktop.domain.offices import check_placement
from desktop.domain.validators import check_phone
from desktop.domain.workflow import Role
from desktop.services.base import Service, require_role
from desktop.services.dto import Changed, CurrentUser, OfficeInfo
from desktop.services.lengths import check_column

LOCAL_OFFICE_KEY = "local_office_code"


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


class OfficeService(Service):
    def add(self, specs: list[OfficeSpec]) -> list[OfficeInfo]:
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

    def save(
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

    def local(self) -> OfficeInfo:
        with self._uow(None, "", write=False) as uow:
            code = CodeRepository(uow.session).setting(LOCAL_OFFICE_KEY)
            office = OfficeRepository(uow.session).by_code(code) if code else None
            if office is None:
                raise DomainError("数据库尚未初始化：请先运行 hejie-admin init")
            return office_info(office)

    def all(self) -> list[OfficeInfo]:
        with self._uow(None, "", write=False) as uow:
            return [office_info(o) for o in OfficeRepository(uow.session).all()]
