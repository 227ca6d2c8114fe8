"""Attachment bytes by SHA-256: resumable chunked uploads (the tus idea) and their files.

Layout under the blob directory: `partial/<sha>` while an upload is under way, then
`<sha[:2]>/<sha>` once the whole file's hash was checked. A complete blob is never replaced.
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
from district.errors import HubError, Msg
from district.models import Blob

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

    # ------------------------------------------------------------------ reading
    def status(self, session: Session, sha: str) -> BlobStatus:
        return _status(session.get(Blob, check_sha(sha)), sha)

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

    def put_chunk(self, session: Session, sha: str, offset: int, size: int, chunk_hash: str,
                  data: bytes, now: datetime) -> ChunkOutcome:
        check_sha(sha)
        if not 0 <= size <= MAX_BLOB_SIZE:
            raise HubError(422, ErrorCode.INVALID, Msg.BLOB_SIZE.format(size=size, limit=MAX_BLOB_SIZE))
        row = self._locked_row(session, sha, size, now)
        if not row.complete:
            self._reconcile(row, now)
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
        partial.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("r+b" if partial.exists() else "wb") as f:
            f.truncate(offset)  # bytes past the committed offset are a failed earlier attempt
            f.seek(offset)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
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

    def store_bytes(self, session: Session, sha: str, data: bytes, now: datetime) -> None:
        """A whole blob at once (from a bundle); its hash is checked here again."""
        check_sha(sha)
        if hashlib.sha256(data).hexdigest() != sha:
            raise HubError(422, ErrorCode.BLOB_MISMATCH, Msg.BLOB_MISMATCH)
        row = self._locked_row(session, sha, len(data), now)
        if row.complete:
            return
        final = self.path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(final, data, mode=0o600)
        self.partial(sha).unlink(missing_ok=True)
        row.size, row.received, row.complete, row.completed_at = len(data), len(data), True, now
