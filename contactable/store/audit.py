"""The audit log: who changed or exported what, when, with counts.

Every change to contact data or governance, every import and every export of
personal data writes one event (DESIGN.md, Architecture). Events hold
identifiers, dates, counts and file hashes, never contact values or names.
"""

from __future__ import annotations

import getpass
from typing import Any

from sqlalchemy.orm import Session

from contactable.store.errors import UnknownActorError
from contactable.store.models import AuditEvent


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str | None = None,
    counts: dict[str, Any] | None = None,
    file_sha256: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event to the session, to be written with the rest of its transaction.

    A string in ``counts`` or ``details`` that looks like an email address or a
    phone number is refused with ValueError.

    >>> record_event(  # doctest: +SKIP
    ...     session, actor="jo", action="import", subject="import_batch:12",
    ...     counts={"rows": 1200, "withheld": {"no_agreement": 40}},
    ... )
    """
    event = AuditEvent(
        actor=actor,
        action=action,
        subject=subject,
        counts=counts or {},
        file_sha256=file_sha256,
        details=details,
    )
    session.add(event)
    return event


def current_actor(explicit: str | None = None) -> str:
    """Who is acting: the ``--user`` given, else the operating system's user name."""
    if explicit and explicit.strip():
        return explicit.strip()

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        # Raised when the process's user has no name, as in some containers.
        raise UnknownActorError(
            "Cannot tell who you are from the operating system. "
            "Give your name with --user, for example --user jsmith."
        ) from None
