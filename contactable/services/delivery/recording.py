"""Keeping delivery news as events, and what the events do to contact points.

Every receipt that matches a contact point becomes a DeliveryEvent, however
little it says; only deliveries, permanent failures and temporary failures
change the contact point:

- a permanent failure makes it undeliverable;
- ``Settings.temporary_failure_limit`` temporary failures in a row do the same;
- a delivery ends the run of temporary failures.

An undeliverable contact point stays so until someone corrects or confirms it
(``confirm_contact_point``): a later delivery does not undo it, since the
value was not used again on purpose.

News can arrive out of order: a report downloaded last week may be imported
after today's pull. Events are applied in the order the messages were sent,
and one sent no later than the newest already applied to a contact point is
kept but changes nothing, because the contact point already reflects that
news or later. Times are compared to the second: the same message can come
both in a downloaded report, whose times are to the second, and from a pull,
under different references, and must not count twice.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from contactable.checks.email_address import check_email
from contactable.checks.phone_number import check_phone
from contactable.config import Settings
from contactable.services.delivery.errors import UnknownContactPoint
from contactable.services.delivery.statuses import (
    COUNTED,
    NotifyStatus,
    Outcome,
    counted_codes,
    status_from_code,
)
from contactable.store import ContactPoint, DeliveryEvent, record_event

logger = logging.getLogger(__name__)

UNKNOWN = "unknown"
DELIVERED = "delivered"
UNDELIVERABLE = "undeliverable"

# The kind of contact point each channel is sent to.
CHANNEL_KINDS = {"email": "email", "sms": "phone"}

# Values per IN (...) list: well under SQLite's limit on bound parameters.
_CHUNK = 500


@dataclass(frozen=True)
class Receipt:
    """What a sender said became of one message to one recipient.

    ``occurred_at`` is when the message was sent (Notify's ``created_at``, the
    only time its downloaded reports give), so that news from every source is
    put in one order. ``reference`` identifies the message within its source.
    """

    channel: str
    recipient: str
    status: NotifyStatus
    occurred_at: datetime
    reference: str


@dataclass
class DeliveryReport:
    """The counts of one import, pull or reading of bounces.

    Rows are the report's rows, the notifications pulled or the failed
    addresses found; one row can make several events, when electors share a
    value. ``outcomes`` counts the matched rows that brought news, by outcome.
    """

    source: str
    file_name: str | None = None
    batch_id: int | None = None
    already_imported: bool = False
    rows_read: int = 0
    rows_skipped: int = 0
    unmatched: int = 0
    already_recorded: int = 0
    events_recorded: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    made_undeliverable: int = 0
    messages_read: int = 0
    messages_without_failures: int = 0
    unreadable_messages: int = 0

    @property
    def not_final(self) -> int:
        """Matched rows still on their way: recorded, not counted."""
        return self.outcomes[Outcome.NOT_FINAL]

    def counts(self) -> dict[str, Any]:
        """The figures as the audit log and the import batch keep them."""
        counts: dict[str, Any] = {
            "rows_read": self.rows_read,
            "rows_skipped": self.rows_skipped,
            "unmatched": self.unmatched,
            "already_recorded": self.already_recorded,
            "events_recorded": self.events_recorded,
            "outcomes": {str(k): v for k, v in sorted(self.outcomes.items())},
            "made_undeliverable": self.made_undeliverable,
        }
        if self.source == "bounce":
            counts |= {
                "messages_read": self.messages_read,
                "messages_without_failures": self.messages_without_failures,
                "unreadable_messages": self.unreadable_messages,
            }
        return counts


@dataclass
class _State:
    deliverability: str
    temporary_failures: int
    # When the newest message already applied to the contact point was sent.
    newest: datetime | None


def contact_value(channel: str, recipient: str) -> str | None:
    """The value a contact point would keep for ``recipient``, or None if blank.

    The checks' normalised form when they give one, else the value trimmed, as
    an import stores it (contactable.services.importing.contacts.stored_value).
    A value the checks cannot normalise, such as a drama number, therefore
    matches only when written as the contact point holds it.

    >>> contact_value("email", " Jo@EXAMPLE.com ")
    'Jo@example.com'
    """
    check = check_email(recipient) if channel == "email" else check_phone(recipient)
    if check.normalised:
        return check.normalised
    return recipient.strip() or None


def record_receipts(
    session: Session,
    receipts: Sequence[Receipt],
    settings: Settings,
    report: DeliveryReport,
    *,
    import_batch_id: int | None = None,
) -> None:
    """Keep each new receipt as events of the contact points it matches, apply
    them, and add what was done to ``report``."""
    matches = _match(session, receipts)
    recorded = _recorded(session, report.source, {r.reference for r in receipts})
    point_ids = sorted({p for ids in matches for p in ids})
    states = _states(session, point_ids)
    events: list[dict[str, Any]] = []
    for receipt, ids in zip(receipts, matches, strict=True):
        if not ids:
            report.unmatched += 1
            continue

        fresh = [p for p in ids if _is_news(recorded, receipt, p)]
        if not fresh:
            report.already_recorded += 1
            continue

        report.outcomes[receipt.status.outcome] += 1
        for point_id in fresh:
            recorded[(receipt.reference, point_id)] = receipt.status.is_final
            events.append(_event(receipt, point_id, report.source, import_batch_id))

    if events:
        session.execute(insert(DeliveryEvent), events)
    report.events_recorded += len(events)
    report.made_undeliverable += _apply(session, events, states, settings)
    logger.info(
        "Recorded %d delivery events from %s; %d rows matched no contact point",
        len(events),
        report.source,
        report.unmatched,
    )


def confirm_contact_point(
    session: Session, contact_point_id: int, actor: str
) -> ContactPoint:
    """Make a contact point deliverable again after it was corrected or confirmed.

    Its deliverability goes back to "unknown" and its run of temporary
    failures to 0; the change is audited. For the import or review that sets
    the value again to call.
    """
    point = session.get(ContactPoint, contact_point_id)
    if point is None:
        raise UnknownContactPoint(contact_point_id)

    previous = point.deliverability
    point.deliverability = UNKNOWN
    point.temporary_failures = 0
    record_event(
        session,
        actor=actor,
        action="delivery.confirm",
        subject=f"contact_point:{contact_point_id}",
        details={"deliverability_was": previous},
    )
    return point


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _match(session: Session, receipts: Sequence[Receipt]) -> list[tuple[int, ...]]:
    """The contact points each receipt's recipient is the value of."""
    values: dict[tuple[str, str], str | None] = {}
    for receipt in receipts:
        key = (receipt.channel, receipt.recipient)
        if key not in values:
            values[key] = contact_value(*key)

    wanted: dict[str, set[str]] = {}
    for (channel, _), value in values.items():
        if value is not None:
            wanted.setdefault(CHANNEL_KINDS[channel], set()).add(value)

    found: dict[tuple[str, str], list[int]] = {}
    for kind, kind_values in wanted.items():
        for chunk in _chunks(sorted(kind_values)):
            rows = session.execute(
                select(ContactPoint.id, ContactPoint.value).where(
                    ContactPoint.kind == kind, ContactPoint.value.in_(chunk)
                )
            )
            for point_id, value in rows:
                found.setdefault((kind, value), []).append(int(point_id))

    matches = []
    for receipt in receipts:
        value = values[(receipt.channel, receipt.recipient)]
        kind = CHANNEL_KINDS[receipt.channel]
        ids = found.get((kind, value), []) if value is not None else []
        matches.append(tuple(sorted(ids)))
    return matches


