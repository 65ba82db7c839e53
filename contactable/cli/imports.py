"""``contactable register import`` and ``contactable import KIND FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contactable.cli.app import app, reports_errors
from contactable.cli.common import actor, parse_date, print_import_report, store
from contactable.config import load_settings
from contactable.services.importing.records import import_records
from contactable.services.importing.register import import_register

register_app = typer.Typer(
    help="The register, as the EMS exports it.", no_args_is_help=True
)
app.add_typer(register_app, name="register")

FileArgument = Annotated[Path, typer.Argument(help="A CSV, XLSX or ODS file.")]
MappingOption = Annotated[
    Path | None,
    typer.Option(help="A mapping file naming the file's columns, for other shapes."),
]


@register_app.command("import")
@reports_errors
def register_import(file: FileArgument, mapping: MappingOption = None) -> None:
    """Import the EMS's register export; a later one updates the register."""
    with store() as engine:
        report = import_register(
            engine, file, load_settings(), actor=actor(), mapping_path=mapping
        )
    print_import_report(report)


@app.command("import")
@reports_errors
def import_file(
    kind: Annotated[
        str,
        typer.Argument(
            help="canvass-response, registration-application, absent-vote-application, "
            "correspondence, council-tax, customer-service, customer-records-index "
            "or local-record."
        ),
    ],
    file: FileArgument,
    department: Annotated[
        str | None,
        typer.Option(help="The council department whose records these are."),
    ] = None,
    collected_after: Annotated[
        str | None,
        typer.Option(
            help="For council records without a date: you attest that every detail "
            "in the file was collected after this date (YYYY-MM-DD)."
        ),
    ] = None,
    mapping: MappingOption = None,
) -> None:
    """Import a file of canvass responses, applications or council records."""
    with store() as engine:
        report = import_records(
            engine,
            file,
            load_settings(),
            kind=kind,
            actor=actor(),
            department=department,
            collected_after=parse_date(collected_after, "--collected-after"),
            mapping_path=mapping,
        )
    print_import_report(report)
