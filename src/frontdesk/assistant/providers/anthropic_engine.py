"""The assistant on Anthropic's Messages API.

Replies stream as server-sent events; ``tool_use`` blocks run through the conversation's
:class:`ToolBox` and their results go back as ``tool_result`` blocks in the next user message,
until the model answers in words (at most ``MAX_ROUNDS`` calls). The API wants strictly
alternating roles starting with the customer, so the history is merged to fit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx2
from anthropic import AsyncAnthropic, Omit, omit
from anthropic.types import (
    AssistantMessageParam,
    ContentBlockParam,
    MessageParam,
    TextBlockParam,
    ToolChoiceParam,
    ToolParam,
    ToolResultBlockParam,
    ToolUseBlockParam,
    UserMessageParam,
)

from frontdesk.assistant.engine import OnDelta, Reply, ReplyContext, Usage
from frontdesk.assistant.providers import DEFAULT_BASE_URLS
from frontdesk.assistant.providers._shared import (
    MAX_ROUNDS,
    Role,
    cited,
    dialogue,
    require_text,
    revise_request,
    summary_request,
    system_prompt,
)
from frontdesk.assistant.tools import ToolBox

PLACEHOLDER_API_KEY = "not-configured"
# The API requires a limit; a front-desk reply is a few paragraphs at most.
MAX_TOKENS = 1024
# Stands in for the customer when the history does not start (or end) with them: the API
# rejects a conversation that opens with the assistant, and treats a final assistant turn
# as the beginning of the answer to continue rather than something to reply to.
_OPENING = "(The conversation so far starts with a message from us.)"
_CONTINUE = "(No new message from the customer; continue the conversation if appropriate.)"


@dataclass
class _Block:
    """One content block as its events arrive: text, or a tool call whose input is JSON in
    pieces."""

    kind: str
    text: list[str] = field(default_factory=list)
    id: str = ""
    name: str = ""
    json: list[str] = field(default_factory=list)


class AnthropicEngine:
    provider = "anthropic"

    def __init__(
        self,
        *,
        model: str,
        base_url: str = "",
        api_key: str = "",
        timeout: float = 20.0,
        max_retries: int = 2,
        http_client: httpx2.AsyncClient | None = None,
    ) -> None:
        self.model = model
        # Creating the client opens no connection; the first request does.
        self._client = AsyncAnthropic(
            base_url=base_url or DEFAULT_BASE_URLS["anthropic"],
            # Always explicit: without a key the SDK would read ANTHROPIC_API_KEY from the
            # environment, and a workspace must never spend a key it was not given.
            api_key=api_key or PLACEHOLDER_API_KEY,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,  # None: the SDK's own (build_engine passes a guarded one)
        )

    async def aclose(self) -> None:
        await self._client.close()

    async def respond(self, context: ReplyContext, on_delta: OnDelta) -> Reply:
        return await self.respond_metered(context, on_delta, [])

    async def respond_metered(
        self, context: ReplyContext, on_delta: OnDelta, usage: list[Usage]
    ) -> Reply:
        """``respond``, appending each call's usage to ``usage`` as soon as it is known, so a
        caller that gives up half-way (timeout, error) still knows what was spent."""
        messages = alternating(dialogue(context.history))
        tools = _tool_params(context.tools)
        streamed: list[str] = []
        wants_human = False

        for round_number in range(1, MAX_ROUNDS + 1):
            # On the last round the model may still talk but not act, so it has to answer.
            choice: ToolChoiceParam | Omit = (
                {"type": "none"} if tools and round_number == MAX_ROUNDS else omit
            )
            blocks = await self._stream_round(
                context, messages, tools, choice, usage, on_delta, separate=bool(streamed)
            )
            streamed.extend("".join(block.text) for block in blocks if block.kind == "text")
            calls = [block for block in blocks if block.kind == "tool_use"]
            if not calls or context.tools is None or round_number == MAX_ROUNDS:
                break
            content: list[ContentBlockParam] = []
            results: list[ContentBlockParam] = []
            for block in blocks:
                text = "".join(block.text).strip()
                if block.kind == "text" and text:  # the API rejects empty text blocks
                    content.append(TextBlockParam(type="text", text=text))
            for call in calls:
                arguments = _parse_input("".join(call.json))
                content.append(
                    ToolUseBlockParam(
                        type="tool_use",
                        id=call.id,
                        name=call.name,
                        input=arguments if isinstance(arguments, dict) else {},
                    )
                )
                result = await context.tools.call(
                    call.name, arguments if isinstance(arguments, dict) else "".join(call.json)
                )
                wants_human = wants_human or (call.name == "handoff" and result.ok)
                results.append(
                    ToolResultBlockParam(
                        type="tool_result",
                        tool_use_id=call.id,
                        content=result.content,
                        is_error=not result.ok,
                    )
                )
            messages.append({"role": "assistant", "content": content})
            messages.append({"role": "user", "content": results})

        reply = require_text("".join(streamed), "reply")
        return Reply(
            text=reply,
            wants_human=wants_human,
            usage=list(usage),
            engine=self.provider,
            citations=cited(context, reply),
        )

    async def _stream_round(
        self,
        context: ReplyContext,
        messages: list[MessageParam],
        tools: list[ToolParam],
        tool_choice: ToolChoiceParam | Omit,
        usage: list[Usage],
        on_delta: OnDelta,
        *,
        separate: bool,
    ) -> list[_Block]:
        """One streamed call: forwards text as it comes, collects the content blocks."""
        blocks: dict[int, _Block] = {}
        input_tokens = output_tokens = 0
        started_text = False
        stream = await self._client.messages.create(
            model=self.model,
            max_tokens=MAX_TOKENS,
            system=system_prompt(context),
            messages=messages,
            tools=tools or omit,
            tool_choice=tool_choice,
            stream=True,
        )
        async with stream:
            async for event in stream:
                if event.type == "message_start":
                    counted = event.message.usage
                    input_tokens = _input_total(
                        counted.input_tokens,
                        counted.cache_creation_input_tokens,
                        counted.cache_read_input_tokens,
                    )
                    output_tokens = counted.output_tokens
                elif event.type == "content_block_start":
                    start = event.content_block
                    block = _Block(kind=start.type)
                    if start.type == "tool_use":
                        block.id, block.name = start.id, start.name
                    blocks[event.index] = block
                elif event.type == "content_block_delta":
                    block = blocks.setdefault(event.index, _Block(kind="text"))
                    if event.delta.type == "text_delta" and event.delta.text:
                        if separate and not started_text:
                            # Text after a tool round starts a new paragraph; it goes through
                            # on_delta too, so the reply always equals what was streamed.
                            block.text.append("\n\n")
                            await on_delta("\n\n")
                        started_text = True
                        block.text.append(event.delta.text)
                        await on_delta(event.delta.text)
                    elif event.delta.type == "input_json_delta":
                        block.json.append(event.delta.partial_json)
                elif event.type == "message_delta":
                    # Counts here are cumulative for the message, so the last one wins.
                    delta_usage = event.usage
                    output_tokens = delta_usage.output_tokens
                    if delta_usage.input_tokens is not None:
                        input_tokens = _input_total(
                            delta_usage.input_tokens,
                            delta_usage.cache_creation_input_tokens,
                            delta_usage.cache_read_input_tokens,
                        )
        usage.append(Usage(self.provider, self.model, input_tokens, output_tokens))
        return [blocks[index] for index in sorted(blocks)]

    async def revise(self, text: str, instructions: str, context: ReplyContext) -> str:
        answer = await self._complete(context, revise_request(text, instructions, context))
        return require_text(answer, "revision")

    async def summarize(self, context: ReplyContext) -> str:
        return require_text(await self._complete(context, summary_request(context)), "summary")

    async def _complete(self, context: ReplyContext, request: str) -> str:
        """A single call without streaming or tools: staff wait for the whole answer anyway."""
        message = await self._client.messages.create(
            model=self.model,
            max_tokens=MAX_TOKENS,
            system=system_prompt(context),
            messages=[{"role": "user", "content": request}],
        )
        return "".join(block.text for block in message.content if block.type == "text")


def alternating(turns: list[tuple[Role, str]]) -> list[MessageParam]:
    """User and assistant strictly taking turns, starting and ending with the user: runs of
    one role (a customer sending three messages in a row, staff replying after the
    assistant) become one message, their texts separated by blank lines."""
    merged: list[tuple[Role, list[str]]] = []
    for role, text in turns:
        if merged and merged[-1][0] == role:
            merged[-1][1].append(text)
        else:
            merged.append((role, [text]))
    if not merged or merged[0][0] != "user":
        merged.insert(0, ("user", [_OPENING]))
    if merged[-1][0] != "user":
        merged.append(("user", [_CONTINUE]))
    return [
        UserMessageParam(role="user", content="\n\n".join(texts))
        if role == "user"
        else AssistantMessageParam(role="assistant", content="\n\n".join(texts))
        for role, texts in merged
    ]


def _tool_params(toolbox: ToolBox | None) -> list[ToolParam]:
    if toolbox is None:
        return []
    return [
        ToolParam(name=spec.name, description=spec.description, input_schema=spec.parameters)
        for spec in toolbox.specs()
    ]


def _input_total(plain: int, cache_creation: int | None, cache_read: int | None) -> int:
    """Cached prompt tokens are input the workspace pays for too (at another rate)."""
    return plain + (cache_creation or 0) + (cache_read or 0)


def _parse_input(raw: str) -> Any:
    """A tool_use input streamed as JSON fragments; none at all means no arguments."""
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        return None
