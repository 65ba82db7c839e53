"""The values the store allows in its enumerated columns, and its column lengths.

Each tuple is written into a check constraint, so that both SQLite and
PostgreSQL refuse a value outside it. Adding a value needs a migration.
"""

from __future__ import annotations

# DESIGN.md, Vocabulary: documents the ERO collected directly.
ELECTORAL_SOURCE_KINDS = (
    "canvass-response",
    "registration-application",
    "absent-vote-application",
    "correspondence",
)

# DESIGN.md, Vocabulary: council records the ERO may inspect. Their contact
# details need an agreement and a privacy notice (rule 2).
LOCAL_RECORD_KINDS = (
    "council-tax",
    "customer-service",
    "customer-records-index",
    "local-record",
)

# Every kind of file an import batch can hold.
IMPORT_KINDS = (
    "register",
    *ELECTORAL_SOURCE_KINDS,
    *LOCAL_RECORD_KINDS,
    "delivery-report",
    "review-sheet",
)

CONTACT_KINDS = ("email", "phone")

# The outcome of a check (DESIGN.md, Checks); contactable.checks.outcome.Status.
CHECK_STATUSES = ("ok", "suggestion", "invalid", "empty")

# contactable.checks.outcome.PhoneType.
PHONE_TYPES = (
    "mobile",
    "landline",
    "voip",
    "personal",
    "pager",
    "non_geographic",
    "freephone",
    "premium",
    "other",
)

ELECTOR_STATUSES = ("current", "left")

# How a source record came to be linked to an elector, from the surest.
LINK_METHODS = (
    "elector_number",
    "uprn_name",
    "address_name",
    "probabilistic",
    "review",
)

DELIVERABILITY = ("unknown", "delivered", "undeliverable")

DELIVERY_CHANNELS = ("email", "sms")

DELIVERY_SOURCES = ("notify-report", "notify-api", "bounce")

REVIEW_KINDS = ("contact", "link")

REVIEW_STATUSES = ("open", "decided")

# Column lengths. PostgreSQL refuses a longer value and SQLite stores it, so
# importers compare values with these before they write.
ACTION_LENGTH = 50
ACTOR_LENGTH = 100
ADDRESS_KEY_LENGTH = 1024
ADDRESS_LINE_LENGTH = 200
CODE_LENGTH = 40
# RFC 5321 section 4.5.3.1 allows 64 + 1 + 255 characters in an address; a
# phone number is far shorter. A longer value cannot be a contact.
CONTACT_VALUE_LENGTH = 320
DEPARTMENT_LENGTH = 100
ELECTOR_NUMBER_LENGTH = 32
FILE_NAME_LENGTH = 255
NAME_KEY_LENGTH = 512
NAME_LENGTH = 150
POLLING_DISTRICT_LENGTH = 16
POSTCODE_LENGTH = 16
REFERENCE_LENGTH = 100
REGION_LENGTH = 8
SHA256_LENGTH = 64
STATEMENT_TITLE_LENGTH = 200
TITLE_LENGTH = 40
URL_LENGTH = 2048
# A Unique Property Reference Number has up to 12 digits.
UPRN_LENGTH = 12
