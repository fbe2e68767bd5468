"""Loopback stand-ins for the OpenAI and Anthropic HTTP APIs, speaking their documented wire
formats so the official SDKs parse them exactly as they would the real thing.

Each server plays a script of steps, one per request (:class:`Say`, :class:`UseTools`,
:class:`Fail`, :class:`Hang`), records every request it receives, and rejects requests the
real API would reject (missing auth or version header, tool results that answer nothing,
roles out of order) with the vendor's error body, so a malformed request fails the test.

Formats, per the vendors' API references:
- OpenAI ``POST /v1/chat/completions``: a ``chat.completion`` object, or with
  ``stream: true`` server-sent ``data: {chat.completion.chunk}`` lines (tool calls as
  ``delta.tool_calls`` fragments keyed by ``index``; with ``stream_options.include_usage``
  every chunk carries ``usage: null`` and a last chunk has empty ``choices`` and the usage),
  ending with ``data: [DONE]``.
- Anthropic ``POST /v1/messages``: a ``message`` object, or named events ``message_start``,
  ``content_block_start``, ``ping``, ``content_block_delta`` (``text_delta`` or
  ``input_json_delta``), ``content_block_stop``, ``message_delta`` (``stop_reason`` and
  cumulative ``usage``), ``message_stop``.
"""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.responses import JSONResponse, Response

from tests.assistant.llm_script import (
    STALL,
    Call,
    Fail,
    Hang,
    Received,
    Say,
    ScriptedAPI,
    Step,
    UseTools,
    fragments,
    new_id,
    serve,
)

__all__ = [
    "AnthropicServer",
    "Call",
    "Fail",
    "Hang",
    "OpenAIServer",
    "Received",
    "Say",
    "ScriptedAPI",
    "Step",
    "UseTools",
    "serve",
]


def _pieces(step: Say) -> list[str]:
    """The pieces to send, ``STALL`` after ``stall_after`` of them."""
    if step.stall_after is None:
        return step.pieces
    return [*step.pieces[: step.stall_after], STALL]


class OpenAIServer(ScriptedAPI):
    path = "/v1/chat/completions"

    def error(self, status: int, message: str) -> JSONResponse:
        kinds = {400: "invalid_request_error", 401: "invalid_request_error", 429: "requests"}
        codes = {401: "invalid_api_key", 429: "rate_limit_exceeded"}
        error = {
            "message": message,
            "type": kinds.get(status, "server_error"),
            "param": None,
            "code": codes.get(status),
        }
        return JSONResponse({"error": error}, status_code=status)

    def check(self, headers: dict[str, str], body: dict[str, Any]) -> Response | None:
        scheme, _, key = headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or not key or (self.api_key and key != self.api_key):
            return self.error(401, "Incorrect API key provided.")
        messages = body.get("messages")
        if not isinstance(body.get("model"), str) or not isinstance(messages, list) or not messages:
            return self.error(400, "'model' and a non-empty 'messages' are required.")
        if "stream_options" in body and not body.get("stream"):
            return self.error(400, "'stream_options' is only allowed when 'stream' is enabled.")
        if "tool_choice" in body and not body.get("tools"):
            return self.error(400, "'tool_choice' is only allowed when 'tools' are specified.")
        for tool in body.get("tools", []):
            function = tool.get("function", {})
            if tool.get("type") != "function" or not function.get("name"):
                return self.error(400, "Each tool needs type 'function' and a function name.")
            if function.get("parameters", {}).get("type") != "object":
                return self.error(400, "Function parameters must be a JSON schema object.")
        unanswered: set[str] = set()
        for message in messages:
            role = message.get("role")
            if role not in ("system", "developer", "user", "assistant", "tool"):
                return self.error(400, f"Invalid role {role!r}.")
            if role == "tool":
                if message.get("tool_call_id") not in unanswered:
                    return self.error(
                        400,
                        "Messages with role 'tool' must be a response to a preceding message "
                        "with 'tool_calls'.",
                    )
                unanswered.discard(message["tool_call_id"])
                continue
            if unanswered:
                return self.error(
                    400,
                    "An assistant message with 'tool_calls' must be followed by tool messages "
                    f"responding to each 'tool_call_id'. Missing: {sorted(unanswered)}",
                )
            if role == "assistant":
                unanswered = {call["id"] for call in message.get("tool_calls") or []}
        return None

    def stream(self, step: Say | UseTools, body: dict[str, Any]) -> list[str]:
        with_usage = bool(body.get("stream_options", {}).get("include_usage"))
        base: dict[str, Any] = {
            "id": new_id("chatcmpl-"),
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body["model"],
            "service_tier": "default",
            "system_fingerprint": "fp_loopback",
        }
        if with_usage:
            base["usage"] = None

        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
            return f"data: {json.dumps({**base, 'choices': [choice]})}\n\n"

        events: list[str] = []
        if isinstance(step, Say):
            events.append(chunk({"role": "assistant", "content": "", "refusal": None}))
            events += [p if p is STALL else chunk({"content": p}) for p in _pieces(step)]
            finish, tokens = "stop", (step.input_tokens, step.output_tokens)
        else:
            events.append(chunk({"role": "assistant", "content": None, "refusal": None}))
            events += [chunk({"content": p}) for p in fragments(step.preface, 5) if p]
            for index, call in enumerate(step.calls):
                call.id = call.id or new_id("call_")
                head = {"id": call.id, "type": "function"}
                function = {"name": call.name, "arguments": ""}
                events.append(
                    chunk({"tool_calls": [{"index": index, **head, "function": function}]})
                )
                events += [
                    chunk({"tool_calls": [{"index": index, "function": {"arguments": part}}]})
                    for part in fragments(call.json)
                ]
            finish, tokens = "tool_calls", (step.input_tokens, step.output_tokens)
        if STALL in events:
            return events
        events.append(chunk({}, finish))
        if with_usage:
            final = {**base, "choices": [], "usage": _openai_usage(*tokens)}
            events.append(f"data: {json.dumps(final)}\n\n")
        events.append("data: [DONE]\n\n")
        return events

    def complete(self, step: Say, body: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": step.text,
            "refusal": None,
            "annotations": [],
        }
        return {
            "id": new_id("chatcmpl-"),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}
            ],
            "usage": _openai_usage(step.input_tokens, step.output_tokens),
            "service_tier": "default",
            "system_fingerprint": "fp_loopback",
        }


