"""The preferred contact of each kind: electoral first, then the most recent."""

from __future__ import annotations

from datetime import date

import polars as pl

from contactable.linkage.preference import (
    CANDIDATE_SCHEMA,
    preferred_contacts,
    usable_contacts,
)


def _candidates(rows: list[tuple[object, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=CANDIDATE_SCHEMA, orient="row")


def _preferred(frame: pl.DataFrame) -> list[int]:
    chosen = preferred_contacts(frame).filter(pl.col("preferred"))
    return sorted(chosen.get_column("contact_point_id").to_list())


def test_an_electoral_source_is_preferred_to_a_newer_local_record() -> None:
    frame = _candidates(
        [
            (1, 7, "email", "ok", "unknown", "local", date(2026, 5, 1)),
            (2, 7, "email", "ok", "unknown", "electoral", date(2025, 1, 1)),
        ]
    )

    assert _preferred(frame) == [2]


def test_the_most_recent_of_one_kind_of_source_is_preferred() -> None:
    frame = _candidates(
        [
            (1, 7, "email", "ok", "unknown", "local", date(2025, 5, 1)),
            (2, 7, "email", "ok", "unknown", "local", date(2026, 5, 1)),
            (3, 7, "email", "ok", "unknown", "local", None),  # undated counts as oldest
        ]
    )

    assert _preferred(frame) == [2]


def test_each_elector_and_kind_has_one_preferred_contact() -> None:
    frame = _candidates(
        [
            (1, 7, "email", "ok", "unknown", "local", date(2026, 5, 1)),
            (2, 7, "phone", "ok", "unknown", "local", date(2026, 5, 1)),
            (3, 8, "email", "ok", "unknown", "electoral", None),
        ]
    )

    assert _preferred(frame) == [1, 2, 3]


def test_every_candidate_is_kept() -> None:
    frame = _candidates(
        [
            (1, 7, "email", "ok", "unknown", "local", date(2026, 5, 1)),
            (2, 7, "email", "ok", "unknown", "local", date(2025, 5, 1)),
        ]
    )

    assert preferred_contacts(frame).height == 2


def test_unsound_and_undeliverable_contacts_are_not_usable() -> None:
    frame = _candidates(
        [
            (1, 7, "email", "ok", "undeliverable", "electoral", date(2026, 5, 1)),
            (2, 7, "email", "invalid", "unknown", "electoral", date(2026, 5, 1)),
            (3, 7, "email", "ok", "delivered", "local", date(2024, 1, 1)),
        ]
    )

    assert _preferred(usable_contacts(frame)) == [3]
