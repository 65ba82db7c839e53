"""``contactable export ...``: files of personal data, each audited."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contactable.cli.app import console, reports_errors
from contactable.cli.common import actor, open_store
from contactable.services.exports.potential_electors import export_potential_electors

export_app = typer.Typer(
    help="Export contact lists, EMS updates and potential electors.",
    no_args_is_help=True,
)


@export_app.command("potential-electors")
@reports_errors
def potential_electors(
    out: Annotated[Path, typer.Argument(help="The file to write (.csv or .xlsx).")],
) -> None:
    """List people in council records who are not on the register."""
    database = open_store()
    try:
        done = export_potential_electors(database, out, actor=actor())
    finally:
        database.dispose()
    console.print(f"Wrote {done.people:,} potential electors to {done.path}")
