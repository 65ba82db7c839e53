"""Synthetic electoral sources and delivery receipts for a synthetic council.

Canvass responses and absent vote applications come from electors on the
register, with contact details that are sometimes the register's, sometimes
new, and damaged as people's typing damages them. A Notify delivery report
marks some of what was sent as failed. Everything is invented.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl

from contactable.synthetic.contacts import contact_rows

CANVASS_HEADERS = (
    "Elector Number",
    "First Name",
    "Surname",
    "Address 1",
    "Postcode",
    "Email Address",
    "Telephone",
    "Date Received",
    "Document Reference",
)
ABSENT_VOTE_HEADERS = (
    "Elector Number",
    "Full Name",
    "Address 1",
    "Postcode",
    "Email",
    "Mobile",
    "Application Date",
    "Document Reference",
)


def _responding(register: pl.DataFrame, share: float, seed: int) -> pl.DataFrame:
    rng = random.Random(seed)
    chosen = [i for i in range(register.height) if rng.random() < share]
    return register[chosen]


def _fresh_contacts(count: int, seed: int) -> tuple[list[str], list[str]]:
    rows = list(contact_rows(count, seed=seed))
    return [r.email for r in rows], [r.phone for r in rows]


def _dated(count: int, start: date, days: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        (start + timedelta(days=rng.randrange(days))).strftime("%d/%m/%Y")
        for _ in range(count)
    ]


def canvass_responses(
    register: pl.DataFrame, seed: int, share: float = 0.35
) -> pl.DataFrame:
    """Responses to the annual canvass from about ``share`` of the electors."""
    people = _responding(register, share, seed)
    emails, phones = _fresh_contacts(people.height, seed + 1)
    rng = random.Random(seed + 2)
    # Half give the details the register holds already; the rest new ones.
    keep = [rng.random() < 0.5 for _ in range(people.height)]
    email = [
        old if k and old else new
        for k, old, new in zip(keep, people["Email"].to_list(), emails, strict=True)
    ]
    phone = [
        old if k and old else new
        for k, old, new in zip(keep, people["Phone"].to_list(), phones, strict=True)
    ]
    return pl.DataFrame(
        {
            "Elector Number": people["Elector Number"],
            "First Name": people["First Name"],
            "Surname": people["Surname"],
            "Address 1": people["Address 1"],
            "Postcode": people["Postcode"],
            "Email Address": email,
            "Telephone": phone,
            "Date Received": _dated(people.height, date(2026, 7, 1), 90, seed + 3),
            "Document Reference": [
                f"CAN-{seed % 100:02d}-{n:06d}" for n in range(1, people.height + 1)
            ],
        }
    ).select(CANVASS_HEADERS)


def absent_vote_applications(
    register: pl.DataFrame, seed: int, share: float = 0.06
) -> pl.DataFrame:
    """Postal and proxy vote applications from about ``share`` of the electors."""
    people = _responding(register, share, seed)
    emails, phones = _fresh_contacts(people.height, seed + 11)
    names = people.select(
        pl.concat_str(["First Name", "Surname"], separator=" ")
    ).to_series()
    return pl.DataFrame(
        {
            "Elector Number": people["Elector Number"],
            "Full Name": names,
            "Address 1": people["Address 1"],
            "Postcode": people["Postcode"],
            "Email": emails,
            "Mobile": phones,
            "Application Date": _dated(people.height, date(2026, 1, 5), 150, seed + 12),
            "Document Reference": [f"AV-{n:06d}" for n in range(1, people.height + 1)],
        }
    ).select(ABSENT_VOTE_HEADERS)


def notify_report(
    recipients: pl.DataFrame,
    column: str,
    seed: int,
    *,
    permanent: float,
    temporary: float,
) -> pl.DataFrame:
    """A GOV.UK Notify download for a bulk send to ``recipients``: most
    delivered, some failed for good, some not accepting messages right now."""
    rng = random.Random(seed)
    email = column == "email address"
    gone = "Email address does not exist" if email else "Phone number does not exist"
    busy = (
        "Inbox not accepting messages right now"
        if email
        else ("Phone not accepting messages right now")
    )
    statuses = []
    for _ in range(recipients.height):
        roll = rng.random()
        statuses.append(
            gone
            if roll < permanent
            else busy
            if roll < permanent + temporary
            else "Delivered"
        )
    return pl.DataFrame(
        {
            "Row number": [str(n) for n in range(1, recipients.height + 1)],
            column: recipients[column],
            "name": recipients["name"],
            "Template": ["Canvass 2026"] * recipients.height,
            "Type": ["email" if email else "sms"] * recipients.height,
            "Job": ["canvass-2026.csv"] * recipients.height,
            "Status": statuses,
            "Time": ["2026-09-01 10:00:00"] * recipients.height,
        }
    )
