"""The probabilistic model: Splink settings shared by DuckDB and Spark.

Two comparisons only, so that no evidence is counted twice:

- the name, as one comparison from the surest agreement down (the same name,
  the forename and surname swapped, a familiar form, a typing slip in one
  part, an initial for a forename, the surname alone);
- the address, as one hierarchy: the same UPRN, else the same postcode and
  house number or house name, else the same postcode (weaker when both give
  UPRNs and they differ), else the same number on the same street (a
  postcode mistyped or missing), else anything else.

People in one household share every address field, so the address cannot
tell them apart: only the name can. The model therefore gives a match on the
surname alone a weight below nothing, and the address is never enough by
itself.

The m probabilities (how often a true match shows each level) are fixed
here, from what council records get wrong: expectation maximisation on
council data learns household members as matches, since they agree on
everything but one name. The u probabilities (how often two strangers agree)
are measured on each council's own data when there is enough of it.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
from splink import SettingsCreator, block_on
from splink.comparison_library import CustomComparison
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

# How alike two spellings must be to be taken as a slip: Jaro-Winkler 0.88
# ("Smith"/"Smyth", "Catherine"/"Katherine"), or one letter wrong, missing,
# or added (Levenshtein 1: "Nozh"/"Noah", "Jill"/"Hill",
# whose first letters Jaro-Winkler weighs too heavily). "Tom"/"Tim" are two
# people, and household members' names are seldom one slip apart.
SIMILAR = 0.88
SLIPS = 1

# A council of this many electors is what the default u values describe.
TYPICAL_ELECTORS = 150_000

# Each level: its label, then (m, u). The m values are fixed; the u values
# are set by hand to a council of TYPICAL_ELECTORS and are measured again on a
# council's own data when it has enough records to measure them by
# (contactable.linkage.probabilistic.MIN_TRAINING_RECORDS).
NAME_LEVELS: dict[str, tuple[float, float]] = {
    "same name": (0.80, 3.0e-5),
    "forename and surname swapped": (0.01, 1.0e-7),
    "familiar form of the forename": (0.05, 3.0e-5),
    "forename mistyped": (0.03, 8.0e-5),
    "surname mistyped": (0.03, 5.0e-5),
    "initial for the forename": (0.035, 2.0e-5),
    "initial, surname mistyped": (0.005, 5.0e-6),
    "swapped, with a slip or an initial": (0.005, 1.0e-7),
    "both mistyped": (0.01, 2.0e-4),
    "surname only": (0.001, 4.0e-3),
    "anything else": (0.024, 0.9955),
}
ADDRESS_LEVELS: dict[str, tuple[float, float]] = {
    "same UPRN": (0.75, 7.0e-6),
    "same postcode and premises": (0.2, 7.0e-6),
    "same postcode": (0.022, 1.0e-4),
    "same postcode, another UPRN": (0.003, 1.0e-4),
    "same premises and street in the district": (0.015, 1.0e-5),
    "anything else": (0.01, 0.9999),
}


class _Similar(ComparisonLevelCreator):
    """``first`` on the left spelt like ``second`` on the right (the same
    column by default; a forename against a surname finds swaps)."""

    def __init__(self, first: str, second: str | None = None) -> None:
        self.first, self.second = first, second or first

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        left, right = f"{self.first}_l", f"{self.second}_r"
        return (
            f"({sql_dialect.jaro_winkler_function_name}({left}, {right}) "
            f">= {SIMILAR} OR {sql_dialect.levenshtein_function_name}"
            f"({left}, {right}) <= {SLIPS})"
        )

    def create_label_for_charts(self) -> str:
        return f"{self.first} like {self.second}"


def _levels(levels: list[Any], parameters: dict[str, tuple[float, float]]) -> list[Any]:
    for level, (label, (m, u)) in zip(levels[1:], parameters.items(), strict=True):
        level.configure(m_probability=m, u_probability=u, label_for_charts=label)
    return levels


def _swapped_loosely() -> Any:
    """The forename written as the surname and the other way round, with a slip
    in them or an initial for the forename ("Ali H" for Harold Ali)."""
    with_initial = " OR ".join(
        f"(forename_{this} = surname_{that} AND length(surname_{this}) = 1 "
        f"AND surname_{this} = substr(forename_{that}, 1, 1))"
        for this, that in (("l", "r"), ("r", "l"))
    )
    return cll.Or(
        cll.And(_Similar("forename", "surname"), _Similar("surname", "forename")),
        cll.CustomLevel(with_initial),
    )


def _name_comparison() -> CustomComparison:
    surname_agrees = cll.ExactMatchLevel("surname")
    familiar = cll.ArrayIntersectLevel("forename_names", 1)
    initial = cll.CustomLevel(
        "substr(forename_l, 1, 1) = substr(forename_r, 1, 1) "
        "AND (length(forename_l) = 1 OR length(forename_r) = 1)"
    )
    levels = [
        cll.Or(cll.NullLevel("forename"), cll.NullLevel("surname")).configure(
            is_null_level=True
        ),
        cll.And(cll.ExactMatchLevel("forename"), surname_agrees),
        cll.ColumnsReversedLevel("forename", "surname", symmetrical=True),
        cll.And(surname_agrees, familiar),
        cll.And(surname_agrees, _Similar("forename")),
        cll.And(_Similar("surname"), cll.Or(cll.ExactMatchLevel("forename"), familiar)),
        cll.And(surname_agrees, initial),
        cll.And(_Similar("surname"), initial),
        _swapped_loosely(),
        cll.And(_Similar("surname"), _Similar("forename")),
        surname_agrees,
        cll.ElseLevel(),
    ]
    return CustomComparison(
        _levels(levels, NAME_LEVELS),
        output_column_name="name",
        comparison_description="forename and surname together",
    )


def _address_comparison() -> CustomComparison:
    levels = [
        cll.CustomLevel(
            "(uprn_l IS NULL AND postcode_l IS NULL AND premises_l IS NULL) "
            "OR (uprn_r IS NULL AND postcode_r IS NULL AND premises_r IS NULL)"
        ).configure(is_null_level=True),
        cll.ExactMatchLevel("uprn"),
        cll.And(
            cll.ExactMatchLevel("postcode"),
            cll.Or(cll.ExactMatchLevel("premises"), cll.ExactMatchLevel("house_name")),
        ),
        cll.CustomLevel(
            "postcode_l = postcode_r AND (uprn_l IS NULL OR uprn_r IS NULL)"
        ),
        # Two UPRNs that differ are two places, even in one postcode: flats.
        cll.ExactMatchLevel("postcode"),
        # A postcode mistyped or missing: the same number on the same street,
        # in the same postal district where both give one.
        cll.CustomLevel(
            "premises_l = premises_r AND street_l = street_r "
            "AND (outward_l = outward_r OR outward_l IS NULL OR outward_r IS NULL)"
        ),
        cll.ElseLevel(),
    ]
    return CustomComparison(
        _levels(levels, ADDRESS_LEVELS),
        output_column_name="address",
        comparison_description="UPRN, then postcode and premises, then postcode",
    )


def blocking_rules() -> list[Any]:
    """The pairs the model scores: those with the same UPRN; in one postcode,
    those that share an initial of either name or the house number, or whose
    initials are swapped; and those with the same number on the same street
    in one postal district, or where a postcode is left out, which finds a
    postcode mistyped or missing.

    A postcode holds some forty electors; comparing a record with all of them
    would cost ten times as much and find hardly any more.
    """
    return [
        block_on("uprn"),
        block_on("postcode", "surname_initial"),
        block_on("postcode", "forename_initial"),
        block_on("postcode", "premises"),
        "l.postcode = r.postcode AND l.forename_initial = r.surname_initial",
        block_on("street", "premises", "outward"),
        "l.street = r.street AND l.premises = r.premises "
        "AND (l.outward IS NULL OR r.outward IS NULL)",
    ]


def link_settings(electors: int = TYPICAL_ELECTORS) -> SettingsCreator:
    """Splink settings for linking source records (left) to ``electors`` (right).

    A record matches at most one of the electors, so the chance that a pair
    drawn at random matches is one in the number of electors.
    """
    return SettingsCreator(
        link_type="link_only",
        comparisons=[_name_comparison(), _address_comparison()],
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=1 / max(electors, 2),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
