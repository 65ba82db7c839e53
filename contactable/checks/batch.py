"""Check whole columns at once on Polars data frames.

The column checks give, row for row, exactly what the one-value checks in
``email_address`` and ``phone_number`` give. They get their speed by doing the
common cases as vectorised string operations and by judging each distinct domain
once; the rare values that need the full libraries (anything beyond ASCII, quoted
addresses, numbers from abroad, letters in a phone number) are handed to the
one-value check, once per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from contactable.checks import email_rules as er
from contactable.checks import phone_rules as pr
from contactable.checks.domains import TOP_LEVEL_DOMAINS, domain_verdicts
from contactable.checks.email_address import check_email
from contactable.checks.outcome import PhoneType, Problem, Status
from contactable.checks.phone_number import check_phone
from contactable.checks.text import INVISIBLE_CLASS, WHITESPACE, WHITESPACE_CLASS

EMAIL_FIELDS = ("status", "normalised", "problem", "suggestion")
PHONE_FIELDS = (*EMAIL_FIELDS, "type", "region")

_ROW = "_row"
_SPECIAL_USE = "|".join(er.SPECIAL_USE_SUFFIXES)
_TLDS = sorted(TOP_LEVEL_DOMAINS)
_MAILBOX_NAME = "^(?i:" + "|".join(sorted(er.MAILBOX_NAMES_WITHOUT_CASE)) + ")$"

# Polars writes a group in a replacement as $1 where Python writes \1.
_TRUNK_ZERO_REPLACEMENT = "${1}"


def _lit(value: str | None) -> pl.Expr:
    return pl.lit(value, dtype=pl.String)


def _empty_result(fields: tuple[str, ...]) -> pl.DataFrame:
    schema = {_ROW: pl.UInt32, **dict.fromkeys(fields, pl.String)}
    return pl.DataFrame(schema=schema)


def _one_value_checks(
    frame: pl.DataFrame, check: Callable[[str], Any], fields: tuple[str, ...]
) -> pl.DataFrame:
    """Hand rows to a one-value check, once per distinct raw value."""
    if frame.is_empty():
        return _empty_result(fields)

    distinct = frame.get_column("raw").unique()
    results = [check(value) for value in distinct.to_list()]
    columns: dict[str, list[str | None]] = {field: [] for field in fields}
    for result in results:
        for field in fields:
            value = getattr(result, field)
            columns[field].append(None if value is None else str(value))
    table = pl.DataFrame(
        {"raw": distinct, **columns},
        schema={"raw": pl.String, **dict.fromkeys(fields, pl.String)},
    )
    joined = frame.select(_ROW, "raw").join(
        table, on="raw", how="left", nulls_equal=True
    )
    return joined.select(_ROW, *fields)


def _verdict_table(domains: pl.Series) -> pl.DataFrame:
    """Each distinct domain's problem and suggested domain."""
    distinct = domains.drop_nulls().unique()
    verdicts = domain_verdicts(distinct.to_list())
    return pl.DataFrame(
        {
            "_domain": distinct,
            "_v_problem": [
                None if v.problem is None else str(v.problem) for v in verdicts
            ],
            "_v_suggestion": [v.suggestion for v in verdicts],
        },
        schema={
            "_domain": pl.String,
            "_v_problem": pl.String,
            "_v_suggestion": pl.String,
        },
    )


# ---------------------------------------------------------------------------
# Email


def _email_text(raw: pl.Expr) -> pl.Expr:
    """The expression form of ``email_address.normalise_email_text``."""
    text = (
        raw.fill_null("")
        .str.replace_all(INVISIBLE_CLASS, "")
        .str.strip_chars(WHITESPACE)
        .str.replace_many(list(er.FULL_WIDTH), list(er.FULL_WIDTH.values()))
    )
    text = (
        pl.when(text.str.contains(er.DISPLAY_NAME))
        .then(text.str.extract(er.DISPLAY_NAME, 1).str.strip_chars(WHITESPACE))
        .otherwise(text)
    )
    text = text.str.replace(er.MAILTO, "").str.strip_chars(WHITESPACE)
    local = text.str.extract(r"(?s)^(.*)@[^@]*$", 1)
    domain = text.str.extract(r"(?s)@([^@]*)$", 1)
    return (
        pl.when(text.str.contains("@", literal=True))
        .then(pl.concat_str(local, _lit("@"), domain.str.to_lowercase()))
        .otherwise(text)
    )


