"""Request bodies beyond a path's limit are refused before they are read whole.

FastAPI reads a JSON body into memory before the endpoint runs; a device (or anyone holding
its token) could send gigabytes. The limit is checked against Content-Length first, and while
the body arrives for a request without one.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop.sync.protocol import ErrorCode
from district.errors import Msg


class BodyTooLarge(HTTPException):
    """Raised from the body's stream; an HTTPException, so that FastAPI's body reading passes
    it on (it turns any other error into "error parsing the body") to the app's handler."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, Msg.TOO_LARGE.format(mb=limit // (1024 * 1024)))


def _refusal(limit: int) -> tuple[Message, Message]:
    body = json.dumps({"error": {"code": ErrorCode.INVALID,
                                 "message": BodyTooLarge(limit).detail}},
                      ensure_ascii=False).encode("utf-8")
    return ({"type": "http.response.start", "status": 413,
             "headers": [(b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode()),
                         (b"connection", b"close")]},
            {"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware: `limits` maps an exact path to the most bytes its body may have."""

    def __init__(self, app: ASGIApp, limits: dict[str, int]) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limits.get(scope.get("path", "")) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            for message in _refusal(limit):
                await send(message)
            return
        received = 0
        started = False

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, watched)
        except BodyTooLarge:
            if started:
                raise
            for message in _refusal(limit):
                await send(message)
