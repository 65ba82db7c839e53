"""The report's figures, counted in the database or on narrow columns in Polars.

Which contacts may be used is ``usable_contacts``'s answer, never worked out
again here. Everything else is read in a few passes of integer and code
columns, one of them over every observation, and counted in Polars, or counted
by the database where the rows are few. No contact value is read, but for the
one column ``usable_contacts`` returns, which is dropped as it arrives.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl
from sqlalchemy import Connection, case, distinct, func, select

from contactable.governance.gate import ELECTORAL_KINDS
from contactable.governance.usability import usable_contacts
from contactable.store import (
    ContactPoint,
    DataSharingAgreement,
    DeliveryEvent,
    Elector,
    ImportBatch,
    Observation,
    Property,
    SourceRecord,
)
from contactable.store.bulk import read_frame
from contactable.store.schema_constants import (
    CHECK_STATUSES,
    CONTACT_KINDS,
    ELECTORAL_SOURCE_KINDS,
    IMPORT_KINDS,
)

logger = logging.getLogger(__name__)

# Shown for electors the register holds without an address, and for properties
# with no polling district.
NO_DISTRICT = "(none)"

# DESIGN.md, Compliance: agreements that end this soon after the report day are
# listed, so that the ERO can renew them before their contacts drop out.
AGREEMENT_NOTICE_DAYS = 60

COVERAGE_COLUMNS = (
    "electors",
    "electors_with_email",
    "electors_with_mobile",
    "electors_with_either",
    "properties",
    "properties_with_email",
    "properties_with_mobile",
    "properties_with_either",
)


@dataclass(frozen=True, slots=True)
class Coverage:
    """Current electors and their properties, and how many can be reached."""

    electors: int
    electors_with_email: int
    electors_with_mobile: int
    electors_with_either: int
    properties: int
    properties_with_email: int
    properties_with_mobile: int
    properties_with_either: int


@dataclass(frozen=True, slots=True)
class AgreementFigures:
    """An agreement that ends soon after the report day, or has ended already,
    and the stored contacts seen in records disclosed under it.

    ``last_day`` is the last day it is (or was) in force. ``seen`` counts the
    stored contacts seen under it; ``usable`` those of them usable on the report
    day; ``resting_only`` those seen under it and nowhere else, which stop being
    usable when it ends and are then due for purge (DESIGN.md, rule 4).
    """

    reference: str
    department: str
    record_kinds: tuple[str, ...]
    starts_on: date
    ends_on: date | None
    revoked_on: date | None
    last_day: date
    ended: bool
    seen: int
    usable: int
    resting_only: int


@dataclass(frozen=True, slots=True)
class ReportFigures:
    """Every figure in the report, for one day.

    The frames' columns are described where they are made; none holds a
    contact value.
    """

    day: date
    coverage: Coverage
    # polling_district and COVERAGE_COLUMNS.
    districts: pl.DataFrame
    # source_kind, emails, mobiles, electors_with_email, electors_with_mobile,
    # properties_with_email, properties_with_mobile.
    sources: pl.DataFrame
    # problem, contact_kind, source_kind, sightings.
    problems: pl.DataFrame
    # source_kind, status, sightings.
    statuses: pl.DataFrame
    # department, batch_kind, reason, contacts.
    withheld: pl.DataFrame
    # source_kind, contact_kind, sightings, contact_points.
    unstated: pl.DataFrame
    # elector_number, emails, phones, sources, first_collected, last_collected.
    unstated_electors: pl.DataFrame
    agreements: tuple[AgreementFigures, ...]
    # channel, status, permanent, events, contact_points.
    deliveries: pl.DataFrame
    # contact_kind, stored, usable.
    undeliverable: pl.DataFrame


def gather_figures(connection: Connection, day: date) -> ReportFigures:
    """Work out every figure of the report for ``day``, reading through
    ``connection``."""
    usable = _usable(connection, day)
    electors = _current_electors(connection)
    reachable = _reachable(usable, electors)
    seen = _observations(connection)
    sightings = (
        seen.drop_nulls("contact_point_id")
        .select("contact_point_id", "source_kind", "agreement_id")
        .unique()
    )
    figures = ReportFigures(
        day=day,
        coverage=Coverage(**_coverage(reachable, []).row(0, named=True)),
        districts=_coverage(reachable, ["polling_district"]).sort(
            pl.col("polling_district") == NO_DISTRICT, "polling_district"
        ),
        sources=_sources(usable, electors, sightings),
        problems=_problems(seen),
        statuses=_statuses(seen),
        withheld=_withheld(connection),
        unstated=_unstated(seen),
        unstated_electors=_unstated_electors(connection),
        agreements=_agreements(connection, day, usable, sightings),
        deliveries=_deliveries(connection),
        undeliverable=_undeliverable(connection, usable, electors),
    )
    logger.info(
        "report figures for %s: %d electors, %d districts, %d unstated electors",
        day.isoformat(),
        figures.coverage.electors,
        figures.districts.height,
        figures.unstated_electors.height,
    )
    return figures


def _usable(connection: Connection, day: date) -> pl.DataFrame:
    """``usable_contacts`` without the value, the one column no figure needs."""
    return usable_contacts(connection, day).select(
        "contact_point_id", "elector_id", "kind", "phone_type", "deliverability"
    )


def _current_electors(connection: Connection) -> pl.DataFrame:
    """elector_id, property_id and polling_district of each current elector."""
    statement = (
        select(Elector.id, Elector.property_id, Property.polling_district)
        .select_from(Elector)
        .outerjoin(Property, Property.id == Elector.property_id)
        .where(Elector.status == "current")
    )
    electors = read_frame(
        connection,
        statement,
        {
            "elector_id": pl.Int64,
            "property_id": pl.Int64,
            "polling_district": pl.String,
        },
    )
    return electors.with_columns(pl.col("polling_district").fill_null(NO_DISTRICT))


def _channel(usable: pl.DataFrame) -> pl.DataFrame:
    """The usable contacts a message could reach today, each with its channel:
    email, or mobile for texts (GOV.UK Notify sends texts to mobiles only)."""
    return usable.filter(pl.col("deliverability") != "undeliverable").select(
        "contact_point_id",
        "elector_id",
        pl.when(pl.col("kind") == "email")
        .then(pl.lit("email"))
        .when(pl.col("phone_type") == "mobile")
        .then(pl.lit("mobile"))
        .alias("channel"),
    )


def _reachable(usable: pl.DataFrame, electors: pl.DataFrame) -> pl.DataFrame:
    """Each current elector with whether they have a usable email and mobile."""
    per_elector = (
        _channel(usable)
        .group_by("elector_id")
        .agg(
            email=(pl.col("channel") == "email").any(),
            mobile=(pl.col("channel") == "mobile").any(),
        )
    )
    return electors.join(per_elector, on="elector_id", how="left").with_columns(
        pl.col("email", "mobile").fill_null(False)
    )


def _coverage(reachable: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """COVERAGE_COLUMNS for each group of ``by`` (one row for all when empty).

    A property counts as reachable by email when any current elector there has
    a usable email.
    """
    keys = by or ["_all"]
    frame = reachable.with_columns(_all=pl.lit(True)) if not by else reachable
    either = pl.col("email") | pl.col("mobile")
    people = frame.group_by(keys).agg(
        electors=pl.len(),
        electors_with_email=pl.col("email").sum(),
        electors_with_mobile=pl.col("mobile").sum(),
        electors_with_either=either.sum(),
    )
    homes = (
        frame.drop_nulls("property_id")
        .group_by([*keys, "property_id"])
        .agg(pl.col("email").any(), pl.col("mobile").any())
        .group_by(keys)
        .agg(
            properties=pl.len(),
            properties_with_email=pl.col("email").sum(),
            properties_with_mobile=pl.col("mobile").sum(),
            properties_with_either=either.sum(),
        )
    )
    counts = [pl.col(c).fill_null(0).cast(pl.Int64) for c in COVERAGE_COLUMNS]
    found = people.join(homes, on=keys, how="left").select(*by, *counts)
    if not by and found.is_empty():
        # With no electors at all there is still one row, of noughts.
        return pl.DataFrame({c: [0] for c in COVERAGE_COLUMNS}).cast(pl.Int64)
    return found


def _code(column: Any, values: tuple[str, ...]) -> Any:
    """A column's place in ``values``: its check constraint allows no other."""
    return case({value: place for place, value in enumerate(values)}, value=column)


