"""Fault: the server (in-process job queue) is killed with replies still to write. Its jobs
die with it; when it starts again, the recovery sweep finds every customer message still
owed a reply and answers it, once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from frontdesk.kit.db import Database
from tests.conftest import Backend
from tests.factories import register
from tests.jobs.faults import kill_hard, open_chats, post, start_server, stop, wait_for_replies
from tests.servers import scaled_out_env

CHATS = 12
UNANSWERED = text(
    "SELECT count(*) FROM messages m WHERE m.sender_type = 'customer' AND NOT EXISTS ("
    " SELECT 1 FROM messages r WHERE r.conversation_id = m.conversation_id"
    " AND r.sender_type = 'assistant' AND r.created_at > m.created_at)"
)


@pytest.mark.fault
async def test_replies_owed_when_the_server_died_are_sent_after_restart(
    backend: Backend, tmp_path: Path
) -> None:
    env = await scaled_out_env(
        backend.url,
        tmp_path,
        FRONTDESK_RECOVERY_GRACE_SECONDS="1",
        FRONTDESK_RECOVERY_INTERVAL_SECONDS="1",
        FRONTDESK_LOG_LEVEL="warning",
    )
    env.pop("FRONTDESK_REDIS_URL")  # one server, in-process queue and bus: nothing outside
    log = tmp_path / "processes.log"
    server, base = start_server(env, log)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            owner = await register(http, business="Restart Dental")
            chats = await open_chats(http, owner.slug, CHATS)
            await asyncio.gather(*(post(http, c, "can I book a cleaning?") for c in chats))
        kill_hard(server)  # the replies being written die with it
    finally:
        stop(server)
    assert await _owed(backend.url), "every reply was written before the kill: nothing to test"
    server, base = start_server(env, log)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            await wait_for_replies(http, chats, seconds=25, log=log)
    finally:
        stop(server)


async def _owed(database_url: str) -> int:
    """Customer messages with no assistant reply after them, read straight from the database."""
    db = Database(database_url)
    try:
        async with db.engine.connect() as connection:
            result = await connection.execute(UNANSWERED)
            return int(result.scalar_one())
    finally:
        await db.dispose()