def _recorded(
    session: Session, source: str, references: set[str]
) -> dict[tuple[str, int], bool]:
    """The events of ``source`` already kept for these references, and whether
    each contact point has heard the message's final status."""
    recorded: dict[tuple[str, int], bool] = {}
    for chunk in _chunks(sorted(references)):
        rows = session.execute(
            select(
                DeliveryEvent.reference,
                DeliveryEvent.contact_point_id,
                DeliveryEvent.status,
            ).where(DeliveryEvent.source == source, DeliveryEvent.reference.in_(chunk))
        )
        for reference, point_id, status in rows:
            key = (str(reference), int(point_id))
            recorded[key] = (
                recorded.get(key, False) or status_from_code(status).is_final
            )
    return recorded


def _is_news(
    recorded: dict[tuple[str, int], bool], receipt: Receipt, point_id: int
) -> bool:
    # A message is recorded once while on its way and once when final: a
    # second "sending" adds nothing, but the "delivered" that follows does.
    key = (receipt.reference, point_id)
    if key not in recorded:
        return True
    return receipt.status.is_final and not recorded[key]


def _event(
    receipt: Receipt, point_id: int, source: str, import_batch_id: int | None
) -> dict[str, Any]:
    return {
        "contact_point_id": point_id,
        "channel": receipt.channel,
        "status": receipt.status.code,
        "permanent": receipt.status.outcome is Outcome.PERMANENT_FAILURE,
        "occurred_at": receipt.occurred_at,
        "source": source,
        "reference": receipt.reference,
        "import_batch_id": import_batch_id,
    }