def _split_last_at(text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    return (
        text.str.extract(r"(?s)^(.*)@[^@]*$", 1),
        text.str.extract(r"(?s)@([^@]*)$", 1),
    )


def _is_plain(text: pl.Expr, domain: pl.Expr) -> pl.Expr:
    """Whether email-validator (DNS off) accepts an ASCII address: see email_rules."""
    return (
        text.str.contains(er.PLAIN_ADDRESS)
        & (text.str.len_bytes() <= er.MAX_ADDRESS_LENGTH)
        & ~text.str.contains("--", literal=True)
        & ~domain.str.contains(rf"(?:^|\.)(?:{_SPECIAL_USE})$")
    ).fill_null(False)


def _mailbox_local(local: pl.Expr) -> pl.Expr:
    # email-validator lower-cases the RFC 2142 mailbox names (info@, sales@).
    lowered = local.str.to_lowercase()
    return (
        pl.when(lowered.is_in(list(er.MAILBOX_NAMES_WITHOUT_CASE)))
        .then(lowered)
        .otherwise(local)
    )


def _with_verdict(
    frame: pl.DataFrame, domain: str, verdicts: pl.DataFrame
) -> pl.DataFrame:
    return frame.join(verdicts, left_on=domain, right_on="_domain", how="left")


def _domain_fixed(local: pl.Expr, domain: pl.Expr) -> pl.Expr:
    """``_with_domain_fixed``'s address: the verdict's suggestion applied."""
    return (
        pl.when(pl.col("_v_suggestion").is_not_null())
        .then(pl.concat_str(local, _lit("@"), pl.col("_v_suggestion")))
        .when(pl.col("_v_problem") == Problem.UNKNOWN_TLD.value)
        .then(_lit(None))
        .otherwise(pl.concat_str(local, _lit("@"), domain))
    )


def _suggestions(
    frame: pl.DataFrame, candidate: str, verdicts: pl.DataFrame
) -> pl.Series:
    """``email_address._suggest`` for a column of candidates (None for none)."""
    local, domain = _split_last_at(pl.col(candidate))
    work = frame.select(
        pl.col(candidate).alias("_c"),
        local.alias("_c_local"),
        domain.alias("_c_domain"),
    ).with_columns(_c_plain=_is_plain(pl.col("_c"), pl.col("_c_domain")))
    work = _with_verdict(work, "_c_domain", verdicts)
    fixed = _domain_fixed(_mailbox_local(pl.col("_c_local")), pl.col("_c_domain"))
    result = work.select(
        pl.when(pl.col("_c_plain")).then(fixed).otherwise(_lit(None)).alias("s")
    )
    return result.get_column("s")


def _repaired(squeezed: pl.Expr) -> pl.Expr:
    """The expression form of ``email_address.repair_punctuation``."""
    text = (
        squeezed.str.strip_chars_start(er.LEADING_JUNK)
        .str.strip_chars_end(er.TRAILING_JUNK)
        .str.replace_all(er.REPEATED_AT, "@")
    )
    local = text.str.extract(r"(?s)^([^@]*)@", 1)
    domain = text.str.extract(r"(?s)^[^@]*@(.*)$", 1)
    local = local.str.replace_all(er.REPEATED_DOT, ".").str.strip_chars(er.LOCAL_EDGE)
    domain = (
        domain.str.replace_all(er.DOMAIN_COMMA, ".")
        .str.replace_all(er.REPEATED_DOT, ".")
        .str.strip_chars_start(er.DOMAIN_LEADING)
        .str.strip_chars_end(er.DOMAIN_TRAILING)
    )
    return (
        pl.when(text.str.count_matches("@", literal=True) == 1)
        .then(pl.concat_str(local, _lit("@"), domain))
        .otherwise(text)
    )


def _dotless_table(domains: pl.Series) -> pl.DataFrame:
    from contactable.checks.domains import dotless_domain_fix

    distinct = domains.drop_nulls().unique()
    return pl.DataFrame(
        {
            "_dotless": distinct,
            "_dotless_fix": [dotless_domain_fix(d) for d in distinct],
        },
        schema={"_dotless": pl.String, "_dotless_fix": pl.String},
    )


def _invalid_emails(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows email-validator rejects: say why, and suggest a repair where safe.

    Returns the judged rows and the rows to hand to the one-value check.
    """
    text = pl.col("text")
    squeezed = text.str.replace_all(WHITESPACE_CLASS, "")
    work = frame.with_columns(
        _has_at=text.str.contains("@", literal=True),
        _squeezed=squeezed,
    ).with_columns(_repaired=_repaired(pl.col("_squeezed")))

    # The domain of a repair without a dot, filled in where a provider is plain.
    repaired_domain = pl.col("_repaired").str.extract(r"(?s)^[^@]*@(.*)$", 1)
    work = work.with_columns(_r_domain=repaired_domain)
    dotless = _dotless_table(
        work.filter(~pl.col("_r_domain").str.contains(".", literal=True)).get_column(
            "_r_domain"
        )
    )
    work = work.join(dotless, left_on="_r_domain", right_on="_dotless", how="left")
    r_local = pl.col("_repaired").str.extract(r"(?s)^([^@]*)@", 1)
    work = work.with_columns(
        _candidate=pl.when(
            pl.col("_r_domain").is_null()
            | pl.col("_r_domain").str.contains(".", literal=True)
        )
        .then(pl.col("_repaired"))
        .when(pl.col("_dotless_fix").is_not_null())
        .then(pl.concat_str(r_local, _lit("@"), pl.col("_dotless_fix")))
        .otherwise(_lit(None))
    )

    # Missing @: the provider's domain typed straight after the local part.
    missing = (
        pl.col("_squeezed")
        .str.strip_chars_end(er.TRAILING_JUNK)
        .str.extract_groups(er.MISSING_AT)
    )
    work = work.with_columns(
        _missing_candidate=pl.concat_str(
            missing.struct.field("1"),
            _lit("@"),
            missing.struct.field("2").str.to_lowercase(),
        )
    )

    # The ending of an address whose only fault is its top-level domain.
    local, domain = (
        text.str.extract(r"(?s)^([^@]*)@", 1),
        text.str.extract(r"(?s)^[^@]*@(.*)$", 1),
    )
    work = work.with_columns(
        _t_local=local,
        _t_domain=domain,
        _t_tld_known=domain.str.extract(r"([^.]*)$", 1).is_in(_TLDS),
    )

    # A repair that produced something only the full check can judge goes there.
    to_full = pl.col("_candidate").str.contains(er.NEEDS_FULL_CHECK).fill_null(False)
    full = work.filter(to_full)
    work = work.filter(~to_full)

    domains = pl.concat(
        [
            _split_last_at(pl.col("_candidate"))[1],
            _split_last_at(pl.col("_missing_candidate"))[1],
            pl.col("_t_domain"),
        ]
    )
    verdicts = _verdict_table(work.select(domains.alias("d")).get_column("d"))
    work = work.with_columns(
        _s_candidate=_suggestions(work, "_candidate", verdicts),
        _s_missing=_suggestions(work, "_missing_candidate", verdicts),
    )
    work = _with_verdict(work, "_t_domain", verdicts).with_columns(
        _tld_candidate=pl.when(pl.col("_v_suggestion").is_not_null()).then(
            pl.concat_str(pl.col("_t_local"), _lit("@"), pl.col("_v_suggestion"))
        )
    )
    work = work.with_columns(_s_tld=_suggestions(work, "_tld_candidate", verdicts))

    digits = text.str.count_matches("[0-9]")
    phone_like = (digits >= er.MIN_PHONE_DIGITS) & text.str.contains(er.PHONE_LIKE)
    several_at = (
        pl.col("_squeezed").str.replace_all(er.REPEATED_AT, "@").str.count_matches("@")
        > 1
    )
    problem = (
        pl.when(~pl.col("_has_at") & phone_like)
        .then(_lit(Problem.PHONE_IN_EMAIL))
        .when(~pl.col("_has_at"))
        .then(_lit(Problem.MISSING_AT))
        .when(several_at)
        .then(_lit(Problem.SYNTAX))
        .when(pl.col("_squeezed") != text)
        .then(_lit(Problem.WHITESPACE))
        .when(pl.col("_repaired") != pl.col("_squeezed"))
        .then(_lit(Problem.PUNCTUATION))
        .when(
            pl.col("_candidate").is_null()
            | (pl.col("_candidate") != pl.col("_repaired"))
        )
        .then(_lit(Problem.UNKNOWN_TLD))
        .when(pl.col("_t_domain").str.contains(rf"(?:^|\.)(?:{_SPECIAL_USE})$"))
        .then(_lit(Problem.SYNTAX))
        .when(~pl.col("_t_tld_known"))
        .then(_lit("tld_only"))
        .otherwise(_lit(Problem.SYNTAX))
    )
    work = work.with_columns(_problem=problem)
    suggestion = (
        pl.when(pl.col("_problem") == Problem.MISSING_AT.value)
        .then(pl.col("_s_missing"))
        .when(pl.col("_problem").is_in([Problem.PHONE_IN_EMAIL, Problem.SYNTAX]))
        .then(_lit(None))
        .when(pl.col("_problem") == "tld_only")
        .then(pl.col("_s_tld"))
        .otherwise(pl.col("_s_candidate"))
    )
    judged = work.select(
        _ROW,
        pl.when(suggestion.is_null())
        .then(_lit(Status.INVALID))
        .otherwise(_lit(Status.SUGGESTION))
        .alias("status"),
        _lit(None).alias("normalised"),
        pl.col("_problem")
        .replace("tld_only", Problem.UNKNOWN_TLD.value)
        .alias("problem"),
        suggestion.alias("suggestion"),
    )
    return judged, full.select(frame.columns)


def _plain_results(frame: pl.DataFrame, text: str) -> pl.DataFrame:
    """Results for addresses email-validator accepts: judge their domains.

    ``text`` names the column holding the address as normalised.
    """
    verdicts = _verdict_table(frame.get_column("_domain"))
    frame = _with_verdict(
        frame.select(_ROW, text, "_local", "_domain"), "_domain", verdicts
    )
    mailbox = pl.col("_local").str.contains(_MAILBOX_NAME)
    part = _partition(
        frame,
        pl.when(pl.col("_v_problem").is_null() & ~mailbox)
        .then(_lit("ok"))
        .otherwise(_lit("other")),
    )
    ok = part("ok").select(
        _ROW,
        _lit(Status.OK).alias("status"),
        pl.col(text).alias("normalised"),
        _lit(None).alias("problem"),
        _lit(None).alias("suggestion"),
    )
    other = part("other")
    local = _mailbox_local(pl.col("_local"))
    address = pl.concat_str(local, _lit("@"), pl.col("_domain"))
    fixed = _domain_fixed(local, pl.col("_domain"))
    return pl.concat(
        [
            ok,
            other.select(
                _ROW,
                pl.when(pl.col("_v_problem").is_null())
                .then(_lit(Status.OK))
                .when(fixed.is_not_null())
                .then(_lit(Status.SUGGESTION))
                .otherwise(_lit(Status.INVALID))
                .alias("status"),
                pl.when(pl.col("_v_problem").is_null())
                .then(address)
                .alias("normalised"),
                pl.col("_v_problem").alias("problem"),
                pl.when(pl.col("_v_problem").is_not_null())
                .then(fixed)
                .alias("suggestion"),
            ),
        ]
    )


def _is_placeholder_address(text: pl.Expr, local: pl.Expr, domain: pl.Expr) -> pl.Expr:
    return (
        text.str.to_lowercase().is_in(list(er.PLACEHOLDER_TEXTS))
        | local.str.to_lowercase().is_in(list(er.PLACEHOLDER_LOCAL_PARTS))
        | domain.is_in(list(er.PLACEHOLDER_DOMAINS))
    ).fill_null(False)


def _fixed_email_results(
    frame: pl.DataFrame, status: Status, problem: Problem | None
) -> pl.DataFrame:
    return frame.select(
        _ROW,
        _lit(status).alias("status"),
        _lit(None).alias("normalised"),
        _lit(problem).alias("problem"),
        _lit(None).alias("suggestion"),
    )


def _partition(frame: pl.DataFrame, kind: pl.Expr) -> Callable[[str], pl.DataFrame]:
    parts = frame.with_columns(_kind=kind).partition_by("_kind", as_dict=True)
    empty = frame.clear().with_columns(_kind=_lit(None))

    def part(name: str) -> pl.DataFrame:
        return parts.get((name,), empty)

    return part


def _messy_emails(frame: pl.DataFrame) -> list[pl.DataFrame]:
    """Judge the values that are not already plain addresses: normalise them first."""
    frame = frame.select(_ROW, "raw").with_columns(text=_email_text(pl.col("raw")))
    local, domain = _split_last_at(pl.col("text"))
    frame = frame.with_columns(_local=local, _domain=domain)
    part = _partition(
        frame,
        pl.when(pl.col("text") == "")
        .then(_lit("empty"))
        .when(pl.col("text").str.contains(er.NEEDS_FULL_CHECK))
        .then(_lit("full"))
        .when(
            _is_placeholder_address(pl.col("text"), pl.col("_local"), pl.col("_domain"))
        )
        .then(_lit("placeholder"))
        .when(_is_plain(pl.col("text"), pl.col("_domain")))
        .then(_lit("plain"))
        .otherwise(_lit("invalid")),
    )
    judged, more_full = _invalid_emails(part("invalid"))
    return [
        _fixed_email_results(part("empty"), Status.EMPTY, None),
        _fixed_email_results(part("placeholder"), Status.EMPTY, Problem.PLACEHOLDER),
        _plain_results(part("plain"), "text"),
        judged,
        _one_value_checks(
            pl.concat([part("full"), more_full]), check_email, EMAIL_FIELDS
        ),
    ]


def check_email_column(values: pl.Series) -> pl.DataFrame:
    """Check a column of email addresses; one row of results per value.

    The result has the columns ``status``, ``normalised``, ``problem`` and
    ``suggestion``, as ``check_email`` gives them.
    """
    frame = pl.DataFrame({"raw": values.cast(pl.String)}).with_row_index(_ROW)

    # Most values are plain addresses as they stand: no normalisation changes
    # them, so they are split at their one @ without the cost of the full steps.
    raw = pl.col("raw")
    at = raw.str.find("@", literal=True)
    frame = frame.with_columns(
        _local=raw.str.slice(0, at), _domain=raw.str.slice(at + 1)
    )
    part = _partition(
        frame,
        pl.when(raw.is_null() | (raw == ""))
        .then(_lit("blank"))
        .when(_is_plain(raw, pl.col("_domain")))
        .then(_lit("plain"))
        .otherwise(_lit("messy")),
    )
    plain = part("plain")
    placeholder = plain.get_column("_local").str.to_lowercase().is_in(
        list(er.PLACEHOLDER_LOCAL_PARTS)
    ) | plain.get_column("_domain").is_in(list(er.PLACEHOLDER_DOMAINS))
    results = [
        _fixed_email_results(part("blank"), Status.EMPTY, None),
        _fixed_email_results(
            plain.filter(placeholder), Status.EMPTY, Problem.PLACEHOLDER
        ),
        _plain_results(plain.filter(~placeholder), "raw"),
        *_messy_emails(part("messy")),
    ]
    return _assemble(results, EMAIL_FIELDS)


def _assemble(results: list[pl.DataFrame], fields: tuple[str, ...]) -> pl.DataFrame:
    cast = [
        r.select(
            pl.col(_ROW).cast(pl.UInt32), *(pl.col(f).cast(pl.String) for f in fields)
        )
        for r in results
    ]
    return pl.concat(cast).sort(_ROW).drop(_ROW)


# ---------------------------------------------------------------------------
# Phone


def _phone_text(raw: pl.Expr) -> pl.Expr:
    return (
        raw.fill_null("")
        .str.replace_all(INVISIBLE_CLASS, "")
        .str.strip_chars(WHITESPACE)
    )


def _compact(text: pl.Expr) -> pl.Expr:
    """The expression form of ``phone_number.compact_phone_text``."""
    return (
        text.str.replace(pr.TRUNK_ZERO_AFTER_CODE, _TRUNK_ZERO_REPLACEMENT)
        .str.replace_all(pr.SEPARATORS, "")
        .str.replace(r"^00", "+")
    )


def _is_placeholder_number(number: pl.Expr) -> pl.Expr:
    bare = number.str.strip_chars_start("+")
    return bare.is_in(list(pr.PLACEHOLDER_NUMBERS)) | bare.str.contains(
        pr.REPEATED_DIGIT
    )


def _description_columns(
    frame: pl.DataFrame, national: str, ranges: pr.RegionRanges
) -> tuple[pl.DataFrame, str, list[tuple[PhoneType, str]]]:
    """Add a column per number description saying whether the number matches it."""
    length = pl.col("_length")
    names = [f"_{ranges.region}_{i}" for i in range(len(ranges.types))]
    general = f"_{ranges.region}_general"
    descriptions = [(general, ranges.general)] + [
        (name, d) for name, (_, d) in zip(names, ranges.types, strict=True)
    ]
    frame = frame.with_columns(
        (
            length.is_in(list(d.lengths))
            & pl.col(national).str.contains(f"^(?:{d.pattern})$")
        ).alias(name)
        for name, d in descriptions
    )
    types = [(t, name) for name, (t, _) in zip(names, ranges.types, strict=True)]
    return frame, general, types


def _type_in(general: str, types: list[tuple[PhoneType, str]]) -> pl.Expr:
    """libphonenumber's ``_number_type_helper`` for one region: a type or null."""
    mobile = next(name for t, name in types if t is PhoneType.MOBILE)
    chain: Any = pl.when(~pl.col(general)).then(_lit(None))
    for phone_type, name in types:
        if phone_type is PhoneType.LANDLINE:
            # A number matching the landline and the mobile patterns is either.
            chain = chain.when(pl.col(name)).then(
                pl.when(pl.col(mobile))
                .then(_lit(PhoneType.OTHER))
                .otherwise(_lit(PhoneType.LANDLINE))
            )
        else:
            chain = chain.when(pl.col(name)).then(_lit(phone_type))
    result: pl.Expr = chain.otherwise(_lit(None))
    return result


def _classify(frame: pl.DataFrame, national: str) -> pl.DataFrame:
    """Add ``_type`` and ``_region`` (null when invalid) as libphonenumber sees them."""
    great_britain, *others = pr.uk_ranges()
    frame = frame.with_columns(_length=pl.col(national).str.len_chars())
    work, general, types = _description_columns(frame, national, great_britain)
    frame = frame.with_columns(
        work.select(_type_in(general, types).alias("_type")), _region=_lit(None)
    )
    known = frame.filter(pl.col("_type").is_not_null())
    unknown = frame.filter(pl.col("_type").is_null())
    if unknown.is_empty():
        return frame

    # libphonenumber's region_code_for_number: the first region whose leading
    # digits match, or for regions without them, whose ranges hold the number.
    region: Any = pl.when(pl.lit(False)).then(_lit(None))
    number_type: Any = pl.when(pl.lit(False)).then(_lit(None))
    work = unknown
    for ranges in others:
        work, general, types = _description_columns(work, national, ranges)
        type_here = _type_in(general, types)
        in_region = (
            pl.col(national).str.contains(f"^(?:{ranges.leading_digits})")
            if ranges.leading_digits
            else type_here.is_not_null()
        )
        region = region.when(in_region).then(_lit(ranges.region))
        number_type = number_type.when(in_region).then(type_here)
    unknown = unknown.with_columns(
        work.select(
            number_type.otherwise(_lit(None)).alias("_type"),
            region.otherwise(_lit(None)).alias("_candidate_region"),
        )
    ).with_columns(
        _region=pl.when(pl.col("_type").is_not_null()).then(pl.col("_candidate_region"))
    )
    return pl.concat([known, unknown.drop("_candidate_region")])


def _judge(frame: pl.DataFrame, number: str) -> pl.DataFrame:
    """``phone_number._judge`` for a column: adds ``_j_*`` columns and ``_j_full``.

    ``_j_full`` marks numbers left to libphonenumber itself: other countries, a
    bare 44 that may be the country code, "+4400", and BT's 180020 text relay
    prefix, which libphonenumber strips.
    """
    frame = frame.with_columns(
        _national=pl.col(number).str.replace(r"^(?:\+440?|0)", ""),
        _j_full=pl.col(number).str.contains(r"^(?:\+4400|\+(?:[^4]|4[^4]|4?$)|44)"),
        _j_placeholder=_is_placeholder_number(pl.col(number)),
    ).with_columns(
        _j_full=pl.col("_j_full") | pl.col("_national").str.starts_with("180020"),
        _j_fictional=pl.col("_national").str.contains(pr.FICTIONAL),
    )
    frame = _classify(frame, "_national")
    length = pl.col("_length")
    length_problem = (
        pl.when(length < pr.NATIONAL_LENGTH)
        .then(_lit(Problem.TOO_SHORT))
        .when(length > pr.NATIONAL_LENGTH)
        .then(_lit(Problem.TOO_LONG))
        .otherwise(_lit(Problem.INVALID_NUMBER))
    )
    # Mobiles have no extensions: "07890x32109" is not a number to text.
    mobile_extension = pl.col("_extension") & (
        pl.col("_type") == PhoneType.MOBILE.value
    )
    return frame.with_columns(
        _j_status=pl.when(pl.col("_j_placeholder"))
        .then(_lit(Status.EMPTY))
        .when(pl.col("_j_fictional") | pl.col("_type").is_null() | mobile_extension)
        .then(_lit(Status.INVALID))
        .otherwise(_lit(Status.OK)),
        _j_problem=pl.when(pl.col("_j_placeholder"))
        .then(_lit(Problem.PLACEHOLDER))
        .when(pl.col("_j_fictional"))
        .then(_lit(Problem.FICTIONAL))
        .when(pl.col("_type").is_null())
        .then(length_problem)
        .when(mobile_extension)
        .then(_lit(Problem.NOT_A_NUMBER)),
        _j_normalised=pl.concat_str(_lit("+44"), pl.col("_national")),
    )


def _phone_results(
    frame: pl.DataFrame, status: Status, problem: Problem | None
) -> pl.DataFrame:
    return frame.select(
        _ROW,
        _lit(status).alias("status"),
        _lit(None).alias("normalised"),
        _lit(problem).alias("problem"),
        *(_lit(None).alias(f) for f in ("suggestion", "type", "region")),
    )


def _messy_phones(frame: pl.DataFrame) -> tuple[list[pl.DataFrame], pl.DataFrame]:
    """Undo spreadsheet damage, extensions and letters typed for digits.

    Returns results for rows decided here, and the rest with ``_number`` (compact
    digits), ``_extension`` and ``_letters`` set, ready to be judged.
    """
    text = _phone_text(pl.col("raw"))
    frame = frame.with_columns(text=text)
    scientific = pl.col("text").str.extract_groups(pr.SCIENTIFIC)
    whole, fraction = scientific.struct.field("1"), scientific.struct.field("2")
    exponent = scientific.struct.field("3").cast(pl.Int32)
    frame = frame.with_columns(
        _lossy=whole.is_not_null() & (fraction.str.len_chars() != exponent),
        _undone=pl.coalesce(
            pl.concat_str(whole, fraction),
            pl.col("text").str.extract(pr.DECIMAL_ZERO, 1),
            pl.col("text"),
        ),
    )
    extension = pl.col("_undone").str.extract(pr.EXTENSION, 1)
    frame = frame.with_columns(
        _before=extension,
        _trailing_off=pl.col("_undone").str.contains(pr.TRAILING_OFF),
    ).with_columns(
        _before=pl.when(
            pl.col("_before").str.count_matches("[0-9]") >= pr.EXTENSION_MIN_DIGITS
        ).then(pl.col("_before"))
    )
    extension = pl.col("_before")
    frame = frame.with_columns(
        _extension=extension.is_not_null(),
        _undone=pl.coalesce(extension, pl.col("_undone")),
    )
    letters = pl.col("_undone").str.contains(pr.LETTERS)
    translated = pl.col("_undone").str.replace_many(
        list(pr.LETTER_DIGITS), list(pr.LETTER_DIGITS.values())
    )
    frame = frame.with_columns(
        _letters=letters,
        _number=_compact(
            pl.when(letters).then(translated).otherwise(pl.col("_undone"))
        ),
    )
    part = _partition(
        frame,
        pl.when(pl.col("text") == "")
        .then(_lit("empty"))
        .when(pl.col("text").str.contains(r"[^\x20-\x7e]"))
        .then(_lit("full"))
        .when(pl.col("text").str.contains("@", literal=True))
        .then(_lit("email"))
        .when(pl.col("text").str.to_lowercase().is_in(list(pr.PLACEHOLDER_TEXTS)))
        .then(_lit("placeholder"))
        .when(pl.col("_lossy") | pl.col("_trailing_off"))
        .then(_lit("not_a_number"))
        .when(
            pl.col("_letters") & ~pl.col("_undone").str.contains(pr.ONLY_LETTER_DIGITS)
        )
        .then(_lit("not_a_number"))
        .when(~pl.col("_number").str.contains(pr.DIGITS))
        .then(_lit("not_a_number"))
        .otherwise(_lit("number")),
    )
    decided = [
        _phone_results(part("empty"), Status.EMPTY, None),
        _phone_results(part("email"), Status.INVALID, Problem.EMAIL_IN_PHONE),
        _phone_results(part("placeholder"), Status.EMPTY, Problem.PLACEHOLDER),
        _phone_results(part("not_a_number"), Status.INVALID, Problem.NOT_A_NUMBER),
    ]
    return decided, pl.concat(
        [part("number"), part("full").with_columns(_full=True)], how="diagonal"
    )


def check_phone_column(
    values: pl.Series, *, dialling_code: str | None = None
) -> pl.DataFrame:
    """Check a column of phone numbers; one row of results per value.

    The result has the columns ``status``, ``normalised``, ``problem``,
    ``suggestion``, ``type`` and ``region``, as ``check_phone`` gives them.
    """
    frame = pl.DataFrame({"raw": values.cast(pl.String)}).with_row_index(_ROW)

    # Most numbers are digits with spaces, dashes, brackets and a plus: they need
    # only their separators removed.
    raw = pl.col("raw")
    part = _partition(
        frame,
        pl.when(raw.is_null() | (raw.str.strip_chars(" ") == ""))
        .then(_lit("blank"))
        .when(raw.str.contains(r"^[0-9 ()+\-]+$"))
        .then(_lit("simple"))
        .otherwise(_lit("messy")),
    )
    simple = part("simple").with_columns(text=raw.str.strip_chars(" "))
    simple_placeholder = pl.col("text").is_in(list(pr.PLACEHOLDER_TEXTS))
    results = [
        _phone_results(part("blank"), Status.EMPTY, None),
        _phone_results(
            simple.filter(simple_placeholder), Status.EMPTY, Problem.PLACEHOLDER
        ),
    ]
    simple = (
        simple.filter(~simple_placeholder)
        .select(_ROW, "raw", _compact(pl.col("text")).alias("_number"))
        .with_columns(_extension=pl.lit(False), _letters=pl.lit(False))
    )
    simple_bad = ~pl.col("_number").str.contains(pr.DIGITS)
    results.append(
        _phone_results(simple.filter(simple_bad), Status.INVALID, Problem.NOT_A_NUMBER)
    )
    decided, messy = _messy_phones(part("messy"))
    results += decided

    columns = [_ROW, "raw", "_number", "_extension", "_letters"]
    numbers = pl.concat(
        [
            simple.filter(~simple_bad)
            .select(columns)
            .with_columns(_full=pl.lit(False)),
            messy.select(*columns, pl.col("_full").fill_null(False)),
        ]
    )
    full = numbers.filter(pl.col("_full"))
    numbers = numbers.filter(~pl.col("_full"))

    local = (
        ~pl.col("_letters")
        & ~pl.col("_number").str.starts_with("0")
        & ~pl.col("_number").str.starts_with("+")
        & pl.col("_number").str.len_chars().is_in(list(pr.LOCAL_NUMBER_LENGTHS))
    )
    numbers = numbers.with_columns(_local=local)
    local_placeholder = pl.col("_local") & _is_placeholder_number(pl.col("_number"))
    local_without_code = pl.col("_local") & (not dialling_code)
    results += [
        _phone_results(
            numbers.filter(local_placeholder), Status.EMPTY, Problem.PLACEHOLDER
        ),
        _phone_results(
            numbers.filter(local_without_code & ~local_placeholder),
            Status.INVALID,
            Problem.NO_AREA_CODE,
        ),
    ]
    numbers = numbers.filter(~local_placeholder & ~local_without_code).with_columns(
        _to_judge=pl.when(pl.col("_local"))
        .then(pl.concat_str(_lit(dialling_code or ""), pl.col("_number")))
        .otherwise(pl.col("_number"))
    )
    judged = _judge(numbers, "_to_judge")
    full = pl.concat(
        [full.select(_ROW, "raw"), judged.filter(pl.col("_j_full")).select(_ROW, "raw")]
    )
    judged = judged.filter(~pl.col("_j_full"))

    ok = pl.col("_j_status") == Status.OK.value
    offered = pl.col("_local") | pl.col("_letters")
    offered_problem = (
        pl.when(pl.col("_local"))
        .then(_lit(Problem.NO_AREA_CODE))
        .otherwise(_lit(Problem.NOT_A_NUMBER))
    )
    results.append(
        judged.select(
            _ROW,
            pl.when(offered & ok)
            .then(_lit(Status.SUGGESTION))
            .when(offered)
            .then(_lit(Status.INVALID))
            .otherwise(pl.col("_j_status"))
            .alias("status"),
            pl.when(ok & ~offered).then(pl.col("_j_normalised")).alias("normalised"),
            pl.when(offered)
            .then(offered_problem)
            .when(ok & pl.col("_extension"))
            .then(_lit(Problem.EXTENSION))
            .otherwise(pl.col("_j_problem"))
            .alias("problem"),
            pl.when(offered & ok).then(pl.col("_j_normalised")).alias("suggestion"),
            pl.when(ok).then(pl.col("_type")).alias("type"),
            pl.when(ok).then(pl.col("_region")).alias("region"),
        )
    )

    def check(value: str) -> Any:
        return check_phone(value, dialling_code=dialling_code)

    results.append(_one_value_checks(full, check, PHONE_FIELDS))
    return _assemble(results, PHONE_FIELDS)
