"""Seconds and peak memory of the exports on a council-sized database.

    python bench/export_speed.py --electors 750000
    python bench/export_speed.py --database sqlite:////tmp/linkbench/contactable.db

Builds a database of N electors (a synthetic register export through
``register import``, so every elector's contacts are contact points), or uses
the one given, then times each export: recipients for email and for texts, per
elector and per property, the paper follow-up and the EMS update. Target at
750,000 electors: ``export recipients`` under 30 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_speed import write_files
from memory import PeakMemory

from contactable.config import Settings
from contactable.services.exports.lists import (
    export_ems_update,
    export_follow_up,
    export_recipients,
)
from contactable.services.importing.register import import_register
from contactable.store import make_engine, transaction, upgrade

DAY = date(2026, 9, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=750_000)
    parser.add_argument("--database", help="use this database instead of building one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = args.database
        if url is None:
            url = f"sqlite:///{folder}/exports.db"
            print(f"building a database of {args.electors:,} electors ...", flush=True)
            register, _ = write_files(Path(folder), args.electors, 0)
            upgrade(url)
            engine = make_engine(url)
            import_register(engine, register, Settings(), actor="bench", today=DAY)
            engine.dispose()
        engine = make_engine(url)
        runs = [
            ("recipients email per elector", "email", "elector"),
            ("recipients sms per elector", "sms", "elector"),
            ("recipients email per property", "email", "property"),
        ]
        for label, channel, per in runs:
            with PeakMemory() as memory, transaction(engine) as session:
                started = time.perf_counter()
                result = export_recipients(
                    session,
                    Path(folder) / f"{channel}-{per}.csv",
                    channel=channel,
                    per=per,
                    day=DAY,
                    actor="bench",
                )
                seconds = time.perf_counter() - started
            print(
                f"{label:32s} {seconds:6.2f} s  {result.rows:>9,} rows in "
                f"{len(result.files)} files  peak {memory.peak_mib:,.0f} MiB"
            )
        for label, export in (
            ("follow-up", export_follow_up),
            ("ems-update", export_ems_update),
        ):
            with PeakMemory() as memory, transaction(engine) as session:
                started = time.perf_counter()
                result = export(
                    session, Path(folder) / f"{label}.csv", day=DAY, actor="bench"
                )
                seconds = time.perf_counter() - started
            print(
                f"{label:32s} {seconds:6.2f} s  {result.rows:>9,} rows  "
                f"peak {memory.peak_mib:,.0f} MiB"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
