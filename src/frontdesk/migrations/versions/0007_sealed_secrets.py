"""sealed secrets: every stored secret carries the ``sealed:v1:`` prefix

Before this revision an LLM API key was stored as a bare Fernet token. From now on a sealed
value starts with ``sealed:v1:`` (kit/secrets.py), so plaintext and ciphertext are told
apart by a marker, not by their looks. This revision:

- labels each bare Fernet token (recognised by its structure; no key is needed);
- seals any other non-empty value, which can only be plaintext written around the
  application (by hand, by another tool), with the newest key of the configured ring.
  Only then does it read the settings (``FRONTDESK_SECRETS_KEYS`` or the secret key), the
  same ones ``frontdesk migrate`` and ``serve`` run with.

The secret columns are listed here rather than read from the models: a revision is a
snapshot. Downgrade removes the prefix (values stay sealed; the older code reads bare
tokens).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 20:30:00
"""

import base64
import binascii
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX = "sealed:v1:"
SECRET_COLUMNS = [("assistant_profiles", "engine_api_key")]


def _rows(table: sa.TableClause, column: sa.ColumnClause[str]) -> list[tuple[Any, str]]:
    query = sa.select(table.c.id, column).where(column != "")
    return [(row[0], row[1]) for row in op.get_bind().execute(query)]


def _is_bare_fernet_token(value: str) -> bool:
    """Version byte 0x80, then timestamp, IV, whole AES blocks and an HMAC: a structure no
    API key has."""
    try:
        raw = base64.b64decode(value.encode("ascii"), altchars=b"-_", validate=True)
    except (ValueError, binascii.Error):
        return False
    blocks = len(raw) - (1 + 8 + 16 + 32)
    return raw[:1] == b"\x80" and blocks >= 16 and blocks % 16 == 0


def upgrade() -> None:
    box: Any = None
    for table_name, column_name in SECRET_COLUMNS:
        table = sa.table(table_name, sa.column("id", sa.Uuid()), sa.column(column_name, sa.Text()))
        column = table.c[column_name]
        for row_id, value in _rows(table, column):
            if value.startswith(PREFIX):
                continue
            if _is_bare_fernet_token(value):  # sealed before the prefix existed
                new = PREFIX + value
            else:
                box = box or _box()
                new = box.seal(value)
            op.get_bind().execute(
                sa.update(table).where(table.c.id == row_id).values({column: new})
            )


def downgrade() -> None:
    for table_name, column_name in SECRET_COLUMNS:
        table = sa.table(table_name, sa.column("id", sa.Uuid()), sa.column(column_name, sa.Text()))
        column = table.c[column_name]
        for row_id, value in _rows(table, column):
            if value.startswith(PREFIX):
                bare = value[len(PREFIX) :]
                op.get_bind().execute(
                    sa.update(table).where(table.c.id == row_id).values({column: bare})
                )


def _box() -> Any:
    """The application's ring: only needed, and only read, when there is plaintext."""
    from frontdesk.kit.secrets import SecretBox
    from frontdesk.settings import Settings

    return SecretBox.for_settings(Settings())
