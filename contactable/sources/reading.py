"""Read a CSV, XLSX or ODS file into a table of text, whatever state it is in.

Files come from other systems and from people (DESIGN.md, "Inputs are
hostile"). Every cell is kept as the text the file holds, so that the checks
see what the person typed and can show it back; nothing is converted.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from contactable.sources._delimited import read_delimited
from contactable.sources._layout import HeaderPredicate, tabulate
from contactable.sources._workbook import read_sheet
from contactable.sources.errors import (
    EmptyFile,
    FileMissing,
    MissingColumns,
    UnreadableFile,
)

logger = logging.getLogger(__name__)

SourceFormat = Literal["csv", "xlsx", "ods"]

# Excel saves "Unicode text" as .txt, and tab-separated files are often .tsv;
# the delimiter is sniffed either way.
_FORMATS: dict[str, SourceFormat] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".ods": "ods",
}

_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, eq=False)
class SourceTable:
    """A file's rows under its header, every cell as text.

    ``frame`` has one String column per header cell. A cell keeps the file's
    text exactly (surrounding spaces too); an empty cell is null, never "".
    ``row_numbers`` (UInt32) gives, for each row of ``frame``, the row number
    a person sees when opening the file in Excel: the header of a plain file
    is row 1 and its first data row is row 2. ``encoding`` and ``delimiter``
    are set for CSV, ``sheet_name`` for workbooks.
    """

    frame: pl.DataFrame
    row_numbers: pl.Series
    path: Path
    format: SourceFormat
    encoding: str | None = None
    delimiter: str | None = None
    sheet_name: str | None = None

    @property
    def columns(self) -> list[str]:
        """The column names, in the file's order."""
        return self.frame.columns


def read_table(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    header_predicate: HeaderPredicate | None = None,
) -> SourceTable:
    """Read a CSV, XLSX or ODS file's rows under its header row.

    The header is the first row with any text, or, when ``header_predicate``
    is given, the first of the first 20 such rows for which it returns True;
    it gets each cell of the row stripped, with "" for an empty cell. Rows
    above the header, and rows with no text at all, are skipped. Header
    names are stripped; a blank one becomes "Column N" (N counting from 1 at
    column A) and a repeated one "Email (2)". Cells beyond the header go in
    "Column N" columns; short rows are padded with null. ``sheet`` (a name,
    or a 0-based index; the first sheet by default) is ignored for CSV.

    CSV files may be UTF-8 (with or without a byte order mark), UTF-16 with
    a byte order mark, or Windows-1252, delimited by , ; tab or |. Their row
    numbers count records, not lines: a quoted cell spanning three lines is
    one row, as Excel shows it, and a blank line is a row too.

    >>> def has_email(cells):
    ...     return "Email" in cells
    >>> table = read_table("canvass.csv", header_predicate=has_email)  # doctest: +SKIP
    >>> table.frame["Email"][0], table.row_numbers[0]  # doctest: +SKIP
    ('jo@example.com', 3)
    """
    path = Path(path)
    if not path.is_file():
        raise FileMissing(path)

    file_format = _format_of(path)
    if file_format == "csv":
        table = _read_csv(path, header_predicate)
    else:
        table = _read_workbook(path, file_format, sheet, header_predicate)

    logger.info(
        "Read %d rows and %d columns from a %s file",
        table.frame.height,
        table.frame.width,
        file_format,
    )
    return table


def require_columns(table: SourceTable, names: Iterable[str]) -> None:
    """Raise MissingColumns unless ``table`` has every column in ``names``."""
    missing = [name for name in names if name not in table.frame.columns]
    if missing:
        raise MissingColumns(table.path, missing, table.frame.columns)


def _format_of(path: Path) -> SourceFormat:
    suffix = path.suffix.lower()
    if suffix in _FORMATS:
        return _FORMATS[suffix]
    if suffix == ".xls":
        raise UnreadableFile.old_excel(path)
    raise UnreadableFile.unknown_type(path)


def _read_csv(path: Path, header_predicate: HeaderPredicate | None) -> SourceTable:
    data = _read_bytes(path)
    if not data:
        raise EmptyFile(path)

    delimited = read_delimited(data, path)
    frame, row_numbers = tabulate(
        delimited.grid,
        column_numbers=range(1, delimited.grid.width + 1),
        first_row_number=1,
        header_predicate=header_predicate,
        path=path,
    )
    return SourceTable(
        frame=frame,
        row_numbers=row_numbers,
        path=path,
        format="csv",
        encoding=delimited.encoding,
        delimiter=delimited.delimiter,
    )


def _read_workbook(
    path: Path,
    file_format: SourceFormat,
    sheet: str | int | None,
    header_predicate: HeaderPredicate | None,
) -> SourceTable:
    head = _read_bytes(path, limit=len(_ZIP_MAGIC))
    if not head:
        raise EmptyFile(path)

    # XLSX and ODS are both ZIP archives. Anything else (an old .xls renamed,
    # a password-protected workbook, a CSV renamed) is not what it says.
    if head != _ZIP_MAGIC:
        raise UnreadableFile.not_a_workbook(path)

    sheet_grid = read_sheet(path, sheet)
    frame, row_numbers = tabulate(
        sheet_grid.grid,
        column_numbers=sheet_grid.column_numbers,
        first_row_number=1,
        header_predicate=header_predicate,
        path=path,
    )
    return SourceTable(
        frame=frame,
        row_numbers=row_numbers,
        path=path,
        format=file_format,
        sheet_name=sheet_grid.sheet_name,
    )


def _read_bytes(path: Path, limit: int = -1) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(limit)
    except FileNotFoundError:
        # Deleted or moved since we looked.
        raise FileMissing(path) from None
    except OSError:
        raise UnreadableFile.cannot_open(path) from None
