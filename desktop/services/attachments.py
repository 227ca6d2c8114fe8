"""Attachments: a complaint's files, stored once by their SHA-256 in the data folder and
named by a label that is never a path."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from desktop import paths
from desktop.db.models import Attachment
from desktop.db.repositories import ComplaintRepository
from desktop.domain import validators as v
from desktop.domain.contract import filename_problem
from desktop.domain.errors import FieldError
from desktop.domain.workflow import HANDLERS
from desktop.security import blobs
from desktop.security.keys import DataKey
from desktop.services.base import Service, require_role
from desktop.services.complaints import load_complaint
from desktop.services.dto import AttachmentInfo, Changed, CurrentUser

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


class AttachmentService(Service):
    def blob_path(self, sha256: str) -> Path:
        return paths.attachment_path(self.ctx.data_dir, sha256)

    def attach(
        self, user: CurrentUser, complaint_id: int, source: Path, note: str = "",
        progress: Callable[[int, int], None] | None = None,  # (done_bytes, total_bytes)
    ) -> Changed:
        """Copy the file into the store (temp name, then rename), then commit its row."""
        require_role(user, *HANDLERS, doing="添加附件")
        source = Path(source)
        if not source.is_file():
            raise FieldError("附件", f"文件 {source} 不存在")
        # The name travels to other offices as a label, never a path (contract.filename_problem).
        if (problem := filename_problem(source.name)) is not None:
            raise FieldError("附件", f"文件名「{source.name[:60]}」{problem}，请改名后再添加")
        v.check_text("attachments", "filename", source.name, "附件文件名")
        v.check_text("attachments", "note", note.strip(), "附件说明")
        size = source.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise FieldError("附件", f"文件过大（{size // 1024 // 1024} MB），单个附件不超过 200 MB")
        with self._uow(user, "", write=False) as uow:
            load_complaint(uow, user, complaint_id)
        sha = self._store(source, size, progress)
        with self._uow(user, "添加附件") as uow:
            c = load_complaint(uow, user, complaint_id)
            row = Attachment(complaint_id=c.id, sha256=sha, filename=source.name, size=size,
                             note=note.strip(), added_by_id=user.id)
            uow.session.add(row)
            uow.commit()
            return Changed("attachment", (row.id,), c.number, created=True, complaint_id=c.id)

    def _store(self, source: Path, size: int,
               progress: Callable[[int, int], None] | None) -> str:
        """Read the file, hash it, and store it sealed with the data key (security/blobs.py);
        the same bytes already stored are kept as they are."""
        digest = hashlib.sha256()
        chunks = []
        done = 0
        with source.open("rb") as src:
            while chunk := src.read(1024 * 1024):
                digest.update(chunk)
                chunks.append(chunk)
                done += len(chunk)
                if progress:
                    progress(done, size)
        sha = digest.hexdigest()
        blobs.write(self.ctx.data_dir, sha, b"".join(chunks), self._key())
        return sha

    def _key(self) -> DataKey | None:
        return self.ctx.keyring.key if self.ctx.keyring is not None else None

    def export_attachment(self, sha256: str, target: Path, mode: int = 0o600) -> Path:
        """A plain copy of a stored attachment at `target`: 打开 puts one in data_dir/opened
        (removed at close and at the next start), 另存为 where the clerk chose."""
        if not self.blob_path(sha256).is_file():
            raise FileNotFoundError(self.blob_path(sha256))
        return blobs.export(self.ctx.data_dir, sha256, self._key(), target, mode)

    def attachment_bytes(self, sha256: str) -> bytes:
        return blobs.read(self.ctx.data_dir, sha256, self._key())

    def attachments(self, user: CurrentUser, complaint_id: int) -> list[AttachmentInfo]:
        with self._uow(user, "", write=False) as uow:
            c = load_complaint(uow, user, complaint_id)
            return [
                AttachmentInfo(a.id, a.sha256, a.filename, a.size, a.note, a.added_at)
                for a in ComplaintRepository(uow.session).attachments(c.id)
            ]
