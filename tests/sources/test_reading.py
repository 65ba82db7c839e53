"""Reading CSV, XLSX and ODS files, hostile ones included, into tables of text."""

from __future__ import annotations

import codecs
import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

import contactable.sources
from contactable.sources import (
    BadEncoding,
    EmptyFile,
    FileMissing,
    HeaderNotFound,
    MissingColumns,
    SheetMissing,
    SourceTable,
    UnreadableFile,
    read_table,
    require_columns,
)

DATA = Path(__file__).parent.parent / "data" / "sources"


def has_email(cells: list[str]) -> bool:
    return "Email" in cells


def has_phone(cells: list[str]) -> bool:
    return "Phone" in cells


def read_bytes(tmp_path: Path, data: bytes, name: str = "file.csv") -> SourceTable:
    path = tmp_path / name
    path.write_bytes(data)
    return read_table(path)


def rows(table: SourceTable) -> list[dict[str, str | None]]:
    return table.frame.to_dicts()


# Encodings and delimiters


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "expected"),
    [
        (
            "windows_1252.csv",
            "cp1252",
            ",",
            [
                {
                    "Name": "Renée Example",
                    "Email": "renee@example.com",
                    "Note": "Paid £5",
                }
            ],
        ),
        (
            "utf8_bom_semicolon.csv",
            "utf-8-sig",
            ";",
            [
                {
                    "Name": "Zoë Example",
                    "Address": "1, Example Street",
                    "Phone": "07700 900123",
                },
                {
                    "Name": "Bo Example",
                    "Address": "2 Example Road",
                    "Phone": "07700 900456",
                },
            ],
        ),
        (
            "utf16_unicode_text.txt",
            "utf-16",
            "\t",
            [{"Name": "Zoë Example", "Email": "zoe@example.com"}],
        ),
    ],
)
def test_csv_files_in_each_common_encoding_are_decoded(
    name: str, encoding: str, delimiter: str, expected: list[dict[str, str]]
) -> None:
    table = read_table(DATA / name)

    assert rows(table) == expected
    assert (table.format, table.encoding, table.delimiter) == (
        "csv",
        encoding,
        delimiter,
    )
    assert table.sheet_name is None


def test_windows_1252_csv_is_decoded() -> None:
    table = read_table(DATA / "windows_1252.csv")

    assert table.frame["Note"].to_list() == ["Paid £5"]


def test_byte_order_mark_is_not_part_of_the_first_header() -> None:
    table = read_table(DATA / "utf8_bom_semicolon.csv")

    assert table.columns == ["Name", "Address", "Phone"]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Name\nZoë\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Name\nZoë\n".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Name\nZoë\n".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "Name\nZoë\n".encode("utf-16-be"), "utf-16"),
        ("Name\nZoë\n".encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "cp1252"],
)
def test_encoding_is_found_from_the_bytes(
    tmp_path: Path, data: bytes, encoding: str
) -> None:
    table = read_bytes(tmp_path, data)

    assert (table.encoding, rows(table)) == (encoding, [{"Name": "Zoë"}])


@pytest.mark.parametrize(
    ("data", "delimiter", "columns"),
    [
        (b"Name,Email\nAda,ada@example.com\n", ",", ["Name", "Email"]),
        (b"Name;Email\nAda;ada@example.com\n", ";", ["Name", "Email"]),
        (b"Name\tEmail\nAda\tada@example.com\n", "\t", ["Name", "Email"]),
        (b"Name|Email\nAda|ada@example.com\n", "|", ["Name", "Email"]),
        # Commas inside unquoted cells do not outvote the semicolons.
        (
            b"Name;Address\nAda;1, Example Street\nBo;2, Example Road\n",
            ";",
            ["Name", "Address"],
        ),
        # Semicolons inside quoted cells do not outvote the commas.
        (b'Name,Note\nAda,"a;b;c"\nBo,"d;e"\n', ",", ["Name", "Note"]),
        # A title row with no delimiter in it does not count.
        (
            b"Canvass 2026\nName;Email\nAda;ada@example.com\n",
            ";",
            ["Canvass 2026", "Column 2"],
        ),
        (b"Email\nada@example.com\n", ",", ["Email"]),
    ],
)
def test_delimiter_is_sniffed(
    tmp_path: Path, data: bytes, delimiter: str, columns: list[str]
) -> None:
    table = read_bytes(tmp_path, data)

    assert (table.delimiter, table.columns) == (delimiter, columns)


