"""The command line: ``contactable``, the first front end and the tests' contract."""

from __future__ import annotations

from contactable.cli.app import app, main

__all__ = ["app", "main"]
