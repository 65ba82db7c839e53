"""Seconds and peak memory of ``contactable link`` at council scale, on SQLite.

    python bench/link_speed.py --electors 750000 --local-records 1000000

A synthetic council (contactable.synthetic.council) is written to CSV files
and taken through the real commands in a new working folder: ``contactable
init``, ``register import``, an agreement and a privacy notice for each
department (so that contacts are kept), ``import council-tax``, ``import
customer-service``, and then ``contactable link``, which is timed end to end,
training included. Peak memory is the link process's resident set size.

Targets at 750,000 electors and 1,000,000 council records: under 60 s and
under 4 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from link_accuracy import _write

from contactable.synthetic.council import synthetic_council

_PAGE = os.sysconf("SC_PAGE_SIZE")
# ``contactable link``, whether or not the command is registered on the app yet.
_LINK = (
    "import logging, sys; from contactable.cli.app import main; "
    "import contactable.cli.link; "
    "logging.getLogger('contactable.services.linking').setLevel(logging.INFO); "
    "sys.argv = ['contactable', 'link']; main()"
)


def _contactable(folder: Path, *arguments: str) -> None:
    subprocess.run(
        [str(Path(sys.executable).with_name("contactable")), *arguments],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _watch(process: subprocess.Popen[bytes], peak: list[int]) -> None:
    statm = Path(f"/proc/{process.pid}/statm")
    while process.poll() is None:
        try:
            peak[0] = max(peak[0], int(statm.read_text().split()[1]) * _PAGE)
        except (FileNotFoundError, ProcessLookupError):
            break
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=750_000)
    parser.add_argument("--local-records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep",
        type=Path,
        help="A folder to keep the imported database in, and to reuse it from: "
        "each run links a fresh copy of it.",
    )
    arguments = parser.parse_args()
    if arguments.keep and (arguments.keep / "contactable.db").exists():
        _link(arguments.keep)
        return

    started = time.perf_counter()
    council = synthetic_council(
        arguments.electors, arguments.seed, local_records=arguments.local_records
    )
    print(
        f"generated {council.register.height:,} electors, "
        f"{council.council_tax.height + council.customer_service.height:,} council "
        f"records in {time.perf_counter() - started:.0f} s"
    )

    with tempfile.TemporaryDirectory() as name:
        folder = arguments.keep or Path(name)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        _contactable(folder, "init")
        _contactable(
            folder,
            "register",
            "import",
            str(_write(council.register, folder / "register.csv")),
        )
        for department, kind, frame in (
            ("Council Tax", "council-tax", council.council_tax),
            ("Customer Services", "customer-service", council.customer_service),
        ):
            common = [
                "--department",
                department,
                "--reference",
                f"{kind}-1",
                "--kind",
                kind,
                "--from",
                "2020-01-01",
            ]
            _contactable(folder, "agreement", "add", *common)
            _contactable(folder, "notice", "add", *common)
            _contactable(
                folder, "import", kind, str(_write(frame, folder / f"{kind}.csv"))
            )
        print(f"imported in {time.perf_counter() - started:.0f} s")

        _link(folder)


def _link(folder: Path) -> None:
    """Run ``contactable link`` on a copy of the folder's imported database."""
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        shutil.copy(folder / "contactable.db", work / "contactable.db")
        shutil.copy(folder / "contactable.toml", work / "contactable.toml")
        peak = [0]
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", _LINK], cwd=work, stdout=subprocess.PIPE
        )
        watcher = threading.Thread(target=_watch, args=(process, peak))
        watcher.start()
        output, _ = process.communicate()
        seconds = time.perf_counter() - started
        watcher.join()
    if process.returncode:
        raise SystemExit(f"contactable link failed with {process.returncode}")
    print(output.decode())
    print(
        json.dumps(
            {
                "link_seconds": round(seconds, 1),
                "peak_memory_gb": round(peak[0] / 1e9, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
