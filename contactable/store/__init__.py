"""The system of record: models, sessions, migrations and the audit log.

The bottom layer with ``sources``: it imports nothing from the layers above.
"""

from contactable.store.audit import current_actor, record_event
from contactable.store.database import (
    MIGRATIONS_PATH,
    alembic_config,
    database_url,
    make_engine,
    schema_is_current,
    session_factory,
    transaction,
    upgrade,
)
from contactable.store.errors import (
    DatabaseUrlError,
    MigrationError,
    StoreError,
    UnknownActorError,
)
from contactable.store.models import (
    AuditEvent,
    Base,
    ContactPoint,
    DataSharingAgreement,
    DeliveryEvent,
    Elector,
    ImportBatch,
    Objection,
    Observation,
    PrivacyNotice,
    PrivacyStatement,
    Property,
    ReviewItem,
    SourceRecord,
)

__all__ = [
    "MIGRATIONS_PATH",
    "AuditEvent",
    "Base",
    "ContactPoint",
    "DataSharingAgreement",
    "DatabaseUrlError",
    "DeliveryEvent",
    "Elector",
    "ImportBatch",
    "MigrationError",
    "Objection",
    "Observation",
    "PrivacyNotice",
    "PrivacyStatement",
    "Property",
    "ReviewItem",
    "SourceRecord",
    "StoreError",
    "UnknownActorError",
    "alembic_config",
    "current_actor",
    "database_url",
    "make_engine",
    "record_event",
    "schema_is_current",
    "session_factory",
    "transaction",
    "upgrade",
]
