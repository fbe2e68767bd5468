"""Defects of issue 12 that live on the server: the greeting after renaming the assistant,
and navigation entries for sections that do not exist yet; and the portal's module preloads
kept in step with what its script imports."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import httpx

from frontdesk.assistant.service import greeting_renamed
from frontdesk.portal.routes import PORTAL_STATIC
from frontdesk.web.templating import STATIC_DIR
from tests.factories import register
from tests.web.test_pages import sign_up


async def test_renaming_the_assistant_renames_it_in_the_greeting(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client, business="Harbour Dental")
    before = (await client.get("/api/workspace/assistant", headers=owner.headers)).json()
    old = before["name"]
    assert old in before["greeting"]  # the default greeting introduces the assistant
    renamed = await client.put(
        "/api/workspace/assistant", headers=owner.headers, json={"name": "Luna"}
    )
    assert renamed.status_code == 200, renamed.text
    greeting = renamed.json()["greeting"]
    assert "Luna" in greeting and old not in greeting
    assert greeting == before["greeting"].replace(old, "Luna")

    # A greeting written in the same change is kept as written.
    both = await client.put(
        "/api/workspace/assistant",
        headers=owner.headers,
        json={"name": "Nova", "greeting": "Welcome to Harbour Dental!"},
    )
    assert both.json()["greeting"] == "Welcome to Harbour Dental!"


def test_a_rename_changes_the_name_only_where_it_stands_as_a_word() -> None:
    assert greeting_renamed("Hi, I'm Ava. Avalon awaits!", "Ava", "Mia") == (
        "Hi, I'm Mia. Avalon awaits!"
    )
    assert greeting_renamed("Hello there!", "Ava", "Mia") == "Hello there!"


async def test_navigation_lists_only_sections_that_exist(client: httpx.AsyncClient) -> None:
    await sign_up(client)
    page = (await client.get("/app/inbox")).text
    nav = page[page.index('<nav class="sidebar-nav"') : page.index("</nav>")]
    for href in ("/app", "/app/inbox", "/app/contacts", "/app/tickets"):
        assert f'href="{href}"' in nav
    # Sections that exist join the navigation; one that does not yet is never offered.
    assert 'href="/app/analytics"' not in nav


def static_imports(url: str, roots: dict[str, Path]) -> set[str]:
    """Every module a module imports statically, transitively (import() calls excluded)."""
    seen: set[str] = set()
    todo = [url]
    while todo:
        current = todo.pop()
        prefix = next(p for p in roots if current.startswith(p))
        source = (roots[prefix] / current.removeprefix(prefix)).read_text()
        for target in re.findall(r'^import (?:[^"]+ from )?"([^"]+)";', source, re.M):
            resolved = (
                target
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(current), target))
            )
            if resolved not in seen:
                seen.add(resolved)
                todo.append(resolved)
    return seen


async def test_the_portal_preloads_exactly_the_modules_its_chat_imports(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    page = (await client.get(f"/c/{owner.slug}")).text
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', page))
    roots = {"/portal-static/": PORTAL_STATIC, "/static/": STATIC_DIR}
    assert preloaded == static_imports("/portal-static/chat.js", roots)
