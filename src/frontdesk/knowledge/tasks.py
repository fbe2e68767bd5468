"""The ingestion job: safe to run twice, never holds a transaction while it works."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from frontdesk.jobs.queue import job
from frontdesk.kit.db import utcnow
from frontdesk.knowledge.ingest import IngestError, SourceSnapshot, build_chunks
from frontdesk.knowledge.models import KnowledgeChunk
from frontdesk.knowledge.repository import ChunkRepository, SourceRepository
from frontdesk.knowledge.retrieval import embedder_for, vector_cache
from frontdesk.knowledge.sync import INGEST_JOB

log = logging.getLogger("frontdesk.knowledge")


@job(INGEST_JOB)
async def ingest(services: Any, workspace_id: str, source_id: str) -> None:
    wid, sid = uuid.UUID(workspace_id), uuid.UUID(source_id)
    async with services.unit_of_work() as uow:
        source = await SourceRepository(uow.session, wid).get(sid)
        if source is None:
            return
        source.status, source.progress, source.error = "processing", 5, ""
        snapshot = SourceSnapshot(
            source.id,
            source.kind,
            source.title,
            source.body,
            source.question,
            source.url,
            source.storage_key,
            source.filename,
            dict(source.options or {}),
        )
        known = await ChunkRepository(uow.session, wid).hashes(exclude_source=sid)

    async def progress(percent: int) -> None:
        async with services.unit_of_work() as uow:
            row = await SourceRepository(uow.session, wid).locked(sid)
            if row is not None and row.status == "processing":
                row.progress = min(percent, 99)

    settings = services.settings
    try:
        result = await build_chunks(
            snapshot,
            load_file=services.storage.load,
            embedder=embedder_for(settings),
            known_hashes=known,
            allow_private=settings.allow_private_network,
            max_pages=settings.knowledge_max_pages,
            progress=progress,
        )
    except IngestError as error:
        await _fail(services, wid, sid, str(error))
        return
    except Exception:
        log.exception("ingesting knowledge source %s failed", sid)
        await _fail(services, wid, sid, "The import failed unexpectedly; try again.")
        return
    embedder_name = embedder_for(settings).name
    async with services.unit_of_work() as uow:
        source = await SourceRepository(uow.session, wid).locked(sid)
        if source is None:
            return  # deleted while we worked
        if source.status == "queued":
            return  # changed while we worked: the job queued by that change will ingest it
        chunks = ChunkRepository(uow.session, wid)
        await chunks.delete_for_source(sid)
        for piece in result.chunks:
            chunks.add(
                KnowledgeChunk(
                    source_id=sid,
                    ordinal=piece.ordinal,
                    heading=piece.heading[:500],
                    text=piece.text,
                    content_hash=piece.content_hash,
                    language=piece.language,
                    url=piece.url[:2000],
                    embedder=embedder_name,
                    embedding=piece.vector,
                )
            )
        source.status, source.progress, source.error = "ready", 100, ""
        if result.duplicates and not result.chunks:
            source.error = "Everything in this source is already in the knowledge base."
        source.chunks = len(result.chunks)
        source.title = source.title or result.title[:300]
        source.imported_at = source.updated_at = utcnow()
    vector_cache.invalidate(wid)


async def _fail(services: Any, wid: uuid.UUID, sid: uuid.UUID, reason: str) -> None:
    async with services.unit_of_work() as uow:
        source = await SourceRepository(uow.session, wid).get(sid)
        if source is not None:
            source.status, source.error, source.progress = "failed", reason, 0
            source.updated_at = utcnow()
