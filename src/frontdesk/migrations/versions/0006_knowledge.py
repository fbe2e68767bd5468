"""knowledge: sources, chunks, and the full-text index of each database; contacts keep
phone numbers that did not validate, flagged


The full-text index lives outside the ORM models, kept by triggers so that every insert and
delete of a chunk (including cascades from a deleted source or workspace) updates it in the
same transaction:

- SQLite: an FTS5 table (porter stemming, accents folded); a chunk remembers its FTS rowid.
- PostgreSQL: a ``search`` tsvector column (English or Spanish stemming by the chunk's
  language) with a GIN index. Autogenerate does not know this column: keep it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "knowledge_sources",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("storage_key", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=64), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_knowledge_sources_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_sources")),
    )
    with op.batch_alter_table("knowledge_sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_knowledge_sources_origin"), ["origin"])
        batch_op.create_index(batch_op.f("ix_knowledge_sources_workspace_id"), ["workspace_id"])

    op.create_table(
        "knowledge_chunks",
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("heading", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("embedder", sa.String(length=40), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=False),
        sa.Column("search_rowid", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["knowledge_sources.id"],
            name=op.f("fk_knowledge_chunks_source_id_knowledge_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_knowledge_chunks_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_chunks")),
    )
    with op.batch_alter_table("knowledge_chunks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_knowledge_chunks_content_hash"), ["content_hash"])
        batch_op.create_index(batch_op.f("ix_knowledge_chunks_source_id"), ["source_id"])
        # SQLite: the join from an FTS hit back to its chunk goes through this index.
        batch_op.create_index(batch_op.f("ix_knowledge_chunks_search_rowid"), ["search_rowid"])
        batch_op.create_index(batch_op.f("ix_knowledge_chunks_workspace_id"), ["workspace_id"])

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phone_verified", sa.Boolean(), nullable=False, server_default=sa.true())
        )

    if op.get_bind().dialect.name == "postgresql":
        _postgresql_search()
    else:
        _sqlite_search()


def _sqlite_search() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE knowledge_fts USING fts5("
        "heading, body, tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        """
        CREATE TRIGGER knowledge_chunks_fts_insert AFTER INSERT ON knowledge_chunks BEGIN
            INSERT INTO knowledge_fts(heading, body) VALUES (new.heading, new.text);
            UPDATE knowledge_chunks SET search_rowid = last_insert_rowid()
                WHERE id = new.id;
        END
        """
    )
    op.execute(
        """
        CREATE TRIGGER knowledge_chunks_fts_delete AFTER DELETE ON knowledge_chunks BEGIN
            DELETE FROM knowledge_fts WHERE rowid = old.search_rowid;
        END
        """
    )


def _postgresql_search() -> None:
    op.execute("ALTER TABLE knowledge_chunks ADD COLUMN search tsvector")
    op.execute(
        """
        CREATE FUNCTION knowledge_chunks_search() RETURNS trigger AS $$
        BEGIN
            NEW.search := to_tsvector(
                CASE NEW.language WHEN 'es' THEN 'spanish' ELSE 'english' END::regconfig,
                NEW.heading || ' ' || NEW.text);
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER knowledge_chunks_search BEFORE INSERT OR UPDATE OF heading, text, "
        "language ON knowledge_chunks FOR EACH ROW EXECUTE FUNCTION knowledge_chunks_search()"
    )
    op.execute("CREATE INDEX ix_knowledge_chunks_search ON knowledge_chunks USING gin (search)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS knowledge_chunks_search ON knowledge_chunks")
        op.execute("DROP FUNCTION IF EXISTS knowledge_chunks_search()")
    else:
        op.execute("DROP TRIGGER IF EXISTS knowledge_chunks_fts_insert")
        op.execute("DROP TRIGGER IF EXISTS knowledge_chunks_fts_delete")
        op.execute("DROP TABLE IF EXISTS knowledge_fts")
    op.drop_table("knowledge_chunks")
    op.drop_table("knowledge_sources")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("phone_verified")
