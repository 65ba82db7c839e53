"""Alembic's environment: runs the migrations on the connection it is handed.

``contactable.store.database.alembic_config`` builds the configuration in
code; there is no ``alembic.ini``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from contactable.store.database import database_url, make_engine
from contactable.store.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters a table by copying it into a new one.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_offline(url: str) -> None:
    context.configure(
        url=url,
        target_metadata=Base.metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    attributes = context.config.attributes
    url = attributes.get("url") or database_url()
    if context.is_offline_mode():
        _run_offline(url)
        return

    connection = attributes.get("connection")
    if connection is not None:
        _run(connection)
        return

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


_main()
