"""USB bundles: exporting what is waiting for the district, importing its signed receipt."""

from __future__ import annotations

import json
from pathlib import Path

from desktop import paths
from desktop.db.models import new_uuid
from desktop.db.repositories import OfficeRepository
from desktop.db.sync.repo import SyncRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.workflow import Role
from desktop.security import blobs as sealed_blobs
from desktop.services.base import require_role
from desktop.services.dto import CurrentUser
from desktop.services.sync.base import SYNC_ACTOR, SyncBase, store_blob, to_operation
from desktop.services.sync_info import BundleSummary, ReceiptSummary, SyncReport
from desktop.sync import bundle
from desktop.sync.client import LocalCode, SyncError
from desktop.sync.protocol import OpResult, PulledRecord


class SyncBundles(SyncBase):
    # -- USB bundles ----------------------------------------------------------------------
    def _bundle_settings(self, user: CurrentUser, doing: str) -> dict[str, str]:
        require_role(user, Role.ADMIN, Role.CLERK, Role.STATION_HEAD, Role.DESK_STAFF,
                     doing=doing)
        v = self._read()
        if not v["token"]:
            raise SyncError(f"本机尚未登记到区局同步，不能{doing}", LocalCode.NOT_ENROLLED)
        return v

    def export_bundle(self, user: CurrentUser, path: Path) -> BundleSummary:
        """Everything not yet acknowledged, with its attachment files, signed for the district."""
        v = self._bundle_settings(user, "导出同步包")
        with self._uow(user, "", write=False) as uow:
            ops = list(SyncRepository(uow.session).unacknowledged())
        blobs: dict[str, bytes] = {}
        for op in ops:
            sha = json.loads(op.after).get("sha256") if op.entity == "attachments" else None
            if sha and sha not in blobs:
                file = paths.attachment_path(self.ctx.data_dir, sha)
                if file.is_file():  # the plain bytes: the bundle is sealed with its own key
                    blobs[sha] = sealed_blobs.read(self.ctx.data_dir, sha, self._data_key())
        bundle_id = new_uuid()
        content = {"ops": [to_operation(op).model_dump(mode="json") for op in ops],
                   "cursor": v["cursor"] or None, "backlog": len(ops)}
        sync_file = bundle.SyncFile(kind=bundle.BUNDLE, bundle_id=bundle_id,
                                    device_id=v["device_id"], office=v["office"],
                                    hub_id=v["hub_id"], content=content, blobs=blobs)
        size = bundle.write_file(Path(path), sync_file, v["bundle_key"])
        with self._uow(user, "导出同步包") as uow:
            # Sent, as far as this office can know: a later edit must make a new operation,
            # or the district would meet the same operation id with other content.
            SyncRepository(uow.session).mark_attempted([op.id for op in ops])
            exported = json.loads(v["bundles"] or "[]") + [bundle_id]
            self._write(uow, bundles=json.dumps(exported))
            uow.commit()
        return BundleSummary(Path(path), bundle_id, len(ops), len(blobs), size)

    def import_receipt(self, user: CurrentUser, path: Path) -> ReceiptSummary:
        """The district's answer to a bundle: acknowledgements and what it sent this office."""
        v = self._bundle_settings(user, "导入同步回执")
        try:
            # A zip never needs more room than what it holds: anything larger is refused
            # before it is read into memory.
            if Path(path).stat().st_size > bundle.MAX_TOTAL_BYTES:
                raise bundle.BundleError(
                    f"回执文件过大（超过 {bundle.MAX_TOTAL_BYTES // 1024 ** 2} MB），"
                    "不是和解台生成的回执，未导入任何内容")
            data = Path(path).read_bytes()
        except OSError as exc:
            raise bundle.BundleError(f"无法读取回执文件：{exc}") from exc
        receipt = bundle.read(data, v["bundle_key"], expect=bundle.RECEIPT)
        if receipt.device_id != v["device_id"] or receipt.hub_id != v["hub_id"]:
            raise bundle.BundleError("这个回执不是给本机的（设备或区局服务器不符），未导入任何内容")
        exported = json.loads(v["bundles"] or "[]")
        if receipt.bundle_id not in exported:
            raise bundle.BundleError("本机没有导出过这个回执对应的同步包，未导入任何内容")
        imported = json.loads(v["receipts"] or "[]")
        report = SyncReport()
        if receipt.bundle_id in imported:
            return ReceiptSummary(receipt.bundle_id, True, report)
        results = [OpResult.model_validate(r) for r in receipt.content.get("results", [])]
        records = [PulledRecord.model_validate(r) for r in receipt.content.get("records", [])]
        for sha, blob in receipt.blobs.items():
            store_blob(self.ctx.data_dir, sha, blob, self._data_key())
        # A receipt of an older bundle than the one the cursor came from must not move it back.
        order = exported.index(receipt.bundle_id)
        cursor_from = exported.index(v["cursor_bundle"]) if v["cursor_bundle"] in exported else -1
        newer = order > cursor_from
        with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "导入同步回执", outbox=False) as uow:
            repo = SyncRepository(uow.session)
            wanted = {r.op_id for r in results}
            sent = [op for op in repo.unacknowledged() if op.op_id in wanted]
            tally = repo.record_results(sent, results)
            local = OfficeRepository(uow.session).local()
            assert local is not None
            applied = repo.apply(records, local.id, self._fill)
            self._complete_arrivals(uow, applied)
            values = {"receipts": json.dumps(imported + [receipt.bundle_id])}
            if newer and receipt.content.get("cursor"):
                values |= {"cursor": receipt.content["cursor"], "cursor_bundle": receipt.bundle_id}
            self._write(uow, **values)
            uow.commit()
        self._reference_arrived(applied.reference_parts)
        report.pushed, report.conflicts = tally["acked"], tally["conflict"]
        report.rejected, report.deferred = tally["rejected"], tally["deferred"]
        self._tally(report, applied)
        report.downloaded = len(receipt.blobs)
        self._remember(f"导入回执：{report.summary()}", ok=True, pulled=True)
        return ReceiptSummary(receipt.bundle_id, False, report)

