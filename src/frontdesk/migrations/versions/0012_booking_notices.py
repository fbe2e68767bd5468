"""booking notices (what each booking change mailed and posted, claimed once), the
appointment's sequence, and private calendar feeds

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
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
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.Integer(), server_default="0", nullable=False))

    op.create_table(
        "appointment_notices",
        sa.Column("appointment_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mailed_to", sa.String(length=320), nullable=False),
        sa.Column("chat_message_id", sa.Uuid(), nullable=True),
        sa.Column("link_token_hash", sa.String(length=64), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_appointment_notices_appointment_id_appointments"),
            ondelete="CASCADE",
        ),
        _workspace_fk("appointment_notices"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_notices")),
        sa.UniqueConstraint(
            "appointment_id", "kind", "sequence", name="uq_appointment_notices_once"
        ),
        sa.UniqueConstraint("link_token_hash", name=op.f("uq_appointment_notices_link_token_hash")),
    )
    with op.batch_alter_table("appointment_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointment_notices_appointment_id"), ["appointment_id"]
        )
        batch_op.create_index(batch_op.f("ix_appointment_notices_workspace_id"), ["workspace_id"])

    op.create_table(
        "calendar_feeds",
        sa.Column("membership_id", sa.Uuid(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_calendar_feeds_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        _workspace_fk("calendar_feeds"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
        sa.UniqueConstraint("workspace_id", "membership_id", name="uq_calendar_feeds_owner"),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feeds_workspace_id"), ["workspace_id"])


def downgrade() -> None:
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feeds_workspace_id"))
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("appointment_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_notices_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_appointment_notices_appointment_id"))
    op.drop_table("appointment_notices")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_column("sequence")
