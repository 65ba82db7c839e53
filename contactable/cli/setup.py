"""``contactable init``: set up or upgrade the database, and write the settings."""

from __future__ import annotations

from pathlib import Path

from contactable.cli.app import app, console, reports_errors
from contactable.config import SETTINGS_FILE, settings_file_text
from contactable.store import database_url, upgrade


@app.command()
@reports_errors
def init() -> None:
    """Create or upgrade the database's schema; write contactable.toml if absent."""
    settings = Path.cwd() / SETTINGS_FILE
    if not settings.exists():
        settings.write_text(settings_file_text(), "utf-8")
        console.print(f"Wrote the default settings to {SETTINGS_FILE}.")
    url = database_url()
    upgrade(url)
    console.print("The database is set up and up to date.")
