"""``contactable export potential-electors OUT``: people in council records
who match no elector, for the ERO to invite to register.

From a council record the ERO may take a name and an address, never a
contact detail that failed the gate (DESIGN.md, rule 2), so the file holds
the name, the address, the UPRN, where the record came from and its
reference, and nothing more.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, select

from contactable.sources import write_table
from contactable.store import SourceRecord, record_event, transaction
from contactable.store.bulk import read_frame
from contactable.store.schema_constants import LOCAL_RECORD_KINDS

logger = logging.getLogger(__name__)

# The file's columns, in order, and the record's field for each.
COLUMNS = {
    "Title": "title",
    "Forename": "forename",
    "Middle Names": "middle_names",
    "Surname": "surname",
    "Address 1": "address_1",
    "Address 2": "address_2",
    "Address 3": "address_3",
    "Address 4": "address_4",
    "Address 5": "address_5",
    "Postcode": "postcode",
    "UPRN": "uprn",
    "Source": "kind",
    "Department": "department",
    "Document Reference": "document_reference",
}


@dataclass(frozen=True)
class PotentialElectorsExport:
    """Where the export went and how many people it lists."""

    path: Path
    people: int


def export_potential_electors(
    engine: Engine, path: Path, *, actor: str
) -> PotentialElectorsExport:
    """Write the potential electors to ``path`` (.csv or .xlsx), readable by its
    owner only; the export is audited with its count."""
    table = SourceRecord.__table__
    statement = (
        select(*(table.c[field] for field in COLUMNS.values()))
        .where(
            table.c.is_potential_elector.is_(True),
            table.c.kind.in_(LOCAL_RECORD_KINDS),
        )
        .order_by(table.c.postcode, table.c.address_1, table.c.surname, table.c.id)
    )
    with transaction(engine) as session:
        people = read_frame(
            session.connection(), statement, dict.fromkeys(COLUMNS, pl.String)
        )
        write_table(people, path, sheet_name="Potential electors")
        record_event(
            session,
            actor=actor,
            action="export.potential_electors",
            counts={"people": people.height},
            details={"format": path.suffix.lower().lstrip(".")},
        )
    logger.info("exported %d potential electors", people.height)
    return PotentialElectorsExport(path, people.height)
