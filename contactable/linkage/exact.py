"""The sure steps of the cascade, before any model is asked.

A record is linked here only when exactly one elector fits:

1. ``elector_number``: the record gives an elector's number and the name
   agrees with theirs: the same surname, and forenames that share an initial
   or are spelt nearly alike (a form filled in by hand says "Jon" or "J").
2. ``uprn_name``: the record's UPRN is the elector's property's, with the
   same given name and surname.
3. ``address_name``: the same written address (``address_key``) and name.

Two electors who fit one record equally (a father and son of one name at one
address) leave it for the model, which sends such a pair to review.
"""

from __future__ import annotations

import polars as pl
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

# How alike two forenames must be for a record that gives an elector number.
# Jaro-Winkler 0.85 takes "Jon"/"John" and "Katharine"/"Katherine" but not
# "Tom"/"Tim", which are two people.
FORENAME_SIMILARITY = 0.85

LINK_COLUMNS = ("source_record_id", "elector_id", "link_method")


def _similarity(left: pl.Series, right: pl.Series) -> pl.Series:
    scores = cpdist(
        left.fill_null("").to_list(),
        right.fill_null("").to_list(),
        scorer=JaroWinkler.normalized_similarity,
        workers=-1,
    )
    return pl.Series(scores, dtype=pl.Float64)


def _by_elector_number(records: pl.DataFrame, electors: pl.DataFrame) -> pl.DataFrame:
    candidates = records.drop_nulls("elector_number").join(
        electors.drop_nulls("elector_number"), on="elector_number", suffix="_elector"
    )
    if candidates.is_empty():
        return pl.DataFrame(schema=_schema())

    close = _similarity(
        candidates.get_column("forename"), candidates.get_column("forename_elector")
    )
    same_initial = pl.col("forename").str.slice(0, 1) == pl.col(
        "forename_elector"
    ).str.slice(0, 1)
    agreed = candidates.with_columns(close=close).filter(
        (pl.col("surname") == pl.col("surname_elector"))
        & (same_initial | (pl.col("close") >= FORENAME_SIMILARITY))
    )
    return agreed.select(
        pl.col("unique_id").alias("source_record_id"),
        pl.col("unique_id_elector").alias("elector_id"),
        pl.lit("elector_number").alias("link_method"),
    )


def _by_place_and_name(
    records: pl.DataFrame, electors: pl.DataFrame, place: str, method: str
) -> pl.DataFrame:
    keys = [place, "surname", "forename"]
    candidates = records.drop_nulls(keys).join(
        electors.drop_nulls(keys), on=keys, suffix="_elector"
    )
    # Only a record that one elector fits is sure.
    single = candidates.filter(pl.len().over("unique_id") == 1)
    return single.select(
        pl.col("unique_id").alias("source_record_id"),
        pl.col("unique_id_elector").alias("elector_id"),
        pl.lit(method).alias("link_method"),
    )


def _schema() -> dict[str, pl.DataType]:
    return {
        "source_record_id": pl.Int64(),
        "elector_id": pl.Int64(),
        "link_method": pl.String(),
    }


def exact_links(records: pl.DataFrame, electors: pl.DataFrame) -> pl.DataFrame:
    """The records each step links, with the step's name, one row a record.

    Both frames are ``comparable`` ones with ``elector_number`` and
    ``address_key``; ``unique_id`` is the source record's id on the left and
    the elector's on the right.
    """
    # A key of only "|" is an empty address: nothing to compare.
    with_address = pl.col("address_key").str.contains(r"\|.")
    electors = electors.with_columns(
        address_key=pl.when(with_address).then(pl.col("address_key"))
    )
    records = records.with_columns(
        address_key=pl.when(with_address).then(pl.col("address_key"))
    )
    found = []
    remaining = records
    for place, method in (
        (None, "elector_number"),
        ("uprn", "uprn_name"),
        ("address_key", "address_name"),
    ):
        if place is None:
            links = _by_elector_number(remaining, electors)
        else:
            links = _by_place_and_name(remaining, electors, place, method)
        found.append(links)
        remaining = remaining.join(
            links, left_on="unique_id", right_on="source_record_id", how="anti"
        )
    return pl.concat(found).select(LINK_COLUMNS)
