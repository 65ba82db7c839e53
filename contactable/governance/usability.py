"""Which contact points may be used on a day (DESIGN.md, the rules).

A contact point may be used when it is valid, the elector has not objected to
the use of that kind of contact, and at least one sighting of it stands on a
lawful basis that day: an electoral source (rule 1), or a council record under a
data sharing agreement still active (rules 2 and 4).
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection, and_, exists, or_, select

from contactable.governance.gate import LOCAL_KINDS
from contactable.store import (
    ContactPoint,
    DataSharingAgreement,
    Objection,
    Observation,
    SourceRecord,
)

USABLE_COLUMNS = {
    "contact_point_id": pl.Int64,
    "elector_id": pl.Int64,
    "kind": pl.String,
    "value": pl.String,
    "phone_type": pl.String,
    "phone_region": pl.String,
    "deliverability": pl.String,
    "last_seen_on": pl.Date,
}


def _lawful_sighting(day: date) -> object:
    agreement_active = and_(
        DataSharingAgreement.starts_on <= day,
        or_(
            DataSharingAgreement.ends_on.is_(None), DataSharingAgreement.ends_on >= day
        ),
        or_(
            DataSharingAgreement.revoked_on.is_(None),
            DataSharingAgreement.revoked_on > day,
        ),
    )
    return (
        exists()
        .where(
            Observation.contact_point_id == ContactPoint.id,
            SourceRecord.id == Observation.source_record_id,
        )
        .where(
            or_(
                SourceRecord.kind.not_in(LOCAL_KINDS),
                exists().where(
                    DataSharingAgreement.id == SourceRecord.agreement_id,
                    agreement_active,
                ),
            )
        )
    )


def _objected() -> object:
    return exists().where(
        Objection.elector_id == ContactPoint.elector_id,
        Objection.kind == ContactPoint.kind,
        Objection.lifted_on.is_(None),
    )


def usable_contacts(connection: Connection, day: date) -> pl.DataFrame:
    """Every contact point that may be used on ``day``, whether or not deliverable."""
    query = select(
        ContactPoint.id,
        ContactPoint.elector_id,
        ContactPoint.kind,
        ContactPoint.value,
        ContactPoint.phone_type,
        ContactPoint.phone_region,
        ContactPoint.deliverability,
        ContactPoint.last_seen_on,
    ).where(
        ContactPoint.status == "ok",
        _lawful_sighting(day),  # type: ignore[arg-type]
        ~_objected(),  # type: ignore[operator]
    )
    rows = connection.execute(query).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=USABLE_COLUMNS, orient="row")
