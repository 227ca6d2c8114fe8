"""USB bundles and receipts are sealed as well as signed: a lost stick reveals nothing of the
consumers in it; the real hub reads them and answers in kind; a plain file of a program before
sealing is still read (signed the same way), a file of a later format is refused plainly."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import uuid
import zipfile
from pathlib import Path

import pytest

from desktop.sync import bundle
from tests.sync.office import by_uuid, office, register, uuid_of

NAME = "欧阳秀英"
PHONE = "13955557777"
ADDRESS = "苏州市吴中区木渎镇金山路 77 号"
SCAN = b"%PDF-1.4 scanned ID card of " + NAME.encode() + b" " + PHONE.encode() + bytes(5000)


def _leaks(data: bytes) -> list[str]:
    """Which of the consumer's data can be read from the file's bytes or any member's inflated
    bytes (a deflated member would hide a name from a plain grep of the file)."""
    found = set()
    texts = [data]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        texts += [zf.read(name) for name in zf.namelist()]
    for text in texts:
        for secret in (NAME, PHONE, ADDRESS, "%PDF"):
            for encoded in (secret.encode("utf-8"), json.dumps(secret).encode("ascii")):
                if encoded in text:
                    found.add(secret)
    return sorted(found)


def test_a_bundle_and_its_receipt_reveal_nothing_and_go_round_a_real_hub(hub, tmp_path: Path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    cid = register(station, complainant_name=NAME, complainant_phone=PHONE,
                   complainant_address=ADDRESS)
    scan = tmp_path / "身份证.pdf"
    scan.write_bytes(SCAN)
    station.s.records.attach(station.clerk, cid, scan)
    path = tmp_path / "b.hejie"
    summary = station.s.sync.export_bundle(station.clerk, path)
    assert summary.operations == 2 and summary.attachments == 1
    data = path.read_bytes()
    assert _leaks(data) == []
    # The manifest says what the file is (no personal data), sealed members and all.
    manifest = bundle.peek(data)
    assert manifest["version"] == bundle.FORMAT_VERSION == 2
    assert all(m["sealed"] for m in manifest["members"].values())
    # What the office meant to send is inside, for the key's holder.
    key = station.s.sync._read()["bundle_key"]  # noqa: SLF001
    opened = bundle.read(data, key, expect=bundle.BUNDLE)
    assert opened.format_version == 2
    assert opened.blobs == {hashlib.sha256(SCAN).hexdigest(): SCAN}
    assert any(op["after"].get("complainant_phone") == PHONE for op in opened.content["ops"])
    # The real hub reads it and answers with a receipt sealed the same way.
    receipt, result = hub.import_bundle(data)
    assert result.acked == 2
    stored = hub.record("complaints", uuid_of(station, cid))
    assert stored is not None and stored["data"]["complainant_phone"] == PHONE
    assert _leaks(receipt) == [] and bundle.peek(receipt)["version"] == 2
    # Back at an office of the same station enrolled afresh: records arrive through a receipt.
    (tmp_path / "r.hejie").write_bytes(receipt)
    done = station.s.sync.import_receipt(station.clerk, tmp_path / "r.hejie")
    assert done.report.pushed == 2
    other, _ = office(tmp_path, "other", "WZCQ01", hub)
    other_path = tmp_path / "o.hejie"
    other.s.sync.export_bundle(other.clerk, other_path)
    other_receipt, _ = hub.import_bundle(other_path.read_bytes())
    assert _leaks(other_receipt) == []  # it carries the complaint and its scan back
    (tmp_path / "or.hejie").write_bytes(other_receipt)
    assert other.s.sync.import_receipt(other.clerk, tmp_path / "or.hejie").report.pulled >= 2
    arrived = by_uuid(other, uuid_of(station, cid))
    assert arrived is not None and arrived.complainant_phone == PHONE


def test_a_plain_bundle_of_a_program_before_sealing_is_read_and_answered_plainly(hub):
    station = hub.enrol("WZCQ01")
    key = station.enrolment.bundle_key
    one = hub.complaint("WZCQ01", complainant_name=NAME, complainant_phone=PHONE)
    plain = bundle.write(bundle.SyncFile(
        kind=bundle.BUNDLE, bundle_id=str(uuid.uuid4()), device_id=station.device_id,
        office=station.office, hub_id=hub.hub_id, format_version=bundle.PLAIN_VERSION,
        content={"ops": [one.model_dump(mode="json")], "cursor": None, "backlog": 0}), key)
    assert bundle.peek(plain)["version"] == 1 and PHONE in _leaks(plain)
    receipt, result = hub.import_bundle(plain)
    assert result.acked == 1 and hub.count("complaints") == 1
    # That office's program reads only plain files: the receipt is one, as before.
    assert bundle.peek(receipt)["version"] == 1
    assert "sealed" not in json.dumps(bundle.peek(receipt)["members"])
    answer = bundle.read(receipt, key, expect=bundle.RECEIPT)
    assert answer.content["results"][0]["status"] == "acked"


def _resigned(data: bytes, key: str, change: dict[str, bytes], **manifest_changes: object) -> bytes:
    """The file with members replaced and the manifest changed and signed again: what only a
    holder of the key could make."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(parts["manifest.json"])
    manifest.update(manifest_changes)
    for name, body in change.items():
        parts[name] = body
        manifest["members"][name] |= {"sha256": hashlib.sha256(body).hexdigest(),
                                      "size": len(body)}
    parts["manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    parts["signature"] = hmac.new(bytes.fromhex(key), parts["manifest.json"],
                                  hashlib.sha256).hexdigest().encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return out.getvalue()


def test_sealed_members_open_only_where_they_were_sealed_and_later_formats_are_refused():
    key = "5a" * 32

    def made(bundle_id: str, content: dict[str, object]) -> bytes:
        return bundle.write(bundle.SyncFile(kind=bundle.RECEIPT, bundle_id=bundle_id,
                                            device_id="d", office="WZCQ01", hub_id="h",
                                            content=content), key)

    first, second = made("b1", {"n": 1}), made("b2", {"n": 2})
    assert bundle.read(first, key, expect=bundle.RECEIPT).content == {"n": 1}
    # Signed with another key: refused at the signature, before anything is opened.
    with pytest.raises(bundle.BundleError, match="签名不符"):
        bundle.read(first, "6b" * 32, expect=bundle.RECEIPT)
    # The second file's sealed content moved into the first, manifest signed again: it was
    # sealed for another file, and does not open here.
    with zipfile.ZipFile(io.BytesIO(second)) as zf:
        moved = zf.read("content.json")
    with pytest.raises(bundle.BundleError, match="「content.json」无法解密"):
        bundle.read(_resigned(first, key, {"content.json": moved}), key, expect=bundle.RECEIPT)
    # A sealed member claimed by a plain-format manifest is not taken for plain content.
    with pytest.raises(bundle.BundleError, match="加密记载不正确"):
        bundle.read(_resigned(first, key, {}, version=1), key, expect=bundle.RECEIPT)
    # A later format than this program's: refused by its version, in words.
    with pytest.raises(bundle.BundleError, match="格式版本 3 不受支持.*请升级程序"):
        bundle.read(_resigned(first, key, {}, version=3), key, expect=bundle.RECEIPT)


def test_the_sealing_key_is_derived_and_differs_from_the_signing_key():
    key = "00" * 31 + "01"
    derived = bundle.seal_key(key)
    assert len(derived) == 32 and derived != bytes.fromhex(key)
    assert derived == bundle.seal_key(key) != bundle.seal_key("00" * 31 + "02")
