"""调解记录的更正: a correction is a new mediation record that replaces an earlier one.

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-05

Mediation records stay append-only (on the wire and here): a saved record is never changed.
A correction is a new record naming the one it replaces (`replaces_id`) and why
(`correction_reason`); both are kept, the old one shown as 已更正. Two nullable columns, so
every existing record is kept as it is (none replaces another).
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN in place (a batch rebuild would copy the table and drop its sync triggers).
    op.execute("ALTER TABLE mediation_records ADD COLUMN replaces_id INTEGER "
               "REFERENCES mediation_records (id)")
    op.execute("ALTER TABLE mediation_records ADD COLUMN correction_reason TEXT")
    op.execute("CREATE INDEX ix_mediation_records_replaces_id ON mediation_records (replaces_id)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_mediation_records_replaces_id")
    op.execute("ALTER TABLE mediation_records DROP COLUMN correction_reason")
    op.execute("ALTER TABLE mediation_records DROP COLUMN replaces_id")
