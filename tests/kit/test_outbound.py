"""The outbound address guard at connect time: a client built on a guarded transport never
opens a connection to an address the instance does not allow, whatever the URL's check said."""

from __future__ import annotations

import httpx
import pytest

from frontdesk.kit.outbound import BlockedAddress, guard_transport
from tests.assistant.llm_script import serve
from tests.assistant.llm_servers import OpenAIServer


async def test_a_guarded_client_connects_only_to_allowed_addresses() -> None:
    api = OpenAIServer()
    with serve(api) as url:
        for host in ("127.0.0.1", "localhost"):
            target = url.replace("127.0.0.1", host) + api.path
            refused = guard_transport(httpx.AsyncHTTPTransport(), allow_private=False)
            async with httpx.AsyncClient(transport=refused) as client:
                with pytest.raises(BlockedAddress, match="loopback"):
                    await client.post(target, json={})
        assert api.requests == []
        allowed = guard_transport(httpx.AsyncHTTPTransport(), allow_private=True)
        async with httpx.AsyncClient(transport=allowed) as client:
            await client.post(url + api.path, json={})
        assert len(api.requests) == 1  # allowed, it connects (the answer does not matter)


def test_a_transport_that_cannot_be_guarded_fails_loudly() -> None:
    with pytest.raises(RuntimeError, match="cannot be guarded"):
        guard_transport(
            httpx.MockTransport(lambda request: httpx.Response(200)), allow_private=False
        )
