"""Conformance with the peer projects' cases in ../shared/oracles.

Every case passes, or it is listed in tests/data/oracle_policy_differences.csv
with the reason our policy differs; a listed case that starts to pass is an
error too, so the list stays exact.
"""

from __future__ import annotations

import pytest

from tests.checks.oracles import Case, cases, policy_differences

CASES = list(cases())
DIFFERENCES = policy_differences()


def _id(case: Case) -> str:
    return f"{case.oracle}:{case.context}:{case.input!r}"[:120]


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_oracle_case_passes_unless_our_policy_differs(case: Case) -> None:
    if case.key in DIFFERENCES:
        assert not case.passes(), (
            f"listed as a policy difference but passes: {case.key}"
        )
    else:
        assert case.passes()


def test_every_listed_difference_is_an_oracle_case_with_a_reason() -> None:
    keys = {case.key for case in CASES}

    assert [key for key in DIFFERENCES if key not in keys] == []
    assert all(reason.strip() for reason in DIFFERENCES.values())


def test_oracle_cases_are_all_read() -> None:
    # The oracle README counts its rows; a change there should be seen here.
    counts = dict.fromkeys(("notify_email", "email_validator", "flanker"), 0)
    for case in CASES:
        counts[case.oracle] = counts.get(case.oracle, 0) + 1

    assert counts == {
        "notify_email": 51,
        "email_validator": 346,
        "flanker": 236,
        "email_typo": 247,
        "notify_phone": 209,
        "notify_phone_other": 57,
    }
