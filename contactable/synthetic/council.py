"""A synthetic council: a register and council records with the noise real ones
hold, and the truth about who is who.

``synthetic_council(electors, seed)`` gives an EMS register export, a Council
Tax extract and a customer service extract as Polars frames with the headers
our imports read, and ``truth``: for each council record, the elector it is
(or null for a person not on the register) and whether that person lives at
an address where registered electors live. The noise is what matching has to
survive: typing slips, familiar forms of names (Bill for William), forename
and surname swapped, titles and initials, missing UPRNs, flats in one
building, households sharing a surname, and unregistered people living with
registered ones. The names are invented and the addresses fictional (the
postcode area ZZ does not exist).
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field

import polars as pl
from rapidfuzz.distance import JaroWinkler

from contactable.linkage.names import nickname_groups
from contactable.synthetic.contacts import (
    FORENAMES,
    SURNAMES,
    _email,
    _misspell,
    _phone,
)

REGISTER_HEADERS = (
    "Elector Number",
    "Title",
    "First Name",
    "Middle Names",
    "Surname",
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Postcode",
    "UPRN",
    "Email",
    "Phone",
)
COUNCIL_TAX_HEADERS = (
    "Document Reference",
    "Full Name",
    "Address 1",
    "Address 2",
    "Address 3",
    "Postcode",
    "UPRN",
    "Email",
    "Phone",
    "Last Updated",
)
CUSTOMER_SERVICE_HEADERS = (
    "Document Reference",
    "First Name",
    "Last Name",
    "Address 1",
    "Address 2",
    "Postcode",
    "UPRN",
    "Email",
    "Phone",
    "Last Updated",
)
TRUTH_SCHEMA = {
    "source": pl.String,
    "document_reference": pl.String,
    "elector_number": pl.String,
    "co_resident": pl.Boolean,
}

_TOWN = "Exampleton"
_HOUSE_NAMES = (
    "Rose Cottage",
    "The Laurels",
    "Oak Lodge",
    "Hillside",
    "The Old Forge",
    "Meadow View",
    "Ivy House",
    "The Willows",
    "Orchard End",
    "Fern Bank",
)
_STREET_TYPES = (
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Drive",
    "Gardens",
    "Crescent",
    "Place",
    "Terrace",
    "Way",
    "Grove",
)
_ABBREVIATIONS = {
    "Road": "Rd",
    "Street": "St",
    "Lane": "Ln",
    "Avenue": "Ave",
    "Close": "Cl",
    "Drive": "Dr",
    "Gardens": "Gdns",
    "Crescent": "Cres",
    "Place": "Pl",
    "Terrace": "Ter",
}
_SYLLABLES = (
    "Ash",
    "Brack",
    "Crom",
    "Hart",
    "Wick",
    "Thorn",
    "Bram",
    "Ald",
    "Bur",
    "Caw",
    "Dun",
    "Fen",
    "Gar",
    "Hol",
    "Kel",
    "Lang",
    "Mar",
    "Nor",
    "Pen",
    "Rad",
    "Shel",
    "Stan",
    "Tal",
    "Wal",
    "Whit",
    "Win",
    "Brad",
    "Chad",
)
_ENDINGS = (
    "ley",
    "worth",
    "ton",
    "field",
    "by",
    "ham",
    "wood",
    "well",
    "ford",
    "combe",
    "stead",
    "hurst",
    "more",
    "den",
    "wick",
    "shaw",
)
_EXTRA_FORENAMES = (
    "Susan",
    "Karen",
    "Julie",
    "Tracey",
    "Claire",
    "Paula",
    "Wendy",
    "Joanne",
    "Angela",
    "Lorraine",
    "Sharon",
    "Hannah",
    "Lucy",
    "Megan",
    "Zoe",
    "Chloe",
    "Gemma",
    "Natalie",
    "Kirsty",
    "Sian",
    "Gareth",
    "Craig",
    "Darren",
    "Lee",
    "Wayne",
    "Neil",
    "Gary",
    "Keith",
    "Colin",
    "Graham",
    "Ian",
    "Barry",
    "Trevor",
    "Nigel",
    "Derek",
    "Ryan",
    "Kyle",
    "Dean",
    "Aaron",
    "Owen",
    "Rhys",
    "Callum",
    "Priya",
    "Aisha",
    "Imran",
    "Mohammed",
    "Fatima",
    "Yusuf",
    "Amir",
    "Sana",
    "Ravi",
    "Anil",
    "Wei",
    "Mei",
    "Tomasz",
    "Agnieszka",
    "Piotr",
    "Oksana",
    "Bogdan",
    "Ioana",
)
_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr")


@dataclass(frozen=True)
class Council:
    """A register export, two council extracts, and who is who in them."""

    register: pl.DataFrame
    council_tax: pl.DataFrame
    customer_service: pl.DataFrame
    truth: pl.DataFrame


@dataclass
class _Person:
    forename: str
    surname: str
    middle: str
    title: str
    elector_number: str | None
    co_resident: bool = False


@dataclass
class _Property:
    uprn: str
    lines: tuple[str, ...]
    postcode: str
    flat: str | None
    number: str | None
    street: str
    people: list[_Person] = field(default_factory=list)


def _name_pools(
    rng: random.Random,
) -> tuple[list[str], list[float], list[str], list[float]]:
    fulls = sorted(
        {name.title() for names in nickname_groups().values() for name in names}
    )
    forenames = sorted({*FORENAMES, *_EXTRA_FORENAMES, *fulls})
    made = sorted({a + b for a in _SYLLABLES for b in _ENDINGS})
    surnames = [*SURNAMES, *(s for s in made if s not in SURNAMES)]
    rng.shuffle(forenames)
    # Names are far from equally common: Zipf-like weights, real ones first.
    forename_weights = [1 / (i + 10) for i in range(len(forenames))]
    surname_weights = [1 / (i + 5) for i in range(len(surnames))]
    return forenames, forename_weights, surnames, surname_weights


@functools.cache
def _forms(name: str) -> set[str]:
    """A name, the full names it may stand for, and their familiar forms."""
    groups = nickname_groups()
    fulls = set(groups.get(name, ())) | {name}
    return fulls | {short for short, of in groups.items() if fulls & set(of)}


def _related(a: str, b: str) -> bool:
    """Whether two forenames could be taken for one person's."""
    x, y = a.lower(), b.lower()
    return (
        x[0] == y[0]
        or JaroWinkler.normalized_similarity(x, y) >= 0.8
        or bool(_forms(x) & _forms(y))
    )


