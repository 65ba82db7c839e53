"""The report as an Excel workbook: a sheet per section, with charts, and the
long listings on sheets of their own.

Every text goes in with ``write_string`` and every figure with ``write_number``:
no cell holds a formula, so nothing in the file can run when it is opened.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

import polars as pl
import xlsxwriter

from contactable.services.reporting._layout import (
    Cell,
    Chart,
    Column,
    Format,
    Layout,
    Listing,
    Section,
    Table,
)

# Excel's limit of rows in a sheet (Microsoft's "Excel specifications and
# limits"); a listing's header takes the first.
EXCEL_MAX_ROWS = 1_048_576
LISTING_ROWS_PER_SHEET = EXCEL_MAX_ROWS - 1
_SHEET_NAME_LENGTH = 31

# Widths in characters, and the size of charts in pixels: xlsxwriter's default
# chart is 480 by 288, and a row is 20 pixels high.
_MIN_WIDTH = 10
_MAX_LABEL_WIDTH = 40
_MAX_TEXT_WIDTH = 60
_CHART_WIDTH = 560
_CHART_MIN_HEIGHT = 288
_ROW_PIXELS = 20


@dataclass(frozen=True, slots=True)
class _Formats:
    title: Any
    heading: Any
    header: Any
    wrap: Any
    count: Any
    share: Any
    bold: Any
    bold_count: Any
    bold_share: Any
    quiet: Any


def write_workbook(layout: Layout, handle: IO[bytes]) -> None:
    """Write the report to ``handle`` as an .xlsx workbook."""
    # constant_memory writes each row out as it goes, so a listing of a million
    # electors needs no more memory than one; rows go strictly top down.
    with xlsxwriter.Workbook(handle, {"constant_memory": True}) as workbook:
        formats = _add_formats(workbook)
        for section in layout.sections:
            _write_section(workbook, formats, layout, section)
        for listing in layout.listings:
            _write_listing(workbook, formats, listing)


def listing_sheet_names(listing: Listing) -> list[str]:
    """The sheets a listing takes: one, and more when Excel's limit needs them."""
    parts = max(1, math.ceil(listing.frame.height / LISTING_ROWS_PER_SHEET))
    return [
        listing.title if part == 1 else f"{listing.title} ({part})"[:_SHEET_NAME_LENGTH]
        for part in range(1, parts + 1)
    ]


def _add_formats(workbook: Any) -> _Formats:
    def add(**properties: Any) -> Any:
        return workbook.add_format(properties)

    return _Formats(
        title=add(bold=True, font_size=16),
        heading=add(bold=True, font_size=13),
        header=add(bold=True, text_wrap=True, valign="bottom", bottom=1),
        wrap=add(text_wrap=True, valign="top"),
        count=add(num_format="#,##0", valign="top"),
        share=add(num_format="0.0%", valign="top"),
        bold=add(bold=True, top=1),
        bold_count=add(bold=True, num_format="#,##0", top=1),
        bold_share=add(bold=True, num_format="0.0%", top=1),
        quiet=add(italic=True, font_color="#505a5f"),
    )


def _write_section(
    workbook: Any, formats: _Formats, layout: Layout, section: Section
) -> None:
    sheet = workbook.add_worksheet(section.title)
    widths = _column_widths(section.tables)
    for position, (width, wraps) in enumerate(widths):
        sheet.set_column(position, position, width, formats.wrap if wraps else None)
    sheet.write_string(0, 0, f"{layout.title}: {section.title}", formats.title)
    sheet.write_string(1, 0, f"Report day {layout.day.isoformat()}")
    row = 3
    if section.note:
        sheet.write_string(2, 0, section.note, formats.quiet)
        row = 4

    # Charts stand to the right of the widest table, each beside its own table
    # or below the chart before it, whichever is lower.
    chart_column = max((len(t.columns) for t in section.tables), default=1) + 1
    next_chart_row = row
    for table in section.tables:
        first_data_row = _write_table(sheet, formats, table, row)
        if table.chart is not None and table.rows:
            at = (max(row, next_chart_row), chart_column)
            plot, height = _chart(workbook, section.title, table, first_data_row)
            sheet.insert_chart(*at, plot)
            next_chart_row = at[0] + math.ceil(height / _ROW_PIXELS) + 1
        written = len(table.rows) + (table.total is not None) if table.rows else 0
        row = first_data_row + written + 1


def _column_widths(tables: tuple[Table, ...]) -> list[tuple[int, bool]]:
    """Each column's width and whether it wraps, from the longest entry in it."""
    widths: dict[int, tuple[int, bool]] = {}
    for table in tables:
        for position, column in enumerate(table.columns):
            cells = [r[position] for r in (*table.rows, table.total or ()) if r]
            longest = max((len(_shown(c, column)) for c in cells), default=0)
            # A heading wraps on to two or three lines before it widens a column.
            wanted = max(longest + 2, math.ceil(len(column.heading) / 2) + 2)
            limit = _MAX_LABEL_WIDTH if position == 0 else _MAX_TEXT_WIDTH
            if column.format is not Format.TEXT:
                limit = _MAX_LABEL_WIDTH
            width = max(_MIN_WIDTH, min(wanted, limit))
            wraps = wanted > limit
            earlier, earlier_wraps = widths.get(position, (0, False))
            widths[position] = (max(width, earlier), wraps or earlier_wraps)
    return [widths[p] for p in sorted(widths)]


