"""Structured logs: a request's lines carry its id, and parse as JSON."""

from __future__ import annotations

import io
import json
import logging
import os
import re
from pathlib import Path

import httpx
from fastapi import FastAPI

from frontdesk.observability.logging import bound, handler_for
from tests.servers import process_server


def test_a_served_request_logs_one_json_line_with_its_request_id(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATA_DIR=str(tmp_path / "var"),
        FRONTDESK_LOG_FORMAT="json",
        FRONTDESK_LOG_LEVEL="info",
        FRONTDESK_WARM_ASSISTANT="false",
    )
    log = tmp_path / "serve.log"
    with process_server(env, log) as base:
        answer = httpx.get(base + "/healthz", headers={"X-Request-ID": "trace-4711"})
        assert answer.headers["x-request-id"] == "trace-4711"
        fresh = httpx.get(base + "/healthz")
        generated = fresh.headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", generated)
    records = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert records, log.read_text()
    mine = [r for r in records if r.get("request_id") == "trace-4711"]
    assert len(mine) == 1, records
    assert mine[0]["logger"] == "uvicorn.access" and "/healthz" in mine[0]["message"]
    assert {"time", "level", "logger", "message"} <= mine[0].keys()
    assert any(r.get("request_id") == generated for r in records)
    # Start-up lines are JSON too (no request: no request_id field).
    assert any(r["logger"] == "uvicorn.error" and "request_id" not in r for r in records)


def test_ids_and_exceptions_are_fields() -> None:
    stream = io.StringIO()
    handler = handler_for("json")
    handler.setStream(stream)
    logger = logging.getLogger("frontdesk.test_structured")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with bound(workspace_id="w-1", conversation_id="c-2"):
            try:
                raise ValueError("broken on purpose")
            except ValueError:
                logger.exception("it failed")
        logger.warning("after the block")
    finally:
        logger.removeHandler(handler)
    inside, after = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["message"] == "it failed" and inside["level"] == "error"
    assert (inside["workspace_id"], inside["conversation_id"]) == ("w-1", "c-2")
    assert "ValueError: broken on purpose" in inside["exception"]
    assert "workspace_id" not in after


async def test_a_forged_request_id_is_replaced(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        answer = await client.get("/healthz", headers={"X-Request-ID": 'x" level=error'})
    assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["x-request-id"])
