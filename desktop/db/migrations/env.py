"""Alembic environment: runs on the connection that desktop.db.migrate prepared."""

from __future__ import annotations

from alembic import context

from desktop.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic` used by hand without our runner
    raise RuntimeError("run migrations through desktop.db.migrate (hejie-admin check / the program)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transactional_ddl=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
