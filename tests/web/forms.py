"""Posting the server-rendered forms as a browser does: with the CSRF token the page gave."""

from __future__ import annotations

import re
from typing import Any

import httpx

_TOKEN = re.compile(r'name="csrf[_-]token" (?:value|content)="([^"]+)"')


async def csrf_token(client: httpx.AsyncClient, page: str = "/login") -> str:
    """The token of a page this client opens (a signed-in client lands on its dashboard)."""
    response = await client.get(page, follow_redirects=True)
    found = _TOKEN.search(response.text)
    assert found, f"no CSRF token on {response.url}"
    return found.group(1)


async def post_form(
    client: httpx.AsyncClient, url: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> httpx.Response:
    token = await csrf_token(client)
    return await client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)
