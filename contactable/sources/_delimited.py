"""Turn the bytes of a CSV (or tab-delimited text) file into a raw grid of text.

The steps: refuse binary content, decode whatever encoding the file is in to
UTF-8, guess the delimiter from a sample, then let Polars parse the lot.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import logging
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl

from contactable.sources._layout import raw_column_name
from contactable.sources.errors import BadEncoding, UnreadableFile

logger = logging.getLogger(__name__)

# Listed in order of preference when two fit a sample equally well. Semicolons
# come from Excel in locales that write a decimal comma; tabs from Excel's
# "Unicode text"; pipes from some EMS exports.
DELIMITERS = (",", ";", "\t", "|")

# The first bytes of formats people rename to .csv by mistake. ZIP covers
# XLSX and ODS workbooks; the OLE header covers .xls and password-protected
# XLSX files.
_MAGIC_NUMBERS = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"%PDF-",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
)

_SAMPLE_BYTES = 64 * 1024


@dataclass(frozen=True)
class DelimitedGrid:
    """A CSV file's cells as a raw grid, with how the file was written."""

    grid: pl.DataFrame
    encoding: str
    delimiter: str


def read_delimited(data: bytes, path: str | os.PathLike[str]) -> DelimitedGrid:
    """Parse a CSV file's bytes into one String column per field position.

    Frame row i is record i + 1 of the file: blank lines count as records (as
    Excel shows them as empty rows) and a quoted field that spans several
    lines stays inside one record.
    """
    if data.startswith(_MAGIC_NUMBERS):
        raise UnreadableFile.not_text(path)

    utf8, encoding = _to_utf8(data, path)

    # Classic Mac files end lines with CR alone, which Polars does not split
    # on. Nothing else writes a bare CR without any LF.
    if b"\n" not in utf8 and b"\r" in utf8:
        utf8 = utf8.replace(b"\r", b"\n")

    sample = utf8[:_SAMPLE_BYTES].decode("utf-8", errors="ignore")
    delimiter, width = _sniff(sample, cut=len(utf8) > _SAMPLE_BYTES)
    try:
        grid = _parse(utf8, delimiter, width)
    except csv.Error:
        # Only a field past the csv module's limit (128 KiB) gets here.
        raise UnreadableFile.malformed(path) from None
    logger.debug(
        "Parsed %d records of up to %d fields (%s)", grid.height, grid.width, encoding
    )
    return DelimitedGrid(grid=grid, encoding=encoding, delimiter=delimiter)


def _to_utf8(data: bytes, path: str | os.PathLike[str]) -> tuple[bytes, str]:
    """Return the file's text as UTF-8 without a byte order mark, and its encoding.

    Polars parses UTF-8 only, so anything else is decoded here first; UTF-8
    input is only checked, not decoded into a copy.
    """
    # A byte order mark is the only certain sign of an encoding. Excel writes
    # one for "CSV UTF-8" and for "Unicode text" (UTF-16 little-endian).
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_as(data, "utf-16", path)
        if "\x00" in text:
            raise UnreadableFile.not_text(path)
        return text.encode("utf-8"), "utf-16"

    # Text never holds NUL bytes; pictures, archives and UTF-16 without a byte
    # order mark do. The last is too rare to be worth guessing at.
    if b"\x00" in data:
        raise UnreadableFile.not_text(path)

    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        _decode_as(body, "utf-8", path)
        return body, "utf-8-sig"

    # Bytes that are valid UTF-8 are almost never meant as anything else. Any
    # other file from a UK council is most likely Windows-1252 ("ANSI" in
    # Excel), which only fails on the five bytes it leaves undefined.
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_as(data, "cp1252", path).encode("utf-8"), "cp1252"
    return data, "utf-8"


def _decode_as(data: bytes, encoding: str, path: str | os.PathLike[str]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise BadEncoding(path) from None


def _sniff(sample: str, *, cut: bool) -> tuple[str, int]:
    """Guess the delimiter from the first records, and how many fields they have.

    The winner splits the most sample records into the same number of fields
    (more than one); ties go to the earlier entry in DELIMITERS. A file in
    which nothing splits has one column, and any delimiter will do.
    """
    if cut:
        # The last line of a sample cut from a longer file is likely partial.
        sample = sample[: sample.rfind("\n") + 1] or sample

    best: tuple[int, int, int] = (0, 0, 0)
    chosen, width = DELIMITERS[0], 1
    for preference, delimiter in enumerate(DELIMITERS):
        counts, widest = _field_counts(sample, delimiter)
        split = Counter(count for count in counts if count > 1)
        if not split:
            continue
        common, agreeing = split.most_common(1)[0]
        score = (agreeing, common, -preference)
        if score > best:
            best, chosen, width = score, delimiter, widest
    if best == (0, 0, 0):
        width = _field_counts(sample, chosen)[1]
    return chosen, width


def _field_counts(sample: str, delimiter: str) -> tuple[list[int], int]:
    """How many fields each record with text has, and the most in any record."""
    reader = _records(sample, delimiter)
    counts: list[int] = []
    widest = 1
    # A huge field raises csv.Error: what was counted before it will do.
    with contextlib.suppress(csv.Error):
        for record in reader:
            widest = max(widest, len(record))
            if any(cell.strip() for cell in record):
                counts.append(len(record))
    return counts, widest


def _parse(utf8: bytes, delimiter: str, width: int) -> pl.DataFrame:
    try:
        return _parse_quickly(utf8, delimiter, width)
    except pl.exceptions.PolarsError:
        pass

    # Polars fails on a record wider than any in the sample, and on quoting
    # that breaks RFC 4180 (a quote inside an unquoted field, a stray quote
    # after a closing one). The first needs only a count of the widest
    # record; Python's csv module takes the second, as Excel does, but at a
    # thirtieth of the speed.
    text = utf8.decode("utf-8")
    widest = max(map(len, _records(text, delimiter)), default=1)
    if widest > width:
        try:
            return _parse_quickly(utf8, delimiter, widest)
        except pl.exceptions.PolarsError:
            pass
    logger.debug("Polars could not parse the file; reading it record by record")
    return _parse_slowly(text, delimiter)


def _parse_quickly(utf8: bytes, delimiter: str, width: int) -> pl.DataFrame:
    # Polars takes the number of columns from the first line, and pads shorter
    # lines but rejects longer ones. A first line of delimiters alone gives it
    # the width wanted; the line is dropped again below.
    widest_first = (delimiter * (width - 1) + "\n").encode("utf-8") + utf8
    grid = pl.read_csv(
        widest_first,
        has_header=False,
        infer_schema=False,
        separator=delimiter,
        quote_char='"',
        new_columns=[raw_column_name(position) for position in range(width)],
        raise_if_empty=False,
    )
    return grid.slice(1)


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _parse_slowly(text: str, delimiter: str) -> pl.DataFrame:
    records = list(_records(text, delimiter))
    columns = list(itertools.zip_longest(*records)) if records else []
    if records and not columns:
        # Every record is a blank line: one empty column keeps the row count.
        columns = [(None,) * len(records)]
    return pl.DataFrame(
        {raw_column_name(i): list(column) for i, column in enumerate(columns)},
        schema={raw_column_name(i): pl.String for i in range(len(columns))},
    )
