"""References to import batches, agreements, notices and statements are not indexed.

Revision ID: 0002
Revises: 0001
Created: 2026-12-03

Those rows are kept for good, so no delete has to find what points at them,
and nothing looks their referrers up one at a time; keeping the seven indexes
up to date cost every register and source import time.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The indexes this revision removes: (table, column).
INDEXED = (
    ("electors", "first_import_id"),
    ("electors", "last_import_id"),
    ("source_records", "import_batch_id"),
    ("source_records", "agreement_id"),
    ("source_records", "privacy_notice_id"),
    ("source_records", "privacy_statement_id"),
    ("delivery_events", "import_batch_id"),
)


def upgrade() -> None:
    for table, column in INDEXED:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)


def downgrade() -> None:
    for table, column in INDEXED:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
