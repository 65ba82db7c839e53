"""The audit log records who did what, and refuses contact details."""

from __future__ import annotations

import getpass

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from contactable.store import (
    AuditEvent,
    Objection,
    UnknownActorError,
    current_actor,
    record_event,
    transaction,
)

DIGEST = "cd" * 32


def test_an_event_is_written_with_its_transaction(engine: Engine) -> None:
    with transaction(engine) as session:
        record_event(
            session,
            actor="jsmith",
            action="import",
            subject="import_batch:12",
            counts={"rows": 1200, "withheld": {"no_agreement": 40}},
            file_sha256=DIGEST,
            details={"kind": "council-tax", "collected_after": "2026-04-01"},
        )

    with Session(engine) as session:
        event = session.scalars(select(AuditEvent)).one()

    assert (event.actor, event.action, event.subject) == (
        "jsmith",
        "import",
        "import_batch:12",
    )
    assert event.counts == {"rows": 1200, "withheld": {"no_agreement": 40}}
    assert event.file_sha256 == DIGEST
    assert event.details == {"kind": "council-tax", "collected_after": "2026-04-01"}
    assert event.occurred_at.tzinfo is not None


def test_an_event_without_counts_or_details_holds_empty_counts(engine: Engine) -> None:
    with transaction(engine) as session:
        record_event(session, actor="jsmith", action="export")

    with Session(engine) as session:
        event = session.scalars(select(AuditEvent)).one()

    assert event.counts == {}
    assert event.details is None


@pytest.mark.parametrize(
    ("counts", "details", "message"),
    [
        (
            None,
            {"note": "jo@example.com"},
            "details['note'] looks like it holds an email address.",
        ),
        (
            None,
            {"sent_to": ["ok", "07700 900123"]},
            "details['sent_to'][1] looks like it holds a phone number.",
        ),
        (
            None,
            {"value": "+44 (0)7700-900-123"},
            "details['value'] looks like it holds a phone number.",
        ),
        # A local number without its dialling code.
        (
            None,
            {"value": "496 0000"},
            "details['value'] looks like it holds a phone number.",
        ),
        (
            {"withheld": {"jo@example.com": 1}},
            None,
            "a key of counts['withheld'] looks like it holds an email address.",
        ),
    ],
)
def test_contact_details_are_refused_in_counts_and_details(
    counts: dict[str, object] | None, details: dict[str, object] | None, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        record_event(
            Session(), actor="jsmith", action="import", counts=counts, details=details
        )

    assert str(raised.value) == (
        f"{message} Audit events and notes must never hold contact details: "
        "record identifiers and counts instead."
    )


@pytest.mark.parametrize(
    "details",
    [
        {"collected_after": "2026-04-01"},
        {"started": "2026-04-01T10:15:00+01:00", "ended": "2026-04-01 10:16:02.5Z"},
        {"file_name": "council-tax-2026-04.csv", "rows": 46_000_000},
        {"contact_point_ids": [1234567, 7654321]},
        {"subject": "import_batch:123456"},
    ],
)
def test_dates_counts_and_identifiers_are_allowed_in_details(
    details: dict[str, object],
) -> None:
    event = record_event(Session(), actor="jsmith", action="import", details=details)

    assert event.details == details


def test_an_objection_note_cannot_hold_a_contact_detail() -> None:
    with pytest.raises(ValueError, match=r"^note looks like it holds a phone number"):
        Objection(note="Asked us to stop texting 07700 900123")


def test_the_user_given_is_the_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "os-user")

    assert current_actor(" jsmith ") == "jsmith"


@pytest.mark.parametrize("explicit", [None, "", "  "])
def test_the_operating_system_user_is_the_actor_when_none_is_given(
    monkeypatch: pytest.MonkeyPatch, explicit: str | None
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "os-user")

    assert current_actor(explicit) == "os-user"


def test_an_actor_the_operating_system_cannot_name_must_be_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def nameless() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", nameless)

    with pytest.raises(UnknownActorError) as raised:
        current_actor(None)

    assert str(raised.value) == (
        "Cannot tell who you are from the operating system. "
        "Give your name with --user, for example --user jsmith."
    )
