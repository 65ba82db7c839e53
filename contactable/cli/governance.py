"""Agreements, notices, statements, objections, purge and the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from contactable.cli.app import app, console, reports_errors
from contactable.cli.common import CommandError, actor, parse_date, store
from contactable.config import load_settings
from contactable.governance import records
from contactable.governance.retention import carry_out, plan_purge
from contactable.store import AuditEvent, record_event, transaction

agreement_app = typer.Typer(
    help="Data sharing agreements with council departments.", no_args_is_help=True
)
notice_app = typer.Typer(
    help="Council departments' privacy notices.", no_args_is_help=True
)
statement_app = typer.Typer(help="The ERO's privacy statements.", no_args_is_help=True)
objection_app = typer.Typer(
    help="Electors' objections to the use of a contact.", no_args_is_help=True
)
app.add_typer(agreement_app, name="agreement")
app.add_typer(notice_app, name="notice")
app.add_typer(statement_app, name="statement")
app.add_typer(objection_app, name="objection")

Department = Annotated[
    str, typer.Option(help="The council department, e.g. 'Council Tax'.")
]
Reference = Annotated[str, typer.Option(help="The document's own reference.")]
Kinds = Annotated[
    list[str],
    typer.Option(
        "--kind",
        help="A kind of record it covers (repeat for several): council-tax, "
        "customer-service, customer-records-index, local-record.",
    ),
]
From = Annotated[
    str, typer.Option("--from", help="The first day it applies (YYYY-MM-DD).")
]
To = Annotated[
    str | None, typer.Option("--to", help="The last day it applies, if it ends.")
]


def _required_date(text: str, option: str) -> date:
    parsed = parse_date(text, option)
    if parsed is None:
        raise CommandError(f"Give {option}.")
    return parsed


@agreement_app.command("add")
@reports_errors
def agreement_add(
    department: Department,
    reference: Reference,
    kind: Kinds,
    starts: From,
    ends: To = None,
    contacts: Annotated[
        bool,
        typer.Option(
            "--contacts/--no-contacts",
            help="Whether it covers contact details, not only names and addresses.",
        ),
    ] = True,
) -> None:
    """Record a data sharing agreement between a department and the ERO."""
    with store() as engine, transaction(engine) as session:
        agreement = records.add_agreement(
            session,
            department=department,
            reference=reference,
            kinds=kind,
            covers_contact_details=contacts,
            starts_on=_required_date(starts, "--from"),
            ends_on=parse_date(ends, "--to"),
            actor=actor(),
        )
        covers = "contact details" if contacts else "names and addresses only"
        console.print(
            f"Recorded agreement {agreement.reference} with {agreement.department}, "
            f"covering {covers} in {', '.join(agreement.record_kinds)} records."
        )


@agreement_app.command("list")
@reports_errors
def agreement_list() -> None:
    """List the data sharing agreements."""
    with store() as engine, transaction(engine) as session:
        table = Table(
            "Reference", "Department", "Kinds", "Contacts", "From", "To", "Revoked"
        )
        for a in records.list_agreements(session):
            table.add_row(
                a.reference,
                a.department,
                ", ".join(a.record_kinds),
                "yes" if a.covers_contact_details else "no",
                a.starts_on.isoformat(),
                a.ends_on.isoformat() if a.ends_on else "",
                a.revoked_on.isoformat() if a.revoked_on else "",
            )
        console.print(table)


@agreement_app.command("revoke")
@reports_errors
def agreement_revoke(
    reference: Annotated[str, typer.Argument(help="The agreement's reference.")],
    on: Annotated[str, typer.Option(help="The day the revocation takes effect.")],
    reason: Annotated[str, typer.Option(help="Why it was revoked, for the record.")],
) -> None:
    """Revoke an agreement from a date: contacts resting only on it stop being used."""
    with store() as engine, transaction(engine) as session:
        agreement = records.revoke_agreement(
            session,
            reference=reference,
            on=_required_date(on, "--on"),
            reason=reason,
            actor=actor(),
        )
        console.print(
            f"Agreement {agreement.reference} is revoked from {on}; run "
            "'contactable purge' to see the contacts that rested on it."
        )


@notice_app.command("add")
@reports_errors
def notice_add(
    department: Department,
    reference: Reference,
    kind: Kinds,
    starts: From,
    ends: To = None,
    discloses_contacts: Annotated[
        bool,
        typer.Option(
            "--discloses-contacts/--silent-on-contacts",
            help="Whether it told people their contact details may go to the ERO.",
        ),
    ] = True,
) -> None:
    """Record a department's privacy notice."""
    with store() as engine, transaction(engine) as session:
        notice = records.add_notice(
            session,
            department=department,
            reference=reference,
            kinds=kind,
            covers_contact_disclosure=discloses_contacts,
            effective_from=_required_date(starts, "--from"),
            effective_to=parse_date(ends, "--to"),
            actor=actor(),
        )
        console.print(f"Recorded notice {notice.reference} of {notice.department}.")


@notice_app.command("list")
@reports_errors
def notice_list() -> None:
    """List the departments' privacy notices."""
    with store() as engine, transaction(engine) as session:
        table = Table(
            "Reference", "Department", "Kinds", "Discloses contacts", "From", "To"
        )
        for n in records.list_notices(session):
            table.add_row(
                n.reference,
                n.department,
                ", ".join(n.record_kinds),
                "yes" if n.covers_contact_disclosure else "no",
                n.effective_from.isoformat(),
                n.effective_to.isoformat() if n.effective_to else "",
            )
        console.print(table)


