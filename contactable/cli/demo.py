"""``contactable demo``: the whole flow on a synthetic council, in a fresh folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contactable.cli.app import app, console, reports_errors
from contactable.services.demo import run_demo


@app.command()
@reports_errors
def demo(
    electors: Annotated[
        int, typer.Option(min=100, help="How many electors the council has.")
    ] = 20_000,
    folder: Annotated[Path, typer.Option(help="A new folder to build it in.")] = Path(
        "contactable-demo"
    ),
    seed: Annotated[
        int, typer.Option(help="The same seed builds the same council.")
    ] = 2026,
) -> None:
    """Build a synthetic council and run every step on it, saying what happened."""
    run_demo(
        folder,
        electors=electors,
        seed=seed,
        say=lambda line: console.print(line, markup=False, highlight=False),
    )
