"""``contactable delivery import FILE``: a delivery report downloaded from Notify.

GOV.UK Notify gives two shapes of download (notifications-admin,
``generate_notifications_csv``):

- for one upload (a "job"): ``Row number``, the columns as uploaded (the
  recipient in ``email address`` or ``phone number``, then personalisation),
  then ``Template``, ``Type``, ``Job``, ``Status`` and ``Time``;
- for the whole service: ``Recipient``, ``Reference``, ``Template``, ``Type``,
  ``Sent by``, ``Sent by email``, ``Job``, ``Status``, ``Time`` and
  ``API key name``.

``Status`` is in words (see ``statuses``) and ``Time`` is when the message was
created, in UK time, as ``2026-06-01 10:00:00``. Headers are compared folded,
as Notify compares them, and a few other spellings are taken
(``Created at``, ``Notification ID``, ``Email``). Notify's own columns come
after the upload's, so where a name is repeated the last is Notify's.

Neither shape has Notify's notification id, so a row is known by a digest of
its channel, recipient, template, job and time: a later download of the same
messages gives the same digests, and only news is recorded.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from contactable.config import Settings
from contactable.services.delivery.errors import NotANotifyReport
from contactable.services.delivery.recording import (
    DeliveryReport,
    Receipt,
    contact_value,
    record_receipts,
)
from contactable.services.delivery.statuses import status_from_words
from contactable.services.importing.common import (
    file_digest,
    finish_batch,
    previous_batch,
    start_batch,
)
from contactable.services.importing.report import ImportNotPossible, ImportRejected
from contactable.services.importing.rows import RejectedRow
from contactable.sources import HeaderNotFound, SourceTable, read_table
from contactable.sources.columns import (
    find_email_column,
    find_phone_column,
    fold_header,
)
from contactable.store import record_event, transaction
from contactable.store.schema_constants import REFERENCE_LENGTH

logger = logging.getLogger(__name__)

KIND = "delivery-report"
SOURCE = "notify-report"
UK_TIME = ZoneInfo("Europe/London")

# Folded headers, best first.
STATUS_HEADERS = ("status", "notificationstatus", "deliverystatus")
EMAIL_HEADERS = ("emailaddress",)
PHONE_HEADERS = ("phonenumber",)
RECIPIENT_HEADERS = ("recipient", "to")
TYPE_HEADERS = ("type", "templatetype", "notificationtype", "messagetype")
TIME_HEADERS = ("time", "createdat", "sentat", "senttime", "datesent", "created")
# Not a bare "ID" or "Reference": in an upload those are the council's own.
ID_HEADERS = ("notificationid",)
TEMPLATE_HEADERS = ("template", "templatename")
JOB_HEADERS = ("job", "jobname")

_TYPES = {
    "email": "email",
    "sms": "sms",
    "text": "sms",
    "textmessage": "sms",
    "letter": "letter",
}

# Besides ISO 8601: a report saved again from a spreadsheet, with British
# dates, and the form Notify's downloads used until 2017.
_TIME_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%A %d %B %Y at %H:%M",
)


@dataclass(frozen=True)
class ReportColumns:
    """The headers of a report's columns that matter here; None when absent."""

    status: str
    email: str | None
    phone: str | None
    recipient: str | None
    type: str | None
    time: str | None
    id: str | None
    template: str | None
    job: str | None


# read_table names a repeated header "Status (2)".
_REPEAT = re.compile(r" \(\d+\)$")


def _find(headers: Sequence[str], names: Sequence[str], *, last: bool) -> str | None:
    ordered = list(reversed(headers)) if last else list(headers)
    folded = [fold_header(_REPEAT.sub("", h)) for h in ordered]
    for name in names:
        if name in folded:
            return ordered[folded.index(name)]
    return None


def _upload(headers: Sequence[str], names: Sequence[str]) -> str | None:
    # The upload's columns come first.
    return _find(headers, names, last=False)


def _notify(headers: Sequence[str], names: Sequence[str]) -> str | None:
    # Notify adds its own columns after the upload's, which may repeat a name.
    return _find(headers, names, last=True)


def find_report_columns(headers: Sequence[str]) -> ReportColumns | None:
    """The columns of a Notify report, or None if ``headers`` are not one's."""
    status = _notify(headers, STATUS_HEADERS)
    email = _upload(headers, EMAIL_HEADERS)
    phone = _upload(headers, PHONE_HEADERS)
    recipient = _upload(headers, RECIPIENT_HEADERS)
    if email is None and phone is None and recipient is None:
        # An upload's recipient column under another of the usual names.
        email = find_email_column(headers)
        phone = find_phone_column(headers)
    if status is None or (email is None and phone is None and recipient is None):
        return None

    return ReportColumns(
        status=status,
        email=email,
        phone=phone,
        recipient=recipient,
        type=_notify(headers, TYPE_HEADERS),
        time=_notify(headers, TIME_HEADERS),
        id=_notify(headers, ID_HEADERS),
        template=_notify(headers, TEMPLATE_HEADERS),
        job=_notify(headers, JOB_HEADERS),
    )


def _looks_like_report(cells: list[str]) -> bool:
    return find_report_columns(cells) is not None


