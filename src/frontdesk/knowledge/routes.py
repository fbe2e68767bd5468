"""HTTP handlers of the knowledge base: parse, authorize (in the service), serialize."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from frontdesk.deps import Ctx, Svc, Uow
from frontdesk.kit.body_limits import MULTIPART_SLACK, restrict_body
from frontdesk.kit.errors import InvalidInput
from frontdesk.knowledge import service
from frontdesk.knowledge.retrieval import embedder_for
from frontdesk.knowledge.schemas import (
    ChunkOut,
    Citation,
    PassageOut,
    SearchIn,
    SearchOut,
    SourceDetail,
    SourceIn,
    SourceList,
    SourceOut,
    SourceUpdate,
)

router = APIRouter(prefix="/api/knowledge", tags=["knowledge"])

_CREATE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": SourceIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string"},
                    },
                }
            },
        },
    }
}


@router.get("/sources", response_model=SourceList)
async def list_sources(uow: Uow, ctx: Ctx) -> SourceList:
    sources = await service.list_sources(uow.session, ctx)
    return SourceList(sources=[SourceOut.model_validate(s) for s in sources])


@router.post(
    "/sources",
    response_model=SourceOut,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=_CREATE_BODY,
)
async def create_source(request: Request, uow: Uow, ctx: Ctx, svc: Svc) -> SourceOut:
    """A file (multipart `file`, optional `title`), or JSON: pasted text, a question and its
    answer, or a web address to import (one page, or same-site links to `depth`)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        limit_mb = ctx.workspace.upload_limit_mb or svc.settings.upload_limit_mb
        # The workspace's limit applies while the body streams in, before it is buffered.
        restrict_body(
            request,
            limit_mb * 1024 * 1024 + MULTIPART_SLACK,
            f"The file is larger than {limit_mb} MB.",
        )
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file", "Attach the document as the form field 'file'.")
        title = form.get("title")
        try:
            content = await upload.read()
        finally:
            await form.close()
        source = await service.create_file_source(
            uow.session,
            ctx,
            svc.storage,
            filename=upload.filename or "",
            data=content,
            title=title if isinstance(title, str) else "",
            limit_mb=limit_mb,
        )
    else:
        try:
            data = SourceIn.model_validate_json(await request.body())
        except ValidationError as error:
            problem = error.errors()[0]
            field = ".".join(str(p) for p in problem.get("loc", ())) or "body"
            raise InvalidInput(field, str(problem.get("msg", "invalid"))) from None
        source = await service.create_source(uow.session, ctx, data)
    return SourceOut.model_validate(source)


@router.get("/sources/{source_id}", response_model=SourceDetail)
async def get_source(source_id: uuid.UUID, uow: Uow, ctx: Ctx) -> SourceDetail:
    source, chunks = await service.get_source(uow.session, ctx, source_id)
    return SourceDetail(
        **SourceOut.model_validate(source).model_dump(),
        passages=[ChunkOut.model_validate(c) for c in chunks],
    )


@router.patch("/sources/{source_id}", response_model=SourceOut)
async def update_source(source_id: uuid.UUID, data: SourceUpdate, uow: Uow, ctx: Ctx) -> SourceOut:
    return SourceOut.model_validate(await service.update_source(uow.session, ctx, source_id, data))


@router.delete("/sources/{source_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_source(source_id: uuid.UUID, uow: Uow, ctx: Ctx, svc: Svc) -> Response:
    await service.delete_source(uow.session, ctx, svc.storage, source_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/sources/{source_id}/reimport", response_model=SourceOut)
async def reimport(source_id: uuid.UUID, uow: Uow, ctx: Ctx) -> SourceOut:
    return SourceOut.model_validate(await service.reimport(uow.session, ctx, source_id))


@router.post("/search", response_model=SearchOut)
async def search(data: SearchIn, uow: Uow, ctx: Ctx, svc: Svc) -> SearchOut:
    """What the assistant would retrieve for a question, and the answer it would give."""
    embedder = embedder_for(svc.settings)
    passages, answer = await service.search(uow.session, ctx, embedder, data.query, data.limit)
    used = answer.used if answer else []
    return SearchOut(
        passages=[
            PassageOut(
                chunk_id=p.chunk_id,
                source_id=p.source_id,
                title=p.title,
                heading=p.heading,
                text=p.text,
                score=round(p.score, 6),
                relevance=round(p.relevance, 4),
            )
            for p in passages
        ],
        answer=answer.text if answer else "",
        answered=answer is not None,
        citations=[
            Citation(source_id=p.source_id, title=p.title, passage=p.text, url=p.url) for p in used
        ],
    )
