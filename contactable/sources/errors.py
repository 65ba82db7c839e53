"""Errors raised when a file cannot be read or written as a table.

Each message is one line for the member of staff who chose the file, and says
what to do. Messages name the file and, at most, a row number: never the value
of a cell, which may be personal data.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from contactable.errors import ContactableError

# The names say what happened to the file (FileMissing, EmptyFile), as the
# stable codes do; an "Error" suffix on each would add nothing but length.

ACCEPTED_FORMATS = "CSV, XLSX or ODS"


class SourceError(ContactableError):
    """A file could not be read or written as a table."""

    code = "source"


class FileMissing(SourceError):
    """There is no file at the path given."""

    code = "file_missing"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(f"No file at {os.fspath(path)}. Check the name and folder.")
        self.path = os.fspath(path)


class UnreadableFile(SourceError):
    """The file is not a CSV, XLSX or ODS file we can open.

    ``reason`` is a stable code for developers: ``unknown_type``, ``old_excel``,
    ``not_text``, ``malformed``, ``not_a_workbook`` or ``cannot_open``.
    """

    code = "unreadable_file"

    def __init__(self, path: str | os.PathLike[str], reason: str, message: str) -> None:
        super().__init__(message)
        self.path = os.fspath(path)
        self.reason = reason

    @classmethod
    def unknown_type(cls, path: str | os.PathLike[str]) -> UnreadableFile:
        """The file's name does not end in an extension we read."""
        return cls(
            path,
            "unknown_type",
            f"{os.fspath(path)} is not a type of file we can read. "
            f"Save it as {ACCEPTED_FORMATS}.",
        )

    @classmethod
    def old_excel(cls, path: str | os.PathLike[str]) -> UnreadableFile:
        """The file is a pre-2007 Excel workbook, which we do not read."""
        return cls(
            path,
            "old_excel",
            f"{os.fspath(path)} is an old Excel .xls workbook. "
            "Save it as .xlsx or .csv.",
        )

    @classmethod
    def not_text(cls, path: str | os.PathLike[str]) -> UnreadableFile:
        """A file named as CSV holds binary content, such as a picture."""
        return cls(
            path,
            "not_text",
            f"{os.fspath(path)} is not a CSV file: it does not hold text. "
            f"Open it in the program that made it and save it as {ACCEPTED_FORMATS}.",
        )

    @classmethod
    def malformed(cls, path: str | os.PathLike[str]) -> UnreadableFile:
        """A CSV file's text cannot be split into records and fields."""
        return cls(
            path,
            "malformed",
            f"{os.fspath(path)} cannot be read as CSV. Open it in Excel and save "
            "it again as 'CSV UTF-8 (Comma delimited)'.",
        )

    @classmethod
    def not_a_workbook(cls, path: str | os.PathLike[str]) -> UnreadableFile:
        """A file named as a workbook is corrupt, encrypted or something else."""
        return cls(
            path,
            "not_a_workbook",
            f"{os.fspath(path)} is not a workbook we can open. Check that it opens "
            f"in Excel and has no password, then save it again as {ACCEPTED_FORMATS}.",
        )

    @classmethod
    def cannot_open(cls, path: str | os.PathLike[str]) -> UnreadableFile:
        """The operating system would not let us read the file."""
        return cls(
            path,
            "cannot_open",
            f"{os.fspath(path)} cannot be opened. Close it in any other program "
            "and check that you are allowed to read it.",
        )


class EmptyFile(SourceError):
    """The file has no rows at all, not even a header."""

    code = "empty_file"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            f"{os.fspath(path)} has no rows to read. Check that you chose the right "
            "file and sheet."
        )
        self.path = os.fspath(path)


class BadEncoding(SourceError):
    """The text is in no encoding we recognise, even Windows-1252."""

    code = "bad_encoding"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            f"{os.fspath(path)} is not in a text encoding we can read. "
            "Save it from Excel as 'CSV UTF-8 (Comma delimited)'."
        )
        self.path = os.fspath(path)


class SheetMissing(SourceError):
    """The workbook has no sheet with the name or number asked for."""

    code = "sheet_missing"

    def __init__(
        self, path: str | os.PathLike[str], sheet: str | int, sheet_names: Sequence[str]
    ) -> None:
        wanted = (
            f"sheet number {sheet + 1}"
            if isinstance(sheet, int)
            else f"sheet '{sheet}'"
        )
        found = _quoted(sheet_names)
        super().__init__(
            f"{os.fspath(path)} has no {wanted}. Choose one of its sheets: {found}."
        )
        self.path = os.fspath(path)
        self.sheet = sheet
        self.sheet_names = list(sheet_names)


class HeaderNotFound(SourceError):
    """No row near the top of the file looks like the row of column names."""

    code = "header_not_found"

    def __init__(self, path: str | os.PathLike[str], rows_searched: int) -> None:
        super().__init__(
            f"{os.fspath(path)} has no row of column names in its first "
            f"{rows_searched} rows. Check that the header row is near the top."
        )
        self.path = os.fspath(path)
        self.rows_searched = rows_searched


class MissingColumns(SourceError):
    """The file lacks columns that the task needs."""

    code = "missing_columns"

    def __init__(
        self,
        path: str | os.PathLike[str],
        missing: Sequence[str],
        found: Sequence[str],
    ) -> None:
        noun = "column" if len(missing) == 1 else "columns"
        super().__init__(
            f"{os.fspath(path)} has no {noun} {_quoted(missing)}. "
            f"Rename the {noun} in the file, or choose from: {_quoted(found)}."
        )
        self.path = os.fspath(path)
        self.missing = list(missing)
        self.found = list(found)


class UnsupportedOutput(SourceError):
    """We cannot write a table to a file with that extension."""

    code = "unsupported_output"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            f"Cannot write {os.fspath(path)}. Give a file name ending .csv or .xlsx."
        )
        self.path = os.fspath(path)


class OutputNotWritable(SourceError):
    """The operating system would not let us create or replace the file."""

    code = "output_not_writable"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            f"Cannot write {os.fspath(path)}. Check that the folder exists, that you "
            "may write to it, and that the file is not open in another program."
        )
        self.path = os.fspath(path)


class WorkbookTooLarge(SourceError):
    """The table does not fit in an Excel worksheet."""

    code = "workbook_too_large"

    def __init__(self, path: str | os.PathLike[str], message: str) -> None:
        super().__init__(message)
        self.path = os.fspath(path)

    @classmethod
    def too_many_rows(cls, path: str | os.PathLike[str], rows: int) -> WorkbookTooLarge:
        """More rows than a worksheet holds."""
        return cls(
            path,
            f"{rows:,} rows are more than an Excel sheet holds. "
            f"Write {os.fspath(path)} as a .csv file instead.",
        )

    @classmethod
    def too_many_columns(
        cls, path: str | os.PathLike[str], columns: int
    ) -> WorkbookTooLarge:
        """More columns than a worksheet holds."""
        return cls(
            path,
            f"{columns:,} columns are more than an Excel sheet holds. "
            f"Write {os.fspath(path)} as a .csv file instead.",
        )

    @classmethod
    def cell_too_long(cls, path: str | os.PathLike[str], row: int) -> WorkbookTooLarge:
        """A cell holds more text than an Excel cell can."""
        return cls(
            path,
            f"Row {row} has a cell longer than Excel allows (32,767 characters). "
            f"Write {os.fspath(path)} as a .csv file instead.",
        )


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{name}'" for name in names) if names else "(none)"
