"""The tables of the system of record, as SQLAlchemy declarative models.

Everything here runs unchanged on SQLite and PostgreSQL: enumerated columns
are strings with a check constraint listing the allowed values
(``schema_constants``), small dictionaries and lists are JSON, and times are
stored in UTC. Every constraint and index is named by the metadata's naming
convention, so that migrations can find them again on both databases.

Rows that only make sense with their parent go with it: deleting a contact
point deletes its observations and delivery events, deleting a source record
deletes its observations, and deleting an elector deletes their contact points.
Governance records (agreements, notices, statements) and import batches are
never deleted while anything points at them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    relationship,
    validates,
)

from contactable.store import schema_constants as allowed
from contactable.store.column_types import IDENTIFIER, UtcDateTime, utc_now
from contactable.store.personal_data import refuse_contact_details
from contactable.store.schema_constants import (
    ACTION_LENGTH,
    ACTOR_LENGTH,
    ADDRESS_KEY_LENGTH,
    ADDRESS_LINE_LENGTH,
    CODE_LENGTH,
    CONTACT_VALUE_LENGTH,
    DEPARTMENT_LENGTH,
    ELECTOR_NUMBER_LENGTH,
    FILE_NAME_LENGTH,
    NAME_KEY_LENGTH,
    NAME_LENGTH,
    POLLING_DISTRICT_LENGTH,
    POSTCODE_LENGTH,
    REFERENCE_LENGTH,
    REGION_LENGTH,
    SHA256_LENGTH,
    STATEMENT_TITLE_LENGTH,
    TITLE_LENGTH,
    UPRN_LENGTH,
    URL_LENGTH,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The base of every model; its metadata names every constraint."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _one_of(column: str, values: Iterable[str]) -> CheckConstraint:
    # Written as comparisons joined by OR, not as IN (...): SQLite evaluates an
    # IN list far more slowly, which made bulk imports several times slower.
    listed = " OR ".join(f"{column} = '{value}'" for value in values)
    return CheckConstraint(listed, name=column)


def _not_before(later: str, earlier: str) -> CheckConstraint:
    return CheckConstraint(
        f"{later} IS NULL OR {later} >= {earlier}", name=f"{later}_not_before_{earlier}"
    )


def _probability(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IS NULL OR {column} BETWEEN 0 AND 1", name=column)


def _sha256(column: str) -> CheckConstraint:
    return CheckConstraint(
        f"{column} IS NULL OR length({column}) = {SHA256_LENGTH}", name=column
    )


def _id() -> Mapped[int]:
    return mapped_column(IDENTIFIER, primary_key=True)


def _created_at() -> Mapped[datetime]:
    return mapped_column(UtcDateTime(), default=utc_now)


def _updated_at() -> Mapped[datetime]:
    return mapped_column(UtcDateTime(), default=utc_now, onupdate=utc_now)


# Tables whose rows are kept for good: they record where each detail came from
# and what made it lawful to take, so none is ever deleted.
KEPT_FOR_GOOD = frozenset(
    {
        "import_batches",
        "data_sharing_agreements",
        "privacy_notices",
        "privacy_statements",
    }
)


def _reference_to(
    target: str,
    *,
    nullable: bool = True,
    ondelete: str | None = None,
    indexed: bool = True,
) -> Mapped[Any]:
    # A reference is indexed so that deleting its target finds the rows that
    # point at it. Nothing looks up the rows that point at a table kept for good
    # one target at a time, and an index on each would slow every import.
    return mapped_column(
        IDENTIFIER,
        ForeignKey(target, ondelete=ondelete),
        nullable=nullable,
        index=indexed and target.split(".")[0] not in KEPT_FOR_GOOD,
    )


def _index_where_set(column: str) -> Index:
    """An index of the rows where ``column`` holds a value, for a reference that
    is empty until linking sets it: an import of rows that leave it empty then
    has nothing to add to the index, and nothing to rebuild."""
    where = text(f"{column} IS NOT NULL")
    return Index(None, column, postgresql_where=where, sqlite_where=where)


class Property(Base):
    """An address on the register, keyed by its UPRN where one is known."""

    __tablename__ = "properties"

    id: Mapped[int] = _id()
    uprn: Mapped[str | None] = mapped_column(String(UPRN_LENGTH), unique=True)
    address_1: Mapped[str | None] = mapped_column(String(ADDRESS_LINE_LENGTH))
    address_2: Mapped[str | None] = mapped_column(String(ADDRESS_LINE_LENGTH))
    address_3: Mapped[str | None] = mapped_column(String(ADDRESS_LINE_LENGTH))
    address_4: Mapped[str | None] = mapped_column(String(ADDRESS_LINE_LENGTH))
    address_5: Mapped[str | None] = mapped_column(String(ADDRESS_LINE_LENGTH))
    # None of these is indexed: imports and linking read every property and
    # match in memory, and reports read them all; an index on each only made
    # every register import slower.
    postcode: Mapped[str | None] = mapped_column(String(POSTCODE_LENGTH))
    # The address normalised for matching: the same place gives the same key.
    address_key: Mapped[str] = mapped_column(String(ADDRESS_KEY_LENGTH))
    polling_district: Mapped[str | None] = mapped_column(
        String(POLLING_DISTRICT_LENGTH)
    )
    created_at: Mapped[datetime] = _created_at()

    electors: Mapped[list[Elector]] = relationship(back_populates="property")


class Elector(Base):
    """A person on the register, known by their elector number."""

    __tablename__ = "electors"
    __table_args__ = (
        _one_of("status", allowed.ELECTOR_STATUSES),
        CheckConstraint(
            "left_on IS NULL OR status = 'left'", name="left_on_only_when_left"
        ),
    )

    id: Mapped[int] = _id()
    # Polling district letters and a number, such as AB1-123.
    elector_number: Mapped[str] = mapped_column(
        String(ELECTOR_NUMBER_LENGTH), unique=True
    )
    title: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    forename: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    middle_names: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    surname: Mapped[str] = mapped_column(String(NAME_LENGTH))
    # The name normalised for matching; not indexed, as linking matches in
    # memory.
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH))
    # Empty for electors the register holds without an address, such as
    # anonymous and some overseas electors.
    property_id: Mapped[int | None] = _reference_to("properties.id")
    status: Mapped[str] = mapped_column(
        String(CODE_LENGTH), default="current", server_default=text("'current'")
    )
    left_on: Mapped[date | None]
    first_import_id: Mapped[int | None] = _reference_to("import_batches.id")
    last_import_id: Mapped[int | None] = _reference_to("import_batches.id")
    created_at: Mapped[datetime] = _created_at()
    updated_at: Mapped[datetime] = _updated_at()

    property: Mapped[Property | None] = relationship(back_populates="electors")
    contact_points: Mapped[list[ContactPoint]] = relationship(
        back_populates="elector", cascade="all, delete-orphan", passive_deletes=True
    )


class PrivacyStatement(Base):
    """The ERO's privacy statement in force for electoral sources over a period."""

    __tablename__ = "privacy_statements"
    __table_args__ = (_not_before("effective_to", "effective_from"),)

    id: Mapped[int] = _id()
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH), unique=True)
    title: Mapped[str] = mapped_column(String(STATEMENT_TITLE_LENGTH))
    effective_from: Mapped[date]
    # The last day the statement was in force; empty while it still is.
    effective_to: Mapped[date | None]
    url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    created_at: Mapped[datetime] = _created_at()


