"""Agreements, notices, statements and objections: adding, listing, ending them.

Every change is audited; no audit event holds a contact value or a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from contactable.errors import ContactableError
from contactable.governance.gate import LOCAL_KINDS
from contactable.governance.values import value_hash
from contactable.store import (
    ContactPoint,
    DataSharingAgreement,
    Elector,
    Objection,
    PrivacyNotice,
    PrivacyStatement,
    record_event,
)


class GovernanceError(ContactableError):
    """An agreement, notice, statement or objection cannot be recorded as asked."""

    code = "governance"


def _kinds(kinds: Sequence[str]) -> list[str]:
    unknown = sorted(set(kinds) - set(LOCAL_KINDS))
    if unknown or not kinds:
        raise GovernanceError(
            "Name the kinds of council record it covers, from: "
            + ", ".join(LOCAL_KINDS)
            + (f" (not {', '.join(unknown)})" if unknown else "")
            + "."
        )
    return sorted(set(kinds))


def _dates(starts: date, ends: date | None, what: str) -> None:
    if ends is not None and ends < starts:
        raise GovernanceError(
            f"The {what} cannot end ({ends.isoformat()}) before it starts "
            f"({starts.isoformat()})."
        )


def add_agreement(
    session: Session,
    *,
    department: str,
    reference: str,
    kinds: Sequence[str],
    covers_contact_details: bool,
    starts_on: date,
    ends_on: date | None,
    actor: str,
) -> DataSharingAgreement:
    """Record a data sharing agreement between a department and the ERO."""
    _dates(starts_on, ends_on, "agreement")
    if session.scalar(
        select(DataSharingAgreement).where(
            DataSharingAgreement.department == department,
            DataSharingAgreement.reference == reference,
        )
    ):
        raise GovernanceError(
            f"{department} already has an agreement {reference}; give the new one "
            "its own reference."
        )
    agreement = DataSharingAgreement(
        department=department.strip(),
        reference=reference.strip(),
        record_kinds=_kinds(kinds),
        covers_contact_details=covers_contact_details,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    session.add(agreement)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="agreement.add",
        subject=f"agreement:{agreement.id}",
        details={
            "department": agreement.department,
            "reference": agreement.reference,
            "record_kinds": agreement.record_kinds,
            "covers_contact_details": covers_contact_details,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return agreement


def revoke_agreement(
    session: Session, *, reference: str, on: date, reason: str, actor: str
) -> DataSharingAgreement:
    """Revoke an agreement from a date; contacts resting only on it stop being
    usable from that date (rule 4)."""
    found = session.scalars(
        select(DataSharingAgreement).where(DataSharingAgreement.reference == reference)
    ).all()
    if len(found) != 1:
        raise GovernanceError(
            f"There is no agreement {reference}."
            if not found
            else f"Several departments have an agreement {reference}; revoke it by "
            "department as well."
        )
    agreement = found[0]
    if agreement.revoked_on is not None:
        raise GovernanceError(
            f"Agreement {reference} was revoked already, from "
            f"{agreement.revoked_on.isoformat()}."
        )
    if on < agreement.starts_on:
        raise GovernanceError(
            f"Agreement {reference} starts on {agreement.starts_on.isoformat()}; "
            "it cannot be revoked before then."
        )
    agreement.revoked_on = on
    agreement.revoked_by = actor
    agreement.revocation_reason = reason
    record_event(
        session,
        actor=actor,
        action="agreement.revoke",
        subject=f"agreement:{agreement.id}",
        details={"reference": reference, "revoked_on": on.isoformat()},
    )
    return agreement


def list_agreements(session: Session) -> list[DataSharingAgreement]:
    """Every agreement, by department then start date."""
    return list(
        session.scalars(
            select(DataSharingAgreement).order_by(
                DataSharingAgreement.department, DataSharingAgreement.starts_on
            )
        )
    )


def add_notice(
    session: Session,
    *,
    department: str,
    reference: str,
    kinds: Sequence[str],
    covers_contact_disclosure: bool,
    effective_from: date,
    effective_to: date | None,
    actor: str,
) -> PrivacyNotice:
    """Record a department's privacy notice."""
    _dates(effective_from, effective_to, "notice")
    notice = PrivacyNotice(
        department=department.strip(),
        reference=reference.strip(),
        record_kinds=_kinds(kinds),
        covers_contact_disclosure=covers_contact_disclosure,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    session.add(notice)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="notice.add",
        subject=f"notice:{notice.id}",
        details={
            "department": notice.department,
            "reference": notice.reference,
            "record_kinds": notice.record_kinds,
            "covers_contact_disclosure": covers_contact_disclosure,
            "effective_from": effective_from.isoformat(),
            "effective_to": effective_to.isoformat() if effective_to else None,
        },
    )
    return notice


def list_notices(session: Session) -> list[PrivacyNotice]:
    """Every privacy notice, by department then date."""
    return list(
        session.scalars(
            select(PrivacyNotice).order_by(
                PrivacyNotice.department, PrivacyNotice.effective_from
            )
        )
    )


def add_statement(
    session: Session,
    *,
    reference: str,
    title: str,
    effective_from: date,
    effective_to: date | None,
    url: str | None,
    actor: str,
) -> PrivacyStatement:
    """Record one of the ERO's privacy statements."""
    _dates(effective_from, effective_to, "statement")
    statement = PrivacyStatement(
        reference=reference.strip(),
        title=title.strip(),
        effective_from=effective_from,
        effective_to=effective_to,
        url=url,
    )
    session.add(statement)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="statement.add",
        subject=f"statement:{statement.id}",
        details={"reference": statement.reference},
    )
    return statement


def list_statements(session: Session) -> list[PrivacyStatement]:
    """Every privacy statement of the ERO's, by date."""
    return list(
        session.scalars(
            select(PrivacyStatement).order_by(PrivacyStatement.effective_from)
        )
    )


def add_objection(
    session: Session,
    *,
    elector_number: str,
    kind: str,
    on: date,
    actor: str,
    note: str | None = None,
) -> list[Objection]:
    """Record an elector's objection to the use of their email or phone (rule 5).

    One objection stands for the elector and the kind; one more for each value
    held now, kept as a hash, so that a later local record cannot bring the value
    back even under another name.
    """
    if kind not in ("email", "phone"):
        raise GovernanceError("An objection is to the use of an email or a phone.")
    elector = session.scalar(
        select(Elector).where(Elector.elector_number == elector_number)
    )
    if elector is None:
        raise GovernanceError(f"There is no elector {elector_number} on the register.")

    values = session.scalars(
        select(ContactPoint.value).where(
            ContactPoint.elector_id == elector.id, ContactPoint.kind == kind
        )
    ).all()
    objections = [
        Objection(
            elector_id=elector.id,
            kind=kind,
            recorded_on=on,
            recorded_by=actor,
            note=note,
        )
    ]
    objections += [
        Objection(
            elector_id=elector.id,
            kind=kind,
            value_hash=value_hash(kind, value),
            recorded_on=on,
            recorded_by=actor,
        )
        for value in values
    ]
    session.add_all(objections)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="objection.add",
        subject=f"elector:{elector.id}",
        counts={"values": len(values)},
        details={"kind": kind, "recorded_on": on.isoformat()},
    )
    return objections
