"""A file's rows in our fields, checked for what an import cannot take.

Every problem in the file is found at once, so that a person can put them all
right before the import is tried again; the import itself is all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from contactable.linkage.keys import address_key, name_key, postcode_key
from contactable.sources import SourceTable
from contactable.sources.mappings import ADDRESS_LINES, ColumnMapping
from contactable.store import schema_constants as limits

ADDRESS_COLUMNS = [f"address_{n}" for n in range(1, ADDRESS_LINES + 1)]
TEXT_FIELDS = (
    "elector_number",
    "title",
    "forename",
    "middle_names",
    "surname",
    *ADDRESS_COLUMNS,
    "postcode",
    "uprn",
    "document_reference",
)
_LENGTHS = {
    "elector_number": limits.ELECTOR_NUMBER_LENGTH,
    "title": limits.TITLE_LENGTH,
    "forename": limits.NAME_LENGTH,
    "middle_names": limits.NAME_LENGTH,
    "surname": limits.NAME_LENGTH,
    **dict.fromkeys(ADDRESS_COLUMNS, limits.ADDRESS_LINE_LENGTH),
    "postcode": limits.POSTCODE_LENGTH,
    "uprn": limits.UPRN_LENGTH,
    "document_reference": limits.REFERENCE_LENGTH,
}
_LABELS = {
    "elector_number": "elector number",
    "middle_names": "middle names",
    "document_reference": "document reference",
    "uprn": "UPRN",
    **{c: f"address line {c[-1]}" for c in ADDRESS_COLUMNS},
}

# Day first, as British files write dates; ISO dates and date-times too.
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d/%m/%y",
    "%d %B %Y",
    "%d %b %Y",
)
_MONTH_FIRST_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y")
_DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
)

MAX_LISTED_ROWS = 50


@dataclass(frozen=True)
class RejectedRow:
    """A row the import cannot take, and why, in words for the person importing."""

    row: int
    reason: str


@dataclass(frozen=True)
class PreparedRows:
    """The file's rows in our fields.

    ``frame`` has ``row_number``, the fields in ``TEXT_FIELDS`` (null when the
    file has no such column), ``collected_on`` (Date), ``name_key``,
    ``address_key`` and ``postcode_key``, and the contact columns ``email_1``,
    ``email_2``, ... and ``phone_1``, ... as the file holds them.
    """

    frame: pl.DataFrame
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    rejected: tuple[RejectedRow, ...]


def _text(frame: pl.DataFrame, header: str | None) -> pl.Expr:
    if header is None:
        return pl.lit(None, pl.String)
    value = pl.col(header).cast(pl.String).str.strip_chars()
    return pl.when(value == "").then(pl.lit(None, pl.String)).otherwise(value)


def _dates(value: pl.Expr, day_first: bool) -> pl.Expr:
    formats = _DATE_FORMATS if day_first else _MONTH_FIRST_FORMATS
    parsed = [value.str.strptime(pl.Date, f, strict=False, exact=True) for f in formats]
    parsed += [
        value.str.strptime(pl.Datetime, f, strict=False, exact=True).dt.date()
        for f in _DATETIME_FORMATS
    ]
    return pl.coalesce(parsed)


def _elector_number(frame: pl.DataFrame, mapping: ColumnMapping) -> pl.Expr:
    """The full elector number: given whole, or built from district and number."""
    whole = _text(frame, mapping.header("elector_number"))
    district = _text(frame, mapping.header("polling_district"))
    suffix = _text(frame, mapping.header("elector_suffix"))

    # Xpress and others give the district ("prefix") and the number within it in
    # separate columns; a whole number such as "AB1-23" is taken as it is.
    whole_is_number = whole.str.contains(r"^[0-9]+$").fill_null(False)
    number = pl.coalesce(
        _text(frame, mapping.header("roll_number")),
        pl.when(whole_is_number).then(whole),
    )
    built = pl.concat_str([district, pl.lit("-"), number])
    built = (
        pl.when(suffix.is_null())
        .then(built)
        .otherwise(pl.concat_str([built, pl.lit("/"), suffix]))
    )
    compose = (
        district.is_not_null()
        & number.is_not_null()
        & (whole.is_null() | whole_is_number)
    )
    return pl.when(compose).then(built).otherwise(whole)


def _names(frame: pl.DataFrame, mapping: ColumnMapping) -> tuple[pl.Expr, pl.Expr]:
    """Forename and surname, split from a full name when the file has only that."""
    forename = _text(frame, mapping.header("forename"))
    surname = _text(frame, mapping.header("surname"))
    full = _text(frame, mapping.header("full_name"))
    if mapping.header("full_name") is None:
        return forename, surname
    # "Jo Anne Bloggs": the last word is the surname, the rest the forenames.
    last_space = full.str.find(r" [^ ]*$")
    split_forename = full.str.slice(0, last_space)
    split_surname = (
        pl.when(last_space.is_null())
        .then(full)
        .otherwise(full.str.slice(last_space + 1))
    )
    return pl.coalesce(forename, split_forename), pl.coalesce(surname, split_surname)


def prepare_rows(
    table: SourceTable, mapping: ColumnMapping, *, kind: str
) -> PreparedRows:
    """Put a file's rows in our fields and find every row the import cannot take."""
    source = table.frame
    forename, surname = _names(source, mapping)
    fields = {
        "elector_number": _elector_number(source, mapping),
        "title": _text(source, mapping.header("title")),
        "forename": forename,
        "middle_names": _text(source, mapping.header("middle_names")),
        "surname": surname,
        **{c: _text(source, mapping.header(c)) for c in ADDRESS_COLUMNS},
        "postcode": _text(source, mapping.header("postcode")),
        "uprn": _text(source, mapping.header("uprn")),
        "document_reference": _text(source, mapping.header("document_reference")),
    }
    date_text = _text(source, mapping.header("collected_on"))
    emails = {f"email_{i}": _text(source, h) for i, h in enumerate(mapping.emails, 1)}
    phones = {f"phone_{i}": _text(source, h) for i, h in enumerate(mapping.phones, 1)}
    frame = source.select(
        table.row_numbers.alias("row_number"),
        *(expr.alias(name) for name, expr in fields.items()),
        date_text.alias("_date_text"),
        *(expr.alias(name) for name, expr in {**emails, **phones}.items()),
    ).with_columns(
        collected_on=_dates(pl.col("_date_text"), mapping.day_first),
        # UPRNs are numbers, often written with leading zeros or ".0" by Excel.
        uprn=pl.col("uprn").str.replace(r"\.0+$", "").str.replace(r"^0+([0-9])", "$1"),
    )
    frame = frame.with_columns(
        name_key=name_key(pl.col("forename"), pl.col("surname")),
        address_key=address_key(
            [pl.col(c) for c in ADDRESS_COLUMNS], pl.col("postcode")
        ),
        postcode_key=postcode_key(pl.col("postcode")),
    )
    rejected = _rejected(frame, kind)
    return PreparedRows(
        frame.drop("_date_text"), tuple(emails), tuple(phones), tuple(rejected)
    )


