"""USB bundles: imported through the push path, answered with a signed receipt; safe when
imported twice, out of order, truncated or tampered with."""

from __future__ import annotations

import hashlib
import os
import uuid

import pytest

from desktop.sync import bundle
from desktop.sync.protocol import ErrorCode, OpResult, PulledRecord


def _bundle(hub, device, ops, *, blobs=None, cursor=None, backlog=0, bundle_id=None,
            key=None, hub_id=None, device_id=None):
    sync_file = bundle.SyncFile(
        kind=bundle.BUNDLE, bundle_id=bundle_id or str(uuid.uuid4()),
        device_id=device_id or device.device_id, office=device.office,
        hub_id=hub_id or hub.hub_id, blobs=blobs or {},
        content={"ops": [o.model_dump(mode="json") for o in ops], "cursor": cursor,
                 "backlog": backlog})
    return bundle.write(sync_file, key or device.enrolment.bundle_key)


def test_a_bundle_is_applied_and_answered_with_a_signed_receipt(hub):
    station = hub.enrol("WZCQ01")
    key = station.enrolment.bundle_key
    sent = hub.dispatch(office="WZCQ01")
    first, second = hub.complaint("WZCQ01"), hub.complaint("WZCQ01")
    scan = os.urandom(70_000)
    sha = hashlib.sha256(scan).hexdigest()
    attachment = hub.attachment(first.uuid, sha, len(scan), filename="收据.jpg")
    orphan = hub.mediation(hub.new_uuid())
    data = _bundle(hub, station, [first, second, attachment, orphan], blobs={sha: scan},
                   backlog=5)
    receipt_bytes, summary = hub.import_bundle(data)
    assert (summary.acked, summary.conflicts, summary.rejected, summary.deferred) == (3, 0, 0, 1)
    assert summary.office == "WZCQ01" and not summary.already_imported
    receipt = bundle.read(receipt_bytes, key, expect=bundle.RECEIPT)
    assert receipt.device_id == station.device_id and receipt.hub_id == hub.hub_id
    results = [OpResult.model_validate(r) for r in receipt.content["results"]]
    assert [r.status for r in results] == ["acked", "acked", "acked", "deferred"]
    records = [PulledRecord.model_validate(r) for r in receipt.content["records"]]
    assert {r.uuid for r in records} == {sent.uuid, first.uuid, second.uuid, attachment.uuid}
    assert summary.records_out == 4 and receipt.blobs == {sha: scan}
    assert receipt.content["already_imported"] is False
    office = hub.offices()["WZCQ01"]
    assert office.office_backlog == 5 and office.last_sync_at is not None and office.hub_backlog == 0
    # The receipt's cursor continues online where the bundle left off.
    assert station.pull(receipt.content["cursor"]).records == []


def test_twice_and_out_of_order_nothing_is_applied_twice(hub):
    station = hub.enrol("WZCQ01")
    one, two = hub.complaint("WZCQ01"), hub.complaint("WZCQ01")
    first = _bundle(hub, station, [one])
    second = _bundle(hub, station, [one, two])  # not acknowledged yet: sent again
    receipt2, result2 = hub.import_bundle(second)
    assert (result2.acked, result2.already_imported) == (2, False)
    receipt1, result1 = hub.import_bundle(first)
    assert result1.acked == 1 and hub.count("complaints") == 2
    assert len(hub.history("complaints", one.uuid)) == 1
    again, result_again = hub.import_bundle(second)
    assert again == receipt2 and result_again.already_imported
    assert (result_again.acked, result_again.records_out) == (result2.acked, result2.records_out)
    # Online pushes of the same operations get the same answers.
    assert [r.status for r in station.push(one, two).results] == ["acked", "acked"]
    assert hub.count("complaints") == 2


