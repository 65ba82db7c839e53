"""Checking a whole table: the added columns, shared values and chunks."""

from __future__ import annotations

import polars as pl
import pytest

from contactable.checks.frame import check_contact_frame, result_columns
from contactable.checks.shared import address_key, mark_shared

FRAME = pl.DataFrame(
    {
        "Name": ["A", "B", "C", "D", "E"],
        "Address": ["1 High St", "2 High St", "3 High St", "4 High St", "1 HIGH ST."],
        "Email": [
            "agent@example.com",
            "agent@example.com",
            "agent@example.com",
            "agent@example.com",
            "jo@gmial.com",
        ],
        "Phone": ["07400 123456", "07400123456", "", "0113 496 1234", "n/a"],
    }
)


def test_columns_are_added_in_the_designed_order() -> None:
    checked = check_contact_frame(FRAME, email_column="Email", phone_column="Phone")

    assert checked.columns == [*FRAME.columns, *result_columns(email=True, phone=True)]
    assert result_columns(email=True, phone=True) == [
        "email_status",
        "email_normalised",
        "email_problem",
        "email_suggestion",
        "phone_status",
        "phone_normalised",
        "phone_problem",
        "phone_suggestion",
        "phone_type",
        "phone_region",
    ]


def test_a_value_at_many_addresses_is_marked_shared() -> None:
    checked = check_contact_frame(
        FRAME, email_column="Email", address_columns=["Address"], shared_threshold=4
    )

    assert checked["email_problem"].to_list() == ["shared"] * 4 + ["domain_typo"]
    assert checked["email_status"].to_list() == ["ok"] * 4 + ["suggestion"]


def test_the_same_address_written_differently_counts_once() -> None:
    key = address_key(FRAME, ["Address"])

    assert key is not None
    assert key[0] == key[4]


def test_below_the_threshold_nothing_is_shared() -> None:
    checked = check_contact_frame(
        FRAME, email_column="Email", address_columns=["Address"], shared_threshold=5
    )

    assert checked["email_problem"].to_list() == [None] * 4 + ["domain_typo"]


def test_a_threshold_below_two_is_refused() -> None:
    results = pl.DataFrame({"status": ["ok"], "normalised": ["x"], "problem": [None]})

    with pytest.raises(
        ValueError, match="The shared threshold must be 2 or more, not 1"
    ):
        mark_shared(results, addresses=None, threshold=1)


def test_checking_in_chunks_gives_the_same_result_and_reports_progress() -> None:
    seen: list[tuple[int, int]] = []
    whole = check_contact_frame(
        FRAME, email_column="Email", phone_column="Phone", address_columns=["Address"]
    )
    chunked = check_contact_frame(
        FRAME,
        email_column="Email",
        phone_column="Phone",
        address_columns=["Address"],
        chunk_rows=2,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert chunked.equals(whole)
    # The two columns are checked side by side, so their chunks may come in
    # any order; each chunk of each column is counted once, and in step.
    done = [d for d, _ in seen]
    steps = [b - a for a, b in zip([0, *done], done, strict=False)]
    assert {t for _, t in seen} == {10}
    assert done == sorted(done) and done[-1] == 10
    assert sorted(steps) == [1, 1, 2, 2, 2, 2]
