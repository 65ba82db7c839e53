"""The matching keys of properties and electors are not indexed.

Revision ID: 0004
Revises: 0003
Created: 2026-12-04

Imports and linking read every property and elector and match them in memory,
and reports read them all, so no query looked a row up by its postcode,
address key, polling district or name key. Building the four indexes cost
every register import about two seconds in twenty-five.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The indexes this revision removes: (table, column).
INDEXED = (
    ("properties", "postcode"),
    ("properties", "address_key"),
    ("properties", "polling_district"),
    ("electors", "name_key"),
)


def upgrade() -> None:
    for table, column in INDEXED:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)


def downgrade() -> None:
    for table, column in INDEXED:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
