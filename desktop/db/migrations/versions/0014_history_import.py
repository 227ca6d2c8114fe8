"""History brought in from an office's old Excel ledgers and hotline work orders (issue 19).

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-05

Seven nullable columns on complaints, each one line of the field catalogue
(domain/complaint_fields.py), so they travel to the district like every other field:

- `original_number` 原始编号: the number the row had in its ledger or work-order export
  (searchable by prefix like the other numbers, printed on the complaint's sheet);
- `import_kind` 导入类别: `ledger` (历史台账) or `hotline` (热线工单, in the ledger's 区局分流 part);
- `import_source` 导入来源: file, sheet and row it came from (the last import that wrote it);
- `import_key` 导入标识: the row's identity (its original number, or a hash of its date,
  parties and content), never its position, so that importing again updates instead of adding;
- `import_hash` 导入内容校验: a hash of what the row said when last imported, so that the same
  row imported again touches nothing, and a changed one updates its record;
- `remarks` 备注: the ledger's remarks kept as text with their source;
- `incomplete` 资料不全: imported without what a new registration requires.

Existing rows keep NULL in all seven: nothing else changes.
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("original_number", "VARCHAR(64)"),
    ("import_kind", "VARCHAR(16)"),
    ("import_source", "VARCHAR(300)"),
    ("import_key", "VARCHAR(80)"),
    ("import_hash", "VARCHAR(64)"),
    ("remarks", "TEXT"),
    ("incomplete", "BOOLEAN"),
)


def upgrade() -> None:
    for name, kind in _COLUMNS:
        op.execute(f"ALTER TABLE complaints ADD COLUMN {name} {kind}")
    # Partial: only imported rows carry them, so the indexes cost nothing for the rest.
    op.execute("CREATE INDEX ix_complaints_original_number ON complaints (original_number)"
               " WHERE original_number IS NOT NULL")
    op.execute("CREATE INDEX ix_complaints_import_key ON complaints (import_key)"
               " WHERE import_key IS NOT NULL")


def downgrade() -> None:
    op.execute("DROP INDEX ix_complaints_import_key")
    op.execute("DROP INDEX ix_complaints_original_number")
    for name, _kind in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE complaints DROP COLUMN {name}")
