"""The text a printed sheet's QR code carries: the complaint number and a content checksum.

`HEJIE:GSFJ-20261122-0007:3FA9C21B` — a USB barcode scanner types it into the program's find
box like a keyboard; the checksum says whether the record has changed since the sheet was
printed. Only letters, digits, '-' and ':' so that any scanner keyboard layout types it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

PREFIX = "HEJIE"
CHECKSUM_LENGTH = 8
_CODE_RE = re.compile(rf"^\s*{PREFIX}:(?P<number>[A-Z0-9-]+):(?P<checksum>[0-9A-F]{{{CHECKSUM_LENGTH}}})\s*$")


def checksum(content: Any) -> str:
    """A short, stable digest of a record's content: dicts and lists of plain values, as
    `desktop.db.rows.plain` makes them (dates as ISO text). The same text as the digest of
    paper printed before: those values are what JSON held of them then."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:CHECKSUM_LENGTH].upper()


def encode(number: str, digest: str) -> str:
    return f"{PREFIX}:{number}:{digest}"


@dataclass(frozen=True)
class ScannedCode:
    number: str
    checksum: str | None  # None: a bare complaint number was typed


def decode(text: str) -> ScannedCode:
    """Read what the find box received: a sheet's code, or just a complaint number.

    Scanners with Caps Lock on send the letters in the other case, so case is ignored."""
    cleaned = text.strip().upper()
    match = _CODE_RE.match(cleaned)
    if match:
        return ScannedCode(match["number"], match["checksum"])
    return ScannedCode(cleaned, None)
