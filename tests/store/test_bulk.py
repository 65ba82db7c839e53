"""Bulk writes: what goes in comes back through the ORM, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import polars as pl
import pytest
from sqlalchemy import Connection, Engine, event, inspect, select
from sqlalchemy.exc import IntegrityError

from contactable.store import (
    Base,
    Elector,
    ImportBatch,
    Observation,
    Property,
    SourceRecord,
    bulk,
    transaction,
)
from contactable.store.bulk import insert_frame, reserve_ids, update_frame

STAMP = datetime(2026, 6, 1, 12, 30, 15, 123456, tzinfo=UTC)


def _batch(engine: Engine) -> int:
    with transaction(engine) as session:
        batch = ImportBatch(
            kind="register",
            file_name="r.csv",
            file_sha256="a" * 64,
            imported_by="t",
            counts={},
        )
        session.add(batch)
        session.flush()
        return batch.id


def _records(batch: int, first: int, count: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": list(range(first, first + count)),
            "import_batch_id": [batch] * count,
            "row_number": list(range(2, count + 2)),
            "kind": ["canvass-response"] * count,
            "collected_on": [date(2026, 7, 1)] * count,
            "surname": [f"Bloggs {n}" for n in range(count)],
            "linked_at": [STAMP] * count,
            "is_potential_elector": [n % 2 == 0 for n in range(count)],
        },
        schema_overrides={"linked_at": pl.Datetime("us", "UTC")},
    )


def _schema(engine: Engine) -> dict[str, tuple[object, ...]]:
    """The names of every table's keys and indexes, and its primary key."""
    found = inspect(engine)
    return {
        table: (
            sorted(i["name"] or "" for i in found.get_indexes(table)),
            sorted(k["name"] or "" for k in found.get_foreign_keys(table)),
            sorted(u["name"] or "" for u in found.get_unique_constraints(table)),
            found.get_pk_constraint(table)["constrained_columns"],
        )
        for table in found.get_table_names()
    }


def test_rows_written_in_bulk_read_back_as_the_orm_wrote_them(engine: Engine) -> None:
    batch = _batch(engine)
    with engine.begin() as connection:
        first = reserve_ids(connection, "source_records", 3)
        insert_frame(connection, "source_records", _records(batch, first, 3))
        bulk.finish_ids(connection, "source_records")

    with transaction(engine) as session:
        rows = session.scalars(select(SourceRecord).order_by(SourceRecord.id)).all()
        assert [
            (r.collected_on, r.linked_at, r.is_potential_elector) for r in rows
        ] == [
            (date(2026, 7, 1), STAMP, True),
            (date(2026, 7, 1), STAMP, False),
            (date(2026, 7, 1), STAMP, True),
        ]
        # The sequence has moved on: the ORM's next row does not clash.
        session.add(
            SourceRecord(import_batch_id=batch, row_number=9, kind="correspondence")
        )
        session.flush()


