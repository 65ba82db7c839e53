"""``contactable link``: match source records to electors, in one transaction.

The cascade runs from the surest step down: elector number with an agreeing
name, then UPRN with the same name, then the same written address with the
same name (``contactable.linkage.exact``), then the probabilistic model on
what is left (``contactable.linkage.probabilistic``). What the model is sure
of is linked; what it is unsure of waits for a person as a review item; a
council record that matches no one is a potential elector (issue 4).

Linked records bring their contact details to the elector, subject to the
elector's objections (DESIGN.md, rule 5): an electoral source that gives a
contact again after the objection lifts it; a council record's contact of a
kind the elector objected to is deleted, not kept.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, delete, select

from contactable.config import Settings
from contactable.linkage.decisions import decide
from contactable.linkage.exact import exact_links
from contactable.linkage.people import comparable
from contactable.linkage.probabilistic import (
    LinkageEngine,
    Scorer,
    Scores,
    score_records,
)
from contactable.services.importing.common import attach_contact_points, now
from contactable.store import (
    Elector,
    Objection,
    Observation,
    Property,
    ReviewItem,
    SourceRecord,
    record_event,
    transaction,
)
from contactable.store.bulk import (
    finish_ids,
    insert_frame,
    read_frame,
    reserve_ids,
    update_frame,
)
from contactable.store.schema_constants import LOCAL_RECORD_KINDS

logger = logging.getLogger(__name__)

_ADDRESS = [f"address_{n}" for n in range(1, 6)]
_PERSON = {
    "elector_number": pl.String,
    "forename": pl.String,
    "middle_names": pl.String,
    "surname": pl.String,
    **dict.fromkeys(_ADDRESS, pl.String),
    "postcode": pl.String,
    "uprn": pl.String,
    "address_key": pl.String,
}
# Rows read at a time: a million rows of Python tuples would take gigabytes.
# Deleting by a list of ids, a few hundred at a time: SQLite allows 32,766
# parameters and PostgreSQL 65,535 in one statement.
_DELETE_CHUNK = 500


@dataclass
class LinkReport:
    """What one run of ``contactable link`` did, in counts."""

    records_considered: int = 0
    linked: Counter[str] = field(default_factory=Counter)
    records_for_review: int = 0
    review_items: int = 0
    potential_electors: int = 0
    electoral_unmatched: int = 0
    comparisons: int = 0
    model_trained: bool = False
    contacts_attached: int = 0
    contact_points_created: int = 0
    objections_lifted: int = 0
    objected_contacts_deleted: int = 0

    def counts(self) -> dict[str, Any]:
        """The figures as the audit log keeps them."""
        return {
            "records_considered": self.records_considered,
            "linked": dict(sorted(self.linked.items())),
            "records_for_review": self.records_for_review,
            "review_items": self.review_items,
            "potential_electors": self.potential_electors,
            "electoral_unmatched": self.electoral_unmatched,
            "comparisons": self.comparisons,
            "model_trained": self.model_trained,
            "contacts_attached": self.contacts_attached,
            "contact_points_created": self.contact_points_created,
            "objections_lifted": self.objections_lifted,
            "objected_contacts_deleted": self.objected_contacts_deleted,
        }


def unlinked_records(connection: Connection) -> pl.DataFrame:
    """Records not linked, not potential electors and not awaiting review."""
    records, reviews = SourceRecord.__table__, ReviewItem.__table__
    waiting = select(reviews.c.source_record_id).where(
        reviews.c.kind == "link",
        reviews.c.status == "open",
        reviews.c.source_record_id.is_not(None),
    )
    statement = select(
        records.c.id, records.c.kind, *(records.c[c] for c in _PERSON)
    ).where(
        records.c.elector_id.is_(None),
        records.c.is_potential_elector.is_(False),
        records.c.id.not_in(waiting),
    )
    schema = {"id": pl.Int64, "kind": pl.String, **_PERSON}
    return read_frame(connection, statement, schema)


def current_electors(connection: Connection) -> pl.DataFrame:
    electors, properties = Elector.__table__, Property.__table__
    statement = (
        select(
            electors.c.id,
            electors.c.elector_number,
            electors.c.forename,
            electors.c.middle_names,
            electors.c.surname,
            *(properties.c[c] for c in (*_ADDRESS, "postcode", "uprn", "address_key")),
        )
        .select_from(electors.outerjoin(properties))
        .where(electors.c.status == "current")
    )
    return read_frame(connection, statement, {"id": pl.Int64, **_PERSON})


def _write_links(connection: Connection, links: pl.DataFrame) -> None:
    update_frame(
        connection,
        "source_records",
        links.select(
            pl.col("source_record_id").alias("id"),
            "elector_id",
            "link_method",
            pl.col("probability").alias("link_probability"),
            pl.lit(now(), pl.Datetime("us", "UTC")).alias("linked_at"),
        ),
    )


def _write_reviews(connection: Connection, reviews: pl.DataFrame) -> None:
    first = reserve_ids(connection, "review_items", reviews.height)
    insert_frame(
        connection,
        "review_items",
        reviews.select(
            pl.int_range(first, first + reviews.height, dtype=pl.Int64).alias("id"),
            pl.lit("link").alias("kind"),
            "source_record_id",
            pl.col("elector_id").alias("candidate_elector_id"),
            "probability",
            pl.lit("open").alias("status"),
            pl.lit(now(), pl.Datetime("us", "UTC")).alias("created_at"),
        ),
    )
    finish_ids(connection, "review_items")


def _mark_potential_electors(connection: Connection, ids: pl.Series) -> None:
    update_frame(
        connection,
        "source_records",
        pl.DataFrame({"id": ids, "is_potential_elector": True}),
    )


def link_records(
    engine: Engine,
    settings: Settings,
    *,
    actor: str,
    linkage_engine: LinkageEngine = "duckdb",
    scorer: Scorer | None = None,
    today: date | None = None,
) -> LinkReport:
    """Link every record not yet linked; all or nothing.

    ``scorer`` replaces the probabilistic model, as tests do.
    """
    today = today or date.today()
    report = LinkReport()
    clock = _Clock()
    with transaction(engine) as session:
        connection = session.connection()
        # The matching's frames are gone before contacts are attached, so the
        # two largest steps do not hold their memory at once.
        _match(connection, settings, linkage_engine, scorer, report, clock)
        clock.lap("wrote the model's links, reviews and potential electors")
        _attach_contacts(connection, today, report)
        clock.lap("attached %d contacts", report.contacts_attached)
        record_event(session, actor=actor, action="link", counts=report.counts())
    logger.info("link done: %s", report.counts())
    return report


def _match(
    connection: Connection,
    settings: Settings,
    linkage_engine: LinkageEngine,
    scorer: Scorer | None,
    report: LinkReport,
    clock: _Clock,
) -> None:
    """The cascade and the model: links, review items and potential electors."""
    records = comparable(unlinked_records(connection), "id")
    electors = comparable(current_electors(connection), "id")
    report.records_considered = records.height
    clock.lap("read %d records and %d electors", records.height, electors.height)

    sure = exact_links(records, electors).with_columns(probability=pl.lit(1.0))
    _write_links(connection, sure)
    report.linked.update(sure.get_column("link_method").to_list())

    rest = records.join(
        sure, left_on="unique_id", right_on="source_record_id", how="anti"
    )
    clock.lap("linked %d by the exact steps", sure.height)
    scores = _score(rest, electors, settings, linkage_engine, scorer)
    clock.lap("scored %d records: %d comparisons", rest.height, scores.comparisons)
    report.comparisons, report.model_trained = scores.comparisons, scores.trained
    decided = decide(
        scores.pairs,
        accept=settings.link_accept_probability,
        review=settings.link_review_probability,
    )
    _write_links(
        connection, decided.links.with_columns(link_method=pl.lit("probabilistic"))
    )
    report.linked["probabilistic"] += decided.links.height
    _write_reviews(connection, decided.reviews)
    report.review_items = decided.reviews.height
    report.records_for_review = decided.reviews.get_column(
        "source_record_id"
    ).n_unique()

    unmatched = rest.filter(
        ~pl.col("unique_id").is_in(
            decided.links.get_column("source_record_id").implode()
        )
        & ~pl.col("unique_id").is_in(
            decided.reviews.get_column("source_record_id").implode()
        )
    )
    local = unmatched.filter(pl.col("kind").is_in(LOCAL_RECORD_KINDS))
    _mark_potential_electors(connection, local.get_column("unique_id"))
    report.potential_electors = local.height
    report.electoral_unmatched = unmatched.height - local.height


class _Clock:
    """Logs how long each step of a long run took."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, message: str, *arguments: object) -> None:
        moment = time.perf_counter()
        logger.info("link: %s in %.1f s", message % arguments, moment - self.last)
        self.last = moment


