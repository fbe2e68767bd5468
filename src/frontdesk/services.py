"""What the application owns for its lifetime, built once by ``create_app`` (or a worker).

Creating it connects to nothing; :meth:`Services.start` connects what must listen (the
Redis bus, the job queue), :meth:`Services.close` releases everything.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from frontdesk.jobs.queue import JobQueue, create_queue
from frontdesk.kit.db import Database, UnitOfWork
from frontdesk.kit.ratelimit import RateLimiter
from frontdesk.kit.secrets import SecretBox
from frontdesk.mail import Mailer, create_mailer
from frontdesk.ocr import TextReader, create_reader
from frontdesk.realtime.bus import EventBus, create_bus
from frontdesk.settings import Settings
from frontdesk.speech import SpeechToText, WhisperSpeech
from frontdesk.storage import FileStorage, create_storage


@dataclass
class Services:
    settings: Settings
    db: Database
    limiter: RateLimiter
    bus: EventBus
    storage: FileStorage
    speech: SpeechToText
    ocr: TextReader
    secrets: SecretBox
    mail: Mailer
    jobs: JobQueue = field(init=False)
    _warming: asyncio.Future[None] | None = field(init=False, default=None)

    @classmethod
    def build(cls, settings: Settings) -> Services:
        services = cls(
            settings=settings,
            db=Database(settings.resolved_database_url),
            limiter=RateLimiter(settings.redis_url),
            bus=create_bus(settings.redis_url),
            storage=create_storage(settings),
            speech=WhisperSpeech(threads=settings.speech_threads),
            ocr=create_reader(settings),
            secrets=SecretBox.for_settings(settings),
            mail=create_mailer(settings),
        )
        services.jobs = create_queue(settings, services)
        return services

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work whose events and jobs leave through this application's bus and
        queue, after it commits."""
        async with self.db.unit_of_work(bus=self.bus, jobs=self.jobs) as uow:
            yield uow

    async def start(self) -> None:
        await self.bus.start()
        await self.jobs.start()
        if self.settings.warm_assistant:
            # Train the built-in intent model and load the language model in a thread now,
            # so the first customer message does not wait for them (about a second).
            self._warming = asyncio.ensure_future(asyncio.to_thread(_warm_assistant, self.settings))

    async def close(self) -> None:
        await self.jobs.stop()
        await self.bus.stop()
        await self.limiter.close()
        await self.db.dispose()


def _warm_assistant(settings: Settings) -> None:
    from frontdesk.assistant.intent_models import intent_models
    from frontdesk.knowledge.retrieval import embedder_for
    from frontdesk.nlu.language import detect_language

    intent_models.base("en")
    detect_language("warming up the language model", default="en")
    # The knowledge base's embedder takes seconds to load: not on a customer's first reply.
    embedder_for(settings).embed_queries(["warming up the embedder"])
