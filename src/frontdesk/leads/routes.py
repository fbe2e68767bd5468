"""HTTP handlers of leads: parse, authorize (in the service), serialize."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from frontdesk.deps import Ctx, Uow
from frontdesk.leads import service
from frontdesk.leads.export import XLSX_TYPE
from frontdesk.leads.models import Lead
from frontdesk.leads.repository import LeadFilter
from frontdesk.leads.schemas import (
    BulkResult,
    BulkStatusIn,
    Day,
    LeadConversation,
    LeadDetail,
    LeadIn,
    LeadOut,
    LeadPage,
    LeadSettingsIn,
    LeadSettingsOut,
    LeadStatus,
    LeadUpdate,
)
from frontdesk.workspaces.permissions import WorkspaceContext

router = APIRouter(prefix="/api/leads", tags=["leads"])
_EXPORTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The leads as a spreadsheet.",
        "content": {
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}

# A detail that already belongs to someone else (the envelope names their lead).
_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "Someone with this email or phone is already a contact.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
}


class LeadQuery:
    """The filters shared by the list and the export."""

    def __init__(
        self,
        status: LeadStatus | None = Query(None),
        owner_id: uuid.UUID | None = Query(None, description="Leads this member owns."),
        follow_up: Literal["due"] | None = Query(
            None, description="due: open leads whose follow-up day has come (oldest first)."
        ),
        source: str | None = Query(
            None, max_length=16, description="The channel: portal, widget, import, manual."
        ),
        created_from: Day | None = Query(
            None, description="First day, in the workspace's time zone."
        ),
        created_to: Day | None = Query(None, description="Last day, included."),
        q: str = Query("", max_length=200, description="Search name, email, phone, notes."),
    ) -> None:
        self.filter = LeadFilter(
            status=status, owner_id=owner_id, channel=source or None, query=q.strip()
        )
        self.follow_up_due = follow_up == "due"
        self.created_from, self.created_to = created_from, created_to

    def resolve(self, ctx: WorkspaceContext) -> LeadFilter:
        return service.resolve_filter(
            ctx,
            self.filter,
            follow_up_due=self.follow_up_due,
            created_from=self.created_from,
            created_to=self.created_to,
        )


@router.get("", response_model=LeadPage)
async def list_leads(
    uow: Uow,
    ctx: Ctx,
    query: Annotated[LeadQuery, Depends()],
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> LeadPage:
    leads, total = await service.list_leads(uow.session, ctx, query.resolve(ctx), limit, offset)
    return LeadPage(
        leads=[LeadOut.of(lead) for lead in leads],
        total=total,
        next_offset=offset + limit if offset + limit < total else None,
    )


@router.post("", response_model=LeadOut, status_code=status.HTTP_201_CREATED, responses=_CONFLICT)
async def create_lead(data: LeadIn, uow: Uow, ctx: Ctx) -> LeadOut:
    """A lead staff add by hand; one whose email or phone is already known is 409, naming
    the lead to open instead."""
    return LeadOut.of(await service.create(uow.session, ctx, data))


@router.get("/export", response_model=None, responses=_EXPORTS)
async def export_leads(
    uow: Uow,
    ctx: Ctx,
    query: Annotated[LeadQuery, Depends()],
    format: Literal["xlsx", "csv"] = Query("xlsx"),
) -> Response:
    """The leads the same filters list, as XLSX (typed cells, frozen header, filters) or CSV
    (UTF-8, formula-safe); at most 50,000 rows."""
    body = await service.export(uow.session, ctx, query.resolve(ctx), format)
    day = service.local_today(ctx).isoformat()
    return Response(
        body,
        media_type=XLSX_TYPE if format == "xlsx" else "text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="leads-{day}.{format}"'},
    )


@router.post("/bulk", response_model=BulkResult)
async def bulk_status(data: BulkStatusIn, uow: Uow, ctx: Ctx) -> BulkResult:
    """Set the status of many leads at once; ids of other workspaces are ignored."""
    return BulkResult(updated=await service.bulk_status(uow.session, ctx, data))


@router.get("/settings", response_model=LeadSettingsOut)
async def get_settings(uow: Uow, ctx: Ctx) -> LeadSettingsOut:
    found = await service.settings(uow.session, ctx)
    return LeadSettingsOut(daily_report=found.daily_report)


@router.put("/settings", response_model=LeadSettingsOut)
async def put_settings(data: LeadSettingsIn, uow: Uow, ctx: Ctx) -> LeadSettingsOut:
    """daily_report: each morning, yesterday's new leads as an XLSX to the owners' email."""
    found = await service.update_settings(uow.session, ctx, data.daily_report)
    return LeadSettingsOut(daily_report=found.daily_report)


def _detail(lead: Lead, conversations: list[LeadConversation]) -> LeadDetail:
    return LeadDetail(**LeadOut.of(lead).model_dump(), conversations=conversations)


@router.get("/{lead_id:uuid}", response_model=LeadDetail)
async def get_lead(lead_id: uuid.UUID, uow: Uow, ctx: Ctx) -> LeadDetail:
    """The lead with the conversations its person had (newest first)."""
    lead, conversations = await service.get(uow.session, ctx, lead_id)
    return _detail(
        lead,
        [
            LeadConversation(
                id=c.id,
                channel=c.channel,
                status=c.status,
                created_at=c.created_at,
                last_message_at=c.last_message_at,
            )
            for c in conversations
        ],
    )


@router.patch("/{lead_id:uuid}", response_model=LeadOut, responses=_CONFLICT)
async def update_lead(lead_id: uuid.UUID, data: LeadUpdate, uow: Uow, ctx: Ctx) -> LeadOut:
    return LeadOut.of(await service.update_lead(uow.session, ctx, lead_id, data))


@router.delete("/{lead_id:uuid}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_lead(lead_id: uuid.UUID, uow: Uow, ctx: Ctx) -> Response:
    await service.delete(uow.session, ctx, lead_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
