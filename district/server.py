"""Run a hub on a loopback port in a background thread (tests, benchmarks, demos)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from district.app import create_app
from district.hub import Hub


@dataclass
class RunningHub:
    url: str  # e.g. http://127.0.0.1:53817 (the API is under protocol.API_PREFIX)
    app: FastAPI
    _server: uvicorn.Server
    _thread: threading.Thread

    @property
    def hub(self) -> Hub:
        return self.app.state.hub

    def stop(self, wait: bool = True) -> None:
        """Stop serving. `wait=False` returns at once (the server's loop notices within 0.1 s):
        for callers that know no request is under way, such as a test's teardown."""
        self._server.should_exit = True
        if wait:
            self._thread.join(timeout=10)
        self.hub.db.engine.dispose()


def start(app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> RunningHub:
    """Serve `app` on host:port (0: a free port) until stop(); returns once it accepts."""
    # IPPROTO_TCP, not 0: asyncio turns Nagle off only on sockets that say they are TCP, and
    # with Nagle on every keep-alive reply waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off",
                            timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name="hejie-district")
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("区局平台未能启动")
        time.sleep(0.01)
    return RunningHub(f"http://{host}:{sock.getsockname()[1]}", app, server, thread)


def start_hub(db_url: str, blob_dir: Path | str | None = None, *, host: str = "127.0.0.1",
              port: int = 0, **options: Any) -> RunningHub:
    """create_app(db_url, blob_dir, **options) served in a thread."""
    return start(create_app(db_url, blob_dir, **options), host, port)
