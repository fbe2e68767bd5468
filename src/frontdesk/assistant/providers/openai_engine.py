"""The assistant on an OpenAI-compatible chat completions endpoint.

One adapter covers OpenAI itself and everything that speaks its wire format: Ollama, vLLM,
LM Studio, Groq, DeepSeek, Gemini's OpenAI endpoint. Replies stream; tool calls arrive as
fragments keyed by index, run through the conversation's :class:`ToolBox`, and their results
go back as ``tool`` messages until the model answers in words (at most ``MAX_ROUNDS`` calls).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx2
from openai import AsyncOpenAI, Omit, omit
from openai.types.chat import (
    ChatCompletionMessageFunctionToolCallParam,
    ChatCompletionMessageParam,
    ChatCompletionToolChoiceOptionParam,
    ChatCompletionToolParam,
)
from openai.types.completion_usage import CompletionUsage

from frontdesk.assistant.engine import OnDelta, Reply, ReplyContext, Usage
from frontdesk.assistant.providers import DEFAULT_BASE_URLS
from frontdesk.assistant.providers._shared import (
    MAX_ROUNDS,
    cited,
    dialogue,
    require_text,
    revise_request,
    summary_request,
    system_prompt,
)
from frontdesk.assistant.tools import ToolBox

# Local servers (Ollama, LM Studio) ignore the key, but the SDK refuses to send no key at all.
PLACEHOLDER_API_KEY = "not-needed"


@dataclass
class _PendingCall:
    """One tool call as its fragments arrive: the id and name come first, arguments in pieces."""

    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


class OpenAIEngine:
    provider = "openai"

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
        # No max_tokens: OpenAI's newer models reject it (they want max_completion_tokens),
        # which many compatible servers do not know; a chat reply is short anyway.
        self.model = model
        # Creating the client opens no connection; the first request does.
        self._client = AsyncOpenAI(
            base_url=base_url or DEFAULT_BASE_URLS["openai"],
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
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": system_prompt(context)}
        ]
        for role, said in dialogue(context.history):
            if role == "user":
                messages.append({"role": "user", "content": said})
            else:
                messages.append({"role": "assistant", "content": said})
        tools = _tool_params(context.tools)
        streamed: list[str] = []
        wants_human = False

        for round_number in range(1, MAX_ROUNDS + 1):
            # On the last round the model may still talk but not act, so it has to answer.
            choice: ChatCompletionToolChoiceOptionParam | Omit = (
                "none" if round_number == MAX_ROUNDS else omit
            )
            text, calls = await self._stream_round(
                messages, tools, choice, usage, on_delta, separate=bool(streamed)
            )
            streamed.extend(text)
            if not calls or context.tools is None or round_number == MAX_ROUNDS:
                break
            messages.append(
                {
                    "role": "assistant",
                    "content": "".join(text).strip() or None,
                    "tool_calls": [_call_param(call) for call in calls],
                }
            )
            for call in calls:
                result = await context.tools.call(call.name, "".join(call.arguments))
                wants_human = wants_human or (call.name == "handoff" and result.ok)
                messages.append(
                    {"role": "tool", "tool_call_id": call.id, "content": result.content}
                )

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
        messages: list[ChatCompletionMessageParam],
        tools: list[ChatCompletionToolParam],
        tool_choice: ChatCompletionToolChoiceOptionParam | Omit,
        usage: list[Usage],
        on_delta: OnDelta,
        *,
        separate: bool,
    ) -> tuple[list[str], list[_PendingCall]]:
        """One streamed call: forwards text as it comes, collects tool calls by index."""
        text: list[str] = []
        pending: dict[int, _PendingCall] = {}
        stream = await self._client.chat.completions.create(
            model=self.model,
            messages=messages,
            tools=tools or omit,
            tool_choice=tool_choice if tools else omit,
            stream=True,
            # The usage of a streamed call only arrives in a final chunk, and only if asked.
            stream_options={"include_usage": True},
        )
        async with stream:
            async for chunk in stream:
                if chunk.usage is not None:
                    usage.append(self._usage(chunk.usage))
                for choice in chunk.choices:
                    if choice.index != 0:  # we never ask for n > 1
                        continue
                    delta = choice.delta
                    if delta.content:
                        if separate and not text:
                            # Text after a tool round starts a new paragraph; it goes through
                            # on_delta too, so the reply always equals what was streamed.
                            text.append("\n\n")
                            await on_delta("\n\n")
                        text.append(delta.content)
                        await on_delta(delta.content)
                    for fragment in delta.tool_calls or []:
                        call = pending.setdefault(fragment.index, _PendingCall())
                        call.id = fragment.id or call.id
                        if fragment.function is not None:
                            call.name = fragment.function.name or call.name
                            call.arguments.append(fragment.function.arguments or "")
        calls = [pending[index] for index in sorted(pending) if pending[index].name]
        return text, calls

    async def revise(self, text: str, instructions: str, context: ReplyContext) -> str:
        answer = await self._complete(context, revise_request(text, instructions, context))
        return require_text(answer, "revision")

    async def summarize(self, context: ReplyContext) -> str:
        return require_text(await self._complete(context, summary_request(context)), "summary")

    async def _complete(self, context: ReplyContext, request: str) -> str:
        """A single call without streaming or tools: staff wait for the whole answer anyway."""
        completion = await self._client.chat.completions.create(
            model=self.model,
            messages=[
                {"role": "system", "content": system_prompt(context)},
                {"role": "user", "content": request},
            ],
        )
        if not completion.choices:
            return ""
        return completion.choices[0].message.content or ""

    def _usage(self, counted: CompletionUsage) -> Usage:
        return Usage(
            provider=self.provider,
            model=self.model,
            input_tokens=counted.prompt_tokens,
            output_tokens=counted.completion_tokens,
        )


def _tool_params(toolbox: ToolBox | None) -> list[ChatCompletionToolParam]:
    if toolbox is None:
        return []
    return [
        {
            "type": "function",
            "function": {
                "name": spec.name,
                "description": spec.description,
                "parameters": spec.parameters,
            },
        }
        for spec in toolbox.specs()
    ]


def _call_param(call: _PendingCall) -> ChatCompletionMessageFunctionToolCallParam:
    return {
        "id": call.id,
        "type": "function",
        # Sent back exactly as the model wrote it, even if it was not valid JSON: the tool
        # result that follows says what was wrong with it.
        "function": {"name": call.name, "arguments": "".join(call.arguments) or "{}"},
    }
