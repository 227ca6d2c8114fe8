"""统计: the closed items of an office by closing day, with their receipt and kind.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

The statistics count a period's closed items of an office scope (and, for the open items at a
period's end, those closed after it): by this index SQLite reads only the scope's rows, and the
open-at-the-end count reads the index alone (it holds the receipt and the kind).
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_complaints_status_office_closed ON complaints "
               "(status, office_id, closed_on, received_at, kind)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_complaints_status_office_closed")
