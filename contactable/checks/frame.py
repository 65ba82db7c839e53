"""Check the email and phone columns of a whole table, as ``contactable check`` does."""

from __future__ import annotations

from collections.abc import Callable

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


def _in_chunks(
    check: Callable[[pl.Series], pl.DataFrame],
    values: pl.Series,
    chunk_rows: int | None,
    advance: Callable[[int], None],
) -> pl.DataFrame:
    if not chunk_rows or values.len() <= chunk_rows:
        result = check(values)
        advance(values.len())
        return result

    parts = []
    for start in range(0, values.len(), chunk_rows):
        chunk = values.slice(start, chunk_rows)
        parts.append(check(chunk))
        advance(chunk.len())
    return pl.concat(parts)


def check_contact_frame(
    frame: pl.DataFrame,
    *,
    email_column: str | None = None,
    phone_column: str | None = None,
    address_columns: list[str] | None = None,
    dialling_code: str | None = None,
    shared_threshold: int = DEFAULT_SHARED_THRESHOLD,
    chunk_rows: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pl.DataFrame:
    """Return ``frame`` with the check's columns added after its own.

    With ``chunk_rows``, the columns are checked that many rows at a time and
    ``progress`` is told (rows done, rows in all) after each; values shared
    across chunks are still found, as that step runs on the whole column.

    >>> table = pl.DataFrame({"Email": ["jo@gmial.com"]})
    >>> check_contact_frame(table, email_column="Email")["email_suggestion"][0]
    'jo@gmail.com'
    """
    fields = [c for c in (email_column, phone_column) if c is not None]
    total = frame.height * len(fields)
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        if progress is not None:
            progress(done, total)

    addresses = address_key(frame, address_columns or [])
    added: list[pl.Series] = []
    if email_column is not None:
        emails = _in_chunks(
            check_email_column, frame.get_column(email_column), chunk_rows, advance
        )
        emails = mark_shared(emails, addresses=addresses, threshold=shared_threshold)
        added += [emails.get_column(f).alias(f"email_{f}") for f in EMAIL_FIELDS]
    if phone_column is not None:

        def check_phones(values: pl.Series) -> pl.DataFrame:
            return check_phone_column(values, dialling_code=dialling_code)

        phones = _in_chunks(
            check_phones, frame.get_column(phone_column), chunk_rows, advance
        )
        phones = mark_shared(phones, addresses=addresses, threshold=shared_threshold)
        added += [phones.get_column(f).alias(f"phone_{f}") for f in PHONE_FIELDS]

    clashes = [s.name for s in added if s.name in frame.columns]
    base = frame.drop(clashes) if clashes else frame
    return base.with_columns(added)
