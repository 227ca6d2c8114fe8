"""Working-day overrides and confirmed calendar years; the Chinese full-text index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

# The SQL is spelled out here, not imported: a migration must mean the same schema forever.
_COLUMNS = "complainant_name, respondent_name, subject, brand_model, facts, request"
_NEW = ", ".join(f"new.{c.strip()}" for c in _COLUMNS.split(","))
_OLD = ", ".join(f"old.{c.strip()}" for c in _COLUMNS.split(","))
SEARCH_DDL = (
    # Contentless: the bigram text is not stored twice. Deleting needs the old tokens, which
    # the triggers recompute from the old row (SQLite 3.40 has no contentless_delete).
    "CREATE VIRTUAL TABLE complaints_fts USING fts5(body, content='', tokenize='unicode61')",
    f"""CREATE TRIGGER complaints_fts_ai AFTER INSERT ON complaints BEGIN
        INSERT INTO complaints_fts(rowid, body) VALUES (new.id, hejie_index_text({_NEW}));
    END""",
    f"""CREATE TRIGGER complaints_fts_au AFTER UPDATE OF {_COLUMNS} ON complaints BEGIN
        INSERT INTO complaints_fts(complaints_fts, rowid, body)
            VALUES ('delete', old.id, hejie_index_text({_OLD}));
        INSERT INTO complaints_fts(rowid, body) VALUES (new.id, hejie_index_text({_NEW}));
    END""",
    f"""CREATE TRIGGER complaints_fts_ad AFTER DELETE ON complaints BEGIN
        INSERT INTO complaints_fts(complaints_fts, rowid, body)
            VALUES ('delete', old.id, hejie_index_text({_OLD}));
    END""",
)

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holiday_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_working", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=100), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_table(
        "calendar_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
        sa.UniqueConstraint("year"),
    )
    for statement in SEARCH_DDL:
        op.execute(statement)
    # Index the complaints that were registered before this revision.
    op.execute(
        f"INSERT INTO complaints_fts(rowid, body) SELECT id, hejie_index_text({_COLUMNS}) FROM complaints"
    )


def downgrade() -> None:
    for trigger in ("complaints_fts_ai", "complaints_fts_au", "complaints_fts_ad"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS complaints_fts")
    op.drop_table("calendar_years")
    op.drop_table("holiday_overrides")
