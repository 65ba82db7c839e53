"""The base of every error Contactable raises for a person to read."""

from __future__ import annotations


class ContactableError(Exception):
    """Something a person can put right; ``message`` says what and how.

    Subclasses set a stable ``code``. Messages never hold personal data beyond
    the row they concern.
    """

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