def _states(session: Session, point_ids: Sequence[int]) -> dict[int, _State]:
    """Each contact point's deliverability, count, and newest news applied.

    Read before this run's events are written, so that they do not count as
    news already applied.
    """
    states: dict[int, _State] = {}
    counted = sorted(counted_codes())
    for chunk in _chunks(point_ids):
        points = session.execute(
            select(
                ContactPoint.id,
                ContactPoint.deliverability,
                ContactPoint.temporary_failures,
            ).where(ContactPoint.id.in_(chunk))
        )
        for point_id, deliverability, failures in points:
            states[int(point_id)] = _State(deliverability, int(failures), None)

        newest = session.execute(
            select(DeliveryEvent.contact_point_id, func.max(DeliveryEvent.occurred_at))
            .where(
                DeliveryEvent.contact_point_id.in_(chunk),
                DeliveryEvent.status.in_(counted),
            )
            .group_by(DeliveryEvent.contact_point_id)
        )
        for point_id, occurred_at in newest:
            states[int(point_id)].newest = occurred_at
    return states


def _apply(
    session: Session,
    events: list[dict[str, Any]],
    states: dict[int, _State],
    settings: Settings,
) -> int:
    """Apply the events to their contact points in the order the messages were
    sent; return how many contact points became undeliverable."""
    before = {
        point_id: (s.deliverability, s.temporary_failures)
        for point_id, s in states.items()
    }
    became_undeliverable = 0
    for event in sorted(events, key=lambda e: e["occurred_at"]):
        outcome = status_from_code(event["status"]).outcome
        state = states[event["contact_point_id"]]
        if outcome not in COUNTED:
            continue
        if state.newest is not None and _second(event["occurred_at"]) <= _second(
            state.newest
        ):
            continue

        state.newest = event["occurred_at"]
        if _change(state, outcome, settings.temporary_failure_limit):
            became_undeliverable += 1

    stamp = datetime.now(UTC)
    changed = [
        {
            "id": point_id,
            "deliverability": s.deliverability,
            "temporary_failures": s.temporary_failures,
            "updated_at": stamp,
        }
        for point_id, s in states.items()
        if (s.deliverability, s.temporary_failures) != before[point_id]
    ]
    if changed:
        session.execute(update(ContactPoint), changed)
    return became_undeliverable


def _second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _change(state: _State, outcome: Outcome, limit: int) -> bool:
    """Change the state for one piece of news; True if it became undeliverable."""
    if outcome is Outcome.DELIVERED:
        state.temporary_failures = 0
        if state.deliverability != UNDELIVERABLE:
            state.deliverability = DELIVERED
        return False

    if outcome is Outcome.TEMPORARY_FAILURE:
        state.temporary_failures += 1
        if state.temporary_failures < limit:
            return False

    if state.deliverability == UNDELIVERABLE:
        return False

    state.deliverability = UNDELIVERABLE
    return True
