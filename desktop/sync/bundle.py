"""USB bundles and receipts: a signed zip file both sides write and read.

Layout of the file (a zip, stored uncompressed members are fine):
    manifest.json   what the file is, for whom, and the SHA-256 of every other member
    signature       hex HMAC-SHA256 of manifest.json's bytes under the device's bundle key
    content.json    the payload: operations (bundle) or results and records (receipt)
    blobs/<sha256>  attachment bytes named by their hash

Reading checks, in order: a readable zip (a truncated file fails here) of sizes it is safe to
inflate (see Limits below: a zip bomb fails here, before anything is decompressed), the
signature over the manifest (one changed byte in the manifest fails here), then each member's
hash against the manifest (one changed byte anywhere else fails here). Nothing is applied
before all pass.

Limits, checked against the zip's directory before a byte is inflated and again while each
member is read (a member is read with a cap, so a header that lies about a size cannot get
past them): at most MAX_MEMBERS members, only the names above (no folders, no other files,
no name twice), stored or deflated; manifest.json (one entry a member) and signature small,
content.json up to MAX_CONTENT_BYTES, each attachment up to MAX_ATTACHMENT_BYTES, all together
up to MAX_TOTAL_BYTES.

Memory follows the file's size, not only those limits: a member over 1 MB inflates to at most
MAX_RATIO times its compressed size, and all members together to at most MAX_RATIO times the
file (plus 1 MB). Real members are far from it (attachments are already-compressed images and
PDFs, operations as JSON deflate about 17:1); a file of zeros deflates about 1000:1. `write`
stores a member uncompressed when deflating it would go beyond the ratio (a blank scanned page
as BMP), so whatever it writes is read. And JSON is counted before it is parsed: content.json
may hold at most MAX_CONTENT_CONTAINERS objects and arrays, the manifest one a member (each
costs memory as a Python object even when it is empty: `[{},{},…]`).

The manifest says which PROTOCOL_VERSION the program that wrote the file speaks (`protocol`;
files of programs before it say nothing, read as 1), so a hub can refuse a bundle of a program
whose protocol has passed its sunset.

Sealed members (format version 2). A lost USB stick must reveal nothing of the consumers in it,
so content.json and every attachment are sealed (desktop.security.cipher: AES-256-GCM) under a
key derived from the device's bundle key with HKDF-SHA256 and a label of its own (the bundle
key itself stays the HMAC key of the signature: one key, two uses, kept apart by the
derivation). Encrypt, then sign: the manifest lists each member as stored (sealed), with its
SHA-256 and `"sealed": true`, and the signature covers the manifest; reading checks the
signature and every member's hash before anything is decrypted, then opens each sealed member
(its GCM tag authenticates it once more, bound to the file's kind, bundle id and member name by
the associated data). A sealed attachment is still named by the SHA-256 of its plain bytes,
checked after it is opened. Sealed attachments are stored uncompressed in the zip (ciphertext
does not deflate) and content.json is not compressed before sealing: the size limits below are on
the plain JSON, as before, at the price of files some times larger than deflated ones. The
manifest stays readable (device, office code, hub, bundle id, sizes): the hub must find the
device's key before it can open anything, and it holds no personal data.

Version 1 files (programs before sealing) are plain and still read: they are signed the same
way, so nothing unsigned gets in, and refusing them would strand the operations of an office
whose program is not yet upgraded; the hub answers a version 1 bundle with a version 1
receipt, the only kind that office can read. A program before version 2 refuses a version 2
file with its own message (同步文件格式版本 2 不受支持，请升级程序), and this one does the same
for any later version.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.domain.errors import DomainError
from desktop.files import write_atomic
from desktop.security import cipher
from desktop.sync.protocol import PROTOCOL_VERSION

FORMAT = "hejie-sync"
FORMAT_VERSION = 2  # what `write` writes by default: sealed members
PLAIN_VERSION = 1  # before sealing; still read, and written only to answer such a bundle
READABLE_VERSIONS = (PLAIN_VERSION, FORMAT_VERSION)
_SEAL_LABEL = b"hejie-sync bundle members v2"
# A sealed member is its plain bytes and the cipher's header, nonce and tag.
SEAL_OVERHEAD = 64
BUNDLE = "bundle"
RECEIPT = "receipt"
_MANIFEST = "manifest.json"
_SIGNATURE = "signature"
_CONTENT = "content.json"
_BLOB_NAME = re.compile(r"blobs/[0-9a-f]{64}")

MiB = 1024 * 1024
MAX_MEMBERS = 20_000
MAX_MANIFEST_BYTES = 4 * MiB  # about 175 bytes a member: 20,000 members take 3.5 MB
MAX_SIGNATURE_BYTES = 1024  # 64 hex digits
MAX_CONTENT_BYTES = 256 * MiB  # operations or records as JSON; a month offline is far less
MAX_ATTACHMENT_BYTES = 200 * MiB  # the office's own limit (services.records, held equal by a test)
MAX_TOTAL_BYTES = 2048 * MiB
# Inflated size over compressed size, for a member over RATIO_FLOOR and for the whole file.
MAX_RATIO = 100
RATIO_FLOOR = 1 * MiB
# Objects and arrays ("{" and "[" bytes, those inside strings counted too) before JSON is parsed.
# A real bundle holds 4 an operation (the operation, before, after, people) and a receipt 3 a
# record, at about 250 bytes each: a bundle of 10,000 complaints with 2 mediation records each
# holds 120,000, and MAX_CONTENT_BYTES of real operations about 1,100,000. Empty ones cost
# about 70 bytes each in memory: 2,000,000 take some 150 MB, less than parsing a full-size real
# content.json does.
MAX_CONTENT_CONTAINERS = 2_000_000
MAX_MANIFEST_CONTAINERS = MAX_MEMBERS + 16  # the manifest, its members, one entry each


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
    # The protocol of the program that wrote it: `write` always writes this program's;
    # `read` gives the manifest's (1 when the manifest has none: the programs before it).
    protocol: int = PROTOCOL_VERSION
    # The format: `write` writes this version (FORMAT_VERSION seals; PLAIN_VERSION only to
    # answer a bundle of a program before sealing); `read` gives the manifest's.
    format_version: int = FORMAT_VERSION


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sign(key: str, data: bytes) -> str:
    return hmac.new(bytes.fromhex(key), data, hashlib.sha256).hexdigest()


def seal_key(key: str) -> bytes:
    """The key that seals a file's members, derived from the device's bundle key (HKDF-SHA256,
    a label of its own): the bundle key itself only signs."""
    return HKDF(algorithm=hashes.SHA256(), length=cipher.KEY_BYTES, salt=None,
                info=_SEAL_LABEL).derive(bytes.fromhex(key))


def _aad(kind: str, bundle_id: str, name: str) -> bytes:
    """What a sealed member is bound to: another file's or another member's bytes do not open."""
    return f"{FORMAT}/{kind}/{bundle_id}/{name}".encode()


def write(sync_file: SyncFile, key: str) -> bytes:
    """The file's bytes: members sealed (version 2) and the manifest signed with the device's
    bundle key."""
    if sync_file.format_version not in READABLE_VERSIONS:
        raise BundleError(f"同步文件格式版本 {sync_file.format_version} 不受支持，未生成文件")
    content = json.dumps(sync_file.content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    members = {_CONTENT: content, **{f"blobs/{sha}": data for sha, data in sync_file.blobs.items()}}
    digests = {name: _sha(data) for name, data in members.items()}
    too_large = [name for name, data in members.items() if len(data) > _plain_limit(name)]
    total = sum(len(data) for data in members.values())
    if too_large or total > MAX_TOTAL_BYTES or len(members) + 2 > MAX_MEMBERS \
            or _containers(content) > MAX_CONTENT_CONTAINERS:
        # What the other side would refuse to read is not written in the first place.
        raise BundleError(f"同步内容过大（{_size(total)}，{len(members)} 个部分），超过同步文件的上限，"
                          "未生成文件。请联系信息管理员")
    for sha in sync_file.blobs:
        if digests[f"blobs/{sha}"] != sha:
            raise BundleError(f"附件内容与其校验值不符（{sha[:12]}…），同步包未生成")
    sealed = sync_file.format_version >= FORMAT_VERSION
    if sealed:
        sealer = cipher.sealer_for(seal_key(key))
        members = {name: sealer.seal(data, _aad(sync_file.kind, sync_file.bundle_id, name))
                   for name, data in members.items()}
        digests = {name: _sha(data) for name, data in members.items()}
        sealed_total = sum(len(data) for data in members.values())
        if sealed_total > MAX_TOTAL_BYTES:  # the reader counts the stored (sealed) sizes
            raise BundleError(f"同步内容过大（{_size(sealed_total)}，{len(members)} 个部分），"
                              "超过同步文件的上限，未生成文件。请联系信息管理员")
    manifest = {
        "format": FORMAT,
        "version": sync_file.format_version,
        "protocol": PROTOCOL_VERSION,
        "kind": sync_file.kind,
        "bundle_id": sync_file.bundle_id,
        "device_id": sync_file.device_id,
        "office": sync_file.office,
        "hub_id": sync_file.hub_id,
        "created_at": sync_file.created_at,
        "members": {name: {"sha256": digests[name], "size": len(data)}
                    | ({"sealed": True} if sealed else {})
                    for name, data in members.items()},
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
    parts = {_MANIFEST: manifest_bytes, _SIGNATURE: sign(key, manifest_bytes).encode("ascii"),
             **members}
    # Ciphertext does not deflate: sealed attachments (the large members) are stored as they
    # are; content.json goes the one way every file's did (no gain, little time).
    stored = {name for name in members if name.startswith("blobs/")} if sealed else set()
    out, dense = _zipped(parts, stored)
    if dense:  # rare (a blank page scanned as BMP): written again, those members stored
        out, _ = _zipped(parts, stored | dense)
    return out


def _zipped(parts: dict[str, bytes], stored: set[str]) -> tuple[bytes, set[str]]:
    """The zip of `parts`, `stored` ones uncompressed, and the names of the deflated ones that
    inflate to more than MAX_RATIO times their compressed size (a reader refuses those)."""
    out = io.BytesIO()
    dense: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
            if name not in stored and len(data) > MAX_RATIO * zf.getinfo(name).compress_size:
                dense.add(name)
    return out.getvalue(), dense


def _containers(body: bytes) -> int:
    """JSON objects and arrays a text can hold at most (brackets inside strings counted too)."""
    return body.count(b"{") + body.count(b"[")


def _parse(body: bytes, name: str, limit: int, what: str) -> Any:
    """JSON, once it is known not to hold more objects and arrays than `limit`."""
    count = _containers(body)
    if count > limit:
        raise _refused(what, f"成员「{name}」含有 {count} 个 JSON 对象和数组，超过上限 {limit} 个")
    return json.loads(body)


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MB" if n >= MiB else f"{n} 字节"


def _limit(name: str) -> int | None:
    """How large a member of this name may be when inflated (as stored: sealed, for a sealed
    one); None: not a name the format writes."""
    if name == _MANIFEST:
        return MAX_MANIFEST_BYTES
    if name == _SIGNATURE:
        return MAX_SIGNATURE_BYTES
    if name == _CONTENT:
        return MAX_CONTENT_BYTES + SEAL_OVERHEAD
    if _BLOB_NAME.fullmatch(name):
        return MAX_ATTACHMENT_BYTES + SEAL_OVERHEAD
    return None


def _plain_limit(name: str) -> int:
    """How large a member's plain bytes may be (a sealed one is SEAL_OVERHEAD larger stored)."""
    limit = _limit(name)
    if limit is None:
        return 0
    return limit - SEAL_OVERHEAD if name == _CONTENT or name.startswith("blobs/") else limit


