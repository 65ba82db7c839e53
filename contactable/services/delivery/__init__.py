"""Delivery: what became of the emails and texts sent, and what it means.

News comes from three places, each a module: GOV.UK Notify's downloaded
delivery reports (``notify_report``), its API (``notify_api``) and bounce
messages in a mailbox (``bounces``). ``recording`` keeps every piece of news
as a DeliveryEvent and applies the rules of deliverability to contact points.
"""

from contactable.services.delivery.bounces import import_bounces
from contactable.services.delivery.errors import (
    DeliveryError,
    MailboxMissing,
    NotAMailbox,
    NotANotifyReport,
    NotifyNotConfigured,
    NotifyUnavailable,
    UnknownContactPoint,
)
from contactable.services.delivery.notify_api import notify_client, pull_notifications
from contactable.services.delivery.notify_report import (
    import_notify_report,
    read_notify_report,
)
from contactable.services.delivery.recording import (
    DeliveryReport,
    Receipt,
    confirm_contact_point,
    contact_value,
    record_receipts,
)
from contactable.services.delivery.statuses import (
    NotifyStatus,
    Outcome,
    status_from_code,
    status_from_words,
)

__all__ = [
    "DeliveryError",
    "DeliveryReport",
    "MailboxMissing",
    "NotAMailbox",
    "NotANotifyReport",
    "NotifyNotConfigured",
    "NotifyStatus",
    "NotifyUnavailable",
    "Outcome",
    "Receipt",
    "UnknownContactPoint",
    "confirm_contact_point",
    "contact_value",
    "import_bounces",
    "import_notify_report",
    "notify_client",
    "pull_notifications",
    "read_notify_report",
    "record_receipts",
    "status_from_code",
    "status_from_words",
]