def _score(
    rest: pl.DataFrame,
    electors: pl.DataFrame,
    settings: Settings,
    linkage_engine: LinkageEngine,
    scorer: Scorer | None,
) -> Scores:
    floor = settings.link_review_probability
    if scorer is not None:
        return scorer(rest, electors, floor)
    return score_records(rest, electors, floor, engine=linkage_engine)


_OBSERVATION = {
    "id": pl.Int64,
    "source_record_id": pl.Int64,
    "kind": pl.String,
    "raw_value": pl.String,
    "normalised": pl.String,
    "status": pl.String,
    "problem": pl.String,
    "suggestion": pl.String,
    "phone_type": pl.String,
    "phone_region": pl.String,
    "observed_on": pl.Date,
    "record_kind": pl.String,
    "collected_on": pl.Date,
    "elector_id": pl.Int64,
}


def _unattached_observations(connection: Connection) -> pl.DataFrame:
    """Observations of linked records that belong to no contact point yet."""
    observations, records = Observation.__table__, SourceRecord.__table__
    statement = (
        select(
            *(observations.c[c] for c in list(_OBSERVATION)[:11]),
            records.c.kind,
            records.c.collected_on,
            records.c.elector_id,
        )
        .select_from(observations.join(records))
        .where(
            observations.c.contact_point_id.is_(None),
            records.c.elector_id.is_not(None),
        )
    )
    return read_frame(connection, statement, _OBSERVATION)


