"""The hub's web application: create_app(db_url, blob_dir) migrates and wires everything."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from desktop.sync.protocol import API_PREFIX, PROTOCOL_VERSION, ErrorCode
from district import api_admin, api_sync, logs
from district.db import Clock
from district.devices import SESSION_TTL
from district.errors import INTERNAL, HubError, Msg
from district.hub import Hub, open_hub
from district.limits import BodyLimit, BodyTooLarge

_log = logging.getLogger("district.app")


def _error(status: int, code: str, message: str, extra: dict[str, Any] | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    # A message may quote what a request sent: a lone surrogate there could not be encoded.
    message = message.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return JSONResponse({"error": {"code": code, "message": message}, **(extra or {})},
                        status_code=status, headers=headers)


async def _hub_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HubError)
    return _error(exc.status, exc.code, exc.message, exc.extra)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        details.append(f"{where}：{err.get('msg', '')}" if where else str(err.get("msg", "")))
    return _error(422, ErrorCode.INVALID, Msg.INVALID.format(detail="；".join(details)))


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if isinstance(exc, BodyTooLarge):
        return _error(413, ErrorCode.INVALID, exc.detail)
    code = ErrorCode.NOT_FOUND if exc.status_code == 404 else ErrorCode.INVALID
    message = Msg.NOT_FOUND if exc.status_code == 404 else Msg.INVALID.format(detail=exc.detail)
    return _error(exc.status_code, code, message, headers=getattr(exc, "headers", None))


async def _internal_error(_request: Request, exc: Exception) -> JSONResponse:
    _log.error("unhandled error", exc_info=exc)
    return _error(500, INTERNAL, Msg.INTERNAL)


def create_app(db_url: str, blob_dir: Path | str | None = None, *, clock: Clock | None = None,
               admin_token: str | None = None, session_ttl: int = SESSION_TTL,
               run_migrations: bool = True) -> FastAPI:
    """The hub on this database (see district.hub.open_hub), as a web application."""
    return build_app(open_hub(db_url, blob_dir, clock=clock, admin_token=admin_token,
                              session_ttl=session_ttl, run_migrations=run_migrations))


def build_app(hub: Hub) -> FastAPI:
    """The web application around a hub; `app.state.hub` is everything a request uses."""
    logs.configure()
    app = FastAPI(
        title="和解台 区局平台 API",
        version=str(PROTOCOL_VERSION),
        description="The wire between the offices' programs and the district hub "
                    "(desktop/sync/protocol.py). Errors are always ErrorResponse JSON.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.hub = hub
    app.include_router(api_sync.router)
    app.include_router(api_admin.router)
    app.add_exception_handler(HubError, _hub_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
    app.add_middleware(BodyLimit, limits={f"{API_PREFIX}/push": api_sync.MAX_PUSH})
    app.add_middleware(logs.AccessLog)  # outermost: a refused body is logged too
    return app
