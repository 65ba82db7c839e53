"""People on both sides of a link, in the columns that matching compares.

Source records and electors arrive as frames with the store's columns
(``forename``, ``surname``, ``address_1`` to ``address_5``, ``postcode``,
``uprn``); ``comparable`` gives both the same derived columns, so that the
exact steps and the probabilistic model read one shape.
"""

from __future__ import annotations

import polars as pl

from contactable.linkage.keys import fold_text, postcode_key
from contactable.linkage.names import family_name, given_name, name_forms

ADDRESS_LINE_COLUMNS = tuple(f"address_{n}" for n in range(1, 6))

# The columns ``comparable`` adds, which the model's comparisons read.
COMPARISON_COLUMNS = (
    "unique_id",
    "forename",
    "surname",
    "forename_names",
    "forename_initial",
    "surname_initial",
    "uprn",
    "postcode",
    "outward",
    "premises",
    "street",
    "house_name",
)


def _premises(text: pl.Expr) -> pl.Expr:
    """The numbers of the address in order ("Flat 2, 10a High St" is "2 10a").

    Flats in one building share the building's number and postcode, so the
    flat's own number must be part of what is compared.
    """
    numbers = (
        text.str.replace_all(r"\b[a-z][0-9a-z]*\b", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    return pl.when(numbers == "").then(pl.lit(None, pl.String)).otherwise(numbers)


def _street(text: pl.Expr, second_line: pl.Expr) -> pl.Expr:
    """The first word of the street: the word after the house number ("10
    Thornton Rd" gives "thornton"), or the second line's first word after a
    house name. It finds an address whose postcode is missing or mistyped."""
    after_number = text.str.extract(r"\b[0-9]+[a-z]?\s+([a-z]{3,})", 1)
    after_name = second_line.str.extract(r"^([a-z]{3,})", 1)
    return pl.coalesce(after_number, after_name)


def _house_name(first_line: pl.Expr) -> pl.Expr:
    """The first address line when it names the house rather than numbers it."""
    named = (first_line != "") & ~first_line.str.contains(r"[0-9]")
    return pl.when(named).then(first_line).otherwise(pl.lit(None, pl.String))


def _name_forms(given: pl.Series) -> pl.DataFrame:
    # Worked out once for each different name: a council has a few thousand.
    names = given.drop_nulls().unique().to_frame("forename")
    return names.with_columns(name_forms(pl.col("forename")).alias("forename_names"))


def comparable(frame: pl.DataFrame, id_column: str) -> pl.DataFrame:
    """``frame`` with the columns of COMPARISON_COLUMNS, ``id_column`` as
    ``unique_id``; the store's ``forename`` and ``surname`` are replaced by
    their compared forms and kept as ``forename_as_written`` and
    ``surname_as_written``."""
    lines = [
        fold_text(pl.col(c) if c in frame.columns else pl.lit(None, pl.String))
        for c in ADDRESS_LINE_COLUMNS
    ]
    postcode = postcode_key(pl.col("postcode"))
    uprn = pl.col("uprn").cast(pl.String)
    people = frame.with_columns(
        pl.col(id_column).cast(pl.Int64).alias("unique_id"),
        pl.col("forename").alias("forename_as_written"),
        pl.col("surname").alias("surname_as_written"),
        given_name(pl.col("forename")).alias("forename"),
        family_name(pl.col("surname")).alias("surname"),
        pl.when(uprn == "").then(pl.lit(None, pl.String)).otherwise(uprn).alias("uprn"),
        postcode.alias("postcode"),
        # The outward code is all but the last three characters of a postcode.
        postcode.str.slice(0, postcode.str.len_chars() - 3).alias("outward"),
        pl.concat_str(lines, separator=" ").alias("_text"),
        lines[0].alias("_first_line"),
        lines[1].alias("_second_line"),
    )
    return (
        people.with_columns(
            _premises(pl.col("_text")).alias("premises"),
            _street(pl.col("_text"), pl.col("_second_line")).alias("street"),
            _house_name(pl.col("_first_line")).alias("house_name"),
            pl.col("forename").str.slice(0, 1).alias("forename_initial"),
            pl.col("surname").str.slice(0, 1).alias("surname_initial"),
        )
        .drop("_text", "_first_line", "_second_line")
        .join(
            _name_forms(people.get_column("forename")),
            on="forename",
            how="left",
            maintain_order="left",
        )
        .with_columns(
            pl.col("forename_names").fill_null(pl.lit([], pl.List(pl.String)))
        )
    )
