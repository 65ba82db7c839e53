"""``contactable review export`` and ``review apply``: what needs a person.

Contacts with a suggestion or a problem, and uncertain matches of records to
electors, wait in a review queue. They are exported to a workbook, a sheet per
kind of problem, with the document to check them against and a drop-down of
decisions; the decisions come back in the same workbook. A row whose value
changed since the export is skipped and reported, every decision is audited,
and applying the same sheet twice changes nothing more.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import fastexcel
import polars as pl
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from contactable.checks.email_address import check_email
from contactable.checks.outcome import EmailCheck, PhoneCheck, Status
from contactable.checks.phone_number import check_phone
from contactable.config import Settings
from contactable.errors import ContactableError
from contactable.services.review_workbook import ReviewRow, write_review_workbook
from contactable.store import (
    ContactPoint,
    Elector,
    Observation,
    Property,
    ReviewItem,
    SourceRecord,
    record_event,
)

logger = logging.getLogger(__name__)


class Decision(StrEnum):
    """What a person decided about a row of the review sheet."""

    ACCEPT = "accept suggestion"
    CORRECT = "correct to"
    KEEP = "keep as recorded"
    REMOVE = "remove"
    SAME = "same person"
    DIFFERENT = "not the same person"


CONTACT_DECISIONS = (Decision.ACCEPT, Decision.CORRECT, Decision.KEEP, Decision.REMOVE)
LINK_DECISIONS = (Decision.SAME, Decision.DIFFERENT)


class ReviewError(ContactableError):
    """A review sheet cannot be applied."""

    code = "review"


@dataclass
class ApplyReport:
    """What applying a review sheet did."""

    decisions: Counter[str] = field(default_factory=Counter)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    undecided: int = 0


def _needs_review() -> object:
    return (ContactPoint.status.in_(("suggestion", "invalid"))) | (
        ContactPoint.problem.is_not(None)
    )


def refresh_queue(session: Session) -> int:
    """Queue every contact that needs a person and is not queued for its value.

    A contact kept as recorded is not queued again while its value is the same.
    """
    latest = (
        select(
            Observation.contact_point_id,
            func.max(Observation.id).label("observation_id"),
        )
        .where(Observation.contact_point_id.is_not(None))
        .group_by(Observation.contact_point_id)
        .subquery()
    )
    queued = select(ReviewItem.observation_id).where(ReviewItem.kind == "contact")
    candidates = session.execute(
        select(
            ContactPoint.id,
            ContactPoint.elector_id,
            ContactPoint.value,
            latest.c.observation_id,
        )
        .join(latest, latest.c.contact_point_id == ContactPoint.id)
        .where(_needs_review())  # type: ignore[arg-type]
    ).all()
    seen = {
        (row.observation_id, row.value_at_export)
        for row in session.execute(
            select(ReviewItem.observation_id, ReviewItem.value_at_export).where(
                ReviewItem.kind == "contact",
                ReviewItem.observation_id.in_(queued),
            )
        )
    }
    added = 0
    for _, elector_id, value, observation_id in candidates:
        if (observation_id, value) in seen:
            continue
        session.add(
            ReviewItem(
                kind="contact",
                observation_id=observation_id,
                elector_id=elector_id,
                value_at_export=value,
                status="open",
            )
        )
        added += 1
    session.flush()
    return added


def _document_link(settings: Settings, reference: str | None) -> str | None:
    if not reference or not settings.document_url_template:
        return None
    return settings.document_url_template.replace("{reference}", reference)


def _name(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _contact_rows(session: Session, settings: Settings) -> list[ReviewRow]:
    rows = session.execute(
        select(
            ReviewItem.id,
            ContactPoint.kind,
            ContactPoint.problem,
            ContactPoint.status,
            ContactPoint.value,
            ContactPoint.suggestion,
            Elector.elector_number,
            Elector.forename,
            Elector.surname,
            Property.address_1,
            Property.postcode,
            SourceRecord.kind,
            SourceRecord.department,
            SourceRecord.document_reference,
            SourceRecord.collected_on,
            Observation.raw_value,
        )
        .join(Observation, Observation.id == ReviewItem.observation_id)
        .join(ContactPoint, ContactPoint.id == Observation.contact_point_id)
        .join(SourceRecord, SourceRecord.id == Observation.source_record_id)
        .join(Elector, Elector.id == ContactPoint.elector_id)
        .outerjoin(Property, Property.id == Elector.property_id)
        .where(ReviewItem.kind == "contact", ReviewItem.status == "open")
        .order_by(ContactPoint.kind, ContactPoint.problem, Elector.elector_number)
    ).all()
    return [
        ReviewRow(
            item=item,
            sheet=f"{kind} {problem or status}",
            elector=number,
            name=_name(forename, surname),
            address=_name(address, postcode),
            recorded=raw,
            suggestion=suggestion,
            source=_name(source_kind, f"({department})" if department else None),
            document=reference,
            document_link=_document_link(settings, reference),
            collected_on=collected.isoformat() if collected else None,
        )
        for (
            item,
            kind,
            problem,
            status,
            _value,
            suggestion,
            number,
            forename,
            surname,
            address,
            postcode,
            source_kind,
            department,
            reference,
            collected,
            raw,
        ) in rows
    ]


def _link_rows(session: Session, settings: Settings) -> list[ReviewRow]:
    candidate = Elector.__table__.alias("candidate")
    rows = session.execute(
        select(
            ReviewItem.id,
            ReviewItem.probability,
            SourceRecord.kind,
            SourceRecord.department,
            SourceRecord.forename,
            SourceRecord.surname,
            SourceRecord.address_1,
            SourceRecord.postcode,
            SourceRecord.document_reference,
            candidate.c.elector_number,
            candidate.c.forename,
            candidate.c.surname,
        )
        .join(SourceRecord, SourceRecord.id == ReviewItem.source_record_id)
        .join(candidate, candidate.c.id == ReviewItem.candidate_elector_id)
        .where(ReviewItem.kind == "link", ReviewItem.status == "open")
        .order_by(ReviewItem.probability.desc())
    ).all()
    return [
        ReviewRow(
            item=item,
            sheet="uncertain matches",
            elector=number,
            name=_name(c_forename, c_surname),
            address=_name(address, postcode),
            recorded=_name(forename, surname),
            suggestion=f"{probability:.0%} likely the same person"
            if probability
            else None,
            source=_name(kind, f"({department})" if department else None),
            document=reference,
            document_link=_document_link(settings, reference),
            collected_on=None,
        )
        for (
            item,
            probability,
            kind,
            department,
            forename,
            surname,
            address,
            postcode,
            reference,
            number,
            c_forename,
            c_surname,
        ) in rows
    ]


def export_review(session: Session, settings: Settings, path: Path, actor: str) -> int:
    """Write the open review queue to a workbook; returns the rows written."""
    refresh_queue(session)
    rows = _contact_rows(session, settings) + _link_rows(session, settings)
    write_review_workbook(
        rows, path, contact_decisions=CONTACT_DECISIONS, link_decisions=LINK_DECISIONS
    )
    record_event(
        session, actor=actor, action="review.export", counts={"rows": len(rows)}
    )
    return len(rows)


def _read_sheets(path: Path) -> list[tuple[str, pl.DataFrame]]:
    try:
        workbook = fastexcel.read_excel(str(path))
    except Exception as error:
        raise ReviewError(
            f"{path.name} cannot be read as a review workbook "
            f"({type(error).__name__}). Apply the .xlsx that 'contactable review "
            "export' wrote."
        ) from error
    sheets = []
    for name in workbook.sheet_names:
        frame = workbook.load_sheet(name, dtypes="string").to_polars()
        if {"Item", "Decision"} <= set(frame.columns):
            sheets.append((name, frame))
    if not sheets:
        raise ReviewError(f"{path.name} has no review sheets with Item and Decision.")
    return sheets


def _check(kind: str, value: str, settings: Settings) -> EmailCheck | PhoneCheck:
    if kind == "email":
        return check_email(value)
    return check_phone(value, dialling_code=settings.dialling_code or None)


def _set_value(
    session: Session, point: ContactPoint, checked: EmailCheck | PhoneCheck
) -> None:
    """Give a contact point a corrected value, merging it with the elector's own
    contact point of that value if there is one."""
    value = checked.normalised or checked.original.strip()
    twin = session.scalar(
        select(ContactPoint).where(
            ContactPoint.elector_id == point.elector_id,
            ContactPoint.kind == point.kind,
            ContactPoint.value == value,
            ContactPoint.id != point.id,
        )
    )
    if twin is not None:
        session.execute(
            update(Observation)
            .where(Observation.contact_point_id == point.id)
            .values(contact_point_id=twin.id)
        )
        session.delete(point)
        point = twin
    point.value = value
    point.status = str(checked.status)
    point.problem = None if checked.problem is None else str(checked.problem)
    point.suggestion = checked.suggestion
    if isinstance(checked, PhoneCheck):
        point.phone_type = None if checked.type is None else str(checked.type)
        point.phone_region = checked.region
    # A corrected value has not failed yet (issue 5: undeliverable until corrected).
    point.deliverability = "unknown"
    point.temporary_failures = 0


def _apply_contact(
    session: Session,
    item: ReviewItem,
    decision: Decision,
    correction: str | None,
    settings: Settings,
    row: str,
    report: ApplyReport,
) -> bool:
    observation = (
        session.get(Observation, item.observation_id) if item.observation_id else None
    )
    point = (
        session.get(ContactPoint, observation.contact_point_id)
        if observation is not None and observation.contact_point_id
        else None
    )
    if point is None or point.value != item.value_at_export:
        report.skipped.append(f"{row}: the contact changed since the export")
        return False

    if decision is Decision.REMOVE:
        # The sightings stay as what was recorded; the contact is no longer held.
        session.execute(
            update(Observation)
            .where(Observation.contact_point_id == point.id)
            .values(contact_point_id=None)
        )
        session.execute(delete(ContactPoint).where(ContactPoint.id == point.id))
        return True
    if decision is Decision.KEEP:
        # Checked against the form: the value stays, and is not queued again.
        if point.status != Status.INVALID.value:
            point.status, point.problem, point.suggestion = Status.OK.value, None, None
        return True

    value = point.suggestion if decision is Decision.ACCEPT else correction
    if not value:
        what = "no suggestion" if decision is Decision.ACCEPT else "no corrected value"
        report.skipped.append(f"{row}: there is {what} to apply")
        return False
    checked = _check(point.kind, value, settings)
    if checked.status is not Status.OK:
        report.skipped.append(
            f"{row}: the new value is not usable ({checked.problem or checked.status})"
        )
        return False
    _set_value(session, point, checked)
    item.decided_value = point.value
    return True


def _apply_link(session: Session, item: ReviewItem, decision: Decision) -> bool:
    record = (
        session.get(SourceRecord, item.source_record_id)
        if item.source_record_id
        else None
    )
    if record is None:
        return False
    if decision is Decision.SAME:
        record.elector_id = item.candidate_elector_id
        record.link_method = "review"
        record.link_probability = item.probability
        record.linked_at = datetime.now(UTC)
    elif record.kind in (
        "council-tax",
        "customer-service",
        "customer-records-index",
        "local-record",
    ):
        record.is_potential_elector = True
    return True


def apply_review(
    session: Session, settings: Settings, path: Path, actor: str
) -> ApplyReport:
    """Apply the decisions in a review workbook."""
    report = ApplyReport()
    allowed = {d.value: d for d in Decision}
    for sheet, frame in _read_sheets(path):
        has_correction = "Correct to" in frame.columns
        for position, values in enumerate(frame.iter_rows(named=True), start=2):
            row = f"{sheet} row {position}"
            text = (values.get("Decision") or "").strip().lower()
            if not text:
                report.undecided += 1
                continue
            decision = allowed.get(text)
            item_id = (values.get("Item") or "").strip()
            item = session.get(ReviewItem, int(item_id)) if item_id.isdigit() else None
            if decision is None or item is None:
                report.skipped.append(
                    f"{row}: "
                    + (
                        "not a decision on the list"
                        if decision is None
                        else "not an item of the review queue"
                    )
                )
                continue
            correction = (
                (values.get("Correct to") or "").strip() if has_correction else None
            )
            if item.status == "decided":
                if item.decision == decision.value:
                    report.unchanged += 1
                else:
                    report.skipped.append(f"{row}: decided already as {item.decision}")
                continue
            if item.kind == "contact" and decision in CONTACT_DECISIONS:
                done = _apply_contact(
                    session, item, decision, correction, settings, row, report
                )
            elif item.kind == "link" and decision in LINK_DECISIONS:
                done = _apply_link(session, item, decision)
            else:
                report.skipped.append(
                    f"{row}: {decision.value} is not a decision for it"
                )
                continue
            if not done:
                continue
            item.status, item.decision = "decided", decision.value
            item.decided_by, item.decided_at = actor, datetime.now(UTC)
            report.decisions[decision.value] += 1
            record_event(
                session,
                actor=actor,
                action="review.decision",
                subject=f"review_item:{item.id}",
                details={"decision": decision.value, "kind": item.kind},
            )
            session.flush()
    logger.info("review applied: %s", dict(report.decisions))
    return report
