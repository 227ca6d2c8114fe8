"""Enrolment: registering this office's program with the district hub."""

from __future__ import annotations

import socket
from typing import Any

from desktop.db.models import Office
from desktop.db.repositories import OfficeRepository
from desktop.db.sync.repo import SyncRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import DomainError, FieldError
from desktop.domain.workflow import Role
from desktop.services.base import require_role
from desktop.services.dto import CurrentUser
from desktop.services.sync.base import SyncBase, check_ca_bundle
from desktop.services.sync_info import Enrolment
from desktop.sync.client import SyncError
from desktop.sync.protocol import ErrorCode


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

