"""The office reference 单位参考资料: one shared document per office (issue 22).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08

The calendar's overrides and confirmed years, the rule sets, the code tables and the 企业库 of
an office, as its PCs share them through the district hub (desktop/db/sync/office_reference.py).
No row is made here: the first administrator's change on any PC of the office makes it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("calendar", sa.Text(), nullable=True),
        sa.Column("rule_sets", sa.Text(), nullable=True),
        sa.Column("codes", sa.Text(), nullable=True),
        sa.Column("enterprises", sa.Text(), nullable=True),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id"),
        sa.UniqueConstraint("uuid"),
    )


def downgrade() -> None:
    op.drop_table("office_references")