def _openai_usage(prompt: int, completion: int) -> dict[str, Any]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


class AnthropicServer(ScriptedAPI):
    path = "/v1/messages"

    def error(self, status: int, message: str) -> JSONResponse:
        kinds = {
            400: "invalid_request_error",
            401: "authentication_error",
            429: "rate_limit_error",
            529: "overloaded_error",
        }
        error = {"type": kinds.get(status, "api_error"), "message": message}
        return JSONResponse({"type": "error", "error": error}, status_code=status)

    def credential(self, headers: dict[str, str]) -> str:
        """The key, from ``x-api-key`` (the API reference) or ``Authorization: Bearer`` (what
        the installed SDK sends for an api_key)."""
        scheme, _, token = headers.get("authorization", "").partition(" ")
        return headers.get("x-api-key") or (token if scheme == "Bearer" else "")

    def check(self, headers: dict[str, str], body: dict[str, Any]) -> Response | None:
        key = self.credential(headers)
        if not key or (self.api_key and key != self.api_key):
            return self.error(401, "invalid x-api-key")
        if not headers.get("anthropic-version"):
            return self.error(400, "anthropic-version: header is required")
        messages = body.get("messages")
        if not isinstance(body.get("model"), str) or not isinstance(messages, list) or not messages:
            return self.error(400, "model and messages: Field required")
        if not isinstance(body.get("max_tokens"), int) or body["max_tokens"] < 1:
            return self.error(400, "max_tokens: Field required")
        if "tool_choice" in body and not body.get("tools"):
            return self.error(400, "tool_choice may only be specified while providing tools")
        for tool in body.get("tools", []):
            if not tool.get("name") or tool.get("input_schema", {}).get("type") != "object":
                return self.error(400, "tools: each tool needs a name and an object input_schema")
        expected_role = "user"
        pending: set[str] = set()  # tool_use ids the next user message must answer
        for number, message in enumerate(messages):
            if message.get("role") != expected_role:
                problem = "first message must use the" if number == 0 else "roles must alternate"
                return self.error(400, f"messages.{number}: {problem} '{expected_role}' role")
            expected_role = "assistant" if expected_role == "user" else "user"
            content = message.get("content")
            blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
            if any(b["type"] == "text" and not b.get("text") for b in blocks):
                return self.error(400, f"messages.{number}: text content blocks must be non-empty")
            results = [b["tool_use_id"] for b in blocks if b["type"] == "tool_result"]
            leading = [b["tool_use_id"] for b in blocks[: len(results)]]
            if message["role"] == "user" and (set(results) != pending or leading != results):
                return self.error(
                    400,
                    f"messages.{number}: each tool_use needs a tool_result block, first in the "
                    f"next message, and nothing else. Expected {sorted(pending)}, got {results}",
                )
            pending = {b["id"] for b in blocks if b["type"] == "tool_use"}
        return None

    def stream(self, step: Say | UseTools, body: dict[str, Any]) -> list[str]:
        def event(kind: str, **data: Any) -> str:
            return f"event: {kind}\ndata: {json.dumps({'type': kind, **data})}\n\n"

        message = {
            "id": new_id("msg_"),
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": step.input_tokens, "output_tokens": 1},
        }
        events = [event("message_start", message=message)]
        texts = _pieces(step) if isinstance(step, Say) else fragments(step.preface, 5)
        index = 0
        if any(texts):
            events.append(
                event("content_block_start", index=0, content_block={"type": "text", "text": ""})
            )
            events.append(event("ping"))
            for piece in texts:
                delta = {"type": "text_delta", "text": piece}
                events.append(
                    piece if piece is STALL else event("content_block_delta", index=0, delta=delta)
                )
            if STALL in events:
                return events
            events.append(event("content_block_stop", index=0))
            index = 1
        for call in step.calls if isinstance(step, UseTools) else []:
            call.id = call.id or new_id("toolu_")
            block = {"type": "tool_use", "id": call.id, "name": call.name, "input": {}}
            events.append(event("content_block_start", index=index, content_block=block))
            for part in ["", *fragments(call.json)]:  # the API opens with an empty fragment
                delta = {"type": "input_json_delta", "partial_json": part}
                events.append(event("content_block_delta", index=index, delta=delta))
            events.append(event("content_block_stop", index=index))
            index += 1
        stop = "end_turn" if isinstance(step, Say) else "tool_use"
        events.append(
            event(
                "message_delta",
                delta={"stop_reason": stop, "stop_sequence": None},
                usage={"output_tokens": step.output_tokens},
            )
        )
        events.append(event("message_stop"))
        return events

    def complete(self, step: Say, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": new_id("msg_"),
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": [{"type": "text", "text": step.text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": step.input_tokens, "output_tokens": step.output_tokens},
        }
