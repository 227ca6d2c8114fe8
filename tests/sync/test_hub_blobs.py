"""Attachments: resumable chunked uploads, checked chunk by chunk and whole, and downloads."""

from __future__ import annotations

import hashlib
import os

from desktop.sync.protocol import ErrorCode
from tests.sync.test_hub_push import _tombstone

CHUNK = 64 * 1024


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_an_upload_resumes_where_the_hub_stands(hub):
    station = hub.enrol("WZCQ01")
    station.open()
    data = os.urandom(3 * CHUNK + 123)
    sha = _sha(data)
    assert station.call("GET", f"/blobs/{sha}").json() == {"sha256": sha, "size": None,
                                                           "received": 0, "complete": False}
    first = station.put_chunk(sha, 0, data[:CHUNK], len(data))
    assert first.status_code == 200 and first.json()["received"] == CHUNK
    # The network went away; the program restarts at 0: told where to continue instead.
    wrong = station.put_chunk(sha, 0, data[:CHUNK], len(data))
    assert wrong.status_code == 409
    body = wrong.json()
    assert body["error"]["code"] == ErrorCode.BLOB_OFFSET and str(CHUNK) in body["error"]["message"]
    assert body["blob"]["received"] == CHUNK
    status = station.upload(data, CHUNK)
    assert status.complete and status.received == status.size == len(data)
    assert (hub.blob_dir / sha[:2] / sha).read_bytes() == data
    assert not (hub.blob_dir / "partial" / sha).exists()
    # An empty file is a blob too.
    assert station.upload(b"").complete


def test_a_damaged_chunk_is_refused_and_nothing_appended(hub):
    station = hub.enrol("WZCQ01")
    data = os.urandom(2 * CHUNK)
    sha = _sha(data)
    station.put_chunk(sha, 0, data[:CHUNK], len(data))
    damaged = bytes([data[CHUNK] ^ 1]) + data[CHUNK + 1:]
    r = station.put_chunk(sha, CHUNK, damaged, len(data), chunk_hash=_sha(data[CHUNK:]))
    assert r.status_code == 422
    assert r.json()["error"] == {"code": ErrorCode.BLOB_CHUNK, "message": "附件分块校验失败，请重发"}
    assert hub.blob_status(sha)["received"] == CHUNK
    too_long = station.put_chunk(sha, CHUNK, data[CHUNK:] + b"x", len(data))
    assert too_long.status_code == 422
    assert station.put_chunk(sha, CHUNK, data[CHUNK:], len(data)).json()["complete"]
    bad_name = station.put_chunk("ABC", 0, b"x", 1)
    assert bad_name.status_code == 422 and bad_name.json()["error"]["code"] == ErrorCode.INVALID


def test_a_whole_file_not_matching_its_hash_is_discarded(hub):
    station = hub.enrol("WZCQ01")
    claimed, sent = os.urandom(CHUNK), os.urandom(CHUNK)
    sha = _sha(claimed)
    r = station.put_chunk(sha, 0, sent, len(sent))  # every chunk fine, the whole not
    assert r.status_code == 422 and r.json()["error"]["code"] == ErrorCode.BLOB_MISMATCH
    assert hub.blob_status(sha) == {"sha256": sha, "size": CHUNK, "received": 0,
                                    "complete": False}
    assert not (hub.blob_dir / "partial" / sha).exists()
    assert station.upload(claimed).complete  # the right bytes still go in afterwards


def test_a_complete_blob_is_never_overwritten(hub):
    station = hub.enrol("WZCQ01")
    data = os.urandom(CHUNK + 10)
    sha = _sha(data)
    station.upload(data)
    same = station.put_chunk(sha, CHUNK, data[CHUNK:], len(data))
    assert same.status_code == 200 and same.json()["complete"]
    other = os.urandom(CHUNK)
    refused = station.put_chunk(sha, 0, other, len(data))
    assert refused.status_code == 409
    assert refused.json()["error"] == {"code": ErrorCode.BLOB_MISMATCH,
                                       "message": "该校验值下已有不同内容的附件，拒绝覆盖"}
    assert (hub.blob_dir / sha[:2] / sha).read_bytes() == data


def test_an_attachment_waits_for_its_file_and_offices_in_scope_download_it(hub):
    station, sub, other = hub.enrol("WZCQ01"), hub.enrol("WZCQ"), hub.enrol("WZMD01")
    parent = hub.complaint("WZCQ01")
    data = os.urandom(CHUNK + 500)
    sha = _sha(data)
    attachment = hub.attachment(parent.uuid, sha, len(data))
    results = station.push(parent, attachment).results
    assert [r.status for r in results] == ["acked", "deferred"]
    assert results[1].message == "附件文件尚未上传完整"
    station.put_chunk(sha, 0, data[:CHUNK], len(data))
    assert station.push(attachment).results[0].status == "deferred"
    station.upload(data)
    assert station.push(attachment).results[0].status == "acked"
    assert hub.record("attachments", attachment.uuid)["owner"] == "WZCQ01"
    # The sub-bureau downloads it whole, then resumes from an offset.
    sub.open()
    whole = sub.call("GET", f"/blobs/{sha}/content")
    assert whole.status_code == 200 and whole.content == data
    part = sub.call("GET", f"/blobs/{sha}/content", headers={"Range": f"bytes={CHUNK}-"})
    assert part.status_code == 206 and part.content == data[CHUNK:]
    assert part.headers["Content-Range"] == f"bytes {CHUNK}-{len(data) - 1}/{len(data)}"
    beyond = sub.call("GET", f"/blobs/{sha}/content", headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416
    # Another sub-bureau's station has no record naming it: as if it did not exist.
    other.open()
    hidden = other.call("GET", f"/blobs/{sha}/content")
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == ErrorCode.NOT_FOUND
    # Once the attachment is deleted at the hub (offices cannot delete one: a tombstone left
    # from before), nobody can fetch the file through it.
    [refused] = station.push(hub.op("attachments", attachment.uuid, kind="delete",
                                    base_version=1)).results
    assert refused.status == "rejected"
    _tombstone(hub, "attachments", attachment.uuid)
    assert sub.call("GET", f"/blobs/{sha}/content").status_code == 404
