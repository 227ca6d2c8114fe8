"""Sync with the district: the outbox, the hub versions known, conflicts, held records.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("root_uuid", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("people", sa.Text(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("made_by", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("hub_version", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("hub_record", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("op_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_status", "sync_outbox", ["status", "id"])
    op.create_index("ix_outbox_record", "sync_outbox", ["record_uuid", "status"])
    op.create_index("ix_outbox_root", "sync_outbox", ["root_uuid", "status"])
    op.create_table(
        "sync_records",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("hub_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "uuid"),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("root_uuid", sa.String(length=36), nullable=True),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("office_value", sa.Text(), nullable=False),
        sa.Column("hub_value", sa.Text(), nullable=False),
        sa.Column("hub_version", sa.Integer(), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("choice", sa.String(length=8), nullable=True),
        sa.Column("resolved_by", sa.String(length=40), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_conflicts_op_id", "sync_conflicts", ["op_id"])
    op.create_index("ix_sync_conflicts_record_uuid", "sync_conflicts", ["record_uuid"])
    op.create_table(
        "sync_held",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("waiting_entity", sa.String(length=40), nullable=False),
        sa.Column("waiting_uuid", sa.String(length=36), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "uuid"),
    )
    op.create_index("ix_sync_held_waiting_uuid", "sync_held", ["waiting_uuid"])


def downgrade() -> None:
    op.drop_table("sync_held")
    op.drop_table("sync_conflicts")
    op.drop_table("sync_records")
    op.drop_table("sync_outbox")