def _decoded(place: pl.Expr, values: tuple[str, ...]) -> pl.Expr:
    return place.replace_strict(dict(enumerate(values)), return_dtype=pl.String)


def _observations(connection: Connection) -> pl.DataFrame:
    """Every sighting of a contact: contact_point_id, contact_kind, status,
    problem, source_kind, agreement_id, and unstated (from an electoral source
    or the register, with no privacy statement recorded).

    One pass feeds the quality, compliance and provenance figures alike, counted
    in Polars; a GROUP BY apiece took longer on SQLite. Reading two million
    rows costs more per column than per value, so the source's kind, the check
    status and the contact's kind come as one number, and what made the
    contact lawful to take as another: the agreement's id, -1 for a privacy
    statement, or nothing.
    """
    # code = (kind * statuses + status) * contact kinds + contact kind.
    statuses, contacts = len(CHECK_STATUSES), len(CONTACT_KINDS)
    code = (
        _code(SourceRecord.kind, IMPORT_KINDS) * statuses
        + _code(Observation.status, CHECK_STATUSES)
    ) * contacts + _code(Observation.kind, CONTACT_KINDS)
    basis = case(
        (SourceRecord.agreement_id.is_not(None), SourceRecord.agreement_id),
        (SourceRecord.privacy_statement_id.is_not(None), -1),
    )
    statement = (
        select(
            Observation.contact_point_id,
            code.label("code"),
            Observation.problem,
            basis.label("basis"),
        )
        .select_from(Observation)
        .join(SourceRecord, SourceRecord.id == Observation.source_record_id)
    )
    coded = read_frame(
        connection,
        statement,
        {
            "contact_point_id": pl.Int64,
            "code": pl.Int64,
            "problem": pl.String,
            "basis": pl.Int64,
        },
    )
    kind = pl.col("code") // (statuses * contacts)
    return coded.select(
        "contact_point_id",
        _decoded(pl.col("code") % contacts, CONTACT_KINDS).alias("contact_kind"),
        _decoded(pl.col("code") // contacts % statuses, CHECK_STATUSES).alias("status"),
        _decoded(kind, IMPORT_KINDS).alias("source_kind"),
        "problem",
        pl.when(pl.col("basis") > 0).then(pl.col("basis")).alias("agreement_id"),
        (
            pl.col("basis").is_null()
            & kind.is_in([IMPORT_KINDS.index(k) for k in ELECTORAL_KINDS])
        ).alias("unstated"),
    )


def _kind_order(column: str) -> pl.Expr:
    order = {kind: place for place, kind in enumerate(IMPORT_KINDS)}
    return pl.col(column).replace_strict(
        order, default=len(order), return_dtype=pl.Int64
    )


def _sources(
    usable: pl.DataFrame, electors: pl.DataFrame, sightings: pl.DataFrame
) -> pl.DataFrame:
    """For each kind of source, the usable contacts of current electors seen in
    it, and the electors and properties they reach."""
    kinds = sightings.select(pl.col("source_kind").unique())
    seen = (
        _channel(usable)
        .drop_nulls("channel")
        .join(electors.select("elector_id", "property_id"), on="elector_id")
        .join(
            sightings.select("contact_point_id", "source_kind").unique(),
            on="contact_point_id",
        )
    )
    email, mobile = pl.col("channel") == "email", pl.col("channel") == "mobile"
    counted = seen.group_by("source_kind").agg(
        emails=email.sum(),
        mobiles=mobile.sum(),
        electors_with_email=pl.col("elector_id").filter(email).n_unique(),
        electors_with_mobile=pl.col("elector_id").filter(mobile).n_unique(),
        properties_with_email=pl.col("property_id")
        .filter(email)
        .drop_nulls()
        .n_unique(),
        properties_with_mobile=pl.col("property_id")
        .filter(mobile)
        .drop_nulls()
        .n_unique(),
    )
    return (
        kinds.join(counted, on="source_kind", how="left")
        .with_columns(pl.exclude("source_kind").fill_null(0).cast(pl.Int64))
        .sort(_kind_order("source_kind"), "source_kind")
    )


def _problems(seen: pl.DataFrame) -> pl.DataFrame:
    return (
        seen.drop_nulls("problem")
        .group_by("problem", "contact_kind", "source_kind")
        .agg(sightings=pl.len().cast(pl.Int64))
        .sort("problem", "contact_kind", _kind_order("source_kind"))
    )


def _statuses(seen: pl.DataFrame) -> pl.DataFrame:
    return (
        seen.group_by("source_kind", "status")
        .agg(sightings=pl.len().cast(pl.Int64))
        .sort(_kind_order("source_kind"), "status")
    )


def _withheld(connection: Connection) -> pl.DataFrame:
    """Contacts the gate withheld, summed from each import batch's counts."""
    batches = connection.execute(
        select(ImportBatch.department, ImportBatch.kind, ImportBatch.counts)
    ).all()
    rows: dict[tuple[str, str, str], int] = {}
    for department, kind, counts in batches:
        withheld = counts.get("contacts_withheld") if isinstance(counts, dict) else None
        for reason, count in (withheld or {}).items():
            if isinstance(count, int) and count:
                key = (department or "", kind, str(reason))
                rows[key] = rows.get(key, 0) + count
    return pl.DataFrame(
        [(*key, count) for key, count in sorted(rows.items())],
        schema={
            "department": pl.String,
            "batch_kind": pl.String,
            "reason": pl.String,
            "contacts": pl.Int64,
        },
        orient="row",
    )


def _unstated(seen: pl.DataFrame) -> pl.DataFrame:
    """Sightings from electoral sources and the register with no privacy
    statement recorded, and the contacts they are of."""
    return (
        seen.filter(pl.col("unstated"))
        .group_by("source_kind", "contact_kind")
        .agg(
            sightings=pl.len().cast(pl.Int64),
            contact_points=pl.col("contact_point_id").drop_nulls().n_unique(),
        )
        .with_columns(pl.col("contact_points").cast(pl.Int64))
        .sort(_kind_order("source_kind"), "contact_kind")
    )


def _unstated_electors(connection: Connection) -> pl.DataFrame:
    """Each elector with a contact from an electoral source (not the register)
    that has no privacy statement recorded, by elector number."""
    number = func.coalesce(Elector.elector_number, SourceRecord.elector_number)
    email = func.count(case((Observation.kind == "email", 1)))
    phone = func.count(case((Observation.kind == "phone", 1)))
    statement = (
        select(
            number,
            SourceRecord.kind,
            email,
            phone,
            func.min(SourceRecord.collected_on),
            func.max(SourceRecord.collected_on),
        )
        .select_from(Observation)
        .join(SourceRecord, SourceRecord.id == Observation.source_record_id)
        .outerjoin(ContactPoint, ContactPoint.id == Observation.contact_point_id)
        .outerjoin(Elector, Elector.id == ContactPoint.elector_id)
        .where(
            SourceRecord.kind.in_(ELECTORAL_SOURCE_KINDS),
            SourceRecord.privacy_statement_id.is_(None),
            number.is_not(None),
        )
        .group_by(number, SourceRecord.kind)
    )
    found = read_frame(
        connection,
        statement,
        {
            "elector_number": pl.String,
            "source_kind": pl.String,
            "emails": pl.Int64,
            "phones": pl.Int64,
            "first_collected": pl.Date,
            "last_collected": pl.Date,
        },
    )
    return (
        found.sort(_kind_order("source_kind"))
        .group_by("elector_number", maintain_order=True)
        .agg(
            pl.col("emails").sum(),
            pl.col("phones").sum(),
            pl.col("source_kind").str.join(", ").alias("sources"),
            pl.col("first_collected").min(),
            pl.col("last_collected").max(),
        )
        .sort("elector_number")
    )


def _last_day(ends_on: date | None, revoked_on: date | None) -> date | None:
    """The last day an agreement is in force: its end, or the day before its
    revocation takes effect (as ``Agreement.active_on`` has it)."""
    days = [ends_on, revoked_on - timedelta(days=1) if revoked_on else None]
    known = [d for d in days if d is not None]
    return min(known) if known else None


def _agreements(
    connection: Connection, day: date, usable: pl.DataFrame, sightings: pl.DataFrame
) -> tuple[AgreementFigures, ...]:
    """Agreements ending within AGREEMENT_NOTICE_DAYS of ``day``, and ended ones
    that stored contacts were seen under."""
    under = (
        sightings.drop_nulls("agreement_id")
        .select("contact_point_id", "agreement_id")
        .unique()
    )
    # A contact rests on one agreement alone when every source that saw it was
    # a record disclosed under that agreement (as retention judges it).
    alone = (
        sightings.group_by("contact_point_id")
        .agg(
            pl.col("agreement_id").null_count().alias("_others"),
            pl.col("agreement_id").n_unique().alias("_agreements"),
            pl.col("agreement_id").first(),
        )
        .filter((pl.col("_others") == 0) & (pl.col("_agreements") == 1))
        .group_by("agreement_id")
        .len("resting_only")
    )
    seen = under.group_by("agreement_id").len("seen")
    usable_seen = (
        under.join(usable.select("contact_point_id"), on="contact_point_id")
        .group_by("agreement_id")
        .len("usable")
    )
    counts = {
        agreement_id: row
        for agreement_id, *row in seen.join(usable_seen, on="agreement_id", how="left")
        .join(alone, on="agreement_id", how="left")
        .fill_null(0)
        .select("agreement_id", "seen", "usable", "resting_only")
        .iter_rows()
    }

    found = []
    horizon = day + timedelta(days=AGREEMENT_NOTICE_DAYS)
    table = DataSharingAgreement.__table__
    for agreement in connection.execute(select(table)).all():
        last_day = _last_day(agreement.ends_on, agreement.revoked_on)
        seen_count, usable_count, only = counts.get(agreement.id, (0, 0, 0))
        ended = last_day is not None and last_day < day
        if last_day is None or last_day > horizon or (ended and not seen_count):
            continue
        found.append(
            AgreementFigures(
                reference=agreement.reference,
                department=agreement.department,
                record_kinds=tuple(agreement.record_kinds),
                starts_on=agreement.starts_on,
                ends_on=agreement.ends_on,
                revoked_on=agreement.revoked_on,
                last_day=last_day,
                ended=ended,
                seen=seen_count,
                usable=usable_count,
                resting_only=only,
            )
        )
    return tuple(sorted(found, key=lambda a: (a.last_day, a.department, a.reference)))


def _deliveries(connection: Connection) -> pl.DataFrame:
    statement = select(
        DeliveryEvent.channel,
        DeliveryEvent.status,
        DeliveryEvent.permanent,
        func.count(),
        func.count(distinct(DeliveryEvent.contact_point_id)),
    ).group_by(DeliveryEvent.channel, DeliveryEvent.status, DeliveryEvent.permanent)
    found = read_frame(
        connection,
        statement,
        {
            "channel": pl.String,
            "status": pl.String,
            "permanent": pl.Boolean,
            "events": pl.Int64,
            "contact_points": pl.Int64,
        },
    )
    return found.sort("channel", "status", "permanent")


def _undeliverable(
    connection: Connection, usable: pl.DataFrame, electors: pl.DataFrame
) -> pl.DataFrame:
    """Contacts now undeliverable, by kind: every one stored, and those that
    current electors could lawfully be sent to if they worked."""
    # Counted without GROUP BY: SQLite would walk the (kind, value) index for it,
    # visiting every row out of order, ten times slower than one scan.
    statement = select(
        *(func.count(case((ContactPoint.kind == kind, 1))) for kind in CONTACT_KINDS)
    ).where(ContactPoint.deliverability == "undeliverable")
    stored = pl.DataFrame(
        {
            "contact_kind": list(CONTACT_KINDS),
            "stored": list(connection.execute(statement).one()),
        },
        schema={"contact_kind": pl.String, "stored": pl.Int64},
    )
    lawful = (
        usable.filter(pl.col("deliverability") == "undeliverable")
        .join(electors.select("elector_id"), on="elector_id")
        .group_by(pl.col("kind").alias("contact_kind"))
        .agg(usable=pl.len().cast(pl.Int64))
    )
    return stored.join(lawful, on="contact_kind", how="left").with_columns(
        pl.col("usable").fill_null(0)
    )
