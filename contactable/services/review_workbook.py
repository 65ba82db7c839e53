"""The review workbook: a sheet per kind of problem, with a drop-down of decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from contactable.sources import private_file

HEADERS = (
    "Item",
    "Elector",
    "Name",
    "Address",
    "Value as recorded",
    "Suggestion",
    "Source",
    "Document",
    "Collected on",
    "Decision",
    "Correct to",
    "Notes",
)
WIDTHS = (8, 12, 24, 32, 34, 34, 26, 18, 12, 20, 34, 30)
_SHEET_NAME_LIMIT = 31
_MAX_ROWS = 1_048_575


@dataclass(frozen=True)
class ReviewRow:
    """One row of the review workbook."""

    item: int
    sheet: str
    elector: str | None
    name: str
    address: str
    recorded: str | None
    suggestion: str | None
    source: str
    document: str | None
    document_link: str | None
    collected_on: str | None


def _sheet_name(title: str, taken: set[str]) -> str:
    cleaned = "".join("-" if c in "[]:*?/\\" else c for c in title).replace("_", " ")
    name = cleaned.capitalize()[:_SHEET_NAME_LIMIT]
    number = 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name = cleaned.capitalize()[: _SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(name.casefold())
    return name


def _write_sheet(
    workbook: Any, name: str, rows: Sequence[ReviewRow], decisions: Sequence[str]
) -> None:
    sheet = workbook.add_worksheet(name)
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    link = workbook.add_format({"font_color": "blue", "underline": 1})
    for column, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.write_string(0, column, header, bold)
        sheet.set_column(column, column, width)
    for number, row in enumerate(rows, start=1):
        sheet.write_number(number, 0, row.item)
        cells = (
            row.elector,
            row.name,
            row.address,
            row.recorded,
            row.suggestion,
            row.source,
        )
        for column, value in enumerate(cells, start=1):
            sheet.write_string(number, column, value or "")
        if row.document_link:
            sheet.write_url(
                number, 7, row.document_link, link, string=row.document or ""
            )
        else:
            sheet.write_string(number, 7, row.document or "")
        sheet.write_string(number, 8, row.collected_on or "")
    last = max(len(rows), 1)
    sheet.data_validation(
        1,
        9,
        last,
        9,
        {
            "validate": "list",
            "source": list(decisions),
            "input_title": "Decision",
            "input_message": "Choose what to do with this row.",
        },
    )
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, last, len(HEADERS) - 1)


def write_review_workbook(
    rows: Sequence[ReviewRow],
    path: Path,
    *,
    contact_decisions: Sequence[str],
    link_decisions: Sequence[str],
) -> Path:
    """Write the review rows, a sheet per kind, readable by their owner only."""
    groups: dict[str, list[ReviewRow]] = {}
    for row in rows:
        groups.setdefault(row.sheet, []).append(row)

    with private_file(path) as handle:
        workbook = xlsxwriter.Workbook(
            handle, {"strings_to_formulas": False, "strings_to_urls": False}
        )
        taken: set[str] = set()
        if not groups:
            sheet = workbook.add_worksheet("Nothing to review")
            sheet.write_string(0, 0, "Nothing waits for review.")
        for title, group in groups.items():
            decisions = (
                link_decisions if title == "uncertain matches" else contact_decisions
            )
            for start in range(0, len(group), _MAX_ROWS):
                _write_sheet(
                    workbook,
                    _sheet_name(title, taken),
                    group[start : start + _MAX_ROWS],
                    decisions,
                )
        workbook.close()
    return path
