"""The built-in tools' own rules: honest handoff timing from business hours, validation of
what a model passes to capture_lead, permissions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from frontdesk.assistant.builtin_tools import AnswerFaq, CaptureLead, Handoff, team_availability
from frontdesk.assistant.intent_models import CustomIntentData
from frontdesk.assistant.tools import ToolBox, ToolContext
from frontdesk.workspaces.hours import default_hours


async def _nothing(work: Any) -> Any:
    raise AssertionError("this test expects no database work")


def _ctx(**changes: Any) -> ToolContext:
    values: dict[str, Any] = {
        "workspace_id": uuid.uuid4(),
        "conversation_id": uuid.uuid4(),
        "run_in_transaction": _nothing,
        "permissions": frozenset({"contacts:write", "conversations:handoff", "faq:read"}),
        "region": "ZA",
        "timezone": "Africa/Johannesburg",
        "business_hours": default_hours(),
    }
    values.update(changes)
    return ToolContext(**values)


def test_handoff_timing_follows_business_hours() -> None:
    # Monday 23 Nov 2026, 10:00 in Johannesburg (08:00 UTC): open.
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert team_availability(_ctx(), now) == (True, now.astimezone(_zone()))
    # Saturday evening: closed until Monday 09:00 local.
    open_now, when = team_availability(_ctx(), datetime(2026, 11, 21, 17, 0, tzinfo=UTC))
    assert not open_now and when is not None
    assert (when.strftime("%A %H:%M"), str(when.tzinfo)) == ("Monday 09:00", "Africa/Johannesburg")
    # No hours set: nobody can promise a time.
    assert team_availability(_ctx(business_hours=None)) == (False, None)


def _zone() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Africa/Johannesburg")


async def test_capture_lead_refuses_what_is_not_a_detail() -> None:
    box = ToolBox([CaptureLead()], _ctx())
    result = await box.call("capture_lead", {"email": "not-an-email", "phone": "12"})
    assert not result.ok
    assert "not a valid email" in result.content and "not a valid phone" in result.content
    bad_json = await box.call("capture_lead", "{not json")
    assert not bad_json.ok and "Invalid arguments" in bad_json.content


async def test_tools_need_their_permission() -> None:
    box = ToolBox([Handoff()], _ctx(permissions=frozenset()))
    result = await box.call("handoff", {"reason": "test"})
    assert not result.ok and "may not use handoff" in result.content
    assert (await box.call("book_table", {})).content == "There is no tool named 'book_table'."


async def test_answer_faq_answers_only_known_topics() -> None:
    faq = AnswerFaq([CustomIntentData("parking", ("where to park", "parking?"), "Behind us.")])
    box = ToolBox([faq], _ctx())
    assert (await box.call("answer_faq", {"topic": "Parking"})).content == "Behind us."
    assert not (await box.call("answer_faq", {"topic": "valet"})).ok
    assert "parking" in box.specs()[0].description


def test_a_feature_registers_a_tool_for_every_engine() -> None:
    from frontdesk.assistant import tools as registry
    from frontdesk.assistant.tools import ToolSetup, register_tool, reply_tools

    @register_tool("handoff_test_tool", permission="tests:write")
    def _factory(setup: ToolSetup) -> Any:
        return Handoff()

    try:
        tools, granted = reply_tools(ToolSetup(faq=[]))
        names = {tool.name for tool in tools}
        assert {"capture_lead", "handoff", "answer_faq"} <= names
        assert "tests:write" in granted and "contacts:write" in granted
    finally:
        registry._factories.pop("handoff_test_tool")
