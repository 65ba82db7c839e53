"""Check the email and phone columns of a whole table, as ``contactable check`` does."""

from __future__ import annotations

import polars as pl

from contactable.checks.batch import (
    EMAIL_FIELDS,
    PHONE_FIELDS,
    check_email_column,
    check_phone_column,
)
from contactable.checks.shared import DEFAULT_SHARED_THRESHOLD, address_key, mark_shared


def result_columns(*, email: bool, phone: bool) -> list[str]:
    """The columns a check adds, in DESIGN.md's order."""
    columns = []
    if email:
        columns += [f"email_{f}" for f in EMAIL_FIELDS]
    if phone:
        columns += [f"phone_{f}" for f in EMAIL_FIELDS] + ["phone_type", "phone_region"]
    return columns


def check_contact_frame(
    frame: pl.DataFrame,
    *,
    email_column: str | None = None,
    phone_column: str | None = None,
    address_columns: list[str] | None = None,
    dialling_code: str | None = None,
    shared_threshold: int = DEFAULT_SHARED_THRESHOLD,
) -> pl.DataFrame:
    """Return ``frame`` with the check's columns added after its own.

    >>> table = pl.DataFrame({"Email": ["jo@gmial.com"]})
    >>> check_contact_frame(table, email_column="Email")["email_suggestion"][0]
    'jo@gmail.com'
    """
    addresses = address_key(frame, address_columns or [])
    added: list[pl.Series] = []
    if email_column is not None:
        emails = check_email_column(frame.get_column(email_column))
        emails = mark_shared(emails, addresses=addresses, threshold=shared_threshold)
        added += [emails.get_column(f).alias(f"email_{f}") for f in EMAIL_FIELDS]
    if phone_column is not None:
        phones = check_phone_column(
            frame.get_column(phone_column), dialling_code=dialling_code
        )
        phones = mark_shared(phones, addresses=addresses, threshold=shared_threshold)
        added += [phones.get_column(f).alias(f"phone_{f}") for f in PHONE_FIELDS]

    clashes = [s.name for s in added if s.name in frame.columns]
    base = frame.drop(clashes) if clashes else frame
    return base.with_columns(added)
