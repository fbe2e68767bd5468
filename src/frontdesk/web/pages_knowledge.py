"""The knowledge page: the sources the assistant answers from, adding more, and a search tester.

The page is a server-rendered shell; ``static/knowledge/*.js`` fills the list from
``/api/knowledge/sources``, follows imports in progress and runs the tester against
``/api/knowledge/search``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from frontdesk.deps import Svc, Uow
from frontdesk.knowledge import service as knowledge
from frontdesk.knowledge.models import SYNCED_KINDS
from frontdesk.knowledge.sync import ensure_synced
from frontdesk.web.pages_app import base_context
from frontdesk.web.session import render, require_context

router = APIRouter(include_in_schema=False)

# What the upload field accepts: the formats ingestion extracts.
ACCEPTED_FILES = ".pdf,.docx,.txt,.md,.markdown,.html,.htm"


@router.get("/app/knowledge", response_class=HTMLResponse)
async def knowledge_page(request: Request, uow: Uow, svc: Svc) -> Response:
    ctx = await require_context(request, uow, svc)
    # The assistant's instructions and intents are knowledge too: mirror any written before
    # the knowledge base existed, so the page lists what the assistant really answers from.
    await ensure_synced(uow.session, ctx.workspace_id)
    sources = await knowledge.list_sources(uow.session, ctx)
    return render(
        request,
        "knowledge.html",
        {
            **base_context(ctx, "knowledge"),
            # Before the script has loaded: the count, and whether the guide to adding shows.
            "source_count": len(sources),
            "owner_sources": sum(1 for s in sources if s.kind not in SYNCED_KINDS),
            "accepted_files": ACCEPTED_FILES,
            "upload_limit_mb": ctx.workspace.upload_limit_mb or svc.settings.upload_limit_mb,
        },
    )
