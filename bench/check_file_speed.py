"""Seconds for ``contactable check`` on a large CSV, read to written.

    python bench/check_file_speed.py 1000000

Writes a synthetic canvass-response export of N rows to a temporary folder,
then times, side by side:
(a) the floor: Polars reading the file and writing it back, all columns as text;
(b) ``contactable check FILE --output OUT.csv`` run as a command, start to end.
Target at N = 1,000,000: (b) under 10 s.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from contactable.synthetic.contacts import sample_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "responses.csv"
        print(f"writing {args.rows:,} rows to {source.name} ...", flush=True)
        with source.open("w", newline="", encoding="utf-8") as file:
            csv.writer(file).writerows(sample_table(args.rows, seed=3))
        size = source.stat().st_size / 2**20

        started = time.perf_counter()
        frame = pl.read_csv(source, infer_schema=False)
        frame.write_csv(Path(folder) / "floor.csv")
        floor = time.perf_counter() - started

        command = Path(sys.executable).with_name("contactable")
        output = Path(folder) / "checked.csv"
        started = time.perf_counter()
        subprocess.run(
            [str(command), "check", str(source), "--output", str(output)],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "CONTACTABLE_DIALLING_CODE": "01632"},
            cwd=folder,
        )
        ours = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**10

        print(f"file                          {args.rows:>10,} rows, {size:,.0f} MiB")
        print(f"(a) polars read + write       {floor:>10.2f} s")
        print(f"(b) contactable check         {ours:>10.2f} s  (peak {peak:,.0f} MiB)")
        written = pl.scan_csv(output).select(pl.len()).collect().item()
        print(f"checked rows written          {written:>10,}")


if __name__ == "__main__":
    main()
