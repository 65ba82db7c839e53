"""``contactable delivery``, end to end through the command line.

The commands run in an application of their own here, with the main one's
``--user`` option, so that they are tested whether or not ``app.py`` has added
them yet.
"""

from __future__ import annotations

import logging
import re
import socket
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from contactable.cli.app import contactable as main_options
from contactable.cli.delivery import delivery_app
from contactable.config import Settings
from contactable.services.importing.register import import_register
from contactable.store import AuditEvent, transaction, upgrade

DATA = Path(__file__).parent.parent / "data"
REGISTER = """\
Elector Number,First Name,Surname,Address 1,Postcode,Email,Phone
AB1-1,Jo,Bloggs,1 High Street,ZZ1 1AA,jo.bloggs@example.com,07700 900001
AB1-2,Sam,Bloggs,1 High Street,ZZ1 1AA,sam.bloggs@example.com,07700 900002
AB1-3,Al,Smith,2 High Street,ZZ1 1AA,al.smith@example.com,07700 900003
AB1-4,Pat,Jones,3 High Street,ZZ1 1AA,pat.jones@example.com,07700 900004
AB1-5,Lee,Wong,4 High Street,ZZ1 1AA,lee.wong@example.com,07700 900005
AB1-6,Ravi,Khan,5 High Street,ZZ1 1AA,khan.family@example.com,
AB1-7,Mina,Khan,5 High Street,ZZ1 1AA,khan.family@example.com,
AB1-8,Chris,Evans,6 High Street,ZZ1 1AA,chris.evans@example.com,
"""

# A fake key, in the form Notify's keys take: a name and two UUIDs.
API_KEY = (
    "contactable_test-00000000-0000-4000-8000-00000000c0de-"
    "00000000-0000-4000-8000-0000000005ec"
)

app = typer.Typer()
app.callback()(main_options)
app.add_typer(delivery_app, name="delivery")
runner = CliRunner()
_ROW = re.compile(r"^│ (.+?) +│ +([\d,]+) │$")


def _figures(output: str) -> dict[str, int]:
    """The rows of the printed table, by label."""
    found = (_ROW.match(line) for line in output.splitlines())
    return {m[1].strip(): int(m[2].replace(",", "")) for m in found if m}


def _run(*arguments: str) -> str:
    result = runner.invoke(app, ["--user", "alice", *arguments])
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def _settle_in(folder: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    monkeypatch.setenv("CONTACTABLE_DATABASE_URL", url)
    for name in ("CONTACTABLE_NOTIFY_API_KEY", "CONTACTABLE_NOTIFY_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    (folder / "register.csv").write_text(REGISTER, "utf-8")


@pytest.fixture
def folder(
    engine: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A working folder whose database holds the register, on both databases."""
    _settle_in(tmp_path, database_url, monkeypatch)
    import_register(engine, tmp_path / "register.csv", Settings(), actor="alice")
    return tmp_path


@pytest.fixture
def sqlite_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with an empty SQLite database."""
    url = f"sqlite:///{tmp_path / 'contactable.db'}"
    _settle_in(tmp_path, url, monkeypatch)
    upgrade(url)
    return tmp_path


def test_each_delivery_command_prints_what_it_did(engine: Engine, folder: Path) -> None:
    imported = _run("delivery", "import", str(DATA / "delivery/notify_email_job.csv"))
    again = _run("delivery", "import", str(DATA / "delivery/notify_email_job.csv"))
    bounces = _run("delivery", "bounces", str(DATA / "delivery/bounces.mbox"))

    assert imported.splitlines()[0].strip() == "Delivery report notify_email_job.csv"
    assert _figures(imported) == {
        "Rows read": 8,
        "matching no contact": 1,
        "recorded already": 0,
        "delivered": 1,
        "permanent failure": 2,
        "temporary failure": 1,
        "technical failure (not counted)": 2,
        "not final (not counted)": 1,
        "Events recorded": 8,
        "Contacts made undeliverable": 3,
    }
    assert imported.splitlines()[-1] == "Import batch 2."
    assert again == (
        "notify_email_job.csv was imported already (batch 2); nothing was recorded "
        "again.\n"
    )
    assert _figures(bounces) == {
        "Messages read": 4,
        "with no failure": 1,
        "that could not be read": 0,
        "Failed addresses found": 3,
        "matching no contact": 1,
        "recorded already": 0,
        "delivered": 0,
        "permanent failure": 1,
        "temporary failure": 1,
        "not final (not counted)": 0,
        "Events recorded": 2,
        "Contacts made undeliverable": 1,
    }
    with transaction(engine) as session:
        audit = session.execute(
            select(AuditEvent.actor, AuditEvent.action)
            .where(AuditEvent.action.like("delivery.%"))
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(a) for a in audit] == [
        ("alice", "delivery.import"),
        ("alice", "delivery.bounces"),
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["delivery", "import", "missing.csv"],
            "Error: No file at missing.csv. Check the name and folder.",
        ),
        (
            ["delivery", "import", str(DATA / "sources/picture.csv")],
            f"Error: {DATA / 'sources/picture.csv'} is not a CSV file: it does not "
            "hold text. Open it in the program that made it and save it as CSV, "
            "XLSX or ODS.",
        ),
        (
            ["delivery", "import", str(DATA / "delivery/not_a_report.csv")],
            f"Error: {DATA / 'delivery/not_a_report.csv'} does not look like a "
            "delivery report from GOV.UK Notify: it needs a 'Status' column and an "
            "'email address', 'phone number' or 'Recipient' column. Download the "
            "report from Notify again.",
        ),
        (
            ["delivery", "bounces", "missing.mbox"],
            "Error: No mailbox at missing.mbox. Give an mbox file or a Maildir folder.",
        ),
        (
            ["delivery", "pull"],
            "Error: There is no GOV.UK Notify API key. Set notify_api_key in "
            "contactable.toml or CONTACTABLE_NOTIFY_API_KEY.",
        ),
    ],
)
def test_mistakes_get_one_line_and_exit_code_1(
    sqlite_folder: Path, arguments: list[str], message: str
) -> None:
    # These are about files and settings, not the database: SQLite is enough.
    result = runner.invoke(app, arguments)

    assert result.exit_code == 1
    assert result.stderr == message + "\n"
    assert result.stdout == ""


def test_notify_out_of_reach_is_one_line(
    sqlite_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A port nothing listens on: bound, then let go.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        base_url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("CONTACTABLE_NOTIFY_API_KEY", API_KEY)
    monkeypatch.setenv("CONTACTABLE_NOTIFY_BASE_URL", base_url)

    with caplog.at_level(logging.WARNING):
        result = runner.invoke(app, ["delivery", "pull"])

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: Could not reach GOV.UK Notify at {base_url}. Check notify_base_url "
        "and the connection, then pull again.\n"
    )
    # Nor does the client's own warning reach the log the command line prints.
    assert caplog.records == []


@pytest.mark.parametrize(
    ("command", "summary"),
    [
        ([], "What became of the emails and texts sent"),
        (["import"], "Record the statuses in a delivery report downloaded"),
        (["pull"], "Fetch the statuses of recent messages from GOV.UK Notify's"),
        (["bounces"], "Record the failures that bounce messages in a mailbox"),
    ],
)
def test_every_delivery_command_has_help(command: list[str], summary: str) -> None:
    result = runner.invoke(app, ["delivery", *command, "--help"])

    assert result.exit_code == 0
    assert summary in result.output
