"""The migrations build the schema the models describe, on both databases."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    CheckConstraint,
    Constraint,
    Engine,
    Index,
    MetaData,
    String,
    UniqueConstraint,
    inspect,
    text,
)
from sqlalchemy.engine import Inspector

import contactable
from contactable.store import (
    MIGRATIONS_PATH,
    Base,
    alembic_config,
    bulk,
    make_engine,
    upgrade,
)
from contactable.store.bulk import insert_frame
from contactable.store.models import KEPT_FOR_GOOD

HEAD = "0004"


def _differences(engine: Engine, metadata: MetaData = Base.metadata) -> list[str]:
    """What would have to change for the database to match ``metadata``."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        found = compare_metadata(context, metadata)

    # Changes to a column come as a list of steps; others as one step each.
    steps = [
        step
        for change in found
        for step in (change if isinstance(change, list) else [change])
    ]
    return [
        f"{step[0]} {step[2]}.{step[3]}"
        if step[0].startswith("modify")
        else str(step[0])
        for step in steps
    ]


def _indexes(found: Inspector, table: str) -> list[dict[str, Any]]:
    # A partial index's condition is reflected as a clause, shown by its text.
    return [
        {
            **index,
            "dialect_options": {
                name: str(value)
                for name, value in index.get("dialect_options", {}).items()
            },
        }
        for index in found.get_indexes(table)
    ]


def _schema(engine: Engine) -> str:
    found = inspect(engine)
    # Reflected types compare by identity, so the schema is compared as text.
    return repr(
        {
            table: (
                found.get_columns(table),
                _indexes(found, table),
                found.get_unique_constraints(table),
                found.get_foreign_keys(table),
                found.get_check_constraints(table),
            )
            for table in found.get_table_names()
        }
    )


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_upgrade_creates_every_table_in_the_models(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())

    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    assert _revision(engine) == HEAD


def test_the_migrated_schema_matches_the_models(engine: Engine) -> None:
    assert _differences(engine) == []


