"""The lawful-use gate: whether a contact detail may be taken from a record.

The rules are DESIGN.md's, from the Electoral Commission's guidance: contact
details the ERO collected directly may be used, with the privacy statement in
force when they were collected (rule 1). From a council department's records an
email address or phone number may be taken only when a data sharing agreement
covering contact details is active on the import date, and a privacy notice that
told people their details may go to the ERO was in effect when the council
collected them; an unknown collection date is covered only by the importer's
attestation of the date after which all the file's details were collected
(rule 2). What fails the gate is not stored at all (rule 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import polars as pl

from contactable.store.schema_constants import (
    ELECTORAL_SOURCE_KINDS,
    LOCAL_RECORD_KINDS,
)

# The register export is the EMS's record of what electors told the ERO.
ELECTORAL_KINDS = ("register", *ELECTORAL_SOURCE_KINDS)
LOCAL_KINDS = LOCAL_RECORD_KINDS


class WithheldReason(StrEnum):
    """Why a contact detail from a local record was not stored."""

    NO_AGREEMENT = "no_agreement"
    AGREEMENT_EXCLUDES_CONTACTS = "agreement_excludes_contacts"
    COLLECTION_DATE_UNKNOWN = "collection_date_unknown"
    NO_PRIVACY_NOTICE = "no_privacy_notice"
    NOTICE_NOT_IN_EFFECT = "notice_not_in_effect"
    OBJECTION = "objection"


WITHHELD_MESSAGES = {
    WithheldReason.NO_AGREEMENT: "no data sharing agreement with the department "
    "covering these records was active on the import date",
    WithheldReason.AGREEMENT_EXCLUDES_CONTACTS: "the department's agreement does not "
    "cover contact details",
    WithheldReason.COLLECTION_DATE_UNKNOWN: "the date the council collected the "
    "details is unknown and no --collected-after date was given",
    WithheldReason.NO_PRIVACY_NOTICE: "the department has no privacy notice telling "
    "people their contact details may be disclosed to the ERO",
    WithheldReason.NOTICE_NOT_IN_EFFECT: "no such privacy notice was in effect when "
    "the council collected the details",
    WithheldReason.OBJECTION: "the elector has objected to the use of this contact",
}


def is_local_kind(kind: str) -> bool:
    """Whether records of this kind are a council department's, not the ERO's."""
    return kind in LOCAL_KINDS


@dataclass(frozen=True)
class Agreement:
    """A data sharing agreement between a department and the ERO."""

    id: int
    department: str
    reference: str
    record_kinds: frozenset[str]
    covers_contact_details: bool
    starts_on: date
    ends_on: date | None = None
    revoked_on: date | None = None

    def active_on(self, day: date) -> bool:
        """Whether the agreement allows disclosure on this day (rule 4)."""
        if day < self.starts_on:
            return False
        if self.ends_on is not None and day > self.ends_on:
            return False
        return self.revoked_on is None or day < self.revoked_on

    def covers(self, department: str, kind: str) -> bool:
        """Whether the agreement is about these records."""
        return (
            _same_department(self.department, department) and kind in self.record_kinds
        )


@dataclass(frozen=True)
class Notice:
    """A department's privacy notice."""

    id: int
    department: str
    reference: str
    record_kinds: frozenset[str]
    covers_contact_disclosure: bool
    effective_from: date
    effective_to: date | None = None

    def covers(self, department: str, kind: str) -> bool:
        """Whether the notice told people of disclosure of these records' contacts."""
        return (
            _same_department(self.department, department)
            and kind in self.record_kinds
            and self.covers_contact_disclosure
        )


