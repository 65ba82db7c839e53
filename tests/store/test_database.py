"""Engines, transactions and the constraints the database itself enforces."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from contactable.store import (
    AuditEvent,
    ContactPoint,
    DatabaseUrlError,
    DeliveryEvent,
    Elector,
    ImportBatch,
    MigrationError,
    Objection,
    Observation,
    SourceRecord,
    make_engine,
    transaction,
    upgrade,
)
from contactable.store import database as store_database

DIGEST = "ab" * 32


def _batch(**overrides: object) -> ImportBatch:
    values: dict[str, object] = {
        "kind": "canvass-response",
        "file_name": "responses.csv",
        "file_sha256": DIGEST,
        "imported_by": "tester",
    }
    return ImportBatch(**(values | overrides))


def _elector(**overrides: object) -> Elector:
    values: dict[str, object] = {
        "elector_number": "AB1-1",
        "surname": "Bloggs",
        "name_key": "jo bloggs",
    }
    return Elector(**(values | overrides))


def _contact(elector: Elector, **overrides: object) -> ContactPoint:
    values: dict[str, object] = {
        "elector": elector,
        "kind": "email",
        "value": "jo@example.com",
        "status": "ok",
        "first_seen_on": date(2026, 4, 1),
        "last_seen_on": date(2026, 4, 1),
    }
    return ContactPoint(**(values | overrides))


def _count(engine: Engine, model: type[object]) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_database_is_a_sqlite_file_in_the_working_folder_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONTACTABLE_DATABASE_URL", raising=False)

    assert store_database.database_url() == "sqlite:///contactable.db"


def test_the_environment_chooses_the_database_over_the_settings_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "contactable.toml").write_text('database_url = "sqlite:///file.db"\n')
    monkeypatch.setenv("CONTACTABLE_DATABASE_URL", "postgresql://ero@db/contactable")

    assert store_database.database_url() == "postgresql://ero@db/contactable"


def test_the_settings_file_chooses_the_database_without_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "contactable.toml").write_text('database_url = "sqlite:///file.db"\n')
    monkeypatch.delenv("CONTACTABLE_DATABASE_URL", raising=False)

    assert store_database.database_url() == "sqlite:///file.db"


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://ero@db/contactable", "postgresql+psycopg"),
        ("postgresql+psycopg://ero@db/contactable", "postgresql+psycopg"),
        # The older spelling some hosting services still hand out.
        ("postgres://ero@db/contactable", "postgresql+psycopg"),
        ("sqlite:///contactable.db", "sqlite"),
        ("sqlite+pysqlite:///contactable.db", "sqlite+pysqlite"),
    ],
)
def test_engines_use_psycopg_for_postgresql(
    url: str, driver: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A SQLite engine makes its file: in a folder of the test's own.
    monkeypatch.chdir(tmp_path)
    engine = make_engine(url)

    assert engine.url.drivername == driver


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "mysql://ero:secret@db/contactable",
            "Contactable works with SQLite and PostgreSQL (through psycopg), not "
            "mysql. Use a URL such as sqlite:///contactable.db or "
            "postgresql://user@host/contactable.",
        ),
        (
            "postgresql+psycopg2://ero:secret@db/contactable",
            "Contactable works with SQLite and PostgreSQL (through psycopg), not "
            "postgresql+psycopg2. Use a URL such as sqlite:///contactable.db or "
            "postgresql://user@host/contactable.",
        ),
        (
            "contactable.db",
            "The database URL is not a URL. Use one such as "
            "sqlite:///contactable.db or postgresql://user@host/contactable.",
        ),
    ],
)
def test_other_databases_are_refused_without_repeating_the_password(
    url: str, message: str
) -> None:
    with pytest.raises(DatabaseUrlError) as raised:
        make_engine(url)

    assert str(raised.value) == message


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    # SQLite does not name the constraint; PostgreSQL does.
    refused = "FOREIGN KEY constraint failed|fk_electors_property_id_properties"
    with pytest.raises(IntegrityError, match=refused), transaction(engine) as session:
        session.add(_elector(property_id=999))


def test_a_transaction_that_ends_is_committed(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(_batch())

    assert _count(engine, ImportBatch) == 1


def test_a_transaction_that_raises_leaves_the_database_as_it_was(
    engine: Engine,
) -> None:
    with (
        pytest.raises(RuntimeError, match="the file is bad"),
        transaction(engine) as session,
    ):
        session.add(_batch())
        session.flush()
        raise RuntimeError("the file is bad")

    assert _count(engine, ImportBatch) == 0


def test_objects_can_be_read_after_their_transaction(engine: Engine) -> None:
    with transaction(engine) as session:
        batch = _batch()
        session.add(batch)

    assert batch.id == 1
    assert batch.counts == {}


def test_the_same_file_cannot_be_imported_twice_as_the_same_kind(
    engine: Engine,
) -> None:
    with transaction(engine) as session:
        session.add(_batch())

    refused = "import_batches.kind, import_batches.file_sha256|uq_import_batches_kind_"
    with pytest.raises(IntegrityError, match=refused), transaction(engine) as session:
        session.add(_batch(file_name="renamed.csv"))

    with transaction(engine) as session:
        session.add(_batch(kind="council-tax", department="Revenues"))
    assert _count(engine, ImportBatch) == 2


def test_an_elector_cannot_hold_the_same_contact_twice(engine: Engine) -> None:
    with transaction(engine) as session:
        elector = _elector()
        session.add(_contact(elector))

    refused = "contact_points.elector_id, |uq_contact_points_elector_id_kind_value"
    with pytest.raises(IntegrityError, match=refused), transaction(engine) as session:
        session.add(_contact(session.merge(elector)))


# Each makes one row with one value outside what its column allows, and names
# the check constraint that refuses it.
OUT_OF_RANGE: list[tuple[str, Callable[[], object]]] = [
    ("ck_import_batches_kind", lambda: _batch(kind="census")),
    ("ck_import_batches_file_sha256", lambda: _batch(file_sha256="not a digest")),
    ("ck_electors_status", lambda: _elector(status="gone")),
    ("ck_electors_left_on_only_when_left", lambda: _elector(left_on=date(2026, 4, 1))),
    ("ck_contact_points_kind", lambda: _contact(_elector(), kind="fax")),
    ("ck_contact_points_status", lambda: _contact(_elector(), status="maybe")),
    ("ck_contact_points_phone_type", lambda: _contact(_elector(), phone_type="fax")),
    (
        "ck_contact_points_deliverability",
        lambda: _contact(_elector(), deliverability="sometimes"),
    ),
    (
        "ck_contact_points_temporary_failures",
        lambda: _contact(_elector(), temporary_failures=-1),
    ),
    (
        "ck_contact_points_last_seen_on_not_before_first_seen_on",
        lambda: _contact(_elector(), last_seen_on=date(2026, 3, 31)),
    ),
    (
        "ck_objections_has_subject",
        lambda: Objection(kind="email", recorded_on=date(2026, 4, 1), recorded_by="t"),
    ),
    (
        "ck_source_records_link_probability",
        lambda: SourceRecord(
            import_batch=_batch(), row_number=2, kind="council-tax", link_probability=2
        ),
    ),
]


def test_values_outside_the_allowed_lists_are_refused(
    engine: Engine, subtests: pytest.Subtests
) -> None:
    # One database serves every case, as each is rolled back. Both databases
    # name the check constraint in their message.
    for constraint, make_row in OUT_OF_RANGE:
        with (
            subtests.test(constraint),
            pytest.raises(IntegrityError, match=rf"\b{constraint}\b"),
            transaction(engine) as session,
        ):
            session.add(make_row())

    assert _count(engine, ImportBatch) == _count(engine, Elector) == 0


def test_times_are_read_back_in_utc(engine: Engine) -> None:
    summer = timezone(timedelta(hours=1))
    with transaction(engine) as session:
        session.add(
            AuditEvent(
                actor="tester",
                action="import",
                occurred_at=datetime(2026, 6, 1, 10, 30, tzinfo=summer),
            )
        )

    with Session(engine) as session:
        occurred_at = session.scalars(select(AuditEvent.occurred_at)).one()

    assert occurred_at == datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    assert occurred_at.tzinfo is UTC


def test_a_time_without_a_zone_is_refused(engine: Engine) -> None:
    naive = AuditEvent(actor="jo", action="import", occurred_at=datetime(2026, 6, 1))
    with (
        pytest.raises(StatementError, match="has no time zone"),
        transaction(engine) as session,
    ):
        session.add(naive)


def test_counts_keep_their_shape(engine: Engine) -> None:
    counts = {"rows": 46_000_000, "withheld": {"no_agreement": 3, "no_notice": 0}}
    with transaction(engine) as session:
        session.add(_batch(counts=counts))

    with Session(engine) as session:
        assert session.scalars(select(ImportBatch.counts)).one() == counts


def test_deleting_a_contact_point_deletes_what_was_seen_of_it(engine: Engine) -> None:
    with transaction(engine) as session:
        elector = _elector()
        contact = _contact(elector)
        record = SourceRecord(
            import_batch=_batch(), row_number=2, kind="canvass-response"
        )
        session.add_all([contact, record])
        session.flush()
        session.add_all(
            [
                Observation(
                    source_record=record,
                    contact_point=contact,
                    kind="email",
                    raw_value=" Jo@Example.com ",
                    status="ok",
                ),
                DeliveryEvent(
                    contact_point=contact,
                    channel="email",
                    status="delivered",
                    occurred_at=datetime(2026, 4, 2, tzinfo=UTC),
                    source="notify-api",
                ),
            ]
        )

    # A bulk delete goes straight to the database, so its cascades do the work.
    with transaction(engine) as session:
        session.execute(delete(ContactPoint))

    assert _count(engine, Observation) == 0
    assert _count(engine, DeliveryEvent) == 0
    assert _count(engine, SourceRecord) == 1


def test_deleting_an_elector_unlinks_their_source_records(engine: Engine) -> None:
    with transaction(engine) as session:
        record = SourceRecord(
            import_batch=_batch(),
            row_number=2,
            kind="canvass-response",
            elector=_elector(),
            link_method="elector_number",
        )
        session.add(record)

    with transaction(engine) as session:
        session.execute(delete(Elector))

    with Session(engine) as session:
        assert session.scalars(select(SourceRecord.elector_id)).one() is None


def test_upgrade_refuses_a_sqlite_database_whose_foreign_keys_are_broken(
    tmp_path: Path,
) -> None:
    # SQLite migrates with foreign keys off, so it checks them before committing.
    path = tmp_path / "contactable.db"
    upgrade(f"sqlite:///{path}")
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(
            "INSERT INTO electors (elector_number, surname, name_key, status, "
            "property_id, created_at, updated_at) VALUES ('AB1-1', 'Bloggs', "
            "'bloggs', 'current', 999, '2026-04-01', '2026-04-01')"
        )
        connection.commit()

    with pytest.raises(MigrationError) as raised:
        upgrade(f"sqlite:///{path}")

    assert str(raised.value) == (
        "The migration left 1 row in electors pointing at rows that do not "
        "exist, so it was undone. Report this as a bug."
    )


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    import stat

    url = f"sqlite:///{tmp_path / 'contactable.db'}"

    upgrade(url)

    for name in ("contactable.db", "contactable.db-wal"):
        path = tmp_path / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    assert (tmp_path / "contactable.db").exists()
