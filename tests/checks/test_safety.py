"""What `ok` promises: the libraries agree, and Notify would take the mobile."""

from __future__ import annotations

import email_validator
import phonenumbers
import polars as pl

from contactable.checks.batch import check_email_column, check_phone_column
from contactable.checks.outcome import PhoneType, Status
from contactable.checks.phone_rules import TYPE_NAMES
from contactable.synthetic.contacts import contact_rows
from tests.checks.oracles import cases

ROWS = list(contact_rows(20_000, seed=5))
EMAILS = [r.email for r in ROWS] + [c.input for c in cases() if "email" in c.oracle]
PHONES = [r.phone for r in ROWS] + [c.input for c in cases() if "phone" in c.oracle]


def test_no_email_is_ok_that_email_validator_rejects() -> None:
    results = check_email_column(pl.Series(EMAILS, dtype=pl.String))
    usable = results.filter(pl.col("status") == Status.OK.value)["normalised"].to_list()

    assert len(usable) > 10_000
    for address in usable:
        validated = email_validator.validate_email(address, check_deliverability=False)
        assert validated.normalized == address


def test_no_suggestion_is_offered_that_email_validator_rejects() -> None:
    results = check_email_column(pl.Series(EMAILS, dtype=pl.String))
    offered = results["suggestion"].drop_nulls().to_list()

    assert len(offered) > 500
    for address in offered:
        email_validator.validate_email(address, check_deliverability=False)


def test_no_phone_is_ok_that_phonenumbers_calls_invalid() -> None:
    results = check_phone_column(pl.Series(PHONES, dtype=pl.String))
    usable = results.filter(pl.col("status") == Status.OK.value)

    assert usable.height > 10_000
    for normalised, type_, region in usable.select(
        "normalised", "type", "region"
    ).rows():
        number = phonenumbers.parse(normalised, None)
        assert phonenumbers.is_valid_number(number)
        assert TYPE_NAMES[phonenumbers.number_type(number)] == type_
        assert (phonenumbers.region_code_for_number(number), region) in {
            ("GB", None)
        } | {(region, region)}


def test_an_ok_british_mobile_is_one_notify_would_text() -> None:
    # GOV.UK Notify texts a number without international sending when it is a
    # valid +44 mobile outside the Crown dependencies.
    results = check_phone_column(pl.Series(PHONES, dtype=pl.String))
    mobiles = results.filter(
        (pl.col("status") == Status.OK.value)
        & (pl.col("type") == PhoneType.MOBILE.value)
        & pl.col("region").is_null()
    )["normalised"].to_list()

    assert len(mobiles) > 5_000
    for normalised in mobiles:
        number = phonenumbers.parse(normalised, None)
        assert number.country_code == 44
        assert phonenumbers.region_code_for_number(number) == "GB"
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