def test_quoted_cells_keep_delimiters_quotes_and_line_breaks(tmp_path: Path) -> None:
    data = b'Name,Note\r\nAda,"1, Example Street"\r\nBo,"said ""hi""\r\nthen left"\r\n'

    table = read_bytes(tmp_path, data)

    assert table.frame["Note"].to_list() == [
        "1, Example Street",
        'said "hi"\r\nthen left',
    ]


# Row numbers and blank lines


@pytest.mark.parametrize(
    ("data", "row_numbers"),
    [
        (b"Name\nAda\nBo\n", [2, 3]),
        (b"Name\r\nAda\r\nBo", [2, 3]),
        # Classic Mac line endings.
        (b"Name\rAda\rBo\r", [2, 3]),
        # Blank lines above the header are rows too, as Excel shows them.
        (b"\n\nName\nAda\n", [4]),
        # Blank lines, lines of delimiters and of spaces are skipped, and
        # still counted.
        (b"Name,Note\nAda,x\n\n,\n , \nBo,y\n", [2, 6]),
        # A quoted cell over two lines is one record, so one row.
        (b'Name,Note\nAda,"two\nlines"\nBo,x\n', [2, 3]),
    ],
)
def test_row_numbers_count_records_as_excel_shows_them(
    tmp_path: Path, data: bytes, row_numbers: list[int]
) -> None:
    table = read_bytes(tmp_path, data)

    assert table.row_numbers.to_list() == row_numbers
    assert table.row_numbers.dtype == pl.UInt32


def test_title_row_and_blank_lines_are_skipped_with_a_header_predicate() -> None:
    table = read_table(DATA / "title_and_blank_lines.csv", header_predicate=has_email)

    assert rows(table) == [
        {
            "Elector Number": "AB1-1",
            "Email": "ada@example.com",
            "Phone": "07700 900001",
        },
        {
            "Elector Number": "AB1-2",
            "Email": "bo@example.com\r\n(work)",
            "Phone": "07700 900002",
        },
        {"Elector Number": "AB1-3", "Email": "cy@example.com", "Phone": "07700 900003"},
    ]
    assert table.row_numbers.to_list() == [4, 7, 8]


def test_first_row_with_text_is_the_header_without_a_predicate() -> None:
    table = read_table(DATA / "title_and_blank_lines.csv")

    assert table.columns == ["Canvass responses 2026", "Column 2", "Column 3"]
    assert table.frame.row(0) == ("Elector Number", "Email", "Phone")
    assert table.row_numbers[0] == 3


def test_header_predicate_is_given_stripped_cells_of_each_row_until_true(
    tmp_path: Path,
) -> None:
    seen: list[list[str]] = []

    def predicate(cells: list[str]) -> bool:
        seen.append(cells)
        return "Email" in cells

    path = tmp_path / "file.csv"
    path.write_bytes(b"Canvass 2026,\n\n Name , Email\nAda,ada@example.com\n")
    read_table(path, header_predicate=predicate)

    assert seen == [["Canvass 2026", ""], ["Name", "Email"]]


