"""Synthetic contact details with the errors real council files hold.

Used for the sample file, the benchmarks and the tests. Every row records the
kind of damage done to it, so tests can compare the checks with the truth. The
names are invented; phone numbers are random digits in real British ranges.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import phonenumbers
from phonenumbers import PhoneNumberType


def _names(file: str) -> tuple[str, ...]:
    text = resources.files("contactable.data").joinpath(file).read_text("utf-8")
    return tuple(
        line for line in text.splitlines() if line and not line.startswith("#")
    )


FORENAMES = _names("forenames.txt")
SURNAMES = _names("surnames.txt")
STREETS = _names("streets.txt")

# Providers weighted roughly as British electors use them.
PROVIDERS = (
    ("gmail.com", 30),
    ("hotmail.co.uk", 14),
    ("hotmail.com", 8),
    ("yahoo.co.uk", 7),
    ("outlook.com", 6),
    ("icloud.com", 6),
    ("btinternet.com", 5),
    ("live.co.uk", 4),
    ("googlemail.com", 3),
    ("aol.com", 2),
    ("sky.com", 2),
    ("yahoo.com", 2),
    ("ntlworld.com", 1),
    ("virginmedia.com", 1),
    ("talktalk.net", 1),
    ("me.com", 1),
    ("msn.com", 1),
)
_PROVIDER_NAMES = [p for p, _ in PROVIDERS]
_PROVIDER_WEIGHTS = [w for _, w in PROVIDERS]

# Geographic dialling codes, as national numbers without the trunk 0.
_AREA_CODES = (
    "113",
    "114",
    "115",
    "116",
    "117",
    "118",
    "121",
    "131",
    "141",
    "151",
    "161",
    "191",
    "20",
    "29",
    "1223",
    "1603",
    "1752",
    "1904",
    "1392",
    "1865",
)


@functools.cache
def _prefixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Six-digit starts of mobile and landline numbers in ranges that are in use.

    Each start is kept only when random endings on it are valid, so the numbers
    built on them look like real electors' numbers to libphonenumber.
    """
    rng = random.Random(0)

    def in_use(start: str, wanted: int) -> bool:
        for _ in range(3):
            ending = "".join(rng.choices("0123456789", k=10 - len(start)))
            number = phonenumbers.parse("0" + start + ending, "GB")
            if phonenumbers.number_type(number) != wanted:
                return False
        return True

    mobile = tuple(
        s
        for s in (f"7{n:05d}" for n in range(0, 100000, 37))
        if in_use(s, PhoneNumberType.MOBILE)
    )
    landline = tuple(
        s
        for code in _AREA_CODES
        for s in (
            code + f"{n:0{6 - len(code)}d}" for n in range(0, 10 ** (6 - len(code)), 11)
        )
        if in_use(s, PhoneNumberType.FIXED_LINE)
    )
    return mobile, landline


EMAIL_DAMAGE = (
    ("none", 0.76),
    ("blank", 0.12),
    ("domain_typo", 0.03),
    ("tld_typo", 0.01),
    ("whitespace", 0.01),
    ("punctuation", 0.01),
    ("missing_at", 0.005),
    ("placeholder", 0.01),
    ("phone_in_email", 0.003),
    ("cosmetic", 0.01),
    ("international", 0.002),
)
PHONE_DAMAGE = (
    ("none", 0.62),
    ("blank", 0.25),
    ("leading_zero_lost", 0.02),
    ("decimal", 0.01),
    ("scientific", 0.004),
    ("missing_digit", 0.02),
    ("extra_digit", 0.01),
    ("letter_o", 0.003),
    ("extension", 0.003),
    ("no_area_code", 0.01),
    ("placeholder", 0.01),
    ("email_in_phone", 0.002),
    ("international", 0.005),
    ("fictional", 0.003),
)

_NEIGHBOURS = {
    "a": "sqz",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "w",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}


