"""Jobs are delivered at least once: a reply job run twice at the same time (redelivered
while the first run still works, or queued again by the recovery sweep) posts one reply; the
recovery sweep finds exactly the messages still owed a reply."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx

from frontdesk.conversations.models import Message
from frontdesk.conversations.portal import add_customer_message
from frontdesk.conversations.replies import reply
from frontdesk.conversations.repository import ConversationRepository
from frontdesk.kit.db import utcnow
from frontdesk.knowledge.models import KnowledgeSource
from frontdesk.recovery import owed_replies, sweep
from frontdesk.services import Services
from tests.factories import Chat, register, say, start_chat

CHATS = 6


async def _unanswered(services: Services, workspace_id: str, chat: Chat, text: str) -> str:
    """A customer message written as a server that died before queueing its reply would
    have left it (a unit of work with no job queue)."""
    wid, cid = uuid.UUID(workspace_id), uuid.UUID(chat.conversation_id)
    async with services.db.unit_of_work() as uow:
        conversation = await ConversationRepository(uow.session, wid).get(cid)
        assert conversation is not None
        message = await add_customer_message(uow.session, conversation, "Kim", text)
    return str(message.id)


async def _assistant_replies(client: httpx.AsyncClient, chat: Chat) -> int:
    messages = (await client.get("/api/portal/messages", headers=chat.headers)).json()["messages"]
    return sum(m["sender_type"] == "assistant" for m in messages)


async def _set_ai_mode(services: Services, workspace_id: str, chat: Chat, mode: str) -> None:
    async with services.db.unit_of_work() as uow:  # no job queue: nothing is scheduled
        conversation = await ConversationRepository(uow.session, uuid.UUID(workspace_id)).get(
            uuid.UUID(chat.conversation_id)
        )
        assert conversation is not None
        conversation.ai_mode = mode


async def test_a_reply_job_run_twice_at_once_replies_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    """The redelivery case: the message was already understood by a first run (which then
    died), and two runs now build and write the reply at the same time."""
    owner = await register(client)
    chats = [await start_chat(client, owner.slug, f"Kim {n}") for n in range(CHATS)]
    before = [await _assistant_replies(client, chat) for chat in chats]
    runs = []
    for chat in chats:
        trigger = await _unanswered(services, owner.workspace_id, chat, "are you open today?")
        job = {
            "workspace_id": owner.workspace_id,
            "conversation_id": chat.conversation_id,
            "trigger_id": trigger,
        }
        await _set_ai_mode(services, owner.workspace_id, chat, "off")
        await reply(services, **job)  # understands the message, stays silent
        await _set_ai_mode(services, owner.workspace_id, chat, "auto")
        runs += [reply(services, **job), reply(services, **job)]
    await asyncio.gather(*runs)
    after = [await _assistant_replies(client, chat) for chat in chats]
    assert [a - b for a, b in zip(after, before, strict=True)] == [1] * CHATS


async def test_the_sweep_finds_only_messages_still_owed_a_reply(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    answered = await start_chat(client, owner.slug)
    owed = await start_chat(client, owner.slug)
    silenced = await start_chat(client, owner.slug)
    await say(client, answered, "hello")
    await services.jobs.drain()
    owed_id = await _unanswered(services, owner.workspace_id, owed, "anyone there?")
    await client.patch(
        f"/api/conversations/{silenced.conversation_id}",
        headers=owner.headers,
        json={"ai_mode": "off"},
    )
    await _unanswered(services, owner.workspace_id, silenced, "hello?")
    async with services.db.unit_of_work() as uow:
        now = utcnow()
        found = await owed_replies(uow.session, now - timedelta(hours=1), now)
        too_recent = await owed_replies(
            uow.session, now - timedelta(hours=1), now - timedelta(minutes=5)
        )
        assert await uow.session.get(Message, uuid.UUID(owed_id)) is not None
    assert [str(m) for _w, _c, m in found] == [owed_id]
    assert too_recent == []


async def test_the_sweep_imports_a_knowledge_source_whose_job_was_lost(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    long_ago = utcnow() - timedelta(minutes=10)
    async with services.db.unit_of_work() as uow:  # written, then the process died
        source = KnowledgeSource(
            workspace_id=uuid.UUID(owner.workspace_id),
            kind="text",
            title="Parking",
            body="Free parking behind the building, entrance on Mill Street.",
            status="queued",
            updated_at=long_ago,
        )
        uow.session.add(source)
    await sweep(services)
    await services.jobs.drain()
    async with services.db.unit_of_work() as uow:
        imported = await uow.session.get(KnowledgeSource, source.id)
        assert imported is not None and imported.status == "ready" and imported.chunks >= 1
