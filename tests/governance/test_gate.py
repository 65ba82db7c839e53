"""The lawful-use gate (DESIGN.md rules 1 to 4), without a database."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from contactable.governance.gate import (
    Agreement,
    Notice,
    Statement,
    WithheldReason,
    agreement_for,
    gate_local_contacts,
    statement_for,
)

TAX = "Council Tax"
AGREEMENT = Agreement(
    1, TAX, "DSA-1", frozenset({"council-tax"}), True, date(2026, 1, 1)
)
NOTICE = Notice(7, TAX, "PN-1", frozenset({"council-tax"}), True, date(2025, 4, 1))


def _gate(
    dates: list[date | None],
    *,
    agreements: list[Agreement] = [AGREEMENT],  # noqa: B006
    notices: list[Notice] = [NOTICE],  # noqa: B006
    collected_after: date | None = None,
    department: str = TAX,
    import_date: date = date(2026, 6, 1),
) -> list[tuple[int | None, int | None, str | None]]:
    result = gate_local_contacts(
        pl.Series(dates, dtype=pl.Date),
        department=department,
        kind="council-tax",
        import_date=import_date,
        collected_after=collected_after,
        agreements=agreements,
        notices=notices,
    )
    return result.rows()


def test_contacts_are_withheld_without_an_agreement() -> None:
    assert _gate([date(2026, 1, 1), None], agreements=[]) == [
        (None, None, "no_agreement"),
        (None, None, "no_agreement"),
    ]


def test_an_agreement_that_does_not_cover_contacts_withholds_them() -> None:
    names_only = Agreement(
        2, TAX, "DSA-2", frozenset({"council-tax"}), False, date(2026, 1, 1)
    )

    assert _gate([date(2026, 1, 1)], agreements=[names_only]) == [
        (None, None, "agreement_excludes_contacts")
    ]


def test_an_agreement_and_a_notice_in_effect_let_contacts_through() -> None:
    assert _gate([date(2025, 5, 1)]) == [(1, 7, None)]


def test_a_notice_that_starts_after_the_collection_date_does_not_cover() -> None:
    assert _gate([date(2025, 3, 31)]) == [(None, None, "notice_not_in_effect")]


def test_a_department_without_a_covering_notice_is_refused() -> None:
    silent = Notice(8, TAX, "PN-2", frozenset({"council-tax"}), False, date(2020, 1, 1))

    assert _gate([date(2025, 5, 1)], notices=[silent]) == [
        (None, None, "no_privacy_notice")
    ]


def test_an_unknown_collection_date_needs_an_attestation() -> None:
    assert _gate([None]) == [(None, None, "collection_date_unknown")]
    assert _gate([None], collected_after=date(2025, 3, 31)) == [(1, 7, None)]
    assert _gate([None], collected_after=date(2025, 3, 30)) == [
        (None, None, "notice_not_in_effect")
    ]


def test_the_newest_notice_in_effect_is_recorded() -> None:
    later = Notice(9, TAX, "PN-3", frozenset({"council-tax"}), True, date(2026, 1, 1))

    assert _gate([date(2025, 6, 1), date(2026, 2, 1)], notices=[NOTICE, later]) == [
        (1, 7, None),
        (1, 9, None),
    ]


def test_departments_are_matched_without_regard_to_case_or_spaces() -> None:
    assert _gate([date(2025, 5, 1)], department=" council tax ") == [(1, 7, None)]


@pytest.mark.parametrize(
    ("day", "active"),
    [
        (date(2025, 12, 31), False),
        (date(2026, 1, 1), True),
        (date(2026, 5, 31), True),
        # Revocation takes effect on its date (rule 4).
        (date(2026, 6, 1), False),
    ],
)
def test_revocation_takes_effect_on_its_date(day: date, active: bool) -> None:
    revoked = Agreement(
        3,
        TAX,
        "DSA-3",
        frozenset({"council-tax"}),
        True,
        date(2026, 1, 1),
        revoked_on=date(2026, 6, 1),
    )

    assert revoked.active_on(day) is active
    assert (agreement_for([revoked], TAX, "council-tax", day)[0] is not None) is active


def test_an_expired_agreement_refuses_contacts_after_its_end() -> None:
    ended = Agreement(
        4,
        TAX,
        "DSA-4",
        frozenset({"council-tax"}),
        True,
        date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )

    assert agreement_for([ended], TAX, "council-tax", date(2026, 1, 1)) == (
        None,
        WithheldReason.NO_AGREEMENT,
    )


def test_the_ero_statement_in_force_on_the_collection_date_is_found() -> None:
    old = Statement(1, "PS-2024", date(2024, 4, 1), date(2025, 3, 31))
    new = Statement(2, "PS-2025", date(2025, 4, 1))

    assert statement_for([old, new], date(2025, 1, 1)) == old
    assert statement_for([old, new], date(2025, 4, 1)) == new
    assert statement_for([old, new], date(2024, 1, 1)) is None