def _refused(what: str, reason: str) -> BundleError:
    return BundleError(f"{what}文件已损坏或不是和解台生成的：{reason}。未导入任何内容")


def _open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """The zip, once its directory says nothing in it is larger than the format allows."""
    fp = io.BytesIO(data)
    try:
        # The number of members, from the end record, before zipfile reads the whole directory
        # (a directory of millions of empty entries costs memory of its own).
        end = zipfile._EndRecData(fp)  # noqa: SLF001  # the stdlib's own reader of that record
    except OSError:
        end = None
    if end is not None and end[zipfile._ECD_ENTRIES_TOTAL] > MAX_MEMBERS:  # noqa: SLF001
        raise _refused(what, f"含有 {end[zipfile._ECD_ENTRIES_TOTAL]} 个成员，"  # noqa: SLF001
                             f"超过上限 {MAX_MEMBERS} 个")
    zf = zipfile.ZipFile(fp)
    try:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _refused(what, f"含有 {len(infos)} 个成员，超过上限 {MAX_MEMBERS} 个")
        seen: set[str] = set()
        total = compressed = 0
        for info in infos:
            name = info.filename
            limit = _limit(name)
            shown = name[:80].encode("unicode_escape").decode("ascii")
            if limit is None:
                raise _refused(what, f"含有不应有的成员「{shown}」")
            if name in seen:
                raise _refused(what, f"成员「{shown}」出现了不止一次")
            seen.add(name)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _refused(what, f"成员「{shown}」的压缩方式不受支持")
            if info.file_size > limit:
                raise _refused(what, f"成员「{shown}」解压后有 {_size(info.file_size)}，"
                                     f"超过上限 {_size(limit)}")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size:
                raise _refused(what, f"成员「{shown}」压缩后仅 {_size(info.compress_size)}，"
                                     f"解压后却有 {_size(info.file_size)}，"
                                     f"超过 {MAX_RATIO} 倍的压缩比上限")
            total += info.file_size
            compressed += info.compress_size
        if total > MAX_TOTAL_BYTES:
            raise _refused(what, f"解压后共有 {_size(total)}，超过上限 {_size(MAX_TOTAL_BYTES)}")
        # Each member's compressed bytes are its own part of the file: together no more than it.
        if compressed > len(data):
            raise _refused(what, "成员声明的压缩大小合计超过文件本身")
        if total > MAX_RATIO * len(data) + RATIO_FLOOR:
            raise _refused(what, f"文件仅 {_size(len(data))}，解压后却有 {_size(total)}，"
                                 f"超过 {MAX_RATIO} 倍的压缩比上限")
    except BaseException:
        zf.close()
        raise
    return zf


