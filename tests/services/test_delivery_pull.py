"""``delivery pull`` against a local server that answers as GOV.UK Notify's API does.

The real client (notifications-python-client) talks HTTP to the server, which
checks the JSON Web Token it signs, and pages ``GET /v2/notifications`` as
Notify does: newest first, with ``links.next`` while a page is full.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from notifications_python_client.authentication import (
    decode_jwt_token,
    get_token_issuer,
)
from notifications_python_client.errors import TokenError
from sqlalchemy import Engine, select

from contactable.config import Settings
from contactable.services.delivery import (
    NotifyNotConfigured,
    NotifyUnavailable,
    notify_client,
    pull_notifications,
)
from contactable.services.delivery.notify_api import notifications
from contactable.services.importing.register import import_register
from contactable.store import ContactPoint, DeliveryEvent, Elector, transaction

SERVICE_ID = "00000000-0000-4000-8000-00000000c0de"
SECRET = "00000000-0000-4000-8000-0000000005ec"
API_KEY = f"contactable_test-{SERVICE_ID}-{SECRET}"
PAGE_SIZE = 2
REGISTER = """\
Elector Number,First Name,Surname,Address 1,Postcode,Email,Phone
AB1-1,Jo,Bloggs,1 High Street,ZZ1 1AA,jo.bloggs@example.com,07700 900001
AB1-2,Sam,Bloggs,1 High Street,ZZ1 1AA,,07700 900002
AB1-3,Al,Smith,2 High Street,ZZ1 1AA,,07700 900003
AB1-5,Lee,Wong,4 High Street,ZZ1 1AA,lee.wong@example.com,
"""


def _notification(
    number: int, kind: str, recipient: str | None, status: str, at: str
) -> dict[str, Any]:
    """A notification as ``GET /v2/notifications`` lists it, created ``at``."""
    created_at = f"2026-06-{at}:00.000000Z"
    return {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "reference": None,
        "email_address": recipient if kind == "email" else None,
        "phone_number": recipient if kind == "sms" else None,
        "line_1": "Flat 1" if kind == "letter" else None,
        "type": kind,
        "status": status,
        "template": {"id": "00000000-0000-4000-8000-00000000face", "version": 1},
        "body": "Please check your household's details.",
        "subject": "Your household enquiry form" if kind == "email" else None,
        "created_at": created_at,
        "created_by_name": None,
        "sent_at": created_at,
        "completed_at": None if status in ("sending", "created") else created_at,
    }


class FakeNotify:
    """The part of Notify's API a pull uses, on 127.0.0.1 and a free port."""

    def __init__(self) -> None:
        # Newest first, as Notify lists them.
        self.notifications: list[dict[str, Any]] = []
        self.queries: list[dict[str, list[str]]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def page(self, query: dict[str, list[str]]) -> dict[str, Any]:
        start = 0
        if "older_than" in query:
            ids = [n["id"] for n in self.notifications]
            start = ids.index(query["older_than"][0]) + 1
        found = self.notifications[start : start + PAGE_SIZE]
        links = {"current": f"{self.url}/v2/notifications"}
        if len(found) == PAGE_SIZE:
            links["next"] = (
                f"{self.url}/v2/notifications?older_than={found[-1]['id']}"
                "&include_jobs=True"
            )
        return {"notifications": found, "links": links}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if not _authorised(self.headers.get("Authorization", "")):
                    self._answer(
                        403,
                        {
                            "status_code": 403,
                            "errors": [
                                {"error": "AuthError", "message": "Invalid token"}
                            ],
                        },
                    )
                    return

                query = parse_qs(url.query)
                fake.queries.append(query)
                self._answer(200, fake.page(query))

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                # Quiet: the test reads fake.queries instead.
                return

        return Handler


def _authorised(header: str) -> bool:
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token:
        return False

    # The signature and the time it was issued are checked, as Notify does.
    try:
        issuer = get_token_issuer(token)  # type: ignore[no-untyped-call]
        decode_jwt_token(token, SECRET)  # type: ignore[no-untyped-call]
    except TokenError:
        return False
    return bool(issuer == SERVICE_ID)


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    fake = FakeNotify()
    # A short poll, so that shutting down takes milliseconds, not half a second.
    thread = threading.Thread(
        target=fake.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    thread.join()


def _register(engine: Engine, folder: Path) -> None:
    path = folder / "register.csv"
    path.write_text(REGISTER, "utf-8")
    import_register(engine, path, Settings(), actor="t", today=date(2026, 5, 1))


def _states(engine: Engine) -> dict[tuple[str, str], tuple[str, int]]:
    with transaction(engine) as session:
        rows = session.execute(
            select(
                Elector.elector_number,
                ContactPoint.kind,
                ContactPoint.deliverability,
                ContactPoint.temporary_failures,
            ).join(Elector)
        )
        return {(n, k): (d, f) for n, k, d, f in rows}


def _older_than(*numbers: int) -> list[dict[str, list[str]]]:
    """The queries of a pull that asks for the pages after these notifications."""
    first: list[dict[str, list[str]]] = [{"include_jobs": ["True"]}]
    return first + [
        {"older_than": [f"00000000-0000-4000-8000-{n:012d}"], "include_jobs": ["True"]}
        for n in numbers
    ]


def test_a_pull_reads_every_page_then_only_as_far_back_as_it_must(
    engine: Engine, tmp_path: Path, notify: FakeNotify
) -> None:
    _register(engine, tmp_path)
    settings = Settings(notify_api_key=API_KEY, notify_base_url=notify.url)
    notify.notifications = [
        _notification(5, "email", "jo.bloggs@example.com", "delivered", "03T09:05"),
        _notification(4, "sms", "07700 900002", "permanent-failure", "03T09:04"),
        _notification(3, "letter", None, "received", "03T09:03"),
        _notification(2, "email", "lee.wong@example.com", "sending", "03T09:02"),
        _notification(1, "email", "someone.else@example.com", "delivered", "01T09:00"),
    ]

    first = pull_notifications(engine, settings, actor="t")
    first_queries, notify.queries = notify.queries, []
    # Lee's email is delivered, and Al is sent a text.
    notify.notifications[3] = {**notify.notifications[3], "status": "delivered"}
    notify.notifications.insert(
        0,
        _notification(6, "sms", "07700 900003", "temporary-failure", "03T10:00"),
    )
    second = pull_notifications(engine, settings, actor="t")
    second_queries, notify.queries = notify.queries, []
    third = pull_notifications(engine, settings, actor="t")

    assert first_queries == _older_than(4, 2)
    assert (first.rows_read, first.rows_skipped, first.unmatched) == (5, 1, 1)
    assert (first.events_recorded, first.made_undeliverable) == (3, 1)
    # Back to Lee's message, which was on its way; not to the older one.
    assert second_queries == _older_than(5, 3)
    assert (second.rows_read, second.already_recorded, second.events_recorded) == (
        5,
        2,
        2,
    )
    assert second.outcomes == {"delivered": 1, "temporary_failure": 1}
    # Nothing is on its way: back only to the newest message, less a margin.
    assert notify.queries == _older_than()
    assert (third.rows_read, third.already_recorded, third.events_recorded) == (
        1,
        1,
        0,
    )
    assert _states(engine) == {
        ("AB1-1", "email"): ("delivered", 0),
        ("AB1-1", "phone"): ("unknown", 0),
        ("AB1-2", "phone"): ("undeliverable", 0),
        ("AB1-3", "phone"): ("unknown", 1),
        ("AB1-5", "email"): ("delivered", 0),
    }
    with transaction(engine) as session:
        events = session.execute(
            select(DeliveryEvent.source, DeliveryEvent.reference, DeliveryEvent.status)
            .where(DeliveryEvent.reference.like("%000000000002"))
            .order_by(DeliveryEvent.id)
        ).all()
    assert [tuple(e) for e in events] == [
        ("notify-api", "00000000-0000-4000-8000-000000000002", "sending"),
        ("notify-api", "00000000-0000-4000-8000-000000000002", "delivered"),
    ]


def test_a_key_notify_refuses_is_reported_without_repeating_it(
    notify: FakeNotify,
) -> None:
    other = f"contactable_test-{SERVICE_ID}-00000000-0000-4000-8000-000000000bad"
    client = notify_client(Settings(notify_api_key=other, notify_base_url=notify.url))

    with pytest.raises(NotifyUnavailable) as raised:
        list(notifications(client))
    client.request_session.close()

    assert str(raised.value) == (
        "GOV.UK Notify refused the API key (403). Check notify_api_key, and that "
        "the key has not been revoked."
    )
    assert notify.queries == []


def test_notify_out_of_reach_is_one_clear_message() -> None:
    # A port nothing listens on: bound, then let go.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    client = notify_client(Settings(notify_api_key=API_KEY, notify_base_url=base_url))

    with pytest.raises(NotifyUnavailable) as raised:
        list(notifications(client))
    client.request_session.close()

    assert str(raised.value) == (
        f"Could not reach GOV.UK Notify at {base_url}. Check notify_base_url and "
        "the connection, then pull again."
    )


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (
            "",
            "There is no GOV.UK Notify API key. Set notify_api_key in "
            "contactable.toml or CONTACTABLE_NOTIFY_API_KEY.",
        ),
        (
            "not-a-key",
            "notify_api_key is not a GOV.UK Notify API key, which ends in two long "
            "IDs. Copy the whole key again from Notify's API integration page.",
        ),
    ],
)
def test_a_missing_or_malformed_key_is_refused_before_any_request(
    key: str, message: str
) -> None:
    with pytest.raises(NotifyNotConfigured) as raised:
        notify_client(Settings(notify_api_key=key))

    assert str(raised.value) == message
