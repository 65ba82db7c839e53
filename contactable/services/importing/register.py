"""``contactable register import``: the EMS's register export.

The register is the list of electors and their properties. A later export
updates it: new electors are added, changed ones updated, and electors no longer
on it are marked as having left, not deleted, so their contacts enter retention
(DESIGN.md, rule 6). Contact details the EMS already holds become contact
points of their electors, with the register row as their source.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from contactable.config import Settings
from contactable.services.importing.common import (
    attach_contact_points,
    file_digest,
    finish_batch,
    insert_observations,
    load_statements,
    now,
    previous_batch,
    read_source,
    start_batch,
    statement_ids,
    write_source_records,
)
from contactable.services.importing.contacts import contacts_checked_meanwhile
from contactable.services.importing.report import (
    ImportNotPossible,
    ImportRejected,
    ImportReport,
)
from contactable.services.importing.rows import (
    ADDRESS_COLUMNS,
    PreparedRows,
    RejectedRow,
    prepare_rows,
)
from contactable.sources.mappings import detect_mapping, read_mapping_file
from contactable.store import Elector, Property, record_event, transaction
from contactable.store.bulk import (
    finish_ids,
    insert_frame,
    read_frame,
    reserve_ids,
    update_frame,
)

logger = logging.getLogger(__name__)

KIND = "register"
ELECTOR_FIELDS = ("title", "forename", "middle_names", "surname", "name_key")


def _looks_like_register_header(cells: list[str]) -> bool:
    mapping = detect_mapping(cells)
    return "surname" in mapping.fields or "full_name" in mapping.fields


def _duplicates(prepared: PreparedRows) -> list[RejectedRow]:
    frame = prepared.frame.select("row_number", "elector_number")
    first = frame.group_by("elector_number").agg(
        pl.col("row_number").min().alias("first")
    )
    again = frame.join(first, on="elector_number").filter(
        pl.col("row_number") != pl.col("first")
    )
    return [
        RejectedRow(int(row), f"the elector number is also on row {int(earlier)}")
        for row, earlier in again.select("row_number", "first").iter_rows()
    ]


def _properties(
    connection: Connection, rows: pl.DataFrame, batch_id: int
) -> tuple[pl.DataFrame, int]:
    """Each row's ``property_id``: found by UPRN or address, or created."""
    table = Property.__table__
    known = read_frame(
        connection,
        select(table.c.id, table.c.uprn, table.c.address_key),
        {"id": pl.Int64, "uprn": pl.String, "address_key": pl.String},
    )
    by_uprn = (
        known.drop_nulls("uprn")
        .select(pl.col("uprn"), pl.col("id").alias("_by_uprn"))
        .unique("uprn")
    )
    by_address = (
        known.filter(pl.col("uprn").is_null())
        .select(pl.col("address_key"), pl.col("id").alias("_by_address"))
        .unique("address_key")
    )
    rows = (
        rows.join(by_uprn, on="uprn", how="left", maintain_order="left")
        .join(by_address, on="address_key", how="left", maintain_order="left")
        .with_columns(
            property_id=pl.coalesce(
                "_by_uprn", pl.when(pl.col("uprn").is_null()).then("_by_address")
            ),
            _property_key=pl.coalesce("uprn", "address_key"),
        )
    )

    # A new property per UPRN, or per written address where there is no UPRN.
    new = (
        rows.filter(pl.col("property_id").is_null())
        .unique("_property_key", keep="first", maintain_order=True)
        .select(
            "_property_key",
            "uprn",
            *ADDRESS_COLUMNS,
            "postcode",
            "address_key",
            "elector_number",
        )
    )
    first = reserve_ids(connection, "properties", new.height)
    new = new.with_columns(id=pl.int_range(first, first + new.height, dtype=pl.Int64))
    insert_frame(
        connection,
        "properties",
        new.select(
            "id",
            "uprn",
            *ADDRESS_COLUMNS,
            "postcode",
            "address_key",
            pl.col("elector_number")
            .str.extract(r"^([A-Za-z]+)", 1)
            .str.to_uppercase()
            .alias("polling_district"),
            pl.lit(now(), pl.Datetime("us", "UTC")).alias("created_at"),
        ),
    )
    finish_ids(connection, "properties")
    rows = rows.join(
        new.select("_property_key", pl.col("id").alias("_new")),
        on="_property_key",
        how="left",
        maintain_order="left",
    ).with_columns(property_id=pl.coalesce("property_id", "_new"))
    logger.info("register import %d: %d new properties", batch_id, new.height)
    return rows.drop("_by_uprn", "_by_address", "_property_key", "_new"), new.height


