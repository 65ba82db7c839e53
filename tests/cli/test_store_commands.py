"""The store's commands, end to end through the command line, on both databases."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contactable.cli import app

runner = CliRunner()
REGISTER = [
    [
        "Elector Number",
        "First Name",
        "Surname",
        "Address 1",
        "Postcode",
        "Email",
        "Phone",
    ],
    ["AB1-1", "Jo", "Bloggs", "1 High Street", "ZZ1 1AA", "jo@example.com", ""],
]
TAX = [
    [
        "Account Reference",
        "Full Name",
        "Address 1",
        "Postcode",
        "Email",
        "Last Updated",
    ],
    ["CT-1", "Pat Jones", "9 Low Road", "ZZ2 2BB", "pat@example.com", "01/05/2025"],
]


@pytest.fixture
def folder(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONTACTABLE_DATABASE_URL", database_url)
    for name, rows in (("register.csv", REGISTER), ("tax.csv", TAX)):
        with (tmp_path / name).open("w", newline="", encoding="utf-8") as file:
            csv.writer(file).writerows(rows)
    return tmp_path


def _run(*arguments: str) -> str:
    result = runner.invoke(app, ["--user", "alice", *arguments])
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def test_commands_refuse_to_run_before_init(folder: Path) -> None:
    result = runner.invoke(app, ["agreement", "list"])

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: The database is not set up, or is from an older version: run "
        "'contactable init' first."
    )


def test_init_writes_settings_and_is_safe_to_repeat(folder: Path) -> None:
    first = _run("init")
    second = _run("init")

    assert "Wrote the default settings to contactable.toml." in first
    assert "Wrote the default settings" not in second
    assert "The database is set up and up to date." in second
    assert "dialling_code" in (folder / "contactable.toml").read_text("utf-8")


def test_the_gate_through_the_command_line(folder: Path) -> None:
    _run("init")
    _run("register", "import", "register.csv")

    refused = _run("import", "council-tax", "tax.csv")
    assert "no_agreement" in refused

    _run(
        "agreement",
        "add",
        "--department",
        "Council Tax",
        "--reference",
        "DSA-1",
        "--kind",
        "council-tax",
        "--from",
        "2026-01-01",
    )
    _run(
        "notice",
        "add",
        "--department",
        "Council Tax",
        "--reference",
        "PN-1",
        "--kind",
        "council-tax",
        "--from",
        "2025-04-01",
    )
    (folder / "tax2.csv").write_text(
        (folder / "tax.csv").read_text("utf-8") + "CT-2,Al Smith,3 Road,ZZ2 2BB,,\n",
        "utf-8",
    )
    accepted = _run("import", "council-tax", "tax2.csv")
    assert "Contacts accepted │     1" in accepted

    listed = _run("agreement", "list")
    assert "DSA-1" in listed and "Council Tax" in listed
    revoked = _run(
        "agreement",
        "revoke",
        "DSA-1",
        "--on",
        "2026-06-01",
        "--reason",
        "Ended by the department",
    )
    assert "Agreement DSA-1 is revoked from 2026-06-01" in revoked

    log = _run("audit", "--user", "alice")
    for action in (
        "import.register",
        "import.council-tax",
        "agreement.add",
        "notice.add",
        "agreement.revoke",
    ):
        assert action in log
    assert "pat@example.com" not in log and "jo@example.com" not in log


def test_an_objection_is_recorded_and_audited(folder: Path) -> None:
    _run("init")
    _run("register", "import", "register.csv")

    output = _run("objection", "add", "--elector", "AB1-1", "--kind", "email")

    assert "Recorded the objection of AB1-1 to the use of their email" in output
    assert "objection.add" in _run("audit", "--action", "objection")


def test_purge_lists_before_it_deletes(folder: Path) -> None:
    _run("init")

    output = _run("purge")

    assert "Would delete elector_left: 0, agreement_ended: 0, not_seen: 0" in output
    assert "Run with --yes to delete them." in output
    assert "Deleted 0 contacts" in _run("purge", "--yes")
    assert "purge" in _run("audit", "--action", "purge")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["import", "parish-newsletter", "tax.csv"],
            "Error: 'parish-newsletter' is not a kind of source. Choose one of: "
            "canvass-response, registration-application, absent-vote-application, "
            "correspondence, council-tax, customer-service, customer-records-index, "
            "local-record. Import the register with 'contactable register import'.",
        ),
        (
            ["import", "council-tax", "tax.csv", "--collected-after", "1/4/2025"],
            "Error: Enter --collected-after as YYYY-MM-DD, for example 2026-04-01, not "
            "'1/4/2025'.",
        ),
        (
            ["import", "local-record", "tax.csv"],
            "Error: Name the department that holds these local-record records with "
            "--department.",
        ),
        (
            ["agreement", "revoke", "DSA-9", "--on", "2026-01-01", "--reason", "x"],
            "Error: There is no agreement DSA-9.",
        ),
    ],
)
def test_mistakes_get_one_line(
    folder: Path, arguments: list[str], message: str
) -> None:
    _run("init")

    result = runner.invoke(app, arguments)

    assert result.exit_code == 1
    assert result.stderr.strip() == message
