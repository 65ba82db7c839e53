"""Connecting to the database, migrating its schema and running transactions.

The database is a SQLite file in the working folder unless
``CONTACTABLE_DATABASE_URL`` (or ``database_url`` in ``contactable.toml``)
names another, such as ``postgresql://user@host/contactable`` in production.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from contactable.config import load_settings
from contactable.store.errors import DatabaseUrlError, MigrationError

MIGRATIONS_PATH = Path(__file__).resolve().parent.parent / "migrations"

_EXAMPLE_URLS = "sqlite:///contactable.db or postgresql://user@host/contactable"
_POSTGRESQL_DRIVER = "postgresql+psycopg"


def database_url() -> str:
    """The configured database URL: ``sqlite:///contactable.db`` by default.

    ``CONTACTABLE_DATABASE_URL`` wins over ``database_url`` in
    ``contactable.toml``; a relative SQLite path is in the working folder.
    """
    return load_settings().database_url


def make_engine(url: str) -> Engine:
    """An engine for a SQLite or PostgreSQL URL.

    SQLite enforces foreign keys and runs each transaction as one, as
    PostgreSQL does; a plain ``postgresql://`` URL is given the psycopg driver.
    """
    return _engine(url, foreign_keys=True)


def upgrade(url: str) -> None:
    """Bring the database's schema up to the newest migration; safe to repeat."""
    # SQLite cannot alter most of a table, so a migration rebuilds it and
    # drops the old one, which enforced foreign keys would refuse or cascade
    # from. SQLite's advice is to migrate with them off, then check them
    # before committing (https://www.sqlite.org/lang_altertable.html, 7).
    engine = _engine(url, foreign_keys=False)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection=connection), "head")
            if connection.dialect.name == "sqlite":
                _check_foreign_keys(connection)
    finally:
        engine.dispose()


def schema_is_current(engine: Engine) -> bool:
    """Whether the database has the newest migration applied."""
    head = ScriptDirectory.from_config(alembic_config(connection=None, url="sqlite://"))
    with engine.connect() as connection:
        applied = MigrationContext.configure(connection).get_current_heads()
    return set(applied) == set(head.get_heads())


def alembic_config(
    url: str | None = None, *, connection: Connection | None = None
) -> Config:
    """Alembic's configuration for our migrations, with no ``alembic.ini``.

    Give a URL, or a connection to run in; neither means ``database_url()``.
    A new migration is written with, for example,
    ``alembic.command.revision(alembic_config(url), "add x", autogenerate=True)``.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_PATH))
    # Handed over as attributes rather than main options, which would treat
    # a "%" in a password as the start of an interpolation.
    config.attributes["url"] = url
    config.attributes["connection"] = connection
    return config


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``.

    Objects stay readable after their transaction commits, so a command can
    report what it wrote without reading it all again.
    """
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed if the block ends, undone if it raises.

    >>> with transaction(engine) as session:  # doctest: +SKIP
    ...     session.add(batch)
    """
    with session_factory(engine)() as session, session.begin():
        yield session


def _engine(url: str, *, foreign_keys: bool) -> Engine:
    parsed = _parse(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed.set(drivername=_POSTGRESQL_DRIVER))

    _create_private(parsed.database)
    engine = create_engine(parsed)
    event.listen(engine, "connect", _sqlite_connect_hook(foreign_keys))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _create_private(database: str | None) -> None:
    """Create a new SQLite file readable by its owner only: it holds electors'
    personal data. SQLite gives its journal files the same mode."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists() and path.parent.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        # The URL is not repeated: it may hold a password.
        raise DatabaseUrlError(
            f"The database URL is not a URL. Use one such as {_EXAMPLE_URLS}."
        ) from None

    # postgres:// is the older spelling some hosts still hand out.
    if parsed.drivername == "postgres":
        parsed = parsed.set(drivername="postgresql")

    backend, _, driver = parsed.drivername.partition("+")
    if (backend, driver) not in {("sqlite", ""), ("sqlite", "pysqlite")} and (
        backend != "postgresql" or driver not in {"", "psycopg"}
    ):
        raise DatabaseUrlError(
            f"Contactable works with SQLite and PostgreSQL (through psycopg), not "
            f"{parsed.drivername}. Use a URL such as {_EXAMPLE_URLS}."
        )

    return parsed


def _sqlite_connect_hook(foreign_keys: bool) -> Any:
    def connect(dbapi_connection: Any, connection_record: Any) -> None:
        # Python's sqlite3 module begins transactions only before it changes
        # rows, so DDL and SAVEPOINT would escape a rollback. It is told to
        # leave transactions alone, and _sqlite_begin starts each one.
        dbapi_connection.isolation_level = None
        # The pragma has no effect inside a transaction, so it is set first.
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        # Imports write hundreds of thousands of index entries; SQLite's default
        # page cache of 2 MB makes each one a trip to the disk. Write-ahead
        # logging lets readers go on while an import runs.
        cursor.execute("PRAGMA cache_size = -262144")
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    return connect


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        tables = ", ".join(sorted({row[0] for row in broken}))
        rows = "1 row" if len(broken) == 1 else f"{len(broken)} rows"
        raise MigrationError(
            f"The migration left {rows} in {tables} pointing at rows that do not "
            "exist, so it was undone. Report this as a bug."
        )
