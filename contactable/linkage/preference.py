"""Which of an elector's contacts of one kind is preferred.

All usable values are kept; one of each kind is preferred: the most recent
from an electoral source, else the most recent from a local record (issue 4).
Electoral sources come first because the elector gave them to the ERO
directly (DESIGN.md, rule 1). Which contacts are usable at all is for the
lawful-use rules to say; ``usable_contacts`` is the first, plain cut, and
``preferred_contacts`` takes whatever frame of candidates it is given.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, select

from contactable.store import ContactPoint, Observation, SourceRecord
from contactable.store.bulk import read_frame
from contactable.store.schema_constants import LOCAL_RECORD_KINDS

ELECTORAL, LOCAL = "electoral", "local"

CANDIDATE_SCHEMA = {
    "contact_point_id": pl.Int64,
    "elector_id": pl.Int64,
    "kind": pl.String,
    "status": pl.String,
    "deliverability": pl.String,
    "source": pl.String,
    "seen_on": pl.Date,
}


def preferred_contacts(candidates: pl.DataFrame) -> pl.DataFrame:
    """``candidates`` with ``preferred`` set on one row per elector and kind.

    ``candidates`` has contact_point_id, elector_id, kind, ``source``
    ("electoral" or "local") and ``seen_on`` (the date it was last given in a
    source of that kind; null when unknown, which counts as oldest).

    >>> candidates = usable_contacts(contact_candidates(connection))  # doctest: +SKIP
    >>> preferred_contacts(candidates).filter(pl.col("preferred"))  # doctest: +SKIP
    """
    # Sorted best first, the first of each elector and kind is the preferred:
    # cheaper than ranking a struct within each group.
    ranked = candidates.sort(
        pl.col("source") == ELECTORAL,
        pl.col("seen_on").is_not_null(),
        "seen_on",
        "contact_point_id",
        descending=True,
        nulls_last=True,
        maintain_order=True,
    ).with_columns(preferred=pl.struct("elector_id", "kind").is_first_distinct())
    return candidates.join(
        ranked.select("contact_point_id", "preferred"),
        on="contact_point_id",
        how="left",
        maintain_order="left",
    )


def usable_contacts(candidates: pl.DataFrame) -> pl.DataFrame:
    """The candidates a check found sound and no delivery has failed."""
    return candidates.filter(
        (pl.col("status") == "ok") & (pl.col("deliverability") != "undeliverable")
    )


def contact_candidates(connection: Connection) -> pl.DataFrame:
    """Every contact point with the kind of source it rests on and when it was
    last given there: from an electoral source if any gave it, else local."""
    points, observations, records = (
        ContactPoint.__table__,
        Observation.__table__,
        SourceRecord.__table__,
    )
    statement = select(
        points.c.id,
        points.c.elector_id,
        points.c.kind,
        points.c.status,
        points.c.deliverability,
        records.c.kind,
        observations.c.observed_on,
    ).select_from(
        points.join(observations, observations.c.contact_point_id == points.c.id).join(
            records, records.c.id == observations.c.source_record_id
        )
    )
    seen = read_frame(connection, statement, CANDIDATE_SCHEMA).with_columns(
        source=pl.when(pl.col("source").is_in(LOCAL_RECORD_KINDS))
        .then(pl.lit(LOCAL))
        .otherwise(pl.lit(ELECTORAL))
    )
    # An electoral sighting outranks any local one, so only the best class of
    # source counts, and its latest date.
    return (
        seen.with_columns(_electoral=(pl.col("source") == ELECTORAL))
        .filter(
            pl.col("_electoral") == pl.col("_electoral").max().over("contact_point_id")
        )
        .group_by("contact_point_id", maintain_order=True)
        .agg(
            *(
                pl.col(c).first()
                for c in CANDIDATE_SCHEMA
                if c not in {"contact_point_id", "seen_on"}
            ),
            pl.col("seen_on").max(),
        )
        .select(list(CANDIDATE_SCHEMA))
    )
