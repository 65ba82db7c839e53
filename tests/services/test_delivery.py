"""Delivery reports and bounces, and what they do to contact points, on SQLite and
PostgreSQL.

The register holds obviously fake electors at example.com and on Ofcom's drama
numbers; each test looks in the database, not only at the report.
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from contactable.config import Settings
from contactable.services.delivery import (
    UnknownContactPoint,
    confirm_contact_point,
    import_bounces,
    import_notify_report,
)
from contactable.services.importing.register import import_register
from contactable.store import (
    AuditEvent,
    ContactPoint,
    DeliveryEvent,
    Elector,
    ImportBatch,
    transaction,
)

DATA = Path(__file__).parent.parent / "data" / "delivery"
SETTINGS = Settings(temporary_failure_limit=3)
REGISTER = """\
Elector Number,First Name,Surname,Address 1,Postcode,Email,Phone
AB1-1,Jo,Bloggs,1 High Street,ZZ1 1AA,jo.bloggs@example.com,07700 900001
AB1-2,Sam,Bloggs,1 High Street,ZZ1 1AA,sam.bloggs@example.com,07700 900002
AB1-3,Al,Smith,2 High Street,ZZ1 1AA,al.smith@example.com,07700 900003
AB1-4,Pat,Jones,3 High Street,ZZ1 1AA,pat.jones@example.com,07700 900004
AB1-5,Lee,Wong,4 High Street,ZZ1 1AA,lee.wong@example.com,07700 900005
AB1-6,Ravi,Khan,5 High Street,ZZ1 1AA,khan.family@example.com,
AB1-7,Mina,Khan,5 High Street,ZZ1 1AA,khan.family@example.com,
AB1-8,Chris,Evans,6 High Street,ZZ1 1AA,chris.evans@example.com,
"""
JOB_HEADER = ["Row number", "email address", "Template", "Type", "Job", "Status"]
JOB_HEADER += ["Time"]


def _register(engine: Engine, folder: Path) -> None:
    # Ravi and Mina Khan, one household, share an address.
    path = folder / "register.csv"
    path.write_text(REGISTER, "utf-8")
    import_register(engine, path, SETTINGS, actor="tester", today=date(2026, 5, 1))


def _job_report(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A Notify download of one email upload: (recipient, status, time) rows."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(JOB_HEADER)
        for number, (recipient, status, time) in enumerate(rows, start=1):
            writer.writerow(
                [number, recipient, "Canvass", "email", path.name, status, time]
            )
    return path


def _points(engine: Engine, kind: str = "email") -> dict[str, tuple[str, int]]:
    """Each elector's deliverability and run of temporary failures."""
    with transaction(engine) as session:
        rows = session.execute(
            select(
                Elector.elector_number,
                ContactPoint.deliverability,
                ContactPoint.temporary_failures,
            )
            .join(Elector)
            .where(ContactPoint.kind == kind)
            .order_by(Elector.elector_number)
        )
        return {number: (state, failures) for number, state, failures in rows}


def _events(engine: Engine) -> list[tuple[str, str, str, bool]]:
    with transaction(engine) as session:
        rows = session.execute(
            select(
                Elector.elector_number,
                DeliveryEvent.channel,
                DeliveryEvent.status,
                DeliveryEvent.permanent,
            )
            .join(ContactPoint, DeliveryEvent.contact_point_id == ContactPoint.id)
            .join(Elector)
            .order_by(
                Elector.elector_number, DeliveryEvent.occurred_at, DeliveryEvent.id
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def _point_id(engine: Engine, elector_number: str) -> int:
    with transaction(engine) as session:
        found = session.scalar(
            select(ContactPoint.id)
            .join(Elector)
            .where(
                Elector.elector_number == elector_number,
                ContactPoint.kind == "email",
            )
        )
    assert found is not None
    return int(found)


def test_each_status_of_an_email_report_is_kept_with_its_effect(
    engine: Engine, tmp_path: Path
) -> None:
    _register(engine, tmp_path)

    report = import_notify_report(
        engine, DATA / "notify_email_job.csv", SETTINGS, actor="tester"
    )

    # Row 6 is one household's address, so it reaches two electors.
    assert (report.rows_read, report.unmatched, report.events_recorded) == (8, 1, 8)
    assert report.outcomes == {
        "delivered": 1,
        "permanent_failure": 2,
        "temporary_failure": 1,
        "technical_failure": 2,
        "not_final": 1,
    }
    assert report.made_undeliverable == 3
    assert _events(engine) == [
        ("AB1-1", "email", "delivered", False),
        ("AB1-2", "email", "permanent-failure", True),
        ("AB1-3", "email", "temporary-failure", False),
        ("AB1-4", "email", "technical-failure", False),
        ("AB1-5", "email", "sending", False),
        ("AB1-6", "email", "permanent-failure", True),
        ("AB1-7", "email", "permanent-failure", True),
        ("AB1-8", "email", "failed", False),
    ]
    assert _points(engine) == {
        "AB1-1": ("delivered", 0),
        "AB1-2": ("undeliverable", 0),
        "AB1-3": ("unknown", 1),
        "AB1-4": ("unknown", 0),
        "AB1-5": ("unknown", 0),
        "AB1-6": ("undeliverable", 0),
        "AB1-7": ("undeliverable", 0),
        "AB1-8": ("unknown", 0),
    }
    with transaction(engine) as session:
        first = session.scalars(
            select(DeliveryEvent).order_by(DeliveryEvent.occurred_at)
        ).first()
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "delivery.import")
        ).all()
    assert first is not None
    # Notify's times are UK time: 10:00 in June is 09:00 UTC.
    assert first.occurred_at == datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    assert (first.source, first.import_batch_id) == ("notify-report", report.batch_id)
    assert first.reference is not None and first.reference.startswith("report-")
    assert [(a.subject, a.counts) for a in audit] == [
        (f"import_batch:{report.batch_id}", report.counts())
    ]


