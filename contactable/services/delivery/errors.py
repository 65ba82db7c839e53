"""Errors raised when delivery news cannot be read or fetched.

Messages are one line for the member of staff, say what to do, and never hold
an email address, a phone number or an API key.
"""

from __future__ import annotations

import os

from contactable.errors import ContactableError


class DeliveryError(ContactableError):
    """Delivery news cannot be read, fetched or applied as asked."""

    code = "delivery"


class NotANotifyReport(DeliveryError):
    """The file has no status or no recipient column, so it is not Notify's report."""

    code = "not_a_notify_report"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            f"{os.fspath(path)} does not look like a delivery report from GOV.UK "
            "Notify: it needs a 'Status' column and an 'email address', 'phone "
            "number' or 'Recipient' column. Download the report from Notify again."
        )
        self.path = os.fspath(path)


class NotifyNotConfigured(DeliveryError):
    """There is no usable GOV.UK Notify API key in the settings."""

    code = "notify_not_configured"


class NotifyUnavailable(DeliveryError):
    """GOV.UK Notify could not be reached, or refused the request."""

    code = "notify_unavailable"


class MailboxMissing(DeliveryError):
    """There is no file or folder at the mailbox path given."""

    code = "mailbox_missing"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            f"No mailbox at {os.fspath(path)}. Give an mbox file or a Maildir folder."
        )
        self.path = os.fspath(path)


class NotAMailbox(DeliveryError):
    """The path is neither an mbox file nor a Maildir folder."""

    code = "not_a_mailbox"


class UnknownContactPoint(DeliveryError):
    """No contact point has the id given."""

    code = "unknown_contact_point"

    def __init__(self, contact_point_id: int) -> None:
        super().__init__(f"There is no contact point {contact_point_id}.")
        self.contact_point_id = contact_point_id
