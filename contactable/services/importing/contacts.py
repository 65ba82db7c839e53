"""The contact values of a file's rows, checked, as one row per value."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import polars as pl

from contactable.checks.batch import check_email_column, check_phone_column
from contactable.checks.frame import run_together
from contactable.checks.shared import DEFAULT_SHARED_THRESHOLD, mark_shared
from contactable.config import Settings
from contactable.services.importing.rows import PreparedRows

CONTACT_COLUMNS = (
    "row_number",
    "kind",
    "raw_value",
    "normalised",
    "status",
    "problem",
    "suggestion",
    "phone_type",
    "phone_region",
)


def checked_contacts(
    frame: pl.DataFrame,
    *,
    emails: tuple[str, ...],
    phones: tuple[str, ...],
    dialling_code: str | None,
    shared_threshold: int = DEFAULT_SHARED_THRESHOLD,
) -> pl.DataFrame:
    """Check every contact column; one row per value that is there at all.

    Empty cells and stand-ins such as "n/a" carry no contact, so they give no
    row, though they are counted by the caller from ``status``.
    """

    def checked(kind: str, column: str) -> pl.DataFrame:
        values = frame.get_column(column)
        if kind == "email":
            results = check_email_column(values).with_columns(
                phone_type=pl.lit(None, pl.String),
                phone_region=pl.lit(None, pl.String),
            )
        else:
            results = check_phone_column(values, dialling_code=dialling_code).rename(
                {"type": "phone_type", "region": "phone_region"}
            )
        results = mark_shared(
            results,
            addresses=frame.get_column("address_key"),
            threshold=shared_threshold,
        )
        return pl.concat(
            [
                frame.select(
                    "row_number",
                    pl.lit(kind).alias("kind"),
                    pl.col(column).alias("raw_value"),
                ),
                results,
            ],
            how="horizontal",
        ).select(CONTACT_COLUMNS)

    columns = [("email", c) for c in emails] + [("phone", c) for c in phones]
    parts = run_together(
        [functools.partial(checked, kind, column) for kind, column in columns]
    )
    if not parts:
        return pl.DataFrame(
            schema=dict.fromkeys(CONTACT_COLUMNS, pl.String)
        ).with_columns(pl.col("row_number").cast(pl.UInt32))
    return pl.concat(parts).filter(pl.col("raw_value").is_not_null())


@contextlib.contextmanager
def contacts_checked_meanwhile(
    prepared: PreparedRows, settings: Settings
) -> Iterator[Future[pl.DataFrame]]:
    """The rows' contacts (``checked_contacts``), checked in a thread of their
    own while the caller writes to the database: the database does most of
    that work itself, and would otherwise leave this process waiting."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="checks") as pool:
        yield pool.submit(
            checked_contacts,
            prepared.frame,
            emails=prepared.emails,
            phones=prepared.phones,
            dialling_code=settings.dialling_code or None,
            shared_threshold=settings.shared_threshold,
        )


def stored_value() -> pl.Expr:
    """The value a contact point keeps: the normalised form, else the value as
    recorded with its surrounding space trimmed."""
    return pl.coalesce(pl.col("normalised"), pl.col("raw_value").str.strip_chars())