@pytest.mark.parametrize(
    "data",
    [
        b"Name,Phone\nAda,07700 900001\n",
        # The header is on the 21st row with text: too far down to look.
        b"".join(b"Note %d,\n" % n for n in range(20)) + b"Name,Email\nAda,x\n",
    ],
)
def test_header_that_the_predicate_never_accepts_is_reported(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(data)

    with pytest.raises(HeaderNotFound) as caught:
        read_table(path, header_predicate=has_email)

    assert caught.value.message == (
        f"{path} has no row of column names in its first 20 rows. "
        "Check that the header row is near the top."
    )
    assert caught.value.code == "header_not_found"


# Header names and ragged rows


@pytest.mark.parametrize(
    ("data", "columns"),
    [
        (b" Name ,\tEmail \nAda,x\n", ["Name", "Email"]),
        (b"Email,Email,Email\na,b,c\n", ["Email", "Email (2)", "Email (3)"]),
        (b"Name,,Email\nAda,x,y\n", ["Name", "Column 2", "Email"]),
        (b"Name, ,Email\nAda,x,y\n", ["Name", "Column 2", "Email"]),
        (b"Column 2,\nx,y\n", ["Column 2", "Column 2 (2)"]),
        # A column with neither a name nor a value is left out.
        (b"Name,,Email,,\nAda,,y,,\n", ["Name", "Email"]),
    ],
)
def test_header_names_are_stripped_unique_and_never_blank(
    tmp_path: Path, data: bytes, columns: list[str]
) -> None:
    assert read_bytes(tmp_path, data).columns == columns


def test_short_rows_are_padded_and_long_rows_keep_their_extra_cells(
    tmp_path: Path,
) -> None:
    data = b"Name,Email\nAda\nBo,bo@example.com,extra\n"

    table = read_bytes(tmp_path, data)

    assert rows(table) == [
        {"Name": "Ada", "Email": None, "Column 3": None},
        {"Name": "Bo", "Email": "bo@example.com", "Column 3": "extra"},
    ]


def test_long_row_far_below_the_sample_is_kept(tmp_path: Path) -> None:
    data = b"Name,Email\n" + b"A,a@example.com\n" * 5000 + b"Bo,bo@example.com,x,y\n"

    table = read_bytes(tmp_path, data)

    assert table.columns == ["Name", "Email", "Column 3", "Column 4"]
    assert table.frame.row(-1) == ("Bo", "bo@example.com", "x", "y")
    assert table.row_numbers[-1] == 5002


def test_stray_quotes_are_read_as_excel_reads_them(tmp_path: Path) -> None:
    # The second record breaks RFC 4180, which Polars refuses; the slower
    # reader takes it and must number the rows the same way.
    data = b'Name,Note\nAda,a "quoted" word\n\nBo,"x"y\n'

    table = read_bytes(tmp_path, data)

    assert table.frame["Note"].to_list() == ['a "quoted" word', "xy"]
    assert table.row_numbers.to_list() == [2, 4]


# Cells are text, exactly as in the file


def test_cells_are_kept_as_text_exactly_and_empty_cells_are_null(
    tmp_path: Path,
) -> None:
    data = (
        b'Phone,UPRN,Date,Name,Note,Gap\n07700 900123,000123,01/04/2026,  Ada  ,NA,""\n'
    )

    table = read_bytes(tmp_path, data)

    assert rows(table) == [
        {
            "Phone": "07700 900123",
            "UPRN": "000123",
            "Date": "01/04/2026",
            "Name": "  Ada  ",
            "Note": "NA",
            "Gap": None,
        }
    ]
    assert set(table.frame.schema.values()) == {pl.String}


def test_formula_cells_are_read_as_their_text() -> None:
    table = read_table(DATA / "formula_cells.csv")

    assert table.frame["Name"].to_list() == [
        "=1+1",
        '=HYPERLINK("http://example.com","click")',
    ]
    assert table.frame["Phone"].to_list() == ["+447700900001", "-5"]


def test_header_only_file_gives_an_empty_table_with_its_columns() -> None:
    table = read_table(DATA / "header_only.csv")

    assert table.columns == ["Name", "Email", "Phone"]
    assert table.frame.height == 0
    assert set(table.frame.schema.values()) == {pl.String}
    assert table.row_numbers.to_list() == []


# Workbooks


def test_xlsx_cells_are_read_as_the_text_a_person_sees() -> None:
    table = read_table(DATA / "canvass.xlsx", header_predicate=has_phone)

    assert rows(table) == [
        {
            "Name": "Ada",
            # The second half of the merged "Name" cell.
            "Column 2": "Example",
            # A number cell: no ".0", no exponent.
            "Phone": "7700900123",
            "Date Received": "2026-04-01",
            # The formula's cached value; we never calculate.
            "Total": "2",
            "Email": "ada@example.com",
        },
        {
            "Name": "Bo",
            "Column 2": "Example",
            "Phone": "07700 900456",
            "Date Received": "2026-04-02T13:05:00",
            # A formula whose result is text that looks like a formula.
            "Total": "=1+1",
            "Email": "bo@example.com",
        },
        {
            "Name": "Cy",
            "Column 2": None,
            "Phone": "7700000000",
            "Date Received": None,
            "Total": "2.5",
            "Email": None,
        },
    ]
    assert table.row_numbers.to_list() == [4, 5, 7]
    assert (table.format, table.sheet_name) == ("xlsx", "Responses")
    assert (table.encoding, table.delimiter) == (None, None)


def test_ods_cells_are_read_as_the_text_a_person_sees() -> None:
    table = read_table(DATA / "canvass.ods", header_predicate=has_phone)

    assert rows(table) == [
        {
            "Name": "Ada",
            "Column 2": "Example",
            "Phone": "7700900123",
            "Date Received": "2026-04-01",
            "Check": "2",
        },
        {
            "Name": "Bo",
            "Column 2": "Example",
            "Phone": "07700 900456",
            "Date Received": "2026-04-02T13:05:00",
            "Check": "=1+1",
        },
    ]
    assert table.row_numbers.to_list() == [3, 4]
    assert (table.format, table.sheet_name) == ("ods", "Responses")


@pytest.mark.parametrize("name", ["canvass.xlsx", "canvass.ods"])
@pytest.mark.parametrize("sheet", ["Notes", 1])
def test_sheet_is_chosen_by_name_or_index(name: str, sheet: str | int) -> None:
    table = read_table(DATA / name, sheet=sheet)

    assert (table.sheet_name, table.columns, table.frame.height) == (
        "Notes",
        ["Note"],
        0,
    )


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        ("Missing", "has no sheet 'Missing'. Choose one of its sheets: "),
        (5, "has no sheet number 6. Choose one of its sheets: "),
    ],
)
def test_sheet_that_is_not_in_the_workbook_is_reported(
    sheet: str | int, message: str
) -> None:
    path = DATA / "canvass.xlsx"

    with pytest.raises(SheetMissing) as caught:
        read_table(path, sheet=sheet)

    assert caught.value.message == f"{path} {message}'Responses', 'Notes'."


