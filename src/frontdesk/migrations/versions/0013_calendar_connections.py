"""calendar connections (CalDAV or Google, credentials sealed) and each booking's sync
with the connected calendar

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from frontdesk.kit.secrets import SealedText

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _workspace_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id"],
        ["workspaces.id"],
        name=op.f(f"fk_{table}_workspace_id_workspaces"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "calendar_connections",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("calendar_id", sa.String(length=320), nullable=False),
        sa.Column("meet_links", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("secret", SealedText(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("oauth_state_hash", sa.String(length=64), nullable=True),
        sa.Column("oauth_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("connected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        _workspace_fk("calendar_connections"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_connections")),
        sa.UniqueConstraint("workspace_id", name="uq_calendar_connections_workspace"),
        sa.UniqueConstraint(
            "oauth_state_hash", name=op.f("uq_calendar_connections_oauth_state_hash")
        ),
    )
    with op.batch_alter_table("calendar_connections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_connections_workspace_id"), ["workspace_id"])

    op.create_table(
        "appointment_calendar_syncs",
        sa.Column("appointment_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("remote_id", sa.String(length=1024), nullable=False),
        sa.Column("meet_link", sa.String(length=500), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_appointment_calendar_syncs_appointment_id_appointments"),
            ondelete="CASCADE",
        ),
        _workspace_fk("appointment_calendar_syncs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_calendar_syncs")),
        sa.UniqueConstraint(
            "appointment_id", name=op.f("uq_appointment_calendar_syncs_appointment_id")
        ),
    )
    with op.batch_alter_table("appointment_calendar_syncs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointment_calendar_syncs_next_attempt_at"), ["next_attempt_at"]
        )
        batch_op.create_index(
            batch_op.f("ix_appointment_calendar_syncs_workspace_id"), ["workspace_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("appointment_calendar_syncs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_calendar_syncs_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_appointment_calendar_syncs_next_attempt_at"))
    op.drop_table("appointment_calendar_syncs")
    with op.batch_alter_table("calendar_connections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_connections_workspace_id"))
    op.drop_table("calendar_connections")
