"""Writing tables to CSV and XLSX files that are private and safe to open."""

from __future__ import annotations

import codecs
import stat
import zipfile
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from xlsxwriter.exceptions import InvalidWorksheetName

from contactable.sources import (
    OutputNotWritable,
    UnsupportedOutput,
    WorkbookTooLarge,
    is_formula_like,
    neutralise_formulas,
    read_table,
    write_table,
)

FORMULA_CASES = [
    ("=1+1", True),
    ('=HYPERLINK("http://example.com","click")', True),
    ("@SUM(A1:A2)", True),
    ("\t=1+1", True),
    ("\r=1+1", True),
    ("+cmd|' /C calc'!A0", True),
    ("-2+3", True),
    ("--5", True),
    ("+1.2.3", True),
    ("-1e5", True),
    # A sign alone is not a number, so it is not trusted either.
    ("+", True),
    ("-", True),
    ("+ ", True),
    # Signed numbers are phone numbers and amounts, left as they are.
    ("+447700900123", False),
    ("+44 7700 900123", False),
    ("-5", False),
    ("- 2.5", False),
    ("-.5", False),
    ("-5.", False),
    ("07700 900123", False),
    ("ada@example.com", False),
    ("a=b", False),
    ("", False),
    # Only the first character counts, as in the rule spreadsheets follow.
    (" =1+1", False),
]


def sample_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Name": ["Ada", "=1+1", None, 'Bo "the" Example'],
            "Address": ["1, Example Street", "line one\nline two", "", "x"],
            "Phone": ["+447700900123", "-5", "07700 900123", "@SUM(A1)"],
            "Count": [1, 2, None, 4],
        }
    )


# Formula safety


@pytest.mark.parametrize(("text", "expected"), FORMULA_CASES)
def test_text_that_a_spreadsheet_would_run_is_formula_like(
    text: str, expected: bool
) -> None:
    assert is_formula_like(text) is expected


@pytest.mark.parametrize(("text", "expected"), FORMULA_CASES)
def test_formula_like_cells_get_an_apostrophe_and_nothing_else_changes(
    text: str, expected: bool
) -> None:
    frame = pl.DataFrame({"cell": [text]})

    result = neutralise_formulas(frame)["cell"][0]

    assert result == (f"'{text}" if expected else text)


@given(st.text(alphabet="=+-@\t\r .0123456789e|a", max_size=8))
def test_column_rule_agrees_with_the_one_value_rule(text: str) -> None:
    result = neutralise_formulas(pl.DataFrame({"cell": [text]}))["cell"][0]

    assert result == (f"'{text}" if is_formula_like(text) else text)


def test_neutralising_leaves_nulls_and_other_types_alone() -> None:
    frame = pl.DataFrame({"text": ["=1", None], "number": [-1, 2]})

    result = neutralise_formulas(frame)

    assert result.to_dict(as_series=False) == {
        "text": ["'=1", None],
        "number": [-1, 2],
    }
    assert result.schema == frame.schema


# CSV


