"""What to do with each scored record: link it, ask a person, or leave it.

A record is linked to its best candidate when that candidate is likely
enough (``accept``) and no other elector is a plausible rival (``review``):
two electors who both fit one record are a question, not an answer. A record
whose candidates are plausible but not likely enough waits for review; the
rest match no one.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Decisions:
    """``links``: source_record_id, elector_id, probability; ``reviews``: the
    same, one row per candidate a person should look at."""

    links: pl.DataFrame
    reviews: pl.DataFrame


def decide(pairs: pl.DataFrame, *, accept: float, review: float) -> Decisions:
    """Split scored pairs (source_record_id, elector_id, probability)."""
    plausible = pairs.filter(pl.col("probability") >= review).sort(
        ["source_record_id", "probability", "elector_id"],
        descending=[False, True, False],
    )
    ranked = plausible.with_columns(
        rivals=pl.len().over("source_record_id"),
        best=pl.col("probability").max().over("source_record_id"),
    )
    sure = (pl.col("rivals") == 1) & (pl.col("best") >= accept)
    columns = ["source_record_id", "elector_id", "probability"]
    return Decisions(
        links=ranked.filter(sure).select(columns),
        reviews=ranked.filter(~sure).select(columns),
    )
