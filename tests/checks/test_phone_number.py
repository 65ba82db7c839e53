"""The one-value phone check: British by default, with what councils' files hold."""

from __future__ import annotations

import pytest

from contactable.checks.outcome import PhoneCheck, PhoneType, Problem, Status
from contactable.checks.phone_number import check_phone, compact_phone_text

OK, SUGGESTION, INVALID, EMPTY = (
    Status.OK,
    Status.SUGGESTION,
    Status.INVALID,
    Status.EMPTY,
)
MOBILE, LANDLINE = PhoneType.MOBILE, PhoneType.LANDLINE

# Real-looking numbers in ranges that are in use; the drama ranges are fictional.
CASES = [
    ("07400 123456", OK, "+447400123456", None, None, MOBILE, None),
    ("07400123456", OK, "+447400123456", None, None, MOBILE, None),
    ("+44 7400 123456", OK, "+447400123456", None, None, MOBILE, None),
    ("+44 (0)7400 123456", OK, "+447400123456", None, None, MOBILE, None),
    ("0044 7400 123456", OK, "+447400123456", None, None, MOBILE, None),
    ("07400-123-456", OK, "+447400123456", None, None, MOBILE, None),
    ("(0113) 496 1234", OK, "+441134961234", None, None, LANDLINE, None),
    # Spreadsheet damage: the leading zero lost, a decimal, scientific notation.
    ("7400123456", OK, "+447400123456", None, None, MOBILE, None),
    ("7400123456.0", OK, "+447400123456", None, None, MOBILE, None),
    ("7.400123456E+09", OK, "+447400123456", None, None, MOBILE, None),
    ("7.4e+09", INVALID, None, Problem.NOT_A_NUMBER, None, None, None),
    # Digits missing or added; 07 with ten digits is "possible" to libphonenumber.
    ("0740012345", INVALID, None, Problem.TOO_SHORT, None, None, None),
    ("074001234567", INVALID, None, Problem.TOO_LONG, None, None, None),
    ("0440 1234567", INVALID, None, Problem.INVALID_NUMBER, None, None, None),
    # Letters for digits, and letters that are not.
    (
        "O7400 123456",
        SUGGESTION,
        None,
        Problem.NOT_A_NUMBER,
        "+447400123456",
        MOBILE,
        None,
    ),
    (
        "07400 I23456",
        SUGGESTION,
        None,
        Problem.NOT_A_NUMBER,
        "+447400123456",
        MOBILE,
        None,
    ),
    ("call after 6", INVALID, None, Problem.NOT_A_NUMBER, None, None, None),
    ("07400 123456...", INVALID, None, Problem.NOT_A_NUMBER, None, None, None),
    # Extensions: kept out of the number, and never on a mobile.
    (
        "0113 496 1234 ext 22",
        OK,
        "+441134961234",
        Problem.EXTENSION,
        None,
        LANDLINE,
        None,
    ),
    ("0113 496 1234 x22", OK, "+441134961234", Problem.EXTENSION, None, LANDLINE, None),
    ("07400 123456 ext 22", INVALID, None, Problem.NOT_A_NUMBER, None, None, None),
    # Crown dependencies are +44 but regions of their own.
    ("07624 123456", OK, "+447624123456", None, None, MOBILE, "IM"),
    ("07797 123456", OK, "+447797123456", None, None, MOBILE, "JE"),
    ("07781 123456", OK, "+447781123456", None, None, MOBILE, "GG"),
    ("+33 6 12 34 56 78", OK, "+33612345678", None, None, MOBILE, "FR"),
    # Types other than mobile and landline.
    ("0800 123 4567", OK, "+448001234567", None, None, PhoneType.FREEPHONE, None),
    ("0800 1111", OK, "+448001111", None, None, PhoneType.FREEPHONE, None),
    ("0300 123 4567", OK, "+443001234567", None, None, PhoneType.NON_GEOGRAPHIC, None),
    ("0900 123 4567", OK, "+449001234567", None, None, PhoneType.PREMIUM, None),
    ("07012 345678", OK, "+447012345678", None, None, PhoneType.PERSONAL, None),
    ("056 1234 5678", OK, "+445612345678", None, None, PhoneType.VOIP, None),
    # Ofcom's drama ranges.
    ("07700 900123", INVALID, None, Problem.FICTIONAL, None, None, None),
    ("01632 960123", INVALID, None, Problem.FICTIONAL, None, None, None),
    ("020 7946 0123", INVALID, None, Problem.FICTIONAL, None, None, None),
    # Placeholders and the wrong column.
    ("", EMPTY, None, None, None, None, None),
    ("ex-directory", EMPTY, None, Problem.PLACEHOLDER, None, None, None),
    ("00000000000", EMPTY, None, Problem.PLACEHOLDER, None, None, None),
    ("07000000000", EMPTY, None, Problem.PLACEHOLDER, None, None, None),
    ("01234567890", EMPTY, None, Problem.PLACEHOLDER, None, None, None),
    ("jo@example.com", INVALID, None, Problem.EMAIL_IN_PHONE, None, None, None),
]


@pytest.mark.parametrize(
    ("value", "status", "normalised", "problem", "suggestion", "type_", "region"), CASES
)
def test_phone_outcomes(
    value: str,
    status: Status,
    normalised: str | None,
    problem: Problem | None,
    suggestion: str | None,
    type_: PhoneType | None,
    region: str | None,
) -> None:
    expected = PhoneCheck(value, status, normalised, problem, suggestion, type_, region)

    assert check_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "dialling_code", "expected"),
    [
        (
            "496 1234",
            None,
            PhoneCheck("496 1234", INVALID, problem=Problem.NO_AREA_CODE),
        ),
        (
            "4961234",
            "0113",
            PhoneCheck(
                "4961234",
                SUGGESTION,
                None,
                Problem.NO_AREA_CODE,
                "+441134961234",
                LANDLINE,
                None,
            ),
        ),
        # The council's own code is offered only when the result is a real number.
        ("123456", "0113", PhoneCheck("123456", INVALID, problem=Problem.NO_AREA_CODE)),
        ("111111", "0113", PhoneCheck("111111", EMPTY, problem=Problem.PLACEHOLDER)),
    ],
)
def test_local_numbers_are_completed_with_the_councils_dialling_code(
    value: str, dialling_code: str | None, expected: PhoneCheck
) -> None:
    assert check_phone(value, dialling_code=dialling_code) == expected


@pytest.mark.parametrize(
    ("value", "compact"),
    [
        ("+44 (0)20 7946 0123", "+442079460123"),
        ("0044 20 7946 0123", "+442079460123"),
        ("020\u20137946\u20130123", "02079460123"),
        ("(020) 7946/0123", "02079460123"),
    ],
)
def test_separators_are_removed(value: str, compact: str) -> None:
    assert compact_phone_text(value) == compact
