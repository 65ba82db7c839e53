"""``contactable delivery bounces MAILBOX``: bounce messages in an mbox or a Maildir.

Email the council sends itself (not through Notify) comes back as bounce
messages when it cannot be delivered. flufl.bounce reads the failed addresses
out of them: the standard delivery status notifications of RFC 3464, whose
``Action: failed`` is a permanent failure and ``Action: delayed`` a temporary
one, and the home-made formats of many mail servers, which mostly cannot say
which it is and are taken as permanent. Its ``scan_message`` gives the
permanent failures only; ``all_failures`` gives both, from the same detectors,
so that is the one called.

Each bounce is known by its Message-ID, so a mailbox read twice, or a message
in both an mbox and a Maildir, is recorded once. An event's time is the
bounce's Date: the original message's own time is not always attached.
"""

from __future__ import annotations

import email
import hashlib
import logging
import mailbox
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path

from flufl.bounce import all_failures
from sqlalchemy import Engine

from contactable.config import Settings
from contactable.services.delivery.errors import MailboxMissing, NotAMailbox
from contactable.services.delivery.recording import (
    DeliveryReport,
    Receipt,
    record_receipts,
)
from contactable.services.delivery.statuses import status_from_code
from contactable.store import record_event, transaction
from contactable.store.schema_constants import REFERENCE_LENGTH

logger = logging.getLogger(__name__)

SOURCE = "bounce"
_MBOX_START = b"From "
PERMANENT = status_from_code("permanent-failure")
TEMPORARY = status_from_code("temporary-failure")


def mailbox_messages(path: Path) -> Iterator[bytes]:
    """Each message in an mbox file or a Maildir folder, as its bytes."""
    box = _open(path)
    try:
        for key in box.iterkeys():
            yield box.get_bytes(key)
    finally:
        box.close()


def _open(path: Path) -> mailbox.Mailbox:
    if not path.exists():
        raise MailboxMissing(path)

    if path.is_dir():
        if not all((path / part).is_dir() for part in ("cur", "new")):
            raise NotAMailbox(
                f"{path} is a folder but not a Maildir: a Maildir has 'cur' and "
                "'new' folders in it. Give a Maildir folder or an mbox file."
            )
        return mailbox.Maildir(path, factory=None, create=False)

    try:
        with path.open("rb") as file:
            start = file.read(len(_MBOX_START))
    except OSError:
        raise NotAMailbox(
            f"{path} cannot be opened. Check that you are allowed to read it."
        ) from None
    # Every message of an mbox file begins with a "From " line (RFC 4155).
    if start and start != _MBOX_START:
        raise NotAMailbox(
            f"{path} is not an mbox file: it does not begin with a 'From ' line. "
            "Export the mail folder from your mail program as mbox."
        )
    return mailbox.mbox(path, factory=None, create=False)


def bounce_receipts(data: bytes) -> list[Receipt] | None:
    """The failed addresses one message reports; None if it cannot be read.

    A message that is not a bounce gives an empty list.
    """
    message = email.message_from_bytes(data)
    try:
        temporary, permanent = all_failures(message)
    except Exception:
        # The detectors are heuristics over text written by any mail server;
        # one message they choke on must not stop the rest being read.
        return None

    reference = _reference(message, data)
    occurred_at = _date(message)
    receipts = [
        Receipt("email", address, PERMANENT, occurred_at, reference)
        for address in _addresses(permanent)
    ]
    receipts += [
        Receipt("email", address, TEMPORARY, occurred_at, reference)
        for address in _addresses(temporary - permanent)
    ]
    return receipts


def _addresses(found: frozenset[bytes]) -> list[str]:
    return sorted(a.decode("ascii", "replace") for a in found)


def _reference(message: Message, data: bytes) -> str:
    message_id = str(message.get("Message-ID", "")).strip()
    if 0 < len(message_id) <= REFERENCE_LENGTH:
        return message_id
    # No Message-ID, or one too long to keep: the message's digest stands in.
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _date(message: Message) -> datetime:
    try:
        moment = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError):
        return datetime.now(UTC)
    # RFC 5322 3.3: a zone of -0000 says only that the time is in UTC.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def import_bounces(
    engine: Engine, path: Path, settings: Settings, *, actor: str
) -> DeliveryReport:
    """Record the failures that the bounce messages in a mailbox report."""
    report = DeliveryReport(SOURCE, path.name)
    receipts: list[Receipt] = []
    for number, data in enumerate(mailbox_messages(path), start=1):
        report.messages_read += 1
        found = bounce_receipts(data)
        if found is None:
            logger.warning("Message %d of the mailbox could not be read", number)
            report.unreadable_messages += 1
        elif not found:
            report.messages_without_failures += 1
        receipts += found or []
    report.rows_read = len(receipts)

    with transaction(engine) as session:
        record_receipts(session, receipts, settings, report)
        record_event(
            session, actor=actor, action="delivery.bounces", counts=report.counts()
        )
    logger.info("bounces done: %s", report.counts())
    return report
