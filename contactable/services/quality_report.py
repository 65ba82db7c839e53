"""The quality report: a workbook staff work through to put contact details right.

The first sheet summarises a checked file; each problem found then has a sheet of
its own listing the rows to look at, with room for the decision taken.
"""

from __future__ import annotations

import datetime
import logging
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from contactable.checks.outcome import PROBLEM_MESSAGES, Problem, Status
from contactable.errors import ContactableError
from contactable.sources.writing import private_file

logger = logging.getLogger(__name__)

# Excel's limits (Microsoft's "Excel specifications and limits"): rows per sheet,
# and sheet names of at most 31 characters, none of them []:*?/\ .
EXCEL_MAX_ROWS = 1_048_576
DATA_ROWS_PER_SHEET = EXCEL_MAX_ROWS - 1  # the header takes the first row
_SHEET_NAME_LENGTH = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_MAX_COLUMN_WIDTH = 60
_NOTES_WIDTH = 40  # room for staff to write in, though it starts empty

STATUS_MEANINGS: dict[Status, str] = {
    Status.OK: "Usable as it stands.",
    Status.SUGGESTION: "Not usable as recorded; a likely correction is offered "
    "to accept or reject.",
    Status.INVALID: "Cannot be used, and no correction can be suggested.",
    Status.EMPTY: "No value, or a stand-in such as 'none'.",
}


class ReportColumnMissingError(ContactableError):
    """A column the report needs is not in the checked file."""

    code = "report_column_missing"


@dataclass(frozen=True, slots=True)
class _Field:
    name: str  # the prefix of the check's columns: "email" or "phone"
    title: str
    column: str  # the file's own column, with the value as recorded


@dataclass(frozen=True, slots=True)
class _ProblemGroup:
    field: _Field
    code: str
    count: int
    sheet_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Formats:
    title: Any
    heading: Any
    bold: Any
    wrap: Any
    percent: Any
    bold_percent: Any
    link: Any


def write_quality_report(
    checked: pl.DataFrame,
    path: str | os.PathLike[str],
    *,
    email_column: str | None,
    phone_column: str | None,
    row_numbers: pl.Series | None = None,
    context_columns: Sequence[str] = (),
    source_name: str = "",
    made_on: datetime.date | None = None,
) -> Path:
    """Write the quality report for a table made by ``contactable check``.

    For example ``write_quality_report(checked, "report.xlsx", email_column="Email",
    phone_column=None, context_columns=["Elector Number"])``.
    """
    target = Path(path)
    fields = _present_fields(email_column, phone_column)
    _require_columns(checked, fields, context_columns)
    rows = _resolve_row_numbers(checked, row_numbers)

    names = _SheetNames()
    groups = [
        group for field in fields for group in _plan_groups(checked, field, names)
    ]
    with private_file(target) as handle:
        options = {"constant_memory": True}
        with xlsxwriter.Workbook(handle, options) as workbook:
            formats = _add_formats(workbook)
            _write_summary(
                workbook,
                formats,
                checked,
                fields,
                groups,
                source_name,
                made_on or datetime.date.today(),
            )
            for group in groups:
                table = _problem_table(checked, rows, group, context_columns)
                _write_problem_sheets(workbook, formats, group, table, context_columns)

    logger.info(
        "Wrote a quality report of %d rows with %d problem sheets",
        checked.height,
        sum(len(g.sheet_names) for g in groups),
    )
    return target


def _present_fields(email_column: str | None, phone_column: str | None) -> list[_Field]:
    fields = []
    if email_column is not None:
        fields.append(_Field("email", "Email", email_column))
    if phone_column is not None:
        fields.append(_Field("phone", "Phone", phone_column))
    return fields


def _require_columns(
    checked: pl.DataFrame, fields: list[_Field], context_columns: Sequence[str]
) -> None:
    needed = list(context_columns)
    for field in fields:
        suffixes = ("status", "normalised", "problem", "suggestion")
        needed += [field.column, *(f"{field.name}_{s}" for s in suffixes)]
    missing = [c for c in dict.fromkeys(needed) if c not in checked.columns]
    if missing:
        raise ReportColumnMissingError(
            f"The checked file has no column called {', '.join(map(repr, missing))}. "
            f"Choose from: {', '.join(checked.columns)}."
        )


def _resolve_row_numbers(
    checked: pl.DataFrame, row_numbers: pl.Series | None
) -> pl.Series:
    # Without them, the file is taken to have one header row, as Excel numbers it.
    if row_numbers is None:
        return pl.int_range(2, checked.height + 2, dtype=pl.UInt32, eager=True)

    if row_numbers.len() != checked.height:
        raise ValueError(
            f"row_numbers has {row_numbers.len()} values for {checked.height} rows"
        )
    return row_numbers


