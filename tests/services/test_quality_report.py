"""The quality report workbook, read back as staff and Excel would read it."""

from __future__ import annotations

import datetime
import stat
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import fastexcel
import polars as pl
import pytest

from contactable.services import quality_report
from contactable.services.quality_report import (
    ReportColumnMissingError,
    write_quality_report,
)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
FORMULA = '=HYPERLINK("http://x")'

# The rows as `contactable check` would leave them, in file order; row numbers
# skip 4, a blank line in the file.
CHECKED_ROWS = [
    # elector, name, email, email check, phone, phone check
    ("AB1-1", "Jo Bloggs", "jo@gmial.com",
     ("suggestion", None, "domain_typo", "jo@gmail.com"),
     "07700 900123", ("invalid", None, "fictional", None, None, None)),
    ("AB1-2", "Sam Smith", "sam@example.com",
     ("ok", "sam@example.com", None, None),
     "07700 90012", ("invalid", None, "too_short", None, None, None)),
    ("AB1-3", "Alex Jones", FORMULA,
     ("invalid", None, "syntax", None),
     None, ("empty", None, None, None, None, None)),
    ("AB1-4", "Kim Lee", "none",
     ("empty", None, "placeholder", None),
     "0161 496 0000 ext 12",
     ("ok", "+441614960000", "extension", None, "landline", None)),
    ("AB1-5", "Pat Brown", "pat@gmial.com",
     ("suggestion", None, "domain_typo", "pat@gmail.com"),
     "07700 900456", ("invalid", None, "fictional", None, None, None)),
]  # fmt: skip
ROW_NUMBERS = [2, 3, 5, 6, 7]
EMAIL_FIELDS = ["email_status", "email_normalised", "email_problem", "email_suggestion"]
PHONE_FIELDS = [
    "phone_status", "phone_normalised", "phone_problem", "phone_suggestion",
    "phone_type", "phone_region",
]  # fmt: skip


def _checked(rows: list[tuple[object, ...]] = CHECKED_ROWS) -> pl.DataFrame:
    columns = ["Elector Number", "Name", "Email", *EMAIL_FIELDS, "Phone", *PHONE_FIELDS]
    flat = [(e, n, email, *ec, phone, *pc) for e, n, email, ec, phone, pc in rows]
    return pl.DataFrame(flat, schema=dict.fromkeys(columns, pl.String), orient="row")


def _emails_only(problems: list[str | None]) -> pl.DataFrame:
    size = len(problems)
    columns = {
        "Email": [f"person{i}@example.com" for i in range(size)],
        "email_status": ["invalid"] * size,
        "email_normalised": [None] * size,
        "email_problem": problems,
        "email_suggestion": [None] * size,
    }
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def _write(
    tmp_path: Path, checked: pl.DataFrame | None = None, **options: object
) -> Path:
    arguments: dict[str, object] = {
        "email_column": "Email",
        "phone_column": "Phone",
        "row_numbers": pl.Series(ROW_NUMBERS, dtype=pl.UInt32),
        "context_columns": ["Elector Number", "Name"],
        "source_name": "canvass-2026.csv",
        "made_on": datetime.date(2026, 4, 1),
    }
    arguments.update(options)
    frame = _checked() if checked is None else checked
    return write_quality_report(frame, tmp_path / "report.xlsx", **arguments)


def _sheet(path: Path, name: str) -> list[tuple[object, ...]]:
    """Every row of a sheet as text, the header first."""
    frame = fastexcel.read_excel(path).load_sheet(
        name, header_row=None, dtypes="string"
    )
    return frame.to_polars().rows()


def _sheet_xml(path: Path, name: str) -> ElementTree.Element:
    """The XML of the sheet called ``name``, found as Excel finds it."""
    with zipfile.ZipFile(path) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        ids = {
            s.get("name"): s.get(RELATIONSHIP) for s in workbook.iter(f"{MAIN}sheet")
        }
        targets = {r.get("Id"): r.get("Target") for r in links}
        return ElementTree.fromstring(archive.read(f"xl/{targets[ids[name]]}"))


def _cells(path: Path, name: str) -> dict[str, tuple[str, str]]:
    """Each cell of a sheet by reference, as (type, text); type "n" is a number."""
    cells = {}
    for cell in _sheet_xml(path, name).iter(f"{MAIN}c"):
        text = "".join(cell.itertext())
        cells[str(cell.get("r"))] = (cell.get("t", "n"), text)
    return cells


