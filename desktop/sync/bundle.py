"""USB bundles and receipts: a signed zip file both sides write and read.

Layout of the file (a zip, stored uncompressed members are fine):
    manifest.json   what the file is, for whom, and the SHA-256 of every other member
    signature       hex HMAC-SHA256 of manifest.json's bytes under the device's bundle key
    content.json    the payload: operations (bundle) or results and records (receipt)
    blobs/<sha256>  attachment bytes named by their hash

Reading checks, in order: a readable zip (a truncated file fails here), the signature over the
manifest (one changed byte in the manifest fails here), then each member's hash against the
manifest (one changed byte anywhere else fails here). Nothing is applied before all pass.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.domain.errors import DomainError
from desktop.files import write_atomic

FORMAT = "hejie-sync"
FORMAT_VERSION = 1
BUNDLE = "bundle"
RECEIPT = "receipt"
_MANIFEST = "manifest.json"
_SIGNATURE = "signature"
_CONTENT = "content.json"


class BundleError(DomainError):
    """The file cannot be used as it is; the message says why, in Chinese."""


@dataclass
class SyncFile:
    """A bundle (office → district) or a receipt (district → office)."""

    kind: str
    bundle_id: str
    device_id: str
    office: str
    hub_id: str
    content: dict[str, Any]
    blobs: dict[str, bytes] = field(default_factory=dict)
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sign(key: str, data: bytes) -> str:
    return hmac.new(bytes.fromhex(key), data, hashlib.sha256).hexdigest()


def write(sync_file: SyncFile, key: str) -> bytes:
    """The file's bytes, signed with the device's bundle key."""
    content = json.dumps(sync_file.content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    members = {_CONTENT: content, **{f"blobs/{sha}": data for sha, data in sync_file.blobs.items()}}
    digests = {name: _sha(data) for name, data in members.items()}
    for sha in sync_file.blobs:
        if digests[f"blobs/{sha}"] != sha:
            raise BundleError(f"附件内容与其校验值不符（{sha[:12]}…），同步包未生成")
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "kind": sync_file.kind,
        "bundle_id": sync_file.bundle_id,
        "device_id": sync_file.device_id,
        "office": sync_file.office,
        "hub_id": sync_file.hub_id,
        "created_at": sync_file.created_at,
        "members": {name: {"sha256": digests[name], "size": len(data)}
                    for name, data in members.items()},
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_MANIFEST, manifest_bytes)
        zf.writestr(_SIGNATURE, sign(key, manifest_bytes))
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def peek(data: bytes) -> dict[str, Any]:
    """The manifest, unverified: which device's key to check the file with."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            manifest = json.loads(zf.read(_MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, zlib.error, RuntimeError,
            NotImplementedError) as exc:
        raise BundleError("文件不完整或不是和解台同步文件（可能在复制时被截断），未导入任何内容") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError("这不是和解台的同步文件，未导入任何内容")
    if manifest.get("version") != FORMAT_VERSION:
        raise BundleError(f"同步文件格式版本 {manifest.get('version')} 不受支持，请升级程序")
    return manifest


def read(data: bytes, key: str, *, expect: str) -> SyncFile:
    """Verify and open a file; raises BundleError naming what is wrong."""
    manifest = peek(data)
    what = "同步包" if expect == BUNDLE else "回执"
    if manifest.get("kind") != expect:
        other = "同步包" if manifest.get("kind") == BUNDLE else "回执"
        raise BundleError(f"这是一个{other}文件，这里需要导入{what}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            manifest_bytes = zf.read(_MANIFEST)
            signature = zf.read(_SIGNATURE).decode("ascii", "replace").strip()
            if not hmac.compare_digest(signature, sign(key, manifest_bytes)):
                raise BundleError(f"{what}签名不符：文件被改动、损坏，或不是本单位设备的文件。未导入任何内容")
            members = manifest.get("members") or {}
            contents: dict[str, bytes] = {}
            for name, meta in members.items():
                body = zf.read(name)
                digest = _sha(body)
                if len(body) != meta.get("size") or digest != meta.get("sha256") \
                        or (name.startswith("blobs/") and name != f"blobs/{digest}"):
                    raise BundleError(f"{what}中的「{name}」与清单校验值不符（文件损坏），未导入任何内容")
                contents[name] = body
    except BundleError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError, zlib.error,
            RuntimeError, NotImplementedError) as exc:  # a damaged zip fails in any of these
        raise BundleError(f"{what}文件不完整（可能在复制时被截断）：{exc}。未导入任何内容") from exc
    if _CONTENT not in contents:
        raise BundleError(f"{what}缺少内容部分，未导入任何内容")
    blobs = {name.removeprefix("blobs/"): body for name, body in contents.items()
             if name.startswith("blobs/")}
    return SyncFile(
        kind=manifest["kind"],
        bundle_id=manifest["bundle_id"],
        device_id=manifest["device_id"],
        office=manifest["office"],
        hub_id=manifest["hub_id"],
        content=json.loads(contents[_CONTENT]),
        blobs=blobs,
        created_at=manifest.get("created_at", ""),
    )


def write_file(path: Path, sync_file: SyncFile, key: str) -> int:
    """Write through a temporary name, so a full stick never leaves half a file under the name."""
    data = write(sync_file, key)
    write_atomic(path, data)
    return len(data)


# What content.json holds:
#   bundle:  {"ops": [Operation…], "cursor": str | None, "backlog": int}
#   receipt: {"results": [OpResult…], "records": [PulledRecord…], "cursor": str,
#             "already_imported": bool}