def _member(zf: zipfile.ZipFile, name: str, what: str) -> bytes:
    """A member's bytes, read with a cap: never more than its limit and its declared size."""
    info = zf.getinfo(name)
    limit = min(info.file_size, _limit(name) or 0)
    with zf.open(info) as f:
        body = f.read(limit + 1)
    if len(body) > limit:  # zipfile stops at the declared size; this holds even if it did not
        raise _refused(what, f"成员「{name}」比声明的大小更长")
    return body


_DAMAGED = (zipfile.BadZipFile, KeyError, ValueError, EOFError, zlib.error, RuntimeError,
            NotImplementedError, OSError)


def peek(data: bytes) -> dict[str, Any]:
    """The manifest, unverified: which device's key to check the file with."""
    try:
        with _open_zip(data, "同步") as zf:
            manifest = _parse(_member(zf, _MANIFEST, "同步"), _MANIFEST,
                              MAX_MANIFEST_CONTAINERS, "同步")
    except BundleError:
        raise
    except _DAMAGED as exc:
        raise BundleError("文件不完整或不是和解台同步文件（可能在复制时被截断），未导入任何内容") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError("这不是和解台的同步文件，未导入任何内容")
    version = manifest.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise BundleError(f"同步文件格式版本 {version} 不受支持（可能由更新版本的和解台生成），"
                          "请升级程序，未导入任何内容")
    protocol = manifest.get("protocol", 1)
    if type(protocol) is not int or protocol < 1:
        raise _refused("同步", "清单中的协议版本不正确")
    return manifest


