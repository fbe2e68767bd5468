"""Issue 13 finding 9b: no Strict-Transport-Security even with FRONTDESK_COOKIE_SECURE=true."""

from __future__ import annotations

import httpx

from tests.conftest import Backend, client_for


async def test_hsts_is_sent_behind_https_only(client: httpx.AsyncClient, backend: Backend) -> None:
    # Plain HTTP (the default, e.g. a laptop): telling browsers to insist on HTTPS would
    # lock them out of the instance.
    assert "strict-transport-security" not in (await client.get("/login")).headers
    async with client_for(backend.settings(cookie_secure=True)) as https:
        for path in ("/login", "/api/me", "/healthz", "/static/favicon.svg"):
            response = await https.get(path)
            assert response.headers["strict-transport-security"] == "max-age=31536000", path