def test_updates_in_bulk_set_only_the_given_columns(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add_all(
            [Property(id=n, address_key=f"k{n}", postcode="ZZ1 1AA") for n in (1, 2)]
        )

    with engine.begin() as connection:
        update_frame(
            connection,
            "properties",
            pl.DataFrame({"id": [2], "polling_district": ["AB"]}),
        )

    with transaction(engine) as session:
        rows = session.execute(
            select(Property.id, Property.postcode, Property.polling_district).order_by(
                Property.id
            )
        ).all()
        assert [tuple(r) for r in rows] == [(1, "ZZ1 1AA", None), (2, "ZZ1 1AA", "AB")]


def test_a_large_load_rebuilds_indexes_and_foreign_keys_afterwards(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_LARGE_FROM_ROWS", 2)
    before = _schema(engine)
    batch = _batch(engine)

    with engine.begin() as connection:
        insert_frame(connection, "source_records", _records(batch, 1, 5))

    assert _schema(engine) == before
    with transaction(engine) as session:
        assert len(session.scalars(select(SourceRecord.id)).all()) == 5


def _refused(engine: Engine, records: pl.DataFrame) -> None:
    """Writing ``records`` fails, and leaves the schema and the rows as they were."""
    before = _schema(engine)

    with pytest.raises(IntegrityError), engine.begin() as connection:
        insert_frame(connection, "source_records", records)

    assert _schema(engine) == before
    with transaction(engine) as session:
        assert session.scalars(select(SourceRecord.id)).all() == []


def test_a_large_load_that_breaks_a_foreign_key_writes_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_LARGE_FROM_ROWS", 2)
    batch = _batch(engine)

    _refused(engine, _records(batch + 99, 1, 5))


def test_a_large_update_rebuilds_the_indexes_on_what_it_changes(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_LARGE_FROM_ROWS", 2)
    batch = _batch(engine)
    with engine.begin() as connection:
        insert_frame(connection, "source_records", _records(batch, 1, 5))
    before = _schema(engine)

    with engine.begin() as connection:
        update_frame(
            connection,
            "source_records",
            pl.DataFrame({"id": [1, 2, 3], "uprn": ["100", "200", "300"]}),
        )

    assert _schema(engine) == before
    with transaction(engine) as session:
        found = session.scalars(
            select(SourceRecord.id).where(SourceRecord.uprn == "200")
        ).all()
        assert found == [2]


@pytest.mark.parametrize(
    "surname",
    [
        "",
        "O'Brien, Jr",
        'Say "hi"',
        "two\nlines",
        "\\.",
        "back\\slash\\N",
        "\u00e9\u00e8 \u2013 \U0001f600",
        "  spaced  ",
        "NULL",
    ],
)
def test_any_text_comes_back_as_written_and_a_missing_one_as_null(
    engine: Engine, surname: str
) -> None:
    batch = _batch(engine)
    frame = _records(batch, 1, 2).with_columns(
        surname=pl.Series([surname, None], dtype=pl.String),
        link_probability=pl.Series([0.123456789012345, None], dtype=pl.Float64),
    )
    with engine.begin() as connection:
        insert_frame(connection, "source_records", frame)

    with transaction(engine) as session:
        rows = session.execute(
            select(SourceRecord.surname, SourceRecord.link_probability).order_by(
                SourceRecord.id
            )
        ).all()
    assert [tuple(r) for r in rows] == [(surname, 0.123456789012345), (None, None)]


def _electors(engine: Engine, ids: list[int]) -> None:
    with transaction(engine) as session:
        session.add_all(
            [
                Elector(id=n, elector_number=f"AA-{n}", surname="Bloggs", name_key="b")
                for n in ids
            ]
        )


def _dropped(engine: Engine, write: Callable[[Connection], object]) -> list[str]:
    """The constraints and indexes a write took down and put back."""
    dropped: list[str] = []

    def watch(*arguments: object) -> None:
        statement = str(arguments[2])
        if "DROP CONSTRAINT" in statement or "DROP INDEX" in statement:
            dropped.append(statement.split()[-1])

    event.listen(engine, "before_cursor_execute", watch)
    try:
        with engine.begin() as connection:
            write(connection)
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    return sorted(dropped)


def test_a_large_load_into_an_empty_table_sets_aside_its_keys_and_those_at_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_LARGE_FROM_ROWS", 2)
    batch = _batch(engine)
    before = _schema(engine)

    dropped = _dropped(
        engine,
        lambda c: insert_frame(c, "source_records", _records(batch, 1, 5)),
    )

    table = Base.metadata.tables["source_records"]
    pointing = [
        k.name
        for other in Base.metadata.sorted_tables
        for k in other.foreign_key_constraints
        if k.referred_table is table
    ]
    expected = [
        *(k.name for k in table.foreign_key_constraints),
        *pointing,
        "pk_source_records",
    ]
    postgresql = engine.dialect.name == "postgresql"
    assert dropped == (sorted(str(n) for n in expected) if postgresql else [])
    assert set(pointing) >= {"fk_observations_source_record_id_source_records"}
    assert _schema(engine) == before


def test_a_large_load_into_a_fuller_table_keeps_its_primary_key(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_LARGE_FROM_ROWS", 2)
    batch = _batch(engine)
    with engine.begin() as connection:
        insert_frame(connection, "source_records", _records(batch, 1, 8))

    # Five rows more is more than a quarter of the thirteen, less than half.
    dropped = _dropped(
        engine,
        lambda c: insert_frame(c, "source_records", _records(batch, 9, 5)),
    )

    assert "pk_source_records" not in dropped
    assert "ix_source_records_elector_id" not in dropped  # it gives no elector
    if engine.dialect.name == "postgresql":
        assert "fk_source_records_import_batch_id_import_batches" in dropped


def test_a_large_load_into_a_much_fuller_table_keeps_its_indexes(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_LARGE_FROM_ROWS", 2)
    batch = _batch(engine)
    _electors(engine, [1])
    linked = _records(batch, 1, 13).with_columns(elector_id=pl.lit(1, pl.Int64))
    with engine.begin() as connection:
        insert_frame(connection, "source_records", linked)

    # Three rows more are less than a quarter of the sixteen: only the foreign
    # keys go, on PostgreSQL, and are checked on the three.
    dropped = _dropped(
        engine,
        lambda c: insert_frame(
            c,
            "source_records",
            _records(batch, 14, 3).with_columns(elector_id=pl.lit(1, pl.Int64)),
        ),
    )

    keys = sorted(
        str(k.name)
        for k in Base.metadata.tables["source_records"].foreign_key_constraints
    )
    assert dropped == (keys if engine.dialect.name == "postgresql" else [])


def test_after_a_large_load_the_keys_still_refuse_what_breaks_them(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_LARGE_FROM_ROWS", 2)
    batch = _batch(engine)
    with engine.begin() as connection:
        insert_frame(connection, "source_records", _records(batch, 1, 5))

    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(
            SourceRecord(
                import_batch_id=batch + 99, row_number=9, kind="correspondence"
            )
        )
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(SourceRecord(id=3, import_batch_id=batch, row_number=9, kind="x"))

    # The keys of the rows that point at them work as before: deleting a record
    # deletes its observations.
    with transaction(engine) as session:
        session.add(
            Observation(source_record_id=2, kind="email", raw_value="a", status="ok")
        )
    with transaction(engine) as session:
        session.delete(session.get_one(SourceRecord, 2))
    with transaction(engine) as session:
        assert session.scalars(select(Observation.id)).all() == []


def test_a_large_load_of_a_duplicate_key_writes_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_LARGE_FROM_ROWS", 2)
    batch = _batch(engine)

    _refused(engine, pl.concat([_records(batch, 1, 3), _records(batch, 3, 2)]))


@pytest.mark.parametrize(
    ("linked", "refused"), [([1, 3, 3, 1], False), ([1, 2, 3, 1], True)]
)
def test_a_large_load_checks_each_value_it_gives_a_key(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    linked: list[int],
    refused: bool,
) -> None:
    # Electors 1 and 3 are there and 2 is not: the run from 1 to 3 has a gap, so
    # the rows themselves are looked up.
    monkeypatch.setattr(bulk, "_LARGE_FROM_ROWS", 2)
    batch = _batch(engine)
    _electors(engine, [1, 3])
    frame = _records(batch, 1, 4).with_columns(elector_id=pl.Series(linked))

    if refused:
        # PostgreSQL's refusal names the key; SQLite's does not.
        broken = "fk_source_records_elector_id_electors|FOREIGN KEY"
        with pytest.raises(IntegrityError, match=broken), engine.begin() as c:
            insert_frame(c, "source_records", frame)
    else:
        with engine.begin() as connection:
            insert_frame(connection, "source_records", frame)

    with transaction(engine) as session:
        found = session.scalars(select(SourceRecord.elector_id)).all()
    assert sorted(n or 0 for n in found) == ([] if refused else sorted(linked))


def test_a_large_update_checks_the_values_it_sets(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_LARGE_FROM_ROWS", 2)
    batch = _batch(engine)
    _electors(engine, [1, 3])
    with engine.begin() as connection:
        insert_frame(connection, "source_records", _records(batch, 1, 4))

    with pytest.raises(IntegrityError), engine.begin() as connection:
        update_frame(
            connection,
            "source_records",
            pl.DataFrame({"id": [1, 2, 3], "elector_id": [1, 2, 3]}),
        )
    with engine.begin() as connection:
        update_frame(
            connection,
            "source_records",
            pl.DataFrame({"id": [1, 2, 3], "elector_id": [1, 3, 3]}),
        )

    with transaction(engine) as session:
        found = session.execute(
            select(SourceRecord.id, SourceRecord.elector_id).order_by(SourceRecord.id)
        ).all()
    assert [tuple(r) for r in found] == [(1, 1), (2, 3), (3, 3), (4, None)]
