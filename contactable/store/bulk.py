"""Writing many rows at once, at the speed of the database driver.

Imports write hundreds of thousands of rows. Going through the ORM, or even
SQLAlchemy Core's parameter processing, costs several times the driver's own
bulk path, so a data frame is written with ``executemany`` on SQLite and with
``COPY`` on PostgreSQL. Values are put in the forms SQLAlchemy itself would
store (ISO dates and times in UTC on SQLite), so the ORM reads them back as if
it had written them; the tests hold the two to that.

Identifiers are given out by the importer rather than by the database, so that
a row's children can be written in the same pass: ``reserve_ids`` takes the
next free block under a lock, and ``finish_ids`` moves PostgreSQL's sequence on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import polars as pl
from sqlalchemy import Connection, text

# SQLAlchemy's storage format for DATETIME on SQLite.
_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S%.6f"


def _is_postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def reserve_ids(connection: Connection, table: str, count: int) -> int:
    """The first of ``count`` identifiers no row of ``table`` holds yet.

    On PostgreSQL the table is locked against other writers until the
    transaction ends; on SQLite the write transaction already excludes them.
    """
    if _is_postgresql(connection):
        connection.execute(text(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))
    highest = connection.execute(text(f"SELECT max(id) FROM {table}")).scalar()
    return int(highest or 0) + 1


def finish_ids(connection: Connection, table: str) -> None:
    """Move PostgreSQL's sequence past identifiers written by ``insert_frame``."""
    if not _is_postgresql(connection):
        return

    connection.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
        )
    )


def _sqlite_values(frame: pl.DataFrame) -> pl.DataFrame:
    converted = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if dtype == pl.Date:
            column = column.dt.strftime("%Y-%m-%d")
        elif isinstance(dtype, pl.Datetime):
            column = column.dt.convert_time_zone("UTC").dt.strftime(_SQLITE_DATETIME)
        elif dtype == pl.Boolean:
            column = column.cast(pl.Int8)
        converted.append(column.alias(name))
    return frame.select(converted)


def _rows(frame: pl.DataFrame, batch: int = 100_000) -> Iterator[tuple[Any, ...]]:
    for start in range(0, frame.height, batch):
        yield from frame.slice(start, batch).iter_rows()


def insert_frame(connection: Connection, table: str, frame: pl.DataFrame) -> int:
    """Insert every row of ``frame`` into ``table``; its columns name the table's.

    Returns the number of rows written.
    """
    if frame.is_empty():
        return 0

    columns = ", ".join(frame.columns)
    raw = connection.connection.dbapi_connection
    if raw is None:
        raise RuntimeError("The connection has no database connection behind it.")

    if _is_postgresql(connection):
        cursor: Any = raw.cursor()
        try:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in _rows(frame):
                    copy.write_row(row)
        finally:
            cursor.close()
        return frame.height

    marks = ", ".join("?" for _ in frame.columns)
    cursor = raw.cursor()
    try:
        # sqlite3's executemany takes any iterable, so rows are never all in memory.
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            _rows(_sqlite_values(frame)),
        )
    finally:
        cursor.close()
    return frame.height


def update_frame(
    connection: Connection, table: str, frame: pl.DataFrame, key: str = "id"
) -> int:
    """Set the columns of ``frame`` on the rows whose ``key`` it holds."""
    if frame.is_empty():
        return 0

    settable = [c for c in frame.columns if c != key]
    ordered = frame.select(*settable, key)
    raw = connection.connection.dbapi_connection
    if raw is None:
        raise RuntimeError("The connection has no database connection behind it.")

    if _is_postgresql(connection):
        # Through a temporary table: one COPY and one UPDATE beat a statement a row.
        staging = f"staging_{table}"
        connection.execute(
            text(
                f"CREATE TEMPORARY TABLE {staging} AS "
                f"SELECT {', '.join(ordered.columns)} FROM {table} WITH NO DATA"
            )
        )
        insert_frame(connection, staging, ordered)
        assignments = ", ".join(f"{c} = s.{c}" for c in settable)
        connection.execute(
            text(
                f"UPDATE {table} SET {assignments} FROM {staging} s "
                f"WHERE {table}.{key} = s.{key}"
            )
        )
        connection.execute(text(f"DROP TABLE {staging}"))
        return frame.height

    assignments = ", ".join(f"{c} = ?" for c in settable)
    cursor: Any = raw.cursor()
    try:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {key} = ?",
            _rows(_sqlite_values(ordered)),
        )
    finally:
        cursor.close()
    return frame.height
