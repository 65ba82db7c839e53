"""What every import shares: the file's fingerprint, its batch, governance, and
writing source records, observations and contact points in bulk."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from contactable.governance.gate import Agreement, Notice, Statement
from contactable.services.importing.contacts import stored_value
from contactable.services.importing.rows import ADDRESS_COLUMNS
from contactable.sources import HeaderNotFound, SourceTable, read_table
from contactable.store import (
    ContactPoint,
    DataSharingAgreement,
    ImportBatch,
    PrivacyNotice,
    PrivacyStatement,
    SourceRecord,
)
from contactable.store.bulk import (
    finish_ids,
    insert_frame,
    read_frame,
    reserve_ids,
    update_frame,
)

SOURCE_RECORD_COLUMNS = tuple(c.name for c in SourceRecord.__table__.columns)


def read_source(path: Path, is_header: Callable[[list[str]], bool]) -> SourceTable:
    """Read a file whose header is the first row ``is_header`` accepts, or, when
    none near the top does (an unfamiliar shape, read with a mapping file), its
    first row."""
    try:
        return read_table(path, header_predicate=is_header)
    except HeaderNotFound:
        return read_table(path)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes: the same file gives the same digest."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def now() -> datetime:
    """The time now, in UTC."""
    return datetime.now(UTC)


def previous_batch(connection: Connection, kind: str, digest: str) -> int | None:
    """The batch that already imported this file as this kind, if any."""
    found = connection.execute(
        select(ImportBatch.id).where(
            ImportBatch.kind == kind, ImportBatch.file_sha256 == digest
        )
    ).scalar()
    return None if found is None else int(found)


def start_batch(
    connection: Connection,
    *,
    kind: str,
    path: Path,
    digest: str,
    actor: str,
    department: str | None = None,
    collected_after: date | None = None,
) -> int:
    """Record the import batch; its counts are filled in when it is done."""
    result = connection.execute(
        insert(ImportBatch).values(
            kind=kind,
            department=department,
            file_name=path.name,
            file_sha256=digest,
            imported_at=now(),
            imported_by=actor,
            collected_after=collected_after,
            counts={},
        )
    )
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("The database did not return the import batch's id.")
    return int(key[0])


def finish_batch(connection: Connection, batch_id: int, counts: dict[str, Any]) -> None:
    """Keep the import's figures on its batch."""
    connection.execute(
        update(ImportBatch).where(ImportBatch.id == batch_id).values(counts=counts)
    )


def load_agreements(session: Session) -> list[Agreement]:
    """Every data sharing agreement, as the gate reads them."""
    rows = session.scalars(select(DataSharingAgreement))
    return [
        Agreement(
            r.id,
            r.department,
            r.reference,
            frozenset(r.record_kinds),
            r.covers_contact_details,
            r.starts_on,
            r.ends_on,
            r.revoked_on,
        )
        for r in rows
    ]


def load_notices(session: Session) -> list[Notice]:
    """Every department's privacy notice, as the gate reads them."""
    rows = session.scalars(select(PrivacyNotice))
    return [
        Notice(
            r.id,
            r.department,
            r.reference,
            frozenset(r.record_kinds),
            r.covers_contact_disclosure,
            r.effective_from,
            r.effective_to,
        )
        for r in rows
    ]


def load_statements(session: Session) -> list[Statement]:
    """Every privacy statement of the ERO's."""
    rows = session.scalars(select(PrivacyStatement))
    return [
        Statement(r.id, r.reference, r.effective_from, r.effective_to) for r in rows
    ]


def statement_ids(statements: list[Statement], days: pl.Expr) -> pl.Expr:
    """The statement in force on each day, the newest when several are."""
    chosen = pl.lit(None, pl.Int64)
    for statement in sorted(statements, key=lambda s: (s.effective_from, s.id)):
        in_force = days >= statement.effective_from
        if statement.effective_to is not None:
            in_force = in_force & (days <= statement.effective_to)
        chosen = (
            pl.when(in_force.fill_null(False))
            .then(pl.lit(statement.id, pl.Int64))
            .otherwise(chosen)
        )
    return chosen


# The fields of a file's row a source record keeps as the file gave them.
RECORD_FIELDS = (
    "row_number",
    "document_reference",
    "collected_on",
    "elector_number",
    "title",
    "forename",
    "middle_names",
    "surname",
    "name_key",
    *ADDRESS_COLUMNS,
    "postcode",
    "uprn",
    "address_key",
)


def write_source_records(
    connection: Connection,
    rows: pl.DataFrame,
    *,
    batch_id: int,
    kind: str,
    department: str | None = None,
    extra: Sequence[pl.Expr] = (),
) -> pl.DataFrame:
    """A source record for each of ``rows`` (prepared rows), with ``extra``
    columns such as the lawful basis; returns them with their ``id``."""
    return insert_source_records(
        connection,
        rows.select(
            pl.lit(batch_id, pl.Int64).alias("import_batch_id"),
            pl.lit(kind).alias("kind"),
            pl.lit(department, pl.String).alias("department"),
            *RECORD_FIELDS,
            *extra,
        ),
    )


