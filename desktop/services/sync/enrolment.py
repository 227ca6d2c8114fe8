"""Enrolment: registering this office's program with the district hub."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

from desktop.db.models import Office
from desktop.db.repositories import OfficeRepository
from desktop.db.sync.repo import SyncRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import DomainError, FieldError
from desktop.domain.workflow import Role
from desktop.services.base import require_role
from desktop.services.dto import CurrentUser, UserInfo
from desktop.services.offices import OfficeSpec
from desktop.services.sync.base import SYNC_ACTOR, SyncBase, check_ca_bundle
from desktop.services.sync_info import Enrolment
from desktop.services.users import check_new_account
from desktop.sync.client import SyncError
from desktop.sync.protocol import ErrorCode

if TYPE_CHECKING:
    from desktop.services.setup import SetupService


class SyncEnrolment(SyncBase):
    # -- enrolment ------------------------------------------------------------------------
    def enrol(self, user: CurrentUser, url: str, code: str, *, ca_bundle: str = "",
              device_name: str = "") -> Enrolment:
        """Register this office's program with the hub; then everything it holds is queued."""
        require_role(user, Role.ADMIN, doing="登记到区局同步")
        if not code.strip():
            raise FieldError("登记码", "请填写区局管理员给出的一次性登记码")
        ca_bundle = check_ca_bundle(ca_bundle)
        local = self._local_office()
        client = self.client_factory(url, None, ca_bundle or None)
        try:
            answer = client.enrol(code, device_name or socket.gethostname())
        finally:
            client.close()
        if answer.office != local.code:
            raise SyncError(f"这个登记码属于单位 {answer.office}，而本机是「{local.name}」"
                            f"（{local.code}），未登记", ErrorCode.BAD_CODE)
        with self._uow(user, "登记到区局同步") as uow:
            self._adopt_offices(uow, answer.offices)
            self._write(uow, hub_url=client.url, hub_id=answer.hub_id, device_id=answer.device_id,
                        token=answer.token, bundle_key=answer.bundle_key, office=answer.office,
                        cursor="", ca_bundle=ca_bundle, bundles="[]", receipts="[]",
                        cursor_bundle="", number_slot=str(answer.number_slot))
            offices = OfficeRepository(uow.session)
            ours = offices.subtree_ids(offices.local().id)  # type: ignore[union-attr]
            queued = SyncRepository(uow.session).enqueue_unknown(user.username, ours)
            at_hub = {o.code for o in answer.offices}
            missing = tuple(f"{o.name}（{o.code}）" for o in offices.all()
                            if o.id in ours and o.code not in at_hub)
            uow.commit()
        return Enrolment(self.settings(), queued, missing)

    # -- joining an existing office (a second PC) -------------------------------------------
    def join(self, setup: SetupService, url: str, code: str, *, admin_username: str,
             admin_name: str, admin_password: str, ca_bundle: str = "",
             device_name: str = "") -> UserInfo:
        """Set up an empty database as one more PC of an office the district knows: enrol with
        the office's one-time code, take the office tree from the hub's answer, create this
        PC's first administrator, and keep the credential; the first round (the caller's, or
        the window's timer) then brings every record of the office. The account is checked
        before the code is spent: a refused join can be tried again with the same code."""
        if setup.is_initialized():
            raise DomainError("数据库已经初始化过，不能再加入单位")
        if not code.strip():
            raise FieldError("登记码", "请填写区局管理员为本单位生成的一次性登记码")
        check_new_account(admin_username, admin_name, admin_password)
        ca_bundle = check_ca_bundle(ca_bundle)
        client = self.client_factory(url, None, ca_bundle or None)
        try:
            answer = client.enrol(code, device_name or socket.gethostname())
        finally:
            client.close()
        order = ("district", "sub_bureau", "station")
        specs = [OfficeSpec(o.code, o.name, o.kind, o.parent, o.tier, o.address, o.phone)
                 for o in sorted(answer.offices, key=lambda o: order.index(o.kind))]
        admin = setup.initialize(offices=specs, local_office_code=answer.office,
                                 admin_username=admin_username, admin_name=admin_name,
                                 admin_password=admin_password)
        with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "加入本单位（登记到区局同步）",
                        outbox=False) as uow:
            self._write(uow, hub_url=client.url, hub_id=answer.hub_id, device_id=answer.device_id,
                        token=answer.token, bundle_key=answer.bundle_key, office=answer.office,
                        cursor="", ca_bundle=ca_bundle, bundles="[]", receipts="[]",
                        cursor_bundle="", number_slot=str(answer.number_slot))
            uow.commit()
        return admin

    def _local_office(self) -> Office:
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            office = OfficeRepository(uow.session).local()
            if office is None:
                raise DomainError("本机尚未设置所属单位")
            return office

    @staticmethod
    def _adopt_offices(uow: UnitOfWork, offices: list[Any]) -> None:
        """Offices the district knows and this program does not (a new station) are added."""
        repo = SyncRepository(uow.session)
        for wire in sorted(offices, key=lambda o: ("district", "sub_bureau", "station").index(o.kind)):
            if repo.office_by_code(wire.code) is not None:
                continue
            parent = repo.office_by_code(wire.parent) if wire.parent else None
            uow.session.add(Office(code=wire.code, name=wire.name, kind=wire.kind, tier=wire.tier,
                                   parent_id=parent.id if parent else None, address=wire.address,
                                   phone=wire.phone))
            uow.session.flush()

