"""Zip bombs and strange members: a bundle or receipt is size-checked before it is inflated,
at the office (sync import-receipt) and at the hub (import-bundle)."""

from __future__ import annotations

import functools
import hashlib
import hmac
import io
import json
import struct
import time
import tracemalloc
import uuid
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.services.records import MAX_ATTACHMENT_BYTES
from desktop.sync import bundle
from desktop.sync.protocol import ErrorCode
from tests.sync.office import office, register

GiB = 1024 * 1024 * 1024
_CHUNK = b" " * (16 * 1024 * 1024)


@functools.cache
def _spaces(size: int) -> tuple[bytes, int, str]:
    """A raw deflate stream of `size` spaces (about 1/1000 of it), its CRC-32 and SHA-256.
    Built from one flushed segment repeated (a full flush makes each independent)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = c.compress(_CHUNK) + c.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc, sha = 0, hashlib.sha256()
    for _ in range(size // len(_CHUNK)):
        crc = zlib.crc32(_CHUNK, crc)
        sha.update(_CHUNK)
    return segment * (size // len(_CHUNK)) + final, crc, sha.hexdigest()


def _zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, stored bytes, method, crc, declared inflated size) each,
    so a test can say anything about a member's size."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, body, method, crc, size in members:
        raw = name.encode("utf-8")
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, method, 0, 0x21, crc,
                              len(body), size, len(raw), 0) + raw + body)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, method, 0,
                                  0x21, crc, len(body), size, len(raw), 0, 0, 0, 0, 0, offset) + raw)
    start = out.tell()
    out.write(central.getvalue())
    count = len(members)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central.getvalue()),
                          start, 0))
    return out.getvalue()


def _stored(name: str, body: bytes) -> tuple[str, bytes, int, int, int]:
    return name, body, zipfile.ZIP_STORED, zlib.crc32(body), len(body)


def _bomb(size: int = GiB, declared: int | None = None) -> tuple[bytes, int, int, str]:
    body, crc, sha = _spaces(size)
    return body, crc, size if declared is None else declared, sha


def _signed(kind: str, key: str, ids: dict[str, str], name: str, declared: int,
            sha: str, bomb: bytes, crc: int) -> bytes:
    """A file a holder of the key could make: a signed manifest that tells the truth about a
    member inflating to `declared` bytes."""
    manifest = {"format": bundle.FORMAT, "version": bundle.FORMAT_VERSION, "kind": kind,
                "created_at": "2026-11-20T10:00:00+00:00", **ids,
                "members": {name: {"sha256": sha, "size": declared}}}
    manifest_bytes = json.dumps(manifest, sort_keys=True).encode("utf-8")
    signature = hmac.new(bytes.fromhex(key), manifest_bytes, hashlib.sha256).hexdigest().encode()
    return _zip([_stored("manifest.json", manifest_bytes), _stored("signature", signature),
                 (name, bomb, zipfile.ZIP_DEFLATED, crc, declared)])


def _refused_quickly(call: Callable[[], Any], expect: type[BaseException] | tuple[type[BaseException], ...]
                     ) -> BaseException:
    """Run `call`, which must raise `expect` within two seconds without allocating more than
    32 MB (the bombs below inflate to 1 GB)."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(expect) as refused:
            call()
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB allocated before the refusal"
    assert elapsed < 2, f"{elapsed:.1f} s before the refusal"
    return refused.value


# -- the format alone --------------------------------------------------------------------------
def test_a_manifest_that_inflates_to_a_gigabyte_is_refused_before_inflating() -> None:
    bomb, crc, size, _ = _bomb()
    data = _zip([("manifest.json", bomb, zipfile.ZIP_DEFLATED, crc, size)])
    assert len(data) < 2 * 1024 * 1024
    for read in (lambda: bundle.peek(data),
                 lambda: bundle.read(data, "00" * 32, expect=bundle.RECEIPT)):
        error = _refused_quickly(read, bundle.BundleError)
        assert "manifest.json" in str(error) and "超过上限 4.0 MB" in str(error)
        assert "未导入任何内容" in str(error)


def test_a_header_that_lies_about_the_size_does_not_get_past_the_cap() -> None:
    bomb, crc, _, _ = _bomb(declared=1000)
    data = _zip([("manifest.json", bomb, zipfile.ZIP_DEFLATED, crc, 1000)])
    error = _refused_quickly(lambda: bundle.peek(data), bundle.BundleError)
    assert "未导入任何内容" in str(error)


