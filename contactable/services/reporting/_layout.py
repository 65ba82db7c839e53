"""The report as sections of titled tables and charts, for either writer.

Both the workbook and the web page are drawn from the one layout, so that they
say the same thing in the same words; neither writer decides what a figure is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import polars as pl

from contactable.checks.outcome import PROBLEM_MESSAGES, Problem
from contactable.governance.gate import WITHHELD_MESSAGES, WithheldReason
from contactable.services.reporting._figures import (
    AGREEMENT_NOTICE_DAYS,
    AgreementFigures,
    ReportFigures,
)
from contactable.store.schema_constants import CHECK_STATUSES, IMPORT_KINDS

Cell = str | int | float | date | None


class Format(StrEnum):
    """How a column's numbers are shown; text and dates are shown as they are."""

    COUNT = "count"
    SHARE = "share"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Column:
    """A column's heading and how its numbers are shown."""

    heading: str
    format: Format = Format.COUNT


@dataclass(frozen=True, slots=True)
class Chart:
    """A bar chart of some of a table's columns, one bar per row, labelled by the
    first column."""

    title: str
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table, with an optional total row and chart."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    total: tuple[Cell, ...] | None = None
    chart: Chart | None = None
    # Said instead of the table when it has no rows.
    empty: str = "None."


