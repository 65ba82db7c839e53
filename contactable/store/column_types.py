"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Dialect, Integer
from sqlalchemy.types import TypeDecorator

# Identifiers are 64-bit on PostgreSQL, where a national register's history
# can pass two thousand million rows. SQLite's integers are already 64-bit,
# and only a column declared INTEGER becomes the table's auto-numbered rowid.
IDENTIFIER = BigInteger().with_variant(Integer(), "sqlite")


def utc_now() -> datetime:
    """The time now, in UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in time, stored in UTC and read back with its time zone.

    SQLite keeps no time zone, so a value read back there would otherwise be
    naive; a naive value written here is refused, because its zone is a guess.
    """

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None

        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"{value.isoformat()} has no time zone; store times such as "
                "datetime.now(UTC)."
            )

        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None

        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)

        return value.astimezone(UTC)
