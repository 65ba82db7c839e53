"""What the retention policy says must go (DESIGN.md, rules 4 and 6).

Three things are purged:
- the contacts of electors who left the register more than
  ``retention_days_after_leaving`` days ago;
- contacts that rest only on data sharing agreements that were revoked or have
  ended, and local-record values not yet attached to anyone under such an
  agreement (rule 4: they are listed for purge from the agreement's end);
- contacts not seen in any source for ``retention_days_unused`` days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, delete, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from contactable.config import Settings
from contactable.governance.gate import LOCAL_KINDS
from contactable.governance.values import masked
from contactable.store import (
    ContactPoint,
    DataSharingAgreement,
    Elector,
    Observation,
    SourceRecord,
)


class PurgeReason(StrEnum):
    """Why a contact is due to be purged."""

    ELECTOR_LEFT = "elector_left"
    AGREEMENT_ENDED = "agreement_ended"
    NOT_SEEN = "not_seen"


@dataclass(frozen=True)
class PurgeItem:
    """One contact due to go, as shown to the person purging."""

    reason: PurgeReason
    elector_number: str | None
    kind: str
    masked_value: str


@dataclass(frozen=True)
class PurgePlan:
    """What a purge would delete: contact points and unattached observations."""

    contact_point_ids: dict[PurgeReason, list[int]]
    observation_ids: list[int]
    items: list[PurgeItem]

    @property
    def counts(self) -> dict[str, int]:
        """Counts per reason, for the screen and the audit log."""
        counts = {str(r): len(ids) for r, ids in self.contact_point_ids.items()}
        counts["unattached_observations"] = len(self.observation_ids)
        return counts


def _agreement_over(today: date) -> object:
    table = DataSharingAgreement
    return or_(
        and_(table.revoked_on.is_not(None), table.revoked_on <= today),
        and_(table.ends_on.is_not(None), table.ends_on < today),
    )


def _ended_agreement_ids(today: date) -> Select[int]:
    return select(DataSharingAgreement.id).where(_agreement_over(today))  # type: ignore[arg-type]


def _resting_only_on_ended_agreements(today: date) -> Select[int]:
    """Contact points every observation of which came from a local record under an
    agreement that is over."""
    supported = (
        select(Observation.id)
        .join(SourceRecord, SourceRecord.id == Observation.source_record_id)
        .where(
            Observation.contact_point_id == ContactPoint.id,
            or_(
                SourceRecord.kind.not_in(LOCAL_KINDS),
                SourceRecord.agreement_id.is_(None),
                SourceRecord.agreement_id.not_in(_ended_agreement_ids(today)),
            ),
        )
    )
    return select(ContactPoint.id).where(
        exists().where(Observation.contact_point_id == ContactPoint.id),
        not_(exists(supported)),
    )


def plan_purge(session: Session, settings: Settings, today: date) -> PurgePlan:
    """Work out what the retention policy says must go, without deleting it."""
    left_before = today - timedelta(days=settings.retention_days_after_leaving)
    unseen_before = today - timedelta(days=settings.retention_days_unused)
    chosen: dict[PurgeReason, set[int]] = {
        PurgeReason.ELECTOR_LEFT: set(
            session.scalars(
                select(ContactPoint.id)
                .join(Elector, Elector.id == ContactPoint.elector_id)
                .where(Elector.status == "left", Elector.left_on < left_before)
            )
        ),
        PurgeReason.AGREEMENT_ENDED: set(
            session.scalars(_resting_only_on_ended_agreements(today))
        ),
        PurgeReason.NOT_SEEN: set(
            session.scalars(
                select(ContactPoint.id).where(ContactPoint.last_seen_on < unseen_before)
            )
        ),
    }
    # A contact due for several reasons is listed once, under the first.
    taken: set[int] = set()
    for reason in PurgeReason:
        chosen[reason] -= taken
        taken |= chosen[reason]

    unattached = list(
        session.scalars(
            select(Observation.id)
            .join(SourceRecord, SourceRecord.id == Observation.source_record_id)
            .where(
                Observation.contact_point_id.is_(None),
                SourceRecord.agreement_id.in_(_ended_agreement_ids(today)),
            )
        )
    )
    items = _items(session, chosen)
    return PurgePlan(
        {r: sorted(ids) for r, ids in chosen.items()}, sorted(unattached), items
    )


def _items(session: Session, chosen: dict[PurgeReason, set[int]]) -> list[PurgeItem]:
    reasons = {cid: reason for reason, ids in chosen.items() for cid in ids}
    if not reasons:
        return []
    rows = session.execute(
        select(
            ContactPoint.id,
            Elector.elector_number,
            ContactPoint.kind,
            ContactPoint.value,
        )
        .join(Elector, Elector.id == ContactPoint.elector_id)
        .where(ContactPoint.id.in_(list(reasons)))
        .order_by(Elector.elector_number, ContactPoint.kind)
    )
    return [
        PurgeItem(reasons[cid], number, kind, masked(value))
        for cid, number, kind, value in rows
    ]


def carry_out(session: Session, plan: PurgePlan) -> int:
    """Delete what the plan lists; their observations and events go with them."""
    ids = [cid for group in plan.contact_point_ids.values() for cid in group]
    deleted = 0
    for start in range(0, len(ids), 10_000):
        batch = ids[start : start + 10_000]
        session.execute(
            delete(Observation).where(Observation.contact_point_id.in_(batch))
        )
        result: Any = session.execute(
            delete(ContactPoint).where(ContactPoint.id.in_(batch))
        )
        deleted += result.rowcount or 0
    for start in range(0, len(plan.observation_ids), 10_000):
        batch = plan.observation_ids[start : start + 10_000]
        session.execute(delete(Observation).where(Observation.id.in_(batch)))
    return deleted


def count_contact_points(session: Session) -> int:
    """How many contact points the store holds."""
    return int(session.scalar(select(func.count()).select_from(ContactPoint)) or 0)
