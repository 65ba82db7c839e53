"""``contactable link``: match source records to electors."""

from __future__ import annotations

from typing import Annotated

import typer

from contactable.cli.app import app, console, reports_errors
from contactable.cli.common import actor, open_store
from contactable.config import load_settings
from contactable.linkage.probabilistic import LinkageEngine
from contactable.services.linking import LinkReport, link_records

_METHODS = {
    "elector_number": "by elector number and name",
    "uprn_name": "by UPRN and name",
    "address_name": "by address and name",
    "probabilistic": "by the matching model",
}


def _print_report(report: LinkReport) -> None:
    console.print(f"Considered {report.records_considered:,} records.")
    for method, label in _METHODS.items():
        console.print(f"Linked {report.linked.get(method, 0):,} {label}.")
    console.print(
        f"{report.records_for_review:,} records wait for review "
        f"({report.review_items:,} possible matches)."
    )
    console.print(f"Found {report.potential_electors:,} potential electors.")
    console.print(
        f"{report.electoral_unmatched:,} electoral records matched no elector."
    )
    console.print(
        f"Attached {report.contacts_attached:,} contacts "
        f"({report.contact_points_created:,} new); lifted "
        f"{report.objections_lifted:,} objections; deleted "
        f"{report.objected_contacts_deleted:,} objected contacts."
    )
    console.print(f"Compared {report.comparisons:,} pairs.")


@app.command()
@reports_errors
def link(
    engine: Annotated[
        str,
        typer.Option(
            help="Where the matching model runs: duckdb on this machine, or spark."
        ),
    ] = "duckdb",
) -> None:
    """Match every source record not yet linked to an elector."""
    if engine not in ("duckdb", "spark"):
        raise typer.BadParameter("choose duckdb or spark", param_hint="--engine")
    chosen: LinkageEngine = "spark" if engine == "spark" else "duckdb"
    settings = load_settings()
    database = open_store()
    try:
        report = link_records(database, settings, actor=actor(), linkage_engine=chosen)
    finally:
        database.dispose()
    _print_report(report)