def read(data: bytes, key: str, *, expect: str) -> SyncFile:
    """Verify and open a file; raises BundleError naming what is wrong."""
    manifest = peek(data)
    what = "同步包" if expect == BUNDLE else "回执"
    if manifest.get("kind") != expect:
        other = "同步包" if manifest.get("kind") == BUNDLE else "回执"
        raise BundleError(f"这是一个{other}文件，这里需要导入{what}")
    try:
        with _open_zip(data, what) as zf:
            manifest_bytes = _member(zf, _MANIFEST, what)
            signature = _member(zf, _SIGNATURE, what).decode("ascii", "replace").strip()
            if not hmac.compare_digest(signature, sign(key, manifest_bytes)):
                raise BundleError(f"{what}签名不符：文件被改动、损坏，或不是本单位设备的文件。未导入任何内容")
            members = manifest.get("members") or {}
            if not isinstance(members, dict) or \
                    set(members) != set(zf.namelist()) - {_MANIFEST, _SIGNATURE}:
                raise _refused(what, "清单与文件中的成员不一致")
            contents: dict[str, bytes] = {}
            sealed: set[str] = set()
            for name, meta in members.items():
                if not isinstance(meta, dict):
                    raise _refused(what, f"清单中「{name}」的记载不正确")
                if meta.get("sealed", False) not in (True, False) or \
                        (meta.get("sealed") and manifest["version"] < FORMAT_VERSION):
                    raise _refused(what, f"清单中「{name}」的加密记载不正确")
                body = _member(zf, name, what)
                digest = _sha(body)
                if len(body) != meta.get("size") or digest != meta.get("sha256") \
                        or (name.startswith("blobs/") and not meta.get("sealed")
                            and name != f"blobs/{digest}"):
                    raise BundleError(f"{what}中的「{name}」与清单校验值不符（文件损坏），未导入任何内容")
                contents[name] = body
                if meta.get("sealed"):
                    sealed.add(name)
    except BundleError:
        raise
    except _DAMAGED as exc:  # a damaged zip fails in any of these
        raise BundleError(f"{what}文件不完整（可能在复制时被截断）：{exc}。未导入任何内容") from exc
    if _CONTENT not in contents:
        raise BundleError(f"{what}缺少内容部分，未导入任何内容")
    if sealed:
        contents |= _opened(contents, sealed, key, manifest, what)
    blobs = {name.removeprefix("blobs/"): body for name, body in contents.items()
             if name.startswith("blobs/")}
    try:
        content = _parse(contents[_CONTENT], _CONTENT, MAX_CONTENT_CONTAINERS, what)
    except ValueError as exc:
        raise _refused(what, "内容部分不是有效的 JSON") from exc
    return SyncFile(
        format_version=manifest["version"],
        kind=manifest["kind"],
        bundle_id=manifest["bundle_id"],
        device_id=manifest["device_id"],
        office=manifest["office"],
        hub_id=manifest["hub_id"],
        content=content,
        blobs=blobs,
        created_at=manifest.get("created_at", ""),
        protocol=manifest.get("protocol", 1),
    )