@pytest.mark.parametrize("name", ["../evil.sh", "blobs/../../evil.sh", "/etc/passwd",
                                  "blobs/" + "A" * 64, "blobs/" + "a" * 63, "C:\\evil.bat",
                                  "extra.txt", "blobs/" + "a" * 64 + "/x"])
def test_a_member_the_format_does_not_write_is_refused(name: str) -> None:
    manifest = json.dumps({"format": bundle.FORMAT, "version": bundle.FORMAT_VERSION}).encode()
    data = _zip([_stored("manifest.json", manifest), _stored(name, b"x")])
    with pytest.raises(bundle.BundleError, match="不应有的成员"):
        bundle.peek(data)


def test_a_name_twice_and_too_many_members_are_refused() -> None:
    manifest = json.dumps({"format": bundle.FORMAT, "version": bundle.FORMAT_VERSION}).encode()
    twice = _zip([_stored("manifest.json", manifest), _stored("content.json", b"{}"),
                  _stored("content.json", b"{}")])
    with pytest.raises(bundle.BundleError, match="不止一次"):
        bundle.peek(twice)
    many = _zip([_stored("manifest.json", manifest)]
                + [_stored(f"blobs/{i:064x}", b"") for i in range(bundle.MAX_MEMBERS)])
    with pytest.raises(bundle.BundleError, match=f"超过上限 {bundle.MAX_MEMBERS} 个"):
        bundle.peek(many)


def test_a_member_the_manifest_does_not_list_is_refused() -> None:
    key = "ab" * 32
    good = bundle.write(bundle.SyncFile(kind=bundle.RECEIPT, bundle_id="b", device_id="d",
                                        office="WZ", hub_id="h", content={"x": 1}), key)
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        members = [_stored(i.filename, zf.read(i)) for i in zf.infolist()]
    extra = _zip(members + [_stored("blobs/" + hashlib.sha256(b"y").hexdigest(), b"y")])
    with pytest.raises(bundle.BundleError, match="清单与文件中的成员不一致"):
        bundle.read(extra, key, expect=bundle.RECEIPT)
    assert bundle.read(_zip(members), key, expect=bundle.RECEIPT).content == {"x": 1}


