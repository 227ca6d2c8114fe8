"""The office's PCs as the district knows them: the list the 同步 page shows, and revoking a
lost one (the office's administrator; the district can revoke any device itself)."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.domain.numbering import slot_range
from desktop.domain.workflow import Role
from desktop.services.base import require_role
from desktop.services.dto import CurrentUser
from desktop.services.sync.base import SyncBase
from desktop.services.sync_info import OfficePC
from desktop.sync.protocol import OfficeDevice


def _local(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def _pc(device: OfficeDevice) -> OfficePC:
    try:
        first = f"{slot_range(device.number_slot).start:04d}"
    except ValueError:
        first = "?"
    return OfficePC(device.device_id, device.name or "（未命名）", _local(device.enrolled_at),
                    _local(device.last_sync_at), device.office_backlog, first, device.revoked,
                    device.this)


class SyncDevices(SyncBase):
    def office_pcs(self, user: CurrentUser) -> list[OfficePC]:
        """This office's enrolled PCs (asks the hub: needs the network)."""
        require_role(user, Role.ADMIN, doing="查看本单位的电脑")
        client = self._client(self._read())
        try:
            return [_pc(d) for d in client.office_devices()]
        finally:
            client.close()

    def revoke_pc(self, user: CurrentUser, device_id: str) -> OfficePC:
        """Revoke another PC of this office (lost, stolen, replaced): the hub refuses its
        credential from now on; what it had not synced stays on it."""
        require_role(user, Role.ADMIN, doing="停用本单位的电脑")
        client = self._client(self._read())
        try:
            revoked = _pc(client.revoke_device(device_id))
        finally:
            client.close()
        with self._uow(user, "停用本单位的电脑") as uow:
            uow.log_bulk("devices", {"revoked": device_id, "name": revoked.name})
            uow.commit()
        return revoked
