"""``contactable export ...``: files of personal data, each audited."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from contactable.cli.app import console, reports_errors
from contactable.cli.common import actor, parse_date, store
from contactable.services.exports.lists import (
    ExportResult,
    export_ems_update,
    export_follow_up,
    export_recipients,
)
from contactable.services.exports.potential_electors import export_potential_electors
from contactable.store import transaction

export_app = typer.Typer(
    help="Export contact lists, EMS updates and potential electors.",
    no_args_is_help=True,
)

OutArgument = Annotated[Path, typer.Argument(help="The file to write (.csv or .xlsx).")]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on", help="The day the list is for (YYYY-MM-DD); today if not given."
    ),
]


class Channel(StrEnum):
    """How the message goes."""

    email = "email"
    sms = "sms"


class Per(StrEnum):
    """Whom each row is for."""

    elector = "elector"
    property = "property"


def _written(result: ExportResult, one: str, many: str) -> None:
    files = ", ".join(str(p) for p in result.files)
    console.print(
        f"Wrote {result.rows:,} {one if result.rows == 1 else many} to {files}"
    )


@export_app.command("potential-electors")
@reports_errors
def potential_electors(out: OutArgument) -> None:
    """List people in council records who are not on the register."""
    with store() as database:
        done = export_potential_electors(database, out, actor=actor())
    console.print(f"Wrote {done.people:,} potential electors to {done.path}")


@export_app.command("recipients")
@reports_errors
def recipients(
    out: OutArgument,
    channel: Annotated[Channel, typer.Option(help="email, or sms for texts.")],
    per: Annotated[
        Per, typer.Option(help="A row per elector, or per property's contact.")
    ] = Per.elector,
    on: OnOption = None,
) -> None:
    """A file for GOV.UK Notify's bulk upload: only contacts that may be used."""
    day = parse_date(on, "--on") or date.today()
    with store() as engine, transaction(engine) as session:
        result = export_recipients(
            session, out, channel=channel.value, per=per.value, day=day, actor=actor()
        )
    _written(result, "recipient", "recipients")


@export_app.command("follow-up")
@reports_errors
def follow_up(out: OutArgument, on: OnOption = None) -> None:
    """Electors the paper form must go to: failed, or with no usable contact."""
    day = parse_date(on, "--on") or date.today()
    with store() as engine, transaction(engine) as session:
        result = export_follow_up(session, out, day=day, actor=actor())
    _written(result, "elector for the paper form", "electors for the paper form")


@export_app.command("ems-update")
@reports_errors
def ems_update(out: OutArgument, on: OnOption = None) -> None:
    """New and corrected contact details per elector number, for the EMS."""
    day = parse_date(on, "--on") or date.today()
    with store() as engine, transaction(engine) as session:
        result = export_ems_update(session, out, day=day, actor=actor())
    _written(
        result,
        "elector's new or corrected details",
        "electors' new or corrected details",
    )
