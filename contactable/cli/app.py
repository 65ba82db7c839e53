"""The ``contactable`` application: its commands, logging and error handling."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from contactable.errors import ContactableError

app = typer.Typer(
    name="contactable",
    help="Keep electors' email addresses and phone numbers lawful, accurate and "
    "deliverable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console()
errors = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a ContactableError into one line on standard error and exit code 1."""

    @wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ContactableError as error:
            errors.print(
                f"Error: {error.message}", markup=False, highlight=False, soft_wrap=True
            )
            raise typer.Exit(1) from None

    return run


# Options given before the command, for every command of this run.
state: dict[str, str | None] = {}


@app.callback()
def contactable(
    user: Annotated[
        str | None,
        typer.Option(help="Who is acting, for the audit log; your login if not given."),
    ] = None,
) -> None:
    """Keep electors' email addresses and phone numbers lawful, accurate and
    deliverable."""
    state["user"] = user


def _configure_logging() -> None:
    # Only the command line configures logging; the library never does. Log lines
    # hold IDs and counts, never personal data.
    logging.basicConfig(
        level=logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main() -> None:
    """Run the command line."""
    _configure_logging()
    app()


# Commands register themselves on ``app`` when their modules are imported.
from contactable.cli import (  # noqa: E402, F401
    check,
    demo,
    export,
    governance,
    imports,
    link,
    report,
    review,
    setup,
)
from contactable.cli.export import export_app  # noqa: E402

app.add_typer(export_app, name="export")
from contactable.cli.delivery import delivery_app  # noqa: E402

app.add_typer(delivery_app, name="delivery")
