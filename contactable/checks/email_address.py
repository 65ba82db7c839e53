"""Check one email address: the reference that the column check must agree with.

The steps run in a fixed order and the first that finds a problem decides the
code. Safe normalisations are applied; anything that is a guess becomes a
suggestion for a person to accept or reject (DESIGN.md, Checks).
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from contactable.checks import email_rules as rules
from contactable.checks.domains import (
    TOP_LEVEL_DOMAINS,
    domain_verdict,
    dotless_domain_fix,
)
from contactable.checks.outcome import EmailCheck, Problem, Status
from contactable.checks.text import WHITESPACE, clean_text

_MAILTO = re.compile(rules.MAILTO)
_DISPLAY_NAME = re.compile(rules.DISPLAY_NAME)
_FULL_WIDTH = str.maketrans(rules.FULL_WIDTH)
_PHONE_LIKE = re.compile(rules.PHONE_LIKE)
_WHITESPACE = re.compile(rules.INSIDE_WHITESPACE)
_REPEATED_AT = re.compile(rules.REPEATED_AT)
_REPEATED_DOT = re.compile(rules.REPEATED_DOT)
_DOMAIN_COMMA = re.compile(rules.DOMAIN_COMMA)
_MISSING_AT = re.compile(rules.MISSING_AT)
_CURLY_QUOTES = str.maketrans(rules.CURLY_QUOTES)
_QUOTED_OR_LITERAL = re.compile(rules.QUOTED_OR_LITERAL)


def normalise_email_text(value: str | None) -> str:
    """Apply the safe normalisations: white space, ``mailto:``, display names.

    >>> normalise_email_text(" Jo Bloggs <mailto:Jo@Example.COM> ")
    'Jo@example.com'
    """
    text = clean_text(value).translate(_FULL_WIDTH)
    match = _DISPLAY_NAME.match(text)
    if match:
        text = match.group(1).strip(WHITESPACE)
    text = _MAILTO.sub("", text).strip(WHITESPACE)

    # The domain is case-insensitive (RFC 5321 2.4); the local part is left as
    # typed, since a mail server may treat it as case-sensitive.
    local, at, domain = text.rpartition("@")
    if at:
        text = local + at + domain.lower()
    return text


def is_placeholder_email(text: str) -> bool:
    """Say whether a normalised value is a stand-in such as ``none@none.com``."""
    lowered = text.lower()
    if lowered in rules.PLACEHOLDER_TEXTS:
        return True

    local, at, domain = lowered.rpartition("@")
    return bool(at) and (
        local in rules.PLACEHOLDER_LOCAL_PARTS or domain in rules.PLACEHOLDER_DOMAINS
    )


def looks_like_phone_number(text: str) -> bool:
    """Say whether a value without an @ is a phone number in the wrong column."""
    digits = sum(c.isascii() and c.isdigit() for c in text)
    return digits >= rules.MIN_PHONE_DIGITS and bool(_PHONE_LIKE.match(text))


def _validated(text: str) -> str | None:
    """The address as email-validator normalises it, or None if it is rejected."""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _with_domain_fixed(address: str) -> tuple[Problem | None, str | None]:
    """The domain's problem and the address with the domain's suggestion applied."""
    local, _, domain = address.rpartition("@")
    verdict = domain_verdict(domain)
    if verdict.suggestion is not None:
        return verdict.problem, local + "@" + verdict.suggestion
    if verdict.problem is Problem.UNKNOWN_TLD:
        return verdict.problem, None
    return verdict.problem, address


def _suggest(candidate: str | None) -> str | None:
    """A repaired value offered to a person, if it is a usable address."""
    if candidate is None:
        return None

    validated = _validated(candidate)
    if validated is None:
        return None
    return _with_domain_fixed(validated)[1]


def repair_punctuation(text: str) -> tuple[str, bool]:
    """Undo the punctuation slips people make; say whether any were found.

    >>> repair_punctuation("jo.@@example,com.")
    ('jo@example.com', True)
    """
    repaired = text.lstrip(rules.LEADING_JUNK).rstrip(rules.TRAILING_JUNK)
    repaired = _REPEATED_AT.sub("@", repaired)
    local, at, domain = repaired.partition("@")
    if at and "@" not in domain:
        local = _REPEATED_DOT.sub(".", local).strip(rules.LOCAL_EDGE)
        domain = _DOMAIN_COMMA.sub(".", domain)
        domain = _REPEATED_DOT.sub(".", domain)
        domain = domain.lstrip(rules.DOMAIN_LEADING).rstrip(rules.DOMAIN_TRAILING)
        repaired = local + at + domain
    return repaired, repaired != text


def _fill_dotless_domain(candidate: str) -> str | None:
    local, at, domain = candidate.partition("@")
    if not at or "." in domain:
        return candidate
    fixed = dotless_domain_fix(domain)
    return None if fixed is None else local + "@" + fixed


def _missing_at_suggestion(text: str) -> str | None:
    match = _MISSING_AT.match(text)
    if match is None:
        return None
    return _suggest(match.group(1) + "@" + match.group(2).lower())


def _outcome(original: str, problem: Problem, suggestion: str | None) -> EmailCheck:
    status = Status.INVALID if suggestion is None else Status.SUGGESTION
    return EmailCheck(original, status, None, problem, suggestion)


def check_email(value: str | None) -> EmailCheck:
    """Check one email address as typed on a form or held in a file.

    >>> check_email("jo@gmial.com").suggestion
    'jo@gmail.com'
    """
    original = "" if value is None else value
    text = normalise_email_text(value)
    if not text:
        return EmailCheck(original, Status.EMPTY)

    if is_placeholder_email(text):
        return EmailCheck(original, Status.EMPTY, problem=Problem.PLACEHOLDER)

    local, at, domain = text.rpartition("@")
    if at and local != local.translate(_CURLY_QUOTES):
        candidate = local.translate(_CURLY_QUOTES) + at + domain
        return _outcome(original, Problem.PUNCTUATION, _suggest(candidate))

    validated = _validated(text)
    if validated is not None:
        problem, fixed = _with_domain_fixed(validated)
        if problem is None:
            return EmailCheck(original, Status.OK, validated)
        return _outcome(original, problem, fixed)

    # Not a valid address. Say what is most likely wrong, and repair it where the
    # repair is safe to offer.
    if "@" not in text:
        if looks_like_phone_number(text):
            return _outcome(original, Problem.PHONE_IN_EMAIL, None)
        squeezed = _WHITESPACE.sub("", text).strip(rules.TRAILING_JUNK)
        return _outcome(original, Problem.MISSING_AT, _missing_at_suggestion(squeezed))

    if _QUOTED_OR_LITERAL.search(text):
        # A quoted local part or a bracketed IP address: valid in RFC 5322 but
        # refused by email-validator's defaults and by GOV.UK Notify.
        return _outcome(original, Problem.SYNTAX, None)

    squeezed = _WHITESPACE.sub("", text)
    if _REPEATED_AT.sub("@", squeezed).count("@") > 1:
        # Two addresses in one cell, or an @ inside the local part: which one is
        # meant is for a person to decide.
        return _outcome(original, Problem.SYNTAX, None)

    repaired, changed = repair_punctuation(squeezed)
    filled = _fill_dotless_domain(repaired)
    if squeezed != text:
        return _outcome(original, Problem.WHITESPACE, _suggest(filled))
    if changed:
        return _outcome(original, Problem.PUNCTUATION, _suggest(filled))
    if filled != repaired:
        return _outcome(original, Problem.UNKNOWN_TLD, _suggest(filled))

    local, _, domain = text.partition("@")
    if rules.is_special_use(domain):
        # .local, .test, .invalid and the like can never receive mail.
        return _outcome(original, Problem.SYNTAX, None)
    if domain.rsplit(".", 1)[-1] not in TOP_LEVEL_DOMAINS:
        # example.com1: email-validator rejects an ending that is not a word;
        # an ending that does not exist is the more useful thing to say.
        fixed = domain_verdict(domain).suggestion
        suggestion = None if fixed is None else _suggest(local + "@" + fixed)
        return _outcome(original, Problem.UNKNOWN_TLD, suggestion)
    return _outcome(original, Problem.SYNTAX, None)