def test_columns_of_a_sheet_are_numbered_from_column_a(tmp_path: Path) -> None:
    path = tmp_path / "offset.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_string(2, 2, "Email")
    sheet.write_string(2, 4, "Phone")
    sheet.write_string(3, 3, "note")
    workbook.close()

    table = read_table(path)

    # The used range starts at C3, but the names and numbers are the sheet's.
    assert table.columns == ["Email", "Column 4", "Phone"]
    assert table.row_numbers.to_list() == [4]


def test_extension_is_read_whatever_its_case(tmp_path: Path) -> None:
    path = tmp_path / "CANVASS.XLSX"
    shutil.copy(DATA / "canvass.xlsx", path)

    assert read_table(path).format == "xlsx"


# Files that cannot be read


def test_missing_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"

    with pytest.raises(FileMissing) as caught:
        read_table(path)

    assert caught.value.message == f"No file at {path}. Check the name and folder."
    assert caught.value.code == "file_missing"


def test_folder_is_reported_as_no_file(tmp_path: Path) -> None:
    path = tmp_path / "folder.csv"
    path.mkdir()

    with pytest.raises(FileMissing):
        read_table(path)


@pytest.mark.parametrize(
    "data",
    [
        (DATA / "picture.csv").read_bytes(),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        (DATA / "canvass.xlsx").read_bytes(),
        b"Name,Email\nAda\x00,ada@example.com\n",
        codecs.BOM_UTF16_LE + "Name\x00".encode("utf-16-le"),
        # UTF-16 without a byte order mark is full of NUL bytes. Excel never
        # writes it, and guessing at it would misread real binary files.
        "Name\nZoë\n".encode("utf-16-le"),
    ],
    ids=["png", "pdf", "xlsx", "nul-byte", "utf-16-nul", "utf-16-without-bom"],
)
def test_binary_file_named_csv_is_unreadable(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(data)

    with pytest.raises(UnreadableFile) as caught:
        read_table(path)

    assert caught.value.message == (
        f"{path} is not a CSV file: it does not hold text. Open it in the program "
        "that made it and save it as CSV, XLSX or ODS."
    )
    assert (caught.value.code, caught.value.reason) == ("unreadable_file", "not_text")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("not_a_zip.xlsx", None),
        ("corrupt.xlsx", b"PK\x03\x04" + b"\x00" * 100),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        # An XLSX workbook named .ods.
        ("mislabelled.ods", (DATA / "canvass.xlsx").read_bytes()),
    ],
)
def test_workbook_that_is_not_a_workbook_is_unreadable(
    tmp_path: Path, name: str, data: bytes | None
) -> None:
    path = tmp_path / name
    path.write_bytes((DATA / name).read_bytes() if data is None else data)

    with pytest.raises(UnreadableFile) as caught:
        read_table(path)

    assert caught.value.message == (
        f"{path} is not a workbook we can open. Check that it opens in Excel and "
        "has no password, then save it again as CSV, XLSX or ODS."
    )
    assert caught.value.reason == "not_a_workbook"


