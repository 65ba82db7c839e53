"""Check one phone number: the reference that the column check must agree with.

Numbers are read as British unless they carry a country code. libphonenumber
(the ``phonenumbers`` package) decides validity, type and region; Contactable adds
what a council needs on top: digits missing or added, spreadsheet damage, local
numbers without their dialling code, and Ofcom's drama ranges.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, ValidationResult

from contactable.checks import phone_rules as rules
from contactable.checks.outcome import PhoneCheck, PhoneType, Problem, Status
from contactable.checks.text import clean_text

_SCIENTIFIC = re.compile(rules.SCIENTIFIC)
_DECIMAL_ZERO = re.compile(rules.DECIMAL_ZERO)
_EXTENSION = re.compile(rules.EXTENSION)
_LETTERS = re.compile(rules.LETTERS)
_ONLY_LETTER_DIGITS = re.compile(rules.ONLY_LETTER_DIGITS)
_LETTER_DIGITS = str.maketrans(rules.LETTER_DIGITS)
_SEPARATORS = re.compile(rules.SEPARATORS)
_TRUNK_ZERO_AFTER_CODE = re.compile(rules.TRUNK_ZERO_AFTER_CODE)
_DIGITS = re.compile(rules.DIGITS)
_REPEATED_DIGIT = re.compile(rules.REPEATED_DIGIT)
_FICTIONAL = re.compile(rules.FICTIONAL)
_TRAILING_OFF = re.compile(rules.TRAILING_OFF)


def _digit_count(text: str) -> int:
    return sum(c in "0123456789" for c in text)


def _undo_spreadsheet(text: str) -> str | None:
    """Undo what a spreadsheet does to a long number, or None if digits are lost.

    >>> _undo_spreadsheet("7.400123456e+09")
    '7400123456'
    """
    match = _SCIENTIFIC.match(text)
    if match:
        whole, fraction, exponent = match.group(1), match.group(2), int(match.group(3))
        if len(fraction) != exponent:
            # 7.4e+09 is 7400000000 to the spreadsheet: the last digits are gone.
            return None
        return whole + fraction

    match = _DECIMAL_ZERO.match(text)
    return match.group(1) if match else text


def compact_phone_text(text: str) -> str:
    """Remove separators and a "(0)" after the country code.

    >>> compact_phone_text("+44 (0)20 7946 0123")
    '+442079460123'
    """
    text = _TRUNK_ZERO_AFTER_CODE.sub(r"\1", text)
    text = _SEPARATORS.sub("", text)
    if text.startswith("00"):
        # The international prefix dialled from Britain.
        text = "+" + text[2:]
    return text


def is_placeholder_number(digits: str) -> bool:
    """Say whether a string of digits is a stand-in such as 00000000000."""
    bare = digits.lstrip("+")
    return bare in rules.PLACEHOLDER_NUMBERS or bool(_REPEATED_DIGIT.match(bare))


def national_number_of(number: str) -> str | None:
    """The British national significant number of compact digits, if British.

    >>> national_number_of("+4407400123456")
    '7400123456'
    """
    if number.startswith("+44"):
        rest = number[3:]
        return rest[1:] if rest.startswith("0") else rest
    if number.startswith("+"):
        return None
    if number.startswith("0"):
        return number[1:]
    return number


def _parse(number: str) -> PhoneNumber | None:
    try:
        return phonenumbers.parse(number, "GB")
    except NumberParseException:
        return None


def _length_problem(national: str) -> Problem:
    if len(national) < rules.NATIONAL_LENGTH:
        return Problem.TOO_SHORT
    if len(national) > rules.NATIONAL_LENGTH:
        return Problem.TOO_LONG
    return Problem.INVALID_NUMBER


def _international_length_problem(parsed: PhoneNumber | None) -> Problem:
    if parsed is None:
        return Problem.INVALID_NUMBER
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if reason == ValidationResult.TOO_SHORT:
        return Problem.TOO_SHORT
    if reason == ValidationResult.TOO_LONG:
        return Problem.TOO_LONG
    return Problem.INVALID_NUMBER


def _british_national_number(number: str, parsed: PhoneNumber | None) -> str | None:
    if parsed is None:
        return national_number_of(number)
    if parsed.country_code != 44:
        return None
    return phonenumbers.national_significant_number(parsed)


def _judge(original: str, number: str, extension: bool) -> PhoneCheck:
    """Judge compact digits, with an optional leading +."""
    if is_placeholder_number(number):
        return PhoneCheck(original, Status.EMPTY, problem=Problem.PLACEHOLDER)

    parsed = _parse(number)
    national = _british_national_number(number, parsed)
    if national is not None and _FICTIONAL.match(national):
        return PhoneCheck(original, Status.INVALID, problem=Problem.FICTIONAL)

    if parsed is None or not phonenumbers.is_valid_number(parsed):
        if national is not None:
            problem = _length_problem(national)
        else:
            problem = _international_length_problem(parsed)
        return PhoneCheck(original, Status.INVALID, problem=problem)

    number_type = rules.TYPE_NAMES[phonenumbers.number_type(parsed)]
    if extension and number_type is PhoneType.MOBILE:
        # Mobiles have no extensions: "07890x32109" is not a number to text.
        return PhoneCheck(original, Status.INVALID, problem=Problem.NOT_A_NUMBER)

    region = phonenumbers.region_code_for_number(parsed)
    return PhoneCheck(
        original,
        Status.OK,
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        Problem.EXTENSION if extension else None,
        type=number_type,
        region=None if region == "GB" else region,
    )


def _as_suggestion(
    original: str, problem: Problem, candidate: PhoneCheck
) -> PhoneCheck:
    if candidate.status is not Status.OK:
        return PhoneCheck(original, Status.INVALID, problem=problem)
    return PhoneCheck(
        original,
        Status.SUGGESTION,
        None,
        problem,
        candidate.normalised,
        candidate.type,
        candidate.region,
    )


def check_phone(value: str | None, *, dialling_code: str | None = None) -> PhoneCheck:
    """Check one phone number; ``dialling_code`` (e.g. ``01632``) completes local ones.

    >>> check_phone("07400 123456").normalised
    '+447400123456'
    """
    original = "" if value is None else value
    text = clean_text(value)
    if not text:
        return PhoneCheck(original, Status.EMPTY)

    if "@" in text:
        return PhoneCheck(original, Status.INVALID, problem=Problem.EMAIL_IN_PHONE)

    if text.lower() in rules.PLACEHOLDER_TEXTS:
        return PhoneCheck(original, Status.EMPTY, problem=Problem.PLACEHOLDER)

    undone = _undo_spreadsheet(text)
    if undone is None or _TRAILING_OFF.search(undone):
        return PhoneCheck(original, Status.INVALID, problem=Problem.NOT_A_NUMBER)

    extension = _EXTENSION.match(undone)
    if extension and _digit_count(extension.group(1)) < rules.EXTENSION_MIN_DIGITS:
        extension = None
    if extension:
        undone = extension.group(1)

    if _LETTERS.search(undone):
        if not _ONLY_LETTER_DIGITS.match(undone):
            return PhoneCheck(original, Status.INVALID, problem=Problem.NOT_A_NUMBER)
        # O7400 123456: letters typed for the digits they look like.
        candidate = compact_phone_text(undone.translate(_LETTER_DIGITS))
        if not _DIGITS.match(candidate):
            return PhoneCheck(original, Status.INVALID, problem=Problem.NOT_A_NUMBER)
        judged = _judge(original, candidate, extension is not None)
        return _as_suggestion(original, Problem.NOT_A_NUMBER, judged)

    number = compact_phone_text(undone)
    if not _DIGITS.match(number):
        return PhoneCheck(original, Status.INVALID, problem=Problem.NOT_A_NUMBER)

    if not number.startswith(("0", "+")) and len(number) in rules.LOCAL_NUMBER_LENGTHS:
        # A local number dialled without its code, as people write their own.
        if is_placeholder_number(number):
            return PhoneCheck(original, Status.EMPTY, problem=Problem.PLACEHOLDER)
        if not dialling_code:
            return PhoneCheck(original, Status.INVALID, problem=Problem.NO_AREA_CODE)
        judged = _judge(original, dialling_code + number, extension is not None)
        return _as_suggestion(original, Problem.NO_AREA_CODE, judged)

    return _judge(original, number, extension is not None)