def test_the_schema_matches_the_models_after_a_large_load(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large load takes keys and indexes down and puts them back (on
    # PostgreSQL, foreign keys as NOT VALID); what comes back is what was there.
    monkeypatch.setattr(bulk, "_LARGE_FROM_ROWS", 2)
    now = datetime.now(UTC)
    before = _schema(engine)
    with engine.begin() as connection:
        insert_frame(
            connection,
            "properties",
            pl.DataFrame(
                {
                    "id": [1, 2, 3],
                    "address_key": ["a", "b", "c"],
                    "created_at": [now] * 3,
                }
            ),
        )
        insert_frame(
            connection,
            "electors",
            pl.DataFrame(
                {
                    "id": [1, 2, 3],
                    "elector_number": ["A-1", "A-2", "A-3"],
                    "surname": ["B", "B", "B"],
                    "name_key": ["b", "b", "b"],
                    "property_id": [1, 2, 2],
                    "created_at": [now] * 3,
                    "updated_at": [now] * 3,
                }
            ),
        )

    assert _differences(engine) == []
    assert _schema(engine) == before
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            unchecked = connection.execute(
                text("SELECT conname FROM pg_constraint WHERE NOT convalidated")
            ).scalars()
            assert "fk_electors_property_id_properties" in set(unchecked)


def test_the_schema_comparison_notices_a_difference(engine: Engine) -> None:
    # The comparison above proves nothing unless it can fail.
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["electors"].c.surname.type = String(99)

    assert _differences(engine, changed) == ["modify_type electors.surname"]


def test_the_migrated_check_constraints_match_the_models(engine: Engine) -> None:
    # Alembic does not compare check constraints, so their names are compared here.
    found = inspect(engine)
    for table in Base.metadata.sorted_tables:
        expected = {
            str(constraint.name)
            for constraint in table.constraints
            if isinstance(constraint, CheckConstraint)
        }
        migrated = {c["name"] for c in found.get_check_constraints(table.name)}

        assert migrated == expected, table.name


def test_the_migrated_partial_indexes_cover_the_rows_the_models_say(
    engine: Engine,
) -> None:
    # Alembic compares an index's columns, not which rows it covers.
    found = inspect(engine)
    option = f"{engine.dialect.name}_where"
    partial = {}
    for table in Base.metadata.sorted_tables:
        for index in table.indexes:
            where = index.dialect_options[engine.dialect.name]["where"]
            if where is not None:
                partial[str(index.name)] = str(where)
    migrated = {
        str(index["name"]): str(index["dialect_options"][option])
        for table in Base.metadata.sorted_tables
        for index in found.get_indexes(table.name)
        if option in index.get("dialect_options", {})
    }

    def plain(condition: str) -> str:
        return condition.replace("(", "").replace(")", "").lower()

    assert {
        "ix_source_records_elector_id",
        "ix_observations_contact_point_id",
    } <= set(partial)
    assert {k: plain(v) for k, v in migrated.items()} == {
        k: plain(v) for k, v in partial.items()
    }


def test_upgrading_again_changes_nothing(database_url: str, engine: Engine) -> None:
    before = _schema(engine)

    upgrade(database_url)

    assert _schema(engine) == before
    assert _revision(engine) == HEAD


def test_a_migration_that_fails_leaves_the_database_as_it_was(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each migration runs in one transaction, DDL included, on SQLite too.
    migrate = command.upgrade

    def migrate_then_fail(config: Config, revision: str) -> None:
        migrate(config, revision)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(command, "upgrade", migrate_then_fail)

    with pytest.raises(RuntimeError, match="the disk is full"):
        upgrade(database_url)

    engine = make_engine(database_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_downgrading_to_the_start_removes_every_table(
    database_url: str, engine: Engine
) -> None:
    command.downgrade(alembic_config(database_url), "base")

    assert inspect(engine).get_table_names() == ["alembic_version"]
    assert _revision(engine) is None


def test_the_migrations_have_one_head() -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))

    assert scripts.get_heads() == [HEAD]


def test_every_foreign_key_leads_an_index_unless_its_rows_are_kept_for_good() -> None:
    unindexed = []
    for table in Base.metadata.sorted_tables:
        leading = {index.columns[0].name for index in table.indexes} | {
            constraint.columns[0].name
            for constraint in table.constraints
            if isinstance(constraint, UniqueConstraint)
        }
        for key in table.foreign_keys:
            if key.parent.name not in leading:
                unindexed.append(f"{table.name}.{key.parent.name}")
                assert key.column.table.name in KEPT_FOR_GOOD, unindexed[-1]

    assert sorted(unindexed) == [
        "delivery_events.import_batch_id",
        "electors.first_import_id",
        "electors.last_import_id",
        "source_records.agreement_id",
        "source_records.import_batch_id",
        "source_records.privacy_notice_id",
        "source_records.privacy_statement_id",
    ]


def test_no_code_deletes_a_row_kept_for_good() -> None:
    # The references to these tables have no index to find their rows by.
    package = Path(contactable.__file__).parent
    models = {
        "import_batches": "ImportBatch",
        "data_sharing_agreements": "DataSharingAgreement",
        "privacy_notices": "PrivacyNotice",
        "privacy_statements": "PrivacyStatement",
    }
    assert set(models) == KEPT_FOR_GOOD
    for source in package.rglob("*.py"):
        text = source.read_text()
        for table, model in models.items():
            for deleting in (f"delete({model}", f"DELETE FROM {table}"):
                assert deleting not in text, f"{source.name} deletes {table}"


def test_every_constraint_name_fits_in_postgresql() -> None:
    # PostgreSQL cuts identifiers at 63 bytes, which would make names collide.
    names = [
        str(item.name)
        for table in Base.metadata.sorted_tables
        for item in [*table.constraints, *table.indexes]
        if isinstance(item, Constraint | Index)
    ]

    assert max(len(name) for name in names) <= 63
    assert len(names) == len(set(names))


def test_the_migrations_are_shipped_with_the_package() -> None:
    pyproject = tomllib.loads(
        (Path(__file__).parents[2] / "pyproject.toml").read_text("utf-8")
    )
    shipped = pyproject["tool"]["setuptools"]["package-data"]["contactable"]

    assert {"migrations/*", "migrations/**/*"} <= set(shipped)
    assert (MIGRATIONS_PATH / "env.py").is_file()
    assert (MIGRATIONS_PATH / "script.py.mako").is_file()