def _style(path: Path, name: str, ref: str) -> tuple[str | None, bool]:
    """The number format and boldness of one cell."""
    cell = _sheet_xml(path, name).find(f".//{MAIN}c[@r='{ref}']")
    assert cell is not None
    with zipfile.ZipFile(path) as archive:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    number_formats = {
        f.get("numFmtId"): f.get("formatCode") for f in styles.iter(f"{MAIN}numFmt")
    }
    cell_formats = styles.find(f"{MAIN}cellXfs")
    fonts = styles.find(f"{MAIN}fonts")
    assert cell_formats is not None
    assert fonts is not None
    applied = cell_formats[int(cell.get("s", "0"))]
    bold = fonts[int(applied.get("fontId", "0"))].find(f"{MAIN}b") is not None
    return number_formats.get(applied.get("numFmtId")), bold


def test_the_summary_comes_first_then_a_sheet_for_each_problem_found(tmp_path):
    path = _write(tmp_path)

    assert fastexcel.read_excel(path).sheet_names == [
        "Summary",
        "Email - domain typo",
        "Email - placeholder",
        "Email - syntax",
        "Phone - fictional",
        "Phone - too short",
        "Phone - extension",
    ]


def test_the_summary_has_a_title_and_the_date_it_was_made(tmp_path):
    rows = _sheet(_write(tmp_path), "Summary")

    assert rows[:3] == [
        ("Contact quality report: canvass-2026.csv", None, None, None, None),
        ("Made on 2026-04-01", None, None, None, None),
        ("Rows checked", None, "5", None, None),
    ]


def test_the_summary_counts_each_status_and_each_problem_with_its_meaning(tmp_path):
    rows = _sheet(_write(tmp_path), "Summary")

    assert rows[4:18] == [
        ("Email (column Email)", None, None, None, None),
        ("Status", "Meaning", "Rows", "% of rows", None),
        ("ok", "Usable as it stands.", "1", "0.2", None),
        ("suggestion", "Not usable as recorded; a likely correction is offered to "
         "accept or reject.", "2", "0.4", None),
        ("invalid", "Cannot be used, and no correction can be suggested.", "1", "0.2",
         None),
        ("empty", "No value, or a stand-in such as 'none'.", "1", "0.2", None),
        ("Total", None, "5", "1", None),
        (None, None, None, None, None),
        ("Problem", "Meaning", "Rows", "% of rows", "Sheet"),
        ("domain_typo", "The part after the @ looks like a misspelling of a known "
         "email provider.", "2", "0.4", "Email - domain typo"),
        ("placeholder", "A stand-in such as 'none' or 'n/a', not a contact detail.",
         "1", "0.2", "Email - placeholder"),
        ("syntax", "The email address is not in a form that can receive mail.", "1",
         "0.2", "Email - syntax"),
        ("Total", None, "4", "0.8", None),
        (None, None, None, None, None),
    ]  # fmt: skip
    assert rows[19][0] == "Phone (column Phone)"
    assert [r[:3] for r in rows[21:25]] == [
        ("ok", "Usable as it stands.", "1"),
        ("suggestion", rows[22][1], "0"),
        ("invalid", rows[23][1], "3"),
        ("empty", rows[24][1], "1"),
    ]


def test_summary_counts_are_numbers_and_shares_are_formatted_as_percentages(tmp_path):
    path = _write(tmp_path)
    cells = _cells(path, "Summary")

    assert cells["C7"] == ("n", "1")
    assert cells["D8"] == ("n", "0.4")
    assert _style(path, "Summary", "C7") == (None, False)
    assert _style(path, "Summary", "D8") == ("0.0%", False)
    assert _style(path, "Summary", "D11") == ("0.0%", True)


def test_each_problem_on_the_summary_links_to_its_sheet(tmp_path):
    sheet = _sheet_xml(_write(tmp_path), "Summary")

    links = {h.get("ref"): h.get("location") for h in sheet.iter(f"{MAIN}hyperlink")}
    assert links["E14"] == "'Email - domain typo'!A1"
    assert len(links) == 6
    assert not [h for h in sheet.iter(f"{MAIN}hyperlink") if h.get(RELATIONSHIP)]


def test_the_summary_charts_statuses_and_each_fields_problems(tmp_path):
    with zipfile.ZipFile(_write(tmp_path)) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/"))
        kinds = [archive.read(n).decode() for n in charts]

    assert charts == [
        "xl/charts/chart1.xml",
        "xl/charts/chart2.xml",
        "xl/charts/chart3.xml",
    ]
    assert '<c:barDir val="col"/>' in kinds[0]
    assert "<c:f>Summary!$C$7:$C$10</c:f>" in kinds[0]
    assert '<c:barDir val="bar"/>' in kinds[1]
    assert "<c:f>Summary!$A$14:$A$16</c:f>" in kinds[1]


