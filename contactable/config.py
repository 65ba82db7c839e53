"""Settings: ``contactable.toml`` in the working folder, overridden by environment.

Each setting can be set in the file or by an environment variable named
``CONTACTABLE_`` and the setting's name in capitals, which wins
(``CONTACTABLE_DIALLING_CODE=0113``).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from contactable.errors import ContactableError

SETTINGS_FILE = "contactable.toml"
ENVIRONMENT_PREFIX = "CONTACTABLE_"


class SettingsError(ContactableError):
    """A setting in the file or the environment cannot be used."""

    code = "settings"


@dataclass(frozen=True)
class Settings:
    """Every setting, with its default."""

    database_url: str = "sqlite:///contactable.db"
    dialling_code: str = ""
    shared_threshold: int = 4
    link_accept_probability: float = 0.95
    link_review_probability: float = 0.6
    retention_days_after_leaving: int = 365
    retention_days_unused: int = 1825
    temporary_failure_limit: int = 3
    document_url_template: str = ""
    notify_api_key: str = ""
    notify_base_url: str = "https://api.notifications.service.gov.uk"

    def __post_init__(self) -> None:
        problems = []
        if self.dialling_code and not re.fullmatch(
            r"0[1-9][0-9]{1,4}", self.dialling_code
        ):
            problems.append(
                "dialling_code must be a British dialling code with its 0, "
                f"for example 0113, not {self.dialling_code!r}"
            )
        if self.shared_threshold < 2:
            problems.append(
                f"shared_threshold must be 2 or more, not {self.shared_threshold}"
            )
        if not 0 < self.link_review_probability <= self.link_accept_probability <= 1:
            problems.append(
                "link_review_probability must be above 0 and no more than "
                "link_accept_probability, which is at most 1"
            )
        if self.temporary_failure_limit < 1:
            problems.append("temporary_failure_limit must be 1 or more")
        if problems:
            raise SettingsError("; ".join(problems) + ".")


def _convert(name: str, kind: type, value: Any) -> Any:
    try:
        if kind is int and not isinstance(value, bool):
            return int(value)
        if kind is float:
            return float(value)
    except (TypeError, ValueError) as error:
        raise SettingsError(f"{name} must be a number, not {value!r}.") from error
    return str(value)


def load_settings(folder: Path | None = None) -> Settings:
    """Read the settings for the working folder (or ``folder``)."""
    path = (folder or Path.cwd()) / SETTINGS_FILE
    values: dict[str, Any] = {}
    if path.exists():
        try:
            values = tomllib.loads(path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise SettingsError(f"{path} is not valid TOML: {error}.") from error

    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise SettingsError(
            f"{path} has settings Contactable does not know: {', '.join(unknown)}."
        )
    for name in known:
        variable = ENVIRONMENT_PREFIX + name.upper()
        if variable in os.environ:
            values[name] = os.environ[variable]

    kinds = {"int": int, "float": float, "str": str}
    converted = {
        name: _convert(name, kinds[str(known[name].type)], value)
        for name, value in values.items()
    }
    return Settings(**converted)


def settings_file_text() -> str:
    """A commented ``contactable.toml`` holding every default."""
    defaults = Settings()
    notes = {
        "database_url": "SQLite file in this folder; a PostgreSQL URL in production",
        "dialling_code": "the council's own code, completing local numbers (0113)",
        "shared_threshold": "a value at this many different addresses is marked shared",
        "link_accept_probability": "matches at or above this are linked",
        "link_review_probability": "matches between this and the above wait for review",
        "retention_days_after_leaving": "contacts of electors who left: kept this long",
        "retention_days_unused": "contacts not confirmed in this long are purged",
        "temporary_failure_limit": "temporary failures in a row that stop a contact",
        "document_url_template": "a scanned form's address: https://ems/doc/{reference}",
        "notify_api_key": "GOV.UK Notify API key for delivery pull",
        "notify_base_url": "GOV.UK Notify API base URL",
    }
    lines = [
        "# Contactable settings. Each can be overridden by CONTACTABLE_<NAME>.",
        "",
    ]
    for field in fields(Settings):
        value = getattr(defaults, field.name)
        shown = f'"{value}"' if isinstance(value, str) else str(value)
        lines += [f"# {notes[field.name]}", f"{field.name} = {shown}", ""]
    return "\n".join(lines)
