"""The enterprise register 企业库: add, edit, search (name or credit code)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from decimal import Decimal

from desktop.db.models import Enterprise
from desktop.db.repositories import EnterpriseRepository
from desktop.db.sync.office_reference import publish
from desktop.domain import validators as v
from desktop.domain.errors import FieldError, NotFound
from desktop.domain.workflow import HANDLERS, Role
from desktop.services.base import Service, require_role
from desktop.services.dto import Changed, CurrentUser, EnterpriseInfo
from desktop.services.lengths import check_column

EDITORS = HANDLERS | {Role.ADMIN, Role.CONSUMER_PROTECTION}


@dataclass(frozen=True)
class EnterpriseFigures:
    """How an enterprise fares in the complaints the user may see (see EnterpriseService.figures)."""

    enterprise_id: int
    complaints: int
    open: int
    closed: int
    settled: int  # closed with the result 调解成功
    mediated: int  # closed with a mediation outcome: 调解成功, 调解不成 or 终止调解
    success_rate: float | None  # settled / mediated, 0..1; None when nothing was mediated
    at_fault: int
    recovered_cents: int

    @property
    def recovered(self) -> Decimal:
        """Money recovered for consumers, in 元."""
        return Decimal(self.recovered_cents) / 100


def _info(e: Enterprise) -> EnterpriseInfo:
    return EnterpriseInfo(e.id, e.uuid, e.name, e.credit_code, e.address, e.industry, e.phone,
                          e.alliance_member, e.demo_street)


class EnterpriseService(Service):
    def figures(self, user: CurrentUser, enterprise_id: int) -> EnterpriseFigures:
        """The enterprise's complaints within the user's office scope, counted in one query.

        - complaints: all of them, whatever their status; open: status other than 办结;
          closed: status 办结.
        - success_rate: among closed complaints whose result is a mediation outcome
          (调解成功, 调解不成, 终止调解), the share that is 调解成功. Closings without mediation
          (不予受理, 转办/移送) and complaints not yet closed do not count either way. None
          when no closed complaint has a mediation outcome.
        - at_fault: complaints closed with 经营者有责 (at_fault true).
        - recovered_cents: money recovered, summed over all complaints (a reopened complaint
          has its outcome cleared, so nothing is counted twice).
        """
        with self._uow(user, "", write=False) as uow:
            repo = EnterpriseRepository(uow.session)
            if repo.get(enterprise_id) is None:
                raise NotFound(f"企业 {enterprise_id} 不存在")
            f = repo.figures(enterprise_id, user.scope)
        mediated = f["mediated"]
        return EnterpriseFigures(
            enterprise_id=enterprise_id,
            complaints=f["complaints"],
            open=f["open"],
            closed=f["closed"],
            settled=f["settled"],
            mediated=mediated,
            success_rate=f["settled"] / mediated if mediated else None,
            at_fault=f["at_fault"],
            recovered_cents=f["recovered_cents"],
        )

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
        name = check_column(Enterprise, "name", v.check_required(name, "企业名称"), "企业名称")
        address = check_column(Enterprise, "address", address, "地址")
        industry = check_column(Enterprise, "industry", industry, "行业")
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
                found = repo.get(enterprise_id)
                if found is None:
                    raise NotFound(f"企业 {enterprise_id} 不存在")
                e = found
                if same is not None and same.id != e.id:
                    raise FieldError("统一社会信用代码", f"已登记为「{same.name}」")
            e.name, e.credit_code, e.address, e.industry, e.phone = (
                name, code, address, industry, phone)
            e.alliance_member, e.demo_street = alliance_member, demo_street
            # The 企业库 is the office's: the other PCs of the office take it (issue 22).
            publish(uow.session, "enterprises")
            uow.commit()
            return Changed("enterprise", (e.id,), created=enterprise_id is None)

    # Last in the class, and annotated with builtins.list: a method named `list` would
    # otherwise shadow the builtin in the annotations that follow it.
    def list(self, user: CurrentUser, text: str = "", limit: int = 500) -> builtins.list[EnterpriseInfo]:
        """The register by name; with text, those whose name contains it or whose credit code
        starts with it. The register is shared by all offices, so there is no scope."""
        return self.search(user, text, limit)
