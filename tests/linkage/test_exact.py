"""The sure steps of the cascade."""

from __future__ import annotations

import pytest

from contactable.linkage.exact import exact_links
from tests.linkage.conftest import electors, people, record


def _linked(*rows: tuple[object, ...]) -> list[tuple[int, int, str]]:
    links = exact_links(people(list(rows)), electors())
    return sorted(links.iter_rows())


@pytest.mark.parametrize(
    ("forename", "linked"),
    [
        ("William", True),
        ("W", True),  # the initial agrees
        ("Wiliam", True),  # a close spelling
        ("Tom", False),  # another person given the elector's number
    ],
)
def test_an_elector_number_links_when_the_name_agrees(
    forename: str, linked: bool
) -> None:
    row = record(forename, "Smith", "somewhere else", None, elector_number="AB1-1")

    assert _linked(row) == ([(100, 1, "elector_number")] if linked else [])


def test_an_elector_number_with_another_surname_does_not_link() -> None:
    row = record("William", "Jones", elector_number="AB1-1")

    assert _linked(row) == []


def test_the_uprn_links_with_the_same_name() -> None:
    row = record("Mrs Mary", "SMITH", "anything", None, "100000000010")

    assert _linked(row) == [(100, 2, "uprn_name")]


def test_the_same_written_address_links_with_the_same_name() -> None:
    row = record("Margaret", "Jones", address_key="ZZ11AB|flat 2 5 park rd")

    assert _linked(row) == [(100, 3, "address_name")]


def test_two_electors_of_one_name_at_one_address_are_left_for_the_model() -> None:
    row = record("John", "Brown", address_key="ZZ11AC|4 mill ln")

    assert _linked(row) == []


def test_an_empty_address_key_matches_nothing() -> None:
    row = record("Mary", "Smith", address_key="|")

    assert _linked(row) == []
