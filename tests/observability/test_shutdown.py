"""Graceful shutdown: replies being written when the server stops are finished and stored;
a job that would hold the process forever is cut off after the grace period."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from frontdesk.app import create_app
from frontdesk.conversations.models import Message
from frontdesk.jobs.queue import InProcessQueue, job
from frontdesk.kit.db import Database
from tests.conftest import Backend, client_for, services_of
from tests.factories import register, say, start_chat


async def test_a_reply_in_flight_is_stored_before_the_process_exits(backend: Backend) -> None:
    settings = backend.settings(warm_assistant=False)
    application = create_app(settings)
    async with client_for(settings, application) as client:
        owner = await register(client)
        chat = await start_chat(client, owner.slug, "Ada")
        await say(client, chat, "Do you take new patients?")
        assert await services_of(application).jobs.backlog() != (0, 0.0)  # still replying
    # The lifespan has ended (services closed): the reply was written all the same.
    db = Database(backend.url)
    try:
        async with db.unit_of_work() as uow:
            senders = (
                await uow.session.execute(
                    select(Message.sender_type).where(
                        Message.conversation_id == uuid.UUID(chat.conversation_id)
                    )
                )
            ).scalars()
            assert "assistant" in set(senders)
    finally:
        await db.dispose()


async def test_stopping_waits_for_running_jobs_at_most_the_grace_period(
    caplog: pytest.LogCaptureFixture,
) -> None:
    finished: list[str] = []

    @job("test.shutdown.quick")
    async def quick(services: Any) -> None:
        await asyncio.sleep(0.2)
        finished.append("quick")

    @job("test.shutdown.stuck")
    async def stuck(services: Any) -> None:
        await asyncio.sleep(60)
        finished.append("stuck")

    queue = InProcessQueue(services=None, schedule=False, stop_grace=1.0)
    await queue.enqueue("test.shutdown.quick")
    await queue.enqueue("test.shutdown.stuck")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="frontdesk.jobs"):
        await queue.stop()
    elapsed = time.monotonic() - started
    assert finished == ["quick"]
    assert 0.9 <= elapsed < 5
    assert "1 jobs unfinished" in caplog.text and "job:test.shutdown.stuck" in caplog.text
    assert await queue.backlog() == (0, 0.0)
