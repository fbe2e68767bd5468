"""Defects of issue 12 that live on the server: the greeting after renaming the assistant,
and navigation entries for sections that do not exist yet."""

from __future__ import annotations

import httpx

from frontdesk.assistant.service import greeting_renamed
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
    for href in ("/app", "/app/inbox", "/app/contacts"):
        assert f'href="{href}"' in nav
    for missing in ("appointments", "leads", "tickets", "documents", "analytics"):
        assert f'href="/app/{missing}"' not in nav, missing
