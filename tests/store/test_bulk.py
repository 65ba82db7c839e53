"""Bulk writes: what goes in comes back through the ORM, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest
from sqlalchemy import Engine, event, inspect, select
from sqlalchemy.exc import IntegrityError

from contactable.store import ImportBatch, Property, SourceRecord, bulk, transaction
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


def _schema(engine: Engine) -> tuple[list[str], list[str]]:
    found = inspect(engine)
    indexes = sorted(i["name"] or "" for i in found.get_indexes("source_records"))
    keys = sorted(k["name"] or "" for k in found.get_foreign_keys("source_records"))
    return indexes, keys


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
    monkeypatch.setattr(bulk, "_REBUILD_FROM_ROWS", 2)
    before = _schema(engine)
    batch = _batch(engine)

    with engine.begin() as connection:
        insert_frame(connection, "source_records", _records(batch, 1, 5))

    assert _schema(engine) == before
    with transaction(engine) as session:
        assert len(session.scalars(select(SourceRecord.id)).all()) == 5


def test_a_large_load_that_breaks_a_foreign_key_writes_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_REBUILD_FROM_ROWS", 2)
    before = _schema(engine)
    batch = _batch(engine)

    with pytest.raises(IntegrityError), engine.begin() as connection:
        insert_frame(connection, "source_records", _records(batch + 99, 1, 5))

    assert _schema(engine) == before
    with transaction(engine) as session:
        assert session.scalars(select(SourceRecord.id)).all() == []


def test_a_large_update_rebuilds_the_indexes_on_what_it_changes(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_REBUILD_FROM_ROWS", 2)
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


def test_a_large_load_sets_aside_only_the_foreign_keys_it_gives_values_for(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_REBUILD_FROM_ROWS", 2)
    batch = _batch(engine)
    dropped: list[str] = []

    def watch(*arguments: object) -> None:
        statement = str(arguments[2])
        if "DROP CONSTRAINT" in statement:
            dropped.append(statement.split()[-1])

    event.listen(engine, "before_cursor_execute", watch)
    try:
        with engine.begin() as connection:
            insert_frame(connection, "source_records", _records(batch, 1, 5))
    finally:
        event.remove(engine, "before_cursor_execute", watch)

    # Only the batch is given; the elector, agreement and notice are empty.
    postgresql = engine.dialect.name == "postgresql"
    given = ["fk_source_records_import_batch_id_import_batches"]
    assert dropped == (given if postgresql else [])
    assert _schema(engine)[1] == sorted(
        k.name or "" for k in SourceRecord.__table__.foreign_key_constraints
    )
