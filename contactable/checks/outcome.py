"""The outcome of a check: a status, a stable problem code and a suggestion."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """How usable a checked value is."""

    OK = "ok"
    SUGGESTION = "suggestion"
    INVALID = "invalid"
    EMPTY = "empty"


class Problem(StrEnum):
    """A stable code for what is wrong with a value (DESIGN.md, Checks)."""

    PLACEHOLDER = "placeholder"
    WHITESPACE = "whitespace"
    PUNCTUATION = "punctuation"
    MISSING_AT = "missing_at"
    SYNTAX = "syntax"
    UNKNOWN_TLD = "unknown_tld"
    DOMAIN_TYPO = "domain_typo"
    SHARED = "shared"
    PHONE_IN_EMAIL = "phone_in_email"
    EMAIL_IN_PHONE = "email_in_phone"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NO_AREA_CODE = "no_area_code"
    NOT_A_NUMBER = "not_a_number"
    INVALID_NUMBER = "invalid_number"
    FICTIONAL = "fictional"
    EXTENSION = "extension"


class PhoneType(StrEnum):
    """What kind of line a valid phone number reaches."""

    MOBILE = "mobile"
    LANDLINE = "landline"
    VOIP = "voip"
    PERSONAL = "personal"
    PAGER = "pager"
    NON_GEOGRAPHIC = "non_geographic"
    FREEPHONE = "freephone"
    PREMIUM = "premium"
    OTHER = "other"


# Written for the member of staff reading the quality report, not for developers.
PROBLEM_MESSAGES: dict[Problem, str] = {
    Problem.PLACEHOLDER: "A stand-in such as 'none' or 'n/a', not a contact detail.",
    Problem.WHITESPACE: "The email address has spaces inside it.",
    Problem.PUNCTUATION: "The email address has a doubled, missing or misplaced dot, "
    "a comma or semicolon for a dot, a doubled @ or stray punctuation.",
    Problem.MISSING_AT: "The email address has no @.",
    Problem.SYNTAX: "The email address is not in a form that can receive mail.",
    Problem.UNKNOWN_TLD: "The ending of the address (such as .com) does not exist.",
    Problem.DOMAIN_TYPO: "The part after the @ looks like a misspelling of a known "
    "email provider.",
    Problem.SHARED: "The same value is held for electors at many different addresses.",
    Problem.PHONE_IN_EMAIL: "A phone number has been entered as the email address.",
    Problem.EMAIL_IN_PHONE: "An email address has been entered as the phone number.",
    Problem.TOO_SHORT: "The phone number has digits missing.",
    Problem.TOO_LONG: "The phone number has too many digits.",
    Problem.NO_AREA_CODE: "The phone number has no dialling code.",
    Problem.NOT_A_NUMBER: "The phone number has letters or symbols in it, or a "
    "spreadsheet has rounded it.",
    Problem.INVALID_NUMBER: "The phone number is the right length but is not in a "
    "range that is in use.",
    Problem.FICTIONAL: "The phone number is in a range Ofcom keeps for drama and "
    "testing, so it cannot be a real elector's.",
    Problem.EXTENSION: "The phone number has an extension, which is kept out of the "
    "normalised number.",
}


@dataclass(frozen=True, slots=True)
class EmailCheck:
    """The result of checking one email address.

    ``normalised`` is set only when the value is usable as it stands (status ``ok``).
    """

    original: str
    status: Status
    normalised: str | None = None
    problem: Problem | None = None
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class PhoneCheck:
    """The result of checking one phone number.

    ``normalised`` is the E.164 form, set only when the status is ``ok``; ``type``
    and ``region`` describe the normalised number, or the suggestion when there is
    one.
    """

    original: str
    status: Status
    normalised: str | None = None
    problem: Problem | None = None
    suggestion: str | None = None
    type: PhoneType | None = None
    region: str | None = None
