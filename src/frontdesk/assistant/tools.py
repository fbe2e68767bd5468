"""Tools: the actions the assistant may take, whichever engine decides to take them.

A feature registers a :class:`Tool` (name, description, a pydantic argument model, the
permission it needs, an async ``run``). The local engine's policy calls tools directly; LLM
engines see :meth:`ToolBox.specs` as function definitions and call them by name with JSON
arguments, validated here against the same pydantic model, so a model cannot pass what a
person could not.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)

Args = TypeVar("Args", bound=BaseModel)


@dataclass(frozen=True)
class ToolSpec:
    """What a language model is told about a tool: the JSON schema of its arguments."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass
class ToolResult:
    """``content`` goes back to the model (or into the local reply); ``data`` is for code."""

    content: str
    data: dict[str, Any] = field(default_factory=dict)
    ok: bool = True


@dataclass(frozen=True)
class ToolContext:
    """Where a tool acts: one conversation of one workspace. ``run_in_transaction`` opens a
    unit of work, calls the given coroutine function with its session and commits, so each
    tool call is its own transaction and its events are sent after commit."""

    workspace_id: uuid.UUID
    conversation_id: uuid.UUID
    run_in_transaction: Callable[[Callable[[Any], Awaitable[Any]]], Awaitable[Any]]
    permissions: frozenset[str] = frozenset()
    region: str = "US"  # the workspace's country: phone numbers without a prefix are local
    timezone: str = "UTC"
    business_hours: dict[str, list[dict[str, str]]] | None = None


class Tool(Protocol, Generic[Args]):
    name: str
    description: str
    args_model: type[Args]
    permission: str

    async def run(self, args: Args, ctx: ToolContext) -> ToolResult: ...


@dataclass
class ToolCallRecord:
    name: str
    arguments: dict[str, Any]
    result: ToolResult


class ToolBox:
    """The tools one reply may use, bound to its conversation. Engines call :meth:`call`."""

    def __init__(self, tools: list[Tool[Any]], ctx: ToolContext) -> None:
        self._tools = {tool.name: tool for tool in tools}
        self.ctx = ctx
        self.calls: list[ToolCallRecord] = []

    def specs(self) -> list[ToolSpec]:
        return [
            ToolSpec(tool.name, tool.description, _schema(tool.args_model))
            for tool in self._tools.values()
        ]

    def __contains__(self, name: str) -> bool:
        return name in self._tools

    async def call(self, name: str, arguments: dict[str, Any] | str) -> ToolResult:
        """Validate and run one call. Failures come back as a result the model can read,
        never as an exception: a bad tool call must not cost the customer their answer."""
        tool = self._tools.get(name)
        if tool is None:
            return self._record(name, {}, ToolResult(f"There is no tool named {name!r}.", ok=False))
        try:
            raw = json.loads(arguments or "{}") if isinstance(arguments, str) else arguments
            args = tool.args_model.model_validate(raw)
        except (ValueError, ValidationError) as exc:
            message = f"Invalid arguments for {name}: {exc}"
            return self._record(name, {}, ToolResult(message, ok=False))
        if tool.permission and tool.permission not in self.ctx.permissions:
            result = ToolResult(f"The assistant may not use {name} here.", ok=False)
            return self._record(name, args.model_dump(), result)
        try:
            result = await tool.run(args, self.ctx)
        except Exception:  # a broken tool is logged; the conversation goes on
            log.exception("tool %s failed", name)
            result = ToolResult(f"{name} failed; a person will follow up.", ok=False)
        return self._record(name, args.model_dump(), result)

    def _record(self, name: str, arguments: dict[str, Any], result: ToolResult) -> ToolResult:
        self.calls.append(ToolCallRecord(name, arguments, result))
        return result


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema.pop("title", None)
    return schema


@dataclass(frozen=True)
class ToolSetup:
    """What a tool factory may read when a reply's tools are built (per reply, so a tool can
    describe this workspace's options, as ``answer_faq`` lists its topics)."""

    faq: list[Any] = field(default_factory=list)  # the workspace's custom intents


ToolFactory = Callable[[ToolSetup], Tool[Any]]
_factories: dict[str, tuple[ToolFactory, str]] = {}


def register_tool(name: str, permission: str) -> Callable[[ToolFactory], ToolFactory]:
    """How a feature gives the assistant a capability (bookings, tickets, payments...):

        @register_tool("book_appointment", permission="bookings:write")
        def _book(setup: ToolSetup) -> Tool[Any]:
            return BookAppointment()

    The assistant is granted the permission; a registered tool reaches every engine, local
    or LLM, through :func:`reply_tools`."""

    def add(factory: ToolFactory) -> ToolFactory:
        _factories[name] = (factory, permission)
        return factory

    return add


def reply_tools(setup: ToolSetup) -> tuple[list[Tool[Any]], frozenset[str]]:
    """The tools for one reply, and the permissions the assistant holds for them."""
    tools = [factory(setup) for factory, _ in _factories.values()]
    return tools, frozenset(permission for _, permission in _factories.values())