def insert_source_records(
    connection: Connection, records: pl.DataFrame
) -> pl.DataFrame:
    """Give ``records`` ids and write them; returns them with their ``id``.

    ``records`` has some of SOURCE_RECORD_COLUMNS; the rest are written null.
    """
    first = reserve_ids(connection, "source_records", records.height)
    records = records.with_columns(
        id=pl.int_range(first, first + records.height, dtype=pl.Int64)
    )
    missing = [c for c in SOURCE_RECORD_COLUMNS if c not in records.columns]
    full = records.with_columns(
        *(pl.lit(None).alias(c) for c in missing if c != "is_potential_elector"),
        *(
            [pl.lit(False).alias("is_potential_elector")]
            if "is_potential_elector" in missing
            else []
        ),
    ).select(SOURCE_RECORD_COLUMNS)
    insert_frame(connection, "source_records", _typed(full))
    finish_ids(connection, "source_records")
    return records


def _typed(frame: pl.DataFrame) -> pl.DataFrame:
    """Null columns get the type of the table's column, so drivers write NULL."""
    types: dict[str, pl.DataType] = {
        "link_probability": pl.Float64(),
        "linked_at": pl.Datetime("us", "UTC"),
        "collected_on": pl.Date(),
        "observed_on": pl.Date(),
        "is_potential_elector": pl.Boolean(),
    }
    ids = {c for c in frame.columns if c == "id" or c.endswith("_id")}
    casts = []
    for name, dtype in frame.schema.items():
        wanted = types.get(name)
        if wanted is None and (name in ids or name == "row_number"):
            wanted = pl.Int64()
        if wanted is None:
            wanted = pl.String() if dtype == pl.Null else dtype
        casts.append(pl.col(name).cast(wanted))
    return frame.select(casts)


def insert_observations(
    connection: Connection, observations: pl.DataFrame
) -> pl.DataFrame:
    """Write observations (with ``source_record_id``); returns them with ids."""
    first = reserve_ids(connection, "observations", observations.height)
    observations = observations.with_columns(
        id=pl.int_range(first, first + observations.height, dtype=pl.Int64),
        created_at=pl.lit(now(), pl.Datetime("us", "UTC")),
    )
    columns = [
        "id",
        "source_record_id",
        "kind",
        "raw_value",
        "normalised",
        "status",
        "problem",
        "suggestion",
        "phone_type",
        "phone_region",
        "contact_point_id",
        "observed_on",
        "created_at",
    ]
    full = observations.with_columns(
        *(pl.lit(None).alias(c) for c in columns if c not in observations.columns)
    ).select(columns)
    insert_frame(connection, "observations", _typed(full))
    finish_ids(connection, "observations")
    return observations


def attach_contact_points(
    connection: Connection, observations: pl.DataFrame, today: date
) -> tuple[pl.DataFrame, int, int]:
    """Create or refresh the contact points that observations with an
    ``elector_id`` show, and return them with ``contact_point_id`` set.

    Also returns how many contact points were created and how many refreshed.
    """
    linked = observations.filter(pl.col("elector_id").is_not_null()).with_columns(
        value=stored_value()
    )
    table = ContactPoint.__table__
    existing = read_frame(
        connection,
        select(
            table.c.id,
            table.c.elector_id,
            table.c.kind,
            table.c.value,
            table.c.first_seen_on,
        ),
        {
            "contact_point_id": pl.Int64,
            "elector_id": pl.Int64,
            "kind": pl.String,
            "value": pl.String,
            "first_seen_on": pl.Date,
        },
    )
    keyed = linked.join(existing, on=["elector_id", "kind", "value"], how="left")

    # One contact point per elector, kind and value, however often it was seen.
    latest = keyed.sort("row_number").unique(
        ["elector_id", "kind", "value"], keep="last", maintain_order=True
    )
    # In the order of the unique index on elector, kind and value: each new
    # entry then lands beside the last, not at a random page of the index.
    fresh = latest.filter(pl.col("contact_point_id").is_null()).sort(
        "elector_id", "kind", "value"
    )
    first = reserve_ids(connection, "contact_points", fresh.height)
    fresh = fresh.with_columns(
        contact_point_id=pl.int_range(first, first + fresh.height, dtype=pl.Int64)
    )
    stamp = pl.lit(now(), pl.Datetime("us", "UTC"))
    day = pl.lit(today, pl.Date)
    insert_frame(
        connection,
        "contact_points",
        fresh.select(
            pl.col("contact_point_id").alias("id"),
            "elector_id",
            "kind",
            "value",
            "status",
            "problem",
            "suggestion",
            "phone_type",
            "phone_region",
            day.alias("first_seen_on"),
            day.alias("last_seen_on"),
            pl.lit("unknown").alias("deliverability"),
            pl.lit(0, pl.Int64).alias("temporary_failures"),
            stamp.alias("created_at"),
            stamp.alias("updated_at"),
        ),
    )
    finish_ids(connection, "contact_points")

    seen = latest.filter(pl.col("contact_point_id").is_not_null())
    update_frame(
        connection,
        "contact_points",
        seen.select(
            pl.col("contact_point_id").alias("id"),
            "status",
            "problem",
            "suggestion",
            "phone_type",
            "phone_region",
            # Never before it was first seen, whatever day the caller names.
            pl.max_horizontal(day, pl.col("first_seen_on")).alias("last_seen_on"),
            stamp.alias("updated_at"),
        ),
    )

    points = pl.concat(
        [
            fresh.select("elector_id", "kind", "value", "contact_point_id"),
            seen.select("elector_id", "kind", "value", "contact_point_id"),
        ]
    )
    attached = (
        observations.with_columns(value=stored_value())
        .join(
            points,
            on=["elector_id", "kind", "value"],
            how="left",
            maintain_order="left",
        )
        .drop("value")
    )
    return attached, fresh.height, seen.height
