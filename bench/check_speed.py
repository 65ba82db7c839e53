"""Rows per second of the column checks beside a per-row loop over the libraries.

    python bench/check_speed.py 1000000

(a) the baseline: for each row, email_validator.validate_email with DNS off, and
    phonenumbers.parse, is_valid_number and number_type;
(b) Contactable's column checks, doing every check (normalisation, syntax,
    top-level domains, misspellings, repairs, phone ranges, spreadsheet damage,
    placeholders, shared values).

Both run in this process on the same synthetic rows with realistic errors.
Targets at N = 1,000,000: (b) at least 25 times (a), under 3 s, under 2 GB.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
import time
from pathlib import Path

import email_validator
import phonenumbers
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import PeakMemory

from contactable.checks.frame import check_contact_frame
from contactable.synthetic.contacts import contact_rows


def baseline(emails: list[str], phones: list[str]) -> None:
    for email, phone in zip(emails, phones, strict=True):
        with contextlib.suppress(email_validator.EmailNotValidError):
            email_validator.validate_email(email, check_deliverability=False)
        try:
            number = phonenumbers.parse(phone, "GB")
            phonenumbers.is_valid_number(number)
            phonenumbers.number_type(number)
        except phonenumbers.NumberParseException:
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument(
        "--baseline-rows",
        type=int,
        default=None,
        help="time the baseline on the first this many rows (default: all)",
    )
    args = parser.parse_args()

    print(f"generating {args.rows:,} rows ...", flush=True)
    rows = list(contact_rows(args.rows, seed=7))
    frame = pl.DataFrame(
        {
            "Email": [r.email for r in rows],
            "Phone": [r.phone for r in rows],
            "Address": [r.address for r in rows],
            "Postcode": [r.postcode for r in rows],
        }
    )
    emails, phones = frame["Email"].to_list(), frame["Phone"].to_list()
    del rows
    gc.collect()

    base_rows = min(args.rows, args.baseline_rows or args.rows)
    with PeakMemory() as base_memory:
        started = time.perf_counter()
        baseline(emails[:base_rows], phones[:base_rows])
        base_seconds = time.perf_counter() - started
    base_rate = base_rows / base_seconds

    with PeakMemory() as ours_memory:
        started = time.perf_counter()
        checked = check_contact_frame(
            frame, email_column="Email", phone_column="Phone", dialling_code="01632"
        )
        ours_seconds = time.perf_counter() - started
    ours_rate = args.rows / ours_seconds

    print(f"rows                      {args.rows:>12,}")
    print(
        f"(a) baseline per-row loop {base_rate:>12,.0f} rows/s"
        f"  ({base_rows:,} rows in {base_seconds:.2f} s,"
        f" peak {base_memory.peak_mib:,.0f} MiB)"
    )
    print(
        f"(b) contactable columns   {ours_rate:>12,.0f} rows/s"
        f"  ({args.rows:,} rows in {ours_seconds:.2f} s,"
        f" peak {ours_memory.peak_mib:,.0f} MiB, +{ours_memory.added_mib:,.0f} MiB)"
    )
    print(f"ratio (b)/(a)             {ours_rate / base_rate:>12.1f} x")
    counts = checked.group_by("email_status").len().sort("email_status")
    print("email statuses:", dict(counts.iter_rows()))
    counts = checked.group_by("phone_status").len().sort("phone_status")
    print("phone statuses:", dict(counts.iter_rows()))


if __name__ == "__main__":
    main()
