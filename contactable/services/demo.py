"""``contactable demo``: a synthetic council, taken through the whole flow.

It builds a register, canvass responses, absent vote applications, and Council
Tax and customer service records (one department with an agreement, one
without), with the typos and failed deliveries real councils see; then runs
each step a council would, in a fresh folder, saying what happened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import fastexcel
import polars as pl
import xlsxwriter

from contactable.config import Settings, settings_file_text
from contactable.errors import ContactableError
from contactable.governance import records
from contactable.services.delivery import import_notify_report
from contactable.services.exports.lists import (
    export_ems_update,
    export_follow_up,
    export_recipients,
)
from contactable.services.importing.records import import_records
from contactable.services.importing.register import import_register
from contactable.services.importing.report import ImportReport
from contactable.services.linking import link_records
from contactable.services.reporting import write_report
from contactable.services.review import apply_review, export_review
from contactable.sources import private_file, read_table
from contactable.store import make_engine, transaction, upgrade
from contactable.synthetic.council import Council, synthetic_council
from contactable.synthetic.sources import (
    absent_vote_applications,
    canvass_responses,
    notify_report,
)

ACTOR = "demo"
DIALLING_CODE = "0113"
TODAY = date(2026, 9, 1)


class DemoFolderInUse(ContactableError):
    """The demo's folder holds files already."""

    code = "demo_folder_in_use"


@dataclass
class DemoResult:
    """What the demo did, step by step, for the screen and for its test."""

    folder: Path
    council: Council
    figures: dict[str, Any] = field(default_factory=dict)


def _write_csv(frame: pl.DataFrame, path: Path) -> Path:
    """A file as another system would give it, readable by its owner only."""
    with (
        private_file(path) as handle,
        io.TextIOWrapper(handle, encoding="utf-8", newline="") as file,
    ):
        out = csv.writer(file)
        out.writerow(frame.columns)
        out.writerows(frame.rows())
    return path


def _import_line(report: ImportReport) -> str:
    withheld = sum(report.contacts_withheld.values())
    reasons = ", ".join(
        f"{r} {n:,}" for r, n in sorted(report.contacts_withheld.items())
    )
    line = (
        f"{report.rows_read:,} rows, {report.records_created:,} records created, "
        f"{report.contacts_accepted:,} contacts accepted"
    )
    if withheld:
        line += f", {withheld:,} withheld ({reasons})"
    return line


def _decide_all_typos(review: Path, decided: Path) -> int:
    """Stand in for staff: accept every suggested correction of a misspelt domain."""
    table = (
        read_table(review, sheet="Email domain typo") if _has_sheet(review) else None
    )
    if table is None:
        return 0
    items = table.frame.get_column("Item").to_list()
    with private_file(decided) as handle:
        workbook = xlsxwriter.Workbook(handle)
        sheet = workbook.add_worksheet("Email domain typo")
        sheet.write_row(0, 0, ["Item", "Decision"])
        for number, item in enumerate(items, start=1):
            sheet.write_row(number, 0, [str(item), "accept suggestion"])
        workbook.close()
    return len(items)


def _has_sheet(path: Path) -> bool:
    return "Email domain typo" in fastexcel.read_excel(str(path)).sheet_names


def run_demo(
    folder: Path,
    *,
    electors: int = 20_000,
    seed: int = 2026,
    say: Callable[[str], None] = lambda line: None,
) -> DemoResult:
    """Build a synthetic council in ``folder`` and run the whole flow on it."""
    if folder.exists() and any(folder.iterdir()):
        raise DemoFolderInUse(
            f"{folder} has files in it already. Give the demo a new folder with "
            "--folder, or remove that one."
        )
    inputs, outputs = folder / "input", folder / "output"
    inputs.mkdir(parents=True)
    outputs.mkdir()
    (folder / "contactable.toml").write_text(settings_file_text(), "utf-8")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'contactable.db'}",
        dialling_code=DIALLING_CODE,
        document_url_template="https://ems.example.com/documents/{reference}",
    )
    result = DemoResult(folder, synthetic_council(electors, seed))
    council = result.council

    say(
        f"1. Built a synthetic council of {council.register.height:,} electors "
        f"in {folder}"
    )
    files = {
        "register": _write_csv(council.register, inputs / "register.csv"),
        "canvass-response": _write_csv(
            canvass_responses(council.register, seed), inputs / "canvass-responses.csv"
        ),
        "absent-vote-application": _write_csv(
            absent_vote_applications(council.register, seed),
            inputs / "absent-vote-applications.csv",
        ),
        "council-tax": _write_csv(council.council_tax, inputs / "council-tax.csv"),
        "customer-service": _write_csv(
            council.customer_service, inputs / "customer-service.csv"
        ),
    }

    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        _run_steps(engine, settings, files, outputs, result, say)
    finally:
        engine.dispose()
    return result


