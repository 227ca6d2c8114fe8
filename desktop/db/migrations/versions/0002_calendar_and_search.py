"""Working-day overrides and confirmed calendar years; the Chinese full-text index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from desktop.db.search import FTS_DDL, FTS_TRIGGERS, INDEXED_COLUMNS

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holiday_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_working", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=100), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_table(
        "calendar_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
        sa.UniqueConstraint("year"),
    )
    for statement in (*FTS_DDL, *FTS_TRIGGERS):
        op.execute(statement)
    # Index the complaints that were registered before this revision.
    columns = ", ".join(INDEXED_COLUMNS)
    op.execute(
        f"INSERT INTO complaints_fts(rowid, body) SELECT id, hejie_index_text({columns}) FROM complaints"
    )


def downgrade() -> None:
    for trigger in ("complaints_fts_ai", "complaints_fts_au", "complaints_fts_ad"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS complaints_fts")
    op.drop_table("calendar_years")
    op.drop_table("holiday_overrides")
