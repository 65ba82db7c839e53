"""Turn one sheet of an XLSX or ODS workbook into a raw grid of text.

fastexcel (on the Rust calamine reader) gives every cell as text, from the
value the spreadsheet stored: numbers without a trailing ".0" when they are
whole, and a formula's cached result. Formulas are never calculated here.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import fastexcel
import polars as pl

from contactable.sources._layout import raw_column_name
from contactable.sources.errors import SheetMissing, UnreadableFile

logger = logging.getLogger(__name__)

# calamine writes an XLSX date cell as "2026-04-01 00:00:00" and a time-only
# cell as a time on Excel's day zero. People see the date, or the time,
# alone; a date with a time is given in ISO 8601 form, as ODS files hold it
# ("2026-04-02T13:05:00"), so that both kinds of workbook agree. A text cell
# typed in exactly one of these forms is changed the same way.
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"
_DAY_ZERO = r"^1899-12-3[01] (\d{2}:\d{2}:\d{2})$"
_DATE_TIME = r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$"


@dataclass(frozen=True)
class SheetGrid:
    """A sheet's cells as a raw grid, with where it sits on the sheet."""

    grid: pl.DataFrame
    sheet_name: str
    column_numbers: list[int]


def read_sheet(path: str | os.PathLike[str], sheet: str | int | None) -> SheetGrid:
    """Read every cell of one sheet (the first by default) as text.

    Frame row i is sheet row i + 1, from the top of the sheet, so that row
    numbers match Excel's; column_numbers gives each column's position on
    the sheet (A = 1), as the used range need not start in column A.
    """
    try:
        reader = fastexcel.read_excel(os.fspath(path))
    except fastexcel.FastExcelError:
        raise UnreadableFile.not_a_workbook(path) from None

    wanted = 0 if sheet is None else sheet
    try:
        loaded = reader.load_sheet(
            wanted,
            header_row=None,
            # Without skip_rows=0 the empty rows at the top are dropped and
            # row numbers would no longer match the sheet's.
            skip_rows=0,
            dtypes="string",
        )
    except fastexcel.SheetNotFoundError:
        raise SheetMissing(path, wanted, reader.sheet_names) from None
    except fastexcel.FastExcelError:
        raise UnreadableFile.not_a_workbook(path) from None

    positions = [column.absolute_index + 1 for column in loaded.available_columns()]
    grid = loaded.to_polars()
    grid = grid.rename(
        {name: raw_column_name(i) for i, name in enumerate(grid.columns)}
    ).with_columns(
        pl.col(name)
        .str.replace(_MIDNIGHT, "${1}")
        .str.replace(_DAY_ZERO, "${1}")
        .str.replace(_DATE_TIME, "${1}T${2}")
        .alias(name)
        for name in (raw_column_name(i) for i in range(grid.width))
    )
    logger.debug("Read %d rows and %d columns from a sheet", grid.height, grid.width)
    return SheetGrid(grid=grid, sheet_name=loaded.name, column_numbers=positions)