def test_csv_is_utf8_with_a_bom_quoted_where_needed_and_formula_safe(
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.csv"

    write_table(sample_frame(), path)

    assert path.read_bytes() == codecs.BOM_UTF8 + (
        b"Name,Address,Phone,Count\r\n"
        b'Ada,"1, Example Street",+447700900123,1\r\n'
        b'\'=1+1,"line one\nline two",-5,2\r\n'
        # Polars quotes an empty string to tell it from a missing value.
        b',"",07700 900123,\r\n'
        b'"Bo ""the"" Example",x,\'@SUM(A1),4\r\n'
    )


def test_csv_written_reads_back_the_same(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {"Name": ["Zoë £5", "Renée"], "Email": ["a@example.com", None]}
    )
    path = write_table(frame, tmp_path / "out.csv")

    table = read_table(path)

    assert table.encoding == "utf-8-sig"
    assert table.frame.to_dicts() == frame.to_dicts()


# XLSX


def test_xlsx_cells_are_all_strings_and_never_formulas(tmp_path: Path) -> None:
    path = write_table(sample_frame(), tmp_path / "out.xlsx")

    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()

    # constant_memory mode writes strings inline: the header, then every cell
    # but the null and empty ones. None is a number or a formula, so nothing
    # can run when the file is opened.
    assert sheet.count('t="inlineStr"') == 4 + 13
    assert "<f>" not in sheet
    assert "<v>" not in sheet


def test_xlsx_keeps_values_as_written_without_apostrophes(tmp_path: Path) -> None:
    path = write_table(sample_frame(), tmp_path / "out.xlsx")

    table = read_table(path)

    assert table.frame.to_dicts() == [
        {
            "Name": "Ada",
            "Address": "1, Example Street",
            "Phone": "+447700900123",
            "Count": "1",
        },
        {
            "Name": "=1+1",
            "Address": "line one\nline two",
            "Phone": "-5",
            "Count": "2",
        },
        {"Name": None, "Address": None, "Phone": "07700 900123", "Count": None},
        {
            "Name": 'Bo "the" Example',
            "Address": "x",
            "Phone": "@SUM(A1)",
            "Count": "4",
        },
    ]


def test_xlsx_header_is_bold_frozen_and_filterable(tmp_path: Path) -> None:
    path = write_table(sample_frame(), tmp_path / "out.xlsx")

    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        styles = archive.read("xl/styles.xml").decode()

    assert '<autoFilter ref="A1:D5"/>' in sheet
    assert '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"' in sheet
    assert "<b/>" in styles
    # Address: its longest cell (17 characters) plus two.
    assert '<col min="2" max="2" width="19.7109375" customWidth="1"/>' in sheet


@pytest.mark.parametrize(
    ("sheet_name", "expected"), [(None, "Checked"), ("Out", "Out")]
)
def test_xlsx_sheet_is_named(
    tmp_path: Path, sheet_name: str | None, expected: str
) -> None:
    path = tmp_path / "out.xlsx"
    if sheet_name is None:
        write_table(sample_frame(), path)
    else:
        write_table(sample_frame(), path, sheet_name=sheet_name)

    assert fastexcel.read_excel(path).sheet_names == [expected]


def test_frame_too_tall_for_a_sheet_is_refused_before_writing(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {"Name": pl.repeat(None, 1_048_576, dtype=pl.String, eager=True)}
    )
    path = tmp_path / "out.xlsx"

    with pytest.raises(WorkbookTooLarge) as caught:
        write_table(frame, path)

    assert caught.value.message == (
        f"1,048,576 rows are more than an Excel sheet holds. "
        f"Write {path} as a .csv file instead."
    )
    assert not path.exists()


@pytest.mark.parametrize(
    "text",
    [
        "x" * 32_768,
        # An emoji is two UTF-16 units, which is what Excel counts.
        "\N{GRINNING FACE}" * 16_384,
    ],
    ids=["ascii", "emoji"],
)
def test_cell_too_long_for_excel_is_refused(tmp_path: Path, text: str) -> None:
    frame = pl.DataFrame({"Note": ["short", text]})
    path = tmp_path / "out.xlsx"

    with pytest.raises(WorkbookTooLarge) as caught:
        write_table(frame, path)

    assert caught.value.message == (
        "Row 3 has a cell longer than Excel allows (32,767 characters). "
        f"Write {path} as a .csv file instead."
    )


# Both formats


@pytest.mark.parametrize("name", ["out.csv", "out.xlsx", "OUT.CSV"])
def test_new_file_is_readable_by_its_owner_only(tmp_path: Path, name: str) -> None:
    path = write_table(sample_frame(), tmp_path / name)

    assert path == tmp_path / name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("name", ["out.csv", "out.xlsx"])
def test_existing_file_is_replaced_and_made_private(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"x" * 100_000)
    path.chmod(0o644)

    write_table(pl.DataFrame({"Name": ["Ada"]}), path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_table(path).frame.to_dicts() == [{"Name": "Ada"}]


@pytest.mark.parametrize("name", ["out.ods", "out.txt", "out.xls", "out"])
def test_output_type_we_do_not_write_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name

    with pytest.raises(UnsupportedOutput) as caught:
        write_table(sample_frame(), path)

    assert caught.value.message == (
        f"Cannot write {path}. Give a file name ending .csv or .xlsx."
    )
    assert caught.value.code == "unsupported_output"
    assert not path.exists()


@pytest.mark.parametrize("name", ["out.csv", "out.xlsx"])
def test_output_in_a_missing_folder_is_reported(tmp_path: Path, name: str) -> None:
    path = tmp_path / "nowhere" / name

    with pytest.raises(OutputNotWritable) as caught:
        write_table(sample_frame(), path)

    assert caught.value.message == (
        f"Cannot write {path}. Check that the folder exists, that you may write "
        "to it, and that the file is not open in another program."
    )


def test_a_failed_write_leaves_the_older_file_and_no_half_written_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")

    # Excel does not allow "/" in a sheet name; xlsxwriter refuses it after
    # the file has been opened.
    with pytest.raises(InvalidWorksheetName):
        write_table(sample_frame(), path, sheet_name="Checked/2026")

    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_frame_without_rows_is_written_with_its_header(tmp_path: Path) -> None:
    frame = pl.DataFrame(schema={"Name": pl.String, "Email": pl.String})

    csv_path = write_table(frame, tmp_path / "out.csv")
    xlsx_path = write_table(frame, tmp_path / "out.xlsx")

    assert csv_path.read_bytes() == codecs.BOM_UTF8 + b"Name,Email\r\n"
    assert read_table(xlsx_path).columns == ["Name", "Email"]