def _electors(
    connection: Connection, rows: pl.DataFrame, batch_id: int, today: date
) -> tuple[pl.DataFrame, int, int, int]:
    """Each row's ``elector_id``; electors created, updated, and marked as left."""
    table = Elector.__table__
    known = read_frame(
        connection,
        select(
            table.c.id,
            table.c.elector_number,
            *(table.c[f] for f in ELECTOR_FIELDS),
            table.c.property_id,
            table.c.status,
        ),
        {
            "elector_id": pl.Int64,
            "elector_number": pl.String,
            **{f"_old_{f}": pl.String for f in ELECTOR_FIELDS},
            "_old_property_id": pl.Int64,
            "_old_status": pl.String,
        },
    )
    rows = rows.join(known, on="elector_number", how="left", maintain_order="left")
    stamp = pl.lit(now(), pl.Datetime("us", "UTC"))

    new = rows.filter(pl.col("elector_id").is_null())
    first = reserve_ids(connection, "electors", new.height)
    new = new.with_columns(
        elector_id=pl.int_range(first, first + new.height, dtype=pl.Int64)
    )
    insert_frame(
        connection,
        "electors",
        new.select(
            pl.col("elector_id").alias("id"),
            "elector_number",
            *ELECTOR_FIELDS,
            "property_id",
            pl.lit("current").alias("status"),
            pl.lit(None, pl.Date).alias("left_on"),
            pl.lit(batch_id, pl.Int64).alias("first_import_id"),
            pl.lit(batch_id, pl.Int64).alias("last_import_id"),
            stamp.alias("created_at"),
            stamp.alias("updated_at"),
        ),
    )
    finish_ids(connection, "electors")

    # Only rows that changed are written again: a council's register changes by
    # a few per cent between exports.
    seen = rows.filter(pl.col("elector_id").is_not_null())
    changed = pl.any_horizontal(
        *(pl.col(f).ne_missing(pl.col(f"_old_{f}")) for f in ELECTOR_FIELDS),
        pl.col("property_id").ne_missing(pl.col("_old_property_id")),
        pl.col("_old_status") != "current",
    )
    updated = seen.filter(changed)
    update_frame(
        connection,
        "electors",
        updated.select(
            pl.col("elector_id").alias("id"),
            *ELECTOR_FIELDS,
            "property_id",
            pl.lit("current").alias("status"),
            pl.lit(None, pl.Date).alias("left_on"),
            pl.lit(batch_id, pl.Int64).alias("last_import_id"),
            stamp.alias("updated_at"),
        ),
    )

    gone = known.filter(
        (pl.col("_old_status") == "current")
        & ~pl.col("elector_number").is_in(rows.get_column("elector_number").implode())
    )
    update_frame(
        connection,
        "electors",
        gone.select(
            pl.col("elector_id").alias("id"),
            pl.lit("left").alias("status"),
            pl.lit(today, pl.Date).alias("left_on"),
            stamp.alias("updated_at"),
        ),
    )
    ids = pl.concat(
        [
            new.select("row_number", "elector_id"),
            seen.select("row_number", "elector_id"),
        ]
    )
    rows = rows.drop("elector_id").join(
        ids, on="row_number", how="left", maintain_order="left"
    )
    return rows, new.height, updated.height, gone.height


