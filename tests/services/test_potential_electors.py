"""The potential electors export: council records that match no elector."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, select

from contactable.linkage.probabilistic import SCORE_SCHEMA, Scores
from contactable.services.exports.potential_electors import export_potential_electors
from contactable.services.linking import link_records
from contactable.sources import read_table
from contactable.store import AuditEvent, transaction
from tests.services.test_linking import SETTINGS, TODAY, _council_tax, registered

__all__ = ["registered"]

HEADERS = [
    "Title",
    "Forename",
    "Middle Names",
    "Surname",
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Postcode",
    "UPRN",
    "Source",
    "Department",
    "Document Reference",
]


@pytest.fixture
def linked(registered: Engine, tmp_path: Path) -> Engine:
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
                "",
                "",
            ],
            [
                "CT2",
                "Mr Tom Smith",
                "10 High St",
                "ZZ1 1AA",
                "100000000010",
                "tom@example.com",
                "07700 900123",
                "01/03/2026",
            ],
        ],
    )
    link_records(registered, SETTINGS, actor="tester", today=TODAY, scorer=_no_match)
    return registered


def _no_match(records: pl.DataFrame, electors: pl.DataFrame, floor: float) -> Scores:
    """The model's answer for Tom Smith, whom no elector fits."""
    return Scores(pl.DataFrame(schema=SCORE_SCHEMA), 0, trained=False)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_potential_electors_are_listed_with_exactly_the_allowed_columns(
    linked: Engine, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"potential{suffix}"

    done = export_potential_electors(linked, path, actor="tester")

    table = read_table(path).frame
    assert (done.people, table.columns) == (1, HEADERS)
    assert table.row(0) == (
        None,
        "Mr Tom",
        None,
        "Smith",
        "10 High St",
        None,
        None,
        None,
        None,
        "ZZ1 1AA",
        "100000000010",
        "council-tax",
        "Council Tax",
        "CT2",
    )


def test_the_export_holds_no_contact_details(linked: Engine, tmp_path: Path) -> None:
    path = tmp_path / "potential.csv"

    export_potential_electors(linked, path, actor="tester")

    text = path.read_text("utf-8-sig")
    assert ("tom@example.com" in text, "900123" in text) == (False, False)


def test_the_export_is_readable_by_its_owner_only(
    linked: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "potential.csv"

    export_potential_electors(linked, path, actor="tester")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_export_is_audited_with_its_count_and_no_names(
    linked: Engine, tmp_path: Path
) -> None:
    export_potential_electors(linked, tmp_path / "potential.xlsx", actor="tester")

    with transaction(linked) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export.potential_electors")
        ).one()
        assert (event.actor, event.counts, event.details) == (
            "tester",
            {"people": 1},
            {"format": "xlsx"},
        )


def test_an_empty_register_of_potential_electors_writes_only_the_header(
    registered: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "potential.csv"

    done = export_potential_electors(registered, path, actor="tester")

    with path.open(encoding="utf-8-sig") as file:
        assert (done.people, list(csv.reader(file))) == (0, [HEADERS])
    assert pl.read_csv(path).height == 0
