"""records.echo_of: the device whose push made a record exactly what it has, so that device's
pulls skip it instead of downloading its own records back.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Records written before this revision carry none: they are served as before.
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("echo_of", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("echo_of")
