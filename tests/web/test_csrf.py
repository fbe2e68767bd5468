"""Issue 13 finding 7: cross-site form posts with ``Origin: null`` (or no Origin/Referer)
were accepted on cookie-authenticated forms. Every page post now needs the CSRF token the
page gave this browser."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from frontdesk.web import pages_app, pages_assistant, pages_auth, pages_contacts, pages_knowledge
from tests.conftest import Backend, client_for
from tests.web.forms import csrf_token, post_form
from tests.web.test_pages import BUSINESS_FORM, sign_up

INTENT = {"name": "parking", "examples": "where to park\nis there parking", "answer": "Behind."}
# Every page that takes a post, with a body a browser would send.
PAGE_POSTS = {
    "/setup/{step}": ("/setup/business", BUSINESS_FORM),
    "/app/session/token": ("/app/session/token", {}),
    "/app/team/invite": ("/app/team/invite", {"email": "mallory@evil.example", "role": "admin"}),
    "/app/brain/engine": ("/app/brain/engine", {"provider": "local"}),
    "/app/brain/intents": ("/app/brain/intents", INTENT),
    "/app/brain/intents/{intent_id}/delete": ("/app/brain/intents/{intent_id}/delete", {}),
    "/register": (
        "/register",
        {"full_name": "M", "business_name": "M", "email": "m@evil.example", "password": "x" * 12},
    ),
    "/login": ("/login", {"email": "lena@glow.example", "password": "correct horse battery"}),
    "/logout": ("/logout", {}),
    "/invite/{token}": ("/invite/{token}", {"full_name": "M", "password": "x" * 12}),
}
# What a cross-site page can make a browser send: an opaque origin, or nothing at all.
FORGED_ORIGINS = [{"Origin": "null"}, {}, {"Origin": "null", "Referer": ""}]


def test_every_page_post_is_covered() -> None:
    """A new form must be added here, and so be proven to need its token."""
    posts = {
        route.path
        for module in (pages_app, pages_assistant, pages_auth, pages_contacts, pages_knowledge)
        for route in module.router.routes
        if set(getattr(route, "methods", ())) - {"GET", "HEAD"}
    }
    assert posts == set(PAGE_POSTS)


async def signed_in_with_targets(client: httpx.AsyncClient) -> dict[str, str]:
    """Sign up through the pages; make an intent to delete and an invitation to accept."""
    await sign_up(client)
    added = await post_form(client, "/app/brain/intents", INTENT)
    assert added.status_code == 303, added.text
    page = await client.get("/app/brain")
    intent_id = page.text.split("/app/brain/intents/")[1].split("/delete")[0]
    invited = await post_form(client, "/app/team/invite", {"email": "sam@glow.example"})
    token = invited.text.split("http://testserver/invite/")[1].split('"')[0].split("<")[0]
    return {"intent_id": intent_id, "token": token}


@pytest.mark.parametrize("path", sorted(PAGE_POSTS))
async def test_a_post_without_the_token_is_refused(
    client: httpx.AsyncClient, app: FastAPI, path: str
) -> None:
    ids = await signed_in_with_targets(client)
    url, body = PAGE_POSTS[path]
    url = url.format(**ids)
    # The attacker's own token, from their own browser, does not fit the victim's cookie.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as attacker:
        own_token = await csrf_token(attacker)
    for headers in FORGED_ORIGINS:
        refused = await client.post(url, data=body, headers=headers)
        assert refused.status_code == 403, (headers, refused.text)
        assert refused.json()["error"]["code"] == "csrf_failed"
        borrowed = await client.post(url, data={**body, "csrf_token": own_token}, headers=headers)
        assert borrowed.status_code == 403, (headers, borrowed.text)
    # Nothing happened: still signed in, no invitation for the attacker, the intent is there.
    team = await client.get("/app/team")
    assert team.status_code == 200 and "mallory@evil.example" not in team.text
    assert ids["intent_id"] in (await client.get("/app/brain")).text


async def test_forms_with_their_token_work_and_scripts_send_it_as_json(
    client: httpx.AsyncClient,
) -> None:
    await sign_up(client)
    token = await csrf_token(client, "/app")
    fetched = await client.post(
        "/app/session/token", json={"csrf_token": token}, headers={"Origin": "null"}
    )
    assert fetched.status_code == 200 and fetched.json()["access_token"]
    refused = await client.post("/app/session/token", json={"csrf_token": "0" * 64})
    assert refused.status_code == 403
    out = await post_form(client, "/logout")
    assert out.status_code == 303 and "fd_access" not in client.cookies


async def test_the_token_cookie_is_httponly_and_host_only_behind_https(
    client: httpx.AsyncClient, backend: Backend
) -> None:
    cookie = (await client.get("/login")).headers["set-cookie"]
    assert cookie.startswith("fd_csrf=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    async with client_for(backend.settings(cookie_secure=True)) as https:
        cookie = (await https.get("/login")).headers["set-cookie"]
        # __Host-: no sibling subdomain can plant a cookie of its own under this name.
        assert cookie.startswith("__Host-fd_csrf=") and "Secure" in cookie
