"""Seconds to write ``contactable report`` (xlsx and html) on a council's database.

    python bench/report_speed.py --electors 750000
    python bench/report_speed.py --database sqlite:////tmp/council.db \\
        --database postgresql+psycopg://postgres@127.0.0.1:5432/council

Without ``--database``, builds a synthetic council of N electors twice, once in
a SQLite file and once in a new PostgreSQL database on 127.0.0.1, through the
real imports and linking: a register export whose households share a UPRN,
canvass responses (a third collected before the privacy statement began),
Council Tax records under an agreement, customer service records under one
that ends within 60 days, citizen index records under one revoked before the
report day, and a department with no agreement; then delivery events for a
third of the emails and mobiles, some failing for good. ``--keep`` leaves the
built databases for later runs, which name them with ``--database``.

Then times the report on each database, side by side. Target: each report
under 30 s on 750,000 electors.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import psycopg
from sqlalchemy import Engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import PeakMemory

from contactable.config import Settings
from contactable.governance import records
from contactable.linkage.probabilistic import Scores
from contactable.services.importing.records import import_records
from contactable.services.importing.register import import_register
from contactable.services.linking import link_records
from contactable.services.reporting import write_report
from contactable.store import make_engine, transaction, upgrade
from contactable.store.bulk import finish_ids, insert_frame, reserve_ids
from contactable.synthetic.contacts import contact_rows

POSTGRESQL = os.environ.get(
    "CONTACTABLE_BENCH_POSTGRESQL", "postgresql+psycopg://postgres@127.0.0.1:5432"
)
IMPORTED_ON = date(2026, 8, 1)
REPORT_DAY = date(2026, 9, 1)
DISTRICTS = [f"{a}{b}" for a in "ABCDEFGH" for b in "ABCDEF"]
SETTINGS = Settings(dialling_code="01632")


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(header)
        out.writerows(rows)
    return path


def write_files(folder: Path, electors: int) -> dict[str, Path]:
    """The register and the other sources of a synthetic council, as CSV files."""
    rng = random.Random(2026)
    people = []
    register = []
    for n, row in enumerate(contact_rows(electors, seed=31)):
        # Two electors to a household, both in the household's polling district.
        household = n // 2
        district = DISTRICTS[household % len(DISTRICTS)]
        number = f"{district}1-{n + 1}"
        uprn = str(100_000_000_000 + household) if household % 10 else ""
        if n % 2 == 0:
            house = f"{household % 300 + 1} {row.address.split(' ', 1)[1]}"
            postcode = row.postcode
        person = (number, row.forename, row.surname, house, postcode, uprn)
        people.append(person)
        register.append([*person, row.email, row.phone])
    files = {
        "register": _write(
            folder / "register.csv",
            [
                "Elector Number",
                "First Name",
                "Surname",
                "Address 1",
                "Postcode",
                "UPRN",
                "Email",
                "Phone",
            ],
            register,
        )
    }

    # Canvass responses from two electors in five, dated through July.
    canvass: list[list[str]] = []
    extra = contact_rows(electors, seed=32)
    for person, row in zip(people, extra, strict=True):
        if rng.random() < 0.4:
            canvass.append(
                [
                    *person[:5],
                    row.email,
                    row.phone,
                    f"{rng.randrange(1, 29):02d}/07/2026",
                    f"IMG-{len(canvass):08d}",
                ]
            )
    files["canvass-response"] = _write(
        folder / "canvass.csv",
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
        ],
        canvass,
    )

    # Council records name a household's first elector at its address.
    local_header = [
        "Reference",
        "First Name",
        "Surname",
        "Address 1",
        "Postcode",
        "UPRN",
        "Email",
        "Mobile",
        "Last Updated",
    ]
    for kind, share, seed in (
        ("council-tax", 0.5, 33),
        ("customer-service", 0.15, 34),
        ("customer-records-index", 0.1, 35),
        ("local-record", 0.05, 36),
    ):
        rows: list[list[str]] = []
        extra = contact_rows(electors // 2 + 1, seed=seed)
        for person, row in zip(people[::2], extra, strict=False):
            if rng.random() < share:
                rows.append(
                    [
                        f"{kind[:2].upper()}-{len(rows)}",
                        *person[1:],
                        row.email,
                        row.phone,
                        f"{rng.randrange(1, 29):02d}/0{rng.randrange(1, 7)}/2026",
                    ]
                )
        files[kind] = _write(folder / f"{kind}.csv", local_header, rows)
    return files


def _governance(engine: Engine) -> None:
    with transaction(engine) as session:
        records.add_statement(
            session,
            reference="PS-2026",
            title="Canvass privacy statement 2026",
            effective_from=date(2026, 7, 10),
            effective_to=None,
            url=None,
            actor="bench",
        )
        for department, reference, kind, ends_on in (
            ("Council Tax", "DSA-CT", "council-tax", None),
            ("Customer Services", "DSA-CS", "customer-service", date(2026, 10, 15)),
            ("Customer Records Index", "DSA-CRI", "customer-records-index", None),
        ):
            records.add_agreement(
                session,
                department=department,
                reference=reference,
                kinds=[kind],
                covers_contact_details=True,
                starts_on=date(2026, 1, 1),
                ends_on=ends_on,
                actor="bench",
            )
            records.add_notice(
                session,
                department=department,
                reference=f"PN-{reference[4:]}",
                kinds=[kind],
                covers_contact_disclosure=True,
                effective_from=date(2025, 1, 1),
                effective_to=None,
                actor="bench",
            )


def _no_model(rest: pl.DataFrame, electors: pl.DataFrame, floor: float) -> Scores:
    # Every bench record matches exactly or not at all; the model is not timed.
    pairs = pl.DataFrame(
        schema={
            "source_record_id": pl.Int64,
            "elector_id": pl.Int64,
            "probability": pl.Float64,
        }
    )
    return Scores(pairs, 0, False)


def _deliveries(engine: Engine) -> None:
    """Delivery events for a third of the usable emails and mobiles."""
    with engine.begin() as connection:
        points = pl.DataFrame(
            [
                tuple(r)
                for r in connection.execute(
                    text(
                        "SELECT id, kind FROM contact_points WHERE status = 'ok' "
                        "AND (kind = 'email' OR phone_type = 'mobile')"
                    )
                )
            ],
            schema={"contact_point_id": pl.Int64, "kind": pl.String},
            orient="row",
        )
        sent = points.filter(pl.col("contact_point_id") % 3 == 0)
        outcome = pl.col("contact_point_id") % 50
        first = reserve_ids(connection, "delivery_events", sent.height)
        events = sent.select(
            pl.int_range(first, first + sent.height, dtype=pl.Int64).alias("id"),
            "contact_point_id",
            pl.when(pl.col("kind") == "email")
            .then(pl.lit("email"))
            .otherwise(pl.lit("sms"))
            .alias("channel"),
            pl.when(outcome == 0)
            .then(pl.lit("permanent-failure"))
            .when(outcome == 3)
            .then(pl.lit("temporary-failure"))
            .otherwise(pl.lit("delivered"))
            .alias("status"),
            (outcome == 0).alias("permanent"),
            pl.lit(datetime(2026, 8, 20, 10, tzinfo=UTC)).alias("occurred_at"),
            pl.lit("notify-report").alias("source"),
            pl.format("notify-{}", pl.col("contact_point_id")).alias("reference"),
            pl.lit(None, pl.Int64).alias("import_batch_id"),
        )
        insert_frame(connection, "delivery_events", events)
        finish_ids(connection, "delivery_events")
        connection.execute(
            text(
                "UPDATE contact_points SET deliverability = 'undeliverable' WHERE id "
                "IN (SELECT contact_point_id FROM delivery_events WHERE permanent)"
            )
        )
        connection.execute(
            text(
                "UPDATE contact_points SET deliverability = 'delivered' WHERE id IN "
                "(SELECT contact_point_id FROM delivery_events "
                "WHERE status = 'delivered')"
            )
        )


def build(url: str, files: dict[str, Path]) -> None:
    """Migrate a new database and fill it as a council's would be."""
    upgrade(url)
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        _governance(engine)
        import_register(
            engine, files["register"], SETTINGS, actor="bench", today=IMPORTED_ON
        )
        for kind in (
            "canvass-response",
            "council-tax",
            "customer-service",
            "customer-records-index",
            "local-record",
        ):
            import_records(
                engine,
                files[kind],
                SETTINGS,
                kind=kind,
                actor="bench",
                department="Planning" if kind == "local-record" else None,
                today=IMPORTED_ON,
            )
        link_records(
            engine, SETTINGS, actor="bench", scorer=_no_model, today=IMPORTED_ON
        )
        with transaction(engine) as session:
            records.revoke_agreement(
                session,
                reference="DSA-CRI",
                on=date(2026, 8, 15),
                reason="The department withdrew",
                actor="bench",
            )
        _deliveries(engine)
        if engine.dialect.name == "postgresql":
            # Autovacuum analyses tables within minutes of a bulk load; until it
            # has, the planner plans for empty tables. The bench does not wait.
            with engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("ANALYZE")
                )
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        engine.dispose()


