"""``contactable delivery pull``: statuses fetched from GOV.UK Notify's API.

``GET /v2/notifications`` lists a service's messages newest first, a page at a
time, with ``links.next`` pointing at the page of those older than the last
one. Uploads sent from Notify's website are left out unless ``include_jobs``
is asked for, and a canvass is usually sent that way, so it is; that is why
``get_all_notifications`` is paged here rather than through the client's
iterator, which cannot ask for it.

A pull goes back only as far as it must: to the oldest message whose last
news was "still on its way", or else to the newest already pulled, less a
margin for messages written while the last pull ran. What it finds there
that is already recorded adds nothing (see ``recording``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from notifications_python_client.errors import APIError, InvalidResponse
from notifications_python_client.notifications import NotificationsAPIClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, aliased

from contactable.config import Settings
from contactable.services.delivery.errors import (
    NotifyNotConfigured,
    NotifyUnavailable,
)
from contactable.services.delivery.recording import (
    DeliveryReport,
    Receipt,
    record_receipts,
)
from contactable.services.delivery.statuses import (
    Outcome,
    not_final_codes,
    status_from_code,
)
from contactable.store import DeliveryEvent, record_event, transaction

logger = logging.getLogger(__name__)

SOURCE = "notify-api"
_OVERLAP = timedelta(minutes=15)
_CHANNELS = {"email": "email", "sms": "sms"}
_RECIPIENT_FIELDS = {"email": "email_address", "sms": "phone_number"}

# An API key is its name, then the service id and the secret, both UUIDs
# (Notify's API documentation, "API keys").
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_API_KEY = re.compile(rf".+-{_UUID}-{_UUID}", re.IGNORECASE)


def notify_client(settings: Settings) -> NotificationsAPIClient:
    """A client of Notify's API with the configured key and base URL."""
    key = settings.notify_api_key.strip()
    if not key:
        raise NotifyNotConfigured(
            "There is no GOV.UK Notify API key. Set notify_api_key in "
            "contactable.toml or CONTACTABLE_NOTIFY_API_KEY."
        )
    if not _API_KEY.fullmatch(key):
        # The key is not repeated: it is a secret.
        raise NotifyNotConfigured(
            "notify_api_key is not a GOV.UK Notify API key, which ends in two "
            "long IDs. Copy the whole key again from Notify's API integration page."
        )
    # The client is marked as typed but its functions have no annotations.
    return NotificationsAPIClient(  # type: ignore[no-untyped-call]
        key, base_url=settings.notify_base_url
    )


def pull_horizon(session: Session) -> datetime | None:
    """How far back a pull must look; None when nothing was pulled before."""
    final = aliased(DeliveryEvent)
    newest = session.scalar(
        select(func.max(DeliveryEvent.occurred_at)).where(
            DeliveryEvent.source == SOURCE
        )
    )
    if newest is None:
        return None

    outstanding = session.scalar(
        select(func.min(DeliveryEvent.occurred_at)).where(
            DeliveryEvent.source == SOURCE,
            DeliveryEvent.status.in_(sorted(not_final_codes())),
            ~select(final.id)
            .where(
                final.source == SOURCE,
                final.reference == DeliveryEvent.reference,
                final.status.not_in(sorted(not_final_codes())),
            )
            .exists(),
        )
    )
    oldest = newest if outstanding is None else min(newest, outstanding)
    return oldest - _OVERLAP


def notifications(client: NotificationsAPIClient) -> Iterator[dict[str, Any]]:
    """Every notification Notify holds for the service, newest first."""
    older_than = None
    while True:
        page = _page(client, older_than)
        found = page.get("notifications") or []
        yield from found

        next_link = (page.get("links") or {}).get("next")
        older_than = _older_than(next_link) if found and next_link else None
        if older_than is None:
            return


def _page(client: NotificationsAPIClient, older_than: str | None) -> dict[str, Any]:
    try:
        page = client.get_all_notifications(  # type: ignore[no-untyped-call]
            older_than=older_than, include_jobs=True
        )
    except APIError as error:
        raise _unavailable(error, client.base_url) from None
    if not isinstance(page, dict):
        raise _not_notify(client.base_url)
    return page


def _not_notify(base_url: str) -> NotifyUnavailable:
    return NotifyUnavailable(
        f"GOV.UK Notify at {base_url} did not answer with a list of "
        "notifications. Check notify_base_url."
    )


def _unavailable(error: APIError, base_url: str) -> NotifyUnavailable:
    if isinstance(error, InvalidResponse):
        return _not_notify(base_url)
    if error.response is None:
        return NotifyUnavailable(
            f"Could not reach GOV.UK Notify at {base_url}. Check notify_base_url "
            "and the connection, then pull again."
        )
    if error.status_code in (401, 403):
        return NotifyUnavailable(
            f"GOV.UK Notify refused the API key ({error.status_code}). Check "
            "notify_api_key, and that the key has not been revoked."
        )
    return NotifyUnavailable(
        f"GOV.UK Notify answered {error.status_code} to the request for "
        "notifications. Pull again later."
    )


def _older_than(link: str) -> str | None:
    values = parse_qs(urlsplit(link).query).get("older_than")
    return values[0] if values else None


def receipt_of(notification: dict[str, Any]) -> Receipt | None:
    """The receipt for one notification of the API; None for a letter."""
    channel = _CHANNELS.get(str(notification.get("type")))
    if channel is None:
        return None

    return Receipt(
        channel=channel,
        recipient=str(notification.get(_RECIPIENT_FIELDS[channel]) or ""),
        status=status_from_code(str(notification.get("status") or "")),
        occurred_at=_created_at(notification),
        reference=str(notification.get("id") or ""),
    )


def _created_at(notification: dict[str, Any]) -> datetime:
    # Notify writes times as 2026-06-01T10:00:00.000000Z, always in UTC.
    try:
        moment = datetime.fromisoformat(str(notification["created_at"]))
    except (KeyError, ValueError):
        raise NotifyUnavailable(
            "GOV.UK Notify answered with a notification that has no time it was "
            "created. Check notify_base_url."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def pull_notifications(
    engine: Engine, settings: Settings, *, actor: str
) -> DeliveryReport:
    """Fetch the statuses of recent notifications and record what is new."""
    client = notify_client(settings)
    report = DeliveryReport(SOURCE)
    with transaction(engine) as session:
        horizon = pull_horizon(session)

    try:
        receipts = _receipts(notifications(client), horizon, report)
    finally:
        client.request_session.close()
    _log_unrecognised(receipts)

    with transaction(engine) as session:
        record_receipts(session, receipts, settings, report)
        record_event(
            session, actor=actor, action="delivery.pull", counts=report.counts()
        )
    logger.info("delivery pull done: %s", report.counts())
    return report


def _receipts(
    found: Iterator[dict[str, Any]], horizon: datetime | None, report: DeliveryReport
) -> list[Receipt]:
    """The receipts of the notifications down to ``horizon``; letters skipped."""
    receipts = []
    for notification in found:
        if horizon is not None and _created_at(notification) < horizon:
            break

        report.rows_read += 1
        receipt = receipt_of(notification)
        if receipt is None:
            report.rows_skipped += 1
        else:
            receipts.append(receipt)
    return receipts


def _log_unrecognised(receipts: list[Receipt]) -> None:
    codes = sorted(
        {r.status.code for r in receipts if r.status.outcome is Outcome.UNRECOGNISED}
    )
    if codes:
        logger.warning("Notify gave statuses not recognised: %s", ", ".join(codes))
