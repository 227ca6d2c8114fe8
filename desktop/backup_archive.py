"""One backup file: a zip holding the database (`hejie.db`), the attachments
(`attachments/<2>/<sha256>`, as in the data folder) and `manifest.json`, which lists every member
with its size and SHA-256 and says what the backup is (office, time, schema, counts, checks).

`write` streams each member in once, hashing as it goes; `verify` reads the written file back and
holds every member against the manifest, so a backup counts only once what is on the disk has
been read again. Nothing here knows SQL or Qt: the names and the rotation are domain/backups.py,
the steps (copy, check, write, rename) services/backup.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from desktop.domain.errors import DomainError

FORMAT = "hejie-backup"
FORMAT_VERSION = 1
DATABASE_MEMBER = "hejie.db"
KEYS_MEMBER = "hejie.keys"
MANIFEST_MEMBER = "manifest.json"
MAX_MANIFEST = 64 * 1024 * 1024  # a manifest lists attachments: a million of them fit
_ATTACHMENT = re.compile(r"attachments/([0-9a-f]{2})/([0-9a-f]{64})")
CHUNK = 1024 * 1024

Progress = Callable[[str, int, int], None]  # (what, done, total)


class BackupFileError(DomainError):
    """The file is not a whole, unchanged backup of this program (the message says why)."""


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str  # of the content (an attachment's name is its plain bytes' hash)
    stored: str | None = None  # of the bytes in the zip, when they differ (a sealed attachment)

    @property
    def stored_sha256(self) -> str:
        return self.stored or self.sha256


@dataclass(frozen=True)
class Manifest:
    created_at: str  # local time, "YYYY-MM-DD HH:MM:SS"
    automatic: bool
    made_by: str
    program_version: str
    schema: str | None
    office_code: str
    office_name: str
    database: Member
    attachments: tuple[Member, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()  # attachments the database names that this PC does not have
    damaged: tuple[str, ...] = ()  # attachment files whose bytes no longer match their name
    # hejie.keys (security/keys.py): the data key, wrapped per user and under the recovery key;
    # the database in the backup is encrypted with it, so a restore needs a password or the
    # recovery key. None in a backup of a plain database from before encryption.
    keys: Member | None = None

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(self)}
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.pop("format") != FORMAT:
                raise ValueError("format")
            version = data.pop("format_version")
            if not isinstance(version, int) or version > FORMAT_VERSION:
                raise BackupFileError("备份文件由更新版本的和解台制作，本程序不能读取，请升级程序")
            data["database"] = Member(**data["database"])
            data["attachments"] = tuple(Member(**m) for m in data.get("attachments", ()))
            data["missing"] = tuple(data.get("missing", ()))
            data["damaged"] = tuple(data.get("damaged", ()))
            data["keys"] = Member(**data["keys"]) if data.get("keys") else None
            manifest = cls(**data)
        except BackupFileError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupFileError("备份文件的清单（manifest.json）无法读取，文件不是和解台的备份或已损坏") from exc
        for member in manifest.attachments:
            if _ATTACHMENT.fullmatch(member.name) is None \
                    or member.name.rsplit("/", 1)[1] != member.sha256:
                raise BackupFileError(f"备份文件的清单中有不应有的文件名：{member.name[:80]}")
        if manifest.keys is not None and manifest.keys.name != KEYS_MEMBER:
            raise BackupFileError("备份文件的清单中有不应有的文件名")
        if manifest.database.name != DATABASE_MEMBER:
            raise BackupFileError("备份文件的清单中没有数据库")
        return manifest

    @property
    def created(self) -> datetime:
        return datetime.strptime(self.created_at, "%Y-%m-%d %H:%M:%S")

    @property
    def size(self) -> int:
        return self.database.size + sum(m.size for m in self.attachments)


def attachment_member(sha256: str) -> str:
    return f"attachments/{sha256[:2]}/{sha256}"


def hash_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _stream(source: IO[bytes], out: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        out.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def private_create(path: Path) -> IO[bytes]:
    """A new file that only its owner can read: a backup holds every complainant's data. (On a
    USB stick's FAT the system ignores the mode; the stick itself must be kept safe.)"""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    return os.fdopen(fd, "wb")


