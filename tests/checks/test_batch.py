"""The column checks give, row for row, what the one-value checks give."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contactable.checks.batch import (
    EMAIL_FIELDS,
    PHONE_FIELDS,
    check_email_column,
    check_phone_column,
)
from contactable.checks.email_address import check_email
from contactable.checks.phone_number import check_phone
from contactable.synthetic.contacts import contact_rows
from tests.checks.oracles import cases

ORACLE_EMAILS = sorted(
    {
        c.input
        for c in cases()
        if c.oracle in ("notify_email", "email_validator", "email_typo")
    }
    | {"username@" + c.input for c in cases() if c.oracle == "flanker"}
)
ORACLE_PHONES = sorted(
    {c.input for c in cases() if c.oracle.startswith("notify_phone")}
)
GENERATED = list(contact_rows(20_000, seed=99))


def _expected(
    check: Callable[[str | None], Any],
    values: Sequence[str | None],
    fields: tuple[str, ...],
) -> list[dict[str, str | None]]:
    rows = []
    for value in values:
        result = check(value)
        rows.append(
            {
                f: None if getattr(result, f) is None else str(getattr(result, f))
                for f in fields
            }
        )
    return rows


def _assert_emails_agree(values: Sequence[str | None]) -> None:
    got = check_email_column(pl.Series(values, dtype=pl.String)).to_dicts()

    assert got == _expected(check_email, values, EMAIL_FIELDS)


def _assert_phones_agree(
    values: Sequence[str | None], dialling_code: str | None
) -> None:
    got = check_phone_column(
        pl.Series(values, dtype=pl.String), dialling_code=dialling_code
    ).to_dicts()

    def one(value: str | None) -> Any:
        return check_phone(value, dialling_code=dialling_code)

    assert got == _expected(one, values, PHONE_FIELDS)


def test_oracle_emails_agree() -> None:
    _assert_emails_agree(ORACLE_EMAILS)


@pytest.mark.parametrize("dialling_code", [None, "0113"])
def test_oracle_phones_agree(dialling_code: str | None) -> None:
    _assert_phones_agree(ORACLE_PHONES, dialling_code)


def test_generated_emails_with_realistic_errors_agree() -> None:
    _assert_emails_agree([r.email for r in GENERATED])


def test_generated_phones_with_realistic_errors_agree() -> None:
    _assert_phones_agree([r.phone for r in GENERATED], "0113")


def test_nulls_and_an_empty_column_are_handled() -> None:
    _assert_emails_agree([None, "", None])
    _assert_phones_agree([None, "", None], None)

    assert check_email_column(pl.Series([], dtype=pl.String)).columns == list(
        EMAIL_FIELDS
    )
    assert check_phone_column(pl.Series([], dtype=pl.String)).height == 0


# Values built from the characters that matter to the checks, so that the
# search finds the corners where the two paths could part.
_EMAIL_PIECES = st.sampled_from(
    [
        "jo",
        "Jo",
        ".",
        "..",
        "@",
        "@@",
        " ",
        ",",
        ";",
        "-",
        "--",
        "_",
        "'",
        '"',
        "<",
        ">",
        "é",
        "\u2019",
        "\u200b",
        "gmail",
        "gmial",
        "hotmail",
        "co",
        "uk",
        "com",
        "con",
        "couk",
        "mailto:",
        "info",
        "none",
        "1",
        "07700 900",
        "#",
        "`",
        "xn--",
        "local",
        "\uff0e",
        "\uff20",
        "[",
        "]",
        "\\",
        "\t",
        "\n",
    ]
)
_PHONE_PIECES = st.sampled_from(
    [
        "0",
        "07",
        "7",
        "4",
        "1",
        "2",
        "9",
        "+",
        "+44",
        "44",
        "(0)",
        "(",
        ")",
        " ",
        "-",
        ".",
        "..",
        ".0",
        "e+09",
        "E",
        "O",
        "l",
        "I",
        "x",
        "ext",
        "#",
        "@",
        "0800",
        "1800",
        "20",
        "\u2013",
        "\xa0",
        "a",
        "00",
        "1624",
        "7624",
        "7797",
        "456789",
        "123456",
        "960123",
        "0113",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(_EMAIL_PIECES, max_size=8).map("".join), min_size=1, max_size=40)
)
def test_any_email_like_value_agrees(values: list[str]) -> None:
    _assert_emails_agree(values)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(_PHONE_PIECES, max_size=8).map("".join), min_size=1, max_size=40),
    st.sampled_from([None, "0113", "01632"]),
)
def test_any_phone_like_value_agrees(
    values: list[str], dialling_code: str | None
) -> None:
    _assert_phones_agree(values, dialling_code)