def test_a_service_wide_report_of_texts_matches_phone_numbers(
    engine: Engine, tmp_path: Path
) -> None:
    _register(engine, tmp_path)

    report = import_notify_report(
        engine, DATA / "notify_sms_service.csv", SETTINGS, actor="tester"
    )

    assert (report.rows_read, report.rows_skipped, report.unmatched) == (7, 1, 1)
    assert report.outcomes == {
        "delivered": 2,
        "permanent_failure": 1,
        "temporary_failure": 1,
        "no_receipt": 1,
    }
    assert _events(engine) == [
        ("AB1-1", "sms", "delivered", False),
        ("AB1-1", "email", "delivered", False),
        ("AB1-2", "sms", "permanent-failure", True),
        ("AB1-3", "sms", "temporary-failure", False),
        ("AB1-4", "sms", "sent", False),
    ]
    phones = _points(engine, "phone")
    assert phones == {
        "AB1-1": ("delivered", 0),
        "AB1-2": ("undeliverable", 0),
        "AB1-3": ("unknown", 1),
        "AB1-4": ("unknown", 0),
        "AB1-5": ("unknown", 0),
    }
    assert _points(engine)["AB1-2"] == ("unknown", 0)


def test_a_permanent_failure_or_a_run_of_temporary_ones_stops_a_contact_until_confirmed(
    engine: Engine, tmp_path: Path
) -> None:
    _register(engine, tmp_path)
    al, pat = "al.smith@example.com", "pat.jones@example.com"
    sam = "sam.bloggs@example.com"
    temporary = "Inbox not accepting messages right now"
    monday = _job_report(
        tmp_path / "monday.csv",
        [
            (al, temporary, "2026-06-01 10:00:00"),
            (al, temporary, "2026-06-01 11:00:00"),
            (pat, temporary, "2026-06-01 10:00:00"),
            (pat, temporary, "2026-06-01 11:00:00"),
            (pat, "Delivered", "2026-06-01 12:00:00"),
            (sam, "Email address doesn’t exist", "2026-06-01 10:00:00"),
        ],
    )
    tuesday = _job_report(
        tmp_path / "tuesday.csv",
        [
            (al, temporary, "2026-06-02 10:00:00"),
            (pat, temporary, "2026-06-02 10:00:00"),
            # Sent before the delivery already applied: kept, but changes nothing.
            (pat, temporary, "2026-06-01 11:30:00"),
            (sam, "Delivered", "2026-06-02 10:00:00"),
        ],
    )
    wednesday = _job_report(
        tmp_path / "wednesday.csv", [(sam, temporary, "2026-06-03 10:00:00")]
    )

    import_notify_report(engine, monday, SETTINGS, actor="t")
    after_monday = _points(engine)
    report = import_notify_report(engine, tuesday, SETTINGS, actor="t")
    after_tuesday = _points(engine)
    with transaction(engine) as session:
        confirm_contact_point(session, _point_id(engine, "AB1-2"), "jsmith")
    confirmed = _points(engine)["AB1-2"]
    import_notify_report(engine, wednesday, SETTINGS, actor="t")

    states = ("AB1-2", "AB1-3", "AB1-4")
    assert [after_monday[n] for n in states] == [
        ("undeliverable", 0),
        ("unknown", 2),
        ("delivered", 0),
    ]
    # Al's third failure in a row stops it; Pat's run began again after a
    # delivery; the delivery that followed Sam's failure did not undo it.
    assert [after_tuesday[n] for n in states] == [
        ("undeliverable", 0),
        ("undeliverable", 3),
        ("delivered", 1),
    ]
    assert (report.events_recorded, report.made_undeliverable) == (4, 1)
    assert len(_events(engine)) == 11
    # Confirming did, and a later failure counts from nothing.
    assert confirmed == ("unknown", 0)
    assert _points(engine)["AB1-2"] == ("unknown", 1)
    with transaction(engine) as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "delivery.confirm")
        ).all()
        assert [(a.actor, a.subject, a.details) for a in audit] == [
            (
                "jsmith",
                f"contact_point:{_point_id(engine, 'AB1-2')}",
                {"deliverability_was": "undeliverable"},
            )
        ]
        with pytest.raises(UnknownContactPoint) as raised:
            confirm_contact_point(session, 999_999, "jsmith")
    assert str(raised.value) == "There is no contact point 999999."


