"""Which contact points may be used on a day (DESIGN.md, the rules).

A contact point may be used when it is valid, the elector has not objected to
the use of that kind of contact, and at least one sighting of it stands on a
lawful basis that day: an electoral source (rule 1), or a council record under a
data sharing agreement still active (rules 2 and 4).
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection, Select, and_, or_, select

from contactable.governance.gate import LOCAL_KINDS
from contactable.store import (
    ContactPoint,
    DataSharingAgreement,
    Objection,
    Observation,
    SourceRecord,
)
from contactable.store.bulk import read_frame

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


def _lawfully_seen(day: date) -> Select[int | None]:
    """The contact points seen at least once on a lawful basis on ``day``."""
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
    active = select(DataSharingAgreement.id).where(agreement_active)
    return (
        select(Observation.contact_point_id)
        .join(SourceRecord, SourceRecord.id == Observation.source_record_id)
        .where(
            Observation.contact_point_id.is_not(None),
            or_(
                SourceRecord.kind.not_in(LOCAL_KINDS),
                SourceRecord.agreement_id.in_(active),
            ),
        )
    )


def _objected() -> Select[int]:
    """The contact points of a kind their elector has objected to."""
    return select(ContactPoint.id).join(
        Objection,
        and_(
            Objection.elector_id == ContactPoint.elector_id,
            Objection.kind == ContactPoint.kind,
            Objection.lifted_on.is_(None),
        ),
    )


def usable_contacts(connection: Connection, day: date) -> pl.DataFrame:
    """Every contact point that may be used on ``day``, whether or not deliverable."""
    # Set membership rather than a correlated EXISTS per contact point: both
    # databases then read each table once (about twice as fast on SQLite).
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
        ContactPoint.id.in_(_lawfully_seen(day)),
        ContactPoint.id.not_in(_objected()),
    )
    return read_frame(connection, query, USABLE_COLUMNS)
