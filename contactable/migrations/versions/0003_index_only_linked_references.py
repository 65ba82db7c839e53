"""Index a source record's elector and an observation's contact point only where set.

Revision ID: 0003
Revises: 0002
Created: 2026-12-04

Both are empty from import until linking. An index of only the rows that hold
one gives an import of unlinked rows nothing to add to it, and nothing to
rebuild after a large load; every lookup by a value still finds its rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The indexes this revision narrows: (table, column).
NARROWED = (
    ("source_records", "elector_id"),
    ("observations", "contact_point_id"),
)


def upgrade() -> None:
    for table, column in NARROWED:
        name = op.f(f"ix_{table}_{column}")
        where = sa.text(f"{column} IS NOT NULL")
        op.drop_index(name, table_name=table)
        op.create_index(
            name, table, [column], postgresql_where=where, sqlite_where=where
        )


def downgrade() -> None:
    for table, column in NARROWED:
        name = op.f(f"ix_{table}_{column}")
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column])
