"""appointments: services, booking settings, staff schedules and time off, closures, and
appointments that never overlap

No two holding appointments (booked, no-show, completed) of one resource (a staff member, or
the workspace when a service has no staff) may overlap, buffers included:

- PostgreSQL: an exclusion constraint over ``tstzrange(blocked_start, blocked_end)`` and the
  resource (``btree_gist`` gives ``=`` on uuid a GiST operator class). Autogenerate does not
  know it: keep it.
- SQLite: no such constraint exists; ``appointments/guard.py`` checks in the write transaction
  that SQLite serialises.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 04:30:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_OVERLAP = "ex_appointments_no_overlap"


def _owned(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f(f"fk_{table}_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _membership(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["membership_id"],
        ["memberships.id"],
        name=op.f(f"fk_{table}_membership_id_memberships"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "booking_settings",
        sa.Column("min_notice_minutes", sa.Integer(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("slot_step_minutes", sa.Integer(), nullable=False),
        sa.Column("reminder_hours", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_owned("booking_settings"),
        sa.UniqueConstraint("workspace_id", name="uq_booking_settings_workspace"),
    )
    op.create_table(
        "services",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("buffer_before_minutes", sa.Integer(), nullable=False),
        sa.Column("buffer_after_minutes", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("staff_ids", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_owned("services"),
    )
    op.create_table(
        "staff_schedules",
        sa.Column("membership_id", sa.Uuid(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        *_owned("staff_schedules"),
        _membership("staff_schedules"),
        sa.UniqueConstraint("membership_id", name=op.f("uq_staff_schedules_membership_id")),
    )
    op.create_table(
        "staff_time_off",
        sa.Column("membership_id", sa.Uuid(), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        *_owned("staff_time_off"),
        _membership("staff_time_off"),
    )
    op.create_table(
        "closures",
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        *_owned("closures"),
    )
    op.create_table(
        "appointments",
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("customer_name", sa.String(length=200), nullable=False),
        sa.Column("customer_email", sa.String(length=320), nullable=False),
        sa.Column("customer_phone", sa.String(length=32), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("manage_token_hash", sa.String(length=64), nullable=False),
        sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_owned("appointments"),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_appointments_service_id_services"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["memberships.id"],
            name=op.f("fk_appointments_staff_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_appointments_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_appointments_conversation_id_conversations"),
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("manage_token_hash", name=op.f("uq_appointments_manage_token_hash")),
    )
    indexes = {
        "booking_settings": [("ix_booking_settings_workspace_id", ["workspace_id"])],
        "services": [("ix_services_workspace_id", ["workspace_id"])],
        "staff_schedules": [("ix_staff_schedules_workspace_id", ["workspace_id"])],
        "staff_time_off": [
            ("ix_staff_time_off_workspace_id", ["workspace_id"]),
            ("ix_staff_time_off_membership_id", ["membership_id"]),
        ],
        "closures": [("ix_closures_workspace_id", ["workspace_id"])],
        "appointments": [
            ("ix_appointments_workspace_id", ["workspace_id"]),
            ("ix_appointments_contact_id", ["contact_id"]),
            ("ix_appointments_conversation_id", ["conversation_id"]),
            ("ix_appointments_customer_email", ["customer_email"]),
            ("ix_appointments_customer_phone", ["customer_phone"]),
            ("ix_appointments_resource_time", ["workspace_id", "resource_id", "blocked_start"]),
            ("ix_appointments_workspace_start", ["workspace_id", "start"]),
        ],
    }
    for table, table_indexes in indexes.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, columns in table_indexes:
                batch_op.create_index(name, columns, unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            f"ALTER TABLE appointments ADD CONSTRAINT {NO_OVERLAP} EXCLUDE USING gist "
            "(resource_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&) "
            "WHERE (status <> 'cancelled')"
        )


def downgrade() -> None:
    for table in (
        "appointments",
        "closures",
        "staff_time_off",
        "staff_schedules",
        "services",
        "booking_settings",
    ):
        op.drop_table(table)
