"""``contactable report`` through the command line, on both databases."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import fastexcel
import pytest
from typer.testing import CliRunner

import contactable.cli.report  # noqa: F401  (registers the command)
from contactable.cli import app
from contactable.services.reporting import SHEETS
from tests.services.test_reporting import REGISTER

runner = CliRunner()


@pytest.fixture
def folder(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONTACTABLE_DATABASE_URL", database_url)
    with (tmp_path / "register.csv").open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(REGISTER)
    for arguments in (["init"], ["register", "import", "register.csv"]):
        result = runner.invoke(app, arguments)
        assert result.exit_code == 0, result.output + result.stderr
    return tmp_path


def test_the_report_is_written_and_its_headline_printed(folder: Path) -> None:
    result = runner.invoke(
        app, ["--user", "alice", "report", "report.xlsx", "--on", "2026-09-01"]
    )

    # From the register alone: Jo's and Lee's emails, Jo's and Pat's mobiles.
    assert result.exit_code == 0, result.output + result.stderr
    assert result.output == (
        "Wrote the report for 2026-09-01 to report.xlsx.\n"
        "5 electors: 2 (40.0%) with a usable email, 2 (40.0%) with a usable mobile.\n"
        "4 properties: 2 (50.0%) with a usable email, 2 (50.0%) with a usable "
        "mobile.\n"
    )
    path = folder / "report.xlsx"
    assert fastexcel.read_excel(path).sheet_names == list(SHEETS)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_page_is_written_when_the_name_ends_in_html(folder: Path) -> None:
    result = runner.invoke(app, ["report", "report.html", "--on", "2026-09-01"])

    assert result.exit_code == 0, result.output + result.stderr
    assert (folder / "report.html").read_text("utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["report", "report.pdf"],
            "Error: Name the report with .xlsx for a workbook or .html for a web "
            "page, for example report.xlsx, not report.pdf.",
        ),
        (
            ["report", "report.xlsx", "--on", "1/9/2026"],
            "Error: Enter --on as YYYY-MM-DD, for example 2026-04-01, not '1/9/2026'.",
        ),
        (
            ["report", "missing/report.xlsx"],
            "Error: Cannot write missing/report.xlsx. Check that the folder exists, "
            "that you may write to it, and that the file is not open in another "
            "program.",
        ),
    ],
)
def test_a_report_that_cannot_be_written_says_why_before_opening_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str], message: str
) -> None:
    # There is no database here at all: the name is checked first.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONTACTABLE_DATABASE_URL", f"sqlite:///{tmp_path / 'no.db'}")

    result = runner.invoke(app, arguments)

    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert list(tmp_path.iterdir()) == []


def test_the_command_has_help() -> None:
    result = runner.invoke(app, ["report", "--help"])

    assert result.exit_code == 0
    assert "Report coverage, quality, compliance and delivery" in result.output
