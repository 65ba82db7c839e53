"""What the store commands share: the database, the acting user, dates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from rich.table import Table
from sqlalchemy import Engine

from contactable.cli.app import console, state
from contactable.errors import ContactableError
from contactable.services.importing.report import ImportReport
from contactable.store import (
    current_actor,
    database_url,
    make_engine,
    schema_is_current,
)


class CommandError(ContactableError):
    """A command's options cannot be used as given."""

    code = "command"


def open_store() -> Engine:
    """The configured database, which ``contactable init`` must have set up.

    The caller disposes of it; ``store()`` does so itself.
    """
    engine = make_engine(database_url())
    if not schema_is_current(engine):
        engine.dispose()
        raise CommandError(
            "The database is not set up, or is from an older version: run "
            "'contactable init' first."
        )
    return engine


@contextmanager
def store() -> Iterator[Engine]:
    """``open_store()`` for a block: its connections close however it ends."""
    engine = open_store()
    try:
        yield engine
    finally:
        engine.dispose()


def actor() -> str:
    """The acting user: ``--user``, or the operating system's user name."""
    return current_actor(state.get("user"))


def parse_date(text: str | None, option: str) -> date | None:
    """A date given on the command line, as ISO; None when not given."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Enter {option} as YYYY-MM-DD, for example 2026-04-01, not {text!r}."
        ) from None


def print_import_report(report: ImportReport) -> None:
    """The import's figures, as the person importing needs them."""
    if report.already_imported:
        console.print(
            f"{report.file_name} was imported already (batch {report.batch_id}); "
            "nothing was imported again."
        )
        return

    table = Table(
        title=f"Imported {report.file_name} as {report.kind}", title_justify="left"
    )
    table.add_column("")
    table.add_column("Count", justify="right")
    table.add_row("Rows read", f"{report.rows_read:,}")
    table.add_row("Records created", f"{report.records_created:,}")
    table.add_row("Records updated", f"{report.records_updated:,}")
    if report.kind == "register":
        table.add_row("Electors who have left", f"{report.electors_left:,}")
    table.add_row("Contacts accepted", f"{report.contacts_accepted:,}")
    for problem, count in sorted(report.contacts_with_problems.items()):
        table.add_row(f"  with problem {problem}", f"{count:,}")
    withheld = sum(report.contacts_withheld.values())
    table.add_row("Contacts withheld", f"{withheld:,}")
    for reason, count in sorted(report.contacts_withheld.items()):
        table.add_row(f"  {reason}", f"{count:,}")
    table.add_row("Rows rejected", f"{report.rows_rejected:,}")
    console.print(table)
    console.print(f"Import batch {report.batch_id}.")