class PrivacyNotice(Base):
    """What a council department told people about their details, over a period."""

    __tablename__ = "privacy_notices"
    __table_args__ = (
        UniqueConstraint("department", "reference"),
        _not_before("effective_to", "effective_from"),
    )

    id: Mapped[int] = _id()
    department: Mapped[str] = mapped_column(String(DEPARTMENT_LENGTH))
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH))
    # The source kinds the notice applies to, such as ["council-tax"].
    record_kinds: Mapped[list[str]] = mapped_column(JSON)
    # Whether it told people their contact details may be given to the ERO
    # (DESIGN.md, rule 2).
    covers_contact_disclosure: Mapped[bool]
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    created_at: Mapped[datetime] = _created_at()


class DataSharingAgreement(Base):
    """An agreement letting a department disclose its records to the ERO."""

    __tablename__ = "data_sharing_agreements"
    __table_args__ = (
        UniqueConstraint("department", "reference"),
        _not_before("ends_on", "starts_on"),
    )

    id: Mapped[int] = _id()
    department: Mapped[str] = mapped_column(String(DEPARTMENT_LENGTH))
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH))
    record_kinds: Mapped[list[str]] = mapped_column(JSON)
    covers_contact_details: Mapped[bool]
    starts_on: Mapped[date]
    # The last day of the agreement; empty when it has no end date.
    ends_on: Mapped[date | None]
    revoked_on: Mapped[date | None]
    revoked_by: Mapped[str | None] = mapped_column(String(ACTOR_LENGTH))
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _created_at()


