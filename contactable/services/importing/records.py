"""``contactable import KIND FILE``: canvass responses, applications,
correspondence and council records, each row kept with where it came from.

Electoral sources record the ERO's privacy statement in force when they were
collected (rule 1). Local records go through the gate (rules 2 and 3): names
and addresses are always kept, contact details only where an agreement and a
covering notice allow; the rest are not stored, and are counted by reason.
Objected contacts never come back from a local record (rule 5).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine, select

from contactable.config import Settings
from contactable.governance.gate import (
    ELECTORAL_KINDS,
    LOCAL_KINDS,
    WithheldReason,
    gate_local_contacts,
)
from contactable.governance.values import value_hashes
from contactable.services.importing.common import (
    file_digest,
    finish_batch,
    insert_observations,
    load_agreements,
    load_notices,
    load_statements,
    previous_batch,
    read_source,
    start_batch,
    statement_ids,
    write_source_records,
)
from contactable.services.importing.contacts import (
    contacts_checked_meanwhile,
    stored_value,
)
from contactable.services.importing.report import (
    ImportNotPossible,
    ImportRejected,
    ImportReport,
)
from contactable.services.importing.rows import prepare_rows
from contactable.sources.mappings import detect_mapping, read_mapping_file
from contactable.store import Elector, Objection, Property, record_event, transaction
from contactable.store.bulk import read_frame

logger = logging.getLogger(__name__)

# The department a kind of local record belongs to when none is named.
DEFAULT_DEPARTMENTS = {
    "council-tax": "Council Tax",
    "customer-service": "Customer Services",
    "customer-records-index": "Customer Records Index",
}


def _looks_like_records_header(cells: list[str]) -> bool:
    mapping = detect_mapping(cells)
    return bool(
        {"surname", "full_name", "elector_number", "address_1", "postcode"}
        & set(mapping.fields)
    )


def _objected(
    connection: Connection, contacts: pl.DataFrame, rows: pl.DataFrame
) -> pl.Series:
    """Which contacts an elector has objected to: by the value itself, or by the
    person, found by elector number or by name at the same UPRN or address."""
    table = Objection.__table__
    active = read_frame(
        connection,
        select(table.c.elector_id, table.c.kind, table.c.value_hash).where(
            table.c.lifted_on.is_(None)
        ),
        {"elector_id": pl.Int64, "kind": pl.String, "value_hash": pl.String},
    )
    if active.is_empty() or contacts.is_empty():
        return pl.Series([False] * contacts.height)

    hashes = active.drop_nulls("value_hash").get_column("value_hash")
    by_value = contacts.select(
        value_hashes(pl.col("kind"), stored_value()).is_in(hashes.implode())
    ).to_series()

    electors, properties = Elector.__table__, Property.__table__
    people = read_frame(
        connection,
        select(
            electors.c.id,
            electors.c.elector_number,
            electors.c.name_key,
            properties.c.uprn,
            properties.c.address_key,
        )
        .select_from(electors.outerjoin(properties))
        .where(
            electors.c.id.in_(
                select(table.c.elector_id).where(table.c.lifted_on.is_(None))
            )
        ),
        {
            "elector_id": pl.Int64,
            "elector_number": pl.String,
            "name_key": pl.String,
            "uprn": pl.String,
            "address_key": pl.String,
        },
    ).join(active.drop("value_hash").unique(), on="elector_id")
    keyed = contacts.select("row_number", "kind").join(
        rows.select("row_number", "elector_number", "name_key", "uprn", "address_key"),
        on="row_number",
        how="left",
        maintain_order="left",
    )
    matches = pl.lit(False)
    for keys in (["elector_number"], ["name_key", "uprn"], ["name_key", "address_key"]):
        found = (
            people.drop_nulls(keys)
            .select(*keys, "kind")
            .unique()
            .with_columns(**{f"_hit_{'_'.join(keys)}": pl.lit(True)})
        )
        keyed = keyed.join(found, on=[*keys, "kind"], how="left", maintain_order="left")
        matches = matches | pl.col(f"_hit_{'_'.join(keys)}").fill_null(False)
    by_person = keyed.select(matches).to_series()
    return by_value | by_person


def _check_command(
    kind: str, department: str | None, collected_after: date | None
) -> str | None:
    if kind not in (*ELECTORAL_KINDS, *LOCAL_KINDS) or kind == "register":
        kinds = ", ".join(
            k for k in (*ELECTORAL_KINDS, *LOCAL_KINDS) if k != "register"
        )
        raise ImportNotPossible(
            f"{kind!r} is not a kind of source. Choose one of: {kinds}. "
            "Import the register with 'contactable register import'."
        )
    if kind in ELECTORAL_KINDS:
        if department or collected_after:
            raise ImportNotPossible(
                "--department and --collected-after are for council records; "
                f"{kind} is one of the ERO's own sources."
            )
        return None
    department = department or DEFAULT_DEPARTMENTS.get(kind)
    if not department:
        raise ImportNotPossible(
            f"Name the department that holds these {kind} records with --department."
        )
    return department


def import_records(
    engine: Engine,
    path: Path,
    settings: Settings,
    *,
    kind: str,
    actor: str,
    department: str | None = None,
    collected_after: date | None = None,
    mapping_path: Path | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import a file of one kind of source; all or nothing, and nothing twice."""
    today = today or date.today()
    department = _check_command(kind, department, collected_after)
    local = kind in LOCAL_KINDS
    table = read_source(path, _looks_like_records_header)
    mapping = (
        read_mapping_file(mapping_path, table.columns)
        if mapping_path
        else detect_mapping(table.columns)
    )
    prepared = prepare_rows(table, mapping, kind=kind)
    if prepared.frame.is_empty():
        raise ImportNotPossible(f"{path.name} has no rows to import.")
    if prepared.rejected:
        raise ImportRejected(path.name, prepared.rejected)

    rows = prepared.frame
    report = ImportReport(kind, path.name, rows_read=rows.height)
    digest = file_digest(path)
    with (
        contacts_checked_meanwhile(prepared, settings) as checking,
        transaction(engine) as session,
    ):
        connection = session.connection()
        earlier = previous_batch(connection, kind, digest)
        if earlier is not None:
            report.batch_id, report.already_imported = earlier, True
            return report

        batch_id = start_batch(
            connection,
            kind=kind,
            path=path,
            digest=digest,
            actor=actor,
            department=department,
            collected_after=collected_after,
        )
        report.batch_id = batch_id
        if local and department is not None:
            decided = gate_local_contacts(
                rows.get_column("collected_on"),
                department=department,
                kind=kind,
                import_date=today,
                collected_after=collected_after,
                agreements=load_agreements(session),
                notices=load_notices(session),
            )
            rows = pl.concat([rows, decided], how="horizontal")
            governance = [
                pl.col("agreement_id"),
                pl.col("notice_id").alias("privacy_notice_id"),
                pl.lit(None, pl.Int64).alias("privacy_statement_id"),
            ]
        else:
            statements = load_statements(session)
            governance = [
                statement_ids(statements, pl.col("collected_on")).alias(
                    "privacy_statement_id"
                )
            ]

        records = write_source_records(
            connection,
            rows,
            batch_id=batch_id,
            kind=kind,
            department=department,
            extra=governance,
        )
        report.records_created = records.height

        contacts = checking.result()
        report.contacts_with_problems.update(
            contacts.drop_nulls("problem").get_column("problem").to_list()
        )
        contacts = contacts.filter(pl.col("status") != "empty")
        if local:
            contacts = contacts.join(
                rows.select("row_number", "withheld"),
                on="row_number",
                how="left",
                maintain_order="left",
            ).with_columns(
                withheld=pl.when(
                    pl.col("withheld").is_null() & _objected(connection, contacts, rows)
                )
                .then(pl.lit(str(WithheldReason.OBJECTION)))
                .otherwise(pl.col("withheld"))
            )
            withheld = contacts.drop_nulls("withheld").group_by("withheld").len()
            for reason, count in withheld.rows():
                report.contacts_withheld[reason] += count
            # Rule 3: what fails the gate is not stored at all.
            contacts = contacts.filter(pl.col("withheld").is_null())
        observations = contacts.join(
            records.select(
                "row_number",
                pl.col("id").alias("source_record_id"),
                pl.col("collected_on").alias("observed_on"),
            ),
            on="row_number",
        )
        insert_observations(
            connection,
            observations.drop("row_number", *(["withheld"] if local else [])),
        )
        report.contacts_accepted = observations.height

        finish_batch(connection, batch_id, report.counts())
        record_event(
            session,
            actor=actor,
            action=f"import.{kind}",
            subject=f"import_batch:{batch_id}",
            counts=report.counts(),
            file_sha256=digest,
            details=(
                {
                    "department": department,
                    "collected_after": collected_after and collected_after.isoformat(),
                }
                if local
                else None
            ),
        )
    logger.info("%s import %d done: %s", kind, batch_id, report.counts())
    return report
