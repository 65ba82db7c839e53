"""Values held for many electors at different addresses (the ``shared`` problem).

A family often shares one address; the same email or phone at many different
addresses is more often a landlord's, an agent's or a member of staff's typed in
to fill the box. Such values stay usable but are marked for a person to look at.
"""

from __future__ import annotations

import polars as pl

from contactable.checks.outcome import Problem, Status

DEFAULT_SHARED_THRESHOLD = 4


def address_key(frame: pl.DataFrame, columns: list[str]) -> pl.Series | None:
    """One comparable key per row from its address columns, or None if there are none.

    Case, spacing and punctuation are ignored, so "1 High St" and "1 HIGH ST."
    are the same address.
    """
    if not columns:
        return None

    parts = [
        pl.col(c)
        .cast(pl.String)
        .fill_null("")
        .str.to_lowercase()
        .str.replace_all(r"[^0-9a-z]+", "")
        for c in columns
    ]
    return frame.select(pl.concat_str(parts, separator="|").alias("key")).get_column(
        "key"
    )


def mark_shared(
    results: pl.DataFrame,
    *,
    addresses: pl.Series | None,
    threshold: int = DEFAULT_SHARED_THRESHOLD,
) -> pl.DataFrame:
    """Mark usable values that stand at ``threshold`` or more different addresses.

    ``results`` has the ``status``, ``normalised`` and ``problem`` columns of a
    column check. Without addresses, each row counts as an address of its own.
    """
    if threshold < 2:
        raise ValueError(f"The shared threshold must be 2 or more, not {threshold}")

    key = (
        pl.int_range(pl.len(), dtype=pl.UInt32).cast(pl.String)
        if addresses is None
        else pl.Series("_address", addresses)
    )
    work = results.with_columns(_address=key)
    usable = (pl.col("status") == Status.OK.value) & pl.col("normalised").is_not_null()
    counts = (
        work.filter(usable)
        .group_by("normalised")
        .agg(pl.col("_address").n_unique().alias("_places"))
        .filter(pl.col("_places") >= threshold)
    )
    if counts.is_empty():
        return results

    marked = work.join(counts, on="normalised", how="left", maintain_order="left")
    return marked.with_columns(
        problem=pl.when(
            usable & pl.col("_places").is_not_null() & pl.col("problem").is_null()
        )
        .then(pl.lit(Problem.SHARED.value))
        .otherwise(pl.col("problem"))
    ).drop("_address", "_places")
