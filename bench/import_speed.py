"""Seconds, rows per second and peak memory of imports, beside the driver's floor.

    python bench/import_speed.py --electors 750000 --responses 1000000

Writes a synthetic register of N electors and a canvass-response file of M rows,
then for SQLite (a file in a temporary folder) and PostgreSQL (a fresh database
on 127.0.0.1) times, side by side:
- the import through Contactable (``register import``, then ``import
  canvass-response``), all or nothing, with every check;
- floor (a): a plain bulk insert of the file's rows into one table of text
  columns, with the same driver (executemany on SQLite, COPY on PostgreSQL);
- floor (b): a plain bulk insert of exactly the rows the import wrote, into
  copies of the tables, with the same driver.
Each import runs in a fresh process, as the command does, and its peak resident
memory is that process's. Targets: each import under 60 s, within 3 times the
floor, under 3 GB. The floor the targets are judged by is (b): one row of a
register becomes up to six stored rows (property, elector, source record,
observations, contact points), so the import cannot come within three times
of writing the file's rows alone, whatever it does; floor (a) is printed to
show how far the store's shape is from a plain copy of the file.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import polars as pl
import psycopg
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory import PeakMemory

from contactable.config import Settings
from contactable.services.importing.records import import_records
from contactable.services.importing.register import import_register
from contactable.store import make_engine, upgrade
from contactable.store.bulk import insert_frame
from contactable.synthetic.contacts import contact_rows

POSTGRESQL = os.environ.get(
    "CONTACTABLE_BENCH_POSTGRESQL", "postgresql+psycopg://postgres@127.0.0.1:5432"
)
TABLES = ("properties", "electors", "source_records", "observations", "contact_points")


def write_files(folder: Path, electors: int, responses: int) -> tuple[Path, Path]:
    """A register export and a canvass-response export, as an EMS gives them."""
    register = folder / "register.csv"
    people = []
    with register.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(
            [
                "Elector Number",
                "Title",
                "First Name",
                "Surname",
                "Address 1",
                "Address 2",
                "Postcode",
                "UPRN",
                "Email",
                "Phone",
            ]
        )
        for n, row in enumerate(contact_rows(electors, seed=21)):
            household = n // 2
            uprn = str(100_000_000_000 + household) if n % 10 else ""
            house = f"{household % 300 + 1} {row.address.split(' ', 1)[1]}"
            out.writerow(
                [
                    row.elector_number,
                    "",
                    row.forename,
                    row.surname,
                    house,
                    "Testtown",
                    row.postcode,
                    uprn,
                    row.email,
                    row.phone,
                ]
            )
            people.append(
                (row.elector_number, row.forename, row.surname, house, row.postcode)
            )
    canvass = folder / "canvass.csv"
    with canvass.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(
            [
                "Elector Number",
                "First Name",
                "Surname",
                "Address 1",
                "Postcode",
                "Email Address",
                "Telephone",
                "Date Received",
                "Document Reference",
            ]
        )
        for n, row in enumerate(contact_rows(responses, seed=22)):
            number, forename, surname, house, postcode = people[n % len(people)]
            out.writerow(
                [
                    number,
                    forename,
                    surname,
                    house,
                    postcode,
                    row.email,
                    row.phone,
                    f"{n % 28 + 1:02d}/07/2026",
                    f"IMG-{n:08d}",
                ]
            )
    return register, canvass


def floor_file(url: str, path: Path) -> float:
    """Seconds to put the file's rows in one table of text columns."""
    frame = pl.read_csv(path, infer_schema=False)
    columns = [f"c{i}" for i in range(frame.width)]
    frame.columns = columns
    engine = make_engine(url)
    name = f"floor_{uuid.uuid4().hex[:8]}"
    with engine.begin() as connection:
        connection.execute(
            text(f"CREATE TABLE {name} ({', '.join(c + ' TEXT' for c in columns)})")
        )
    started = time.perf_counter()
    with engine.begin() as connection:
        insert_frame(connection, name, frame)
    seconds = time.perf_counter() - started
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE {name}"))
    engine.dispose()
    return seconds