class _Generator:
    def __init__(self, electors: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.wanted = electors
        (self.forenames, self.forename_weights, self.surnames, self.surname_weights) = (
            _name_pools(self.rng)
        )
        self.properties: list[_Property] = []
        self.districts: dict[str, int] = {}

    def forename(self, household: list[_Person]) -> str:
        # Household members, registered or not, never go by names that could
        # be one person's: they would be the same person to anyone.
        while True:
            name = self.rng.choices(self.forenames, self.forename_weights)[0]
            if not any(_related(name, p.forename) for p in household):
                return name

    def surname(self) -> str:
        return self.rng.choices(self.surnames, self.surname_weights)[0]

    def person(
        self, household: list[_Person], surname: str, number: str | None
    ) -> _Person:
        rng = self.rng
        middle = self.forename(household) if rng.random() < 0.3 else ""
        title = rng.choice(_TITLES) if rng.random() < 0.7 else ""
        return _Person(self.forename(household), surname, middle, title, number)

    def elector_number(self, outward: str) -> str:
        district = (
            f"{chr(65 + int(outward[2:]) % 26)}{chr(65 + int(outward[2:]) // 26)}1"
        )
        self.districts[district] = self.districts.get(district, 0) + 1
        return f"{district}-{self.districts[district]}"

    def streets(self) -> list[str]:
        names = [
            f"{a}{b} {t}"
            for a in _SYLLABLES
            for b in _ENDINGS[:6]
            for t in _STREET_TYPES[:3]
        ]
        self.rng.shuffle(names)
        return names

    def build(self) -> None:
        rng = self.rng
        streets = self.streets()
        registered, postcode_index, uprn = 0, 0, 100_000_000_000
        while registered < self.wanted:
            outward = f"ZZ{1 + postcode_index // 400}"
            letters = rng.choice("ABDEFGHJLN") + rng.choice("PQRSTUWXYZ")
            inward = f"{rng.randrange(10)}{letters}"
            postcode = f"{outward} {inward}"
            street = streets[postcode_index % len(streets)]
            postcode_index += 1
            number = rng.randrange(1, 60)
            for _ in range(rng.randrange(6, 20)):
                number += rng.choice((1, 2))
                kind = rng.random()
                flats: list[tuple[str | None, str | None]]
                if kind < 0.1:
                    flats = [
                        (str(f), str(number)) for f in range(1, rng.randrange(3, 9))
                    ]
                elif kind < 0.14:
                    flats = [(None, None)]
                else:
                    flats = [(None, str(number))]
                for flat, house in flats:
                    uprn += rng.randrange(1, 40)
                    if house is None:
                        lines: tuple[str, ...] = (
                            rng.choice(_HOUSE_NAMES),
                            street,
                            _TOWN,
                        )
                    elif flat is None:
                        lines = (f"{house} {street}", _TOWN)
                    else:
                        lines = (f"Flat {flat}", f"{house} {street}", _TOWN)
                    place = _Property(str(uprn), lines, postcode, flat, house, street)
                    registered += self.household(place, outward)
                    self.properties.append(place)

    def household(self, place: _Property, outward: str) -> int:
        rng = self.rng
        size = rng.choices((0, 1, 2, 3, 4, 5), (5, 33, 35, 14, 9, 4))[0]
        surname = self.surname()
        for _ in range(size):
            own = surname if rng.random() < 0.8 else self.surname()
            place.people.append(
                self.person(place.people, own, self.elector_number(outward))
            )
        if (size and rng.random() < 0.08) or (not size and rng.random() < 0.5):
            own = surname if rng.random() < 0.6 else self.surname()
            newcomer = self.person(place.people, own, None)
            newcomer.co_resident = size > 0
            place.people.append(newcomer)
        return size


def _register(generator: _Generator) -> pl.DataFrame:
    rng = generator.rng
    rows = []
    for place in generator.properties:
        lines = [*place.lines, "", "", ""][:5]
        for person in place.people:
            if person.elector_number is None:
                continue
            phone = _phone(rng)[0] if rng.random() < 0.2 else ""
            email = (
                _email(rng, person.forename, person.surname, phone)[0]
                if rng.random() < 0.3
                else ""
            )
            rows.append(
                (
                    person.elector_number,
                    person.title,
                    person.forename,
                    person.middle,
                    person.surname,
                    *lines,
                    place.postcode,
                    place.uprn if rng.random() < 0.97 else "",
                    email,
                    phone,
                )
            )
    return pl.DataFrame(rows, schema=list(REGISTER_HEADERS), orient="row")


def _noisy_forename(rng: random.Random, person: _Person) -> str:
    roll = rng.random()
    groups = nickname_groups()
    familiar = [
        n
        for n, fulls in groups.items()
        if person.forename.lower() in fulls and n != person.forename.lower()
    ]
    if roll < 0.07 and familiar:
        return rng.choice(familiar).title()
    if roll < 0.10:
        return person.forename[0]
    if roll < 0.13 and len(person.forename) > 3:
        return _misspell(rng, person.forename.lower()).title()
    if roll < 0.16 and person.middle:
        return f"{person.forename} {person.middle}"
    return person.forename


def _noisy_surname(rng: random.Random, person: _Person) -> str:
    if rng.random() < 0.03 and len(person.surname) > 3:
        return _misspell(rng, person.surname.lower()).title()
    return person.surname


def _noisy_address(rng: random.Random, place: _Property, lines: int) -> list[str]:
    street = place.street
    if rng.random() < 0.4:
        kind = street.rsplit(" ", 1)[1]
        street = street.replace(kind, _ABBREVIATIONS.get(kind, kind))
    if place.number is None:
        written = [place.lines[0], street, _TOWN]
    elif place.flat is None:
        written = [f"{place.number} {street}", _TOWN]
    elif rng.random() < 0.5:
        written = [f"Flat {place.flat}", f"{place.number} {street}", _TOWN]
    else:
        written = [f"{place.flat}/{place.number} {street}", _TOWN]
    if rng.random() < 0.2:
        written = [w.upper() for w in written]
    return [*written, "", "", ""][:lines]


def _noisy_postcode(rng: random.Random, postcode: str) -> str:
    roll = rng.random()
    if roll < 0.01:
        return ""
    if roll < 0.02:
        return postcode[:-1] + rng.choice("ABDEFGHJLN")
    if roll < 0.1:
        return postcode.replace(" ", "")
    if roll < 0.15:
        return postcode.lower()
    return postcode


def _date(rng: random.Random) -> str:
    year = rng.choice((2024, 2025))
    return f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{year}"


def _contacts(
    rng: random.Random, person: _Person, emails: float, phones: float
) -> tuple[str, str]:
    phone = _phone(rng)[0] if rng.random() < phones else ""
    email = (
        _email(rng, person.forename, person.surname, phone)[0]
        if rng.random() < emails
        else ""
    )
    return email, phone


def _truth(
    source: str, reference: str, person: _Person
) -> tuple[str, str, str | None, bool]:
    return (source, reference, person.elector_number, person.co_resident)


def _council_tax(
    generator: _Generator, truth: list[tuple[object, ...]]
) -> pl.DataFrame:
    rng = generator.rng
    rows: list[tuple[str, ...]] = []
    for place in generator.properties:
        if not place.people or rng.random() < 0.08:
            continue
        person = rng.choice(place.people)
        forename, surname = _noisy_forename(rng, person), _noisy_surname(rng, person)
        full = (
            f"{surname} {forename}" if rng.random() < 0.01 else f"{forename} {surname}"
        )
        if person.title and rng.random() < 0.4:
            full = f"{person.title} {full}"
        reference = f"CT{len(rows) + 1:07d}"
        email, phone = _contacts(rng, person, 0.4, 0.3)
        rows.append(
            (
                reference,
                full,
                *_noisy_address(rng, place, 3),
                _noisy_postcode(rng, place.postcode),
                place.uprn if rng.random() < 0.8 else "",
                email,
                phone,
                _date(rng),
            )
        )
        truth.append(_truth("council-tax", reference, person))
    return pl.DataFrame(rows, schema=list(COUNCIL_TAX_HEADERS), orient="row")


def _customer_service(
    generator: _Generator, truth: list[tuple[object, ...]], count: int | None
) -> pl.DataFrame:
    rng = generator.rng
    residents = [
        (place, person) for place in generator.properties for person in place.people
    ]
    if count is None:
        chosen = [r for r in residents if rng.random() < 0.4]
    else:
        chosen = rng.choices(residents, k=count)
    rows: list[tuple[str, ...]] = []
    for place, person in chosen:
        forename, surname = _noisy_forename(rng, person), _noisy_surname(rng, person)
        if rng.random() < 0.015:
            forename, surname = surname, forename
        reference = f"CS{len(rows) + 1:07d}"
        email, phone = _contacts(rng, person, 0.6, 0.5)
        rows.append(
            (
                reference,
                forename,
                surname,
                *_noisy_address(rng, place, 2),
                _noisy_postcode(rng, place.postcode),
                place.uprn if rng.random() < 0.4 else "",
                email,
                phone,
                _date(rng),
            )
        )
        truth.append(_truth("customer-service", reference, person))
    return pl.DataFrame(rows, schema=list(CUSTOMER_SERVICE_HEADERS), orient="row")


def synthetic_council(
    electors: int, seed: int = 2026, *, local_records: int | None = None
) -> Council:
    """A council of about ``electors`` electors, the same for the same seed.

    ``local_records`` fixes how many council records there are in all: the
    customer service extract makes up what Council Tax does not. By default
    two in five residents appear in it.

    >>> council = synthetic_council(1_000, seed=1)  # doctest: +SKIP
    >>> council.register.columns[:3]  # doctest: +SKIP
    ['Elector Number', 'Title', 'First Name']
    """
    generator = _Generator(electors, seed)
    generator.build()
    truth: list[tuple[object, ...]] = []
    council_tax = _council_tax(generator, truth)
    wanted = (
        None if local_records is None else max(local_records - council_tax.height, 0)
    )
    customer_service = _customer_service(generator, truth, wanted)
    return Council(
        register=_register(generator),
        council_tax=council_tax,
        customer_service=customer_service,
        truth=pl.DataFrame(truth, schema=TRUTH_SCHEMA, orient="row"),
    )
