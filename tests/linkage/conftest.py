"""People to link, as frames in the store's columns."""

from __future__ import annotations

import polars as pl

from contactable.linkage.people import comparable

PERSON = {
    "id": pl.Int64,
    "elector_number": pl.String,
    "forename": pl.String,
    "surname": pl.String,
    "address_1": pl.String,
    "address_2": pl.String,
    "postcode": pl.String,
    "uprn": pl.String,
    "address_key": pl.String,
}

# Two households and a flat; address keys as the importer would make them.
ELECTORS = [
    (
        1,
        "AB1-1",
        "William",
        "Smith",
        "10 High Street",
        None,
        "ZZ1 1AA",
        "100000000010",
        "ZZ11AA|10 high st",
    ),
    (
        2,
        "AB1-2",
        "Mary",
        "Smith",
        "10 High Street",
        None,
        "ZZ1 1AA",
        "100000000010",
        "ZZ11AA|10 high st",
    ),
    (
        3,
        "AB1-3",
        "Margaret",
        "Jones",
        "Flat 2",
        "5 Park Road",
        "ZZ1 1AB",
        "100000000020",
        "ZZ11AB|flat 2 5 park rd",
    ),
    (
        4,
        "AB1-4",
        "Margaret",
        "Hughes",
        "Flat 3",
        "5 Park Road",
        "ZZ1 1AB",
        "100000000030",
        "ZZ11AB|flat 3 5 park rd",
    ),
    (
        5,
        "AB1-5",
        "John",
        "Brown",
        "4 Mill Lane",
        None,
        "ZZ1 1AC",
        None,
        "ZZ11AC|4 mill ln",
    ),
    (
        6,
        "AB1-6",
        "John",
        "Brown",
        "4 Mill Lane",
        None,
        "ZZ1 1AC",
        None,
        "ZZ11AC|4 mill ln",
    ),
]


def people(rows: list[tuple[object, ...]]) -> pl.DataFrame:
    """``comparable`` people from rows in PERSON's columns."""
    return comparable(pl.DataFrame(rows, schema=PERSON, orient="row"), "id")


def electors() -> pl.DataFrame:
    """The electors of ELECTORS, comparable."""
    return people(ELECTORS)


def record(
    forename: str,
    surname: str,
    address_1: str = "10 High St",
    postcode: str | None = "ZZ1 1AA",
    uprn: str | None = None,
    *,
    address_2: str | None = None,
    elector_number: str | None = None,
    address_key: str | None = None,
    id: int = 100,
) -> tuple[object, ...]:
    """A council record's row."""
    return (
        id,
        elector_number,
        forename,
        surname,
        address_1,
        address_2,
        postcode,
        uprn,
        address_key,
    )
