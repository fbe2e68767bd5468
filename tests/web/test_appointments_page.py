"""The appointments page on the server: signed-out visitors are sent to sign in; a new owner
with no services is told how to add them; a booking is painted in the week, the day and the
list (with filters) before any script runs; nonsense in the address falls back to this week;
the entry module names the page's whole module graph."""

from __future__ import annotations

import posixpath
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx

from frontdesk.web.templating import STATIC_DIR
from tests.web.forms import post_form
from tests.web.test_issue12_pages import static_imports
from tests.web.test_pages import sign_up


async def staff_headers(client: httpx.AsyncClient) -> dict[str, str]:
    token = (await post_form(client, "/app/session/token")).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


async def book_one(client: httpx.AsyncClient) -> tuple[date, dict[str, str]]:
    """A 45-minute consultation next Tuesday at 10:00 in the workspace's zone."""
    headers = await staff_headers(client)
    zone = (await client.get("/api/workspace", headers=headers)).json()["timezone"]
    today = datetime.now(ZoneInfo(zone)).date()
    tuesday = today + timedelta(days=7 - today.weekday() + 1)
    service = await client.post(
        "/api/services",
        json={"name": "Consultation", "duration_minutes": 45},
        headers=headers,
    )
    assert service.status_code == 201, service.text
    start = datetime.combine(tuesday, time(10), ZoneInfo(zone)).isoformat()
    body = {"service_id": service.json()["id"], "start": start, "customer_name": "Ana Ruiz"}
    made = await client.post("/api/appointments", json=body, headers=headers)
    assert made.status_code == 201, made.text
    return tuesday, {"service": service.json()["id"], "id": made.json()["id"]}


async def test_signed_out_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/app/appointments")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fapp%2Fappointments"


async def test_a_new_owner_is_told_to_add_services(client: httpx.AsyncClient) -> None:
    await sign_up(client)
    page = await client.get("/app/appointments")
    assert page.status_code == 200
    html = page.text
    nav = html[html.index('<nav class="sidebar-nav"') : html.index("</nav>")]
    assert 'href="/app/appointments" aria-current="page"' in nav
    assert "No services to book yet" in html
    assert re.search(r"data-new-appointment disabled", html)
    assert '<script type="module" src="/static/appointments/main.js"></script>' in html
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert len(re.findall(r'data-testid="day-column"', html)) == 7


async def test_a_booking_is_painted_in_week_day_and_list(client: httpx.AsyncClient) -> None:
    await sign_up(client)
    tuesday, ids = await book_one(client)
    week = (await client.get(f"/app/appointments?date={tuesday.isoformat()}")).text
    assert "No services to book yet" not in week
    block = re.search(r'<button class="ap-block ap-block--booked"[^>]*>', week)
    assert block is not None
    assert f'data-id="{ids["id"]}"' in block.group(0)
    assert 'data-minute="600"' in block.group(0) and 'data-minutes="45"' in block.group(0)
    assert "Ana Ruiz" in week and "Consultation" in week

    day = (await client.get(f"/app/appointments?view=day&date={tuesday.isoformat()}")).text
    assert len(re.findall(r'data-testid="day-column"', day)) == 1
    assert "Ana Ruiz" in day
    monday = tuesday - timedelta(days=1)
    empty_day = (await client.get(f"/app/appointments?view=day&date={monday}")).text
    assert "Ana Ruiz" not in empty_day

    listed = f"/app/appointments?view=list&from={monday}&to={tuesday}"
    rows = (await client.get(listed)).text
    assert rows.count('data-testid="appointment-row"') == 1
    assert ">Booked</span>" in rows
    filtered = (await client.get(listed + "&status=cancelled")).text
    assert 'data-testid="appointment-row"' not in filtered
    assert "No appointments match these filters." in filtered
    by_service = (await client.get(listed + f"&service={ids['service']}")).text
    assert by_service.count('data-testid="appointment-row"') == 1


async def test_nonsense_in_the_address_falls_back_to_this_week(client: httpx.AsyncClient) -> None:
    await sign_up(client)
    page = await client.get("/app/appointments?view=year&date=soon&staff=me&status=maybe&from=x")
    assert page.status_code == 200
    assert 'data-view="week"' in page.text
    assert len(re.findall(r'data-testid="day-column"', page.text)) == 7


def test_the_entry_module_names_the_whole_module_graph() -> None:
    entry = "/static/appointments/main.js"
    graph = static_imports(entry, {"/static/": STATIC_DIR})
    source = (STATIC_DIR / "appointments" / "main.js").read_text()
    named = {
        posixpath.normpath(posixpath.join("/static/appointments", target))
        for target in re.findall(r'^import (?:[^"]+ from )?"([^"]+)";', source, re.M)
    }
    assert graph <= named, graph - named
    folder = STATIC_DIR / "appointments"
    assert {f"/static/appointments/{p.name}" for p in folder.glob("*.js")} - {entry} <= graph