@statement_app.command("add")
@reports_errors
def statement_add(
    reference: Reference,
    title: Annotated[str, typer.Option(help="The statement's title.")],
    starts: From,
    ends: To = None,
    url: Annotated[str | None, typer.Option(help="Where it is published.")] = None,
) -> None:
    """Record one of the ERO's privacy statements."""
    with store() as engine, transaction(engine) as session:
        statement = records.add_statement(
            session,
            reference=reference,
            title=title,
            effective_from=_required_date(starts, "--from"),
            effective_to=parse_date(ends, "--to"),
            url=url,
            actor=actor(),
        )
        console.print(f"Recorded privacy statement {statement.reference}.")


@statement_app.command("list")
@reports_errors
def statement_list() -> None:
    """List the ERO's privacy statements."""
    with store() as engine, transaction(engine) as session:
        table = Table("Reference", "Title", "From", "To")
        for s in records.list_statements(session):
            table.add_row(
                s.reference,
                s.title,
                s.effective_from.isoformat(),
                s.effective_to.isoformat() if s.effective_to else "",
            )
        console.print(table)


@objection_app.command("add")
@reports_errors
def objection_add(
    elector: Annotated[str, typer.Option(help="The elector number, e.g. AB1-123.")],
    kind: Annotated[str, typer.Option(help="email or phone.")],
    on: Annotated[
        str | None, typer.Option(help="The day of the objection; today if not given.")
    ] = None,
    note: Annotated[
        str | None, typer.Option(help="A note for the record; never a contact value.")
    ] = None,
) -> None:
    """Record an elector's objection to the use of their email or phone."""
    with store() as engine, transaction(engine) as session:
        objections = records.add_objection(
            session,
            elector_number=elector,
            kind=kind,
            on=parse_date(on, "--on") or date.today(),
            actor=actor(),
            note=note,
        )
        console.print(
            f"Recorded the objection of {elector} to the use of their {kind}; "
            f"{len(objections) - 1} values held now will not be used or taken again "
            "from council records."
        )


@app.command()
@reports_errors
def purge(
    yes: Annotated[
        bool, typer.Option("--yes", help="Delete; without it, only list what would go.")
    ] = False,
) -> None:
    """List, or with --yes delete, the contacts the retention policy says must go."""
    today = date.today()
    with store() as engine, transaction(engine) as session:
        plan = plan_purge(session, load_settings(), today)
        table = Table("Reason", "Elector", "Kind", "Value")
        for item in plan.items[:200]:
            table.add_row(
                str(item.reason),
                item.elector_number or "",
                item.kind,
                item.masked_value,
            )
        if plan.items:
            console.print(table)
        counts = ", ".join(f"{k}: {v:,}" for k, v in plan.counts.items())
        if not yes:
            console.print(f"Would delete {counts}. Run with --yes to delete them.")
            return
        deleted = carry_out(session, plan)
        record_event(session, actor=actor(), action="purge", counts=plan.counts)
        console.print(f"Deleted {deleted:,} contacts ({counts}).")


def _flat(counts: dict[str, object] | None, prefix: str = "") -> str:
    """Counts as ``name=value`` pairs, leaving out zeros and empty groups."""
    pairs = []
    for name, value in sorted((counts or {}).items()):
        if isinstance(value, dict):
            inner = _flat(value, f"{prefix}{name}.")
            if inner:
                pairs.append(inner)
        elif value:
            pairs.append(f"{prefix}{name}={value}")
    return " ".join(pairs)


@app.command()
@reports_errors
def audit(
    since: Annotated[
        str | None, typer.Option(help="From this day (YYYY-MM-DD).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="To this day (YYYY-MM-DD).")] = None,
    action: Annotated[
        str | None, typer.Option(help="Only this kind of event, e.g. import.register.")
    ] = None,
    user: Annotated[str | None, typer.Option(help="Only this user's events.")] = None,
) -> None:
    """Show the audit log: who did what, when, with what counts."""
    query = select(AuditEvent).order_by(AuditEvent.occurred_at, AuditEvent.id)
    start, end = parse_date(since, "--since"), parse_date(until, "--until")
    if start is not None:
        query = query.where(
            AuditEvent.occurred_at >= datetime.combine(start, time(), UTC)
        )
    if end is not None:
        query = query.where(
            AuditEvent.occurred_at < datetime.combine(end, time.max, UTC)
        )
    if action is not None:
        query = query.where(
            (AuditEvent.action == action) | AuditEvent.action.startswith(action + ".")
        )
    if user is not None:
        query = query.where(AuditEvent.actor == user)
    with store() as engine, transaction(engine) as session:
        for event in session.scalars(query):
            parts = [
                event.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
                event.actor,
                event.action,
                event.subject or "-",
                _flat(event.counts),
            ]
            if event.file_sha256:
                parts.append(f"sha256={event.file_sha256[:16]}")
            console.print(
                "  ".join(p for p in parts if p),
                soft_wrap=True,
                markup=False,
                highlight=False,
            )
