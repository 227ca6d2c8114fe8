"""Attachment files at rest, sealed with the office's data key.

An attachment is stored once, named by the SHA-256 of its plain bytes (paths.attachment_path);
the file holds those bytes sealed (security/cipher.py) under the key derived from the data key
for attachments (keys.ATTACHMENTS), with the hash as associated data, so a file moved under
another name does not open. Files from before encryption are plain until the upgrade seals them
(`seal_plain_files`); reading takes either. Everything that reads or writes an attachment's
bytes (the service, the window's 打开/另存为, sync, backups) goes through here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from desktop import paths
from desktop.files import write_atomic
from desktop.security.cipher import SealError, is_sealed, open_sealed, sealer_for
from desktop.security.keys import ATTACHMENTS, DataKey

SEALED_MARK = ".sealed"  # in attachments/: every file there was sealed (the upgrade's last step)


class AttachmentUnreadable(Exception):
    """The stored file does not open under this key and is not the plain file it names."""


def _aad(sha256: str) -> bytes:
    return b"hejie attachment v1:" + sha256.encode("ascii")


def seal(key: DataKey | None, sha256: str, plain: bytes) -> bytes:
    if key is None:
        return plain  # a plain database from before encryption keeps plain attachments
    return sealer_for(key.derive(ATTACHMENTS)).seal(plain, _aad(sha256))


def unseal(key: DataKey | None, sha256: str, stored: bytes) -> bytes:
    """The plain bytes of a stored attachment (sealed, or plain from before encryption)."""
    if key is not None and is_sealed(stored):
        try:
            return open_sealed(key.derive(ATTACHMENTS), stored, _aad(sha256))
        except SealError:
            pass  # a plain file that happens to start like a sealed one: checked below
    if hashlib.sha256(stored).hexdigest() == sha256:
        return stored
    raise AttachmentUnreadable(f"附件 {sha256[:12]}… 的文件无法解密或已损坏")


def read(data_dir: Path, sha256: str, key: DataKey | None) -> bytes:
    return unseal(key, sha256, paths.attachment_path(data_dir, sha256).read_bytes())


def write(data_dir: Path, sha256: str, plain: bytes, key: DataKey | None) -> Path:
    """Store an attachment's plain bytes sealed under their hash (temp name, then renamed);
    a file already there is kept."""
    target = paths.attachment_path(data_dir, sha256)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(target, seal(key, sha256, plain), mode=0o600)


def content_sha256(path: Path, key: DataKey | None) -> str | None:
    """The SHA-256 of the plain bytes a stored file holds; None when it cannot be read."""
    sha = path.name
    try:
        return hashlib.sha256(unseal(key, sha, path.read_bytes())).hexdigest()
    except (AttachmentUnreadable, OSError):
        return None


def export(data_dir: Path, sha256: str, key: DataKey | None, target: Path, mode: int = 0o600) -> Path:
    """A plain copy of an attachment at `target` (opened for viewing, or 另存为)."""
    return write_atomic(target, read(data_dir, sha256, key), mode=mode)


def seal_plain_files(data_dir: Path, key: DataKey) -> int:
    """Seal, in place, every attachment file still plain (the upgrade to encryption; run again
    at each start until it has gone through once, then marked done). Returns how many."""
    store = data_dir / "attachments"
    mark = store / SEALED_MARK
    if not store.is_dir() or mark.exists():
        return 0
    sealed = 0
    for folder in sorted(p for p in store.iterdir() if p.is_dir()):
        for file in sorted(folder.iterdir()):
            if not file.is_file() or len(file.name) != 64:
                continue
            with file.open("rb") as head:
                start = head.read(32)
            if is_sealed(start):
                continue
            plain = file.read_bytes()
            if hashlib.sha256(plain).hexdigest() != file.name:
                continue  # damaged: left as it is (backups report it)
            write_atomic(file, seal(key, file.name, plain), mode=0o600)
            sealed += 1
    write_atomic(mark, b"", mode=0o600)
    return sealed


def clean_opened(data_dir: Path) -> None:
    """Remove the plain copies of attachments opened for viewing (data_dir/opened): at start
    and at close. A copy a viewer still holds open (Windows) stays until the next time."""
    import shutil

    folder = data_dir / "opened"
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            if folder.exists():
                os.rmdir(folder)
