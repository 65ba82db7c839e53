"""Errors raised when the database cannot be reached or used as configured."""

from __future__ import annotations

from contactable.errors import ContactableError


class StoreError(ContactableError):
    """The database cannot be used as configured."""

    code = "store"


class DatabaseUrlError(StoreError):
    """The database URL is not one Contactable can use."""

    code = "database_url"


class MigrationError(StoreError):
    """A schema migration left the database inconsistent and was undone."""

    code = "migration"


class UnknownActorError(StoreError):
    """Nobody can be named as the person making a change."""

    code = "unknown_actor"
