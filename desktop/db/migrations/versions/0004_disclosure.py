"""Monthly complaint disclosure: lists, their rows, objections and corrections, decisions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _syncable() -> list[sa.Column]:
    return [
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "disclosure_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope_office_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("enterprise_figures", sa.Text(), nullable=False),
        sa.Column("channels", sa.String(length=100), nullable=False),
        *_syncable(),
        sa.ForeignKeyConstraint(["scope_office_id"], ["offices.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scope_office_id", "month"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_table(
        "disclosure_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("respondent", sa.String(length=200), nullable=False),
        sa.Column("respondent_credit_code", sa.String(length=18), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("proposed_content", sa.Text(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        sa.Column("corrected_on", sa.Date(), nullable=True),
        *_syncable(),
        sa.ForeignKeyConstraint(["list_id"], ["disclosure_lists.id"]),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("list_id", "complaint_id"),
        sa.UniqueConstraint("uuid"),
    )
    with op.batch_alter_table("disclosure_entries", schema=None) as batch_op:
        batch_op.create_index("ix_disclosure_entries_list_id", ["list_id"], unique=False)
        batch_op.create_index("ix_disclosure_entries_complaint_id", ["complaint_id"], unique=False)
    op.create_table(
        "disclosure_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("new_content", sa.Text(), nullable=True),
        sa.Column("old_content", sa.Text(), nullable=True),
        sa.Column("requester", sa.String(length=200), nullable=False),
        sa.Column("requester_address", sa.String(length=200), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=False),
        *_syncable(),
        sa.ForeignKeyConstraint(["entry_id"], ["disclosure_entries.id"]),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"]),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"]),
        sa.ForeignKeyConstraint(["filed_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    with op.batch_alter_table("disclosure_requests", schema=None) as batch_op:
        batch_op.create_index("ix_disclosure_requests_entry_id", ["entry_id"], unique=False)
    op.create_table(
        "disclosure_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("approve", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        *_syncable(),
        sa.ForeignKeyConstraint(["list_id"], ["disclosure_lists.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["disclosure_requests.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    with op.batch_alter_table("disclosure_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_disclosure_decisions_list_id", ["list_id"], unique=False)
        batch_op.create_index("ix_disclosure_decisions_request_id", ["request_id"], unique=False)


def downgrade() -> None:
    op.drop_table("disclosure_decisions")
    op.drop_table("disclosure_requests")
    op.drop_table("disclosure_entries")
    op.drop_table("disclosure_lists")
