"""Attachment files written from a receipt or a download are only ever written under their
SHA-256 name, after their content was checked against it."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from desktop.services.sync import store_blob
from desktop.sync import bundle
from desktop.sync.client import HubClient, LocalCode, SyncError


def _files(root: Path) -> set[Path]:
    return set(root.rglob("*"))


def test_a_blob_is_stored_under_its_hash_only_when_the_content_matches(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    body = b"scan of a receipt"
    sha = hashlib.sha256(body).hexdigest()
    with pytest.raises(bundle.BundleError, match="与校验值不符"):
        store_blob(data_dir, sha, body + b"!")
    with pytest.raises(bundle.BundleError, match="与校验值不符"):
        store_blob(data_dir, "../../evil", body)
    assert not data_dir.exists()
    stored = store_blob(data_dir, sha, body)
    assert stored == data_dir / "attachments" / sha[:2] / sha and stored.read_bytes() == body
    assert {p.name for p in _files(data_dir) if p.is_file()} == {sha}


def test_a_download_of_a_hash_that_is_not_a_hash_touches_nothing(tmp_path: Path) -> None:
    client = HubClient("http://127.0.0.1:9", retries=0, backoff=0, sleep=lambda _s: None)
    store = tmp_path / "data" / "attachments"
    store.mkdir(parents=True)
    for sha in ("../../../evil", "x/../../../evil", "A" * 64, "/tmp/evil"):
        with pytest.raises(SyncError) as refused:
            client.download(sha, store / f".partial-{sha}")
        assert refused.value.code != LocalCode.NETWORK and "校验值不正确" in str(refused.value)
    assert _files(tmp_path) == {tmp_path / "data", store}


def test_a_receipt_member_not_named_by_its_hash_is_refused() -> None:
    key = "cd" * 32
    body = b"attachment"
    sha = hashlib.sha256(body).hexdigest()
    good = bundle.write(bundle.SyncFile(kind=bundle.RECEIPT, bundle_id="b", device_id="d",
                                        office="WZ", hub_id="h", content={}, blobs={sha: body}),
                        key)
    assert bundle.read(good, key, expect=bundle.RECEIPT).blobs == {sha: body}
    # The same file with the member's bytes swapped (its manifest entry still names the hash).
    other = hashlib.sha256(b"other").hexdigest()
    with pytest.raises(bundle.BundleError):
        bundle.write(bundle.SyncFile(kind=bundle.RECEIPT, bundle_id="b", device_id="d",
                                     office="WZ", hub_id="h", content={}, blobs={other: body}), key)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, b"swapped!!!" if info.filename.startswith("blobs/")
                         else src.read(info))
    with pytest.raises(bundle.BundleError, match="与清单校验值不符"):
        bundle.read(out.getvalue(), key, expect=bundle.RECEIPT)
