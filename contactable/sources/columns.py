"""Finding a file's email, phone, address and identifying columns by their headers.

Headers come from many systems ("E-mail Address", "EmailAddress1", "Tel No",
"Mobile"), so they are compared in a folded form: lower case, letters and digits
only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_FOLD = re.compile(r"[^0-9a-z]+")

# Each kind's headers, best first; a folded header matches a name exactly, or
# starts with one of the prefixes.
EMAIL_HEADERS = (
    "email",
    "emailaddress",
    "email1",
    "emailaddress1",
    "mail",
    "contactemail",
)
EMAIL_PREFIXES = ("email", "emailaddr", "contactemail", "personalemail")
PHONE_HEADERS = (
    "phone",
    "telephone",
    "mobile",
    "phonenumber",
    "telephonenumber",
    "mobilenumber",
    "tel",
    "telno",
    "contactnumber",
    "phone1",
    "telephone1",
    "mobilephone",
    "daytimetelephone",
    "daytimephone",
)
PHONE_PREFIXES = ("phone", "telephone", "mobile", "tel", "contactnumber", "daytime")
ADDRESS_HEADERS = (
    "uprn",
    "address",
    "address1",
    "addressline1",
    "address2",
    "addressline2",
    "postcode",
    "propertyaddress",
    "propertyreference",
)
CONTEXT_HEADERS = (
    "electornumber",
    "electorno",
    "elector",
    "pollingdistrict",
    "title",
    "firstname",
    "forename",
    "forenames",
    "givenname",
    "middlename",
    "surname",
    "lastname",
    "familyname",
    "name",
    "fullname",
    "documentreference",
    "documentref",
    "imageid",
    "scanid",
    "reference",
    "ref",
)


def fold_header(header: str) -> str:
    """The comparable form of a header.

    >>> fold_header(" E-mail Address ")
    'emailaddress'
    """
    return _FOLD.sub("", header.lower())


def _find(
    headers: Sequence[str], names: Sequence[str], prefixes: Sequence[str]
) -> str | None:
    folded = [fold_header(h) for h in headers]
    for name in names:
        if name in folded:
            return headers[folded.index(name)]
    for header, fold in zip(headers, folded, strict=True):
        if fold.startswith(tuple(prefixes)):
            return header
    return None


def find_email_column(headers: Sequence[str]) -> str | None:
    """The header of the column most likely to hold email addresses."""
    return _find(headers, EMAIL_HEADERS, EMAIL_PREFIXES)


def find_phone_column(headers: Sequence[str]) -> str | None:
    """The header of the column most likely to hold phone numbers."""
    return _find(headers, PHONE_HEADERS, PHONE_PREFIXES)


def find_columns(headers: Sequence[str], names: Sequence[str]) -> list[str]:
    """Every header whose folded form is one of ``names``, in the file's order."""
    return [h for h in headers if fold_header(h) in names]


def looks_like_contact_header(cells: list[str]) -> bool:
    """Whether a row of cells is the header of a file of contact details."""
    return find_email_column(cells) is not None or find_phone_column(cells) is not None
