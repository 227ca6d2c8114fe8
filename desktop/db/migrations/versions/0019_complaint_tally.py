"""How many complaints each office has, kept by triggers: the ledger's total without reading an index.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05

The ledger shows 共 N 件 under every list. With no condition but the user's scope that count
was `SELECT count(*) FROM complaints` (WHERE office_id IN …), which reads a whole index: 552
pages of 16 KB at 1,000,000 complaints (1,817 for a sub-bureau's offices), every page decrypted
and authenticated on an encrypted file (9–10 ms against 4 ms unkeyed, issue 21); the tally: one. `complaint_tally` holds one row per office with its
number of complaints; triggers on `complaints` keep it in the writing transaction, whatever
writes (the services, the bulk demo load, the history import's bulk write, sync, a transfer to
another office). ComplaintRepository.count reads it only when the filter has no condition
besides the scope; `hejie-admin check` compares it with the real count.

A later migration that rebuilds `complaints` (batch_alter_table copies it into a new table)
drops these triggers with the old table, as it drops the full-text ones: it must create them
again (TALLY_DDL, spelled out there as here) and recount.
"""

import sqlalchemy as sa
from alembic import op

# The SQL is spelled out here, not imported: a migration must mean the same schema forever.
TALLY_DDL = (
    """CREATE TRIGGER complaint_tally_ai AFTER INSERT ON complaints BEGIN
        INSERT INTO complaint_tally (office_id, n) VALUES (new.office_id, 1)
            ON CONFLICT (office_id) DO UPDATE SET n = n + 1;
    END""",
    """CREATE TRIGGER complaint_tally_ad AFTER DELETE ON complaints BEGIN
        UPDATE complaint_tally SET n = n - 1 WHERE office_id = old.office_id;
    END""",
    """CREATE TRIGGER complaint_tally_au AFTER UPDATE OF office_id ON complaints
        WHEN new.office_id IS NOT old.office_id BEGIN
        UPDATE complaint_tally SET n = n - 1 WHERE office_id = old.office_id;
        INSERT INTO complaint_tally (office_id, n) VALUES (new.office_id, 1)
            ON CONFLICT (office_id) DO UPDATE SET n = n + 1;
    END""",
)
RECOUNT = ("DELETE FROM complaint_tally",
           "INSERT INTO complaint_tally (office_id, n) "
           "SELECT office_id, count(*) FROM complaints GROUP BY office_id")

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaint_tally",
        sa.Column("office_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("office_id"),
    )
    for statement in (*TALLY_DDL, *RECOUNT):
        op.execute(statement)


def downgrade() -> None:
    for trigger in ("complaint_tally_ai", "complaint_tally_ad", "complaint_tally_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_table("complaint_tally")
