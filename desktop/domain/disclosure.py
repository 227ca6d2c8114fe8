"""Text fit for publication: a complaint's content without personal information (seed 002:
"在保护国家秘密、商业秘密和个人隐私的前提下")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from desktop.domain.validators import mask_name

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})(?!\d)")
_SPACES = re.compile(r"\s+")
PUBLIC_LENGTH = 120


def public_text(text: str, names: Iterable[str] = (), limit: int = PUBLIC_LENGTH) -> str:
    """`text` with ID numbers, phone numbers and the given people's names hidden, shortened."""
    out = _ID_NUMBER.sub("（证件号已隐去）", text)
    out = _PHONE.sub("（电话已隐去）", out)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) > 1}, key=len,
                       reverse=True):
        out = out.replace(name, mask_name(name).replace("*", "某", 1).replace("*", ""))
    out = _SPACES.sub(" ", out).strip()
    return out if len(out) <= limit else out[: limit - 1] + "…"
