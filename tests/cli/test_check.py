"""``contactable check``: exit codes, exact messages and the files written."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from contactable.cli import app

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "canvass-contacts.csv"
runner = CliRunner()


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    return path


@pytest.fixture(autouse=True)
def _working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONTACTABLE_DIALLING_CODE", raising=False)


def test_the_sample_is_checked_and_both_files_are_written(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["check", str(SAMPLE), "--output", "out/checked.csv", "--report", "out/q.xlsx"],
    )

    assert result.exit_code == 0, result.output
    assert "Checked 600 rows." in result.output
    assert "Wrote the checked file to out/checked.csv" in result.output
    checked = pl.read_csv(tmp_path / "out" / "checked.csv", infer_schema=False)
    assert checked.height == 600
    assert checked.columns[-10:] == [
        "email_status",
        "email_normalised",
        "email_problem",
        "email_suggestion",
        "phone_status",
        "phone_normalised",
        "phone_problem",
        "phone_suggestion",
        "phone_type",
        "phone_region",
    ]
    for name in ("checked.csv", "q.xlsx"):
        assert stat.S_IMODE((tmp_path / "out" / name).stat().st_mode) == 0o600


def test_columns_are_found_by_header_and_results_are_exact(tmp_path: Path) -> None:
    source = _write_csv(
        tmp_path / "in.csv",
        [
            ["Name", "E-mail Address", "Tel No"],
            ["Jo", "jo@gmial.com", "07400 123456"],
            ["Al", '=HYPERLINK("http://example.com")', "+44 7400 123456"],
        ],
    )

    result = runner.invoke(app, ["check", str(source), "--output", "out.csv"])

    assert result.exit_code == 0, result.output
    text = (tmp_path / "out.csv").read_text("utf-8-sig").splitlines()
    assert text[1] == (
        "Jo,jo@gmial.com,07400 123456,suggestion,,domain_typo,jo@gmail.com,"
        "ok,+447400123456,,,mobile,"
    )
    # The formula is kept as text; the E.164 number stays as Notify reads it.
    assert text[2].startswith(
        'Al,"\'=HYPERLINK(""http://example.com"")",+44 7400 123456,'
    )
    assert ",ok,+447400123456,,,mobile," in text[2]


def test_columns_can_be_named(tmp_path: Path) -> None:
    source = _write_csv(
        tmp_path / "in.csv", [["Contact", "Other"], ["07400 123456", "x"]]
    )

    result = runner.invoke(
        app, ["check", str(source), "--phone-column", "Contact", "--output", "o.csv"]
    )

    assert result.exit_code == 0, result.output
    assert pl.read_csv(tmp_path / "o.csv")["phone_normalised"].to_list() == [
        "+447400123456"
    ]


def test_the_councils_dialling_code_completes_local_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTACTABLE_DIALLING_CODE", "0113")
    source = _write_csv(tmp_path / "in.csv", [["Phone"], ["496 1234"]])

    result = runner.invoke(app, ["check", str(source), "--output", "o.csv"])

    assert result.exit_code == 0, result.output
    checked = pl.read_csv(tmp_path / "o.csv", infer_schema=False)
    assert checked["phone_suggestion"].to_list() == ["+441134961234"]


@pytest.mark.parametrize(
    ("rows", "arguments", "message"),
    [
        (
            [["Name", "Address"], ["Jo", "1 High St"]],
            [],
            "Error: in.csv has no email or phone column. The columns are: 'Name', "
            "'Address'. Name one with --email-column or --phone-column.",
        ),
        (
            [["Email"], ["jo@example.com"]],
            ["--phone-column", "Mobile"],
            "Error: There is no column called 'Mobile'. The columns are: 'Email'.",
        ),
    ],
)
def test_column_problems_get_one_line(
    tmp_path: Path, rows: list[list[str]], arguments: list[str], message: str
) -> None:
    _write_csv(tmp_path / "in.csv", rows)

    result = runner.invoke(app, ["check", "in.csv", *arguments])

    assert result.exit_code == 1
    assert result.stderr.strip() == message


def test_a_missing_file_gets_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "nowhere.csv"])

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "nowhere.csv" in result.stderr


def test_a_picture_named_csv_gets_one_line(tmp_path: Path) -> None:
    picture = tmp_path / "in.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))

    result = runner.invoke(app, ["check", str(picture)])

    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_every_command_has_help_text() -> None:
    result = runner.invoke(app, ["--help"])

    assert result.exit_code == 0
    for command in app.registered_commands:
        assert command.callback is not None
        assert command.callback.__doc__, command.name
