"""The 2026 national rules: 投诉/举报/咨询 in one ledger, identity and consumer status, consent,
delegated mediation, the mediation notice and recusal, 回访 and the delivery of notices.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

Every existing complaint is a 投诉 (kind 'complaint'). Rule sets get the 举报 check limits, how
sure the office is of each limit, the grounds' wording and the forms' edition; the shipped sets'
values arrive when the program starts (services/reference.py, apply_shipped_rule_sets).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_COMPLAINT_COLUMNS = (
    ("complainant_id_type", sa.String(16)),
    ("reporter_real_name", sa.Boolean()),
    ("consent_disclosure", sa.Boolean()),
    ("consent_delegation", sa.Boolean()),
    ("answer", sa.Text()),
    ("answered_at", sa.DateTime()),
    ("id_proof_requested_on", sa.Date()),
    ("id_proof_due_on", sa.Date()),
    ("id_proof_received_on", sa.Date()),
    ("consumer_judgement", sa.String(16)),
    ("consumer_judgement_note", sa.Text()),
    ("delegated_to", sa.String(200)),
    ("delegated_on", sa.Date()),
    ("delegation_returned_on", sa.Date()),
    ("delegation_result", sa.Text()),
    ("mediation_at", sa.DateTime()),
    ("mediation_place", sa.String(200)),
    ("mediator_name", sa.String(40)),
    ("mediator_phone", sa.String(40)),
    ("mediation_materials", sa.Text()),
    ("recusal_days", sa.Integer()),
    ("recusal_request", sa.Text()),
    ("recusal_requested_on", sa.Date()),
    ("recusal_decision", sa.String(16)),
    ("recusal_decided_on", sa.Date()),
    ("check_extended_on", sa.Date()),
    ("check_extension_note", sa.Text()),
    ("case_decided_on", sa.Date()),
    ("clock_from", sa.Date()),
)


def _syncable() -> list[sa.Column]:
    return [
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): the full-text triggers on complaints stay as they are.
    op.execute("ALTER TABLE complaints ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'complaint'")
    for name, type_ in _COMPLAINT_COLUMNS:
        op.add_column("complaints", sa.Column(name, type_, nullable=True))
    op.execute("ALTER TABLE complaints ADD COLUMN merged_into_id INTEGER REFERENCES complaints(id)")
    op.execute("ALTER TABLE complaints ADD COLUMN origin_id INTEGER REFERENCES complaints(id)")
    op.create_index("ix_complaints_merged_into_id", "complaints", ["merged_into_id"])
    op.create_index("ix_complaints_origin_id", "complaints", ["origin_id"])

    op.add_column("rule_sets", sa.Column("report_check_days", sa.Integer(), nullable=True))
    op.add_column("rule_sets", sa.Column("report_check_extension", sa.Integer(), nullable=True))
    op.execute("ALTER TABLE rule_sets ADD COLUMN confidence TEXT NOT NULL DEFAULT '{}'")
    op.execute("ALTER TABLE rule_sets ADD COLUMN grounds TEXT NOT NULL DEFAULT '{}'")
    op.execute("ALTER TABLE rule_sets ADD COLUMN forms VARCHAR(8) NOT NULL DEFAULT '2020'")

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("complaints.id"), nullable=False),
        sa.Column("called_at", sa.DateTime(), nullable=False),
        sa.Column("caller_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("callee", sa.String(length=60), nullable=False),
        sa.Column("means", sa.String(length=16), nullable=False),
        sa.Column("reached", sa.Boolean(), nullable=False),
        sa.Column("satisfaction", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_syncable(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index("ix_follow_ups_complaint_id", "follow_ups", ["complaint_id"])
    op.create_table(
        "notice_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("complaints.id"), nullable=False),
        sa.Column("notice", sa.String(length=24), nullable=False),
        sa.Column("means", sa.String(length=16), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=False),
        sa.Column("recipient", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        *_syncable(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index("ix_notice_deliveries_complaint_id", "notice_deliveries", ["complaint_id"])


def downgrade() -> None:
    op.drop_index("ix_notice_deliveries_complaint_id", "notice_deliveries")
    op.drop_table("notice_deliveries")
    op.drop_index("ix_follow_ups_complaint_id", "follow_ups")
    op.drop_table("follow_ups")
    for name in ("forms", "grounds", "confidence", "report_check_extension", "report_check_days"):
        op.execute(f"ALTER TABLE rule_sets DROP COLUMN {name}")
    op.drop_index("ix_complaints_origin_id", "complaints")
    op.drop_index("ix_complaints_merged_into_id", "complaints")
    for name in ("origin_id", "merged_into_id", *(n for n, _ in reversed(_COMPLAINT_COLUMNS)),
                 "kind"):
        op.execute(f"ALTER TABLE complaints DROP COLUMN {name}")