def parse_report_time(text: str) -> datetime | None:
    """A report's time in UTC; a time without a zone is UK time, as Notify's are.

    >>> parse_report_time("2026-06-01 10:00:00").isoformat()
    '2026-06-01T09:00:00+00:00'
    """
    text = text.strip()
    moment = None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        for pattern in _TIME_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        return None

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UK_TIME)
    return moment.astimezone(UTC)


def read_notify_report(
    path: Path, *, received_at: datetime | None = None
) -> tuple[list[Receipt], int]:
    """The receipts in a downloaded report, and how many letter rows it skipped.

    Raises NotANotifyReport when the file is not a report, and ImportRejected,
    listing every row, when rows cannot be read. ``received_at`` stands in for
    the time of a report without a time column.
    """
    try:
        table = read_table(path, header_predicate=_looks_like_report)
    except HeaderNotFound:
        raise NotANotifyReport(path) from None

    columns = find_report_columns(table.columns)
    if columns is None:
        raise NotANotifyReport(path)
    if columns.email and columns.phone and not columns.type:
        raise ImportNotPossible(
            f"{path.name} has both an email address and a phone number column and "
            "no Type column, so which the messages went to cannot be told. Import "
            "the report exactly as GOV.UK Notify gave it."
        )

    fallback = received_at or datetime.now(UTC)
    receipts: list[Receipt] = []
    rejected: list[RejectedRow] = []
    letters = 0
    for row, cells in _rows(table):
        read = _receipt(cells, columns, fallback)
        if isinstance(read, str):
            rejected.append(RejectedRow(row, read))
        elif read is None:
            letters += 1
        else:
            receipts.append(read)
    if rejected:
        raise ImportRejected(path.name, tuple(rejected))

    return receipts, letters


def _rows(table: SourceTable) -> list[tuple[int, dict[str, str | None]]]:
    numbers = table.row_numbers.to_list()
    return list(zip(numbers, table.frame.iter_rows(named=True), strict=True))


def _text(cells: dict[str, str | None], header: str | None) -> str:
    if header is None:
        return ""
    return (cells.get(header) or "").strip()


def _channel(cells: dict[str, str | None], columns: ReportColumns) -> str | None:
    """The row's channel: its Type, else the column its recipient is in."""
    if columns.type:
        return _TYPES.get(fold_header(_text(cells, columns.type)))
    if columns.recipient is None:
        return "email" if columns.email else "sms"
    return "email" if "@" in _text(cells, columns.recipient) else "sms"


def _recipient(
    cells: dict[str, str | None], columns: ReportColumns, channel: str
) -> str:
    own = columns.email if channel == "email" else columns.phone
    return _text(cells, own) or _text(cells, columns.recipient)


def _receipt(
    cells: dict[str, str | None], columns: ReportColumns, fallback: datetime
) -> Receipt | str | None:
    """The row's receipt; None for a letter; a reason when it cannot be read."""
    channel = _channel(cells, columns)
    if channel is None:
        return "the type is not email, sms or letter"
    if channel == "letter":
        return None

    words = _text(cells, columns.status)
    status = status_from_words(words)
    if status is None:
        return f"the status {words!r} is not one GOV.UK Notify gives"

    occurred_at: datetime | None = fallback
    if columns.time:
        occurred_at = parse_report_time(_text(cells, columns.time))
    if occurred_at is None:
        return "the time is not a date and time such as 2026-06-01 10:00:00"

    recipient = _recipient(cells, columns, channel)
    reference = _text(cells, columns.id)
    if len(reference) > REFERENCE_LENGTH:
        return f"the notification id is longer than {REFERENCE_LENGTH} characters"

    return Receipt(
        channel=channel,
        recipient=recipient,
        status=status,
        occurred_at=occurred_at,
        reference=reference or _digest(cells, columns, channel, recipient),
    )


def _digest(
    cells: dict[str, str | None], columns: ReportColumns, channel: str, recipient: str
) -> str:
    # The row number is left out: the service-wide download lacks it, and the
    # same message in both shapes should be known as one.
    parts = [
        channel,
        contact_value(channel, recipient) or "",
        _text(cells, columns.template),
        _text(cells, columns.job),
        _text(cells, columns.time),
    ]
    return "report-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def import_notify_report(
    engine: Engine, path: Path, settings: Settings, *, actor: str
) -> DeliveryReport:
    """Record the statuses of a report downloaded from GOV.UK Notify.

    All or nothing, and nothing twice: the same file is recognised by its
    digest, and a later download of the same messages adds only their news.
    """
    receipts, letters = read_notify_report(path)
    digest = file_digest(path)
    report = DeliveryReport(
        SOURCE, path.name, rows_read=len(receipts) + letters, rows_skipped=letters
    )
    with transaction(engine) as session:
        connection = session.connection()
        earlier = previous_batch(connection, KIND, digest)
        if earlier is not None:
            report.batch_id, report.already_imported = earlier, True
            return report

        batch_id = start_batch(
            connection, kind=KIND, path=path, digest=digest, actor=actor
        )
        report.batch_id = batch_id
        record_receipts(session, receipts, settings, report, import_batch_id=batch_id)
        finish_batch(connection, batch_id, report.counts())
        record_event(
            session,
            actor=actor,
            action="delivery.import",
            subject=f"import_batch:{batch_id}",
            counts=report.counts(),
            file_sha256=digest,
        )
    logger.info("delivery report %d done: %s", batch_id, report.counts())
    return report
