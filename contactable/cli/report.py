"""``contactable report OUT``: where the register stands, for the ERO."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from contactable.cli.app import app, console, reports_errors
from contactable.cli.common import actor, parse_date, store
from contactable.services.reporting import report_format, write_report


def _reached(count: int, whole: int) -> str:
    return f"{count:,} ({count / whole:.1%})" if whole else f"{count:,}"


@app.command()
@reports_errors
def report(
    out: Annotated[
        Path,
        typer.Argument(
            help="The file to write: .xlsx for a workbook, .html for a page."
        ),
    ],
    on: Annotated[
        str | None,
        typer.Option(help="The day to report on (YYYY-MM-DD); today if not given."),
    ] = None,
) -> None:
    """Report coverage, quality, compliance and delivery, with charts."""
    day = parse_date(on, "--on") or date.today()
    report_format(out)
    with store() as engine, console.status("Working out the figures ..."):
        written = write_report(engine, out, actor=actor(), day=day)
    c = written.figures.coverage
    console.print(f"Wrote the report for {day.isoformat()} to {written.path}.")
    console.print(
        f"{c.electors:,} electors: {_reached(c.electors_with_email, c.electors)} "
        f"with a usable email, {_reached(c.electors_with_mobile, c.electors)} with "
        "a usable mobile.",
        soft_wrap=True,
    )
    console.print(
        f"{c.properties:,} properties: "
        f"{_reached(c.properties_with_email, c.properties)} with a usable email, "
        f"{_reached(c.properties_with_mobile, c.properties)} with a usable mobile.",
        soft_wrap=True,
    )
