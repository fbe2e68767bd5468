"""A language model first, the local engine when it fails: the customer always gets an answer.

A vendor outage, a wrong key, a model that hangs or answers with nothing all end the same
way: a warning in the log and the local engine's reply, marked ``engine="local"`` (or
whatever the fallback reports) so staff and metrics can tell.

Streaming caveat: if the primary had already sent some deltas before failing, the customer
may have seen the start of an answer that the fallback's reply then replaces. We accept
that: the final message is what gets stored and sent over the socket, so the partial
preview is superseded there. The fallback's own reply is not streamed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, runtime_checkable

from frontdesk.assistant.engine import Assistant, OnDelta, Reply, ReplyContext, Usage
from frontdesk.observability.metrics import count_tokens, observe_llm

log = logging.getLogger(__name__)


@runtime_checkable
class MeteredAssistant(Protocol):
    """An engine that reports usage as it goes, so a failed reply's cost is not lost."""

    async def respond_metered(
        self, context: ReplyContext, on_delta: OnDelta, usage: list[Usage]
    ) -> Reply: ...


class FallbackAssistant:
    def __init__(self, primary: Assistant, fallback: Assistant, timeout: float) -> None:
        self.primary = primary
        self.fallback = fallback
        # The budget for the whole reply, tool calls and the SDK's own retries included:
        # past it the customer gets the fallback's answer rather than a longer wait.
        self.timeout = timeout

    async def respond(self, context: ReplyContext, on_delta: OnDelta) -> Reply:
        spent: list[Usage] = []
        try:
            with self._metered("reply"):
                async with asyncio.timeout(self.timeout):
                    if isinstance(self.primary, MeteredAssistant):
                        answer = await self.primary.respond_metered(context, on_delta, spent)
                    else:
                        answer = await self.primary.respond(context, on_delta)
            count_tokens(answer.usage)
            return answer
        except Exception as exc:  # any failure at all: the customer still gets an answer
            count_tokens(spent)
            self._warn("reply", exc)
        reply = await self.fallback.respond(context, on_delta)
        # Calls that completed before the failure were billed all the same.
        reply.usage = [*spent, *reply.usage]
        return reply

    async def revise(self, text: str, instructions: str, context: ReplyContext) -> str:
        try:
            with self._metered("revision"):
                async with asyncio.timeout(self.timeout):
                    return await self.primary.revise(text, instructions, context)
        except Exception as exc:
            self._warn("revision", exc)
        return await self.fallback.revise(text, instructions, context)

    async def summarize(self, context: ReplyContext) -> str:
        try:
            with self._metered("summary"):
                async with asyncio.timeout(self.timeout):
                    return await self.primary.summarize(context)
        except Exception as exc:
            self._warn("summary", exc)
        return await self.fallback.summarize(context)

    async def aclose(self) -> None:
        """Close the primary's HTTP client (engines are cached per workspace; this is for
        when a workspace changes its provider, and for tests)."""
        close = getattr(self.primary, "aclose", None)
        if close is not None:
            await close()

    @contextmanager
    def _metered(self, operation: str) -> Iterator[None]:
        """The primary's latency for ``/metrics``, by provider and outcome."""
        provider = getattr(self.primary, "provider", type(self.primary).__name__)
        started = time.perf_counter()
        outcome = "error"
        try:
            yield
            outcome = "ok"
        except TimeoutError:
            outcome = "timeout"
            raise
        finally:
            observe_llm(provider, operation, outcome, time.perf_counter() - started)

    def _warn(self, what: str, exc: BaseException) -> None:
        reason = "timed out" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}: {exc}"
        log.warning(
            "%s failed to write the %s (%s); falling back to %s",
            type(self.primary).__name__,
            what,
            reason,
            type(self.fallback).__name__,
        )