def test_a_problem_sheet_lists_its_rows_by_row_number_with_the_suggestions(tmp_path):
    reordered = _checked(list(reversed(CHECKED_ROWS)))
    path = _write(tmp_path, reordered, row_numbers=pl.Series([7, 6, 5, 3, 2]))

    assert _sheet(path, "Email - domain typo") == [
        ("Row", "Elector Number", "Name", "Email as recorded", "Suggestion", "Status",
         "Decision / notes"),
        ("2", "AB1-1", "Jo Bloggs", "jo@gmial.com", "jo@gmail.com", "suggestion", None),
        ("7", "AB1-5", "Pat Brown", "pat@gmial.com", "pat@gmail.com", "suggestion",
         None),
    ]  # fmt: skip


def test_a_warning_on_a_usable_value_shows_its_normalised_form(tmp_path):
    assert _sheet(_write(tmp_path), "Phone - extension") == [
        ("Row", "Elector Number", "Name", "Phone as recorded", "Suggestion",
         "Normalised", "Status", "Decision / notes"),
        ("6", "AB1-4", "Kim Lee", "0161 496 0000 ext 12", None, "+441614960000", "ok",
         None),
    ]  # fmt: skip


def test_row_numbers_default_to_the_position_below_a_header_row(tmp_path):
    path = _write(tmp_path, row_numbers=None)

    assert [r[0] for r in _sheet(path, "Phone - fictional")] == ["Row", "2", "6"]


def test_a_problem_sheet_has_a_bold_frozen_header_a_filter_and_widths(tmp_path):
    path = _write(tmp_path)
    sheet = _sheet_xml(path, "Email - domain typo")

    assert _style(path, "Email - domain typo", "A1") == (None, True)
    assert _style(path, "Email - domain typo", "A2") == (None, False)
    pane = sheet.find(f".//{MAIN}pane")
    assert pane is not None
    assert (pane.get("ySplit"), pane.get("state")) == ("1", "frozen")
    autofilter = sheet.find(f"{MAIN}autoFilter")
    assert autofilter is not None
    assert autofilter.get("ref") == "A1:G3"
    widths = [float(c.get("width") or 0) for c in sheet.iter(f"{MAIN}col")]
    # "Email as recorded" is longer than any email on the sheet; notes get room.
    assert [round(w) for w in widths] == [6, 17, 12, 20, 16, 13, 41]


def test_the_row_column_holds_numbers_and_values_are_always_text(tmp_path):
    cells = _cells(_write(tmp_path), "Email - syntax")

    assert cells["A2"] == ("n", "5")
    assert cells["D2"] == ("inlineStr", FORMULA)


def test_a_value_that_looks_like_a_formula_is_never_stored_as_one(tmp_path):
    path = _write(tmp_path)

    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        xml = [archive.read(n).decode() for n in sheets]
    assert not [x for x in xml if "<f>" in x or "<f " in x]
    assert _sheet(path, "Email - syntax")[1][3] == FORMULA


@pytest.mark.parametrize(
    ("value", "read_back"),
    [
        ("jo\x07@example.com", "jo\x07@example.com"),
        ("_x0041_@example.com", "_x0041_@example.com"),  # Excel's own escape form
        ("'jo@example.com", "'jo@example.com"),
        # Excel holds at most 32,767 characters in a cell.
        ("x" * 40_000, "x" * 32_767),
    ],
)
def test_awkward_values_come_back_as_they_were_written(tmp_path, value, read_back):
    checked = _emails_only(["syntax"]).with_columns(Email=pl.lit(value))
    path = write_quality_report(
        checked, tmp_path / "r.xlsx", email_column="Email", phone_column=None
    )

    assert _sheet(path, "Email - syntax")[1][1] == read_back


def test_a_column_wider_than_sixty_characters_is_capped(tmp_path):
    checked = _emails_only(["syntax"]).with_columns(
        Email=pl.lit("x" * 200 + "@example.com")
    )
    path = write_quality_report(
        checked, tmp_path / "r.xlsx", email_column="Email", phone_column=None
    )

    widths = [
        c.get("width") for c in _sheet_xml(path, "Email - syntax").iter(f"{MAIN}col")
    ]
    assert round(float(widths[1] or 0)) == 61  # 60 and Excel's padding