def _rejected(frame: pl.DataFrame, kind: str) -> list[RejectedRow]:
    reasons: list[tuple[str, pl.Expr]] = []
    for name, length in _LENGTHS.items():
        label = _LABELS.get(name, name)
        reasons.append(
            (
                f"the {label} is longer than {length} characters",
                pl.col(name).str.len_chars() > length,
            )
        )
    reasons += [
        (
            "the UPRN is not a number of up to 12 digits",
            ~pl.col("uprn").str.contains(r"^[0-9]{1,12}$"),
        ),
        (
            "the date could not be read; write it as DD/MM/YYYY or YYYY-MM-DD",
            pl.col("_date_text").is_not_null() & pl.col("collected_on").is_null(),
        ),
    ]
    if kind == "register":
        reasons += [
            ("there is no elector number", pl.col("elector_number").is_null()),
            ("there is no surname", pl.col("surname").is_null()),
        ]
    else:
        has_address = pl.any_horizontal(
            [pl.col(c).is_not_null() for c in (*ADDRESS_COLUMNS, "postcode", "uprn")]
        )
        reasons.append(
            (
                "there is no elector number, and no name and address to match by",
                pl.col("elector_number").is_null()
                & (pl.col("surname").is_null() | ~has_address),
            )
        )

    flagged = frame.select(
        "row_number",
        *(expr.fill_null(False).alias(f"_{i}") for i, (_, expr) in enumerate(reasons)),
    )
    rejected = []
    for row in flagged.filter(pl.any_horizontal(pl.exclude("row_number"))).iter_rows():
        found = [reasons[i][0] for i, bad in enumerate(row[1:]) if bad]
        rejected.append(RejectedRow(int(row[0]), "; ".join(found)))
    return rejected
