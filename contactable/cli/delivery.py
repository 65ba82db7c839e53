"""``contactable delivery import|pull|bounces``: what became of the messages sent."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from contactable.cli.app import console, reports_errors
from contactable.cli.common import actor, store
from contactable.config import load_settings
from contactable.services.delivery import (
    DeliveryReport,
    Outcome,
    import_bounces,
    import_notify_report,
    pull_notifications,
)

delivery_app = typer.Typer(
    help="What became of the emails and texts sent: GOV.UK Notify's reports, "
    "its API, and bounce messages.",
    no_args_is_help=True,
)

# Outcomes that are always shown, even when none came.
_ALWAYS = (
    Outcome.DELIVERED,
    Outcome.PERMANENT_FAILURE,
    Outcome.TEMPORARY_FAILURE,
    Outcome.NOT_FINAL,
)
_LABELS = {
    Outcome.DELIVERED: "delivered",
    Outcome.PERMANENT_FAILURE: "permanent failure",
    Outcome.TEMPORARY_FAILURE: "temporary failure",
    Outcome.TECHNICAL_FAILURE: "technical failure (not counted)",
    Outcome.NO_RECEIPT: "sent, with no receipt (not counted)",
    Outcome.NOT_FINAL: "not final (not counted)",
    Outcome.UNRECOGNISED: "status not recognised (not counted)",
}


@delivery_app.command("import")
@reports_errors
def delivery_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="A delivery report downloaded from GOV.UK Notify: CSV, XLSX or ODS."
        ),
    ],
) -> None:
    """Record the statuses in a delivery report downloaded from GOV.UK Notify."""
    with store() as engine:
        report = import_notify_report(engine, file, load_settings(), actor=actor())
    print_delivery_report(report)


@delivery_app.command("pull")
@reports_errors
def delivery_pull() -> None:
    """Fetch the statuses of recent messages from GOV.UK Notify's API."""
    # The client logs each failed request as a warning; the failure is
    # reported once, as one line, by reports_errors.
    logging.getLogger("notifications_python_client").setLevel(logging.ERROR)
    with store() as engine:
        report = pull_notifications(engine, load_settings(), actor=actor())
    print_delivery_report(report)


@delivery_app.command("bounces")
@reports_errors
def delivery_bounces(
    mailbox: Annotated[
        Path,
        typer.Argument(help="An mbox file or a Maildir folder of bounce messages."),
    ],
) -> None:
    """Record the failures that bounce messages in a mailbox report."""
    # flufl.bounce logs a detector's failure with its traceback; a message it
    # cannot read is counted and reported instead.
    logging.getLogger("flufl.bounce").setLevel(logging.CRITICAL)
    with store() as engine:
        report = import_bounces(engine, mailbox, load_settings(), actor=actor())
    print_delivery_report(report)


def print_delivery_report(report: DeliveryReport) -> None:
    """What the command did, as the person running it needs it."""
    if report.already_imported:
        console.print(
            f"{report.file_name} was imported already (batch {report.batch_id}); "
            "nothing was recorded again."
        )
        return

    table = Table(title=_title(report), title_justify="left")
    table.add_column("")
    table.add_column("Count", justify="right")
    if report.source == "bounce":
        table.add_row("Messages read", f"{report.messages_read:,}")
        table.add_row("  with no failure", f"{report.messages_without_failures:,}")
        table.add_row("  that could not be read", f"{report.unreadable_messages:,}")
        table.add_row("Failed addresses found", f"{report.rows_read:,}")
    else:
        table.add_row("Rows read", f"{report.rows_read:,}")
    if report.rows_skipped:
        table.add_row("  letters, skipped", f"{report.rows_skipped:,}")
    table.add_row("  matching no contact", f"{report.unmatched:,}")
    table.add_row("  recorded already", f"{report.already_recorded:,}")
    for outcome in Outcome:
        count = report.outcomes[outcome]
        if count or outcome in _ALWAYS:
            table.add_row(f"  {_LABELS[outcome]}", f"{count:,}")
    table.add_row("Events recorded", f"{report.events_recorded:,}")
    table.add_row("Contacts made undeliverable", f"{report.made_undeliverable:,}")
    console.print(table)
    if report.batch_id is not None:
        console.print(f"Import batch {report.batch_id}.")


def _title(report: DeliveryReport) -> str:
    if report.source == "notify-api":
        return "Pulled from GOV.UK Notify"
    if report.source == "bounce":
        return f"Bounces in {report.file_name}"
    return f"Delivery report {report.file_name}"