def test_what_would_be_refused_is_not_written() -> None:
    big = {hashlib.sha256(b"").hexdigest(): b""}
    bundle.write(bundle.SyncFile(kind=bundle.BUNDLE, bundle_id="b", device_id="d", office="WZ",
                                 hub_id="h", content={}, blobs=big), "ab" * 32)
    with pytest.raises(bundle.BundleError, match="超过同步文件的上限"):
        bundle.write(bundle.SyncFile(kind=bundle.BUNDLE, bundle_id="b", device_id="d",
                                     office="WZ", hub_id="h",
                                     content={"x": "字" * (bundle.MAX_CONTENT_BYTES // 3)}),
                     "ab" * 32)


def test_the_attachment_limit_is_the_offices() -> None:
    assert bundle.MAX_ATTACHMENT_BYTES == MAX_ATTACHMENT_BYTES


# -- the office: sync import-receipt -----------------------------------------------------------
def test_a_signed_receipt_bomb_is_refused_at_the_office(hub, tmp_path: Path) -> None:
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    register(station)
    exported = tmp_path / "b.hejie"
    summary = station.s.sync.export_bundle(station.clerk, exported)
    settings = station.s.sync._read()  # noqa: SLF001
    ids = {"bundle_id": summary.bundle_id, "device_id": settings["device_id"],
           "office": settings["office"], "hub_id": settings["hub_id"]}
    bomb, crc, size, sha = _bomb()
    path = tmp_path / "bomb.receipt.hejie"
    path.write_bytes(_signed(bundle.RECEIPT, settings["bundle_key"], ids, "content.json", size,
                             sha, bomb, crc))
    assert path.stat().st_size < 2 * 1024 * 1024
    error = _refused_quickly(lambda: station.s.sync.import_receipt(station.clerk, path),
                             bundle.BundleError)
    assert "content.json" in str(error) and "超过上限 256.0 MB" in str(error)
    # Nothing was taken from it; the real receipt still imports.
    receipt, _ = hub.import_bundle(exported.read_bytes())
    (tmp_path / "r.hejie").write_bytes(receipt)
    assert station.s.sync.import_receipt(station.clerk, tmp_path / "r.hejie").report.pushed == 1


def test_a_receipt_file_larger_than_any_receipt_is_not_read(hub, tmp_path: Path) -> None:
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    station.s.sync.export_bundle(station.clerk, tmp_path / "b.hejie")
    huge = tmp_path / "huge.receipt.hejie"
    with huge.open("wb") as f:  # sparse: no disk is used, and reading it would take 2 GB
        f.truncate(bundle.MAX_TOTAL_BYTES + 1)
    error = _refused_quickly(lambda: station.s.sync.import_receipt(station.clerk, huge),
                             bundle.BundleError)
    assert "回执文件过大" in str(error)


# -- the hub: import-bundle --------------------------------------------------------------------
def test_a_signed_bundle_bomb_is_refused_at_the_hub(hub) -> None:
    station = hub.enrol("WZCQ01")
    ids = {"bundle_id": str(uuid.uuid4()), "device_id": station.device_id,
           "office": station.office, "hub_id": hub.hub_id}
    bomb, crc, size, sha = _bomb()
    blob = f"blobs/{sha}"  # an attachment member named by its true hash, 1 GB inflated
    for name in ("content.json", blob):
        data = _signed(bundle.BUNDLE, station.enrolment.bundle_key, ids, name, size, sha, bomb,
                       crc)
        refused = _refused_quickly(lambda data=data: hub.import_bundle(data), hub.Refused)
        assert refused.status == 400 and refused.code == ErrorCode.BUNDLE_INVALID
        assert "超过上限" in refused.message and "未导入任何内容" in refused.message
    assert hub.count() == 0


def test_the_hub_command_refuses_a_manifest_bomb(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from district.cli import main

    db = f"sqlite:///{tmp_path / 'hub.db'}"
    assert main(["migrate", "--db", db]) == 0
    bomb, crc, size, _ = _bomb()
    path = tmp_path / "bomb.hejie"
    path.write_bytes(_zip([("manifest.json", bomb, zipfile.ZIP_DEFLATED, crc, size)]))
    capsys.readouterr()
    tracemalloc.start()
    try:
        code = main(["import-bundle", str(path), "--db", db])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    err = capsys.readouterr().err
    assert code == 1 and "manifest.json" in err and "超过上限" in err and "未导入任何内容" in err
    assert peak < 32 * 1024 * 1024
    assert not (tmp_path / "bomb.receipt.hejie").exists()


def test_the_hub_command_does_not_read_a_file_larger_than_any_bundle(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from district.cli import main

    db = f"sqlite:///{tmp_path / 'hub.db'}"
    assert main(["migrate", "--db", db]) == 0
    huge = tmp_path / "huge.hejie"
    with huge.open("wb") as f:  # sparse: reading it would take 2 GB of memory
        f.truncate(bundle.MAX_TOTAL_BYTES + 1)
    capsys.readouterr()
    started = time.monotonic()
    assert main(["import-bundle", str(huge), "--db", db]) == 1
    assert time.monotonic() - started < 2
    assert "同步包文件超过 2048 MB" in capsys.readouterr().err


def test_a_receipt_the_office_could_not_read_is_not_made_and_nothing_is_imported(
        hub, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    register(station)
    exported = tmp_path / "b.hejie"
    station.s.sync.export_bundle(station.clerk, exported)
    # The hub runs in this process: a content limit that the bundle meets but its receipt
    # (which carries the records back) does not stands in for a receipt beyond 256 MB.
    with zipfile.ZipFile(exported) as z:
        monkeypatch.setattr(bundle, "MAX_CONTENT_BYTES", z.getinfo("content.json").file_size)
    with pytest.raises(Exception) as refused:  # noqa: B017 - conftest's HubRefused
        hub.import_bundle(exported.read_bytes())
    assert type(refused.value).__name__ == "HubRefused"
    assert refused.value.status == 413 and refused.value.code == ErrorCode.BUNDLE_INVALID
    assert "未导入任何内容" in refused.value.message
    assert hub.count("complaints") == 0
    monkeypatch.undo()
    receipt, summary = hub.import_bundle(exported.read_bytes())
    assert summary.acked == 1 and not summary.already_imported


# -- memory that follows the file's size (a small file within every size limit) -----------------
def _deflated(name: str, body: bytes) -> tuple[str, bytes, int, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, c.compress(body) + c.flush(), zipfile.ZIP_DEFLATED, zlib.crc32(body), len(body)


def _signed_members(kind: str, key: str, ids: dict[str, str],
                    members: list[tuple[str, bytes, int, int, int]], digests: dict[str, str]
                    ) -> bytes:
    """A file a holder of the key could make, of members written by hand (name, stored bytes,
    method, crc, inflated size) whose manifest tells the truth about them."""
    manifest = {"format": bundle.FORMAT, "version": bundle.FORMAT_VERSION, "kind": kind,
                "created_at": "2026-11-20T10:00:00+00:00", **ids,
                "members": {m[0]: {"sha256": digests[m[0]], "size": m[4]} for m in members}}
    manifest_bytes = json.dumps(manifest, sort_keys=True).encode("utf-8")
    signature = hmac.new(bytes.fromhex(key), manifest_bytes, hashlib.sha256).hexdigest().encode()
    return _zip([_stored("manifest.json", manifest_bytes), _stored("signature", signature),
                 *members])


_IDS = {"bundle_id": "b1", "device_id": "d", "office": "WZCQ01", "hub_id": "h"}
_KEY = "11" * 32


def _dense_bundle(ops: int, blobs: int, key: str = _KEY, ids: dict[str, str] = _IDS) -> bytes:
    """The review's bundle: `{"ops": [{}, …]}` and attachments of 192 MB of spaces, each
    within its size limit, signed, in a file of well under a megabyte."""
    content = json.dumps({"ops": [{}] * ops}).encode()
    members, digests = [_deflated("content.json", content)], {
        "content.json": hashlib.sha256(content).hexdigest()}
    body, crc, sha = _spaces(192 * 1024 * 1024)
    for i in range(blobs):
        # Each attachment its own stream (a name twice is refused); the hash is the member's
        # name and the manifest's, so the same spaces serve: the name is what differs.
        name = f"blobs/{sha}" if i == 0 else f"blobs/{i:064x}"
        members.append((name, body, zipfile.ZIP_DEFLATED, crc, 192 * 1024 * 1024))
        digests[name] = sha
    return _signed_members(bundle.BUNDLE, key, ids, members, digests)


def test_a_small_signed_bundle_that_inflates_far_beyond_its_size_is_refused() -> None:
    data = _dense_bundle(ops=4_000_000, blobs=2)
    assert len(data) < 1024 * 1024  # 16 MB of operations and 384 MB of attachments inside
    for read in (lambda: bundle.peek(data), lambda: bundle.read(data, _KEY, expect=bundle.BUNDLE)):
        error = _refused_quickly(read, bundle.BundleError)
        assert f"超过 {bundle.MAX_RATIO} 倍的压缩比上限" in str(error)
        assert "未导入任何内容" in str(error)


def test_many_small_dense_members_are_refused_by_the_whole_files_ratio() -> None:
    members = []
    for i in range(40):  # each just at the 1 MB below which a member's own ratio is not asked
        body = bytes(bundle.RATIO_FLOOR - 1) + bytes([i])
        members.append(_deflated(f"blobs/{hashlib.sha256(body).hexdigest()}", body))
    data = _zip([_stored("manifest.json", b"{}"), *members])
    error = _refused_quickly(lambda: bundle.peek(data), bundle.BundleError)
    assert "文件仅" in str(error) and "压缩比上限" in str(error)


def test_a_manifest_is_a_few_megabytes_and_counted_before_it_is_parsed() -> None:
    # The review's: 16 MB of "[{},…]" in a 16 KB file, read (unsigned) to find the device.
    review = b"[" + b"{}," * (16 * 1024 * 1024 // 3 - 1) + b"{}]"
    data = _zip([_deflated("manifest.json", review)])
    assert len(data) < 64 * 1024
    error = _refused_quickly(lambda: bundle.peek(data), bundle.BundleError)
    assert "超过上限 4.0 MB" in str(error)
    # Stored, within the size and the ratio: still refused before json.loads.
    stored = b"[" + b"{}," * (bundle.MAX_MANIFEST_BYTES // 3 - 1) + b"{}]"
    data = _zip([_stored("manifest.json", stored)])
    error = _refused_quickly(lambda: bundle.peek(data), bundle.BundleError)
    assert f"超过上限 {bundle.MAX_MANIFEST_CONTAINERS} 个" in str(error)
    assert "JSON 对象和数组" in str(error) and "未导入任何内容" in str(error)


def test_content_with_more_objects_than_a_real_bundle_is_refused_before_it_is_parsed() -> None:
    n = bundle.MAX_CONTENT_CONTAINERS  # with the outer object: one too many
    content = b'{"ops":[' + b"{}," * (n - 2) + b"{}]}"
    data = _signed_members(bundle.BUNDLE, _KEY, _IDS, [_stored("content.json", content)],
                           {"content.json": hashlib.sha256(content).hexdigest()})
    error = _refused_quickly(lambda: bundle.read(data, _KEY, expect=bundle.BUNDLE),
                             bundle.BundleError)
    assert f"「content.json」含有 {n + 1} 个 JSON 对象和数组" in str(error)
    fits = b'{"ops":[' + b"{}," * (n - 3) + b"{}]}"
    data = _signed_members(bundle.BUNDLE, _KEY, _IDS, [_stored("content.json", fits)],
                           {"content.json": hashlib.sha256(fits).hexdigest()})
    assert len(bundle.read(data, _KEY, expect=bundle.BUNDLE).content["ops"]) == n - 2


def test_what_would_be_refused_for_its_ratio_or_its_objects_is_not_written(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blank = bytes(4 * 1024 * 1024)  # a blank page scanned as BMP: deflates about 1000:1
    sha = hashlib.sha256(blank).hexdigest()
    sync_file = bundle.SyncFile(kind=bundle.BUNDLE, bundle_id="b", device_id="d", office="WZ",
                                hub_id="h", content={"ops": [{"a": [1]}]}, blobs={sha: blank})
    data = bundle.write(sync_file, _KEY)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.getinfo(f"blobs/{sha}").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("content.json").compress_type == zipfile.ZIP_DEFLATED
    assert bundle.read(data, _KEY, expect=bundle.BUNDLE).blobs == {sha: blank}
    monkeypatch.setattr(bundle, "MAX_CONTENT_CONTAINERS", 2)
    with pytest.raises(bundle.BundleError, match="超过同步文件的上限"):
        bundle.write(sync_file, _KEY)


def test_the_manifest_says_which_protocol_wrote_the_file() -> None:
    from desktop.sync.protocol import PROTOCOL_VERSION

    data = bundle.write(bundle.SyncFile(kind=bundle.BUNDLE, bundle_id="b", device_id="d",
                                        office="WZ", hub_id="h", content={}), _KEY)
    assert bundle.peek(data)["protocol"] == PROTOCOL_VERSION
    assert bundle.read(data, _KEY, expect=bundle.BUNDLE).protocol == PROTOCOL_VERSION
    # A file of a program before it says nothing: protocol 1.
    content = b"{}"
    old = _signed_members(bundle.BUNDLE, _KEY, _IDS, [_stored("content.json", content)],
                          {"content.json": hashlib.sha256(content).hexdigest()})
    assert "protocol" not in bundle.peek(old)
    assert bundle.read(old, _KEY, expect=bundle.BUNDLE).protocol == 1
    for bad in ("2", None, True, 0):
        manifest = json.dumps({"format": bundle.FORMAT, "version": bundle.FORMAT_VERSION,
                               "protocol": bad}).encode()
        with pytest.raises(bundle.BundleError, match="协议版本不正确"):
            bundle.peek(_zip([_stored("manifest.json", manifest)]))


def test_the_reviews_dense_bundle_is_refused_at_the_hub(hub) -> None:  # type: ignore[no-untyped-def]
    station = hub.enrol("WZCQ01")
    ids = {"bundle_id": str(uuid.uuid4()), "device_id": station.device_id,
           "office": station.office, "hub_id": hub.hub_id}
    data = _dense_bundle(ops=4_000_000, blobs=2, key=station.enrolment.bundle_key, ids=ids)
    refused = _refused_quickly(lambda: hub.import_bundle(data), hub.Refused)
    assert refused.status == 400 and refused.code == ErrorCode.BUNDLE_INVALID
    assert "压缩比上限" in refused.message and "未导入任何内容" in refused.message
    assert hub.count() == 0
