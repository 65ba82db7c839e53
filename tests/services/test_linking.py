"""``contactable link`` on SQLite and PostgreSQL: the cascade, review, potential
electors and objections, each checked in the database."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, func, select

from contactable.config import Settings
from contactable.governance import records as governance
from contactable.linkage.probabilistic import Scores, score_records
from contactable.services.importing.records import import_records
from contactable.services.importing.register import import_register
from contactable.services.linking import link_records
from contactable.store import (
    AuditEvent,
    ContactPoint,
    Elector,
    Objection,
    Observation,
    ReviewItem,
    SourceRecord,
    transaction,
)

SETTINGS = Settings()
TODAY = date(2026, 6, 1)
REGISTER = [
    ["Elector Number", "First Name", "Surname", "Address 1", "Postcode", "UPRN"],
    ["AB1-1", "William", "Smith", "10 High Street", "ZZ1 1AA", "100000000010"],
    ["AB1-2", "Mary", "Smith", "10 High Street", "ZZ1 1AA", "100000000010"],
    ["AB1-3", "Margaret", "Jones", "Flat 2", "ZZ1 1AB", "100000000020"],
    ["AB1-4", "Robert", "Brown", "4 Mill Lane", "ZZ1 1AC", ""],
    ["AB1-5", "Aisha", "Khan", "7 Mill Lane", "ZZ1 1AC", "100000000070"],
]
COUNCIL_TAX_HEADER = [
    "Document Reference",
    "Full Name",
    "Address 1",
    "Postcode",
    "UPRN",
    "Email",
    "Phone",
    "Last Updated",
]


def _write(folder: Path, name: str, rows: list[list[str]]) -> Path:
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    return path


def _allow_contacts(engine: Engine, department: str, kind: str) -> None:
    with transaction(engine) as session:
        common = {
            "department": department,
            "reference": f"{kind}-1",
            "kinds": [kind],
            "actor": "tester",
        }
        governance.add_agreement(
            session,
            **common,
            covers_contact_details=True,
            starts_on=date(2020, 1, 1),
            ends_on=None,
        )
        governance.add_notice(
            session,
            **common,
            covers_contact_disclosure=True,
            effective_from=date(2020, 1, 1),
            effective_to=None,
        )


@pytest.fixture
def registered(engine: Engine, tmp_path: Path) -> Engine:
    """A database holding the register, and agreements for council records."""
    import_register(
        engine,
        _write(tmp_path, "register.csv", REGISTER),
        SETTINGS,
        actor="tester",
        today=TODAY,
    )
    _allow_contacts(engine, "Council Tax", "council-tax")
    return engine


def _council_tax(engine: Engine, folder: Path, rows: list[list[str]]) -> None:
    path = _write(folder, "tax.csv", [COUNCIL_TAX_HEADER, *rows])
    import_records(
        engine, path, SETTINGS, kind="council-tax", actor="tester", today=TODAY
    )


def _canvass(engine: Engine, folder: Path, rows: list[list[str]]) -> None:
    header = [
        "Elector Number",
        "First Name",
        "Surname",
        "Address 1",
        "Postcode",
        "Email",
        "Date Received",
        "Document Reference",
    ]
    path = _write(folder, "canvass.csv", [header, *rows])
    import_records(
        engine, path, SETTINGS, kind="canvass-response", actor="tester", today=TODAY
    )


def _links(engine: Engine) -> dict[str, tuple[str | None, str | None, bool]]:
    """Each council or canvass record's reference: its elector, method, and
    whether it is a potential elector."""
    table, electors = SourceRecord.__table__, Elector.__table__
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                table.c.document_reference,
                electors.c.elector_number,
                table.c.link_method,
                table.c.is_potential_elector,
            )
            .select_from(table.outerjoin(electors, table.c.elector_id == electors.c.id))
            .where(table.c.kind != "register")
        ).all()
    return {r[0]: (r[1], r[2], bool(r[3])) for r in rows}


def _count(engine: Engine, model: type[object]) -> int:
    with transaction(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _link(engine: Engine, **options: object) -> dict[str, object]:
    return link_records(
        engine, SETTINGS, actor="tester", today=TODAY, **options
    ).counts()  # type: ignore[arg-type]


def test_each_step_of_the_cascade_links_with_its_own_method(
    registered: Engine, tmp_path: Path
) -> None:
    _council_tax(
        registered,
        tmp_path,
        [
            ["CT1", "Mary Smith", "10 High St", "ZZ1 1AA", "100000000010", "", "", ""],
            ["CT2", "Robert Brown", "4 Mill Lane", "ZZ1 1AC", "", "", "", ""],
            ["CT3", "Aisha Kahn", "7 Mill Ln", "ZZ1 1AC", "", "", "", ""],
        ],
    )
    _canvass(
        registered,
        tmp_path,
        [
            ["AB1-3", "Maggie", "Jones", "Flat 2", "ZZ1 1AB", "", "2026-05-01", "CV1"],
        ],
    )

    counts = _link(registered)

    assert _links(registered) == {
        "CT1": ("AB1-2", "uprn_name", False),
        "CT2": ("AB1-4", "address_name", False),
        "CT3": ("AB1-5", "probabilistic", False),
        "CV1": ("AB1-3", "elector_number", False),
    }
    assert counts["linked"] == {
        "address_name": 1,
        "elector_number": 1,
        "probabilistic": 1,
        "uprn_name": 1,
    }


def test_exact_links_record_a_probability_of_one(
    registered: Engine, tmp_path: Path
) -> None:
    _council_tax(
        registered,
        tmp_path,
        [
            ["CT1", "Mary Smith", "10 High St", "ZZ1 1AA", "100000000010", "", "", ""],
        ],
    )

    _link(registered)

    with transaction(registered) as session:
        record = session.scalars(
            select(SourceRecord).where(SourceRecord.document_reference == "CT1")
        ).one()
        assert (record.link_probability, record.linked_at is not None) == (1.0, True)


def test_household_members_and_unregistered_co_residents_are_not_linked(
    registered: Engine, tmp_path: Path
) -> None:
    # Tom lives with William and Mary Smith at the same UPRN but is not on the
    # register: every address field agrees, and the names must decide.
    _council_tax(
        registered,
        tmp_path,
        [
            [
                "CT1",
                "Tom Smith",
                "10 High Street",
                "ZZ1 1AA",
                "100000000010",
                "",
                "",
                "",
            ],
            ["CT2", "Zoe Khan", "7 Mill Lane", "ZZ1 1AC", "100000000070", "", "", ""],
        ],
    )

    counts = _link(registered)

    assert _links(registered) == {
        "CT1": (None, None, True),
        "CT2": (None, None, True),
    }
    assert (counts["potential_electors"], counts["review_items"]) == (2, 0)


def test_uncertain_matches_go_to_review_and_attach_nothing(
    registered: Engine, tmp_path: Path
) -> None:
    _council_tax(
        registered,
        tmp_path,
        [
            ["CT1", "Margret Jones", "Flat 9", "ZZ1 1AB", "", "m@example.com", "", ""],
        ],
    )

    counts = _link(registered, scorer=_scores_of(0.8))

    with transaction(registered) as session:
        item = session.scalars(select(ReviewItem)).one()
        record = session.get(SourceRecord, item.source_record_id)
        assert record is not None
        assert (item.kind, item.status, item.probability) == ("link", "open", 0.8)
        assert (record.elector_id, record.is_potential_elector) == (None, False)
    assert _count(registered, ContactPoint) == 0
    assert counts["records_for_review"] == 1


def _scores_of(probability: float) -> object:
    """A scorer that gives every record the first elector at ``probability``."""

    def scorer(records: pl.DataFrame, electors: pl.DataFrame, floor: float) -> Scores:
        pairs = records.select(
            pl.col("unique_id").alias("source_record_id"),
            pl.lit(electors.get_column("unique_id")[0]).alias("elector_id"),
            pl.lit(probability).alias("probability"),
        )
        return Scores(pairs, records.height, trained=False)

    return scorer


def test_linked_records_attach_their_contacts_to_the_elector(
    registered: Engine, tmp_path: Path
) -> None:
    _council_tax(
        registered,
        tmp_path,
        [
            [
                "CT1",
                "Mary Smith",
                "10 High St",
                "ZZ1 1AA",
                "100000000010",
                "mary@example.com",
                "07700 900123",
                "01/03/2026",
            ],
        ],
    )

    counts = _link(registered)

    with transaction(registered) as session:
        points = session.execute(
            select(Elector.elector_number, ContactPoint.kind, ContactPoint.value)
            .join(Elector)
            .order_by(ContactPoint.kind)
        ).all()
        unattached = session.scalar(
            select(func.count())
            .select_from(Observation)
            .where(Observation.contact_point_id.is_(None))
        )
    assert [tuple(p) for p in points] == [
        ("AB1-2", "email", "mary@example.com"),
        ("AB1-2", "phone", "07700 900123"),
    ]
    assert (unattached, counts["contacts_attached"]) == (0, 2)


def test_potential_electors_are_council_records_only(
    registered: Engine, tmp_path: Path
) -> None:
    _canvass(
        registered,
        tmp_path,
        [
            ["", "Nobody", "Known", "99 Far Road", "ZZ9 9ZZ", "", "2026-05-01", "CV1"],
        ],
    )

    counts = _link(registered)

    assert _links(registered) == {"CV1": (None, None, False)}
    assert (counts["electoral_unmatched"], counts["potential_electors"]) == (1, 0)


def _object(engine: Engine, elector_number: str, kind: str, on: date) -> None:
    with transaction(engine) as session:
        governance.add_objection(
            session, elector_number=elector_number, kind=kind, on=on, actor="tester"
        )


def test_an_electoral_source_after_an_objection_lifts_it(
    registered: Engine, tmp_path: Path
) -> None:
    _object(registered, "AB1-3", "email", date(2026, 4, 1))
    _canvass(
        registered,
        tmp_path,
        [
            [
                "AB1-3",
                "Margaret",
                "Jones",
                "Flat 2",
                "ZZ1 1AB",
                "mj@example.com",
                "2026-05-01",
                "CV1",
            ],
        ],
    )

    counts = _link(registered)

    with transaction(registered) as session:
        objection = session.scalars(select(Objection)).one()
        record = session.scalars(
            select(SourceRecord).where(SourceRecord.document_reference == "CV1")
        ).one()
        assert (objection.lifted_on, objection.lifted_by_source_record_id) == (
            date(2026, 5, 1),
            record.id,
        )
    assert (counts["objections_lifted"], _count(registered, ContactPoint)) == (1, 1)


def test_an_electoral_source_from_before_an_objection_does_not_lift_it(
    registered: Engine, tmp_path: Path
) -> None:
    _object(registered, "AB1-3", "email", date(2026, 5, 15))
    _canvass(
        registered,
        tmp_path,
        [
            [
                "AB1-3",
                "Margaret",
                "Jones",
                "Flat 2",
                "ZZ1 1AB",
                "mj@example.com",
                "2026-05-01",
                "CV1",
            ],
        ],
    )

    counts = _link(registered)

    with transaction(registered) as session:
        assert session.scalars(select(Objection.lifted_on)).one() is None
    assert counts["objections_lifted"] == 0


def test_a_council_records_contact_of_an_objected_kind_is_deleted_on_linking(
    registered: Engine, tmp_path: Path
) -> None:
    # Written as "Peggy", the importer cannot tell that this is Margaret, who
    # objected; linking can, and the value must then not be kept.
    _object(registered, "AB1-3", "email", date(2026, 1, 1))
    _council_tax(
        registered,
        tmp_path,
        [
            [
                "CT1",
                "Peggy Jones",
                "Flat 2",
                "ZZ1 1AB",
                "",
                "peggy@example.com",
                "07700 900456",
                "01/03/2026",
            ],
        ],
    )

    counts = _link(registered)

    with transaction(registered) as session:
        kinds = session.scalars(select(Observation.kind)).all()
        points = session.scalars(select(ContactPoint.kind)).all()
    assert (kinds, points) == (["phone"], ["phone"])
    assert counts["objected_contacts_deleted"] == 1


def test_linking_twice_changes_nothing_more(registered: Engine, tmp_path: Path) -> None:
    _council_tax(
        registered,
        tmp_path,
        [
            ["CT1", "Bill Smith", "10 High St", "ZZ1 1AA", "", "b@example.com", "", ""],
            ["CT2", "Tom Smith", "10 High St", "ZZ1 1AA", "", "", "", ""],
            ["CT3", "Margret Jones", "Flat 9", "ZZ1 1AB", "", "", "", ""],
        ],
    )
    _link(registered)
    before = (
        _links(registered),
        _count(registered, ReviewItem),
        _count(registered, ContactPoint),
    )

    counts = _link(registered)

    after = (
        _links(registered),
        _count(registered, ReviewItem),
        _count(registered, ContactPoint),
    )
    assert after == before
    assert (counts["records_considered"], counts["linked"]) == (0, {"probabilistic": 0})


def test_a_link_that_fails_midway_leaves_the_database_as_it_was(
    registered: Engine, tmp_path: Path
) -> None:
    _council_tax(
        registered,
        tmp_path,
        [
            ["CT1", "Mary Smith", "10 High St", "ZZ1 1AA", "100000000010", "", "", ""],
            ["CT2", "Bill Smith", "10 High St", "ZZ1 1AA", "", "", "", ""],
        ],
    )

    def failing(records: pl.DataFrame, electors: pl.DataFrame, floor: float) -> Scores:
        # The exact steps have written their links by now.
        raise RuntimeError("the model broke")

    with pytest.raises(RuntimeError, match="the model broke"):
        _link(registered, scorer=failing)

    assert _links(registered) == {
        "CT1": (None, None, False),
        "CT2": (None, None, False),
    }
    assert _count(registered, AuditEvent) == 4


def test_the_link_is_audited_with_counts_only(
    registered: Engine, tmp_path: Path
) -> None:
    _council_tax(
        registered,
        tmp_path,
        [
            ["CT1", "Mary Smith", "10 High St", "ZZ1 1AA", "100000000010", "", "", ""],
        ],
    )

    counts = _link(registered)

    with transaction(registered) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "link")
        ).one()
        assert (event.actor, event.counts) == ("tester", counts)


def test_the_model_scores_nothing_when_there_is_nothing_to_link() -> None:
    empty = pl.DataFrame()

    scores = score_records(empty, empty, 0.6)

    assert (scores.pairs.height, scores.comparisons, scores.trained) == (0, 0, False)