def sizes(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: int(
                    connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                    or 0
                )
                for table in (
                    "electors",
                    "properties",
                    "source_records",
                    "observations",
                    "contact_points",
                    "delivery_events",
                )
            }
    finally:
        engine.dispose()


def time_report(url: str, folder: Path) -> dict[str, tuple[float, float]]:
    """Seconds and peak memory (MiB) of the report, as a workbook and as a page."""
    engine = make_engine(url)
    results = {}
    try:
        for suffix in ("xlsx", "html"):
            target = folder / f"report-{uuid.uuid4().hex[:6]}.{suffix}"
            with PeakMemory() as memory:
                started = time.perf_counter()
                write_report(engine, target, actor="bench", day=REPORT_DAY)
                seconds = time.perf_counter() - started
            results[suffix] = (seconds, memory.peak_mib)
            target.unlink()
    finally:
        engine.dispose()
    return results


def _new_postgresql_database() -> str:
    name = f"contactable_bench_{uuid.uuid4().hex[:8]}"
    admin = POSTGRESQL.replace("+psycopg", "") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return name


def _drop_postgresql_database(name: str) -> None:
    admin = POSTGRESQL.replace("+psycopg", "") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _print_side_by_side(
    timings: dict[str, list[dict[str, tuple[float, float]]]],
) -> None:
    labels = list(timings)
    print()
    print(
        f"report on {REPORT_DAY.isoformat():12s}" + "".join(f"{n:>26s}" for n in labels)
    )
    for suffix in ("xlsx", "html"):
        for run in range(max(len(runs) for runs in timings.values())):
            cells = []
            for label in labels:
                seconds, peak = timings[label][run][suffix]
                cells.append(f"{seconds:8.2f} s (peak {peak:,.0f} MiB)")
            print(f"  {suffix:20s}" + "".join(f"{c:>26s}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=750_000)
    parser.add_argument(
        "--database",
        action="append",
        default=[],
        metavar="URL",
        help="time the report on this database, built earlier; may be repeated",
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases this run builds"
    )
    parser.add_argument("--repeat", type=int, default=1, help="times to run each")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        urls = [
            ("PostgreSQL" if url.startswith("postgres") else "SQLite", url)
            for url in args.database
        ]
        dropped = []
        try:
            if not urls:
                print(
                    f"writing a council of {args.electors:,} electors ...", flush=True
                )
                files = write_files(folder, args.electors)
                home = (
                    Path(tempfile.mkdtemp(prefix="contactable-bench-"))
                    if args.keep
                    else folder
                )
                if args.only in (None, "sqlite"):
                    urls.append(("SQLite", f"sqlite:///{home / 'council.db'}"))
                if args.only in (None, "postgresql"):
                    name = _new_postgresql_database()
                    urls.append(("PostgreSQL", f"{POSTGRESQL}/{name}"))
                    if not args.keep:
                        dropped.append(name)
                for label, url in urls:
                    print(f"building on {label} ...", flush=True)
                    build(url, files)

            timings = {}
            for label, url in urls:
                counts = sizes(url)
                print(f"{label}: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
                timings[label] = [time_report(url, folder) for _ in range(args.repeat)]
            _print_side_by_side(timings)
            if args.keep:
                print("\nkept: " + " ".join(f"--database {url}" for _, url in urls))
        finally:
            for name in dropped:
                _drop_postgresql_database(name)


if __name__ == "__main__":
    main()
