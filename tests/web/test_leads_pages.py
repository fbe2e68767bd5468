"""The leads pages on the server: the empty state says how leads arrive, filters read from
the address leniently, the forms need their CSRF token, another workspace's lead is never
shown, changed or exported, and the page's module names its whole module graph."""

from __future__ import annotations

import csv
import io
import posixpath
import re

import httpx

from frontdesk.web.templating import STATIC_DIR
from tests.factories import register
from tests.web.forms import csrf_token, post_form
from tests.web.test_issue12_pages import static_imports
from tests.web.test_pages import sign_up


async def _token(client: httpx.AsyncClient) -> dict[str, str]:
    token = (await post_form(client, "/app/session/token")).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


async def test_signed_out_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/app/leads?status=new")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fapp%2Fleads"


async def test_a_new_owner_is_told_how_leads_arrive(client: httpx.AsyncClient) -> None:
    await sign_up(client)
    html = (await client.get("/app/leads")).text
    nav = html[html.index('<nav class="sidebar-nav"') : html.index("</nav>")]
    assert 'href="/app/leads" aria-current="page"' in nav
    assert "No leads yet" in html and "gives your assistant their email or phone" in html
    assert '<script type="module" src="/static/leads/main.js"></script>' in html
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))


async def test_filters_are_read_leniently_and_a_backwards_range_is_explained(
    client: httpx.AsyncClient,
) -> None:
    await sign_up(client)
    headers = await _token(client)
    made = await client.post(
        "/api/leads", headers=headers, json={"name": "Ada Byrne", "email": "ada@example.com"}
    )
    assert made.status_code == 201, made.text
    odd = await client.get("/app/leads?status=maybe&owner_id=me&created_from=2026-13-40&offset=-5")
    assert odd.status_code == 200 and "Ada Byrne" in odd.text
    backwards = await client.get("/app/leads?created_from=2026-03-02&created_to=2026-03-01")
    assert backwards.status_code == 200
    assert "The range starts after it ends." in backwards.text
    # The export buttons carry exactly the filters in use.
    narrowed = (await client.get("/app/leads?status=new&q=ada&source=")).text
    assert 'data-query="status=new&amp;q=ada"' in narrowed


async def test_another_workspaces_lead_is_never_shown_changed_or_exported(
    client: httpx.AsyncClient,
) -> None:
    other = await register(client, business="Other shop")
    theirs = await client.post(
        "/api/leads",
        headers=other.headers,
        json={"name": "Their Customer", "email": "theirs@example.com"},
    )
    assert theirs.status_code == 201, theirs.text
    their_id = theirs.json()["id"]

    await sign_up(client)
    headers = await _token(client)
    mine = await client.post(
        "/api/leads", headers=headers, json={"name": "My Customer", "phone": "+1 212 555 0111"}
    )
    my_id = mine.json()["id"]
    listed = (await client.get("/app/leads")).text
    assert "My Customer" in listed and "Their Customer" not in listed
    assert (await client.get(f"/app/leads/{their_id}")).status_code == 404
    edit = await post_form(client, f"/app/leads/{their_id}", {"status": "won", "notes": "x"})
    assert edit.status_code == 404

    bulk = await post_form(
        client, "/app/leads/bulk", {"ids": [their_id, my_id], "status": "contacted"}
    )
    assert bulk.status_code == 303 and bulk.headers["location"] == "/app/leads?updated=1"
    after = (await client.get(f"/api/leads/{their_id}", headers=other.headers)).json()
    assert after["status"] == "new" and after["notes"] == ""

    exported = await client.get("/app/leads/export?format=csv")
    assert exported.headers["content-type"].startswith("text/csv")
    names = [row["Name"] for row in csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff")))]
    assert names == ["My Customer"]


async def test_the_forms_need_their_csrf_token(client: httpx.AsyncClient) -> None:
    await sign_up(client)
    headers = await _token(client)
    lead = (
        await client.post("/api/leads", headers=headers, json={"email": "kim@example.com"})
    ).json()
    refused = await client.post(f"/app/leads/{lead['id']}", data={"status": "won"})
    assert refused.status_code in (400, 403)
    refused = await client.post("/app/leads/bulk", data={"ids": lead["id"], "status": "won"})
    assert refused.status_code in (400, 403)
    token = await csrf_token(client, f"/app/leads/{lead['id']}")
    saved = await client.post(
        f"/app/leads/{lead['id']}",
        data={"csrf_token": token, "status": "won", "value": "1,250.50", "notes": "Signed"},
    )
    assert saved.status_code == 303
    stored = (await client.get(f"/api/leads/{lead['id']}", headers=headers)).json()
    assert stored["status"] == "won" and stored["value"] == 1250.5
    bad = await client.post(
        f"/app/leads/{lead['id']}", data={"csrf_token": token, "status": "won", "value": "lots"}
    )
    assert bad.status_code == 422 and "Check the value" in bad.text


def test_the_entry_module_names_the_whole_module_graph() -> None:
    entry = "/static/leads/main.js"
    graph = static_imports(entry, {"/static/": STATIC_DIR})
    source = (STATIC_DIR / "leads" / "main.js").read_text()
    named = {
        posixpath.normpath(posixpath.join("/static/leads", target))
        for target in re.findall(r'^import (?:[^"]+ from )?"([^"]+)";', source, re.M)
    }
    assert graph <= named, graph - named
    page_files = {f"/static/leads/{p.name}" for p in (STATIC_DIR / "leads").glob("*.js")}
    assert page_files - {entry} <= graph


async def test_pages_of_fifty_keep_the_filters_and_phones_are_found_as_typed(
    client: httpx.AsyncClient,
) -> None:
    await sign_up(client)
    headers = await _token(client)
    for n in range(52):
        made = await client.post(
            "/api/leads",
            headers=headers,
            json={"name": f"Walk-in {n:02}", "phone": f"+1 212 555 {1000 + n}"},
        )
        assert made.status_code == 201, made.text
    first = (await client.get("/app/leads?status=new")).text
    assert first.count('data-testid="lead-row"') == 50
    assert "1\u201350 of 52" in first
    assert 'href="/app/leads?status=new&amp;offset=50"' in first
    second = (await client.get("/app/leads?status=new&offset=50")).text
    assert second.count('data-testid="lead-row"') == 2
    assert "+1 212-555-1051" in first  # shown as people write it
    for typed in ("555-1051", "(212) 555 1051", "2125551051"):
        found = (await client.get("/app/leads", params={"q": typed})).text
        assert found.count('data-testid="lead-row"') == 1, typed
        assert "Walk-in 51" in found
