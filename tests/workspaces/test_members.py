from __future__ import annotations

import httpx

from tests.factories import PASSWORD, add_member, register


async def test_invite_accept_as_new_user_and_list(client: httpx.AsyncClient) -> None:
    owner = await register(client, business="Harbor Law")
    invited = await client.post(
        "/api/workspace/members",
        headers=owner.headers,
        json={"email": "Clerk@Harbor.example", "role": "agent"},
    )
    assert invited.status_code == 201
    body = invited.json()
    assert body["invite_url"] == f"http://testserver/invite/{body['token']}"
    listing = await client.get("/api/workspace/members", headers=owner.headers)
    assert [i["email"] for i in listing.json()["invitations"]] == ["clerk@harbor.example"]

    preview = await client.get(f"/api/invitations/{body['token']}")
    assert preview.json() == {
        "workspace_name": "Harbor Law",
        "email": "clerk@harbor.example",
        "role": "agent",
    }
    missing_name = await client.post(
        f"/api/invitations/{body['token']}/accept", json={"password": PASSWORD}
    )
    assert missing_name.status_code == 422
    accepted = await client.post(
        f"/api/invitations/{body['token']}/accept",
        json={"full_name": "Casey Clerk", "password": PASSWORD},
    )
    assert accepted.status_code == 200
    assert accepted.json()["workspace"]["name"] == "Harbor Law"

    listing = (await client.get("/api/workspace/members", headers=owner.headers)).json()
    assert sorted(m["role"] for m in listing["members"]) == ["agent", "owner"]
    assert listing["invitations"] == []
    reused = await client.post(
        f"/api/invitations/{body['token']}/accept",
        json={"full_name": "Again", "password": PASSWORD},
    )
    assert reused.status_code == 404
    assert reused.json()["error"]["code"] == "invitation_used"


async def test_existing_user_must_prove_password_to_join(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    existing = await register(client)
    invited = await client.post(
        "/api/workspace/members",
        headers=owner.headers,
        json={"email": existing.email, "role": "viewer"},
    )
    token = invited.json()["token"]
    wrong = await client.post(f"/api/invitations/{token}/accept", json={"password": "wrong-one"})
    assert wrong.status_code == 401
    right = await client.post(f"/api/invitations/{token}/accept", json={"password": PASSWORD})
    assert right.status_code == 200
    again = await client.post(
        "/api/workspace/members",
        headers=owner.headers,
        json={"email": existing.email, "role": "agent"},
    )
    assert again.status_code == 409


async def test_role_changes_and_removal_follow_the_rules(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    admin = await add_member(client, owner, "admin")
    agent = await add_member(client, owner, "agent")
    members = (await client.get("/api/workspace/members", headers=owner.headers)).json()["members"]
    by_email = {m["email"]: m for m in members}
    owner_member = by_email[owner.email]["id"]
    agent_member = by_email[agent.email]["id"]

    # An admin manages agents but can neither create nor touch owners.
    promoted = await client.patch(
        f"/api/workspace/members/{agent_member}", headers=admin.headers, json={"role": "viewer"}
    )
    assert promoted.status_code == 200 and promoted.json()["role"] == "viewer"
    to_owner = await client.patch(
        f"/api/workspace/members/{agent_member}", headers=admin.headers, json={"role": "owner"}
    )
    assert to_owner.status_code == 403
    demote_owner = await client.patch(
        f"/api/workspace/members/{owner_member}", headers=admin.headers, json={"role": "agent"}
    )
    assert demote_owner.status_code == 403
    # Agents manage nobody.
    assert (
        await client.post(
            "/api/workspace/members", headers=agent.headers, json={"email": "x@example.com"}
        )
    ).status_code == 403
    # The last owner stays an owner.
    last = await client.patch(
        f"/api/workspace/members/{owner_member}", headers=owner.headers, json={"role": "admin"}
    )
    assert last.status_code == 409 and last.json()["error"]["code"] == "last_owner"
    # Removing a member ends their sessions in this workspace at once.
    removed = await client.delete(f"/api/workspace/members/{agent_member}", headers=owner.headers)
    assert removed.status_code == 204
    assert (await client.get("/api/me", headers=agent.headers)).status_code == 401


async def test_revoked_invitation_cannot_be_used(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    invited = (
        await client.post(
            "/api/workspace/members", headers=owner.headers, json={"email": "late@example.com"}
        )
    ).json()
    revoked = await client.delete(
        f"/api/workspace/invitations/{invited['id']}", headers=owner.headers
    )
    assert revoked.status_code == 204
    accepted = await client.post(
        f"/api/invitations/{invited['token']}/accept",
        json={"full_name": "Late", "password": PASSWORD},
    )
    assert accepted.status_code == 404