def import_register(
    engine: Engine,
    path: Path,
    settings: Settings,
    *,
    actor: str,
    mapping_path: Path | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import a register export; all or nothing, and nothing twice."""
    today = today or date.today()
    table = read_source(path, _looks_like_register_header)
    mapping = (
        read_mapping_file(mapping_path, table.columns)
        if mapping_path
        else detect_mapping(table.columns)
    )
    has_number = "elector_number" in mapping.fields or (
        "polling_district" in mapping.fields and "roll_number" in mapping.fields
    )
    if not has_number or not ({"surname", "full_name"} & set(mapping.fields)):
        raise ImportNotPossible(
            f"{path.name} does not look like a register export: it needs an elector "
            "number and a surname column. The columns are: "
            + ", ".join(repr(c) for c in table.columns)
            + ". Describe its columns in a mapping file and pass --mapping."
        )

    prepared = prepare_rows(table, mapping, kind=KIND)
    if prepared.frame.is_empty():
        raise ImportNotPossible(
            f"{path.name} has no electors in it. A register export that empty would "
            "mark everyone as having left, so nothing was imported."
        )
    rejected = tuple(
        sorted([*prepared.rejected, *_duplicates(prepared)], key=lambda r: r.row)
    )
    if rejected:
        raise ImportRejected(path.name, rejected)

    report = ImportReport(KIND, path.name, rows_read=prepared.frame.height)
    digest = file_digest(path)
    with (
        contacts_checked_meanwhile(prepared, settings) as checking,
        transaction(engine) as session,
    ):
        connection = session.connection()
        earlier = previous_batch(connection, KIND, digest)
        if earlier is not None:
            report.batch_id, report.already_imported = earlier, True
            return report

        batch_id = start_batch(
            connection, kind=KIND, path=path, digest=digest, actor=actor
        )
        report.batch_id = batch_id
        rows, _ = _properties(connection, prepared.frame, batch_id)
        rows, created, updated, left = _electors(connection, rows, batch_id, today)
        report.records_created, report.records_updated = created, updated
        report.electors_left = left
        _contacts(session, rows, checking.result(), batch_id, today, report)

        finish_batch(connection, batch_id, report.counts())
        record_event(
            session,
            actor=actor,
            action="import.register",
            subject=f"import_batch:{batch_id}",
            counts=report.counts(),
            file_sha256=digest,
        )
    logger.info("register import %d done: %s", batch_id, report.counts())
    return report


def _contacts(
    session: Session,
    rows: pl.DataFrame,
    contacts: pl.DataFrame,
    batch_id: int,
    today: date,
    report: ImportReport,
) -> None:
    """Source records for rows that hold contacts, their observations, and the
    contact points they attach to their electors."""
    report.contacts_with_problems.update(
        contacts.drop_nulls("problem").get_column("problem").to_list()
    )
    kept = contacts.filter(pl.col("status") != "empty")
    statements = load_statements(session)
    connection = session.connection()
    holding = rows.filter(
        pl.col("row_number").is_in(kept.get_column("row_number").implode())
    )
    records = write_source_records(
        connection,
        holding,
        batch_id=batch_id,
        kind=KIND,
        extra=(
            statement_ids(statements, pl.col("collected_on")).alias(
                "privacy_statement_id"
            ),
            pl.col("elector_id"),
            pl.lit("elector_number").alias("link_method"),
            pl.lit(1.0).alias("link_probability"),
            pl.lit(now(), pl.Datetime("us", "UTC")).alias("linked_at"),
        ),
    )
    observations = kept.join(
        records.select(
            "row_number",
            pl.col("id").alias("source_record_id"),
            "elector_id",
            pl.col("collected_on").alias("observed_on"),
        ),
        on="row_number",
        how="inner",
    )
    attached, _, _ = attach_contact_points(connection, observations, today)
    insert_observations(connection, attached.drop("row_number", "elector_id"))
    report.contacts_accepted = kept.height
