"""a covering index for slot search's busy time: workspace, resource, blocked start and end,
status (replaces ix_appointments_resource_time, its prefix)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 15:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# AppointmentRepository.busy reads every column it needs from the index (no row lookups);
# the old index's columns lead the new one, so overlap checks keep using it.
COLUMNS = ["workspace_id", "resource_id", "blocked_start", "blocked_end", "status"]


def upgrade() -> None:
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index("ix_appointments_busy", COLUMNS, unique=False)
        batch_op.drop_index("ix_appointments_resource_time")


def downgrade() -> None:
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_appointments_resource_time",
            ["workspace_id", "resource_id", "blocked_start"],
            unique=False,
        )
        batch_op.drop_index("ix_appointments_busy")