@dataclass(frozen=True)
class Statement:
    """A privacy statement of the ERO's."""

    id: int
    reference: str
    effective_from: date
    effective_to: date | None = None

    def in_force_on(self, day: date) -> bool:
        """Whether the statement was the one in force on this day."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


def _same_department(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def agreement_for(
    agreements: list[Agreement], department: str, kind: str, day: date
) -> tuple[Agreement | None, WithheldReason | None]:
    """The agreement that lets contact details through on ``day``, or why none does."""
    active = [a for a in agreements if a.covers(department, kind) and a.active_on(day)]
    covering = [a for a in active if a.covers_contact_details]
    if covering:
        return max(covering, key=lambda a: (a.starts_on, a.id)), None
    if active:
        return None, WithheldReason.AGREEMENT_EXCLUDES_CONTACTS
    return None, WithheldReason.NO_AGREEMENT


def gate_local_contacts(
    collected_on: pl.Series,
    *,
    department: str,
    kind: str,
    import_date: date,
    collected_after: date | None,
    agreements: list[Agreement],
    notices: list[Notice],
) -> pl.DataFrame:
    """Decide, row by row, whether a local record's contact details may be stored.

    ``collected_on`` holds each row's collection date (Date, null when unknown).
    The result has ``agreement_id``, ``notice_id`` and ``withheld`` (a reason, or
    null when the details may be stored).
    """
    agreement, refused = agreement_for(agreements, department, kind, import_date)
    rows = pl.DataFrame({"collected_on": collected_on.cast(pl.Date)})
    if agreement is None:
        return rows.with_columns(
            agreement_id=pl.lit(None, pl.Int64),
            notice_id=pl.lit(None, pl.Int64),
            withheld=pl.lit(str(refused), pl.String),
        ).drop("collected_on")

    # A known date is judged on its own; an unknown one by the attestation that
    # every detail in the file was collected after a date. Then a notice must
    # have been in effect from that date to the day of import.
    attested = pl.lit(collected_after, pl.Date)
    day = pl.col("collected_on")
    covering = sorted(
        (n for n in notices if n.covers(department, kind)),
        key=lambda n: (n.effective_from, n.id),
        reverse=True,
    )
    chosen = pl.lit(None, pl.Int64)
    for notice in reversed(covering):
        ends = notice.effective_to
        known = (day >= notice.effective_from) & (
            pl.lit(True) if ends is None else day <= pl.lit(ends, pl.Date)
        )
        # "Collected after 31 March" is covered by a notice from 1 April.
        earliest = notice.effective_from - timedelta(days=1)
        from_attestation = day.is_null() & (attested >= earliest)
        if ends is not None and ends < import_date:
            from_attestation = pl.lit(False)
        chosen = (
            pl.when(known.fill_null(False) | from_attestation.fill_null(False))
            .then(pl.lit(notice.id, pl.Int64))
            .otherwise(chosen)
        )

    unknown = day.is_null() & (pl.lit(collected_after is None))
    withheld = (
        pl.when(pl.col("notice_id").is_not_null())
        .then(pl.lit(None, pl.String))
        .when(unknown)
        .then(pl.lit(str(WithheldReason.COLLECTION_DATE_UNKNOWN)))
        .when(pl.lit(not covering))
        .then(pl.lit(str(WithheldReason.NO_PRIVACY_NOTICE)))
        .otherwise(pl.lit(str(WithheldReason.NOTICE_NOT_IN_EFFECT)))
    )
    return (
        rows.with_columns(notice_id=chosen)
        .with_columns(withheld=withheld)
        .select(
            pl.when(pl.col("withheld").is_null())
            .then(pl.lit(agreement.id, pl.Int64))
            .alias("agreement_id"),
            pl.when(pl.col("withheld").is_null())
            .then(pl.col("notice_id"))
            .alias("notice_id"),
            "withheld",
        )
    )


def statement_for(statements: list[Statement], day: date) -> Statement | None:
    """The ERO's privacy statement in force on a day, the latest if several."""
    in_force = [s for s in statements if s.in_force_on(day)]
    return max(in_force, key=lambda s: (s.effective_from, s.id)) if in_force else None
