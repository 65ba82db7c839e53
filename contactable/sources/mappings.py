"""Which of a file's columns hold which field, per kind of source.

Contactable knows the headers of the common shapes (EMS register exports from
Xpress, Eros and Democracy Counts, canvass and application exports, Council Tax
and customer service extracts) by their folded form. Any other shape is
described in a mapping file:

```toml
# mapping.toml: our field = the file's header (or a list of headers)
[columns]
elector_number = "Elector No"
forename = "Given Name"
surname = "Family Name"
address_1 = "Addr 1"
email = ["Email 1", "Email 2"]
collected_on = "Date Received"

[dates]
day_first = true   # 01/04/2026 is the first of April (the default)
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from contactable.sources.columns import fold_header
from contactable.sources.errors import SourceError

ADDRESS_LINES = 5

# Our fields and, for each, the folded headers that hold it, best first.
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "elector_number": (
        "electornumber",
        "electorno",
        "electornum",
        "elector",
        "fullelectornumber",
        "electorref",
    ),
    "polling_district": (
        "pollingdistrict",
        "pdcode",
        "pd",
        "electornumberprefix",
        "prefix",
        "district",
    ),
    "roll_number": ("rollno", "rollnumber", "electornumberonly", "number", "eno"),
    "elector_suffix": ("electornumbersuffix", "suffix", "electorsuffix"),
    "title": ("title", "electortitle", "salutation"),
    "forename": (
        "firstname",
        "forename",
        "forenames",
        "givenname",
        "firstnames",
        "electorforename",
        "electorfirstname",
    ),
    "middle_names": (
        "middlename",
        "middlenames",
        "othernames",
        "initials",
        "electormiddlename",
    ),
    "surname": ("surname", "lastname", "familyname", "electorsurname"),
    "full_name": (
        "name",
        "fullname",
        "electorname",
        "accountholder",
        "accountname",
        "customername",
        "liableperson",
        "residentname",
    ),
    "address_1": (
        "address1",
        "addressline1",
        "address",
        "propertyaddress1",
        "propertyaddress",
        "add1",
        "addr1",
    ),
    "address_2": ("address2", "addressline2", "propertyaddress2", "add2", "addr2"),
    "address_3": ("address3", "addressline3", "propertyaddress3", "add3", "addr3"),
    "address_4": ("address4", "addressline4", "propertyaddress4", "add4", "addr4"),
    "address_5": (
        "address5",
        "addressline5",
        "propertyaddress5",
        "address6",
        "addressline6",
        "add5",
        "addr5",
    ),
    "postcode": ("postcode", "postalcode", "pcode", "propertypostcode", "zip"),
    "uprn": ("uprn", "propertyuprn", "blpuuprn", "uniquepropertyreferencenumber"),
    "document_reference": (
        "documentreference",
        "documentref",
        "docref",
        "imageid",
        "imagereference",
        "scanid",
        "scannedimageid",
        "documentid",
        "formreference",
        "accountreference",
        "accountref",
        "accountnumber",
        "customerreference",
        "casereference",
    ),
    "collected_on": (
        "datereceived",
        "receiveddate",
        "receivedon",
        "applicationdate",
        "dateofapplication",
        "responsedate",
        "dateresponded",
        "lastupdated",
        "dateupdated",
        "updatedon",
        "datecollected",
        "collectiondate",
        "datesubmitted",
        "submittedon",
        "date",
    ),
}

# Contact columns: any header that starts with one of these holds contacts.
CONTACT_PREFIXES: dict[str, tuple[str, ...]] = {
    "email": ("email", "emailaddress", "contactemail", "personalemail", "mail"),
    "phone": (
        "phone",
        "telephone",
        "tel",
        "mobile",
        "contactnumber",
        "daytimephone",
        "daytimetelephone",
        "homephone",
        "workphone",
        "eveningphone",
    ),
}
_NOT_CONTACTS = ("mailingaddress", "mailaddress", "emailconsent", "emailoptin")


class MappingError(SourceError):
    """A mapping file cannot be used, or names headers the file does not have."""

    code = "mapping"


@dataclass(frozen=True)
class ColumnMapping:
    """For each of our fields, the file's header holding it; contacts may be many."""

    fields: dict[str, str] = field(default_factory=dict)
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    day_first: bool = True

    def header(self, name: str) -> str | None:
        """The file's header for one of our fields, if the file has it."""
        return self.fields.get(name)


def _contact_columns(headers: Sequence[str], kind: str, taken: set[str]) -> list[str]:
    found = []
    for header in headers:
        folded = fold_header(header)
        if header in taken or folded.startswith(_NOT_CONTACTS):
            continue
        if folded.startswith(CONTACT_PREFIXES[kind]):
            found.append(header)
    return found


def detect_mapping(headers: Sequence[str]) -> ColumnMapping:
    """Map a file's headers to our fields by the headers Contactable knows.

    >>> detect_mapping(["Elector No", "Forename", "E-mail"]).fields
    {'elector_number': 'Elector No', 'forename': 'Forename'}
    """
    folded = {fold_header(h): h for h in reversed(headers)}
    fields: dict[str, str] = {}
    taken: set[str] = set()
    for name, candidates in FIELD_HEADERS.items():
        for candidate in candidates:
            header = folded.get(candidate)
            if header is not None and header not in taken:
                fields[name] = header
                taken.add(header)
                break
    emails = _contact_columns(headers, "email", taken)
    phones = _contact_columns(headers, "phone", taken | set(emails))
    return ColumnMapping(fields, tuple(emails), tuple(phones))


def _as_headers(value: object, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise MappingError(f"In {where}, give a header as text or a list of texts.")


def read_mapping_file(path: Path, headers: Sequence[str]) -> ColumnMapping:
    """Read a mapping file and check it against the file's headers."""
    try:
        document = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError as error:
        raise MappingError(f"No mapping file at {path}.") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MappingError(f"{path} is not a valid mapping file: {error}.") from error

    columns = document.get("columns", {})
    if not isinstance(columns, Mapping) or not columns:
        raise MappingError(f"{path} has no [columns] table.")
    known = {*FIELD_HEADERS, "email", "phone"}
    unknown = sorted(set(columns) - known)
    if unknown:
        raise MappingError(
            f"{path} maps fields Contactable does not know: {', '.join(unknown)}. "
            f"The fields are: {', '.join(sorted(known))}."
        )

    fields: dict[str, str] = {}
    contacts: dict[str, list[str]] = {"email": [], "phone": []}
    for name, value in columns.items():
        names = _as_headers(value, f"{path} [columns] {name}")
        if name in contacts:
            contacts[name] = names
        elif len(names) != 1:
            raise MappingError(f"In {path}, {name} takes one header, not a list.")
        else:
            fields[name] = names[0]

    wanted = [*fields.values(), *contacts["email"], *contacts["phone"]]
    missing = [h for h in wanted if h not in headers]
    if missing:
        raise MappingError(
            f"{path} names headers the file does not have: "
            + ", ".join(repr(h) for h in missing)
            + ". The file's headers are: "
            + ", ".join(repr(h) for h in headers)
            + "."
        )
    dates = document.get("dates", {})
    day_first = (
        bool(dates.get("day_first", True)) if isinstance(dates, Mapping) else True
    )
    return ColumnMapping(
        fields, tuple(contacts["email"]), tuple(contacts["phone"]), day_first
    )
