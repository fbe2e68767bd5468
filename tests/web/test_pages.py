"""The server-rendered journey without a browser: forms, cookies, redirects, errors."""

from __future__ import annotations

import re

import httpx

from tests.factories import PASSWORD, register
from tests.web.forms import post_form

BUSINESS_FORM = {
    "business_name": "Glow Studio",
    "owner_name": "Lena Park",
    "occupation": "Esthetician",
    "industry": "Beauty & wellness",
    "timezone": "Europe/Paris",
    "language": "en",
    "contact_email": "hello@glow.example",
    "contact_phone": "+33 1 23 45 67 89",
    "address": "1 Rue de Rivoli, Paris",
    "website": "glow.example",
}


async def sign_up(client: httpx.AsyncClient, email: str = "lena@glow.example") -> httpx.Response:
    return await post_form(
        client,
        "/register",
        data={
            "full_name": "Lena Park",
            "business_name": "Glow",
            "email": email,
            "password": PASSWORD,
        },
    )


async def test_signed_out_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/app/team")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fapp%2Fteam"
    assert (await client.get("/")).status_code == 200


async def test_register_then_wizard_then_dashboard(client: httpx.AsyncClient) -> None:
    created = await sign_up(client)
    assert created.status_code == 303 and created.headers["location"] == "/setup/business"
    assert "fd_access" in client.cookies and "fd_refresh" in client.cookies
    page = await client.get("/setup/business")
    assert page.status_code == 200 and 'name="business_name"' in page.text

    step1 = await post_form(client, "/setup/business", data=BUSINESS_FORM)
    assert step1.headers["location"] == "/setup/assistant"
    step2 = await post_form(
        client,
        "/setup/assistant",
        data={"assistant_name": "Iris", "role": "beauty_wellness", "personality": "empathetic"},
    )
    assert step2.headers["location"] == "/setup/instructions"
    hours = {
        f"hours_{d}_{k}": v
        for d in range(5)
        for k, v in (
            ("open", "1"),
            ("start", "09:00"),
            ("end", "18:00"),
            ("break_start", "12:30"),
            ("break_end", "13:30"),
        )
    }
    step3 = await post_form(
        client,
        "/setup/instructions",
        data={
            "greeting": "Hello, I'm Iris!",
            "instructions": "Be gentle.",
            "quick_prompts": "Book a facial\n\nPrices?\n",
            **hours,
        },
    )
    assert step3.headers["location"] == "/app"

    headers = {"Authorization": f"Bearer {client.cookies['fd_access']}"}
    workspace = (await client.get("/api/workspace", headers=headers)).json()
    assert workspace["name"] == "Glow Studio" and workspace["timezone"] == "Europe/Paris"
    assert workspace["setup_completed_at"] is not None
    assert workspace["business_hours"]["mon"] == [
        {"start": "09:00", "end": "12:30"},
        {"start": "13:30", "end": "18:00"},
    ]
    assert workspace["business_hours"]["sat"] == []
    assistant = (await client.get("/api/workspace/assistant", headers=headers)).json()
    assert assistant["name"] == "Iris" and assistant["quick_prompts"] == [
        "Book a facial",
        "Prices?",
    ]
    dashboard = await client.get("/app")
    assert dashboard.status_code == 200
    assert "http://testserver/c/glow" in dashboard.text
    assert "http://testserver/c/glow/qr.svg" in dashboard.text
    assert (
        "&lt;script src=&#34;http://testserver/widget.js&#34;" in dashboard.text
        or "&lt;script src=&quot;http://testserver/widget.js&quot;" in dashboard.text
    )

    # After setup the same pages are settings pages: saving stays on the page.
    saved = await post_form(
        client,
        "/setup/assistant",
        data={"assistant_name": "Iris", "role": "beauty_wellness", "personality": "concise"},
    )
    assert saved.status_code == 200 and "Saved" in saved.text


async def test_form_errors_are_shown_next_to_fields(client: httpx.AsyncClient) -> None:
    bad = await post_form(
        client,
        "/register",
        data={"full_name": "", "business_name": "X", "email": "nope", "password": "short"},
    )
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.text
    assert 'value="nope"' in bad.text  # what was typed is kept, the password is not
    await sign_up(client)
    step = await post_form(
        client, "/setup/business", data={**BUSINESS_FORM, "timezone": "Mars/Base"}
    )
    assert step.status_code == 422 and "unknown time zone" in step.text.lower()
    assert 'value="Esthetician"' in step.text  # the rest of what was typed is kept
    hours = await post_form(
        client,
        "/setup/instructions",
        data={
            "greeting": "Hi",
            "instructions": "",
            "quick_prompts": "",
            "hours_0_open": "1",
            "hours_0_start": "18:00",
            "hours_0_end": "09:00",
        },
    )
    assert hours.status_code == 422 and "opening must be before closing" in hours.text


async def test_duplicate_email_and_wrong_password_show_messages(client: httpx.AsyncClient) -> None:
    account = await register(client)
    taken = await post_form(
        client,
        "/register",
        data={"full_name": "A", "business_name": "B", "email": account.email, "password": PASSWORD},
    )
    assert taken.status_code == 409 and "already exists" in taken.text
    wrong = await post_form(
        client, "/login", data={"email": account.email, "password": "nope-nope"}
    )
    assert wrong.status_code == 401 and "incorrect" in wrong.text
    right = await post_form(
        client,
        "/login",
        data={"email": account.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert right.status_code == 303 and right.headers["location"] == "/setup/business"


async def test_expired_access_cookie_is_rotated_with_the_refresh_cookie(
    client: httpx.AsyncClient,
) -> None:
    await sign_up(client)
    old_refresh = client.cookies["fd_refresh"]
    client.cookies.set("fd_access", "expired-or-garbage")
    page = await client.get("/app")
    assert page.status_code == 200
    assert client.cookies["fd_refresh"] != old_refresh


async def test_logout_clears_the_session(client: httpx.AsyncClient) -> None:
    await sign_up(client)
    access = client.cookies["fd_access"]
    out = await post_form(client, "/logout")
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert "fd_access" not in client.cookies
    api = await client.get("/api/me", headers={"Authorization": f"Bearer {access}"})
    assert api.status_code == 401


async def test_cross_site_form_posts_are_refused(client: httpx.AsyncClient) -> None:
    await sign_up(client)
    response = await post_form(
        client, "/setup/business", data=BUSINESS_FORM, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403


async def test_team_invite_and_join_through_pages(client: httpx.AsyncClient) -> None:
    await sign_up(client)
    invited = await post_form(
        client, "/app/team/invite", data={"email": "sam@glow.example", "role": "agent"}
    )
    assert invited.status_code == 200
    link = re.search(r"http://testserver/invite/[\w-]+", invited.text)
    assert link, invited.text
    client.cookies.clear()
    page = await client.get(link.group(0))
    assert page.status_code == 200 and "Glow" in page.text
    joined = await post_form(
        client, link.group(0), data={"full_name": "Sam Agent", "password": PASSWORD}
    )
    assert joined.status_code == 303 and joined.headers["location"] == "/app"
    team = await client.get("/app/team")
    assert "Sam Agent" in team.text and "Lena Park" in team.text


async def test_sections_to_come_render_inside_the_shell(client: httpx.AsyncClient) -> None:
    await sign_up(client)
    for section in (
        "inbox",
        "contacts",
        "appointments",
        "leads",
        "tickets",
        "documents",
        "analytics",
    ):
        response = await client.get(f"/app/{section}")
        assert response.status_code == 200, section
    assert (await client.get("/app/nonsense", headers={"Accept": "text/html"})).status_code == 404
