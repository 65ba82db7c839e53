"""Characters that surround or hide inside values typed by people and systems.

The sets are spelt out rather than taken from ``str.isspace`` so that the
one-value checks and the column checks (Polars, whose regular expressions follow
Rust's idea of white space) strip exactly the same characters.
"""

from __future__ import annotations

import re

# Unicode White_Space, the property both Python's and Rust's regular expressions
# agree on, minus nothing: NBSP (U+00A0) arrives from web forms and Word.
WHITESPACE = (
    " \t\n\r\x0b\x0c\x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)

# Invisible characters pasted in with copied text: zero-width space, non-joiner,
# joiner, word joiner, the byte order mark and the soft hyphen. They are removed
# wherever they stand.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\xad"

WHITESPACE_CLASS = "[" + re.escape(WHITESPACE) + "]"
INVISIBLE_CLASS = "[" + INVISIBLE + "]"

_INVISIBLE_RE = re.compile(INVISIBLE_CLASS)


def clean_text(value: str | None) -> str:
    """Remove invisible characters and surrounding white space.

    >>> clean_text("\\u200b jo@example.com\\xa0")
    'jo@example.com'
    """
    if value is None:
        return ""

    return _INVISIBLE_RE.sub("", value).strip(WHITESPACE)