@dataclass(frozen=True, slots=True)
class Section:
    """One part of the report: a sheet of the workbook, a section of the page."""

    title: str
    tables: tuple[Table, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Listing:
    """A long list of rows, on sheets of its own in the workbook."""

    title: str
    note: str
    columns: tuple[Column, ...]
    # The rows, one column per entry of ``columns``, in order.
    frame: pl.DataFrame


@dataclass(frozen=True, slots=True)
class Layout:
    """The whole report, ready to be written."""

    title: str
    day: date
    made_at: datetime
    sections: tuple[Section, ...]
    listings: tuple[Listing, ...]


TITLE = "Contact coverage report"
UNSTATED_TITLE = "No privacy statement"
# The sheets of the workbook, in order: a section each, then the listing.
SHEETS = ("Summary", "Coverage", "Quality", "Compliance", "Delivery", UNSTATED_TITLE)


def lay_out(figures: ReportFigures, made_at: datetime) -> Layout:
    """Arrange the figures as the report shows them."""
    return Layout(
        title=TITLE,
        day=figures.day,
        made_at=made_at,
        sections=(
            _summary(figures, made_at),
            _coverage(figures),
            _quality(figures),
            _compliance(figures),
            _delivery(figures),
        ),
        listings=(_unstated_listing(figures),),
    )


def share(part: int, whole: int) -> float | None:
    """``part`` as a share of ``whole``; None when there is no whole to share."""
    return part / whole if whole else None


def _counted(heading: str, whole: str) -> tuple[Column, Column]:
    return Column(heading), Column(f"% of {whole}", Format.SHARE)


def _kind_label(kind: str) -> str:
    return kind.replace("-", " ").capitalize()


def _ordered_kinds(kinds: set[str]) -> list[str]:
    order = {kind: place for place, kind in enumerate(IMPORT_KINDS)}
    return sorted(kinds, key=lambda kind: (order.get(kind, len(order)), kind))


def _summary(figures: ReportFigures, made_at: datetime) -> Section:
    c = figures.coverage
    register = Table(
        "The register",
        (Column("Figure", Format.TEXT), Column("Value")),
        (
            ("Report day", figures.day),
            ("Made at", made_at.strftime("%Y-%m-%d %H:%M UTC")),
            ("Current electors", c.electors),
            ("Properties with a current elector", c.properties),
        ),
    )
    neither_electors = c.electors - c.electors_with_either
    neither_properties = c.properties - c.properties_with_either
    headline = Table(
        "Who can be reached by email or text",
        (
            Column("Usable contact", Format.TEXT),
            *_counted("Electors", "electors"),
            *_counted("Properties", "properties"),
        ),
        tuple(
            (label, e, share(e, c.electors), p, share(p, c.properties))
            for label, e, p in (
                ("Email", c.electors_with_email, c.properties_with_email),
                ("Mobile", c.electors_with_mobile, c.properties_with_mobile),
                ("Email or mobile", c.electors_with_either, c.properties_with_either),
                ("Neither: paper only", neither_electors, neither_properties),
            )
        ),
        note="A usable contact may lawfully be used on the report day and has not "
        "been found undeliverable; a text needs a mobile. A property counts when "
        "any current elector there has one.",
        chart=Chart("Share reachable", (2, 4)),
    )
    return Section("Summary", (register, headline))


_COVERAGE_HEADINGS = (
    *_counted("Electors with email", "electors"),
    *_counted("Electors with mobile", "electors"),
    *_counted("Electors with either", "electors"),
)
_PROPERTY_HEADINGS = (
    *_counted("Properties with email", "properties"),
    *_counted("Properties with mobile", "properties"),
    *_counted("Properties with either", "properties"),
)


def _coverage_row(label: str, row: dict[str, int]) -> tuple[Cell, ...]:
    electors, properties = row["electors"], row["properties"]
    cells: list[Cell] = [label, electors]
    for channel in ("email", "mobile", "either"):
        count = row[f"electors_with_{channel}"]
        cells += [count, share(count, electors)]
    cells.append(properties)
    for channel in ("email", "mobile", "either"):
        count = row[f"properties_with_{channel}"]
        cells += [count, share(count, properties)]
    return tuple(cells)


def _coverage(figures: ReportFigures) -> Section:
    c = figures.coverage
    districts = Table(
        "By polling district",
        (
            Column("Polling district", Format.TEXT),
            Column("Electors"),
            *_COVERAGE_HEADINGS,
            Column("Properties"),
            *_PROPERTY_HEADINGS,
        ),
        tuple(
            _coverage_row(row["polling_district"], row)
            for row in figures.districts.iter_rows(named=True)
        ),
        note="Electors are counted in the polling district of their property; "
        "those the register holds without an address are under (none).",
        total=_coverage_row("All", asdict(c)),
        chart=Chart("Share of electors reachable, by polling district", (3, 5)),
    )
    sources = Table(
        "By kind of source",
        (
            Column("Source", Format.TEXT),
            Column("Usable emails"),
            Column("Usable mobiles"),
            *_counted("Electors with email", "electors"),
            *_counted("Electors with mobile", "electors"),
            *_counted("Properties with email", "properties"),
            *_counted("Properties with mobile", "properties"),
        ),
        tuple(
            (
                _kind_label(row["source_kind"]),
                row["emails"],
                row["mobiles"],
                row["electors_with_email"],
                share(row["electors_with_email"], c.electors),
                row["electors_with_mobile"],
                share(row["electors_with_mobile"], c.electors),
                row["properties_with_email"],
                share(row["properties_with_email"], c.properties),
                row["properties_with_mobile"],
                share(row["properties_with_mobile"], c.properties),
            )
            for row in figures.sources.iter_rows(named=True)
        ),
        note="The usable contacts of current electors, by the kinds of source they "
        "were seen in. A contact seen in several kinds counts under each, so the "
        "rows add up to more than the whole.",
        chart=Chart("Share of electors reachable, by kind of source", (4, 6)),
        empty="No contact has been seen in any source yet.",
    )
    return Section("Coverage", (districts, sources))


def _problem_message(code: str) -> str:
    try:
        return PROBLEM_MESSAGES[Problem(code)]
    except ValueError:
        return "Not a problem code that Contactable knows."


def _quality(figures: ReportFigures) -> Section:
    problems = figures.problems
    kinds = _ordered_kinds(set(problems.get_column("source_kind")))
    order = {problem.value: place for place, problem in enumerate(Problem)}
    codes = sorted(
        set(problems.get_column("problem")),
        key=lambda code: (order.get(code, len(order)), code),
    )
    counts = {(p, contact, source): n for p, contact, source, n in problems.iter_rows()}

    def total(code: str | None, contact: str | None, source: str | None) -> int:
        return sum(
            n
            for (p, c, s), n in counts.items()
            if code in (None, p) and contact in (None, c) and source in (None, s)
        )

    rows = [
        (
            code,
            _problem_message(code),
            total(code, "email", None),
            total(code, "phone", None),
            total(code, None, None),
            *(total(code, None, kind) for kind in kinds),
        )
        for code in codes
    ]
    rows.sort(key=lambda row: -int(row[4] or 0))
    by_code = Table(
        "Problems by code",
        (
            Column("Problem", Format.TEXT),
            Column("Meaning", Format.TEXT),
            Column("Emails"),
            Column("Phones"),
            Column("Total"),
            *(Column(_kind_label(kind)) for kind in kinds),
        ),
        tuple(rows),
        note="Each sighting of a value in a source counts once. Stand-ins such as "
        "'none' are not stored, so they are counted only in each import's figures.",
        total=(
            "All",
            "",
            total(None, "email", None),
            total(None, "phone", None),
            total(None, None, None),
            *(total(None, None, kind) for kind in kinds),
        ),
        chart=Chart("Problems by code", (4,)),
        empty="No problem has been found in any contact.",
    )

    statuses = {(s, status): n for s, status, n in figures.statuses.iter_rows()}
    status_kinds = _ordered_kinds({s for s, _ in statuses})
    status_rows = []
    for kind in status_kinds:
        found = [statuses.get((kind, status), 0) for status in CHECK_STATUSES]
        status_rows.append(
            (_kind_label(kind), *found, sum(found), share(found[0], sum(found)))
        )
    by_status = Table(
        "Sightings by check result and kind of source",
        (
            Column("Source", Format.TEXT),
            *(Column(status.capitalize()) for status in CHECK_STATUSES),
            Column("Total"),
            Column("% ok", Format.SHARE),
        ),
        tuple(status_rows),
        empty="No contact has been seen in any source yet.",
    )
    return Section("Quality", (by_code, by_status))


def _withheld_message(reason: str) -> str:
    try:
        return WITHHELD_MESSAGES[WithheldReason(reason)]
    except ValueError:
        return "Not a reason Contactable knows."


def _compliance(figures: ReportFigures) -> Section:
    return Section(
        "Compliance",
        (
            *_withheld_tables(figures.withheld),
            _unstated_table(figures),
            _agreements_table(figures.day, figures.agreements),
        ),
    )


def _withheld_tables(withheld: pl.DataFrame) -> tuple[Table, Table]:
    sums: dict[str, int] = {}
    for reason, count in withheld.select("reason", "contacts").iter_rows():
        sums[reason] = sums.get(reason, 0) + count
    order = {reason.value: place for place, reason in enumerate(WithheldReason)}
    reasons = sorted(sums, key=lambda r: (order.get(r, len(order)), r))
    by_reason = Table(
        "Contacts withheld at import, by reason",
        (
            Column("Reason", Format.TEXT),
            Column("Meaning", Format.TEXT),
            Column("Contacts"),
        ),
        tuple((r, _withheld_message(r), sums[r]) for r in reasons),
        note="Contact details from council records that failed the lawful-use gate "
        "were not stored at all; these are the counts each import "
        "kept.",
        total=("All", "", sum(sums.values())),
        chart=Chart("Contacts withheld, by reason", (2,)),
        empty="No contact has been withheld.",
    )
    by_department = Table(
        "Contacts withheld, by department and kind of record",
        (
            Column("Department", Format.TEXT),
            Column("Kind of record", Format.TEXT),
            Column("Reason", Format.TEXT),
            Column("Contacts"),
        ),
        tuple(
            (department, _kind_label(kind), reason, count)
            for department, kind, reason, count in withheld.iter_rows()
        ),
        empty="No contact has been withheld.",
    )
    return by_reason, by_department


def _electors(count: int) -> str:
    return "1 elector is" if count == 1 else f"{count:,} electors are"


def _unstated_table(figures: ReportFigures) -> Table:
    counts = {(s, c): (n, p) for s, c, n, p in figures.unstated.iter_rows()}
    kinds = _ordered_kinds({s for s, _ in counts})
    rows = []
    for kind in kinds:
        emails, email_points = counts.get((kind, "email"), (0, 0))
        phones, phone_points = counts.get((kind, "phone"), (0, 0))
        rows.append((_kind_label(kind), emails, phones, email_points + phone_points))
    listed = figures.unstated_electors.height
    return Table(
        "Contacts from electoral sources with no privacy statement recorded",
        (
            Column("Source", Format.TEXT),
            Column("Email sightings"),
            Column("Phone sightings"),
            Column("Contacts"),
        ),
        tuple(rows),
        note=f"{_electors(listed)} listed by elector number under "
        f"'{UNSTATED_TITLE}'. The register is counted but not listed: an EMS "
        "export rarely says when its details were collected, so the statement in "
        "force then cannot be found.",
        total=(
            "All",
            sum(int(r[1]) for r in rows),
            sum(int(r[2]) for r in rows),
            sum(int(r[3]) for r in rows),
        ),
        empty="Every contact from an electoral source has its privacy statement "
        "recorded.",
    )


def _agreement_state(day: date, agreement: AgreementFigures) -> str:
    # Revoked, when the revocation came before the agreement's own end.
    revoked = agreement.revoked_on is not None and (
        agreement.last_day == agreement.revoked_on - timedelta(days=1)
    )
    if agreement.ended:
        return "revoked" if revoked else "ended"
    days = (agreement.last_day - day).days
    if days == 0:
        return "in force today only"
    return f"in force for {days} more days"


def _agreements_table(day: date, agreements: tuple[AgreementFigures, ...]) -> Table:
    return Table(
        f"Agreements ending within {AGREEMENT_NOTICE_DAYS} days, or ended",
        (
            Column("Reference", Format.TEXT),
            Column("Department", Format.TEXT),
            Column("Kinds of record", Format.TEXT),
            Column("Starts", Format.TEXT),
            Column("Ends", Format.TEXT),
            Column("Revoked from", Format.TEXT),
            Column("Last day in force", Format.TEXT),
            Column("State", Format.TEXT),
            Column("Stored contacts seen under it"),
            Column("Of those, usable on the report day"),
            Column("Seen under it alone"),
        ),
        tuple(
            (
                a.reference,
                a.department,
                ", ".join(_kind_label(k) for k in a.record_kinds),
                a.starts_on,
                a.ends_on,
                a.revoked_on,
                a.last_day,
                _agreement_state(day, a),
                a.seen,
                a.usable,
                a.resting_only,
            )
            for a in agreements
        ),
        note="The stored contacts seen in records disclosed under each agreement, "
        "how many of them may be used on the report day, and how many were seen "
        "under it alone: those stop being usable when it ends, and are then due "
        "for purge. An agreement that has ended is listed "
        "while contacts seen under it are still stored.",
        empty=f"No agreement ends within {AGREEMENT_NOTICE_DAYS} days, and no "
        "stored contact was seen under one that has ended.",
    )


_CHANNEL_LABELS = {"email": "Email", "sms": "Text message"}


def _outcome(status: str, permanent: bool) -> str:
    """Delivered, failed for good, failed for now, or not known yet.

    GOV.UK Notify reports "delivered", "permanent-failure", "temporary-failure"
    and "technical-failure"; a bounce is a failure; anything else ("sending",
    "created", "pending") is not known yet.
    """
    if permanent:
        return "permanent"
    if status == "delivered":
        return "delivered"
    if "fail" in status or "bounce" in status:
        return "temporary"
    return "pending"


def _delivery(figures: ReportFigures) -> Section:
    events = figures.deliveries
    outcomes: dict[tuple[str, str], int] = {}
    for channel, status, permanent, count, _ in events.iter_rows():
        key = (channel, _outcome(status, permanent))
        outcomes[key] = outcomes.get(key, 0) + count
    channels = sorted({channel for channel, _ in outcomes})
    kinds = ("delivered", "permanent", "temporary", "pending")

    def row(label: str, wanted: list[str]) -> tuple[Cell, ...]:
        found = [sum(outcomes.get((c, k), 0) for c in wanted) for k in kinds]
        return (label, sum(found), *found, share(found[0], sum(found)))

    by_channel = Table(
        "Messages by channel",
        (
            Column("Channel", Format.TEXT),
            Column("Messages"),
            Column("Delivered"),
            Column("Failed permanently"),
            Column("Failed temporarily"),
            Column("Not known yet"),
            Column("% delivered", Format.SHARE),
        ),
        tuple(row(_CHANNEL_LABELS.get(c, c), [c]) for c in channels),
        note="Every delivery event kept: one for each message sent whose outcome "
        "was imported, pulled from GOV.UK Notify or read from a bounce.",
        total=row("All", channels),
        chart=Chart("Messages by outcome", (2, 3, 4)),
        empty="No delivery outcome has been recorded yet.",
    )
    by_status = Table(
        "Messages by status as reported",
        (
            Column("Channel", Format.TEXT),
            Column("Status", Format.TEXT),
            Column("Permanent", Format.TEXT),
            Column("Messages"),
            Column("Contacts"),
        ),
        tuple(
            (
                _CHANNEL_LABELS.get(channel, channel),
                status,
                "yes" if permanent else "no",
                count,
                points,
            )
            for channel, status, permanent, count, points in events.iter_rows()
        ),
        empty="No delivery outcome has been recorded yet.",
    )
    undeliverable = Table(
        "Contacts now undeliverable",
        (
            Column("Contact", Format.TEXT),
            Column("Stored"),
            Column("Usable but for that"),
        ),
        tuple(
            (kind.capitalize(), stored, usable)
            for kind, stored, usable in figures.undeliverable.iter_rows()
        ),
        note="Undeliverable after a permanent failure, or after too many temporary "
        "ones in a row, until the contact is corrected or confirmed again. 'Usable "
        "but for that' counts those of current electors that could otherwise be "
        "used on the report day.",
    )
    return Section("Delivery", (by_channel, by_status, undeliverable))


def _unstated_listing(figures: ReportFigures) -> Listing:
    # Four columns, not six: a listing can run to hundreds of thousands of
    # electors, and each cell costs the workbook as much as a row of figures.
    first, last = pl.col("first_collected"), pl.col("last_collected")
    first_text, last_text = (
        first.dt.to_string("%Y-%m-%d"),
        last.dt.to_string("%Y-%m-%d"),
    )
    return Listing(
        title=UNSTATED_TITLE,
        note="Electors with a contact from an electoral source (not the register) "
        "that has no privacy statement recorded: which kinds of contact, from "
        "which sources, collected when. The contacts themselves are not shown.",
        columns=(
            Column("Elector number", Format.TEXT),
            Column("Contacts", Format.TEXT),
            Column("Sources", Format.TEXT),
            Column("Collected", Format.TEXT),
        ),
        frame=figures.unstated_electors.select(
            "elector_number",
            pl.concat_str(
                pl.when(pl.col("emails") > 0).then(pl.lit("email")),
                pl.when(pl.col("phones") > 0).then(pl.lit("phone")),
                separator=", ",
                ignore_nulls=True,
            ).alias("contacts"),
            pl.col("sources").str.replace_all("-", " "),
            pl.when(first == last)
            .then(first_text)
            .otherwise(pl.concat_str(first_text, pl.lit(" to "), last_text))
            .alias("collected"),
        ),
    )
