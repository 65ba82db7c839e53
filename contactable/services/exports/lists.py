"""The lists that go out: Notify recipients, the paper follow-up, and EMS updates.

Every list holds only contacts that may lawfully be used on the day
(``governance.usability``), that no delivery has shown to fail, and that the
elector has not objected to; each is audited and written readable by its owner
only, and safe to open in a spreadsheet while Notify and the EMS still read
every value (``sources.write_table``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from contactable.checks.display import display_phone_number
from contactable.governance.usability import usable_contacts
from contactable.linkage.preference import contact_candidates, preferred_contacts
from contactable.services.importing.common import file_digest
from contactable.sources import write_table
from contactable.store import (
    ContactPoint,
    Elector,
    Observation,
    Property,
    SourceRecord,
    record_event,
)
from contactable.store.bulk import read_frame

NOTIFY_FILE_ROWS = 100_000
NOTIFY_COLUMNS = {"email": "email address", "sms": "phone number"}


@dataclass(frozen=True)
class ExportResult:
    """The files an export wrote and how many rows they hold."""

    files: tuple[Path, ...]
    rows: int


def _electors(connection: Connection) -> pl.DataFrame:
    electors, properties = Elector.__table__, Property.__table__
    return read_frame(
        connection,
        select(
            electors.c.id,
            electors.c.elector_number,
            electors.c.forename,
            electors.c.surname,
            electors.c.property_id,
            properties.c.address_1,
            properties.c.address_2,
            properties.c.address_3,
            properties.c.postcode,
        )
        .select_from(electors.outerjoin(properties))
        .where(electors.c.status == "current"),
        {
            "elector_id": pl.Int64,
            "elector_number": pl.String,
            "forename": pl.String,
            "surname": pl.String,
            "property_id": pl.Int64,
            "address_1": pl.String,
            "address_2": pl.String,
            "address_3": pl.String,
            "postcode": pl.String,
        },
    ).with_columns(
        name=pl.concat_str(["forename", "surname"], separator=" ", ignore_nulls=True),
        address=pl.concat_str(
            ["address_1", "address_2", "address_3"], separator=", ", ignore_nulls=True
        ),
    )


def sendable_contacts(connection: Connection, day: date) -> pl.DataFrame:
    """Every contact that may be used on ``day`` and has not failed, with whether
    it is its elector's preferred one of its kind."""
    lawful = usable_contacts(connection, day).filter(
        pl.col("deliverability") != "undeliverable"
    )
    ranked = preferred_contacts(
        contact_candidates(connection).filter(
            pl.col("contact_point_id").is_in(lawful["contact_point_id"].implode())
        )
    )
    return lawful.join(
        ranked.select("contact_point_id", "preferred"),
        on="contact_point_id",
        how="left",
    ).with_columns(pl.col("preferred").fill_null(False))


def _channel(contacts: pl.DataFrame, channel: str) -> pl.DataFrame:
    if channel == "email":
        return contacts.filter(pl.col("kind") == "email")
    # Texts go only to British mobiles: Notify sends abroad, and to the Crown
    # dependencies, only for services that have asked for it.
    return contacts.filter(
        (pl.col("kind") == "phone")
        & (pl.col("phone_type") == "mobile")
        & pl.col("phone_region").is_null()
    )


def _split_paths(out: Path, parts: int) -> list[Path]:
    if parts <= 1:
        return [out]
    return [out.with_name(f"{out.stem}-{n}{out.suffix}") for n in range(1, parts + 1)]


