"""Names in the forms matching compares."""

from __future__ import annotations

import polars as pl
import pytest

from contactable.linkage.names import (
    family_name,
    given_name,
    name_forms,
    nickname_groups,
)


@pytest.mark.parametrize(
    ("familiar", "full"),
    [
        ("bill", ("william",)),
        ("bob", ("robert",)),
        ("liz", ("elizabeth",)),
        ("peggy", ("margaret",)),
        ("alex", ("alexander", "alexandra")),  # one familiar form, two names
        ("william", ("william",)),
    ],
)
def test_familiar_forms_stand_for_their_full_names(
    familiar: str, full: tuple[str, ...]
) -> None:
    assert nickname_groups()[familiar] == full


@pytest.mark.parametrize(
    ("written", "given"),
    [
        ("Mr J", "j"),
        ("Mrs Mary Anne", "mary"),
        ("  O'Neill ", "oneill"),
        ("Dr Rev John", "john"),
        ("", None),
        (None, None),
    ],
)
def test_the_given_name_is_the_first_without_a_title(
    written: str | None, given: str | None
) -> None:
    frame = pl.DataFrame({"forename": [written]}, schema={"forename": pl.String})

    assert frame.select(given_name(pl.col("forename"))).item() == given


def test_a_surname_is_folded_into_one_word() -> None:
    frame = pl.DataFrame({"surname": ["O'Neill-Hart", " "]})

    assert frame.select(family_name(pl.col("surname"))).to_series().to_list() == [
        "oneillhart",
        None,
    ]


def test_name_forms_share_a_full_name_when_one_may_be_the_other() -> None:
    frame = pl.DataFrame({"given": ["bill", "will", "zoe", None]})

    forms = frame.select(name_forms(pl.col("given"))).to_series().to_list()

    assert forms == [["bill", "william"], ["will", "william"], ["zoe"], []]
