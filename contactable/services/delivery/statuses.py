"""GOV.UK Notify's statuses, and what each says about the contact it was sent to.

Notify's API gives a status code ("permanent-failure"); its downloaded reports
give the same status in words, which differ between email and text
("Email address doesn't exist", "Phone number doesn't exist") and have changed
over the years ("does not exist", "Not delivered", "Delivering"). Both are read
into the code, so that an event keeps one spelling whatever it came from.

The codes are those of Notify's API documentation (message status, email and
text message). The wordings are those of notifications-api's
``Notification.formatted_status`` (the CSV downloads) and of
notifications-admin's status labels (the dashboard).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from contactable.store.schema_constants import CODE_LENGTH


class Outcome(StrEnum):
    """What a status means for the contact point the message went to."""

    # Resets the run of temporary failures.
    DELIVERED = "delivered"
    # Makes the contact point undeliverable.
    PERMANENT_FAILURE = "permanent_failure"
    # Counts towards Settings.temporary_failure_limit.
    TEMPORARY_FAILURE = "temporary_failure"
    # Notify's problem, or a failure Notify does not attribute ("failed"):
    # nothing is said about the contact.
    TECHNICAL_FAILURE = "technical_failure"
    # Sent to an international number, whose networks give no receipt.
    NO_RECEIPT = "no_receipt"
    # Still on its way: kept, and looked at again by the next pull.
    NOT_FINAL = "not_final"
    # A code Notify's API gives that was not documented when this was written.
    UNRECOGNISED = "unrecognised"


# The outcomes that change a contact point's deliverability or its count.
COUNTED = frozenset(
    {Outcome.DELIVERED, Outcome.PERMANENT_FAILURE, Outcome.TEMPORARY_FAILURE}
)

_OUTCOMES = {
    "delivered": Outcome.DELIVERED,
    "permanent-failure": Outcome.PERMANENT_FAILURE,
    "temporary-failure": Outcome.TEMPORARY_FAILURE,
    "technical-failure": Outcome.TECHNICAL_FAILURE,
    # An older status, and the API's filter for all three failures: which one
    # it was is not said, so it is not held against the contact.
    "failed": Outcome.TECHNICAL_FAILURE,
    "sent": Outcome.NO_RECEIPT,
    "created": Outcome.NOT_FINAL,
    "sending": Outcome.NOT_FINAL,
    "pending": Outcome.NOT_FINAL,
}

# Folded wording (see _fold) to code. Codes fold to words too ("permanent
# failure"), so a file that holds codes is read as well.
_WORDINGS = {
    "delivered": "delivered",
    "email address doesn't exist": "permanent-failure",
    "email address does not exist": "permanent-failure",
    "phone number doesn't exist": "permanent-failure",
    "phone number does not exist": "permanent-failure",
    # The dashboard's words for a text's permanent failure.
    "not delivered": "permanent-failure",
    "permanent failure": "permanent-failure",
    "inbox not accepting messages right now": "temporary-failure",
    "phone not accepting messages right now": "temporary-failure",
    "temporary failure": "temporary-failure",
    "technical failure": "technical-failure",
    "failed": "failed",
    "sent internationally": "sent",
    "sent to an international number": "sent",
    "sent": "sent",
    "sending": "sending",
    "delivering": "sending",
    "created": "created",
    "pending": "pending",
}

_SEPARATORS = re.compile(r"[\s_-]+")


@dataclass(frozen=True)
class NotifyStatus:
    """A status as Notify's API spells it, and its outcome."""

    code: str
    outcome: Outcome

    @property
    def is_final(self) -> bool:
        """Whether Notify will say no more about the message."""
        return self.outcome is not Outcome.NOT_FINAL


def _fold(text: str) -> str:
    # Notify writes "doesn’t" with a typographic apostrophe; a spreadsheet
    # saved again may straighten it.
    straightened = text.replace("\u2019", "'").strip().rstrip(".").lower()
    return _SEPARATORS.sub(" ", straightened)


def status_from_code(code: str) -> NotifyStatus:
    """The status for a code of Notify's API; an unknown code is UNRECOGNISED.

    >>> status_from_code("permanent-failure").outcome
    <Outcome.PERMANENT_FAILURE: 'permanent_failure'>
    """
    # An unknown code is kept, cut to the length the store holds.
    normalised = code.strip().lower()[:CODE_LENGTH]
    return NotifyStatus(normalised, _OUTCOMES.get(normalised, Outcome.UNRECOGNISED))


def status_from_words(text: str) -> NotifyStatus | None:
    """The status for the words of a downloaded report, or None if unknown.

    >>> status_from_words("Phone not accepting messages right now").code
    'temporary-failure'
    """
    code = _WORDINGS.get(_fold(text))
    if code is None:
        return None
    return NotifyStatus(code, _OUTCOMES[code])


def counted_codes() -> frozenset[str]:
    """Every code that changes a contact point's deliverability or count."""
    return frozenset(c for c, o in _OUTCOMES.items() if o in COUNTED)


def not_final_codes() -> frozenset[str]:
    """Every code of a message still on its way."""
    return frozenset(c for c, o in _OUTCOMES.items() if o is Outcome.NOT_FINAL)
