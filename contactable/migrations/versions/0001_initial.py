"""The initial schema: the register, governance, sources, contacts and the audit log.

Revision ID: 0001
Revises:
Created: 2026-12-03

Written out in full rather than imported from the models, so that it keeps
describing this revision when the models move on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 64-bit on PostgreSQL; on SQLite only INTEGER becomes the auto-numbered rowid.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)

# The values each enumerated column allowed at this revision.
IMPORT_KINDS = (
    "register",
    "canvass-response",
    "registration-application",
    "absent-vote-application",
    "correspondence",
    "council-tax",
    "customer-service",
    "customer-records-index",
    "local-record",
    "delivery-report",
    "review-sheet",
)
CONTACT_KINDS = ("email", "phone")
CHECK_STATUSES = ("ok", "suggestion", "invalid", "empty")
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


def _one_of(table: str, column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    # Comparisons joined by OR: SQLite evaluates an IN list far more slowly.
    listed = " OR ".join(f"{column} = '{value}'" for value in values)
    return sa.CheckConstraint(listed, name=op.f(f"ck_{table}_{column}"))


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", ID, nullable=False),
        sa.Column("occurred_at", TIMESTAMP, nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(none_as_null=True), nullable=True),
        sa.CheckConstraint(
            "file_sha256 IS NULL OR length(file_sha256) = 64",
            name=op.f("ck_audit_events_file_sha256"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_action"), "audit_events", ["action"])
    op.create_index(
        op.f("ix_audit_events_occurred_at"), "audit_events", ["occurred_at"]
    )
    op.create_index(op.f("ix_audit_events_subject"), "audit_events", ["subject"])

    op.create_table(
        "data_sharing_agreements",
        sa.Column("id", ID, nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("record_kinds", sa.JSON(), nullable=False),
        sa.Column("covers_contact_details", sa.Boolean(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revocation_reason", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_data_sharing_agreements_ends_on_not_before_starts_on"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_sharing_agreements")),
        sa.UniqueConstraint(
            "department",
            "reference",
            name=op.f("uq_data_sharing_agreements_department_reference"),
        ),
    )
    op.create_table(
        "import_batches",
        sa.Column("id", ID, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", TIMESTAMP, nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("collected_after", sa.Date(), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        _one_of("import_batches", "kind", IMPORT_KINDS),
        sa.CheckConstraint(
            "file_sha256 IS NULL OR length(file_sha256) = 64",
            name=op.f("ck_import_batches_file_sha256"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
        sa.UniqueConstraint(
            "kind", "file_sha256", name=op.f("uq_import_batches_kind_file_sha256")
        ),
    )
    op.create_table(
        "privacy_notices",
        sa.Column("id", ID, nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("record_kinds", sa.JSON(), nullable=False),
        sa.Column("covers_contact_disclosure", sa.Boolean(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from",
            name=op.f("ck_privacy_notices_effective_to_not_before_effective_from"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notices")),
        sa.UniqueConstraint(
            "department",
            "reference",
            name=op.f("uq_privacy_notices_department_reference"),
        ),
    )
    op.create_table(
        "privacy_statements",
        sa.Column("id", ID, nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from",
            name=op.f("ck_privacy_statements_effective_to_not_before_effective_from"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_statements")),
        sa.UniqueConstraint("reference", name=op.f("uq_privacy_statements_reference")),
    )
    op.create_table(
        "properties",
        sa.Column("id", ID, nullable=False),
        sa.Column("uprn", sa.String(length=12), nullable=True),
        sa.Column("address_1", sa.String(length=200), nullable=True),
        sa.Column("address_2", sa.String(length=200), nullable=True),
        sa.Column("address_3", sa.String(length=200), nullable=True),
        sa.Column("address_4", sa.String(length=200), nullable=True),
        sa.Column("address_5", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=16), nullable=True),
        sa.Column("address_key", sa.String(length=1024), nullable=False),
        sa.Column("polling_district", sa.String(length=16), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_properties")),
        sa.UniqueConstraint("uprn", name=op.f("uq_properties_uprn")),
    )
    op.create_index(op.f("ix_properties_address_key"), "properties", ["address_key"])
    op.create_index(
        op.f("ix_properties_polling_district"), "properties", ["polling_district"]
    )
    op.create_index(op.f("ix_properties_postcode"), "properties", ["postcode"])

    op.create_table(
        "electors",
        sa.Column("id", ID, nullable=False),
        sa.Column("elector_number", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=40), nullable=True),
        sa.Column("forename", sa.String(length=150), nullable=True),
        sa.Column("middle_names", sa.String(length=150), nullable=True),
        sa.Column("surname", sa.String(length=150), nullable=False),
        sa.Column("name_key", sa.String(length=512), nullable=False),
        sa.Column("property_id", ID, nullable=True),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default=sa.text("'current'"),
            nullable=False,
        ),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("first_import_id", ID, nullable=True),
        sa.Column("last_import_id", ID, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "left_on IS NULL OR status = 'left'",
            name=op.f("ck_electors_left_on_only_when_left"),
        ),
        _one_of("electors", "status", ELECTOR_STATUSES),
        sa.ForeignKeyConstraint(
            ["first_import_id"],
            ["import_batches.id"],
            name=op.f("fk_electors_first_import_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["last_import_id"],
            ["import_batches.id"],
            name=op.f("fk_electors_last_import_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["properties.id"],
            name=op.f("fk_electors_property_id_properties"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_electors")),
        sa.UniqueConstraint("elector_number", name=op.f("uq_electors_elector_number")),
    )
    op.create_index(
        op.f("ix_electors_first_import_id"), "electors", ["first_import_id"]
    )
    op.create_index(op.f("ix_electors_last_import_id"), "electors", ["last_import_id"])
    op.create_index(op.f("ix_electors_name_key"), "electors", ["name_key"])
    op.create_index(op.f("ix_electors_property_id"), "electors", ["property_id"])

    op.create_table(
        "contact_points",
        sa.Column("id", ID, nullable=False),
        sa.Column("elector_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("problem", sa.String(length=40), nullable=True),
        sa.Column("suggestion", sa.String(length=320), nullable=True),
        sa.Column("phone_type", sa.String(length=40), nullable=True),
        sa.Column("phone_region", sa.String(length=8), nullable=True),
        sa.Column("first_seen_on", sa.Date(), nullable=False),
        sa.Column("last_seen_on", sa.Date(), nullable=False),
        sa.Column(
            "deliverability",
            sa.String(length=40),
            server_default=sa.text("'unknown'"),
            nullable=False,
        ),
        sa.Column(
            "temporary_failures",
            sa.Integer(),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        _one_of("contact_points", "deliverability", DELIVERABILITY),
        _one_of("contact_points", "kind", CONTACT_KINDS),
        _one_of("contact_points", "phone_type", PHONE_TYPES),
        _one_of("contact_points", "status", CHECK_STATUSES),
        sa.CheckConstraint(
            "last_seen_on IS NULL OR last_seen_on >= first_seen_on",
            name=op.f("ck_contact_points_last_seen_on_not_before_first_seen_on"),
        ),
        sa.CheckConstraint(
            "temporary_failures >= 0", name=op.f("ck_contact_points_temporary_failures")
        ),
        sa.ForeignKeyConstraint(
            ["elector_id"],
            ["electors.id"],
            name=op.f("fk_contact_points_elector_id_electors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_points")),
        sa.UniqueConstraint(
            "elector_id",
            "kind",
            "value",
            name=op.f("uq_contact_points_elector_id_kind_value"),
        ),
    )
    op.create_index(
        op.f("ix_contact_points_kind_value"), "contact_points", ["kind", "value"]
    )

    op.create_table(
        "source_records",
        sa.Column("id", ID, nullable=False),
        sa.Column("import_batch_id", ID, nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("document_reference", sa.String(length=100), nullable=True),
        sa.Column("collected_on", sa.Date(), nullable=True),
        sa.Column("elector_number", sa.String(length=32), nullable=True),
        sa.Column("title", sa.String(length=40), nullable=True),
        sa.Column("forename", sa.String(length=150), nullable=True),
        sa.Column("middle_names", sa.String(length=150), nullable=True),
        sa.Column("surname", sa.String(length=150), nullable=True),
        sa.Column("name_key", sa.String(length=512), nullable=True),
        sa.Column("address_1", sa.String(length=200), nullable=True),
        sa.Column("address_2", sa.String(length=200), nullable=True),
        sa.Column("address_3", sa.String(length=200), nullable=True),
        sa.Column("address_4", sa.String(length=200), nullable=True),
        sa.Column("address_5", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=16), nullable=True),
        sa.Column("uprn", sa.String(length=12), nullable=True),
        sa.Column("address_key", sa.String(length=1024), nullable=True),
        sa.Column("agreement_id", ID, nullable=True),
        sa.Column("privacy_notice_id", ID, nullable=True),
        sa.Column("privacy_statement_id", ID, nullable=True),
        sa.Column("elector_id", ID, nullable=True),
        sa.Column("link_method", sa.String(length=40), nullable=True),
        sa.Column("link_probability", sa.Float(), nullable=True),
        sa.Column("linked_at", TIMESTAMP, nullable=True),
        sa.Column(
            "is_potential_elector",
            sa.Boolean(),
            server_default=sa.false(),
            nullable=False,
        ),
        _one_of("source_records", "kind", IMPORT_KINDS),
        _one_of("source_records", "link_method", LINK_METHODS),
        sa.CheckConstraint(
            "link_probability IS NULL OR link_probability BETWEEN 0 AND 1",
            name=op.f("ck_source_records_link_probability"),
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["data_sharing_agreements.id"],
            name=op.f("fk_source_records_agreement_id_data_sharing_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["elector_id"],
            ["electors.id"],
            name=op.f("fk_source_records_elector_id_electors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_source_records_import_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["privacy_notice_id"],
            ["privacy_notices.id"],
            name=op.f("fk_source_records_privacy_notice_id_privacy_notices"),
        ),
        sa.ForeignKeyConstraint(
            ["privacy_statement_id"],
            ["privacy_statements.id"],
            name=op.f("fk_source_records_privacy_statement_id_privacy_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_records")),
    )
    op.create_index(
        op.f("ix_source_records_agreement_id"), "source_records", ["agreement_id"]
    )
    op.create_index(
        op.f("ix_source_records_elector_id"), "source_records", ["elector_id"]
    )
    op.create_index(
        op.f("ix_source_records_import_batch_id"), "source_records", ["import_batch_id"]
    )
    op.create_index(
        op.f("ix_source_records_privacy_notice_id"),
        "source_records",
        ["privacy_notice_id"],
    )
    op.create_index(
        op.f("ix_source_records_privacy_statement_id"),
        "source_records",
        ["privacy_statement_id"],
    )

    op.create_table(
        "delivery_events",
        sa.Column("id", ID, nullable=False),
        sa.Column("contact_point_id", ID, nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("permanent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("occurred_at", TIMESTAMP, nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("import_batch_id", ID, nullable=True),
        _one_of("delivery_events", "channel", DELIVERY_CHANNELS),
        _one_of("delivery_events", "source", DELIVERY_SOURCES),
        sa.ForeignKeyConstraint(
            ["contact_point_id"],
            ["contact_points.id"],
            name=op.f("fk_delivery_events_contact_point_id_contact_points"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_delivery_events_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_events")),
    )
    op.create_index(
        op.f("ix_delivery_events_contact_point_id"),
        "delivery_events",
        ["contact_point_id"],
    )
    op.create_index(
        op.f("ix_delivery_events_import_batch_id"),
        "delivery_events",
        ["import_batch_id"],
    )
    op.create_index(
        op.f("ix_delivery_events_reference"), "delivery_events", ["reference"]
    )

    op.create_table(
        "objections",
        sa.Column("id", ID, nullable=False),
        sa.Column("elector_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("value_hash", sa.String(length=64), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("lifted_on", sa.Date(), nullable=True),
        sa.Column("lifted_by_source_record_id", ID, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _one_of("objections", "kind", CONTACT_KINDS),
        sa.CheckConstraint(
            "elector_id IS NOT NULL OR value_hash IS NOT NULL",
            name=op.f("ck_objections_has_subject"),
        ),
        sa.CheckConstraint(
            "lifted_on IS NULL OR lifted_on >= recorded_on",
            name=op.f("ck_objections_lifted_on_not_before_recorded_on"),
        ),
        sa.CheckConstraint(
            "value_hash IS NULL OR length(value_hash) = 64",
            name=op.f("ck_objections_value_hash"),
        ),
        sa.ForeignKeyConstraint(
            ["elector_id"],
            ["electors.id"],
            name=op.f("fk_objections_elector_id_electors"),
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_source_record_id"],
            ["source_records.id"],
            name=op.f("fk_objections_lifted_by_source_record_id_source_records"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objections")),
    )
    op.create_index(op.f("ix_objections_elector_id"), "objections", ["elector_id"])
    op.create_index(
        op.f("ix_objections_lifted_by_source_record_id"),
        "objections",
        ["lifted_by_source_record_id"],
    )
    op.create_index(op.f("ix_objections_value_hash"), "objections", ["value_hash"])

    op.create_table(
        "observations",
        sa.Column("id", ID, nullable=False),
        sa.Column("source_record_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("raw_value", sa.Text(), nullable=False),
        sa.Column("normalised", sa.String(length=320), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("problem", sa.String(length=40), nullable=True),
        sa.Column("suggestion", sa.String(length=320), nullable=True),
        sa.Column("phone_type", sa.String(length=40), nullable=True),
        sa.Column("phone_region", sa.String(length=8), nullable=True),
        sa.Column("contact_point_id", ID, nullable=True),
        sa.Column("observed_on", sa.Date(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        _one_of("observations", "kind", CONTACT_KINDS),
        _one_of("observations", "phone_type", PHONE_TYPES),
        _one_of("observations", "status", CHECK_STATUSES),
        sa.ForeignKeyConstraint(
            ["contact_point_id"],
            ["contact_points.id"],
            name=op.f("fk_observations_contact_point_id_contact_points"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_record_id"],
            ["source_records.id"],
            name=op.f("fk_observations_source_record_id_source_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
    )
    op.create_index(
        op.f("ix_observations_contact_point_id"), "observations", ["contact_point_id"]
    )
    op.create_index(
        op.f("ix_observations_source_record_id"), "observations", ["source_record_id"]
    )

    op.create_table(
        "review_items",
        sa.Column("id", ID, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("observation_id", ID, nullable=True),
        sa.Column("source_record_id", ID, nullable=True),
        sa.Column("elector_id", ID, nullable=True),
        sa.Column("candidate_elector_id", ID, nullable=True),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("value_at_export", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.String(length=40),
            server_default=sa.text("'open'"),
            nullable=False,
        ),
        sa.Column("decision", sa.String(length=40), nullable=True),
        sa.Column("decided_value", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        _one_of("review_items", "kind", REVIEW_KINDS),
        _one_of("review_items", "status", REVIEW_STATUSES),
        sa.CheckConstraint(
            "probability IS NULL OR probability BETWEEN 0 AND 1",
            name=op.f("ck_review_items_probability"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_elector_id"],
            ["electors.id"],
            name=op.f("fk_review_items_candidate_elector_id_electors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["elector_id"],
            ["electors.id"],
            name=op.f("fk_review_items_elector_id_electors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observations.id"],
            name=op.f("fk_review_items_observation_id_observations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_record_id"],
            ["source_records.id"],
            name=op.f("fk_review_items_source_record_id_source_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_items")),
    )
    op.create_index(
        op.f("ix_review_items_candidate_elector_id"),
        "review_items",
        ["candidate_elector_id"],
    )
    op.create_index(op.f("ix_review_items_elector_id"), "review_items", ["elector_id"])
    op.create_index(
        op.f("ix_review_items_observation_id"), "review_items", ["observation_id"]
    )
    op.create_index(
        op.f("ix_review_items_source_record_id"), "review_items", ["source_record_id"]
    )
    op.create_index(op.f("ix_review_items_status"), "review_items", ["status"])


def downgrade() -> None:
    op.drop_table("review_items")
    op.drop_table("observations")
    op.drop_table("objections")
    op.drop_table("delivery_events")
    op.drop_table("source_records")
    op.drop_table("contact_points")
    op.drop_table("electors")
    op.drop_table("properties")
    op.drop_table("privacy_statements")
    op.drop_table("privacy_notices")
    op.drop_table("import_batches")
    op.drop_table("data_sharing_agreements")
    op.drop_table("audit_events")