def write(target: Path, database: Path, attachments: Iterable[tuple[str, Path]],
          describe: Callable[[Member, tuple[Member, ...], tuple[str, ...]], Manifest],
          progress: Progress | None = None,
          after_member: Callable[[str], None] | None = None,
          keys: bytes | None = None,
          content_sha: Callable[[Path], str | None] | None = None) -> Manifest:
    """Write the backup into `target` (a new file; the caller renames it once verified).

    `attachments`: (sha256, path) of each file to take; one whose bytes no longer match its
    name is left out and reported as damaged. `content_sha(path)`: the hash of the plain bytes
    of a sealed file (security/blobs.py); the zip then holds the file sealed, as stored. `describe(database, attachments, damaged)` gives
    the manifest, written last. `after_member(name)` is called after each member (tests stop
    a backup there)."""
    wanted = list(attachments)
    total = database.stat().st_size + sum(p.stat().st_size for _, p in wanted if p.exists())
    done = 0
    taken: list[Member] = []
    damaged: list[str] = []
    with private_create(target) as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
        info = zipfile.ZipInfo(DATABASE_MEMBER, date_time=datetime.now().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        size = database.stat().st_size
        with database.open("rb") as source, \
                archive.open(info, "w", force_zip64=size > 1 << 31) as out:
            sha, size = _stream(source, out)
        db_member = Member(DATABASE_MEMBER, size, sha)
        keys_member = None
        if keys is not None:
            info = zipfile.ZipInfo(KEYS_MEMBER, date_time=datetime.now().timetuple()[:6])
            info.external_attr = 0o600 << 16
            archive.writestr(info, keys)
            keys_member = Member(KEYS_MEMBER, len(keys), hashlib.sha256(keys).hexdigest())
        done += size
        if progress:
            progress("写入备份文件", done, total)
        if after_member:
            after_member(DATABASE_MEMBER)
        for sha256, path in wanted:
            name = attachment_member(sha256)
            info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED  # pictures, PDF, sound: compressed already
            info.external_attr = 0o600 << 16
            size = path.stat().st_size
            with path.open("rb") as source, \
                    archive.open(info, "w", force_zip64=size > 1 << 31) as out:
                got, size = _stream(source, out)
            done += size
            content = content_sha(path) if content_sha is not None else got
            if content != sha256:
                # The zip cannot take a member back: it stays, unlisted, and restore ignores it.
                damaged.append(sha256)
            else:
                taken.append(Member(name, size, sha256, stored=got if got != sha256 else None))
            if progress:
                progress("写入备份文件", done, total)
            if after_member:
                after_member(name)
        manifest = describe(db_member, tuple(taken), tuple(damaged))
        if keys_member is not None:
            manifest = replace(manifest, keys=keys_member)
        info = zipfile.ZipInfo(MANIFEST_MEMBER, date_time=datetime.now().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        archive.writestr(info, manifest.to_json())
        raw.flush()
        os.fsync(raw.fileno())
    return manifest


def read_manifest(path: Path) -> Manifest:
    """What a backup says it is, without checking its members (for a list of backups)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _manifest(archive)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise BackupFileError(f"文件 {path.name} 不是完整的和解台备份（{_why(exc)}）") from exc


def _manifest(archive: zipfile.ZipFile) -> Manifest:
    try:
        info = archive.getinfo(MANIFEST_MEMBER)
    except KeyError:
        raise BackupFileError("备份文件中没有清单（manifest.json），文件不是和解台的备份或不完整") from None
    if info.file_size > MAX_MANIFEST:
        raise BackupFileError("备份文件的清单过大，文件不是和解台的备份")
    return Manifest.from_json(archive.read(info))


def verify(path: Path, progress: Progress | None = None) -> Manifest:
    """Read the whole file back: the members are exactly those the manifest lists, and each
    has its size and SHA-256 (zip's own CRC is checked on the way). BackupFileError if not."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(archive)
            listed = {m.name: m for m in (manifest.database, *manifest.attachments)}
            if manifest.keys is not None:
                listed[manifest.keys.name] = manifest.keys
            present = [i.filename for i in archive.infolist() if i.filename != MANIFEST_MEMBER]
            # A damaged attachment's bytes stay in the zip unlisted (see write): allowed, ignored.
            unlisted = {n for n in present if n not in listed}
            damaged = {attachment_member(s) for s in manifest.damaged}
            if unlisted - damaged or len(present) != len(set(present)):
                raise BackupFileError("备份文件中有清单以外的文件，文件被改动过")
            missing = set(listed) - set(present)
            if missing:
                raise BackupFileError(f"备份文件缺少 {len(missing)} 个文件（如 {sorted(missing)[0]}），备份不完整")
            total, done = sum(m.size for m in listed.values()), 0
            for member in listed.values():
                digest, size = hashlib.sha256(), 0
                with archive.open(member.name) as source:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        done += len(chunk)
                        if progress and done % (64 * CHUNK) < len(chunk):
                            progress("校验备份文件", done, total)
                if size != member.size or digest.hexdigest() != member.stored_sha256:
                    raise BackupFileError(f"备份文件中的 {member.name} 与清单记载的校验值不符，文件已损坏或被改动")
            if progress:
                progress("校验备份文件", total, total)
            return manifest
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile, zlib.error) as exc:
        raise BackupFileError(f"文件 {path.name} 不是完整的和解台备份（{_why(exc)}）") from exc


def extract(path: Path, member: Member, target: Path) -> None:
    """One member into `target` (a new file), checked against its hash and flushed to disk;
    on any failure nothing is left at `target`."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member.name) as source, \
                private_create(target) as out:
            sha, size = _stream(source, out)
            out.flush()
            os.fsync(out.fileno())
        if (sha, size) != (member.stored_sha256, member.size):
            raise BackupFileError(f"备份文件中的 {member.name} 与清单记载的校验值不符")
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise


def _why(exc: BaseException) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        return "不是 zip 文件，或文件不完整、已损坏"
    if isinstance(exc, zlib.error):
        return "压缩的内容已损坏"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    return str(exc) or type(exc).__name__


def read_keys(path: Path, manifest: Manifest) -> bytes | None:
    """The key file a backup holds, checked against its manifest (None: a plain backup)."""
    if manifest.keys is None:
        return None
    with zipfile.ZipFile(path) as archive:
        raw = archive.read(manifest.keys.name)
    if hashlib.sha256(raw).hexdigest() != manifest.keys.sha256:
        raise BackupFileError("备份文件中的密钥文件与清单记载的校验值不符")
    return raw
