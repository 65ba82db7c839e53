"""Names in the forms that matching compares: the given name, the family name,
and the familiar forms a given name goes by (Bill for William, Peggy for
Margaret).

A council record often writes a whole name in one cell, with a title ("Mr J
Smith") or with the forename first in the surname column; the register writes
each part in its own column. The forms here take the first given name without
its title, and fold case and punctuation away, so that both sides read alike.
"""

from __future__ import annotations

import functools
from importlib import resources

import polars as pl

from contactable.linkage.keys import fold_text

# Titles that a full name cell can start with; they are not given names.
TITLES = (
    "mr",
    "mrs",
    "miss",
    "ms",
    "mx",
    "dr",
    "rev",
    "revd",
    "sir",
    "dame",
    "lady",
    "lord",
    "prof",
    "master",
)
_TITLE_PATTERN = r"^(?:(?:" + "|".join(TITLES) + r")\s+)+"


@functools.cache
def nickname_groups() -> dict[str, tuple[str, ...]]:
    """Each folded forename, full or familiar, and the full names it stands for.

    >>> nickname_groups()["bill"]
    ('william',)
    """
    text = resources.files("contactable.data").joinpath("nicknames.txt")
    groups: dict[str, set[str]] = {}
    for line in text.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        full, _, familiar = line.partition(":")
        full = full.strip().lower()
        groups.setdefault(full, set()).add(full)
        for name in familiar.split(","):
            if name.strip():
                groups.setdefault(name.strip().lower(), set()).add(full)
    return {name: tuple(sorted(fulls)) for name, fulls in groups.items()}


def given_name(forename: pl.Expr) -> pl.Expr:
    """The first given name, folded, without a title; null when there is none."""
    words = fold_text(forename).str.replace(_TITLE_PATTERN, "")
    first = words.str.extract(r"^([0-9a-z]+)", 1)
    return pl.when(first == "").then(pl.lit(None, pl.String)).otherwise(first)


def family_name(surname: pl.Expr) -> pl.Expr:
    """The surname folded into one word ("O'Neill-Hart" is "oneillhart")."""
    folded = fold_text(surname).str.replace_all(" ", "")
    return pl.when(folded == "").then(pl.lit(None, pl.String)).otherwise(folded)


def name_forms(given: pl.Expr) -> pl.Expr:
    """The given name and every full name it may be short for, as a list.

    Two people's lists share a name when one could be known by the other's
    name: ["bill", "william"] and ["william"] share "william".
    """
    groups = nickname_groups()
    keys = list(groups)
    fulls = [list(groups[k]) for k in keys]
    expanded = given.replace_strict(
        keys, fulls, default=None, return_dtype=pl.List(pl.String)
    )
    return (
        pl.concat_list(given, expanded.fill_null(pl.lit([], pl.List(pl.String))))
        .list.drop_nulls()
        .list.unique()
        .list.sort()
    )