class ImportBatch(Base):
    """One file imported once: who imported it, when, and what came of it."""

    __tablename__ = "import_batches"
    __table_args__ = (
        # The same file cannot be imported twice as the same kind.
        UniqueConstraint("kind", "file_sha256"),
        _one_of("kind", allowed.IMPORT_KINDS),
        _sha256("file_sha256"),
    )

    id: Mapped[int] = _id()
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    department: Mapped[str | None] = mapped_column(String(DEPARTMENT_LENGTH))
    file_name: Mapped[str] = mapped_column(String(FILE_NAME_LENGTH))
    file_sha256: Mapped[str] = mapped_column(String(SHA256_LENGTH))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    imported_by: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    # The importer's word that every detail in the file was collected after
    # this date, for rows with no date of their own (DESIGN.md, rule 2).
    collected_after: Mapped[date | None]
    # Rows read, created, updated, accepted, withheld by reason, rejected...
    # Assign a new dictionary to change it: changes inside are not tracked.
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    source_records: Mapped[list[SourceRecord]] = relationship(
        back_populates="import_batch"
    )


class SourceRecord(Base):
    """One person as a row of an imported file recorded them."""

    __tablename__ = "source_records"
    __table_args__ = (
        _one_of("kind", allowed.IMPORT_KINDS),
        _one_of("link_method", allowed.LINK_METHODS),
        _probability("link_probability"),
        _index_where_set("elector_id"),
    )

    id: Mapped[int] = _id()
    import_batch_id: Mapped[int] = _reference_to("import_batches.id", nullable=False)
    # The row number a spreadsheet shows for the row, to report problems by.
    row_number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    department: Mapped[str | None] = mapped_column(String(DEPARTMENT_LENGTH))
    document_reference: Mapped[str | None] = mapped_column(String(REFERENCE_LENGTH))
    # When the details were collected, from the row or the attestation.
    collected_on: Mapped[date | None]
    # The matching keys are not indexed: linking reads every unlinked record
    # and matches in memory, and an index on each made imports slower.
    elector_number: Mapped[str | None] = mapped_column(String(ELECTOR_NUMBER_LENGTH))
    title: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    forename: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    middle_names: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    surname: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    name_key: Mapped[str | None] = mapped_column(String(NAME_KEY_LENGTH))
    address_1: Mapped[str | None] = mapped_column(String(ADDRESS_LINE_LENGTH))
    address_2: Mapped[str | None] = mapped_column(String(ADDRESS_LINE_LENGTH))
    address_3: Mapped[str | None] = mapped_column(String(ADDRESS_LINE_LENGTH))
    address_4: Mapped[str | None] = mapped_column(String(ADDRESS_LINE_LENGTH))
    address_5: Mapped[str | None] = mapped_column(String(ADDRESS_LINE_LENGTH))
    postcode: Mapped[str | None] = mapped_column(String(POSTCODE_LENGTH))
    uprn: Mapped[str | None] = mapped_column(String(UPRN_LENGTH))
    address_key: Mapped[str | None] = mapped_column(String(ADDRESS_KEY_LENGTH))
    # What made its contact details lawful to take (DESIGN.md, rules 1 and 2).
    agreement_id: Mapped[int | None] = _reference_to("data_sharing_agreements.id")
    privacy_notice_id: Mapped[int | None] = _reference_to("privacy_notices.id")
    privacy_statement_id: Mapped[int | None] = _reference_to("privacy_statements.id")
    # Set by linking; a record whose elector goes becomes unlinked.
    elector_id: Mapped[int | None] = _reference_to(
        "electors.id", ondelete="SET NULL", indexed=False
    )
    link_method: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    link_probability: Mapped[float | None] = mapped_column(Float)
    linked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Found in local records but not on the register.
    is_potential_elector: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )

    import_batch: Mapped[ImportBatch] = relationship(back_populates="source_records")
    elector: Mapped[Elector | None] = relationship()
    observations: Mapped[list[Observation]] = relationship(
        back_populates="source_record",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Observation(Base):
    """One sighting of an email address or phone number in one source record."""

    __tablename__ = "observations"
    __table_args__ = (
        _one_of("kind", allowed.CONTACT_KINDS),
        _one_of("status", allowed.CHECK_STATUSES),
        _one_of("phone_type", allowed.PHONE_TYPES),
        _index_where_set("contact_point_id"),
    )

    id: Mapped[int] = _id()
    source_record_id: Mapped[int] = _reference_to(
        "source_records.id", nullable=False, ondelete="CASCADE"
    )
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    # The value exactly as the file recorded it.
    raw_value: Mapped[str] = mapped_column(Text)
    normalised: Mapped[str | None] = mapped_column(String(CONTACT_VALUE_LENGTH))
    status: Mapped[str] = mapped_column(String(CODE_LENGTH))
    problem: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    suggestion: Mapped[str | None] = mapped_column(String(CONTACT_VALUE_LENGTH))
    phone_type: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    phone_region: Mapped[str | None] = mapped_column(String(REGION_LENGTH))
    contact_point_id: Mapped[int | None] = _reference_to(
        "contact_points.id", ondelete="CASCADE", indexed=False
    )
    observed_on: Mapped[date | None]
    created_at: Mapped[datetime] = _created_at()

    source_record: Mapped[SourceRecord] = relationship(back_populates="observations")
    contact_point: Mapped[ContactPoint | None] = relationship(
        back_populates="observations"
    )


class ContactPoint(Base):
    """One email address or phone number that belongs to one elector."""

    __tablename__ = "contact_points"
    __table_args__ = (
        UniqueConstraint("elector_id", "kind", "value"),
        # The same value on many electors is found through this (the shared
        # check); the unique constraint serves lookups by elector.
        Index(None, "kind", "value"),
        _one_of("kind", allowed.CONTACT_KINDS),
        _one_of("status", allowed.CHECK_STATUSES),
        _one_of("phone_type", allowed.PHONE_TYPES),
        _one_of("deliverability", allowed.DELIVERABILITY),
        CheckConstraint("temporary_failures >= 0", name="temporary_failures"),
        _not_before("last_seen_on", "first_seen_on"),
    )

    id: Mapped[int] = _id()
    elector_id: Mapped[int] = mapped_column(
        IDENTIFIER, ForeignKey("electors.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    # The normalised value, or the cleaned value as recorded when it is not ok.
    value: Mapped[str] = mapped_column(String(CONTACT_VALUE_LENGTH))
    status: Mapped[str] = mapped_column(String(CODE_LENGTH))
    problem: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    suggestion: Mapped[str | None] = mapped_column(String(CONTACT_VALUE_LENGTH))
    phone_type: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    phone_region: Mapped[str | None] = mapped_column(String(REGION_LENGTH))
    first_seen_on: Mapped[date]
    last_seen_on: Mapped[date]
    deliverability: Mapped[str] = mapped_column(
        String(CODE_LENGTH), default="unknown", server_default=text("'unknown'")
    )
    # Temporary failures since the last delivery.
    temporary_failures: Mapped[int] = mapped_column(
        Integer, default=0, server_default=text("0")
    )
    created_at: Mapped[datetime] = _created_at()
    updated_at: Mapped[datetime] = _updated_at()

    elector: Mapped[Elector] = relationship(back_populates="contact_points")
    observations: Mapped[list[Observation]] = relationship(
        back_populates="contact_point", cascade="all", passive_deletes=True
    )
    delivery_events: Mapped[list[DeliveryEvent]] = relationship(
        back_populates="contact_point",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Objection(Base):
    """An elector's objection to the use of their email or phone (rule 5)."""

    __tablename__ = "objections"
    __table_args__ = (
        _one_of("kind", allowed.CONTACT_KINDS),
        CheckConstraint(
            "elector_id IS NOT NULL OR value_hash IS NOT NULL", name="has_subject"
        ),
        _sha256("value_hash"),
        _not_before("lifted_on", "recorded_on"),
    )

    id: Mapped[int] = _id()
    elector_id: Mapped[int | None] = _reference_to("electors.id")
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    # The SHA-256 of the normalised value objected to, so that the value can
    # be refused later without being kept.
    value_hash: Mapped[str | None] = mapped_column(String(SHA256_LENGTH), index=True)
    recorded_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    lifted_on: Mapped[date | None]
    # The electoral source on which the elector gave the value again.
    lifted_by_source_record_id: Mapped[int | None] = _reference_to(
        "source_records.id", ondelete="SET NULL"
    )
    note: Mapped[str | None] = mapped_column(Text)

    @validates("note")
    def _refuse_contact_details(self, key: str, value: str | None) -> str | None:
        refuse_contact_details(key, value)
        return value


class DeliveryEvent(Base):
    """What happened to one email or text sent to a contact point."""

    __tablename__ = "delivery_events"
    __table_args__ = (
        _one_of("channel", allowed.DELIVERY_CHANNELS),
        _one_of("source", allowed.DELIVERY_SOURCES),
    )

    id: Mapped[int] = _id()
    contact_point_id: Mapped[int] = _reference_to(
        "contact_points.id", nullable=False, ondelete="CASCADE"
    )
    channel: Mapped[str] = mapped_column(String(CODE_LENGTH))
    # The status as the sender reported it, such as GOV.UK Notify's
    # "permanent-failure".
    status: Mapped[str] = mapped_column(String(CODE_LENGTH))
    permanent: Mapped[bool] = mapped_column(default=False, server_default=false())
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    source: Mapped[str] = mapped_column(String(CODE_LENGTH))
    # The sender's reference for the message, such as Notify's notification id.
    reference: Mapped[str | None] = mapped_column(String(REFERENCE_LENGTH), index=True)
    import_batch_id: Mapped[int | None] = _reference_to("import_batches.id")

    contact_point: Mapped[ContactPoint] = relationship(back_populates="delivery_events")


class ReviewItem(Base):
    """A question for a person: a suggested contact value or a possible link."""

    __tablename__ = "review_items"
    __table_args__ = (
        _one_of("kind", allowed.REVIEW_KINDS),
        _one_of("status", allowed.REVIEW_STATUSES),
        _probability("probability"),
    )

    id: Mapped[int] = _id()
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    # A question about a row or a person goes when they go.
    observation_id: Mapped[int | None] = _reference_to(
        "observations.id", ondelete="CASCADE"
    )
    source_record_id: Mapped[int | None] = _reference_to(
        "source_records.id", ondelete="CASCADE"
    )
    elector_id: Mapped[int | None] = _reference_to("electors.id", ondelete="CASCADE")
    candidate_elector_id: Mapped[int | None] = _reference_to(
        "electors.id", ondelete="CASCADE"
    )
    probability: Mapped[float | None] = mapped_column(Float)
    # The value as the review sheet showed it, to notice a change since.
    value_at_export: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(
        String(CODE_LENGTH), default="open", server_default=text("'open'"), index=True
    )
    decision: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    decided_value: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(ACTOR_LENGTH))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = _created_at()


class AuditEvent(Base):
    """Who did what and when, with counts: never a contact value or a name."""

    __tablename__ = "audit_events"
    __table_args__ = (_sha256("file_sha256"),)

    id: Mapped[int] = _id()
    occurred_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utc_now, index=True
    )
    actor: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    # What was done, such as "import", "agreement.add", "purge" or "export".
    action: Mapped[str] = mapped_column(String(ACTION_LENGTH), index=True)
    # What it was done to, such as "import_batch:12".
    subject: Mapped[str | None] = mapped_column(String(REFERENCE_LENGTH), index=True)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    file_sha256: Mapped[str | None] = mapped_column(String(SHA256_LENGTH))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    @validates("counts", "details")
    def _refuse_contact_details(
        self, key: str, value: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        refuse_contact_details(key, value)
        return value
