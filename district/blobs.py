"""Attachment bytes by SHA-256: resumable chunked uploads (the tus idea) and their files.

Layout under the blob directory: `partial/<sha>` while an upload is under way, then
`<sha[:2]>/<sha>` once the whole file's hash was checked. A complete blob is never replaced.

Who may know how far a file stands: a device that sent its bytes (`blob_uploads`), or whose
offices' records name it. Any other device is answered as if the hub had never heard of the
file, so a hash tells it nothing; if it then uploads, its bytes go to its own copy,
`partial/<sha>.<device>`, and once their whole hash is checked the device counts as having
sent the file (the shared file is written only if it was not complete yet: same hash, same
bytes). Its upload thereby looks exactly as the first upload of an unknown file would.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from desktop.files import write_atomic
from desktop.sync.protocol import BlobStatus, ErrorCode
from district import store
from district.errors import HubError, Msg
from district.models import Blob, BlobUpload

MAX_BLOB_SIZE = 512 * 1024 * 1024
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_READ = 1024 * 1024


def check_sha(sha: str) -> str:
    if not SHA_RE.match(sha):
        raise HubError(422, ErrorCode.INVALID, Msg.BLOB_NAME)
    return sha


def file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_READ):
            h.update(chunk)
    return h.hexdigest()


def _status(row: Blob | None, sha: str) -> BlobStatus:
    if row is None:
        return BlobStatus(sha256=sha)
    return BlobStatus(sha256=sha, size=row.size, received=row.received, complete=row.complete)


@dataclass
class ChunkOutcome:
    """What a PUT did; `error` is raised by the caller after the commit (a discarded upload's
    reset must be kept even though the request fails)."""

    status: BlobStatus
    error: HubError | None = None


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)  # made on the first upload

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def partial(self, sha: str) -> Path:
        return self.root / "partial" / sha

    def shadow(self, sha: str, device: str) -> Path:
        return self.root / "partial" / f"{sha}.{device}"

    # ------------------------------------------------------------------ reading
    def status(self, session: Session, sha: str) -> BlobStatus:
        return _status(session.get(Blob, check_sha(sha)), sha)

    def status_for(self, session: Session, sha: str, device: str,
                   scope: list[str]) -> BlobStatus:
        """The status as this device may see it (see the module's docstring)."""
        check_sha(sha)
        if store.blobs_known_to(session, [sha], device, scope):
            return self.status(session, sha)
        own = session.get(BlobUpload, (sha, device))
        if own is not None and own.shadow:
            return BlobStatus(sha256=sha, size=own.size, received=own.received)
        return BlobStatus(sha256=sha)

    def is_complete(self, session: Session, sha: str) -> bool:
        row = session.get(Blob, sha)
        return bool(row and row.complete)

    def read(self, sha: str, start: int = 0, end: int | None = None) -> bytes:
        with self.path(sha).open("rb") as f:
            f.seek(start)
            return f.read(-1 if end is None else end - start)

    # ------------------------------------------------------------------ writing
    def _locked_row(self, session: Session, sha: str, size: int, now: datetime) -> Blob:
        # Insert-if-absent, then lock: two first chunks of one blob cannot both create it.
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(Blob).values(
            sha256=sha, size=size, received=0, complete=False, created_at=now
        ).on_conflict_do_nothing())
        return session.execute(select(Blob).where(Blob.sha256 == sha).with_for_update()
                               .execution_options(populate_existing=True)).scalar_one()

    def _uploader(self, session: Session, sha: str, device: str, now: datetime, *,
                  shadow: bool = False, proven: bool = False) -> BlobUpload:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(BlobUpload).values(
            sha256=sha, device_id=device, shadow=shadow, size=0, received=0, proven=proven,
            at=now).on_conflict_do_nothing())
        row = session.execute(select(BlobUpload).where(BlobUpload.sha256 == sha,
                                                       BlobUpload.device_id == device)
                              .with_for_update().execution_options(populate_existing=True)
                              ).scalar_one()
        if proven and not row.proven:
            row.proven = True
        return row

    def put_chunk(self, session: Session, sha: str, offset: int, size: int, chunk_hash: str,
                  data: bytes, now: datetime, device: str, scope: list[str]) -> ChunkOutcome:
        check_sha(sha)
        if not 0 <= size <= MAX_BLOB_SIZE:
            raise HubError(422, ErrorCode.INVALID, Msg.BLOB_SIZE.format(size=size, limit=MAX_BLOB_SIZE))
        row = self._locked_row(session, sha, size, now)
        if not row.complete:
            self._reconcile(row, now)
        known = bool(store.blobs_known_to(session, [sha], device, scope))
        if not known and (row.complete or row.received > 0):
            return self._put_shadow(session, row, offset, size, chunk_hash, data, now, device)
        if not known:
            self._uploader(session, sha, device, now)  # it starts (or joins) the shared upload
        if row.complete:
            stored = self.read(sha, offset, offset + len(data)) if offset <= row.size else b""
            if stored == data and offset + len(data) <= row.size:
                return ChunkOutcome(_status(row, sha))
            raise HubError(409, ErrorCode.BLOB_MISMATCH, Msg.BLOB_DIFFERENT)
        if row.size != size:
            if row.received:
                raise HubError(422, ErrorCode.BLOB_MISMATCH,
                               Msg.BLOB_SIZE_CHANGED.format(size=size, known=row.size))
            row.size = size
        if offset != row.received:
            status = _status(row, sha)
            raise HubError(409, ErrorCode.BLOB_OFFSET, Msg.BLOB_OFFSET.format(received=row.received),
                           extra={"blob": status.model_dump()})
        if hashlib.sha256(data).hexdigest() != chunk_hash.strip().lower():
            raise HubError(422, ErrorCode.BLOB_CHUNK, Msg.BLOB_CHUNK)
        if offset + len(data) > size:
            raise HubError(422, ErrorCode.BLOB_CHUNK, Msg.BLOB_OVERFLOW)
        partial = self.partial(sha)
        _append(partial, offset, data)
        row.received = offset + len(data)
        if row.received < size:
            return ChunkOutcome(_status(row, sha))
        if file_sha(partial) != sha:
            partial.unlink(missing_ok=True)
            row.received = 0
            return ChunkOutcome(_status(row, sha),
                                HubError(422, ErrorCode.BLOB_MISMATCH, Msg.BLOB_MISMATCH))
        final = self.path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, final)
        row.complete, row.completed_at = True, now
        return ChunkOutcome(_status(row, sha))

    def _put_shadow(self, session: Session, shared: Blob, offset: int, size: int,
                    chunk_hash: str, data: bytes, now: datetime, device: str) -> ChunkOutcome:
        """A chunk of a device's own copy of a file the hub already has bytes of."""
        sha = shared.sha256
        own = self._uploader(session, sha, device, now, shadow=True)

        def status() -> BlobStatus:
            return BlobStatus(sha256=sha, size=own.size, received=own.received)

        path = self.shadow(sha, device)
        actual = path.stat().st_size if path.exists() else 0
        own.received = min(own.received, actual)  # a crash between writing and committing
        if own.size != size:
            if own.received:
                raise HubError(422, ErrorCode.BLOB_MISMATCH,
                               Msg.BLOB_SIZE_CHANGED.format(size=size, known=own.size))
            own.size = size
        if offset != own.received:
            raise HubError(409, ErrorCode.BLOB_OFFSET, Msg.BLOB_OFFSET.format(received=own.received),
                           extra={"blob": status().model_dump()})
        if hashlib.sha256(data).hexdigest() != chunk_hash.strip().lower():
            raise HubError(422, ErrorCode.BLOB_CHUNK, Msg.BLOB_CHUNK)
        if offset + len(data) > size:
            raise HubError(422, ErrorCode.BLOB_CHUNK, Msg.BLOB_OVERFLOW)
        _append(path, offset, data)
        own.received = offset + len(data)
        if own.received < size:
            return ChunkOutcome(status())
        if file_sha(path) != sha:
            path.unlink(missing_ok=True)
            own.received = 0
            return ChunkOutcome(status(), HubError(422, ErrorCode.BLOB_MISMATCH, Msg.BLOB_MISMATCH))
        if shared.complete:
            path.unlink()  # the same hash: the same bytes as the file kept; never replace it
        else:
            final = self.path(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, final)
            self.partial(sha).unlink(missing_ok=True)  # the other upload is superseded
            shared.size, shared.received = size, size
            shared.complete, shared.completed_at = True, now
        own.proven = True
        return ChunkOutcome(BlobStatus(sha256=sha, size=size, received=size, complete=True))

    def _reconcile(self, row: Blob, now: datetime) -> None:
        """Make the row agree with the files after a crash between writing and committing."""
        final = self.path(row.sha256)
        if final.exists() and file_sha(final) == row.sha256:
            row.size, row.received, row.complete, row.completed_at = (
                final.stat().st_size, final.stat().st_size, True, now)
            return
        partial = self.partial(row.sha256)
        actual = partial.stat().st_size if partial.exists() else 0
        if actual < row.received:
            row.received = actual

    def store_bytes(self, session: Session, sha: str, data: bytes, now: datetime,
                    device: str) -> None:
        """A whole blob at once (from a bundle of `device`); its hash is checked here again,
        so the device has shown it holds the file."""
        check_sha(sha)
        if hashlib.sha256(data).hexdigest() != sha:
            raise HubError(422, ErrorCode.BLOB_MISMATCH, Msg.BLOB_MISMATCH)
        row = self._locked_row(session, sha, len(data), now)
        self._uploader(session, sha, device, now, proven=True)
        if row.complete:
            return
        final = self.path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(final, data, mode=0o600)
        self.partial(sha).unlink(missing_ok=True)
        row.size, row.received, row.complete, row.completed_at = len(data), len(data), True, now


def _append(path: Path, offset: int, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("r+b" if path.exists() else "wb") as f:
        f.truncate(offset)  # bytes past the committed offset are a failed earlier attempt
        f.seek(offset)
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
