"""Alembic environment: runs on the connection district.db.migrate prepared."""

from __future__ import annotations

from alembic import context

from district.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic` used by hand without our runner
    raise RuntimeError("run migrations through `hejie-district migrate`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transactional_ddl=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
