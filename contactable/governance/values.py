"""Standing in for a contact value where the value itself must not be kept."""

from __future__ import annotations

import hashlib

import polars as pl


def value_hash(kind: str, value: str) -> str:
    """The SHA-256 of a kind and a normalised value, such as an objection keeps."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def value_hashes(kind: pl.Expr, value: pl.Expr) -> pl.Expr:
    """``value_hash`` for a column."""
    return pl.concat_str([kind, pl.lit(":"), value]).map_elements(
        lambda text: hashlib.sha256(text.encode()).hexdigest(), return_dtype=pl.String
    )


def masked(value: str) -> str:
    """A value shown with most of it hidden, for lists on screen.

    >>> masked("jo.bloggs@example.com"), masked("+447700900123")
    ('j********@example.com', '+4477*****123')
    """
    local, at, domain = value.partition("@")
    if at:
        return local[:1] + "*" * max(len(local) - 1, 1) + "@" + domain
    keep = max(len(value) - 8, 0)
    return value[: keep // 2 + 3] + "*" * (len(value) - keep // 2 - 6) + value[-3:]
