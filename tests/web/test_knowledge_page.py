"""The knowledge page on the server: signed-out visitors are sent to sign in, a new owner sees
the guide to adding knowledge, the page loads its own module (no inline script), and that
module names every file of the page's module graph so the browser fetches it in one round."""

from __future__ import annotations

import posixpath
import re

import httpx

from frontdesk.web.templating import STATIC_DIR
from tests.web.forms import post_form
from tests.web.test_issue12_pages import static_imports
from tests.web.test_pages import sign_up


async def test_signed_out_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/app/knowledge")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fapp%2Fknowledge"


async def test_a_new_owner_sees_the_page_in_the_navigation_and_the_guide(
    client: httpx.AsyncClient,
) -> None:
    await sign_up(client)
    page = await client.get("/app/knowledge")
    assert page.status_code == 200
    html = page.text
    nav = html[html.index('<nav class="sidebar-nav"') : html.index("</nav>")]
    assert 'href="/app/knowledge" aria-current="page"' in nav
    # Nothing of the owner's yet: the guide is shown, not hidden.
    guide = re.search(r"<div class=\"kb-empty\" data-sources-empty( hidden)?>", html)
    assert guide is not None and guide.group(1) is None
    assert "Your price list or menu" in html
    assert '<script type="module" src="/static/knowledge/main.js"></script>' in html
    # The CSP forbids inline scripts: every <script> names a file.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert 'accept=".pdf,.docx,.txt,.md,.markdown,.html,.htm"' in html


async def test_an_owner_source_hides_the_guide(client: httpx.AsyncClient) -> None:
    await sign_up(client)
    token = (await post_form(client, "/app/session/token")).json()["access_token"]
    created = await client.post(
        "/api/knowledge/sources",
        json={"kind": "qa", "question": "Do you take walk-ins?", "answer": "Yes, until 4pm."},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert created.status_code == 201, created.text
    html = (await client.get("/app/knowledge")).text
    assert '<div class="kb-empty" data-sources-empty hidden>' in html


def test_the_entry_module_names_the_whole_module_graph() -> None:
    entry = "/static/knowledge/main.js"
    graph = static_imports(entry, {"/static/": STATIC_DIR})
    source = (STATIC_DIR / "knowledge" / "main.js").read_text()
    named = {
        posixpath.normpath(posixpath.join("/static/knowledge", target))
        for target in re.findall(r'^import (?:[^"]+ from )?"([^"]+)";', source, re.M)
    }
    assert graph <= named, graph - named
    page_files = {f"/static/knowledge/{p.name}" for p in (STATIC_DIR / "knowledge").glob("*.js")}
    assert page_files - {entry} <= graph
