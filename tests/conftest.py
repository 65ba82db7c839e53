"""Database fixtures: every test that asks for one runs on SQLite and on PostgreSQL.

PostgreSQL is required, not optional: when it cannot be reached the tests on
it fail, saying how to start it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from contactable.store import make_engine, upgrade

# A server where the tests may create and drop databases.
POSTGRESQL_SERVER_URL = os.environ.get(
    "CONTACTABLE_TEST_POSTGRESQL_URL",
    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
)


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[Engine]:
    """A connection to the PostgreSQL server, outside any transaction."""
    server = create_engine(POSTGRESQL_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with server.connect():
            problem = None
    except OperationalError as error:
        problem = " ".join(str(error.orig).split())

    if problem:
        server.dispose()
        where = make_url(POSTGRESQL_SERVER_URL).render_as_string(hide_password=True)
        pytest.fail(
            f"PostgreSQL is not reachable at {where} ({problem}). "
            "Start it with scripts/start-postgres.",
            pytrace=False,
        )

    yield server
    server.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'contactable.db'}"
        return

    server: Engine = request.getfixturevalue("postgresql_server")
    name = f"contactable_test_{secrets.token_hex(6)}"
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            make_url(POSTGRESQL_SERVER_URL)
            .set(database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a new database migrated to the newest schema."""
    upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()