def test_a_bad_file_is_refused_whole(hub):
    station = hub.enrol("WZCQ01")
    data = _bundle(hub, station, [hub.complaint("WZCQ01")], blobs={
        hashlib.sha256(b"x" * 5000).hexdigest(): b"x" * 5000})
    broken = {
        "truncated": data[: len(data) // 2],
        "tampered": data[:-60] + bytes([data[-60] ^ 1]) + data[-59:],
        "not a bundle": b"PK\x03\x04 not really",
        "another key": _bundle(hub, station, [hub.complaint("WZCQ01")], key="11" * 32),
        "another hub": _bundle(hub, station, [hub.complaint("WZCQ01")],
                               hub_id="00000000-0000-0000-0000-000000000000"),
        "unknown device": _bundle(hub, station, [], device_id=str(uuid.uuid4())),
    }
    for what, body in broken.items():
        with pytest.raises(hub.Refused) as refused:
            hub.import_bundle(body)
        assert refused.value.status == 400 and refused.value.code == ErrorCode.BUNDLE_INVALID, what
        assert "未导入" in refused.value.message, (what, refused.value.message)
    # A byte changed anywhere: refused with a sentence, or (a zip header field no hash covers,
    # such as a member's time) harmless; never a crash, never anything but the file's content.
    for position in range(30, len(data), max(1, len(data) // 40)):
        body = data[:position] + bytes([data[position] ^ 0xFF]) + data[position + 1:]
        try:
            _, summary = hub.import_bundle(body)
        except hub.Refused as refused:
            assert refused.status == 400 and refused.code == ErrorCode.BUNDLE_INVALID
        else:
            assert summary.acked == 1
    assert hub.count() <= 1
    hub.revoke(station.device_id)
    with pytest.raises(hub.Refused) as revoked:
        hub.import_bundle(_bundle(hub, station, [hub.complaint("WZCQ01")]))
    assert revoked.value.status == 403 and revoked.value.code == ErrorCode.REVOKED


def test_a_bundle_with_an_untrusted_cursor_gets_everything_back(hub):
    station = hub.enrol("WZCQ01")
    hub.dispatch(office="WZCQ01")
    _, summary = hub.import_bundle(_bundle(hub, station, [], cursor="nonsense"))
    assert summary.records_out == 1
    # With the cursor of the previous receipt: only what is new.
    receipt, _ = hub.import_bundle(_bundle(hub, station, []))
    cursor = bundle.read(receipt, station.enrolment.bundle_key,
                         expect=bundle.RECEIPT).content["cursor"]
    hub.dispatch(office="WZCQ01", district_number="12315-2026-0009")
    _, later = hub.import_bundle(_bundle(hub, station, [], cursor=cursor))
    assert later.records_out == 1


def _with_manifest(data: bytes, key: str, **fields) -> bytes:
    """The same bundle with its signed manifest's protocol version set to `fields` (none: as an
    older program wrote it, without one), signed again."""
    import io
    import json
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    manifest.pop("protocol", None)
    manifest.update(fields)
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
    members.pop("signature")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest_bytes)
        zf.writestr("signature", bundle.sign(key, manifest_bytes))
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


def test_a_bundle_is_held_to_the_same_protocol_versions_as_a_session(hub):
    from datetime import datetime, timedelta

    from desktop.sync.protocol import PROTOCOL_SUNSET, PROTOCOL_VERSION

    station = hub.enrol("WZCQ01")
    key = station.enrolment.bundle_key
    unversioned = hub.complaint("WZCQ01")
    before_sunset = _with_manifest(_bundle(hub, station, [unversioned]), key)  # version 1
    assert hub.import_bundle(before_sunset)[1].acked == 1
    # After version 1's last day, a version 1 program's bundle is refused as its session is,
    # with the same plain message; nothing of it is imported.
    sunset = PROTOCOL_SUNSET[1]
    after = sunset + timedelta(days=1)
    hub.clock.offset += datetime(after.year, after.month, after.day, 1) - hub.clock.now()
    try:
        with pytest.raises(hub.Refused) as session_refusal:
            hub.enrol("WZCQ01", protocol=1)
        for version in ({}, {"protocol": 1}):
            late = hub.complaint("WZCQ01")
            with pytest.raises(hub.Refused) as refused:
                hub.import_bundle(_with_manifest(_bundle(hub, station, [late]), key, **version))
            assert (refused.value.status, refused.value.code) == (400, ErrorCode.PROTOCOL)
            assert refused.value.message == session_refusal.value.message
            assert "请安装新版本的和解台" in refused.value.message
            assert hub.record("complaints", late.uuid) is None
        # A program newer than the hub is told that the hub must be updated first.
        newer = hub.complaint("WZCQ01")
        with pytest.raises(hub.Refused) as refused:
            hub.import_bundle(_with_manifest(_bundle(hub, station, [newer]), key,
                                             protocol=PROTOCOL_VERSION + 1))
        assert refused.value.code == ErrorCode.PROTOCOL and "升级区局平台" in refused.value.message
        # The current program's bundle is imported.
        current = hub.complaint("WZCQ01")
        data = _with_manifest(_bundle(hub, station, [current]), key, protocol=PROTOCOL_VERSION)
        assert hub.import_bundle(data)[1].acked == 1
    finally:
        hub.clock.offset = timedelta()


def test_a_bundle_with_more_operations_than_the_cap_is_refused_whole(hub):
    from district.bundles import MAX_BUNDLE_OPS

    station = hub.enrol("WZCQ01")
    good = hub.complaint("WZCQ01").model_dump(mode="json")
    sync_file = bundle.SyncFile(
        kind=bundle.BUNDLE, bundle_id=str(uuid.uuid4()), device_id=station.device_id,
        office=station.office, hub_id=hub.hub_id,
        content={"ops": [good] + [{}] * MAX_BUNDLE_OPS, "cursor": None, "backlog": 0})
    with pytest.raises(hub.Refused) as refused:
        hub.import_bundle(bundle.write(sync_file, station.enrolment.bundle_key))
    assert refused.value.code == ErrorCode.BUNDLE_INVALID
    assert refused.value.message.startswith(
        f"同步包含有 {MAX_BUNDLE_OPS + 1} 项操作，超过区局平台一次导入的上限 {MAX_BUNDLE_OPS} 项，"
        "未导入任何内容")
    assert hub.record("complaints", good["uuid"]) is None
