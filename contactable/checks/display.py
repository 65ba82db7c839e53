"""How phone numbers are shown to people: British numbers as they are dialled here."""

from __future__ import annotations

import phonenumbers


def display_phone_number(normalised: str) -> str:
    """Format an E.164 number for a person to read.

    >>> display_phone_number("+447700900123")
    '07700 900123'
    >>> display_phone_number("+33612345678")
    '+33 6 12 34 56 78'
    """
    number = phonenumbers.parse(normalised, None)
    if number.country_code == 44:
        # Jersey, Guernsey and the Isle of Man are dialled the British way too.
        return phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.NATIONAL
        )
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