def _shown(cell: Cell, column: Column) -> str:
    if isinstance(cell, float) and column.format is Format.SHARE:
        return f"{cell:.1%}"
    if isinstance(cell, int | float):
        return f"{cell:,}"
    if isinstance(cell, date):
        return cell.isoformat()
    return cell or ""


def _write_table(sheet: Any, formats: _Formats, table: Table, row: int) -> int:
    """Write ``table`` from ``row``; return the row of its first data row."""
    sheet.write_string(row, 0, table.title, formats.heading)
    row += 1
    if table.note:
        sheet.write_string(row, 0, table.note, formats.quiet)
        row += 1
    if not table.rows:
        sheet.write_string(row, 0, table.empty, formats.quiet)
        return row + 1

    for position, column in enumerate(table.columns):
        sheet.write_string(row, position, column.heading, formats.header)
    first = row + 1
    for offset, cells in enumerate(table.rows):
        _write_cells(sheet, first + offset, table.columns, cells, formats, bold=False)
    if table.total is not None:
        last = first + len(table.rows)
        _write_cells(sheet, last, table.columns, table.total, formats, bold=True)
    return first


def _write_cells(
    sheet: Any,
    row: int,
    columns: tuple[Column, ...],
    cells: tuple[Cell, ...],
    formats: _Formats,
    *,
    bold: bool,
) -> None:
    for position, (column, cell) in enumerate(zip(columns, cells, strict=True)):
        if isinstance(cell, bool):
            raise TypeError("a report cell is a count, a share, a date or text")
        if isinstance(cell, int | float):
            shares = column.format is Format.SHARE
            if bold:
                number_format = formats.bold_share if shares else formats.bold_count
            else:
                number_format = formats.share if shares else formats.count
            sheet.write_number(row, position, cell, number_format)
        elif isinstance(cell, date):
            sheet.write_string(
                row, position, cell.isoformat(), formats.bold if bold else None
            )
        elif cell:
            sheet.write_string(row, position, cell, formats.bold if bold else None)
        elif bold:
            sheet.write_blank(row, position, None, formats.bold)


def _chart(workbook: Any, sheet_name: str, table: Table, first: int) -> tuple[Any, int]:
    """A bar chart of the columns ``table`` charts, its rows starting at row
    ``first``, and the chart's height in pixels."""
    chart: Chart | None = table.chart
    if chart is None:
        raise ValueError(f"the table {table.title!r} has no chart")
    last = first + len(table.rows) - 1
    plot = workbook.add_chart({"type": "bar"})
    plot.set_title({"name": chart.title, "name_font": {"size": 12}})
    for position in chart.values:
        plot.add_series(
            {
                "name": [sheet_name, first - 1, position],
                "categories": [sheet_name, first, 0, last, 0],
                "values": [sheet_name, first, position, last, position],
                "gap": 60,
            }
        )
    # A bar chart draws its first category at the bottom; reversed, it reads
    # as the table beside it does.
    plot.set_y_axis({"reverse": True})
    shares = all(table.columns[p].format is Format.SHARE for p in chart.values)
    plot.set_x_axis({"min": 0, "max": 1, "num_format": "0%"} if shares else {"min": 0})
    if len(chart.values) == 1:
        plot.set_legend({"none": True})
    else:
        plot.set_legend({"position": "bottom"})
    height = max(_CHART_MIN_HEIGHT, 90 + len(table.rows) * (10 + 8 * len(chart.values)))
    plot.set_size({"width": _CHART_WIDTH, "height": height})
    return plot, height


def _write_listing(workbook: Any, formats: _Formats, listing: Listing) -> None:
    # Dates become ISO text, and missing values None, before the rows are
    # walked, so that the loop below only chooses between text and number.
    frame = listing.frame.with_columns(
        pl.col(pl.Date).dt.strftime("%Y-%m-%d"),
    )
    for part, name in enumerate(listing_sheet_names(listing)):
        chunk = frame.slice(part * LISTING_ROWS_PER_SHEET, LISTING_ROWS_PER_SHEET)
        sheet = workbook.add_worksheet(name)
        widths = _listing_widths(chunk, listing.columns)
        for position, (column, width) in enumerate(
            zip(listing.columns, widths, strict=True)
        ):
            sheet.set_column(position, position, width)
            sheet.write_string(0, position, column.heading, formats.header)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(chunk.height, 1), len(listing.columns) - 1)
        _write_rows(sheet, chunk, formats)


def _listing_widths(chunk: pl.DataFrame, columns: tuple[Column, ...]) -> list[int]:
    sample = chunk.head(1_000).select(pl.all().cast(pl.String).str.len_chars().max())
    longest = [int(v or 0) for v in sample.row(0)] if sample.height else []
    longest += [0] * (len(columns) - len(longest))
    return [
        max(_MIN_WIDTH, min(max(n + 2, len(c.heading) + 2), _MAX_LABEL_WIDTH))
        for n, c in zip(longest, columns, strict=True)
    ]


def _write_rows(sheet: Any, chunk: pl.DataFrame, formats: _Formats) -> None:
    # write_string, never write: an elector number such as "=1+1" stays text.
    write_string, write_number = sheet.write_string, sheet.write_number
    count = formats.count
    for row, cells in enumerate(chunk.iter_rows(), start=1):
        for position, cell in enumerate(cells):
            if isinstance(cell, str):
                write_string(row, position, cell)
            elif cell is not None:
                write_number(row, position, cell, count)
