from __future__ import annotations

import httpx

from tests.factories import add_member, login, register


async def test_audit_log_records_auth_settings_and_member_changes(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    await client.post("/api/auth/login", json={"email": owner.email, "password": "wrong-pass"})
    owner = await login(client, owner.email)
    await client.put("/api/workspace", headers=owner.headers, json={"occupation": "Baker"})
    await client.put("/api/workspace/assistant", headers=owner.headers, json={"name": "Remy"})
    agent = await add_member(client, owner, "agent")

    response = await client.get("/api/audit", headers=owner.headers)
    assert response.status_code == 200
    events = response.json()["events"]
    actions = [e["action"] for e in events]
    for expected in (
        "auth.register",
        "auth.login_failed",
        "auth.login",
        "workspace.updated",
        "assistant.updated",
        "member.invited",
        "member.joined",
    ):
        assert expected in actions, (expected, actions)
    updated = next(e for e in events if e["action"] == "workspace.updated")
    assert updated["details"] == {"fields": ["occupation"]}
    assert updated["actor_user_id"] == owner.tokens["user"]["id"]
    assert updated["ip"] == "127.0.0.1"
    # Newest first.
    assert actions.index("member.joined") < actions.index("auth.register")

    only_logins = await client.get("/api/audit?action=auth.login", headers=owner.headers)
    assert {e["action"] for e in only_logins.json()["events"]} == {"auth.login"}
    forbidden = await client.get("/api/audit", headers=agent.headers)
    assert forbidden.status_code == 403


async def test_audit_pages_backwards(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    for index in range(4):
        await client.put("/api/workspace", headers=owner.headers, json={"occupation": f"o{index}"})
    first = (await client.get("/api/audit?limit=2", headers=owner.headers)).json()
    assert len(first["events"]) == 2 and first["next_before"]
    second = (
        await client.get(
            "/api/audit", headers=owner.headers, params={"limit": 2, "before": first["next_before"]}
        )
    ).json()
    seen = {e["id"] for e in first["events"]}
    assert second["events"] and not seen & {e["id"] for e in second["events"]}
