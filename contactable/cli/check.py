"""``contactable check FILE``: check a file's email and phone columns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from contactable.cli.app import app, console, reports_errors
from contactable.config import load_settings
from contactable.services.checking import CheckSummary, check_file

# Below this many rows the check is over before a bar could be read.
PROGRESS_FROM_ROWS = 100_000


def _print_summary(summary: CheckSummary) -> None:
    console.print(f"Checked {summary.rows:,} rows.")
    for name, field in summary.fields.items():
        table = Table(
            title=f"{name.capitalize()} ({field.column})", title_justify="left"
        )
        table.add_column("Status or problem")
        table.add_column("Rows", justify="right")
        table.add_column("Share", justify="right")
        for status in ("ok", "suggestion", "invalid", "empty"):
            count = field.statuses.get(status, 0)
            share = count / summary.rows if summary.rows else 0.0
            table.add_row(status, f"{count:,}", f"{share:.1%}")
        table.add_section()
        for problem, count in field.problems.items():
            share = count / summary.rows if summary.rows else 0.0
            table.add_row(problem, f"{count:,}", f"{share:.1%}")
        console.print(table)
    console.print(f"Wrote the checked file to {summary.output}")
    if summary.report is not None:
        console.print(f"Wrote the quality report to {summary.report}")


@app.command()
@reports_errors
def check(
    file: Annotated[
        Path, typer.Argument(help="A CSV, XLSX or ODS file of contact details.")
    ],
    output: Annotated[
        Path | None,
        typer.Option(help="Where to write the checked copy (.csv or .xlsx)."),
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Where to write the quality report (.xlsx).")
    ] = None,
    email_column: Annotated[
        str | None, typer.Option(help="The column of email addresses, if not found.")
    ] = None,
    phone_column: Annotated[
        str | None, typer.Option(help="The column of phone numbers, if not found.")
    ] = None,
) -> None:
    """Check the email addresses and phone numbers in a file; needs no database."""
    settings = load_settings()
    with Progress(
        TextColumn("Checking"),
        BarColumn(),
        TextColumn("{task.completed:,} of {task.total:,} values"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("check", total=None, visible=False)

        def progress(done: int, total: int) -> None:
            bar.update(
                task, completed=done, total=total, visible=total >= PROGRESS_FROM_ROWS
            )

        summary = check_file(
            file,
            settings,
            output=output,
            report=report,
            email_column=email_column,
            phone_column=phone_column,
            progress=progress,
        )
    _print_summary(summary)