def _opened(contents: dict[str, bytes], names: set[str], key: str, manifest: dict[str, Any],
            what: str) -> dict[str, bytes]:
    """The plain bytes of the sealed members (their signed hashes were checked already)."""
    sealer = cipher.sealer_for(seal_key(key))
    opened: dict[str, bytes] = {}
    for name in sorted(names):
        try:
            plain = sealer.open(contents[name], _aad(manifest["kind"], manifest["bundle_id"], name))
        except cipher.SealError as exc:
            raise BundleError(f"{what}中的「{name}」无法解密（文件损坏，或不是用本机的同步密钥加密的），"
                              "未导入任何内容") from exc
        if len(plain) > _plain_limit(name):
            raise _refused(what, f"成员「{name}」解密后有 {_size(len(plain))}，超过上限")
        if name.startswith("blobs/") and name != f"blobs/{_sha(plain)}":
            raise BundleError(f"{what}中的「{name}」与清单校验值不符（文件损坏），未导入任何内容")
        opened[name] = plain
    return opened


def write_file(path: Path, sync_file: SyncFile, key: str) -> int:
    """Write through a temporary name, so a full stick never leaves half a file under the name."""
    data = write(sync_file, key)
    write_atomic(path, data)
    return len(data)


# What content.json holds:
#   bundle:  {"ops": [Operation…], "cursor": str | None, "backlog": int}
#   receipt: {"results": [OpResult…], "records": [PulledRecord…], "cursor": str,
#             "already_imported": bool}
