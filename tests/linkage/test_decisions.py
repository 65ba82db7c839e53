"""Linking, review or neither, from scored pairs."""

from __future__ import annotations

import polars as pl

from contactable.linkage.decisions import decide


def _pairs(rows: list[tuple[int, int, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=["source_record_id", "elector_id", "probability"], orient="row"
    )


def test_a_likely_match_without_a_rival_is_linked() -> None:
    decided = decide(_pairs([(1, 10, 0.99), (1, 11, 0.2)]), accept=0.95, review=0.6)

    assert decided.links.rows() == [(1, 10, 0.99)]
    assert decided.reviews.is_empty()


def test_an_uncertain_match_is_reviewed() -> None:
    decided = decide(_pairs([(1, 10, 0.8)]), accept=0.95, review=0.6)

    assert (decided.links.height, decided.reviews.rows()) == (0, [(1, 10, 0.8)])


def test_two_plausible_electors_for_one_record_are_both_reviewed() -> None:
    decided = decide(_pairs([(1, 11, 0.97), (1, 10, 0.99)]), accept=0.95, review=0.6)

    assert decided.links.is_empty()
    assert decided.reviews.rows() == [(1, 10, 0.99), (1, 11, 0.97)]


def test_unlikely_matches_are_neither_linked_nor_reviewed() -> None:
    decided = decide(_pairs([(1, 10, 0.59)]), accept=0.95, review=0.6)

    assert (decided.links.height, decided.reviews.height) == (0, 0)
