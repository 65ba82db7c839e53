"""The one-value email check: each step of the pipeline, with exact outcomes."""

from __future__ import annotations

import pytest

from contactable.checks.email_address import (
    check_email,
    normalise_email_text,
    repair_punctuation,
)
from contactable.checks.outcome import EmailCheck, Problem, Status

OK, SUGGESTION, INVALID, EMPTY = (
    Status.OK,
    Status.SUGGESTION,
    Status.INVALID,
    Status.EMPTY,
)


@pytest.mark.parametrize(
    ("value", "status", "normalised", "problem", "suggestion"),
    [
        ("jo.bloggs@example.com", OK, "jo.bloggs@example.com", None, None),
        # Safe normalisations: no suggestion needed.
        ("  jo@Example.COM\u00a0", OK, "jo@example.com", None, None),
        ("\u200bjo@example.com", OK, "jo@example.com", None, None),
        ("mailto:jo@example.com", OK, "jo@example.com", None, None),
        ("Jo Bloggs <jo@example.com>", OK, "jo@example.com", None, None),
        ("jo\uff0ebloggs@example\uff0ecom", OK, "jo.bloggs@example.com", None, None),
        # The local part keeps its case, but RFC 2142 mailbox names do not.
        ("Jo.Bloggs@example.com", OK, "Jo.Bloggs@example.com", None, None),
        ("Info@example.com", OK, "info@example.com", None, None),
        ("", EMPTY, None, None, None),
        (None, EMPTY, None, None, None),
        ("   ", EMPTY, None, None, None),
        ("n/a", EMPTY, None, Problem.PLACEHOLDER, None),
        ("noemail@gmail.com", EMPTY, None, Problem.PLACEHOLDER, None),
        ("someone@none.com", EMPTY, None, Problem.PLACEHOLDER, None),
        (
            "jo bloggs@gmail.com",
            SUGGESTION,
            None,
            Problem.WHITESPACE,
            "jobloggs@gmail.com",
        ),
        ("jo@gmail .com", SUGGESTION, None, Problem.WHITESPACE, "jo@gmail.com"),
        ("jo@@gmail.com", SUGGESTION, None, Problem.PUNCTUATION, "jo@gmail.com"),
        (
            "jo..bloggs@gmail.com",
            SUGGESTION,
            None,
            Problem.PUNCTUATION,
            "jo.bloggs@gmail.com",
        ),
        ("jo@gmail,com", SUGGESTION, None, Problem.PUNCTUATION, "jo@gmail.com"),
        ("jo@gmail.com.", SUGGESTION, None, Problem.PUNCTUATION, "jo@gmail.com"),
        ("jo.@gmail.com", SUGGESTION, None, Problem.PUNCTUATION, "jo@gmail.com"),
        ("jo@gmail;co.uk", SUGGESTION, None, Problem.PUNCTUATION, "jo@gmail.com"),
        # A curly apostrophe from a word processor.
        (
            "o\u2019brien@example.com",
            SUGGESTION,
            None,
            Problem.PUNCTUATION,
            "o'brien@example.com",
        ),
        (
            "jobloggsgmail.com",
            SUGGESTION,
            None,
            Problem.MISSING_AT,
            "jobloggs@gmail.com",
        ),
        (
            "jo.bloggs.hotmail.co.uk",
            SUGGESTION,
            None,
            Problem.MISSING_AT,
            "jo.bloggs@hotmail.co.uk",
        ),
        ("jo.bloggs", INVALID, None, Problem.MISSING_AT, None),
        ("07700 900123", INVALID, None, Problem.PHONE_IN_EMAIL, None),
        ("+44 7700 900123", INVALID, None, Problem.PHONE_IN_EMAIL, None),
        ("jo@example.con", SUGGESTION, None, Problem.UNKNOWN_TLD, "jo@example.com"),
        ("jo@example.cmo", SUGGESTION, None, Problem.UNKNOWN_TLD, "jo@example.com"),
        (
            "jo@example.co.ukk",
            SUGGESTION,
            None,
            Problem.UNKNOWN_TLD,
            "jo@example.co.uk",
        ),
        ("jo@example.couk", SUGGESTION, None, Problem.UNKNOWN_TLD, "jo@example.co.uk"),
        ("jo@example.com1", SUGGESTION, None, Problem.UNKNOWN_TLD, "jo@example.com"),
        ("jo@example.qqqq", INVALID, None, Problem.UNKNOWN_TLD, None),
        ("jo@gmail", SUGGESTION, None, Problem.UNKNOWN_TLD, "jo@gmail.com"),
        ("jo@yahoocom", SUGGESTION, None, Problem.UNKNOWN_TLD, "jo@yahoo.com"),
        ("jo@gmial.com", SUGGESTION, None, Problem.DOMAIN_TYPO, "jo@gmail.com"),
        ("jo@hotmial.co.uk", SUGGESTION, None, Problem.DOMAIN_TYPO, "jo@hotmail.co.uk"),
        (
            "jo@btinternet.co.uk",
            SUGGESTION,
            None,
            Problem.DOMAIN_TYPO,
            "jo@btinternet.com",
        ),
        ("jo@gmail.co.uk", SUGGESTION, None, Problem.DOMAIN_TYPO, "jo@gmail.com"),
        ("jo@gmail.com.com", SUGGESTION, None, Problem.DOMAIN_TYPO, "jo@gmail.com"),
        ("jo@gmial.con", SUGGESTION, None, Problem.UNKNOWN_TLD, "jo@gmail.com"),
        ("jo@example.cm", SUGGESTION, None, Problem.DOMAIN_TYPO, "jo@example.com"),
        # Never corrected: public bodies, universities, schools, small providers.
        ("jo@leeds.gov.uk", OK, "jo@leeds.gov.uk", None, None),
        ("jo@nhs.net", OK, "jo@nhs.net", None, None),
        ("jo@cardiff.ac.uk", OK, "jo@cardiff.ac.uk", None, None),
        ("jo@llyw.cymru", OK, "jo@llyw.cymru", None, None),
        ("jo@ntlworld.com", OK, "jo@ntlworld.com", None, None),
        ("jo@ao.com", OK, "jo@ao.com", None, None),
        ("jo@example.co", OK, "jo@example.co", None, None),
        # Refused as email-validator refuses them.
        ('"jo bloggs"@example.com', INVALID, None, Problem.SYNTAX, None),
        ("jo@[192.0.2.1]", INVALID, None, Problem.SYNTAX, None),
        ("jo@mail.local", INVALID, None, Problem.SYNTAX, None),
        ("jo@jo@example.com", INVALID, None, Problem.SYNTAX, None),
        ("a@b@example.com c@example.com", INVALID, None, Problem.SYNTAX, None),
        # Internationalised addresses are valid (RFC 6531).
        ("jöe@example.com", OK, "jöe@example.com", None, None),
    ],
)
def test_email_outcomes(
    value: str | None,
    status: Status,
    normalised: str | None,
    problem: Problem | None,
    suggestion: str | None,
) -> None:
    expected = EmailCheck(
        "" if value is None else value, status, normalised, problem, suggestion
    )

    assert check_email(value) == expected


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        (" Jo Bloggs <mailto:Jo@Example.COM> ", "Jo@example.com"),
        ("MAILTO:jo@example.com", "jo@example.com"),
        ("<jo@example.com>", "jo@example.com"),
        ("jo@EXAMPLE@Example.COM", "jo@EXAMPLE@example.com"),
        ("no at sign", "no at sign"),
    ],
)
def test_normalisation_is_applied_before_any_check(value: str, normalised: str) -> None:
    assert normalise_email_text(value) == normalised


@pytest.mark.parametrize(
    ("value", "repaired", "changed"),
    [
        ("jo.@@example,com.", "jo@example.com", True),
        ("'jo@example.com'", "jo@example.com", True),
        ("jo@.example..com", "jo@example.com", True),
        ("jo@#example.com", "jo@example.com", True),
        ("jo@example.com", "jo@example.com", False),
    ],
)
def test_punctuation_repairs(value: str, repaired: str, changed: bool) -> None:
    assert repair_punctuation(value) == (repaired, changed)


def test_the_original_value_is_kept_beside_the_outcome() -> None:
    assert check_email("  Jo@Example.com ").original == "  Jo@Example.com "
