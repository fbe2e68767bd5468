"""The knowledge base's operations: add, change, re-import and remove sources; search."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.audit import service as audit
from frontdesk.kit.db import unit_of, utcnow
from frontdesk.kit.errors import Conflict, FrontdeskError, InvalidInput, NotFound
from frontdesk.knowledge import answers, retrieval
from frontdesk.knowledge.followups import question_in_context
from frontdesk.knowledge.models import KnowledgeChunk, KnowledgeSource
from frontdesk.knowledge.repository import ChunkRepository, SourceRepository
from frontdesk.knowledge.schemas import SourceIn, SourceUpdate
from frontdesk.knowledge.sync import enqueue_ingest, ensure_synced
from frontdesk.nlu.embedders import Embedder
from frontdesk.workspaces.permissions import Permission, WorkspaceContext

MAX_SOURCES = 500
FILE_TYPES = (".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm")


class UnsupportedDocument(FrontdeskError):
    status_code = 415
    code = "unsupported_document"


class DocumentTooLarge(FrontdeskError):
    status_code = 413
    code = "file_too_large"


async def list_sources(session: AsyncSession, ctx: WorkspaceContext) -> Sequence[KnowledgeSource]:
    ctx.require(Permission.VIEW)
    return await SourceRepository(session, ctx.workspace_id).listing()


async def get_source(
    session: AsyncSession, ctx: WorkspaceContext, source_id: uuid.UUID
) -> tuple[KnowledgeSource, Sequence[KnowledgeChunk]]:
    ctx.require(Permission.VIEW)
    source = await _get(session, ctx, source_id)
    chunks = await ChunkRepository(session, ctx.workspace_id).for_source(source.id)
    return source, chunks


async def create_source(
    session: AsyncSession, ctx: WorkspaceContext, data: SourceIn
) -> KnowledgeSource:
    ctx.require(Permission.MANAGE_SETTINGS)
    sources = await _room_for_one(session, ctx)
    title = data.title.strip()
    if data.kind == "text":
        source = KnowledgeSource(kind="text", title=title or "Untitled text", body=data.text)
    elif data.kind == "qa":
        question = " ".join(data.question.split())
        source = KnowledgeSource(
            kind="qa", title=title or question[:300], question=question, body=data.answer.strip()
        )
    else:
        url = data.url.strip()
        source = KnowledgeSource(
            kind="url",
            title=title,
            url=url,
            options={"depth": data.depth, "max_pages": data.max_pages},
        )
    source.public = data.public
    return await _added(session, ctx, sources, source)


async def create_file_source(
    session: AsyncSession,
    ctx: WorkspaceContext,
    storage: Any,
    *,
    filename: str,
    data: bytes,
    title: str,
    limit_mb: int,
) -> KnowledgeSource:
    ctx.require(Permission.MANAGE_SETTINGS)
    name = filename.strip() or "document"
    if not name.lower().endswith(FILE_TYPES):
        raise UnsupportedDocument(
            "Upload a PDF, Word (.docx), text, Markdown or HTML file.",
        )
    if not data:
        raise InvalidInput("file", "The file is empty.")
    if len(data) > limit_mb * 1024 * 1024:
        raise DocumentTooLarge(f"The file is larger than {limit_mb} MB.")
    sources = await _room_for_one(session, ctx)
    key = f"knowledge-{uuid.uuid4().hex}"  # storage keys are flat names
    await storage.save(key, data)
    source = KnowledgeSource(
        kind="file",
        title=title.strip(),
        filename=name,
        storage_key=key,  # title: see ingest
    )
    uow = unit_of(session)

    async def forget_file() -> None:  # the upload is not kept if the transaction fails
        await storage.delete(key)

    uow.on_rollback(forget_file)
    return await _added(session, ctx, sources, source)


async def update_source(
    session: AsyncSession, ctx: WorkspaceContext, source_id: uuid.UUID, data: SourceUpdate
) -> KnowledgeSource:
    ctx.require(Permission.MANAGE_SETTINGS)
    source = await _owned(session, ctx, source_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    content_changed = False
    if "title" in changes:
        source.title = changes["title"].strip() or source.title
        content_changed = True  # titles are part of what passages are embedded with
    if "public" in changes:
        source.public = changes["public"]
    if source.kind == "text" and "text" in changes:
        if not changes["text"].strip():
            raise InvalidInput("text", "A text source needs some text.")
        source.body, content_changed = changes["text"], True
    if source.kind == "qa":
        if changes.get("question", "").strip():
            source.question, content_changed = " ".join(changes["question"].split()), True
        if changes.get("answer", "").strip():
            source.body, content_changed = changes["answer"].strip(), True
    source.updated_at = utcnow()
    if content_changed:
        _requeue(session, source)
    await session.flush()
    await audit.record_by(session, ctx, "knowledge.updated", target=("knowledge", source.id))
    return source


async def reimport(
    session: AsyncSession, ctx: WorkspaceContext, source_id: uuid.UUID
) -> KnowledgeSource:
    ctx.require(Permission.MANAGE_SETTINGS)
    source = await _get(session, ctx, source_id)
    if source.status in ("queued", "processing"):
        raise Conflict("This source is being imported already.")
    _requeue(session, source)
    await session.flush()
    return source


async def delete_source(
    session: AsyncSession, ctx: WorkspaceContext, storage: Any, source_id: uuid.UUID
) -> None:
    ctx.require(Permission.MANAGE_SETTINGS)
    source = await _owned(session, ctx, source_id)
    await SourceRepository(session, ctx.workspace_id).locked(source.id)  # before its chunks
    key = source.storage_key
    await SourceRepository(session, ctx.workspace_id).delete(source)  # chunks cascade
    await session.flush()
    await audit.record_by(session, ctx, "knowledge.deleted", target=("knowledge", source_id))
    if key:

        async def remove_file() -> None:
            await storage.delete(key)

        unit_of(session).after_commit(remove_file)


async def search(
    session: AsyncSession,
    ctx: WorkspaceContext,
    embedder: Embedder,
    query: str,
    limit: int,
) -> tuple[list[retrieval.Passage], answers.KnowledgeAnswer | None]:
    """What the assistant would retrieve for ``query``, and the answer it would quote."""
    ctx.require(Permission.VIEW)
    await ensure_synced(session, ctx.workspace_id)
    passages = await retrieval.search(session, ctx.workspace_id, query, embedder, limit=limit)
    vocabulary = retrieval.vector_cache.vocabulary(ctx.workspace_id)
    return passages, answers.compose_answer(query, passages, embedder, vocabulary=vocabulary)


def _requeue(session: AsyncSession, source: KnowledgeSource) -> None:
    source.status, source.error, source.progress = "queued", "", 0
    source.updated_at = utcnow()
    enqueue_ingest(session, source)


async def _room_for_one(session: AsyncSession, ctx: WorkspaceContext) -> SourceRepository:
    sources = SourceRepository(session, ctx.workspace_id)
    count, _ = await sources.version()
    if count >= MAX_SOURCES:
        raise Conflict(f"A workspace can have at most {MAX_SOURCES} knowledge sources.")
    return sources


async def _added(
    session: AsyncSession,
    ctx: WorkspaceContext,
    sources: SourceRepository,
    source: KnowledgeSource,
) -> KnowledgeSource:
    source.status = "queued"
    sources.add(source)
    await session.flush()
    await audit.record_by(
        session,
        ctx,
        "knowledge.created",
        target=("knowledge", source.id),
        details={"kind": source.kind},
    )
    enqueue_ingest(session, source)
    return source


async def _get(
    session: AsyncSession, ctx: WorkspaceContext, source_id: uuid.UUID
) -> KnowledgeSource:
    source = await SourceRepository(session, ctx.workspace_id).get(source_id)
    if source is None:
        raise NotFound("No such knowledge source in this workspace.")
    return source


async def _owned(
    session: AsyncSession, ctx: WorkspaceContext, source_id: uuid.UUID
) -> KnowledgeSource:
    """A source the owner manages here; mirrored ones change with the assistant's settings."""
    source = await _get(session, ctx, source_id)
    if source.kind in ("instructions", "intent"):
        raise Conflict(
            "This source mirrors the assistant's settings: change the instructions or the "
            "custom intent instead."
        )
    return source


async def for_reply(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    text: str,
    subject: str,
    embedder: Embedder,
) -> tuple[list[retrieval.Passage], answers.KnowledgeAnswer | None]:
    """The passages and quoted answer for a customer's message, read with the subject of
    the conversation when the message is a follow-up (the reply job calls this)."""
    if not text.strip():
        return [], None
    await ensure_synced(session, workspace_id)
    query, follows = question_in_context(text, subject)
    passages = await retrieval.search(session, workspace_id, query, embedder, limit=4)
    vocabulary = retrieval.vector_cache.vocabulary(workspace_id)
    answer = answers.compose_answer(
        text, passages, embedder, follows=follows, vocabulary=vocabulary
    )
    return passages, answer
