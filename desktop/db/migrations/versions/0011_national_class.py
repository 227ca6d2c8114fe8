"""A category's national (12315) class: `code_items.parent`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

The national classes themselves are a code table (`national_class`) that the program installs
at start like any new table; the shipped mapping of the categories an office already has is
written by the program too (`NationalClassService.install_mapping`), through a unit of work,
so that the audit log holds it. This revision adds the column, and two small partial indexes for 接处率. (Branch `stats` revises
0009; revision 0010 is another branch's: whoever merges second re-chains this one after it.)
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE code_items ADD COLUMN parent VARCHAR(32)")
    # 接处率: the complaints whose acceptance clock started again (proof of identity, a merged
    # new fact) are found by these small indexes instead of reading every complaint.
    op.execute("CREATE INDEX ix_complaints_id_proof_received ON complaints (id_proof_received_on)"
               " WHERE id_proof_received_on IS NOT NULL")
    op.execute("CREATE INDEX ix_complaints_clock_from ON complaints (clock_from)"
               " WHERE clock_from IS NOT NULL")


def downgrade() -> None:
    op.execute("DROP INDEX ix_complaints_clock_from")
    op.execute("DROP INDEX ix_complaints_id_proof_received")
    op.execute("ALTER TABLE code_items DROP COLUMN parent")