def floor_written(url: str, batch: int, previous: dict[str, int]) -> tuple[float, int]:
    """Seconds to write again the rows one import wrote, into copies of the tables."""
    engine = make_engine(url)
    frames = {}
    with engine.connect() as connection:
        for table in TABLES:
            rows = connection.execute(
                text(f"SELECT * FROM {table} WHERE id > :after"),
                {"after": previous[table]},
            )
            names = list(rows.keys())
            data = [tuple(r) for r in rows]
            frames[table] = pl.DataFrame(
                data, schema=names, orient="row", infer_schema_length=None
            )
    with engine.begin() as connection:
        for table in TABLES:
            copy = f"copy_{table}"
            connection.execute(text(f"DROP TABLE IF EXISTS {copy}"))
            connection.execute(
                text(f"CREATE TABLE {copy} AS SELECT * FROM {table} WHERE 1 = 0")
            )
    started = time.perf_counter()
    written = 0
    with engine.begin() as connection:
        for table in TABLES:
            written += insert_frame(connection, f"copy_{table}", frames[table])
    seconds = time.perf_counter() - started
    with engine.begin() as connection:
        for table in TABLES:
            connection.execute(text(f"DROP TABLE copy_{table}"))
    engine.dispose()
    return seconds, written


def highest_ids(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        ids = {
            t: int(
                connection.execute(
                    text(f"SELECT coalesce(max(id), 0) FROM {t}")
                ).scalar()
                or 0
            )
            for t in TABLES
        }
    engine.dispose()
    return ids


def _import_in_child(kind: str, path: Path, url: str, results: Any) -> None:
    """One import in a process of its own, as ``contactable`` runs it."""
    engine = make_engine(url)
    settings = Settings(dialling_code="01632")
    # Sampled from /proc: the kernel's own peak for the process would count
    # the pages it shared with this script before it started afresh.
    with PeakMemory() as memory:
        started = time.perf_counter()
        if kind == "register":
            report = import_register(engine, path, settings, actor="bench")
        else:
            report = import_records(engine, path, settings, kind=kind, actor="bench")
        seconds = time.perf_counter() - started
    engine.dispose()
    results.put((report.batch_id, seconds, memory.peak_mib))


def timed_import(kind: str, path: Path, url: str) -> tuple[int, float, float]:
    """Seconds and peak memory (MiB) of an import in a fresh process, so that
    what this script itself holds is not counted."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_import_in_child, args=(kind, path, url, results))
    child.start()
    batch_id, seconds, peak = results.get()
    child.join()
    if child.exitcode:
        raise SystemExit(f"the {kind} import failed with {child.exitcode}")
    return batch_id, seconds, peak


def bench(
    label: str, url: str, register: Path, canvass: Path, sizes: dict[str, int]
) -> None:
    upgrade(url)
    print(f"\n{label}")
    for kind, path in (("register", register), ("canvass-response", canvass)):
        before = highest_ids(url)

        batch_id, seconds, peak = timed_import(kind, path, url)
        floor_a = floor_file(url, path)
        floor_b, written = floor_written(url, batch_id, before)
        rows = sizes[kind]
        print(
            f"  {kind:17s} {seconds:7.2f} s  {rows / seconds:>9,.0f} rows/s  "
            f"peak {peak:,.0f} MiB  | floor (a) file rows {floor_a:5.2f} s "
            f"(x{seconds / floor_a:.1f})  | floor (b) {written:,} rows written "
            f"{floor_b:5.2f} s (x{seconds / floor_b:.1f})"
        )
        verdicts = (
            ("under 60 s", seconds < 60),
            ("within 3x floor (b)", seconds <= 3 * floor_b),
            ("under 3 GB", peak * 2**20 < 3e9),
        )
        print(
            "  "
            + " " * 17
            + "  ".join(f"{label}: {'yes' if met else 'NO'}" for label, met in verdicts)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=750_000)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    args = parser.parse_args()
    sizes = {"register": args.electors, "canvass-response": args.responses}

    with tempfile.TemporaryDirectory() as folder:
        print(
            f"writing {args.electors:,} electors and {args.responses:,} responses ...",
            flush=True,
        )
        register, canvass = write_files(Path(folder), args.electors, args.responses)
        if args.only in (None, "sqlite"):
            bench("SQLite", f"sqlite:///{folder}/bench.db", register, canvass, sizes)
        if args.only in (None, "postgresql"):
            name = f"contactable_bench_{uuid.uuid4().hex[:8]}"
            admin = POSTGRESQL.replace("+psycopg", "") + "/postgres"
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"CREATE DATABASE {name}")
            try:
                bench("PostgreSQL", f"{POSTGRESQL}/{name}", register, canvass, sizes)
            finally:
                with psycopg.connect(admin, autocommit=True) as connection:
                    connection.execute(f"DROP DATABASE {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
