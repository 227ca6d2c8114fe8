"""Several PCs per office (issue 22): each device gets its own block of the office's daily
complaint numbers. Devices enrolled before take blocks 0, 1, 2 … in their order of enrolment
within their office, so an office's first PC keeps numbering as it always has.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("devices", recreate="auto") as batch:
        batch.add_column(sa.Column("number_slot", sa.Integer(), nullable=False,
                                   server_default="0"))
    conn = op.get_bind()
    devices = sa.table("devices", sa.column("device_id", sa.String), sa.column("office", sa.String),
                       sa.column("enrolled_at", sa.DateTime), sa.column("number_slot", sa.Integer))
    rows = conn.execute(sa.select(devices.c.device_id, devices.c.office)
                        .order_by(devices.c.office, devices.c.enrolled_at, devices.c.device_id))
    seen: dict[str, int] = {}
    for device_id, office in rows.all():
        slot = seen.get(office, 0)
        seen[office] = slot + 1
        if slot:
            conn.execute(sa.update(devices).where(devices.c.device_id == device_id)
                         .values(number_slot=slot))
    op.create_index("ix_devices_office_slot", "devices", ["office", "number_slot"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_devices_office_slot", table_name="devices")
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch rebuild would drop `devices` under the
    # sessions' foreign keys.
    op.drop_column("devices", "number_slot")
