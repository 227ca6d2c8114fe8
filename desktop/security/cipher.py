"""The one small interface behind which every cipher of the program sits.

Everything that seals bytes (attachments, backups, USB bundles) goes through `Sealer`, and
every sealed blob starts with a short header naming its algorithm, so a national algorithm
(SM4-GCM with SM3) can be offered later as one more `Sealer` without touching the callers or
making old files unreadable. Today there is one: AES-256-GCM from `cryptography`.

Sealed layout: MAGIC (4) | algorithm id (1) | nonce (12) | ciphertext+tag.
The caller's `aad` (associated data: e.g. a file's role and name) is authenticated, not stored:
a blob moved to another role or name fails to open.
"""

from __future__ import annotations

import os
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"HJE1"
KEY_BYTES = 32
_NONCE_BYTES = 12
_AES_256_GCM = 1
_HEADER = len(MAGIC) + 1


class SealError(Exception):
    """A blob that is not ours, is damaged, or was sealed under another key."""


class Sealer(Protocol):
    algorithm_id: int

    def seal(self, plain: bytes, aad: bytes = b"") -> bytes: ...

    def open(self, sealed: bytes, aad: bytes = b"") -> bytes: ...


class AesGcmSealer:
    algorithm_id = _AES_256_GCM

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"key must be {KEY_BYTES} bytes")
        self._aead = AESGCM(key)

    def seal(self, plain: bytes, aad: bytes = b"") -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return MAGIC + bytes([self.algorithm_id]) + nonce + self._aead.encrypt(nonce, plain, aad)

    def open(self, sealed: bytes, aad: bytes = b"") -> bytes:
        if not is_sealed(sealed) or sealed[len(MAGIC)] != self.algorithm_id:
            raise SealError("not sealed by this program's cipher")
        nonce = sealed[_HEADER:_HEADER + _NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, sealed[_HEADER + _NONCE_BYTES:], aad)
        except InvalidTag as exc:
            raise SealError("wrong key, or the data was changed") from exc


def is_sealed(blob: bytes) -> bool:
    return blob[:len(MAGIC)] == MAGIC and len(blob) > _HEADER + _NONCE_BYTES


def sealer_for(key: bytes, algorithm_id: int = _AES_256_GCM) -> Sealer:
    """The sealer for `key`; `algorithm_id` is what a sealed blob's header names."""
    if algorithm_id == _AES_256_GCM:
        return AesGcmSealer(key)
    raise SealError(f"unknown cipher {algorithm_id}")


def open_sealed(key: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    """Open a blob whatever cipher its header names."""
    if not is_sealed(sealed):
        raise SealError("not sealed by this program's cipher")
    return sealer_for(key, sealed[len(MAGIC)]).open(sealed, aad)


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)