@dataclass(frozen=True, slots=True)
class ContactRow:
    """One synthetic elector's contact details, as a file would hold them."""

    elector_number: str
    forename: str
    surname: str
    address: str
    postcode: str
    email: str
    phone: str
    email_damage: str
    phone_damage: str


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def _misspell(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    edit = rng.choice(("drop", "swap", "near", "double"))
    if edit == "drop" and len(word) > 3:
        return word[:i] + word[i + 1 :]
    if edit == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if edit == "near" and word[i] in _NEIGHBOURS:
        return word[:i] + rng.choice(_NEIGHBOURS[word[i]]) + word[i + 1 :]
    return word[: i + 1] + word[i] + word[i + 1 :]


def _local_part(rng: random.Random, forename: str, surname: str) -> str:
    first, last = forename.lower(), surname.lower().replace("'", "")
    style = rng.randrange(5)
    number = str(rng.randrange(1, 999))
    return (
        f"{first}.{last}",
        f"{first}{last}{number}",
        f"{first[0]}{last}",
        f"{first}_{last}{number[:2]}",
        f"{last}.{first}{number}",
    )[style]


def _email(
    rng: random.Random, forename: str, surname: str, phone: str
) -> tuple[str, str]:
    damage = _pick(rng, EMAIL_DAMAGE)
    local = _local_part(rng, forename, surname)
    provider = rng.choices(_PROVIDER_NAMES, _PROVIDER_WEIGHTS)[0]
    if rng.random() < 0.08:
        family = surname.lower().replace("'", "")
        provider = f"{family}-{rng.randrange(10, 99)}.co.uk"
    name, _, suffix = provider.partition(".")
    if damage == "blank":
        return "", damage
    if damage == "domain_typo":
        return f"{local}@{_misspell(rng, name)}.{suffix}", damage
    if damage == "tld_typo":
        typo = rng.choice(("con", "cmo", "co.ukk", "couk", "co.uj", "comm", "c0m"))
        return f"{local}@{name}.{typo}", damage
    if damage == "whitespace":
        return rng.choice(
            (
                f"{local} @{provider}",
                f"{local}@ {provider}",
                f"{local[:2]} {local[2:]}@{provider}",
            )
        ), damage
    if damage == "punctuation":
        return rng.choice(
            (
                f"{local}@@{provider}",
                f"{local}@{name},{suffix}",
                f"{local}..x@{provider}",
                f"{local}@{provider}.",
                f"{local}.@{provider}",
            )
        ), damage
    if damage == "missing_at":
        return f"{local}{provider}", damage
    if damage == "placeholder":
        return rng.choice(("none", "N/A", "noemail@gmail.com", "no email", "-")), damage
    if damage == "phone_in_email":
        return phone or "07400 123456", damage
    if damage == "cosmetic":
        return rng.choice(
            (
                f" {local}@{provider.upper()} ",
                f"mailto:{local}@{provider}",
                f"{forename} {surname} <{local}@{provider}>",
            )
        ), damage
    if damage == "international":
        return f"{forename.lower()}é@{provider}", damage
    return f"{local}@{provider}", damage


def _number(rng: random.Random) -> str:
    mobile, landline = _prefixes()
    start = rng.choice(mobile if rng.random() < 0.7 else landline)
    return "0" + start + f"{rng.randrange(10**4):04d}"


def _formatted(rng: random.Random, number: str) -> str:
    national = number[1:]
    style = rng.randrange(6)
    if style == 0:
        return number
    if style == 1:
        return f"{number[:5]} {number[5:]}"
    if style == 2:
        return f"+44 {national[:4]} {national[4:]}"
    if style == 3:
        return f"+44 (0){national[:4]} {national[4:]}"
    if style == 4:
        return f"{number[:5]}-{number[5:8]}-{number[8:]}"
    return f"0044 {national}"


def _phone(rng: random.Random) -> tuple[str, str]:
    damage = _pick(rng, PHONE_DAMAGE)
    number = _number(rng)
    if damage == "blank":
        return "", damage
    if damage == "leading_zero_lost":
        return number[1:], damage
    if damage == "decimal":
        return number[1:] + ".0", damage
    if damage == "scientific":
        national = number[1:]
        if rng.random() < 0.5:
            return f"{national[0]}.{national[1:3]}e+09", damage
        return f"{national[0]}.{national[1:]}E+09", damage
    if damage == "missing_digit":
        i = rng.randrange(2, len(number))
        return _formatted(rng, number[:i] + number[i + 1 :]), damage
    if damage == "extra_digit":
        return _formatted(rng, number + str(rng.randrange(10))), damage
    if damage == "letter_o":
        return "O" + number[1:5] + " " + number[5:], damage
    if damage == "extension":
        return f"{number[:5]} {number[5:]} ext {rng.randrange(1, 999)}", damage
    if damage == "no_area_code":
        return f"{rng.randrange(2, 9)}{rng.randrange(10**5):05d}", damage
    if damage == "placeholder":
        return rng.choice(("00000000000", "none", "n/a", "07000000000", "-")), damage
    if damage == "email_in_phone":
        return "someone@example.com", damage
    if damage == "international":
        return rng.choice(
            (
                "+33 6 12 34 56 78",
                "+1 202 555 0143",
                "+353 87 123 4567",
                "+48 512 345 678",
            )
        ), damage
    if damage == "fictional":
        return f"07700 900{rng.randrange(1000):03d}", damage
    return _formatted(rng, number), damage


def contact_rows(count: int, seed: int = 2026) -> Iterator[ContactRow]:
    """Yield ``count`` synthetic electors' contact rows, the same for the same seed."""
    rng = random.Random(seed)
    districts = [f"{a}{b}" for a in "ABCDEFGH" for b in "ABCDEF"]
    for n in range(count):
        forename, surname = rng.choice(FORENAMES), rng.choice(SURNAMES)
        phone, phone_damage = _phone(rng)
        email, email_damage = _email(rng, forename, surname, phone)
        house = rng.randrange(1, 240)
        district, number = districts[n % len(districts)], n // len(districts) + 1
        outward = f"ZZ{rng.randrange(1, 99)}"
        inward = f"{rng.randrange(10)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
        yield ContactRow(
            elector_number=f"{district}1-{number}",
            forename=forename,
            surname=surname,
            address=f"{house} {rng.choice(STREETS)}",
            postcode=f"{outward} {inward}",
            email=email,
            phone=phone,
            email_damage=email_damage,
            phone_damage=phone_damage,
        )


SAMPLE_HEADERS = (
    "Elector Number",
    "First Name",
    "Surname",
    "Address 1",
    "Postcode",
    "Email Address",
    "Telephone",
    "Document Reference",
)


def sample_table(count: int, seed: int = 2026) -> list[list[str]]:
    """A canvass-response export as a council's EMS might give it, header first."""
    rows = [list(SAMPLE_HEADERS)]
    for n, row in enumerate(contact_rows(count, seed)):
        rows.append(
            [
                row.elector_number,
                row.forename,
                row.surname,
                row.address,
                row.postcode,
                row.email,
                row.phone,
                f"IMG-{seed % 100:02d}{n + 1:06d}",
            ]
        )
    return rows
