"""Scale-out: two server processes, one PostgreSQL, one Redis. An event caused through one
process reaches a socket held by the other."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.conftest import Backend
from tests.factories import register, say, start_chat
from tests.realtime.test_sockets import next_event, ws_url
from tests.servers import process_server, scaled_out_env


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_message_through_one_process_reaches_a_socket_on_the_other(
    backend: Backend, tmp_path: Path
) -> None:
    env = await scaled_out_env(backend.url, tmp_path)
    log = tmp_path / "servers.log"
    with process_server(env, log) as first, process_server(env, log) as second:
        async with httpx.AsyncClient(base_url=first, timeout=10) as one:
            owner = await register(one, business="Scale Out Salon")
            chat = await start_chat(one, owner.slug, "Rita")
            async with (
                connect(ws_url(second, "/ws/staff", owner.tokens["access_token"])) as staff,
                connect(ws_url(second, "/ws/portal", chat.token)) as customer,
            ):
                await next_event(staff, "ready")
                await next_event(customer, "ready")
                sent = await say(one, chat, "are you open on saturday?")
                seen = await next_event(staff, "message:new")
                assert seen["data"]["id"] == sent["id"]
                # The reply is written by process 1's job and delivered by process 2.
                await next_event(customer, "message:new")
                reply = await next_event(customer, "message:new")
                assert reply["data"]["sender_type"] == "assistant"
                assert "Saturday" in reply["data"]["text"]
                # Typing travels too (ephemeral: through Redis only, never stored).
                await customer.send('{"type": "typing", "data": {"typing": true}}')
                typing = await next_event(staff, "typing")
                while typing["data"]["sender_type"] != "customer":  # the assistant types too
                    typing = await next_event(staff, "typing")
                assert typing["data"]["name"] == "Rita"
        async with httpx.AsyncClient(base_url=second, timeout=10) as two:
            staff_reply = await two.post(
                f"/api/conversations/{chat.conversation_id}/messages",
                headers=owner.headers,
                json={"text": "Yes, 9 to 1."},
            )
            assert staff_reply.status_code == 201
