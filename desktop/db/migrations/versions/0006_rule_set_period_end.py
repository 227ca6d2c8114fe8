"""Rule sets: how a period whose last day is a rest day or holiday ends.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

Existing rule sets get the general rule of Chinese procedure law: the period moves to the next
working day. The shipped values of a rule set are brought up to date by the program itself
when it starts (services/reference.py, apply_shipped_rule_sets), not here.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rule_sets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_end", sa.String(length=24), nullable=False,
                                      server_default="next_working_day"))


def downgrade() -> None:
    with op.batch_alter_table("rule_sets", schema=None) as batch_op:
        batch_op.drop_column("period_end")
