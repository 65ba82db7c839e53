"""A last line of defence against contact details in the audit log.

Audit events and objection notes say what happened with identifiers, dates and
counts; they never hold an email address or a phone number (DESIGN.md,
Architecture). No caller should offer one, so finding one is a bug, and it is
refused loudly rather than cleaned away quietly. Names cannot be told from
other words, so keeping them out is left to the callers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

# Dates and times are written with digits and hyphens too, so they are taken
# out before looking for a phone number.
_ISO_DATE_OR_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)

# Seven digits or more, spaced or punctuated as people write phone numbers:
# 07700 900123, (0161) 496-0000, +44.7700.900123. A local number without its
# dialling code has six or seven digits, so seven is the shortest caught.
_PHONE_LIKE = re.compile(r"\d(?:[\s().\-]*\d){6,}")


def contact_detail_in(text: str) -> str | None:
    """What contact detail ``text`` seems to hold, or None.

    >>> contact_detail_in("sent on 2026-04-01 to 07700 900123")
    'a phone number'
    """
    if "@" in text:
        return "an email address"

    if _PHONE_LIKE.search(_ISO_DATE_OR_TIME.sub(" ", text)):
        return "a phone number"

    return None


def refuse_contact_details(field: str, value: object) -> None:
    """Raise ValueError if a string anywhere in ``value`` looks like a contact detail.

    Dictionary keys are looked at as well as values. Numbers are never refused,
    so identifiers and counts belong in numbers, not strings. The message names
    where the value is, never the value.
    """
    for where, text in _strings(value, field):
        found = contact_detail_in(text)
        if found:
            raise ValueError(
                f"{where} looks like it holds {found}. Audit events and notes must "
                "never hold contact details: record identifiers and counts instead."
            )


def _strings(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                yield f"a key of {where}", key
            yield from _strings(item, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")
