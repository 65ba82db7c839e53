"""The Splink model on DuckDB: names decide between people at one address.

Every case is scored in one run of the model, as a council's records are.
"""

from __future__ import annotations

import polars as pl
import pytest

from contactable.linkage.probabilistic import Scores, score_records
from tests.linkage.conftest import electors, people, record

REVIEW, ACCEPT = 0.6, 0.95

MATCHED = {
    "familiar form": (record("Bill", "Smith", id=1), 1),
    "swapped": (record("Smith", "William", id=2), 1),
    "title and familiar form": (
        record("Mrs Peggy", "Jones", "Flat 2 5 Park Rd", "ZZ1 1AB", id=3),
        3,
    ),
    "letter missing": (record("Wiliam", "Smith", id=4), 1),
    "surname slip": (record("Mary", "Smyth", uprn="100000000010", id=5), 2),
    "swapped, with an initial": (record("Smith", "M", uprn="100000000010", id=6), 2),
    "no postcode": (record("Mary", "Smith", "10 High St", None, id=7), 2),
    "postcode mistyped": (record("Mary", "Smith", "10 High St", "ZZ1 1AQ", id=8), 2),
}
UNMATCHED = {
    # Every address field agrees with William's and Mary's; only the forename
    # tells Tom, who is not registered, from them.
    "co-resident": record("Tom", "Smith", uprn="100000000010", id=11),
    "household member": record("Zoe", "Smith", id=12),
    "another surname at the flat": record(
        "Margaret", "Evans", "Flat 2 5 Park Rd", "ZZ1 1AB", "100000000020", id=13
    ),
    "namesake elsewhere": record("Mary", "Smith", "77 Long Road", "ZZ9 9ZZ", id=14),
}
NAMESAKE_NEXT_DOOR = record(
    "Margaret", "Jones", "Flat 3 5 Park Rd", "ZZ1 1AB", "100000000030", id=21
)
TWO_OF_ONE_NAME = record("John", "Brown", "4 Mill Lane", "ZZ1 1AC", id=22)


@pytest.fixture(scope="module")
def scores() -> Scores:
    rows = [
        *(row for row, _ in MATCHED.values()),
        *UNMATCHED.values(),
        NAMESAKE_NEXT_DOOR,
        TWO_OF_ONE_NAME,
    ]
    return score_records(people(rows), electors(), REVIEW)


def _candidates(scores: Scores, row: tuple[object, ...]) -> dict[int, float]:
    found = scores.pairs.filter(pl.col("source_record_id") == row[0])
    return dict(found.select("elector_id", "probability").iter_rows())


@pytest.mark.parametrize("case", MATCHED)
def test_familiar_swapped_and_mistyped_names_are_matched(
    scores: Scores, case: str
) -> None:
    row, elector = MATCHED[case]

    candidates = _candidates(scores, row)

    assert list(candidates) == [elector]
    assert candidates[elector] >= ACCEPT


@pytest.mark.parametrize("case", UNMATCHED)
def test_other_people_at_an_address_are_not_matched(scores: Scores, case: str) -> None:
    assert _candidates(scores, UNMATCHED[case]) == {}


def test_a_namesake_in_the_next_flat_is_a_question_for_a_person(scores: Scores) -> None:
    candidates = _candidates(scores, NAMESAKE_NEXT_DOOR)

    assert list(candidates) == [3]
    assert REVIEW <= candidates[3] < ACCEPT


def test_two_electors_of_one_name_at_one_address_are_both_candidates(
    scores: Scores,
) -> None:
    assert sorted(_candidates(scores, TWO_OF_ONE_NAME)) == [5, 6]


def test_small_councils_keep_the_default_parameters(scores: Scores) -> None:
    assert (scores.trained, scores.comparisons) == (False, 25)
