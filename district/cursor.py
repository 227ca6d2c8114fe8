"""Pull cursors: an opaque, signed position in the hub's sequence, valid at this hub only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from desktop.sync.protocol import ErrorCode
from district.errors import HubError, Msg


class CursorInvalid(HubError):
    def __init__(self) -> None:
        super().__init__(410, ErrorCode.CURSOR_INVALID, Msg.CURSOR_INVALID)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, payload: str) -> str:
    return _b64(hmac.new(bytes.fromhex(secret), payload.encode("ascii"), hashlib.sha256).digest())


def encode(hub_id: str, secret: str, seq: int) -> str:
    payload = _b64(json.dumps({"hub": hub_id, "seq": seq}, separators=(",", ":")).encode())
    return f"{payload}.{_mac(secret, payload)}"


def decode(cursor: str | None, hub_id: str, secret: str, horizon: int) -> int:
    """The sequence the cursor stands for (0 for none); CursorInvalid if it can't be trusted.

    A cursor below the horizon may have missed tombstones that were pruned since: only a full
    download makes that office's copy whole again.
    """
    if not cursor:
        return 0
    try:
        payload, mac = cursor.split(".", 1)
        if not hmac.compare_digest(mac, _mac(secret, payload)):
            raise ValueError("signature")
        body = json.loads(_unb64(payload))
        seq = body["seq"]
        if body["hub"] != hub_id or not isinstance(seq, int) or seq < 0:
            raise ValueError("hub")
    except (ValueError, KeyError, TypeError, UnicodeError) as exc:
        raise CursorInvalid() from exc
    if seq < horizon:
        raise CursorInvalid()
    return seq