def _run_steps(
    engine: Any,
    settings: Settings,
    files: dict[str, Path],
    outputs: Path,
    result: DemoResult,
    say: Callable[[str], None],
) -> None:
    figures = result.figures
    with transaction(engine) as session:
        records.add_statement(
            session,
            reference="PS-2025",
            title="Electoral registration privacy statement",
            effective_from=date(2025, 4, 1),
            effective_to=None,
            url=None,
            actor=ACTOR,
        )
        records.add_agreement(
            session,
            department="Council Tax",
            reference="DSA-CT-2026",
            kinds=["council-tax"],
            covers_contact_details=True,
            starts_on=date(2026, 1, 1),
            ends_on=None,
            actor=ACTOR,
        )
        records.add_notice(
            session,
            department="Council Tax",
            reference="PN-CT-2024",
            kinds=["council-tax"],
            covers_contact_disclosure=True,
            effective_from=date(2024, 4, 1),
            effective_to=None,
            actor=ACTOR,
        )
    say(
        "2. Set up the database, the ERO's privacy statement, and Council Tax's "
        "agreement and privacy notice (Customer Services has neither)"
    )

    register = import_register(
        engine, files["register"], settings, actor=ACTOR, today=TODAY
    )
    figures["register"] = register
    say(
        f"3. Imported the register: {register.records_created:,} electors, "
        f"{register.contacts_accepted:,} contacts the EMS held"
    )
    for number, kind in enumerate(
        (
            "canvass-response",
            "absent-vote-application",
            "council-tax",
            "customer-service",
        ),
        start=4,
    ):
        report = import_records(
            engine, files[kind], settings, kind=kind, actor=ACTOR, today=TODAY
        )
        figures[kind] = report
        say(f"{number}. Imported {kind}: {_import_line(report)}")

    linked = link_records(engine, settings, actor=ACTOR, today=TODAY)
    figures["link"] = linked
    say(
        f"8. Linked records to electors: {sum(linked.linked.values()):,} linked "
        f"({', '.join(f'{m} {n:,}' for m, n in sorted(linked.linked.items()))}), "
        f"{linked.review_items:,} uncertain matches for review, "
        f"{linked.potential_electors:,} potential electors"
    )

    review, decided = outputs / "review.xlsx", outputs / "review-decided.xlsx"
    with transaction(engine) as session:
        queued = export_review(session, settings, review, ACTOR)
    accepted = _decide_all_typos(review, decided)
    if accepted:
        with transaction(engine) as session:
            applied = apply_review(session, settings, decided, ACTOR)
        figures["review_applied"] = sum(applied.decisions.values())
    figures["review_rows"] = queued
    say(
        f"9. Wrote {queued:,} rows to review to {review.name}; a member of staff "
        f"accepted {accepted:,} corrected domains"
    )

    sent: dict[str, Any] = {}
    for channel in ("email", "sms"):
        with transaction(engine) as session:
            exported = export_recipients(
                session,
                outputs / f"recipients-{channel}.csv",
                channel=channel,
                per="elector",
                day=TODAY,
                actor=ACTOR,
            )
        sent[channel] = exported
        figures[f"recipients_{channel}"] = exported.rows
    say(
        f"10. Exported {sent['email'].rows:,} email and {sent['sms'].rows:,} text "
        "recipients for GOV.UK Notify"
    )

    for step, channel, column, permanent in (
        (11, "email", "email address", 0.04),
        (12, "sms", "phone number", 0.03),
    ):
        recipients = read_table(sent[channel].files[0]).frame
        report_path = outputs / f"notify-report-{channel}.csv"
        _write_csv(
            notify_report(recipients, column, 7, permanent=permanent, temporary=0.02),
            report_path,
        )
        delivery = import_notify_report(engine, report_path, settings, actor=ACTOR)
        figures[f"delivery_{channel}"] = delivery
        say(
            f"{step}. Read Notify's {channel} report: "
            f"{delivery.events_recorded:,} events, "
            f"{delivery.made_undeliverable:,} contacts now undeliverable"
        )

    with transaction(engine) as session:
        follow = export_follow_up(
            session, outputs / "follow-up.csv", day=TODAY, actor=ACTOR
        )
        ems = export_ems_update(
            session, outputs / "ems-update.csv", day=TODAY, actor=ACTOR
        )
    figures["follow_up"], figures["ems_update"] = follow.rows, ems.rows
    say(
        f"13. Listed {follow.rows:,} electors for the paper form, and "
        f"{ems.rows:,} electors' new or corrected details for the EMS"
    )
    _report(engine, outputs, figures, say)
    say(f"Done. Everything is in {result.folder}")


def _report(
    engine: Any, outputs: Path, figures: dict[str, Any], say: Callable[[str], None]
) -> None:
    paths = []
    for suffix in (".xlsx", ".html"):
        path = outputs / f"report{suffix}"
        write_report(engine, path, day=TODAY, actor=ACTOR)
        paths.append(path.name)
    figures["report"] = paths
    say(
        f"14. Wrote the report on coverage, quality, compliance and delivery to "
        f"{' and '.join(paths)}"
    )
