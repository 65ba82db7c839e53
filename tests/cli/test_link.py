"""``contactable link`` and ``contactable export potential-electors``."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from contactable.cli import link  # noqa: F401  (registers the command)
from contactable.cli.app import app
from contactable.cli.export import export_app

runner = CliRunner()


@pytest.fixture
def cli() -> typer.Typer:
    """The application with the export commands, as app.py will register them."""
    if not any(group.name == "export" for group in app.registered_groups):
        app.add_typer(export_app, name="export")
    return app


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONTACTABLE_DATABASE_URL", raising=False)
    return tmp_path


def test_link_on_an_empty_database_says_it_considered_nothing(
    cli: typer.Typer, folder: Path
) -> None:
    runner.invoke(cli, ["init"])

    result = runner.invoke(cli, ["--user", "tester", "link"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "Considered 0 records.",
        "Linked 0 by elector number and name.",
    ]


def test_link_refuses_an_unknown_engine(cli: typer.Typer, folder: Path) -> None:
    runner.invoke(cli, ["init"])

    result = runner.invoke(cli, ["link", "--engine", "oracle"])

    assert result.exit_code == 2


def test_link_needs_the_database_set_up(cli: typer.Typer, folder: Path) -> None:
    result = runner.invoke(cli, ["link"])

    assert (result.exit_code, "contactable init" in result.output) == (1, True)


def test_exporting_potential_electors_says_how_many(
    cli: typer.Typer, folder: Path
) -> None:
    runner.invoke(cli, ["init"])

    result = runner.invoke(cli, ["export", "potential-electors", "out.csv"])

    assert result.exit_code == 0, result.output
    assert result.output == "Wrote 0 potential electors to out.csv\n"
    assert (folder / "out.csv").exists()


@pytest.mark.parametrize(
    "command", [["link", "--help"], ["export", "potential-electors", "--help"]]
)
def test_every_command_has_help(cli: typer.Typer, command: list[str]) -> None:
    result = runner.invoke(cli, command)

    assert (result.exit_code, "Usage" in result.output) == (0, True)
