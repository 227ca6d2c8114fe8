"""Structured logs: one JSON line per request on stderr, through the logging module."""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

ACCESS = logging.getLogger("district.access")
_FIELDS = ("method", "path", "status", "duration_ms", "device", "office")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in (*_FIELDS, "error"):
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: int = logging.INFO) -> None:
    """Send the hub's loggers (and uvicorn's error log) to stderr as JSON lines, once however
    often it is called."""
    for name in ("district", "uvicorn.error"):
        logger = logging.getLogger(name)
        if any(getattr(h, "_hejie", False) for h in logger.handlers):
            continue
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._hejie = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False


class AccessLog:
    """ASGI middleware: times each HTTP request and logs it with the device that made it.

    The endpoint's authentication fills `scope["state"]["log"]` (device, office); the dict is
    put there before the app runs, so whatever copies of the state exist share it.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        info: dict[str, Any] = {"device": None, "office": None}
        scope.setdefault("state", {})["log"] = info
        started = time.perf_counter()
        status = 500

        async def capture(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            ACCESS.info(
                "%s %s %s", scope["method"], scope["path"], status,
                extra={"method": scope["method"], "path": scope["path"], "status": status,
                       "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                       "device": info["device"], "office": info["office"]},
            )
