"""Patterns and number ranges shared by the one-value and column phone checks.

As for email, each pattern sits in the common ground of Python's ``re`` and the
Rust ``regex`` crate behind Polars.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberDesc, PhoneNumberType

from contactable.checks.outcome import PhoneType

# "7.4e+09" and "4.47700900123E+11": a spreadsheet showing a long number in
# scientific notation. Saved like that, the digits beyond the shown ones are lost.
SCIENTIFIC = r"^([0-9])\.([0-9]+)[eE]\+?([0-9]{1,2})$"

# "7400123456.0": a number read as a decimal by a spreadsheet or by pandas.
DECIMAL_ZERO = r"^(\+?[0-9]+)\.0+$"

# An extension after the number: "ext 123", "x123", "extn. 12", "#12". Only
# after a whole number: in "07890x32109" the x stands for a digit.
EXTENSION_MIN_DIGITS = 10
EXTENSION = r"^(.*?[0-9)])[ ,;]*(?i:extension|extn|ext|x|#)[ .:#]*([0-9]{1,6})$"

# "07723 456789...": a number trailing off, perhaps cut short.
TRAILING_OFF = r"\.\.|\u2026"

# Digits typed as letters: O for 0, I and l for 1. Any other letter means the
# value is not a number.
LETTER_DIGITS = {"O": "0", "o": "0", "I": "1", "l": "1"}
LETTERS = r"[A-Za-z]"
ONLY_LETTER_DIGITS = r"^[0-9OoIl +()\-.]*$"

# The separators people put between digits, including Unicode dashes, and the
# "(0)" that British numbers carry after +44 in letterheads and signatures.
SEPARATORS = r"[ \-.()/\u2010\u2011\u2012\u2013\u2014\u2015\u2212\xa0]"
TRUNK_ZERO_AFTER_CODE = r"^(\+[0-9]{1,3}) *\( *0 *\)"
DIGITS = r"^\+?[0-9]+$"

PLACEHOLDER_TEXTS = frozenset(
    {
        "none",
        "n/a",
        "na",
        "nil",
        "null",
        "no",
        "0",
        "unknown",
        "not known",
        "not given",
        "refused",
        "declined",
        "ex directory",
        "ex-directory",
        "exdirectory",
        "withheld",
        "no phone",
        "no number",
        "no tel",
        "tbc",
        "-",
        "--",
        ".",
        "x",
        "?",
    }
)

# Numbers typed to fill a box: runs of one digit and counting sequences.
PLACEHOLDER_NUMBERS = frozenset(
    {
        "0123456789",
        "01234567890",
        "1234567890",
        "12345678910",
        "123456789",
        "07123456789",
        "07000000000",
        "0000000000",
        "00000000000",
        "07777777777",
        "07999999999",
        "01234567891",
    }
)
REPEATED_DIGIT = r"^0?(?:" + "|".join(f"{d}{{2,}}" for d in "0123456789") + ")$"

# Ofcom's ranges for drama and testing (Ofcom, "Telephone numbers for drama
# purposes"), as national significant numbers: no trunk 0.
FICTIONAL = (
    r"^(?:7700900[0-9]{3}"
    r"|1(?:1[3-8]|21|31|41|51|61)4960[0-9]{3}"
    r"|1914980[0-9]{3}"
    r"|2079460[0-9]{3}"
    r"|2896496[0-9]{3}"
    r"|2920180[0-9]{3}"
    r"|1632960[0-9]{3}"
    r"|8081570[0-9]{3}"
    r"|9098790[0-9]{3}"
    r"|3069990[0-9]{3})$"
)

# A British national significant number has ten digits, a few have nine or
# seven; fewer or more are digits missing or added.
NATIONAL_LENGTH = 10
LOCAL_NUMBER_LENGTHS = range(6, 9)

TYPE_NAMES: dict[int, PhoneType] = {
    PhoneNumberType.FIXED_LINE: PhoneType.LANDLINE,
    PhoneNumberType.MOBILE: PhoneType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: PhoneType.OTHER,
    PhoneNumberType.TOLL_FREE: PhoneType.FREEPHONE,
    PhoneNumberType.PREMIUM_RATE: PhoneType.PREMIUM,
    PhoneNumberType.SHARED_COST: PhoneType.NON_GEOGRAPHIC,
    PhoneNumberType.UAN: PhoneType.NON_GEOGRAPHIC,
    PhoneNumberType.VOIP: PhoneType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER: PhoneType.PERSONAL,
    PhoneNumberType.PAGER: PhoneType.PAGER,
    PhoneNumberType.VOICEMAIL: PhoneType.OTHER,
    PhoneNumberType.UNKNOWN: PhoneType.OTHER,
}


@dataclass(frozen=True, slots=True)
class NumberDescription:
    """One of libphonenumber's number descriptions: a pattern and its lengths."""

    pattern: str
    lengths: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RegionRanges:
    """libphonenumber's metadata for one region sharing +44, in the order its
    ``_number_type_helper`` consults it."""

    region: str
    general: NumberDescription
    leading_digits: str | None
    types: tuple[tuple[PhoneType, NumberDescription], ...]


# libphonenumber tests these before fixed line and mobile, in this order.
_TYPE_ORDER = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
    ("fixed_line", PhoneNumberType.FIXED_LINE),
    ("mobile", PhoneNumberType.MOBILE),
)


def _description(desc: PhoneNumberDesc, lengths: tuple[int, ...]) -> NumberDescription:
    pattern = desc.national_number_pattern or ""
    return NumberDescription(pattern, tuple(desc.possible_length) or lengths)


def _region_ranges(region: str) -> RegionRanges:
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.general_desc is None:
        raise RuntimeError(f"phonenumbers has no metadata for {region}")
    if metadata.same_mobile_and_fixed_line_pattern:
        # Not so for any region sharing +44; the column check relies on it.
        raise RuntimeError(f"{region} has one pattern for mobiles and landlines")
    general = _description(metadata.general_desc, ())
    types = []
    for field, number_type in _TYPE_ORDER:
        desc = getattr(metadata, field)
        if desc is not None and desc.national_number_pattern is not None:
            types.append((TYPE_NAMES[number_type], _description(desc, general.lengths)))
    return RegionRanges(region, general, metadata.leading_digits, tuple(types))


def uk_ranges() -> tuple[RegionRanges, ...]:
    """The ranges of every region behind +44, in libphonenumber's search order:
    Great Britain, then Guernsey, the Isle of Man and Jersey."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[44]
    return tuple(_region_ranges(region) for region in regions)
