"""Comparable forms of names and addresses, as Polars expressions.

Records from different systems write the same person and the same address in
different ways ("O'Neill" and "ONEILL", "Flat 1, 2 High St" and "1 2 HIGH
STREET"). The keys here fold those differences away so that exact matching and
blocking can find them; they are not shown to anyone.
"""

from __future__ import annotations

import re

import polars as pl

# Common abbreviations in British addresses, folded to one spelling.
_STREET_WORDS = {
    "street": "st",
    "road": "rd",
    "avenue": "ave",
    "lane": "ln",
    "drive": "dr",
    "close": "cl",
    "court": "ct",
    "crescent": "cres",
    "place": "pl",
    "gardens": "gdns",
    "terrace": "ter",
    "square": "sq",
    "flat": "flat",
    "apartment": "flat",
    "apt": "flat",
}
_WORD_PATTERN = r"\b(" + "|".join(sorted(_STREET_WORDS, key=len, reverse=True)) + r")\b"
_POSTCODE = re.compile(r"[^0-9A-Z]")


def fold_text(expr: pl.Expr) -> pl.Expr:
    """Lower case, letters and digits only, single spaces."""
    return (
        expr.fill_null("")
        .str.to_lowercase()
        .str.replace_all(r"['’`.]", "")
        .str.replace_all(r"[^0-9a-z]+", " ")
        .str.strip_chars()
    )


def name_key(forename: pl.Expr, surname: pl.Expr) -> pl.Expr:
    """``surname|forename``, folded: the key for an exact match on a name."""
    return pl.concat_str(
        [fold_text(surname).str.replace_all(" ", ""), fold_text(forename)],
        separator="|",
    )


def postcode_key(postcode: pl.Expr) -> pl.Expr:
    """A postcode in capitals without spaces, or null when there is none."""
    folded = postcode.fill_null("").str.to_uppercase().str.replace_all(r"[^0-9A-Z]", "")
    return pl.when(folded == "").then(pl.lit(None, pl.String)).otherwise(folded)


def normalise_postcode(postcode: str | None) -> str | None:
    """The one-value form of ``postcode_key``."""
    folded = _POSTCODE.sub("", (postcode or "").upper())
    return folded or None


def address_key(lines: list[pl.Expr], postcode: pl.Expr) -> pl.Expr:
    """``POSTCODE|folded address lines``: the key for the same written address."""
    text = pl.concat_str([fold_text(line) for line in lines], separator=" ")
    words = (
        text.str.replace_all(_WORD_PATTERN, "<$1>")
        .str.replace_many(
            [f"<{word}>" for word in _STREET_WORDS],
            list(_STREET_WORDS.values()),
        )
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    return pl.concat_str([postcode_key(postcode).fill_null(""), words], separator="|")
