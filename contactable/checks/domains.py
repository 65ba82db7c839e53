"""What Contactable knows about the part of an email address after the @.

A domain gets one verdict, worked out once and cached, because a council's file
holds a few thousand distinct domains among a million addresses. The column
checks look verdicts up by domain, so both paths give the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy
import publicsuffixlist
from rapidfuzz import process
from rapidfuzz.distance import OSA

from contactable.checks.outcome import Problem


@dataclass(frozen=True, slots=True)
class DomainVerdict:
    """What is wrong with a domain, if anything, and the domain to suggest."""

    problem: Problem | None = None
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class _Target:
    domain: str
    first_label: str
    suffix: str


def _data_lines(name: str) -> list[str]:
    text = resources.files("contactable.data").joinpath(name).read_text("utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def _read_mail_domains() -> tuple[frozenset[str], tuple[_Target, ...]]:
    known: set[str] = set()
    targets: list[_Target] = []
    for line in _data_lines("mail_domains.txt"):
        domain, role = line.split()
        known.add(domain)
        if role == "target":
            first, _, suffix = domain.partition(".")
            targets.append(_Target(domain, first, suffix))
    return frozenset(known), tuple(targets)


def _read_top_level_domains() -> frozenset[str]:
    # The Public Suffix List ships inside the publicsuffixlist package, so no
    # network is needed. Only its ICANN section names top-level domains; the
    # private section lists hosting companies' subdomains.
    path = Path(publicsuffixlist.__file__).with_name("public_suffix_list.dat")
    tlds: set[str] = set()
    in_icann = False
    for line in path.read_text("utf-8").splitlines():
        if "===BEGIN ICANN DOMAINS===" in line:
            in_icann = True
        elif "===END ICANN DOMAINS===" in line:
            break
        elif in_icann and line and not line.startswith("//"):
            label = line.strip().lstrip("!*.").rsplit(".", 1)[-1]
            tlds.add(label)
            tlds.add(label.encode("idna").decode("ascii"))
    return frozenset(tlds)


KNOWN_MAIL_DOMAINS, _TARGETS = _read_mail_domains()
PROTECTED_SUFFIXES = frozenset(_data_lines("protected_suffixes.txt"))
TOP_LEVEL_DOMAINS = _read_top_level_domains()
_PUBLIC_SUFFIXES = publicsuffixlist.PublicSuffixList(only_icann=True)

# Endings that people type when they mean another. A provider's name with one of
# these endings is corrected to the provider's own domain (gmail.co.uk and
# gmail.net are not Google's); any other real ending (yahoo.fr) is left alone.
_LOOSE_SUFFIXES = frozenset(
    {"com", "net", "org", "co", "co.uk", "org.uk", "uk", "cm", "om", "ne", "et"}
)

# Suffixes that a mistyped ending is corrected to, most common in Great Britain
# first, which decides between equally close ones.
COMMON_SUFFIXES = (
    "com",
    "co.uk",
    "net",
    "org",
    "uk",
    "org.uk",
    "ac.uk",
    "gov.uk",
    "me.uk",
    "ltd.uk",
    "edu",
    "gov",
    "ie",
    "de",
    "fr",
    "es",
    "it",
    "nl",
    "ru",
    "info",
    "biz",
    "me",
    "eu",
    "scot",
    "wales",
    "cymru",
    "co.jp",
    "com.au",
    "co.nz",
    "co.za",
    "com.br",
    "com.ar",
    "com.mx",
    "co.in",
)

_RUN_ON_SUFFIXES = frozenset({"com", "net", "org"})

# Country endings that are one key away from .com and .net and hold almost no
# British electors' mail: Cameroon, Oman, Niger and Ethiopia.
_LOOKALIKE_ENDINGS = {"cm": "com", "om": "com", "ne": "net", "et": "net"}


def _allowed_distance(label: str) -> int:
    # A short name is only one letter from many real domains, so it is corrected
    # only for a single slip; two-letter names (ao.com, gm.com) never are.
    if len(label) < 3:
        return 0
    if len(label) <= 4:
        return 1
    return 2


_NEVER_CORRECTED = KNOWN_MAIL_DOMAINS | PROTECTED_SUFFIXES


def is_protected(domain: str) -> bool:
    """Say whether a domain is a real mail domain, or within one, never corrected."""
    if domain in _NEVER_CORRECTED:
        return True
    start = domain.find(".")
    while start != -1:
        if domain[start + 1 :] in _NEVER_CORRECTED:
            return True
        start = domain.find(".", start + 1)
    return False


def _split(domain: str) -> tuple[str, str, str]:
    """Split a domain into subdomains, its own name and its public suffix."""
    tld = domain.rsplit(".", 1)[-1]
    if tld in TOP_LEVEL_DOMAINS:
        suffix = _PUBLIC_SUFFIXES.publicsuffix(domain) or tld
    else:
        suffix = tld
    if suffix == domain:
        return "", "", suffix
    head = domain[: -len(suffix) - 1]
    subdomains, _, name = head.rpartition(".")
    return subdomains, name, suffix


_TARGET_PREFIX = re.compile(
    "^(" + "|".join(re.escape(t.domain) for t in _TARGETS) + r")\."
)
_TARGET_LABELS = [target.first_label for target in _TARGETS]


def _closest_provider(
    domain: str, name: str, suffix: str, tld_known: bool, distances: Sequence[int]
) -> str | None:
    """The target a domain's own name is a slip away from; ``distances`` holds the
    distance from ``name`` to each target's name, as rapidfuzz's cdist gives it."""
    loose = not tld_known or suffix in _LOOSE_SUFFIXES
    allowed = _allowed_distance(name)
    best: tuple[int, int, str] | None = None
    for rank, target in enumerate(_TARGETS):
        distance = distances[rank]
        if distance > allowed or (target.suffix != suffix and not loose):
            continue
        if distance == 2 and name[0] != target.first_label[0]:
            # Two slips and a different first letter is another word:
            # dogmail.net is not gmail.
            continue
        score = (OSA.distance(domain, target.domain), rank, target.domain)
        if best is None or score < best:
            best = score
    return None if best is None else best[2]


def _fix_suffix(domain: str) -> str | None:
    """Correct an ending that does not exist to the closest common one."""
    labels = domain.split(".")
    for size in (2, 1):
        if len(labels) <= size:
            continue
        head, tail = ".".join(labels[:-size]), ".".join(labels[-size:])
        best: tuple[int, bool, int, str] | None = None
        for rank, suffix in enumerate(COMMON_SUFFIXES):
            distance = OSA.distance(tail, suffix, score_cutoff=1)
            # gmail.c and example.co.u were cut short; example.comme and
            # example.com1 ran on. Either is more likely than a slip of the finger.
            cut = suffix.startswith(tail) or (
                tail.startswith(suffix) and suffix in _RUN_ON_SUFFIXES
            )
            if cut:
                distance = min(distance, 1)
            score = (distance, not cut, rank, suffix)
            if distance <= 1 and (best is None or score < best):
                best = score
        if best is not None:
            return head + "." + best[3]
    return None


def _fix_lookalike(domain: str) -> str | None:
    head, _, tld = domain.rpartition(".")
    meant = _LOOKALIKE_ENDINGS.get(tld)
    if meant is None or not head:
        return None

    # examplec.om and comcastn.et: the dot slipped one place to the left.
    if head.endswith(meant[0]) and "." not in head[-2:]:
        return head[:-1] + "." + meant
    return head + "." + meant


def _fix_country_second_level(subdomains: str, name: str, suffix: str) -> str | None:
    # example.co.br for example.com.br: some countries register under com.XX and
    # have no co.XX, and the reverse (example.com.uk for example.co.uk).
    if not subdomains or "." in suffix:
        return None
    for typed, meant in (("co", "com"), ("com", "co")):
        if name == typed and _PUBLIC_SUFFIXES.is_public(meant + "." + suffix):
            return f"{subdomains}.{meant}.{suffix}"
    return None


def _fix_doubled_suffix(domain: str) -> str | None:
    labels = domain.split(".")
    if len(labels) >= 3 and labels[-1] == labels[-2] and labels[-1] in {"com", "net"}:
        return ".".join(labels[:-1])
    return None


def _verdict(
    domain: str,
    parts: tuple[str, str, str],
    tld_known: bool,
    provider: str | None,
) -> DomainVerdict:
    if not tld_known:
        return DomainVerdict(Problem.UNKNOWN_TLD, provider or _fix_suffix(domain))

    if provider is not None:
        return DomainVerdict(Problem.DOMAIN_TYPO, provider)

    other = (
        _fix_lookalike(domain)
        or _fix_doubled_suffix(domain)
        or _fix_country_second_level(*parts)
    )
    if other is not None:
        return DomainVerdict(Problem.DOMAIN_TYPO, other)

    return DomainVerdict()


_CACHE: dict[str, DomainVerdict] = {}
_CACHE_LIMIT = 1_000_000


def domain_verdicts(domains: Sequence[str]) -> list[DomainVerdict]:
    """Judge many domains at once; the same as ``domain_verdict`` on each.

    The distances from every name to every provider are worked out in one call
    to rapidfuzz, which is what makes a file with many distinct domains quick.
    """
    if len(_CACHE) > _CACHE_LIMIT:
        _CACHE.clear()

    fresh = [d for d in dict.fromkeys(domains) if d not in _CACHE]
    pending: list[tuple[str, tuple[str, str, str], bool]] = []
    for domain in fresh:
        if is_protected(domain):
            _CACHE[domain] = DomainVerdict()
            continue
        tld_known = domain.rsplit(".", 1)[-1] in TOP_LEVEL_DOMAINS
        prefix = _TARGET_PREFIX.match(domain)
        if prefix:
            # gmail.com.com, gmail.com.co: the provider's domain with more after it.
            _CACHE[domain] = _verdict(domain, ("", "", ""), tld_known, prefix.group(1))
            continue
        parts = _split(domain)
        if parts[0] or not parts[1]:
            _CACHE[domain] = _verdict(domain, parts, tld_known, None)
            continue
        pending.append((domain, parts, tld_known))

    if pending:
        matrix = process.cdist(
            [parts[1] for _, parts, _ in pending],
            _TARGET_LABELS,
            scorer=OSA.distance,
            score_cutoff=2,
            dtype=numpy.int32,
        )
        for (domain, parts, tld_known), row in zip(pending, matrix, strict=True):
            distances = row.tolist()
            provider = None
            if min(distances) <= 2:
                _, name, suffix = parts
                provider = _closest_provider(domain, name, suffix, tld_known, distances)
            _CACHE[domain] = _verdict(domain, parts, tld_known, provider)

    return [_CACHE[d] for d in domains]


def domain_verdict(domain: str) -> DomainVerdict:
    """Judge the lower-case domain of a syntactically valid address.

    >>> domain_verdict("gmial.com")
    DomainVerdict(problem=<Problem.DOMAIN_TYPO: 'domain_typo'>, suggestion='gmail.com')
    """
    return domain_verdicts([domain])[0]


def dotless_domain_fix(domain: str) -> str | None:
    """Suggest a domain for one typed without any dot (``gmail``, ``yahoocom``)."""
    for target in _TARGETS:
        if domain == target.first_label:
            return target.domain

    for suffix in ("couk", "com", "net", "org"):
        if domain.endswith(suffix) and len(domain) > len(suffix):
            name = domain[: -len(suffix)]
            return name + "." + ("co.uk" if suffix == "couk" else suffix)
    return None
