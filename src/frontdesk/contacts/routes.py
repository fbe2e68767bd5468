from __future__ import annotations

import uuid

from fastapi import APIRouter, Query

from frontdesk.contacts import service
from frontdesk.contacts.schemas import ContactDetail, ContactOut, ContactPage
from frontdesk.deps import Ctx, Uow

router = APIRouter(prefix="/api/contacts", tags=["contacts"])


@router.get("", response_model=ContactPage)
async def list_contacts(
    uow: Uow,
    ctx: Ctx,
    q: str = Query("", max_length=200, description="Search name, email or phone."),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
) -> ContactPage:
    contacts = await service.list_contacts(uow.session, ctx, limit, offset, q)
    return ContactPage(
        contacts=[ContactOut.model_validate(c) for c in contacts],
        next_offset=offset + limit if len(contacts) == limit else None,
    )


@router.get("/{contact_id}", response_model=ContactDetail)
async def get_contact(contact_id: uuid.UUID, uow: Uow, ctx: Ctx) -> ContactDetail:
    contact, conversation_ids = await service.get(uow.session, ctx, contact_id)
    detail = ContactOut.model_validate(contact).model_dump()
    return ContactDetail(**detail, conversation_ids=conversation_ids)