def _plan_groups(
    checked: pl.DataFrame, field: _Field, names: _SheetNames
) -> list[_ProblemGroup]:
    """One group per problem found in ``field``, most rows first, with its sheets."""
    order = {code.value: place for place, code in enumerate(Problem)}
    counts = checked.get_column(f"{field.name}_problem").drop_nulls().value_counts()
    found = sorted(
        counts.iter_rows(),
        key=lambda pair: (-pair[1], order.get(pair[0], len(order)), pair[0]),
    )
    groups = []
    for code, count in found:
        base = f"{field.title} - {code.replace('_', ' ')}"
        parts = max(1, math.ceil(count / DATA_ROWS_PER_SHEET))
        sheet_names = tuple(names.claim(base, part) for part in range(1, parts + 1))
        groups.append(_ProblemGroup(field, code, count, sheet_names))
    return groups


class _SheetNames:
    """Hands out sheet names Excel accepts, each different from the others."""

    def __init__(self) -> None:
        # Excel compares sheet names without regard to case, and keeps "History".
        self._taken = {"summary", "history"}

    def claim(self, wanted: str, part: int = 1) -> str:
        cleaned = _SHEET_NAME_FORBIDDEN.sub("-", wanted).strip(" '") or "Sheet"
        suffix = "" if part == 1 else f" ({part})"
        name = cleaned[: _SHEET_NAME_LENGTH - len(suffix)] + suffix
        clash = 1
        while name.casefold() in self._taken:
            clash += 1
            marker = f"~{clash}{suffix}"
            name = cleaned[: _SHEET_NAME_LENGTH - len(marker)].rstrip(" '") + marker
        self._taken.add(name.casefold())
        return name


def _add_formats(workbook: Any) -> _Formats:
    return _Formats(
        title=workbook.add_format({"bold": True, "font_size": 16}),
        heading=workbook.add_format({"bold": True, "font_size": 13}),
        bold=workbook.add_format({"bold": True}),
        wrap=workbook.add_format({"text_wrap": True, "valign": "top"}),
        percent=workbook.add_format({"num_format": "0.0%"}),
        bold_percent=workbook.add_format({"num_format": "0.0%", "bold": True}),
        link=workbook.add_format({"font_color": "blue", "underline": 1}),
    )


def _write_summary(
    workbook: Any,
    formats: _Formats,
    checked: pl.DataFrame,
    fields: list[_Field],
    groups: list[_ProblemGroup],
    source_name: str,
    made_on: datetime.date,
) -> None:
    # With constant_memory, rows must be written from the top down.
    sheet = workbook.add_worksheet("Summary")
    for first, last, width in ((0, 0, 18), (1, 1, 60), (2, 3, 12), (4, 4, 30)):
        sheet.set_column(first, last, width)
    title = "Contact quality report" + (f": {source_name}" if source_name else "")
    sheet.write_string(0, 0, title, formats.title)
    sheet.write_string(1, 0, f"Made on {made_on.isoformat()}")
    sheet.write_string(2, 0, "Rows checked", formats.bold)
    sheet.write_number(2, 2, checked.height)
    if not fields:
        return

    status_chart = _chart(workbook, "column", "Rows by status")
    sheet.insert_chart(1, 6, status_chart)
    row, chart_row = 4, 1
    for field in fields:
        sheet.write_string(
            row, 0, f"{field.title} (column {field.column})", formats.heading
        )
        _add_series(status_chart, field, row + 2, len(Status))
        row = _write_status_table(sheet, formats, checked, field, row + 1)

        mine = [g for g in groups if g.field == field]
        row = _write_problem_table(sheet, formats, mine, checked.height, row + 1)
        if mine:
            # Charts stand beside the tables, one under another, 16 rows apart.
            chart_row += 16
            problem_chart = _chart(workbook, "bar", f"{field.title} problems")
            _add_series(problem_chart, field, row - len(mine) - 1, len(mine))
            sheet.insert_chart(chart_row, 6, problem_chart)
        row += 2


def _chart(workbook: Any, kind: str, title: str) -> Any:
    chart = workbook.add_chart({"type": kind})
    chart.set_title({"name": title})
    if kind == "bar":
        # A bar chart draws its first category at the bottom; reversed, it reads
        # as the table beside it does.
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"none": True})
    return chart


def _add_series(chart: Any, field: _Field, first: int, count: int) -> None:
    """Chart the Rows of ``count`` table rows from ``first``, labelled by column A."""
    last = first + count - 1
    chart.add_series(
        {
            "name": field.title,
            "categories": ["Summary", first, 0, last, 0],
            "values": ["Summary", first, 2, last, 2],
        }
    )