def test_the_same_report_twice_adds_nothing_and_a_later_download_only_news(
    engine: Engine, tmp_path: Path
) -> None:
    _register(engine, tmp_path)
    first = import_notify_report(
        engine, DATA / "notify_email_job.csv", SETTINGS, actor="t"
    )

    again = import_notify_report(
        engine, DATA / "notify_email_job.csv", SETTINGS, actor="t"
    )
    later = import_notify_report(
        engine, DATA / "notify_email_job_later.csv", SETTINGS, actor="t"
    )

    assert (again.already_imported, again.batch_id) == (True, first.batch_id)
    # Row 5 was on its way and is now delivered; the rest is known already.
    assert (later.events_recorded, later.already_recorded, later.unmatched) == (
        1,
        6,
        1,
    )
    assert later.outcomes == {"delivered": 1}
    assert [e for e in _events(engine) if e[0] == "AB1-5"] == [
        ("AB1-5", "email", "sending", False),
        ("AB1-5", "email", "delivered", False),
    ]
    assert _points(engine)["AB1-5"] == ("delivered", 0)
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(DeliveryEvent)) == 9
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 3


def test_bounces_from_an_mbox_and_a_maildir_are_recorded_once(
    engine: Engine, tmp_path: Path
) -> None:
    _register(engine, tmp_path)

    mbox = import_bounces(engine, DATA / "bounces.mbox", SETTINGS, actor="t")
    maildir = import_bounces(engine, DATA / "bounces.maildir", SETTINGS, actor="t")
    again = import_bounces(engine, DATA / "bounces.mbox", SETTINGS, actor="t")

    # The mbox holds an out-of-office reply and a bounce for an address not
    # on the register; the Maildir holds a copy of the mbox's first bounce.
    assert (mbox.messages_read, mbox.messages_without_failures, mbox.rows_read) == (
        4,
        1,
        3,
    )
    assert (mbox.unmatched, mbox.events_recorded, mbox.made_undeliverable) == (1, 2, 1)
    assert (maildir.already_recorded, maildir.events_recorded) == (1, 2)
    assert (again.already_recorded, again.events_recorded) == (2, 0)
    assert _events(engine) == [
        ("AB1-3", "email", "permanent-failure", True),
        ("AB1-4", "email", "temporary-failure", False),
        ("AB1-5", "email", "permanent-failure", True),
        ("AB1-8", "email", "permanent-failure", True),
    ]
    assert {n: p for n, p in _points(engine).items() if p != ("unknown", 0)} == {
        "AB1-3": ("undeliverable", 0),
        "AB1-4": ("unknown", 1),
        "AB1-5": ("undeliverable", 0),
        "AB1-8": ("undeliverable", 0),
    }
    with transaction(engine) as session:
        bounce = session.scalars(
            select(DeliveryEvent).order_by(DeliveryEvent.occurred_at)
        ).first()
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("delivery.%"))
        ).all()
    assert bounce is not None
    assert (bounce.source, bounce.reference, bounce.occurred_at) == (
        "bounce",
        "<dsn-1@mail.example.net>",
        datetime(2026, 6, 2, 10, 0, tzinfo=UTC),
    )
    assert actions == ["delivery.bounces"] * 3
