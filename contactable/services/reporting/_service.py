"""``contactable report OUT``: where the register stands, as a workbook or a page.

The figures are read in one transaction; the report is audited in another, with
its counts and the file's digest, and the file appears only if the audit event
could be written.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from contactable.errors import ContactableError
from contactable.services.reporting._figures import ReportFigures, gather_figures
from contactable.services.reporting._files import private_file
from contactable.services.reporting._layout import Layout, lay_out
from contactable.services.reporting._page import render_page
from contactable.services.reporting._workbook import write_workbook
from contactable.sources import OutputNotWritable
from contactable.store import record_event, transaction

logger = logging.getLogger(__name__)

# The file's extension chooses what is written.
REPORT_FORMATS = {".xlsx": "xlsx", ".html": "html", ".htm": "html"}


class ReportFormatError(ContactableError):
    """The report's file name does not say whether to write a workbook or a page."""

    code = "report_format"

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Name the report with .xlsx for a workbook or .html for a web page, "
            f"for example report.xlsx, not {path.name}."
        )
        self.path = path


@dataclass(frozen=True, slots=True)
class ReportWritten:
    """Where the report went, in which format, and the figures it holds."""

    path: Path
    format: str
    figures: ReportFigures


def write_report(
    engine: Engine,
    path: str | os.PathLike[str],
    *,
    actor: str,
    day: date | None = None,
) -> ReportWritten:
    """Write the report for ``day`` (today if not given) to ``path``, readable by
    its owner only, and audit it.

    For example ``write_report(engine, "report.xlsx", actor="jo",
    day=date(2026, 9, 1))``; a path ending in .html writes the web page.
    """
    target = Path(path)
    chosen = report_format(target)
    day = day or date.today()
    with engine.connect() as connection:
        # Every figure from one snapshot: a SQLite transaction is one already,
        # PostgreSQL's default gives each statement its own.
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        figures = gather_figures(connection, day)
    content = render(lay_out(figures, datetime.now(UTC)), chosen)

    # The figures are read before the audit event is written, in a transaction
    # of its own: SQLite cannot turn a long read into a write once another
    # connection has written since it began.
    with transaction(engine) as session:
        record_event(
            session,
            actor=actor,
            action="report",
            counts=audit_counts(figures),
            file_sha256=hashlib.sha256(content).hexdigest(),
            details={"format": chosen, "day": day.isoformat()},
        )
        session.flush()
        with private_file(target) as handle:
            handle.write(content)
    logger.info("wrote a %s report for %s", chosen, day.isoformat())
    return ReportWritten(target, chosen, figures)


def report_format(path: str | os.PathLike[str]) -> str:
    """The format a report at ``path`` is written in, "xlsx" or "html", checked
    before any figure is worked out: its folder must exist."""
    target = Path(path)
    chosen = REPORT_FORMATS.get(target.suffix.lower())
    if chosen is None:
        raise ReportFormatError(target)
    if not target.parent.is_dir():
        raise OutputNotWritable(target)
    return chosen


def render(layout: Layout, chosen: str) -> bytes:
    """The bytes of the report in the chosen format, "xlsx" or "html"."""
    if chosen == "html":
        return render_page(layout).encode("utf-8")

    buffer = io.BytesIO()
    write_workbook(layout, buffer)
    return buffer.getvalue()


def audit_counts(figures: ReportFigures) -> dict[str, Any]:
    """The report's headline figures, as the audit log keeps them."""
    c = figures.coverage
    return {
        "electors": c.electors,
        "electors_with_email": c.electors_with_email,
        "electors_with_mobile": c.electors_with_mobile,
        "properties": c.properties,
        "properties_with_email": c.properties_with_email,
        "properties_with_mobile": c.properties_with_mobile,
        "polling_districts": figures.districts.height,
        "electors_listed_without_statement": figures.unstated_electors.height,
        "agreements_listed": len(figures.agreements),
    }