def _write_status_table(
    sheet: Any, formats: _Formats, checked: pl.DataFrame, field: _Field, row: int
) -> int:
    """Write the rows per status from ``row``; return the row after the table."""
    for col, header in enumerate(("Status", "Meaning", "Rows", "% of rows")):
        sheet.write_string(row, col, header, formats.bold)
    counts = dict(checked.get_column(f"{field.name}_status").value_counts().iter_rows())
    total = checked.height
    for status in Status:
        row += 1
        count = counts.get(status.value, 0)
        sheet.write_string(row, 0, status.value)
        sheet.write_string(row, 1, STATUS_MEANINGS[status], formats.wrap)
        sheet.write_number(row, 2, count)
        sheet.write_number(row, 3, count / total if total else 0, formats.percent)
    row += 1
    sheet.write_string(row, 0, "Total", formats.bold)
    sheet.write_number(row, 2, total, formats.bold)
    sheet.write_number(row, 3, 1 if total else 0, formats.bold_percent)
    return row + 1


def _write_problem_table(
    sheet: Any, formats: _Formats, groups: list[_ProblemGroup], total: int, row: int
) -> int:
    """Write the rows per problem, each linked to its sheet; return the row after."""
    for col, header in enumerate(("Problem", "Meaning", "Rows", "% of rows", "Sheet")):
        sheet.write_string(row, col, header, formats.bold)
    if not groups:
        sheet.write_string(row + 1, 0, "No problems found.")
        return row + 2

    for group in groups:
        row += 1
        sheet.write_string(row, 0, group.code)
        sheet.write_string(row, 1, _problem_message(group.code), formats.wrap)
        sheet.write_number(row, 2, group.count)
        sheet.write_number(row, 3, group.count / total, formats.percent)
        first_sheet = group.sheet_names[0]
        link = "internal:'{}'!A1".format(first_sheet.replace("'", "''"))
        sheet.write_url(row, 4, link, formats.link, string=first_sheet)
    row += 1
    problems = sum(g.count for g in groups)
    sheet.write_string(row, 0, "Total", formats.bold)
    sheet.write_number(row, 2, problems, formats.bold)
    sheet.write_number(row, 3, problems / total, formats.bold_percent)
    return row + 1


def _problem_message(code: str) -> str:
    try:
        return PROBLEM_MESSAGES[Problem(code)]
    except ValueError:
        return "Not a problem code that Contactable knows."


def _problem_table(
    checked: pl.DataFrame,
    rows: pl.Series,
    group: _ProblemGroup,
    context_columns: Sequence[str],
) -> pl.DataFrame:
    """The rows with ``group``'s problem, as the sheet shows them, by row number."""
    prefix = group.field.name
    # Columns are named by position, as a context column may share a name with
    # the value's column or with the check's.
    sources = [*context_columns, group.field.column, f"{prefix}_suggestion"]
    sources += [f"{prefix}_normalised", f"{prefix}_status"]
    table = (
        checked.select(
            rows.alias("row"),
            *(pl.col(c).cast(pl.String).alias(f"c{i}") for i, c in enumerate(sources)),
            pl.col(f"{prefix}_problem").alias("problem"),
        )
        .filter(pl.col("problem") == group.code)
        .drop("problem")
        .sort("row")
    )
    normalised = f"c{len(sources) - 2}"
    if table.get_column(normalised).null_count() == table.height:
        table = table.drop(normalised)
    return table


def _write_problem_sheets(
    workbook: Any,
    formats: _Formats,
    group: _ProblemGroup,
    table: pl.DataFrame,
    context_columns: Sequence[str],
) -> None:
    headers = [
        "Row",
        *context_columns,
        f"{group.field.title} as recorded",
        "Suggestion",
    ]
    if table.width == len(headers) + 2:
        headers.append("Normalised")
    headers += ["Status", "Decision / notes"]
    widths = _column_widths(table, headers)

    for part, name in enumerate(group.sheet_names):
        chunk = table.slice(part * DATA_ROWS_PER_SHEET, DATA_ROWS_PER_SHEET)
        sheet = workbook.add_worksheet(name)
        for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, header, formats.bold)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, chunk.height, len(headers) - 1)
        _write_rows(sheet, chunk)


def _column_widths(table: pl.DataFrame, headers: list[str]) -> list[int]:
    """Widths in characters from the longest value or header, capped."""
    longest = [len(str(table.get_column("row").max() or 0))]
    strings = table.select(pl.exclude("row").str.len_chars().max().fill_null(0))
    longest += [int(v) for v in strings.row(0)]
    widths = [
        min(max(length, len(header)) + 2, _MAX_COLUMN_WIDTH)
        for length, header in zip(longest, headers[:-1], strict=True)
    ]
    return [*widths, _NOTES_WIDTH]


def _write_rows(sheet: Any, chunk: pl.DataFrame) -> None:
    # write_string, never write: a value such as "=HYPERLINK(...)" must stay text.
    write_string = sheet.write_string
    write_number = sheet.write_number
    for row, (number, *values) in enumerate(chunk.iter_rows(), start=1):
        write_number(row, 0, number)
        for col, value in enumerate(values, start=1):
            if value is not None:
                write_string(row, col, value)
