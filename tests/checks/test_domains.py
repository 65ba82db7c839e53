"""Domain knowledge: what is corrected, to what, and what never is."""

from __future__ import annotations

import pytest

from contactable.checks.domains import (
    KNOWN_MAIL_DOMAINS,
    PROTECTED_SUFFIXES,
    TOP_LEVEL_DOMAINS,
    DomainVerdict,
    domain_verdict,
    domain_verdicts,
    dotless_domain_fix,
)
from contactable.checks.outcome import Problem


@pytest.mark.parametrize("domain", sorted(KNOWN_MAIL_DOMAINS))
def test_known_mail_domains_are_never_corrected(domain: str) -> None:
    assert domain_verdict(domain) == DomainVerdict()


@pytest.mark.parametrize("suffix", sorted(PROTECTED_SUFFIXES))
def test_domains_of_public_bodies_are_never_corrected(suffix: str) -> None:
    # "gmial" under a protected suffix is a council's or a school's own name.
    assert domain_verdict("gmial." + suffix) == DomainVerdict()


@pytest.mark.parametrize(
    "domain",
    ["mail.btinternet.com", "pupils.gmial.sch.uk", "dogmail.net", "gm.com", "hp.com"],
)
def test_subdomains_and_near_misses_that_are_real_are_left_alone(domain: str) -> None:
    assert domain_verdict(domain) == DomainVerdict()


@pytest.mark.parametrize(
    ("domain", "problem", "suggestion"),
    [
        ("gmial.com", Problem.DOMAIN_TYPO, "gmail.com"),
        ("hotmial.co.uk", Problem.DOMAIN_TYPO, "hotmail.co.uk"),
        ("hotmai.com", Problem.DOMAIN_TYPO, "hotmail.com"),
        ("yahooo.co.uk", Problem.DOMAIN_TYPO, "yahoo.co.uk"),
        ("btinternt.com", Problem.DOMAIN_TYPO, "btinternet.com"),
        ("virginmedia.co.uk", Problem.DOMAIN_TYPO, "virginmedia.com"),
        ("example.com.com", Problem.DOMAIN_TYPO, "example.com"),
        ("examplec.om", Problem.DOMAIN_TYPO, "example.com"),
        ("example.co.br", Problem.DOMAIN_TYPO, "example.com.br"),
        ("example.con", Problem.UNKNOWN_TLD, "example.com"),
        ("example.c", Problem.UNKNOWN_TLD, "example.com"),
        ("example.co.u", Problem.UNKNOWN_TLD, "example.co.uk"),
        ("example.zzzz", Problem.UNKNOWN_TLD, None),
    ],
)
def test_misspellings_are_corrected(
    domain: str, problem: Problem, suggestion: str | None
) -> None:
    assert domain_verdict(domain) == DomainVerdict(problem, suggestion)


def test_many_domains_at_once_match_one_at_a_time() -> None:
    domains = ["gmial.com", "example.org", "hotmial.co.uk", "example.con", "gmial.com"]

    assert domain_verdicts(domains) == [domain_verdict(d) for d in domains]


@pytest.mark.parametrize(
    ("domain", "fixed"),
    [
        ("gmail", "gmail.com"),
        ("hotmail", "hotmail.co.uk"),
        ("yahoocom", "yahoo.com"),
        ("examplecouk", "example.co.uk"),
        ("example", None),
    ],
)
def test_a_domain_without_a_dot_is_completed_where_it_can_be(
    domain: str, fixed: str | None
) -> None:
    assert dotless_domain_fix(domain) == fixed


def test_top_level_domains_come_from_the_public_suffix_list() -> None:
    assert {"uk", "com", "scot", "cymru", "wales", "london", "co"} <= TOP_LEVEL_DOMAINS
    assert not {"con", "cmo", "couk", "local"} & TOP_LEVEL_DOMAINS
