"""``contactable review export OUT.xlsx`` and ``review apply IN.xlsx``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contactable.cli.app import app, console, reports_errors
from contactable.cli.common import actor, store
from contactable.config import load_settings
from contactable.services.review import apply_review, export_review
from contactable.store import transaction

review_app = typer.Typer(
    help="What needs a person: suggestions, problems, uncertain matches.",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")


@review_app.command("export")
@reports_errors
def review_export(
    out: Annotated[Path, typer.Argument(help="The review workbook to write (.xlsx).")],
) -> None:
    """Write the review queue to a workbook, a sheet per kind of problem."""
    with store() as engine, transaction(engine) as session:
        rows = export_review(session, load_settings(), out, actor())
    console.print(f"Wrote {rows:,} rows to review to {out}.")


@review_app.command("apply")
@reports_errors
def review_apply(
    workbook: Annotated[Path, typer.Argument(help="A review workbook with decisions.")],
) -> None:
    """Apply the decisions made in a review workbook."""
    with store() as engine, transaction(engine) as session:
        report = apply_review(session, load_settings(), workbook, actor())
    for decision, count in sorted(report.decisions.items()):
        console.print(f"{decision}: {count:,}")
    console.print(
        f"Applied {sum(report.decisions.values()):,} decisions; {report.unchanged:,} "
        f"were applied already; {report.undecided:,} rows have no decision."
    )
    for line in report.skipped:
        console.print(f"Skipped {line}.", markup=False)
