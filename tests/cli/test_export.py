"""``contactable export ...`` through the command line, on both databases."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

import contactable.cli.export  # noqa: F401  (registers the commands)
from contactable.cli import app
from tests.services.test_exports import REGISTER

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


@pytest.mark.parametrize(
    ("arguments", "said", "rows"),
    [
        # William, Mary and Margaret; Aisha's domain is misspelt. Robert and
        # Peter have not bounced or objected here.
        (
            ["export", "recipients", "email.csv", "--channel", "email"],
            "Wrote 5 recipients to email.csv",
            5,
        ),
        (
            ["export", "recipients", "sms.csv", "--channel", "sms"],
            "Wrote 1 recipient to sms.csv",
            1,
        ),
        (
            ["export", "follow-up", "follow.csv"],
            "Wrote 1 elector for the paper form to follow.csv",
            1,
        ),
        (
            ["export", "ems-update", "ems.csv"],
            "Wrote 0 electors' new or corrected details to ems.csv",
            0,
        ),
    ],
)
def test_each_export_says_what_it_wrote(
    folder: Path, arguments: list[str], said: str, rows: int
) -> None:
    result = runner.invoke(app, [*arguments, "--on", "2026-06-01"])

    assert result.exit_code == 0, result.output + result.stderr
    assert result.output.strip() == said
    with (folder / arguments[2]).open(encoding="utf-8-sig", newline="") as file:
        assert len(list(csv.reader(file))) == rows + 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["export", "recipients", "out.csv", "--channel", "email", "--on", "1/6"],
            "Error: Enter --on as YYYY-MM-DD, for example 2026-04-01, not '1/6'.",
        ),
        (
            ["export", "follow-up", "out.pdf"],
            "Error: Cannot write out.pdf. Give a file name ending .csv or .xlsx.",
        ),
    ],
)
def test_a_mistake_gets_one_line_and_writes_nothing(
    folder: Path, arguments: list[str], message: str
) -> None:
    result = runner.invoke(app, arguments)

    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert not (folder / arguments[2]).exists()