def _active_objections(connection: Connection) -> pl.DataFrame:
    table = Objection.__table__
    statement = select(
        table.c.id, table.c.elector_id, table.c.kind, table.c.recorded_on
    ).where(table.c.lifted_on.is_(None), table.c.elector_id.is_not(None))
    schema = {
        "objection_id": pl.Int64,
        "elector_id": pl.Int64,
        "kind": pl.String,
        "recorded_on": pl.Date,
    }
    return read_frame(connection, statement, schema)


def _lift_objections(
    connection: Connection, observations: pl.DataFrame, objections: pl.DataFrame
) -> pl.DataFrame:
    """Lift each objection that an electoral source answered by giving a
    contact of that kind after it; returns the objections still active."""
    given = observations.filter(~pl.col("record_kind").is_in(LOCAL_RECORD_KINDS))
    answered = (
        given.with_columns(given_on=pl.coalesce("observed_on", "collected_on"))
        .join(objections, on=["elector_id", "kind"])
        .filter(pl.col("given_on") > pl.col("recorded_on"))
        .sort("given_on", "source_record_id")
        .group_by("objection_id", maintain_order=True)
        .first()
    )
    update_frame(
        connection,
        "objections",
        answered.select(
            pl.col("objection_id").alias("id"),
            pl.col("given_on").alias("lifted_on"),
            pl.col("source_record_id").alias("lifted_by_source_record_id"),
        ),
    )
    return objections.join(
        answered.select("objection_id"), on="objection_id", how="anti"
    )


def _attach_contacts(connection: Connection, today: date, report: LinkReport) -> None:
    clock = _Clock()
    observations = _unattached_observations(connection)
    clock.lap("read %d unattached observations", observations.height)
    if observations.is_empty():
        return

    active = _active_objections(connection)
    still_active = _lift_objections(connection, observations, active)
    report.objections_lifted = active.height - still_active.height

    # Rule 5: a council record never brings back a contact the elector
    # objected to; its value is not kept at all.
    objected = observations.filter(
        pl.col("record_kind").is_in(LOCAL_RECORD_KINDS)
    ).join(
        still_active.select("elector_id", "kind").unique(), on=["elector_id", "kind"]
    )
    ids = objected.get_column("id").to_list()
    for start in range(0, len(ids), _DELETE_CHUNK):
        chunk = ids[start : start + _DELETE_CHUNK]
        connection.execute(delete(Observation).where(Observation.id.in_(chunk)))
    report.objected_contacts_deleted = len(ids)

    # The latest sighting of a value decides what its contact point says.
    kept = (
        observations.join(objected.select("id"), on="id", how="anti")
        .sort("observed_on", "id", nulls_last=False)
        .with_row_index("row_number")
    )
    attached, created, _ = attach_contact_points(connection, kept, today)
    clock.lap("made %d contact points", created)
    update_frame(connection, "observations", attached.select("id", "contact_point_id"))
    clock.lap("attached the observations")
    report.contacts_attached = attached.height
    report.contact_points_created = created
