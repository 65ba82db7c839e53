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
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import (
    Connection,
    Constraint,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    UniqueConstraint,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from contactable.store.models import Base

# SQLAlchemy's storage format for DATETIME on SQLite.
_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S%.6f"
# A load of this many rows or more sets aside PostgreSQL's foreign keys, which
# cost it a trigger per row, and checks the rows written in one pass: that costs
# the same whatever the table already holds. Making up this share of the table
# or more, it also rebuilds the indexes on what it writes, and from the second
# share the primary and unique keys. Keeping an entry up to date costs about
# two to three times its share of a rebuild, so below these shares rebuilding
# for the rows already there costs more than it saves.
_LARGE_FROM_ROWS = 20_000
_REBUILD_SHARE = 0.25
_REBUILD_KEYS_SHARE = 0.5
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


def _share(connection: Connection, table: str, rows: int, *, adding: bool) -> float:
    """The share of what ``table`` will hold that ``rows`` rows (added, or else
    changed) make up."""
    held = int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
    return rows / max(held + rows if adding else held, rows)


def _is_large(table: str, rows: int) -> bool:
    return rows >= _LARGE_FROM_ROWS and table in Base.metadata.tables


def _given(frame: pl.DataFrame, columns: set[str] | None) -> set[str]:
    """The columns of ``frame`` (of ``columns``, when named) it holds a value in."""
    return {
        name
        for name in frame.columns
        if (columns is None or name in columns)
        and frame.get_column(name).null_count() < frame.height
    }


def _only_where_set(index: Index) -> bool:
    """Whether ``index`` leaves out the rows whose columns are empty."""
    return index.dialect_options["postgresql"]["where"] is not None


@contextlib.contextmanager
def _set_aside(
    connection: Connection,
    frame: pl.DataFrame,
    table: str,
    *,
    columns: set[str] | None = None,
    new_rows: str | None = None,
) -> Iterator[None]:
    """Take down what a large load would keep up to date row by row, and put it
    back after, in one pass each.

    - When the load is a quarter of the table or more, plain indexes on
      ``columns`` (all when None) are dropped and built again, except a
      partial one the load gives nothing to.
    - On PostgreSQL, the table's foreign keys are dropped: each costs a trigger
      per row, even for an empty key. They come back ``NOT VALID``, which adds
      them at once, and ``_check_keys`` checks the values the load gave them
      (``new_rows`` is a query for the rows written). The rows that were there
      before were checked when they went in. Dropping a key locks the table
      it points at too, against readers, until the transaction ends.
    - On PostgreSQL, when the load is half the table or more (``new_rows`` is
      an insert), the primary key and unique constraints go too, with the keys
      of other tables that point at them; sorting once beats finding each
      row's place. A duplicate then fails when the constraint comes back.

    All of it is in the caller's transaction: a failure puts everything back.
    """
    model = Base.metadata.tables[table]
    postgresql = _is_postgresql(connection)
    given = _given(frame, columns)
    share = _share(connection, table, frame.height, adding=columns is None)
    indexes = [
        i
        for i in model.indexes
        if share >= _REBUILD_SHARE
        and not i.unique
        and (columns is None or {c.name for c in i.columns} & columns)
        and not (_only_where_set(i) and not {c.name for c in i.columns} & given)
    ]
    keys = list(model.foreign_key_constraints) if postgresql else []
    if new_rows is None or columns is not None:
        # Without the rows written to check, only keys the load gives values
        # for are set aside, and they are checked over the whole table.
        keys = [k for k in keys if set(k.column_keys) & given]
    uniques: list[Constraint] = []
    pointing: list[ForeignKeyConstraint] = []
    if postgresql and columns is None and share >= _REBUILD_KEYS_SHARE:
        uniques = [
            c
            for c in model.constraints
            if isinstance(c, PrimaryKeyConstraint | UniqueConstraint)
        ]
        pointing = [
            k
            for other in Base.metadata.sorted_tables
            for k in other.foreign_key_constraints
            if k.referred_table is model and other is not model
        ]
    if postgresql:
        # Building an index or checking a key sorts the whole table; PostgreSQL's
        # default of 64 MB for that would send a council's register to disk.
        connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    for key in [*pointing, *keys]:
        connection.execute(DropConstraint(key))
    for constraint in uniques:
        connection.execute(DropConstraint(constraint))
    for index in indexes:
        connection.execute(DropIndex(index))
    yield
    for constraint in uniques:
        connection.execute(AddConstraint(constraint))
    for index in indexes:
        connection.execute(CreateIndex(index))
    for key in pointing:
        # Their rows are as they were, and every row they pointed at is still
        # there: this load only added to the table.
        _add_unchecked(connection, key)
    if new_rows is None:
        for key in keys:
            connection.execute(AddConstraint(key))
        return
    for key in keys:
        _add_unchecked(connection, key)
    _check_keys(
        connection, frame, [k for k in keys if set(k.column_keys) & given], new_rows
    )


def _add_unchecked(connection: Connection, key: ForeignKeyConstraint) -> None:
    """Add a foreign key without checking the rows already there."""
    statement = AddConstraint(key).compile(dialect=connection.dialect)
    connection.execute(text(f"{statement} NOT VALID"))


def _check_keys(
    connection: Connection,
    frame: pl.DataFrame,
    keys: list[ForeignKeyConstraint],
    new_rows: str,
) -> None:
    """Refuse the load if a value ``frame`` gave a foreign key points at no row,
    as the key itself would have; ``new_rows`` is a query for the rows written.

    Keys point at whole-number identifiers, and a load's values mostly lie in
    a run of them that the table holds every one of: counting the run is then
    proof enough, and far quicker than joining every row. Otherwise the rows
    written are joined to the table they point at.
    """
    for key in keys:
        (element,) = key.elements  # every key of ours is of one column
        column, target = element.parent.name, element.column
        low, high = frame.select(
            low=pl.col(column).min(), high=pl.col(column).max()
        ).row(0)
        held = connection.execute(
            text(
                f"SELECT count(*) FROM {target.table.name} "
                f"WHERE {target.name} BETWEEN :low AND :high"
            ),
            {"low": low, "high": high},
        ).scalar()
        if held == high - low + 1:
            continue
        broken = connection.execute(
            text(
                f"SELECT count(*) FROM ({new_rows}) t WHERE t.{column} IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM {target.table.name} r "
                f"WHERE r.{target.name} = t.{column})"
            )
        ).scalar()
        if broken:
            raise IntegrityError(
                f"bulk write into {key.table.name}",
                None,
                ValueError(
                    f"{broken} rows written to {key.table.name} point at no row of "
                    f"{target.table.name} ({key.name})"
                ),
            )


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
    # A second thread sends each batch while the next is written, so the
    # server is not left waiting on Polars.
    with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
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
    new_rows = None
    if "id" in frame.columns:
        low, high = frame.select(low=pl.col("id").min(), high=pl.col("id").max()).row(0)
        new_rows = f"SELECT * FROM {table} WHERE id BETWEEN {int(low)} AND {int(high)}"
    aside = (
        _set_aside(connection, frame, table, new_rows=new_rows)
        if _is_large(table, frame.height)
        else contextlib.nullcontext()
    )
    with _as_integrity_errors(connection, table), aside:
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
            _set_aside(
                connection,
                frame,
                table,
                columns=set(settable),
                new_rows=f"SELECT * FROM {staging}",
            )
            if _is_large(table, frame.height)
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
