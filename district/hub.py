"""The hub's running context: database, attachment files, clock and settings (no web here)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from district.blobs import BlobStore
from district.db import Clock, Database, default_blob_dir, make_engine, migrate
from district.devices import SESSION_TTL

ADMIN_TOKEN_ENV = "HEJIE_DISTRICT_ADMIN_TOKEN"


@dataclass
class Hub:
    """Everything a request or a command works with; one per app."""

    db: Database
    blobs: BlobStore
    clock: Clock
    session_ttl: int = SESSION_TTL
    env_admin_token: str | None = None


def open_hub(db_url: str, blob_dir: Path | str | None = None, *, clock: Clock | None = None,
             admin_token: str | None = None, session_ttl: int = SESSION_TTL,
             run_migrations: bool = True) -> Hub:
    """Open (and migrate) the database. `admin_token`, else env HEJIE_DISTRICT_ADMIN_TOKEN, is
    an admin credential besides those made with `hejie-district admin-token`."""
    engine = make_engine(db_url)
    if run_migrations:
        migrate(engine)
    return Hub(db=Database(engine),
               blobs=BlobStore(Path(blob_dir) if blob_dir else default_blob_dir(db_url)),
               clock=clock or Clock(), session_ttl=session_ttl,
               env_admin_token=admin_token or os.environ.get(ADMIN_TOKEN_ENV) or None)
