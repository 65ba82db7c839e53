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

import contextlib
from collections.abc import Iterator
from typing import Any

import polars as pl
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from contactable.store.models import Base

# SQLAlchemy's storage format for DATETIME on SQLite.
_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S%.6f"
_REBUILD_FROM_ROWS = 20_000
_REBUILD_SHARE = 4
_READ_BATCH = 100_000
_COPY_BATCH = 50_000


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


def _driver_values(frame: pl.DataFrame, postgresql: bool) -> pl.DataFrame:
    """Dates and times as text the database reads back as SQLAlchemy wrote them.

    Formatting them in Polars is far quicker than the drivers adapting a
    Python object per value.
    """
    converted = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if dtype == pl.Date:
            column = column.dt.strftime("%Y-%m-%d")
        elif isinstance(dtype, pl.Datetime):
            utc = column.dt.convert_time_zone("UTC")
            column = (
                utc.dt.strftime("%Y-%m-%d %H:%M:%S%.6f+00:00")
                if postgresql
                else utc.dt.strftime(_SQLITE_DATETIME)
            )
        elif dtype == pl.Boolean and not postgresql:
            column = column.cast(pl.Int8)
        converted.append(column.alias(name))
    return frame.select(converted)


@contextlib.contextmanager
def _as_integrity_errors(connection: Connection, table: str) -> Iterator[None]:
    """The driver's own integrity errors, as SQLAlchemy raises them elsewhere."""
    dbapi = connection.dialect.dbapi
    try:
        yield
    except Exception as error:
        if dbapi is not None and isinstance(error, dbapi.IntegrityError):
            raise IntegrityError(f"bulk insert into {table}", None, error) from error
        raise


def _large_load(connection: Connection, table: str, rows: int) -> bool:
    """Whether so many rows change that rebuilding the indexes beats keeping them
    up to date: a quarter of what the table will hold, or more."""
    if rows < _REBUILD_FROM_ROWS or table not in Base.metadata.tables:
        return False
    held = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    return rows * _REBUILD_SHARE >= int(held or 0)


@contextlib.contextmanager
def _indexes_set_aside(
    connection: Connection, frame: pl.DataFrame, table: str, columns: set[str] | None
) -> Iterator[None]:
    """Drop the table's plain indexes on ``columns`` (all when None), and on
    PostgreSQL the foreign keys that ``frame`` gives values for, for a large
    load, and build them again after it, checking every row.

    Keeping an index up to date row by row costs several times building it in
    one pass; PostgreSQL also checks each foreign key with a trigger per row,
    where adding the constraint again checks them all in one join. A key the
    load leaves empty has nothing to check, and stays. Unique constraints stay,
    so a duplicate is refused as it goes in. All of it is in the import's
    transaction: a failure puts everything back.
    """
    model = Base.metadata.tables[table]
    indexes = [
        i
        for i in model.indexes
        if not i.unique and (columns is None or {c.name for c in i.columns} & columns)
    ]
    given = {
        name
        for name in frame.columns
        if (columns is None or name in columns)
        and frame.get_column(name).null_count() < frame.height
    }
    keys = [
        k
        for k in (model.foreign_key_constraints if _is_postgresql(connection) else ())
        if set(k.column_keys) & given
    ]
    if _is_postgresql(connection):
        # Building an index or checking a key sorts the whole table; PostgreSQL's
        # default of 64 MB for that would send a council's register to disk.
        connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    for key in keys:
        connection.execute(DropConstraint(key))
    for index in indexes:
        connection.execute(DropIndex(index))
    yield
    for index in indexes:
        connection.execute(CreateIndex(index))
    for key in keys:
        connection.execute(AddConstraint(key))


def _rows(frame: pl.DataFrame, batch: int = 100_000) -> Iterator[tuple[Any, ...]]:
    for start in range(0, frame.height, batch):
        yield from frame.slice(start, batch).iter_rows()


def _copy_csv(cursor: Any, table: str, columns: str, values: pl.DataFrame) -> None:
    """``COPY`` the rows as CSV that Polars writes, a batch at a time: far
    quicker than the driver adapting each value of each row.

    Every text is quoted and a missing value is left empty and unquoted, which
    is how PostgreSQL's CSV tells an empty text from NULL; quoting also keeps a
    text of ``\\.`` from reading as the end of the data.
    """
    statement = f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)"
    with cursor.copy(statement) as copy:
        for start in range(0, values.height, _COPY_BATCH):
            batch = values.slice(start, _COPY_BATCH)
            copy.write(batch.write_csv(include_header=False, quote_style="non_numeric"))


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

    postgresql = _is_postgresql(connection)
    values = _driver_values(frame, postgresql)
    aside = (
        _indexes_set_aside(connection, frame, table, None)
        if _large_load(connection, table, frame.height)
        else contextlib.nullcontext()
    )
    with aside, _as_integrity_errors(connection, table):
        cursor: Any = raw.cursor()
        try:
            if postgresql:
                _copy_csv(cursor, table, columns, values)
            else:
                # sqlite3's executemany takes any iterable: rows are never all
                # in memory at once.
                marks = ", ".join("?" for _ in frame.columns)
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", _rows(values)
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

    # Through a temporary table: one bulk insert and one UPDATE ... FROM beat a
    # statement a row, on both databases (SQLite has UPDATE FROM since 3.33).
    staging = f"staging_{table}"
    columns = ", ".join(ordered.columns)
    empty = "WITH NO DATA" if _is_postgresql(connection) else "WHERE 0"
    connection.execute(
        text(
            f"CREATE TEMPORARY TABLE {staging} AS SELECT {columns} FROM {table} {empty}"
        )
    )
    try:
        insert_frame(connection, staging, ordered)
        connection.execute(
            text(f"CREATE INDEX ix_{staging}_{key} ON {staging} ({key})")
        )
        assignments = ", ".join(f"{c} = s.{c}" for c in settable)
        # Only the indexes and keys on the columns that change are set aside.
        aside = (
            _indexes_set_aside(connection, frame, table, set(settable))
            if _large_load(connection, table, frame.height)
            else contextlib.nullcontext()
        )
        with aside:
            connection.execute(
                text(
                    f"UPDATE {table} SET {assignments} FROM {staging} s "
                    f"WHERE {table}.{key} = s.{key}"
                )
            )
    finally:
        connection.execute(text(f"DROP TABLE {staging}"))
    return frame.height


def read_frame(
    connection: Connection, statement: Any, schema: dict[str, Any]
) -> pl.DataFrame:
    """The rows a query returns as a frame, read through the driver a batch at a
    time: SQLAlchemy's row objects cost more than the query for a million rows.
    """
    # IN lists are expanded into the statement, as SQLAlchemy would at run time.
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    parameters: Any = compiled.params
    if compiled.positional:
        parameters = [compiled.params[name] for name in compiled.positiontup or ()]
    # SQLite hands dates back as ISO text, which Polars reads in one pass.
    dates = []
    if connection.dialect.name == "sqlite":
        dates = [name for name, kind in schema.items() if kind == pl.Date]
    as_read = {
        name: pl.String if name in dates else kind for name, kind in schema.items()
    }
    raw = connection.connection.dbapi_connection
    if raw is None:
        raise RuntimeError("The connection has no database connection behind it.")
    cursor = raw.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        frames = []
        while rows := cursor.fetchmany(_READ_BATCH):
            frames.append(pl.DataFrame(rows, schema=as_read, orient="row"))
    finally:
        cursor.close()
    frame = pl.concat(frames) if frames else pl.DataFrame(schema=as_read)
    return frame.with_columns(pl.col(dates).str.to_date("%Y-%m-%d"))
