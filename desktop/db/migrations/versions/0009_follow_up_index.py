"""The closed complaints by closing day: the workbench's list of those waiting for a 回访.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

`status, closed_on, id`: the waiting list reads the closed items from a day on, in the order
it shows them (the longest closed first), and stops at a page; without it, every closed
complaint was read and sorted (about 200 ms at 100,000 complaints).
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_complaints_status_closed ON complaints (status, closed_on, id)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_complaints_status_closed")
