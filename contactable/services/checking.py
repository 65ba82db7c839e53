"""``contactable check``: read a file, check its contact columns, write the results."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from contactable.checks.frame import check_contact_frame
from contactable.config import Settings
from contactable.errors import ContactableError
from contactable.services.quality_report import write_quality_report
from contactable.sources import HeaderNotFound, SourceTable, read_table, write_table
from contactable.sources.columns import (
    ADDRESS_HEADERS,
    CONTEXT_HEADERS,
    find_columns,
    find_email_column,
    find_phone_column,
    looks_like_contact_header,
)

logger = logging.getLogger(__name__)

CHUNK_ROWS = 250_000


class NoContactColumns(ContactableError):
    """The file has no column of email addresses or phone numbers."""

    code = "no_contact_columns"


class UnknownColumn(ContactableError):
    """A column named on the command line is not in the file."""

    code = "unknown_column"


@dataclass(frozen=True)
class FieldSummary:
    """Counts for one checked field: per status and per problem code."""

    column: str
    statuses: dict[str, int]
    problems: dict[str, int]


@dataclass(frozen=True)
class CheckSummary:
    """What ``check_file`` did."""

    rows: int
    fields: dict[str, FieldSummary] = field(default_factory=dict)
    output: Path | None = None
    report: Path | None = None


def _choose(headers: list[str], named: str | None, found: str | None) -> str | None:
    if named is None:
        return found
    if named not in headers:
        raise UnknownColumn(
            f"There is no column called {named!r}. The columns are: "
            + ", ".join(repr(h) for h in headers)
            + "."
        )
    return named


def _summary(checked: pl.DataFrame, field_name: str, column: str) -> FieldSummary:
    statuses = checked.group_by(f"{field_name}_status").len()
    problems = (
        checked.drop_nulls(f"{field_name}_problem")
        .group_by(f"{field_name}_problem")
        .len()
    )
    return FieldSummary(
        column,
        {str(k): int(v) for k, v in statuses.sort(f"{field_name}_status").iter_rows()},
        {str(k): int(v) for k, v in problems.sort("len", descending=True).iter_rows()},
    )


def _read(source: Path, named: list[str]) -> SourceTable:
    """Read the file, its header being the first row that names a contact column.

    A title row above the header is passed over; a file whose header names no
    contact column is read from its first row, so the error can list its columns.
    """

    def is_header(cells: list[str]) -> bool:
        return looks_like_contact_header(cells) or any(n in cells for n in named)

    try:
        return read_table(source, header_predicate=is_header)
    except HeaderNotFound:
        return read_table(source)


def default_output_path(source: Path) -> Path:
    """Where the checked copy goes when no output is named: beside the working
    folder's other files, as ``NAME-checked.csv`` (or ``.xlsx`` for workbooks)."""
    suffix = ".xlsx" if source.suffix.lower() in {".xlsx", ".ods"} else ".csv"
    return Path.cwd() / f"{source.stem}-checked{suffix}"


def check_file(
    source: Path,
    settings: Settings,
    *,
    output: Path | None = None,
    report: Path | None = None,
    email_column: str | None = None,
    phone_column: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckSummary:
    """Check a file's email and phone columns; write the checked copy and a report.

    ``progress`` is called with (rows done, rows in all) as the work goes on.
    """
    table = _read(source, [c for c in (email_column, phone_column) if c is not None])
    headers = table.frame.columns
    emails = _choose(headers, email_column, find_email_column(headers))
    phones = _choose(headers, phone_column, find_phone_column(headers))
    if emails is None and phones is None:
        raise NoContactColumns(
            f"{source} has no email or phone column. The columns are: "
            + ", ".join(repr(h) for h in headers)
            + ". Name one with --email-column or --phone-column."
        )

    checked = check_contact_frame(
        table.frame,
        email_column=emails,
        phone_column=phones,
        address_columns=find_columns(headers, ADDRESS_HEADERS),
        dialling_code=settings.dialling_code or None,
        shared_threshold=settings.shared_threshold,
        chunk_rows=CHUNK_ROWS,
        progress=progress,
    )
    logger.info("checked %d rows from a %s file", checked.height, table.format)

    output = output or default_output_path(source)
    for path in (output, report):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
    write_table(checked, output)
    if report is not None:
        write_quality_report(
            checked,
            report,
            email_column=emails,
            phone_column=phones,
            row_numbers=table.row_numbers,
            context_columns=find_columns(headers, CONTEXT_HEADERS),
            source_name=source.name,
        )

    fields = {}
    if emails is not None:
        fields["email"] = _summary(checked, "email", emails)
    if phones is not None:
        fields["phone"] = _summary(checked, "phone", phones)
    return CheckSummary(checked.height, fields, output, report)
