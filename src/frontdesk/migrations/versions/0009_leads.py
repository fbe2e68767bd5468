"""leads: leads, the workspace's lead settings, and the daily reports sent

Contacts who already left an email or a phone become leads (status new), with the first
conversation they wrote in as the source.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 04:30:00
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
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
        "leads",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("source_conversation_id", sa.Uuid(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("interest", sa.Text(), nullable=False),
        sa.Column("captured", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("value_cents", sa.BigInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_leads_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_leads_owner_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["source_conversation_id"],
            ["conversations.id"],
            name=op.f("fk_leads_source_conversation_id_conversations"),
            ondelete="SET NULL",
        ),
        _workspace_fk("leads"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
        sa.UniqueConstraint("contact_id", name="uq_leads_contact"),
    )
    with op.batch_alter_table("leads", schema=None) as batch_op:
        for column in ("workspace_id", "channel", "status", "owner_id", "follow_up_on"):
            batch_op.create_index(batch_op.f(f"ix_leads_{column}"), [column], unique=False)
        batch_op.create_index(batch_op.f("ix_leads_updated_at"), ["updated_at"], unique=False)
        # The list's default order and the date-range filter, within one workspace.
        batch_op.create_index("ix_leads_workspace_created", ["workspace_id", "created_at"])

    op.create_table(
        "lead_settings",
        sa.Column("daily_report", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        _workspace_fk("lead_settings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_settings")),
        sa.UniqueConstraint("workspace_id", name="uq_lead_settings_workspace"),
    )
    with op.batch_alter_table("lead_settings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_settings_workspace_id"), ["workspace_id"])

    op.create_table(
        "lead_reports",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("leads", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        _workspace_fk("lead_reports"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_reports")),
        sa.UniqueConstraint("workspace_id", "day", name="uq_lead_reports_day"),
    )
    with op.batch_alter_table("lead_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_reports_workspace_id"), ["workspace_id"])

    _leads_for_existing_contacts()


def _leads_for_existing_contacts() -> None:
    contacts = sa.table(
        "contacts",
        sa.column("id", sa.Uuid()),
        sa.column("workspace_id", sa.Uuid()),
        sa.column("name", sa.String()),
        sa.column("email", sa.String()),
        sa.column("phone", sa.String()),
        sa.column("interest", sa.Text()),
        sa.column("source", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    conversations = sa.table(
        "conversations",
        sa.column("id", sa.Uuid()),
        sa.column("contact_id", sa.Uuid()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    leads = sa.table(
        "leads",
        sa.column("id", sa.Uuid()),
        sa.column("workspace_id", sa.Uuid()),
        sa.column("contact_id", sa.Uuid()),
        sa.column("source_conversation_id", sa.Uuid()),
        sa.column("channel", sa.String()),
        sa.column("interest", sa.Text()),
        sa.column("captured", sa.JSON()),
        sa.column("status", sa.String()),
        sa.column("notes", sa.Text()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    first_conversation = (
        sa.select(conversations.c.id)
        .where(conversations.c.contact_id == contacts.c.id)
        .order_by(conversations.c.created_at)
        .limit(1)
        .scalar_subquery()
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(contacts, first_conversation.label("conversation_id")).where(
            sa.or_(contacts.c.email != "", contacts.c.phone != "")
        )
    ).all()
    now = datetime.now(UTC)
    for row in rows:
        captured = {k: [getattr(row, k)] for k in ("name", "email", "phone") if getattr(row, k)}
        bind.execute(
            sa.insert(leads).values(
                id=uuid.uuid4(),
                workspace_id=row.workspace_id,
                contact_id=row.id,
                source_conversation_id=row.conversation_id,
                channel=(row.source or "portal")[:16],
                interest=row.interest or "",
                captured=captured,
                status="new",
                notes="",
                created_at=row.created_at or now,
                updated_at=now,
            )
        )


def downgrade() -> None:
    op.drop_table("lead_reports")
    op.drop_table("lead_settings")
    op.drop_table("leads")