def _write_parts(frame: pl.DataFrame, out: Path) -> tuple[Path, ...]:
    parts = max(1, -(-frame.height // NOTIFY_FILE_ROWS))
    paths = _split_paths(out, parts)
    for number, path in enumerate(paths):
        write_table(frame.slice(number * NOTIFY_FILE_ROWS, NOTIFY_FILE_ROWS), path)
    return tuple(paths)


def export_recipients(
    session: Session,
    out: Path,
    *,
    channel: str,
    per: str,
    day: date,
    actor: str,
) -> ExportResult:
    """A file ready for Notify's bulk upload: the address or number, then name,
    address and elector number as personalisation."""
    connection = session.connection()
    contacts = _channel(sendable_contacts(connection, day), channel)
    electors = _electors(connection)
    column = NOTIFY_COLUMNS[channel]
    joined = contacts.join(electors, on="elector_id", how="inner")
    if per == "elector":
        chosen = joined.filter(pl.col("preferred")).sort("elector_number")
        frame = chosen.select(
            pl.col("value").alias(column),
            "name",
            "address",
            "postcode",
            pl.col("elector_number").alias("elector number"),
        )
    else:
        # A property's e-communication may use every usable contact of its
        # electors; a value shared by several of them is sent to once.
        grouped = (
            joined.sort("elector_number")
            .group_by("property_id", "value", maintain_order=True)
            .agg(
                pl.col("name").str.join(" and "),
                pl.col("address").first(),
                pl.col("postcode").first(),
                pl.col("elector_number").str.join("; "),
            )
        )
        frame = grouped.select(
            pl.col("value").alias(column),
            "name",
            "address",
            "postcode",
            pl.col("elector_number").alias("elector number"),
        )
    files = _write_parts(frame, out)
    record_event(
        session,
        actor=actor,
        action="export.recipients",
        counts={"rows": frame.height, "files": len(files)},
        file_sha256=file_digest(files[0]),
        details={"channel": channel, "per": per, "day": day.isoformat()},
    )
    return ExportResult(files, frame.height)


def export_follow_up(
    session: Session, out: Path, *, day: date, actor: str
) -> ExportResult:
    """Electors the paper form must go to: their e-communication failed, or they
    have no contact that may be used."""
    connection = session.connection()
    contacts = sendable_contacts(connection, day)
    electors = _electors(connection)
    reachable = (
        contacts.select("elector_id").unique().with_columns(reachable=pl.lit(True))
    )
    failed = read_frame(
        connection,
        select(Elector.id).where(
            Elector.contact_points.any(deliverability="undeliverable")
        ),
        {"elector_id": pl.Int64},
    ).with_columns(failed=pl.lit(True))
    frame = (
        electors.join(reachable, on="elector_id", how="left")
        .join(failed, on="elector_id", how="left")
        .filter(pl.col("reachable").is_null() | pl.col("failed").fill_null(False))
        .with_columns(
            reason=pl.when(pl.col("reachable").is_null() & pl.col("failed").is_null())
            .then(pl.lit("no usable contact"))
            .when(pl.col("reachable").is_null())
            .then(pl.lit("e-communication failed; no other contact"))
            .otherwise(pl.lit("e-communication failed"))
        )
        .sort("elector_number")
        .select(
            pl.col("elector_number").alias("Elector Number"),
            pl.col("name").alias("Name"),
            pl.col("address").alias("Address"),
            pl.col("postcode").alias("Postcode"),
            pl.col("reason").alias("Reason"),
        )
    )
    write_table(frame, out)
    record_event(
        session,
        actor=actor,
        action="export.follow_up",
        counts={"rows": frame.height},
        file_sha256=file_digest(out),
    )
    return ExportResult((out,), frame.height)


def export_ems_update(
    session: Session, out: Path, *, day: date, actor: str
) -> ExportResult:
    """Corrected and new contact details per elector number, for the EMS to take
    in: each elector's preferred usable email and phone where the EMS does not
    already hold them."""
    connection = session.connection()
    contacts = sendable_contacts(connection, day).filter(pl.col("preferred"))
    register = _register_values(connection)
    new = contacts.join(register, on=["elector_id", "kind", "value"], how="anti")
    electors = _electors(connection).select("elector_id", "elector_number")
    wide = (
        new.join(electors, on="elector_id")
        .with_columns(
            shown=pl.when(pl.col("kind") == "phone")
            .then(
                pl.col("value").map_elements(
                    display_phone_number, return_dtype=pl.String
                )
            )
            .otherwise(pl.col("value"))
        )
        .pivot(
            on="kind",
            index="elector_number",
            values="shown",
            aggregate_function="first",
        )
    )
    for kind in ("email", "phone"):
        if kind not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.String).alias(kind))
    frame = wide.sort("elector_number").select(
        pl.col("elector_number").alias("Elector Number"),
        pl.col("email").alias("Email"),
        pl.col("phone").alias("Phone"),
    )
    write_table(frame, out)
    record_event(
        session,
        actor=actor,
        action="export.ems_update",
        counts={"rows": frame.height},
        file_sha256=file_digest(out),
    )
    return ExportResult((out,), frame.height)


def _register_values(connection: Connection) -> pl.DataFrame:
    """The values each elector's register rows already carry in the EMS."""
    rows = connection.execute(
        select(ContactPoint.elector_id, ContactPoint.kind, ContactPoint.value)
        .join(Observation, Observation.contact_point_id == ContactPoint.id)
        .join(SourceRecord, SourceRecord.id == Observation.source_record_id)
        .where(SourceRecord.kind == "register")
        .distinct()
    ).all()
    return pl.DataFrame(
        [tuple(r) for r in rows],
        schema={"elector_id": pl.Int64, "kind": pl.String, "value": pl.String},
        orient="row",
    )
