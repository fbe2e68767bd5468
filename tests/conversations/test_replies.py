"""What the assistant's turn is given: the reply context built from the database."""

from __future__ import annotations

import uuid

import httpx

from frontdesk.assistant.prompt import build_system_prompt
from frontdesk.conversations.replies import reply_context
from frontdesk.conversations.repository import ConversationRepository
from frontdesk.services import Services
from frontdesk.workspaces.models import Workspace
from tests.factories import register, start_chat


async def test_reply_context_carries_per_conversation_notes_into_the_prompt(
    client: httpx.AsyncClient, services: Services
) -> None:
    """What staff write about a conversation reaches the instructions a model would get."""
    owner = await register(client)
    chat = await start_chat(client, owner.slug, "Ruth")
    await client.patch(
        f"/api/conversations/{chat.conversation_id}",
        headers=owner.headers,
        json={
            "client_description": "Prefers mornings",
            "instructions": "Offer the 8:30 slot first.",
        },
    )
    async with services.unit_of_work() as uow:
        workspace = await uow.session.get(Workspace, uuid.UUID(owner.workspace_id))
        assert workspace is not None
        conversation = await ConversationRepository(uow.session, workspace.id).get(
            uuid.UUID(chat.conversation_id)
        )
        assert conversation is not None
        context = await reply_context(uow.session, workspace, conversation)
    prompt = build_system_prompt(context.persona)
    assert (
        "## Instructions for this conversation\nAbout this client: Prefers mornings\n"
        "Offer the 8:30 slot first." in prompt
    )
    assert context.customer_name == "Ruth"
