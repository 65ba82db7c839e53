"""Write a table to a CSV or XLSX file that is safe to open in a spreadsheet.

Output holds personal data, so each file is created readable by its owner
only. Cells are always written as text: a CSV cell that a spreadsheet would
run as a formula gets a leading apostrophe, and an XLSX cell is written as a
string, which Excel never runs.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import polars as pl
import xlsxwriter

from contactable.sources.errors import (
    OutputNotWritable,
    UnsupportedOutput,
    WorkbookTooLarge,
)

logger = logging.getLogger(__name__)

# OWASP's "CSV injection" guidance: a cell that starts with one of these is
# run as a formula (or, for @, a function call) when the file is opened. A
# leading TAB or CR is listed because some programs strip it and then look.
_FORMULA_STARTS = ("=", "@", "\t", "\r")
_SIGNS = ("+", "-")

# A sign followed by a plain number ("+44 7700 900123", "-5", "- 2.5") is
# what people mean by a phone number or an amount, and spreadsheets read it
# as a number, not a formula; prefixing it would spoil the value.
_DIGITS = frozenset("0123456789")
_NUMBER_CHARACTERS = frozenset("0123456789 .")
_FORMULA_START = r"^[=@\t\r+\-]"
_SIGNED_NUMBER = r"^[+\-](?: *[0-9][0-9 ]*(?:\.[0-9 ]*)?| *\.[0-9 ]*[0-9][0-9 ]*)$"

# Excel's limits for one worksheet, header row included.
_MAX_ROWS = 1_048_576
_MAX_COLUMNS = 16_384
_MAX_CELL_LENGTH = 32_767
_ASTRAL = r"[\x{10000}-\x{10FFFF}]"

# Widths in characters: wide enough for an email address, not so wide that
# one long note pushes every other column off the screen.
_WIDTH_SAMPLE_ROWS = 1_000
_MIN_WIDTH = 8
_MAX_WIDTH = 50


def write_table(
    frame: pl.DataFrame, path: str | os.PathLike[str], *, sheet_name: str = "Checked"
) -> Path:
    """Write ``frame`` as CSV or XLSX, chosen by the extension of ``path``.

    CSV is UTF-8 with a byte order mark (so Excel reads it as UTF-8), comma
    delimited, with formula-like cells neutralised. XLSX has one sheet,
    ``sheet_name``, with a bold, frozen, filterable header row.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        _write_csv(frame, path)
    elif suffix == ".xlsx":
        _write_xlsx(frame, path, sheet_name)
    else:
        raise UnsupportedOutput(path)

    logger.info(
        "Wrote %d rows and %d columns to a %s file",
        frame.height,
        frame.width,
        suffix[1:],
    )
    return path


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula.

    >>> is_formula_like("=1+1"), is_formula_like("+447700900123")
    (True, False)
    """
    if text.startswith(_FORMULA_STARTS):
        return True
    if not text.startswith(_SIGNS):
        return False

    rest = text[1:]
    is_number = (
        set(rest) <= _NUMBER_CHARACTERS
        and rest.count(".") <= 1
        and not _DIGITS.isdisjoint(rest)
    )
    return not is_number


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Put an apostrophe before every String cell that is_formula_like.

    >>> neutralise_formulas(pl.DataFrame({"a": ["=1+1", "-5"]}))["a"].to_list()
    ["'=1+1", '-5']
    """
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text_columns:
        return frame

    # Most columns hold no cell that even starts like a formula; finding
    # which do is one cheap anchored search, and only they are rewritten.
    starts = frame.select(
        pl.col(name).str.contains(_FORMULA_START).any() for name in text_columns
    ).row(0)
    risky = [name for name, found in zip(text_columns, starts, strict=True) if found]
    return frame.with_columns(
        pl.when(
            pl.col(name).str.contains(_FORMULA_START)
            & ~pl.col(name).str.contains(_SIGNED_NUMBER)
        )
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in risky
    )


def _write_csv(frame: pl.DataFrame, path: Path) -> None:
    safe = neutralise_formulas(frame)
    with private_file(path) as handle:
        handle.write(codecs.BOM_UTF8)
        # RFC 4180 ends records with CRLF; fields holding a delimiter, quote
        # or line break are quoted.
        safe.write_csv(handle, line_terminator="\r\n", quote_style="necessary")


def _write_xlsx(frame: pl.DataFrame, path: Path, sheet_name: str) -> None:
    if frame.height + 1 > _MAX_ROWS:
        raise WorkbookTooLarge.too_many_rows(path, frame.height)
    if frame.width > _MAX_COLUMNS:
        raise WorkbookTooLarge.too_many_columns(path, frame.width)

    text = frame.select(pl.all().cast(pl.String))
    _check_cell_lengths(text, path)

    with private_file(path) as handle:
        # constant_memory writes each row out as it goes, so a million rows
        # need no more memory than one; xlsxwriter's temporary files are
        # created owner-only by tempfile.mkstemp.
        workbook = xlsxwriter.Workbook(handle, {"constant_memory": True})
        worksheet = workbook.add_worksheet(sheet_name)
        bold = workbook.add_format({"bold": True})

        for position, width in enumerate(_column_widths(text)):
            worksheet.set_column(position, position, width)
        worksheet.freeze_panes(1, 0)
        if text.width:
            worksheet.autofilter(0, 0, text.height, text.width - 1)

        # write_string, never write(): write() would turn "=..." into a
        # formula and "123" into a number.
        write_string = worksheet.write_string
        for position, name in enumerate(text.columns):
            write_string(0, position, name, bold)
        for row_index, row in enumerate(text.iter_rows(), start=1):
            for position, cell in enumerate(row):
                # An empty string cell is not blank to Excel (COUNTA counts
                # it), so empty and missing values alike leave the cell blank.
                if cell:
                    write_string(row_index, position, cell)
        workbook.close()


def _check_cell_lengths(text: pl.DataFrame, path: Path) -> None:
    # xlsxwriter would cut such a cell short without a word; losing part of
    # a value silently is worse than refusing. Excel counts UTF-16 units, in
    # which a character beyond the Basic Multilingual Plane (an emoji) is two.
    too_long = text.select(
        pl.any_horizontal(
            pl.col(name).str.len_chars() + pl.col(name).str.count_matches(_ASTRAL)
            > _MAX_CELL_LENGTH
            for name in text.columns
        )
    )
    if text.width and too_long.to_series().any():
        first = too_long.to_series().arg_true()[0]
        # Row 1 of the sheet is the header.
        raise WorkbookTooLarge.cell_too_long(path, first + 2)


def _column_widths(text: pl.DataFrame) -> list[int]:
    sample = text.head(_WIDTH_SAMPLE_ROWS)
    widths = []
    for name in sample.columns:
        longest = sample.get_column(name).str.len_chars().max()
        content = longest if isinstance(longest, int) else 0
        widths.append(min(max(len(name), content, _MIN_WIDTH) + 2, _MAX_WIDTH))
    return widths


@contextlib.contextmanager
def private_file(path: Path) -> Iterator[BinaryIO]:
    """Write a file readable by its owner only, which replaces ``path`` at the end.

    ``mkstemp`` creates it with mode 0o600 whatever the umask, and the rename
    keeps that mode, so a file written over an older one is private too; a write
    that fails part way leaves any older file as it was and no half-written one.
    """
    try:
        descriptor, name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError:
        raise OutputNotWritable(path) from None

    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