def test_the_report_is_readable_by_its_owner_only(tmp_path):
    path = _write(tmp_path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_report_written_over_an_older_one_is_made_private(tmp_path):
    older = tmp_path / "report.xlsx"
    older.write_bytes(b"an older report")
    older.chmod(0o644)

    path = _write(tmp_path)

    assert path == older
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert fastexcel.read_excel(path).sheet_names[0] == "Summary"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def test_a_failed_report_leaves_no_partial_file_behind(tmp_path, monkeypatch):
    def fail(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(quality_report, "_write_rows", fail)

    with pytest.raises(RuntimeError, match="disk full"):
        _write(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_sheet_names_are_made_safe_for_excel_and_unique(tmp_path):
    problems = [
        "bad/code:[x]*?",
        "a_very_long_problem_code_number_one",
        "a_very_long_problem_code_number_two",
        "Syntax",
        "syntax",
    ]
    path = write_quality_report(
        _emails_only(problems),
        tmp_path / "r.xlsx",
        email_column="Email",
        phone_column=None,
    )

    assert fastexcel.read_excel(path).sheet_names == [
        "Summary",
        "Email - syntax",
        "Email - Syntax~2",
        "Email - a very long problem cod",
        "Email - a very long problem c~2",
        "Email - bad-code--x---",
    ]
    summary = _sheet(path, "Summary")
    assert summary[17][:2] == (
        "bad/code:[x]*?",
        "Not a problem code that Contactable knows.",
    )


def test_a_problem_with_more_rows_than_a_sheet_holds_continues_on_more_sheets(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(quality_report, "DATA_ROWS_PER_SHEET", 2)
    path = write_quality_report(
        _emails_only(["syntax"] * 5),
        tmp_path / "r.xlsx",
        email_column="Email",
        phone_column=None,
    )

    names = fastexcel.read_excel(path).sheet_names
    assert names == [
        "Summary",
        "Email - syntax",
        "Email - syntax (2)",
        "Email - syntax (3)",
    ]
    assert [[r[0] for r in _sheet(path, n)[1:]] for n in names[1:]] == [
        ["2", "3"],
        ["4", "5"],
        ["6"],
    ]


def test_a_file_without_a_phone_column_has_no_phone_sections(tmp_path):
    checked = _checked().drop("Phone", *PHONE_FIELDS)
    path = _write(tmp_path, checked, phone_column=None)

    names = fastexcel.read_excel(path).sheet_names
    assert not [n for n in names if n.startswith("Phone")]
    summary = _sheet(path, "Summary")
    assert not [r for r in summary if any("Phone" in (v or "") for v in r)]
    with zipfile.ZipFile(path) as archive:
        assert len([n for n in archive.namelist() if n.startswith("xl/charts/")]) == 2


def test_a_file_with_no_problems_says_so(tmp_path):
    checked = _emails_only([None]).with_columns(email_status=pl.lit("ok"))
    path = write_quality_report(
        checked, tmp_path / "r.xlsx", email_column="Email", phone_column=None
    )

    assert fastexcel.read_excel(path).sheet_names == ["Summary"]
    assert _sheet(path, "Summary")[13][0] == "No problems found."


def test_a_missing_context_column_is_named_with_the_columns_there_are(tmp_path):
    with pytest.raises(ReportColumnMissingError) as raised:
        _write(tmp_path, _checked().drop("Name"))

    assert raised.value.message == (
        "The checked file has no column called 'Name'. Choose from: Elector Number, "
        "Email, email_status, email_normalised, email_problem, email_suggestion, "
        "Phone, phone_status, phone_normalised, phone_problem, phone_suggestion, "
        "phone_type, phone_region."
    )
    assert raised.value.code == "report_column_missing"
    assert list(tmp_path.iterdir()) == []


def test_row_numbers_must_match_the_rows(tmp_path):
    with pytest.raises(ValueError, match="row_numbers has 2 values for 5 rows"):
        _write(tmp_path, row_numbers=pl.Series([2, 3], dtype=pl.UInt32))


def test_a_report_of_fifty_thousand_rows_is_written_in_full(tmp_path):
    size = 50_000
    problems = [("domain_typo" if i % 20 == 0 else None) for i in range(size)]
    checked = _emails_only(problems).with_columns(
        email_suggestion=pl.when(pl.col("email_problem").is_not_null()).then(
            pl.lit("person@gmail.com")
        )
    )

    path = write_quality_report(
        checked, tmp_path / "big.xlsx", email_column="Email", phone_column=None
    )

    rows = pl.read_excel(path, sheet_name="Email - domain typo", engine="calamine")
    assert rows.height == size // 20
    assert rows.get_column("Row").cast(pl.Int64).to_list() == list(
        range(2, size + 2, 20)
    )
    assert rows.get_column("Suggestion").unique().to_list() == ["person@gmail.com"]
