"""USB bundles: import an office's signed file through the push path, answer with a receipt."""

from __future__ import annotations

import zlib
from typing import Any

from pydantic import ValidationError

from desktop.sync import bundle
from desktop.sync.bundle import BundleError, SyncFile
from desktop.sync.protocol import (
    BundleImportResult,
    ErrorCode,
    Operation,
)
from district import admin, cursor, devices, store
from district.errors import HubError, Msg
from district.hub import Hub
from district.models import BundleImport, Device
from district.offices import load_tree
from district.push import Actor, apply_ops

# A push carries at most 1000 operations (PushRequest); a bundle holds an office's whole
# backlog, yet more than this is no office's weeks offline, and would be held in memory whole.
MAX_BUNDLE_OPS = 100_000


def _invalid(message: str) -> HubError:
    return HubError(400, ErrorCode.BUNDLE_INVALID, message)


def _open(hub: Hub, data: bytes) -> tuple[SyncFile, Device]:
    """Check everything about the file before anything is written."""
    try:
        manifest = bundle.peek(data)
        with hub.db.read() as session:
            device = session.get(Device, str(manifest.get("device_id")))
        if device is None:
            raise _invalid(Msg.BUNDLE_DEVICE)
        if device.revoked_at is not None:
            raise HubError(403, ErrorCode.REVOKED, Msg.BUNDLE_REVOKED)
        if manifest.get("hub_id") != hub.db.hub_id:
            raise _invalid(Msg.BUNDLE_HUB)
        sync_file = bundle.read(data, device.bundle_key, expect=bundle.BUNDLE)
    except BundleError as exc:
        raise _invalid(str(exc)) from exc
    except (zlib.error, RuntimeError, NotImplementedError, OSError) as exc:
        # A damaged compressed member fails inside zipfile before any hash could be compared.
        raise _invalid(Msg.BUNDLE_DAMAGED) from exc
    if not isinstance(sync_file.bundle_id, str) or not 0 < len(sync_file.bundle_id) <= 64 \
            or not sync_file.bundle_id.isascii():
        raise _invalid(Msg.BUNDLE_CONTENT.format(detail="同步包编号不正确"))
    # The same versions as at a session's start: a program past its sunset is told plainly.
    # The signed manifest says which program wrote the file; one without a version is older
    # than versions in bundles, so version 1.
    version = getattr(sync_file, "protocol", None)
    if version is None:
        version = manifest.get("protocol", 1)
    if isinstance(version, bool) or not isinstance(version, int):
        raise _invalid(Msg.BUNDLE_CONTENT.format(detail="同步协议版本不正确"))
    devices.check_protocol(version, hub.clock.now())
    return sync_file, device


def _content(sync_file: SyncFile) -> tuple[list[Operation], str | None, int]:
    content = sync_file.content
    raw = content.get("ops", []) if isinstance(content, dict) else None
    if not isinstance(raw, list):
        raise _invalid(Msg.BUNDLE_CONTENT.format(detail="缺少操作列表"))
    if len(raw) > MAX_BUNDLE_OPS:
        raise _invalid(Msg.BUNDLE_TOO_MANY.format(count=len(raw), limit=MAX_BUNDLE_OPS))
    try:
        ops = [Operation.model_validate(op) for op in raw]
        position = content.get("cursor")
        backlog = int(content.get("backlog") or 0)
    except (ValidationError, TypeError, ValueError, AttributeError) as exc:
        raise _invalid(Msg.BUNDLE_CONTENT.format(detail=str(exc).splitlines()[0])) from exc
    return ops, position if isinstance(position, str) else None, max(backlog, 0)


def import_bundle(hub: Hub, data: bytes) -> tuple[bytes, BundleImportResult]:
    """The receipt's bytes and a summary. A bundle imported before gets its stored receipt."""
    sync_file, device = _open(hub, data)
    ops, position, backlog = _content(sync_file)
    hub_id, secret = hub.db.identity()
    now = hub.clock.now()
    with hub.db.write() as session:
        seq = store.lock_counter(session)  # writers take the counter first (see store)
        done = session.get(BundleImport, sync_file.bundle_id)
        if done is not None:
            summary = BundleImportResult.model_validate({**done.summary, "already_imported": True})
            return done.receipt, summary
        for sha, body in sync_file.blobs.items():
            hub.blobs.store_bytes(session, sha, body, now, device.device_id)
        tree = load_tree(session)
        results = apply_ops(session, Actor(device.device_id, device.office), tree, ops, now, seq)
        # Still inside the transaction that holds the counter: everything up to it is visible.
        upto, horizon = store.high_water(session)
        try:
            after = cursor.decode(position, hub_id, secret, horizon)
        except cursor.CursorInvalid:
            after = 0
        scope = tree.scope(device.office)
        rows, _ = store.pull_page(session, scope, after, upto, limit=None)
        records = [store.to_wire(r) for r in rows]
        wanted = {r.blob for r in rows if r.blob and not r.deleted}
        blobs = {sha: hub.blobs.read(sha) for sha in sorted(store.complete_blobs(session, wanted))}
        content: dict[str, Any] = {
            "results": [r.model_dump(mode="json") for r in results],
            "records": [r.model_dump(mode="json") for r in records],
            "cursor": cursor.encode(hub_id, secret, upto),
            "already_imported": False,
        }
        try:
            receipt = bundle.write(SyncFile(kind=bundle.RECEIPT, bundle_id=sync_file.bundle_id,
                                            device_id=device.device_id, office=device.office,
                                            hub_id=hub_id, content=content, blobs=blobs,
                                            # Sealed, unless the office's program is one
                                            # before sealing: it could not read it.
                                            format_version=sync_file.format_version),
                                   device.bundle_key)
        except BundleError as exc:  # the office could not read it: nothing is imported
            raise HubError(413, ErrorCode.BUNDLE_INVALID,
                           Msg.RECEIPT_TOO_LARGE.format(detail=exc)) from exc
        counts = {s: sum(1 for r in results if r.status == s)
                  for s in ("acked", "conflict", "rejected", "deferred")}
        summary = BundleImportResult(bundle_id=sync_file.bundle_id, office=device.office,
                                     already_imported=False, acked=counts["acked"],
                                     conflicts=counts["conflict"], rejected=counts["rejected"],
                                     deferred=counts["deferred"], records_out=len(records))
        session.add(BundleImport(bundle_id=sync_file.bundle_id, device_id=device.device_id,
                                 imported_at=now, summary=summary.model_dump(mode="json"),
                                 receipt=receipt))
        admin.mark_synced(session, device.device_id, upto, now, backlog)
    return receipt, summary
