"""The enterprise register 企业库: add, edit, search (name or credit code)."""

from __future__ import annotations

from desktop.db.models import Enterprise
from desktop.db.repositories import EnterpriseRepository
from desktop.domain import validators as v
from desktop.domain.errors import FieldError, NotFound
from desktop.domain.workflow import HANDLERS, Role
from desktop.services.base import Service, require_role
from desktop.services.dto import Changed, CurrentUser, EnterpriseInfo

EDITORS = HANDLERS | {Role.ADMIN, Role.CONSUMER_PROTECTION}


def _info(e: Enterprise) -> EnterpriseInfo:
    return EnterpriseInfo(e.id, e.uuid, e.name, e.credit_code, e.address, e.industry, e.phone,
                          e.alliance_member, e.demo_street)


class EnterpriseService(Service):
    def search(self, user: CurrentUser, text: str, limit: int = 20) -> list[EnterpriseInfo]:
        with self._uow(user, "", write=False) as uow:
            return [_info(e) for e in EnterpriseRepository(uow.session).search(text, limit)]

    def get(self, user: CurrentUser, enterprise_id: int) -> EnterpriseInfo:
        with self._uow(user, "", write=False) as uow:
            e = EnterpriseRepository(uow.session).get(enterprise_id)
            if e is None:
                raise NotFound(f"企业 {enterprise_id} 不存在")
            return _info(e)

    def save(
        self, user: CurrentUser, *, name: str, credit_code: str | None = None, address: str = "",
        industry: str = "", phone: str = "", alliance_member: bool = False,
        demo_street: bool = False, enterprise_id: int | None = None,
    ) -> Changed:
        """Add a new enterprise (enterprise_id None) or edit one."""
        require_role(user, *EDITORS, doing="维护企业库")
        name = v.check_required(name, "企业名称")
        code = v.check_credit_code(credit_code) if credit_code and credit_code.strip() else None
        phone = v.check_phone(phone, "企业电话") if phone and phone.strip() else ""
        with self._uow(user, "维护企业库") as uow:
            repo = EnterpriseRepository(uow.session)
            same = repo.by_credit_code(code) if code else None
            if enterprise_id is None:
                if same is not None:
                    raise FieldError("统一社会信用代码", f"已登记为「{same.name}」")
                e = Enterprise()
                uow.session.add(e)
            else:
                e = repo.get(enterprise_id)
                if e is None:
                    raise NotFound(f"企业 {enterprise_id} 不存在")
                if same is not None and same.id != e.id:
                    raise FieldError("统一社会信用代码", f"已登记为「{same.name}」")
            e.name, e.credit_code, e.address, e.industry, e.phone = (
                name, code, address.strip(), industry.strip(), phone)
            e.alliance_member, e.demo_street = alliance_member, demo_street
            uow.commit()
            return Changed("enterprise", (e.id,), created=enterprise_id is None)
