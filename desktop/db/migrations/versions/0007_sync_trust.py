"""Sync between offices that need not trust each other: a pulled record this office cannot
apply is held aside with its reason (sync_held.reason; '' for one that only waits for its
parent), and an operation the district refused keeps the refusal's code (sync_outbox.code,
protocol.RefusalCode) so the office can act on it (a duplicate number gets a new one).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE sync_held ADD COLUMN reason TEXT NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE sync_outbox ADD COLUMN code VARCHAR(32) NOT NULL DEFAULT ''")


def downgrade() -> None:
    op.execute("ALTER TABLE sync_outbox DROP COLUMN code")
    op.execute("ALTER TABLE sync_held DROP COLUMN reason")
