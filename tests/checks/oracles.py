"""Peer projects' test cases (../shared/oracles) and what each asserts of us.

Each oracle row becomes a ``Case``: an input, the context it was asserted in, and
a verdict on Contactable's answer. A case that fails on purpose, because our
documented policy differs, is listed with its reason in
``tests/data/oracle_policy_differences.csv``.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from contactable.checks.display import display_phone_number
from contactable.checks.email_address import check_email
from contactable.checks.outcome import EmailCheck, PhoneCheck, PhoneType, Status
from contactable.checks.phone_number import check_phone


def _shared_folder() -> Path:
    """``../shared`` beside the project, or where CONTACTABLE_SHARED says."""
    if "CONTACTABLE_SHARED" in os.environ:
        return Path(os.environ["CONTACTABLE_SHARED"])
    beside = Path(__file__).resolve().parents[3] / "shared"
    return beside if beside.exists() else Path("/work/shared")


ORACLES = _shared_folder() / "oracles"
DIFFERENCES = (
    Path(__file__).resolve().parents[1] / "data" / "oracle_policy_differences.csv"
)

CROWN_DEPENDENCIES = {"GG", "JE", "IM"}

# GOV.UK Notify's error codes, as our problem codes.
NOTIFY_CODES = {
    "TOO_SHORT": "too_short",
    "TOO_LONG": "too_long",
    "INVALID_NUMBER": "invalid_number",
    "UNKNOWN_CHARACTER": "not_a_number",
}


@dataclass(frozen=True)
class Case:
    """One oracle assertion and our verdict on it."""

    oracle: str
    input: str
    context: str
    expected: str
    passes: Callable[[], bool]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.oracle, self.input, self.context)


def _rows(name: str) -> list[dict[str, str]]:
    with (ORACLES / name).open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _usable(check: EmailCheck | PhoneCheck) -> str | None:
    """The value we would use or offer: the normalised form or the suggestion."""
    return check.normalised if check.status is Status.OK else check.suggestion


def _email_valid(row: dict[str, str]) -> bool:
    check = check_email(row["input"])
    if row["expected_valid"] == "false":
        return check.status is not Status.OK
    if check.status is not Status.OK:
        return False
    return (
        not row["expected_normalised"] or check.normalised == row["expected_normalised"]
    )


def _flanker(row: dict[str, str]) -> bool:
    check = check_email("username@" + row["domain"])
    if not row["expected_correction"]:
        return check.status is Status.OK
    return check.suggestion == "username@" + row["expected_correction"]


def _email_typo(row: dict[str, str]) -> bool:
    check = check_email(row["input"])
    if row["expected"] == row["input"]:
        return check.status is Status.OK and check.normalised == row["input"]
    return _usable(check) == row["expected"]


def _notify_sends(check: PhoneCheck, international: bool, landline: bool) -> bool:
    """Whether Notify would send a text to this number under these settings."""
    if check.status is not Status.OK:
        return False
    if check.region is not None:
        return international
    return check.type is PhoneType.MOBILE or landline


def _notify_phone(row: dict[str, str]) -> bool:
    check = check_phone(row["input"])
    expected_valid = row["expected_valid"] == "true"
    normalised = (
        "+" + row["expected_normalised"] if row["expected_normalised"] else None
    )
    if row["allow_international"] == "":
        # Construction only: Notify parses the number and finds it possible.
        if not expected_valid:
            return check.status is not Status.OK
        offered = _usable(check)
        return offered is not None and (normalised is None or offered == normalised)

    sends = _notify_sends(
        check, row["allow_international"] == "true", row["allow_landline"] == "true"
    )
    if expected_valid:
        return sends and (normalised is None or check.normalised == normalised)
    if sends:
        return False
    code = NOTIFY_CODES.get(row["expected_error"])
    return code is None or check.status is Status.OK or check.problem == code


def _notify_phone_other(row: dict[str, str]) -> bool:
    check = check_phone(row["input"])
    if check.status is not Status.OK or check.normalised is None:
        return False
    if row["check"] == "is_uk_phone_number":
        return check.normalised.startswith("+44") == (row["expected"] == "true")
    if row["check"] == "human_readable_format":
        return display_phone_number(check.normalised) == row["expected"]

    # international_info: rate_multiplier is Notify's billing data, which
    # Contactable has no use for; the other three facts are ours too.
    facts = dict(part.split("=") for part in row["expected"].split(";"))
    country = check.normalised[1:].split()[0]
    return (
        (check.region is not None) == (facts["international"] == "True")
        and (check.region in CROWN_DEPENDENCIES)
        == (facts["crown_dependency"] == "True")
        and country.startswith(facts["country_prefix"])
    )


def cases() -> Iterator[Case]:
    """Every oracle row as a case."""
    for row in _rows("notify_email_cases.csv"):
        yield Case(
            "notify_email",
            row["input"],
            "",
            row["expected_valid"],
            lambda row=row: _email_valid(row),
        )
    for row in _rows("email_validator_cases.csv"):
        yield Case(
            "email_validator",
            row["input"],
            row["group"],
            row["expected_valid"],
            lambda row=row: _email_valid(row),
        )
    for row in _rows("flanker_domain_typos.csv"):
        yield Case(
            "flanker",
            row["domain"],
            "",
            row["expected_correction"],
            lambda row=row: _flanker(row),
        )
    for row in _rows("email_typo_cases.csv"):
        yield Case(
            "email_typo",
            row["input"],
            "",
            row["expected"],
            lambda row=row: _email_typo(row),
        )
    for row in _rows("notify_phone_cases.csv"):
        international, landline = row["allow_international"], row["allow_landline"]
        context = f"international={international};landline={landline}"
        yield Case(
            "notify_phone",
            row["input"],
            context,
            row["expected_valid"],
            lambda row=row: _notify_phone(row),
        )
    for row in _rows("notify_phone_other_cases.csv"):
        yield Case(
            "notify_phone_other",
            row["input"],
            row["check"],
            row["expected"],
            lambda row=row: _notify_phone_other(row),
        )


def policy_differences() -> dict[tuple[str, str, str], str]:
    """The cases we fail on purpose, with the reason for each."""
    with DIFFERENCES.open(newline="", encoding="utf-8") as file:
        return {
            (row["oracle"], row["input"], row["context"]): row["reason"]
            for row in csv.DictReader(file)
        }