@pytest.mark.parametrize(
    ("name", "reason", "message"),
    [
        ("register.xls", "old_excel", "is an old Excel .xls workbook. "),
        ("register.docx", "unknown_type", "is not a type of file we can read. "),
        ("register", "unknown_type", "is not a type of file we can read. "),
    ],
)
def test_file_type_we_do_not_read_is_unreadable(
    tmp_path: Path, name: str, reason: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(b"Name\nAda\n")

    with pytest.raises(UnreadableFile) as caught:
        read_table(path)

    assert caught.value.reason == reason
    assert caught.value.message.startswith(f"{path} {message}")


def test_old_excel_workbook_is_told_how_to_save_it(tmp_path: Path) -> None:
    path = tmp_path / "register.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")

    with pytest.raises(UnreadableFile) as caught:
        read_table(path)

    assert caught.value.message == (
        f"{path} is an old Excel .xls workbook. Save it as .xlsx or .csv."
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.csv", None),
        ("blank.csv", b"\r\n\r\n,,\r\n  \r\n"),
        ("bom_only.csv", codecs.BOM_UTF8),
        ("empty.xlsx", b""),
    ],
)
def test_file_without_any_rows_is_empty(
    tmp_path: Path, name: str, data: bytes | None
) -> None:
    path = tmp_path / name
    path.write_bytes((DATA / name).read_bytes() if data is None else data)

    with pytest.raises(EmptyFile) as caught:
        read_table(path)

    assert caught.value.message == (
        f"{path} has no rows to read. Check that you chose the right file and sheet."
    )
    assert caught.value.code == "empty_file"


def test_sheet_without_any_cells_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    workbook = xlsxwriter.Workbook(path)
    workbook.add_worksheet("Blank")
    workbook.close()

    with pytest.raises(EmptyFile):
        read_table(path)


@pytest.mark.parametrize(
    "data",
    [
        # 0x81 is one of the five bytes Windows-1252 leaves undefined.
        b"Name\n\x81\n",
        codecs.BOM_UTF8 + b"Name\n\xa3\n",
        codecs.BOM_UTF16_LE + b"N\x00\x00\xdc",
    ],
    ids=["not-cp1252", "bad-utf-8-after-bom", "lone-surrogate-utf-16"],
)
def test_text_in_no_encoding_we_know_is_reported(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(data)

    with pytest.raises(BadEncoding) as caught:
        read_table(path)

    assert caught.value.message == (
        f"{path} is not in a text encoding we can read. "
        "Save it from Excel as 'CSV UTF-8 (Comma delimited)'."
    )


# require_columns


def test_required_columns_that_are_present_pass() -> None:
    table = read_table(DATA / "windows_1252.csv")

    require_columns(table, ["Email", "Name"])


@pytest.mark.parametrize(
    ("names", "missing"),
    [
        (["Email", "Phone"], "column 'Phone'"),
        (["Phone", "UPRN"], "columns 'Phone', 'UPRN'"),
    ],
)
def test_missing_columns_are_listed_with_the_columns_found(
    names: list[str], missing: str
) -> None:
    table = read_table(DATA / "windows_1252.csv")

    with pytest.raises(MissingColumns) as caught:
        require_columns(table, names)

    noun = missing.split(" ")[0]
    assert caught.value.message == (
        f"{DATA / 'windows_1252.csv'} has no {missing}. Rename the {noun} in the "
        "file, or choose from: 'Name', 'Email', 'Note'."
    )
    assert caught.value.found == ["Name", "Email", "Note"]


# The package


def test_all_is_sorted_and_lists_every_public_name() -> None:
    public = {
        name
        for name, value in vars(contactable.sources).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }

    assert contactable.sources.__all__ == sorted(contactable.sources.__all__)
    assert set(contactable.sources.__all__) == public


def test_sources_do_not_import_the_layers_above() -> None:
    # A fresh interpreter, so that modules other tests loaded do not count.
    code = (
        "import sys, contactable.sources; "
        "print(sorted(m for m in sys.modules if m.startswith(("
        "'contactable.store', 'contactable.services', 'contactable.cli', "
        "'contactable.checks'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
