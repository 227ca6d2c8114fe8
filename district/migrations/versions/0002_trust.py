"""Trust between offices (issue 14): district-wide complaint numbers, stored answers per device,
who uploaded which file, and each device's audit anchors and last verdict.

Revision ID: 0002
Revises: 0001
"""

import json
import logging

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    op.create_table(
        "complaint_numbers",
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_complaint_numbers")),
    )
    op.create_index("ix_complaint_numbers_uuid", "complaint_numbers", ["uuid"], unique=False)
    _backfill_numbers()

    # An answer is stored per (device, op_id): another device's id never returns this one's.
    with op.batch_alter_table("operations", recreate="auto") as batch:
        batch.drop_constraint("pk_operations", type_="primary")
        batch.create_primary_key("pk_operations", ["device_id", "op_id"])

    op.create_table(
        "blob_uploads",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        # False: the device sent bytes into the shared upload; True: its own copy, kept
        # apart because the shared one already had another device's bytes.
        sa.Column("shadow", sa.Boolean(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("proven", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "device_id", name=op.f("pk_blob_uploads")),
    )

    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("office", sa.String(length=12), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("rebase", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(["office"], ["offices.code"],
                                name=op.f("fk_audit_anchors_office_offices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_anchors")),
    )
    # Per device: each PC of an office has its own database and so its own hash chain.
    op.create_index("ix_audit_anchors_device_count", "audit_anchors", ["device", "count"],
                    unique=False)
    op.create_table(
        "audit_verdicts",
        sa.Column("device", sa.String(length=36), nullable=False),
        sa.Column("office", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("problem", sa.String(length=16), nullable=True),
        sa.Column("problem_at", sa.DateTime(), nullable=True),
        sa.Column("accept_next", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(["office"], ["offices.code"],
                                name=op.f("fk_audit_verdicts_office_offices")),
        sa.PrimaryKeyConstraint("device", name=op.f("pk_audit_verdicts")),
    )
    op.create_index("ix_audit_verdicts_office", "audit_verdicts", ["office"], unique=False)


def _backfill_numbers() -> None:
    """Every live complaint's number; of numbers stored twice before this revision, the earliest
    (by sequence) keeps it and the others are listed in the log: they stay as they are, and the
    hub refuses any later change that would give a number to a second complaint."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT uuid, data, seq, created_at FROM records "
        "WHERE entity = 'complaints' AND deleted = :no ORDER BY seq"), {"no": False}).all()
    held: dict[str, str] = {}
    fresh = []
    for row in rows:
        data = json.loads(row.data) if isinstance(row.data, (str, bytes)) else row.data
        number = data.get("number") if isinstance(data, dict) else None
        if not isinstance(number, str) or len(number) > 64:
            continue
        if number in held:
            _log.warning("complaint number %s is held by %s; %s keeps it too (stored before "
                         "revision 0002)", number, held[number], row.uuid)
            continue
        held[number] = row.uuid
        fresh.append({"number": number, "uuid": row.uuid, "at": row.created_at})
    if fresh:
        table = sa.table("complaint_numbers", sa.column("number"), sa.column("uuid"),
                         sa.column("at"))
        op.bulk_insert(table, fresh)


def downgrade() -> None:
    op.drop_index("ix_audit_verdicts_office", table_name="audit_verdicts")
    op.drop_table("audit_verdicts")
    op.drop_index("ix_audit_anchors_device_count", table_name="audit_anchors")
    op.drop_table("audit_anchors")
    op.drop_table("blob_uploads")
    with op.batch_alter_table("operations", recreate="auto") as batch:
        batch.drop_constraint("pk_operations", type_="primary")
        batch.create_primary_key("pk_operations", ["op_id"])
    op.drop_index("ix_complaint_numbers_uuid", table_name="complaint_numbers")
    op.drop_table("complaint_numbers")
