"""Patterns shared by the one-value email check and the column check.

Each pattern is written in the common ground of Python's ``re`` and the Rust
``regex`` crate that Polars uses (no look-around, no back-references, explicit
character sets), so both paths read a value the same way.
"""

from __future__ import annotations

import re

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

from contactable.checks.domains import KNOWN_MAIL_DOMAINS
from contactable.checks.text import WHITESPACE_CLASS

# RFC 5322 3.2.3 atext: the characters allowed between the dots of a local part.
ATEXT = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~\-"
LOCAL_PART = rf"[{ATEXT}]+(?:\.[{ATEXT}]+)*"

# RFC 952 / RFC 1123 2.1 host name labels, at most 63 characters, and a last
# label ending in a letter as email-validator requires of every domain.
LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
LAST_LABEL = r"(?:[a-z]|[a-z0-9][a-z0-9\-]{0,61}[a-z])"

# A plain address: ASCII, unquoted, not a bracketed IP, with a dotted domain. For
# these, email-validator (DNS off) accepts exactly the ones that match, are no
# longer than 254 characters, have no "--" after two characters in a label and do
# not end in a special-use name; the column check relies on that and the tests
# hold it to it.
PLAIN_ADDRESS = rf"^{LOCAL_PART}@(?:{LABEL}\.)+{LAST_LABEL}$"
MAX_ADDRESS_LENGTH = 254

# Values the column check leaves to the one-value check: anything beyond ASCII,
# quoted local parts, bracketed addresses, escapes, Punycode and R-LDH labels.
NEEDS_FULL_CHECK = r"[^\x20-\x7e]|[\"\[\]\\<>]|--"

SPECIAL_USE_SUFFIXES = tuple(SPECIAL_USE_DOMAIN_NAMES)
MAILBOX_NAMES_WITHOUT_CASE = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)

MAILTO = r"^(?i:mailto:)"
DISPLAY_NAME = r"^[^<>]*<([^<>]*)>$"
FULL_WIDTH = {"\uff0e": ".", "\u3002": ".", "\uff61": ".", "\uff20": "@"}

# A phone number typed in the email column: seven or more digits and nothing but
# the punctuation of a phone number.
PHONE_LIKE = r"^\+?[0-9 ().\-]{7,}$"
MIN_PHONE_DIGITS = 7

INSIDE_WHITESPACE = WHITESPACE_CLASS

# Word processors turn ' into a curly apostrophe (o’brien@): the address meant
# has the straight one. Curly double quotes are dropped.
CURLY_QUOTES = {"\u2019": "'", "\u2018": "'", "\u201c": "", "\u201d": ""}
QUOTED_OR_LITERAL = r'^"[^"]*"@|@\['
REPEATED_AT = r"@{2,}"
REPEATED_DOT = r"\.{2,}"
DOMAIN_COMMA = r"[,;]"
LEADING_JUNK = "'\"`<([{"
TRAILING_JUNK = "'\"`\\?,.;:<>)]}/!"
LOCAL_EDGE = "."
DOMAIN_LEADING = ".#"
DOMAIN_TRAILING = "."

# Providers whose domain, typed straight after the local part with the @ left
# out, is taken as the @ gone missing. Short ones (me.com, sky.com) are left out:
# "bobsky.com" is as likely a web address.
_MISSING_AT_PROVIDERS = sorted(
    (d for d in KNOWN_MAIL_DOMAINS if len(d.split(".", 1)[0]) >= 5),
    key=lambda d: (-len(d), d),
)
MISSING_AT = (
    r"^(?i:(.+?)\.?(" + "|".join(re.escape(d) for d in _MISSING_AT_PROVIDERS) + r"))$"
)

PLACEHOLDER_TEXTS = frozenset(
    {
        "none",
        "n/a",
        "n.a.",
        "n.a",
        "na",
        "nil",
        "null",
        "no",
        "nope",
        "no email",
        "noemail",
        "no e-mail",
        "no-email",
        "no mail",
        "nomail",
        "no email address",
        "not known",
        "notknown",
        "unknown",
        "not given",
        "not provided",
        "none given",
        "none provided",
        "not applicable",
        "refused",
        "declined",
        "tbc",
        "tba",
        "-",
        "--",
        "---",
        ".",
        "..",
        "x",
        "xx",
        "xxx",
        "?",
        "0",
        "n",
    }
)
PLACEHOLDER_LOCAL_PARTS = frozenset(
    {
        "none",
        "noemail",
        "no.email",
        "no-email",
        "no_email",
        "nomail",
        "no.mail",
        "noaddress",
        "noone",
        "nobody",
        "na",
        "n.a",
        "nil",
        "null",
        "unknown",
        "notknown",
        "not.known",
        "notgiven",
        "notprovided",
        "noneprovided",
        "nonegiven",
        "refused",
        "declined",
        "dummy",
        "fake",
        "x",
        "xx",
        "xxx",
        "donotreply",
        "do.not.reply",
        "noreply",
        "no-reply",
    }
)
PLACEHOLDER_DOMAINS = frozenset(
    {
        "none.com",
        "none.co.uk",
        "noemail.com",
        "noemail.co.uk",
        "nomail.com",
        "nomail.co.uk",
        "noaddress.com",
        "unknown.com",
        "nowhere.com",
        "test.com",
        "email.address",
    }
)


def is_special_use(domain: str) -> bool:
    """Say whether a domain is a special-use name that can never receive mail."""
    return any(domain == d or domain.endswith("." + d) for d in SPECIAL_USE_SUFFIXES)
