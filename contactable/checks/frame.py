"""Check the email and phone columns of a whole table, as ``contactable check`` does."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import polars as pl

from contactable.checks.batch import (
    EMAIL_FIELDS,
    PHONE_FIELDS,
    check_email_column,
    check_phone_column,
)
from contactable.checks.shared import DEFAULT_SHARED_THRESHOLD, address_key, mark_shared

T = TypeVar("T")


def run_together(work: Sequence[Callable[[], T]]) -> list[T]:
    """Each piece of work's result, in order, the pieces run side by side.

    Checking one column is a run of Polars queries, several of which use one
    core; two columns checked at once keep both cores of a small server busy
    (a fifth to a third quicker for an email and a phone column).
    """
    if len(work) <= 1:
        return [piece() for piece in work]
    with ThreadPoolExecutor(max_workers=min(len(work), 4)) as pool:
        return [future.result() for future in [pool.submit(w) for w in work]]


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
    lock = threading.Lock()

    def advance(rows: int) -> None:
        nonlocal done
        with lock:
            done += rows
            if progress is not None:
                progress(done, total)

    addresses = address_key(frame, address_columns or [])

    def emails(column: str) -> list[pl.Series]:
        results = _in_chunks(
            check_email_column, frame.get_column(column), chunk_rows, advance
        )
        results = mark_shared(results, addresses=addresses, threshold=shared_threshold)
        return [results.get_column(f).alias(f"email_{f}") for f in EMAIL_FIELDS]

    def check_phones(values: pl.Series) -> pl.DataFrame:
        return check_phone_column(values, dialling_code=dialling_code)

    def phones(column: str) -> list[pl.Series]:
        results = _in_chunks(
            check_phones, frame.get_column(column), chunk_rows, advance
        )
        results = mark_shared(results, addresses=addresses, threshold=shared_threshold)
        return [results.get_column(f).alias(f"phone_{f}") for f in PHONE_FIELDS]

    work = [
        *([functools.partial(emails, email_column)] if email_column else []),
        *([functools.partial(phones, phone_column)] if phone_column else []),
    ]
    added = [column for columns in run_together(work) for column in columns]

    clashes = [s.name for s in added if s.name in frame.columns]
    base = frame.drop(clashes) if clashes else frame
    return base.with_columns(added)
