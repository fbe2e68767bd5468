from __future__ import annotations

import httpx

from tests.factories import PASSWORD, login, register


async def test_register_creates_user_workspace_and_owner(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/register",
        json={
            "email": "Dana@Example.org",
            "password": PASSWORD,
            "full_name": "Dana Ortiz",
            "business_name": "Ortiz Plumbing & Sons",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["user"]["email"] == "dana@example.org"
    assert body["workspace"]["slug"] == "ortiz-plumbing-sons"
    me = await client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["role"] == "owner"
    assert [m["role"] for m in me.json()["memberships"]] == ["owner"]


async def test_register_twice_with_one_email_is_a_conflict(client: httpx.AsyncClient) -> None:
    account = await register(client)
    response = await client.post(
        "/api/auth/register",
        json={"email": account.email, "password": PASSWORD, "full_name": "X", "business_name": "Y"},
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "email_taken"


async def test_same_business_name_gets_a_distinct_slug(client: httpx.AsyncClient) -> None:
    first = await register(client, business="Blue Door Cafe")
    second = await register(client, business="Blue Door Cafe")
    assert first.slug == "blue-door-cafe"
    assert second.slug == "blue-door-cafe-2"


async def test_validation_errors_name_each_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/register",
        json={"email": "not-an-email", "password": "short", "full_name": "", "business_name": "B"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {d["field"] for d in error["details"]} == {"email", "password", "full_name"}


async def test_login_with_wrong_password_is_refused(client: httpx.AsyncClient) -> None:
    account = await register(client)
    response = await client.post(
        "/api/auth/login", json={"email": account.email, "password": "wrong password"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    unknown = await client.post(
        "/api/auth/login", json={"email": "nobody@example.com", "password": "whatever1"}
    )
    assert unknown.status_code == 401
    assert unknown.json()["error"]["message"] == response.json()["error"]["message"]


async def test_refresh_rotates_and_reuse_revokes_the_family(client: httpx.AsyncClient) -> None:
    account = await register(client)
    first = account.tokens["refresh_token"]
    rotated = await client.post("/api/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first
    newest_headers = {"Authorization": f"Bearer {second['access_token']}"}
    assert (await client.get("/api/me", headers=newest_headers)).status_code == 200

    reused = await client.post("/api/auth/refresh", json={"refresh_token": first})
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "refresh_token_reused"
    # The whole family is gone: the newest refresh token and its access token too.
    after = await client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401
    assert (await client.get("/api/me", headers=newest_headers)).status_code == 401
    # Another sign-in (another family) is unaffected.
    other = await login(client, account.email)
    assert (await client.get("/api/me", headers=other.headers)).status_code == 200


async def test_logout_ends_the_session(client: httpx.AsyncClient) -> None:
    account = await register(client)
    assert (await client.post("/api/auth/logout", headers=account.headers)).status_code == 204
    assert (await client.get("/api/me", headers=account.headers)).status_code == 401
    refreshed = await client.post(
        "/api/auth/refresh", json={"refresh_token": account.tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401


async def test_requests_without_a_valid_token_are_refused(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/me")).json()["error"]["code"] == "not_authenticated"
    bad = await client.get("/api/me", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "invalid_token"


async def test_switch_workspace_moves_the_token(client: httpx.AsyncClient) -> None:
    owner = await register(client, business="First Shop")
    other = await register(client, business="Second Shop")
    invited = await client.post(
        "/api/workspace/members",
        headers=other.headers,
        json={"email": owner.email, "role": "agent"},
    )
    token = invited.json()["token"]
    joined = await client.post(f"/api/invitations/{token}/accept", json={"password": PASSWORD})
    assert joined.status_code == 200

    switched = await client.post(
        "/api/auth/switch", headers=owner.headers, json={"workspace_id": other.workspace_id}
    )
    assert switched.status_code == 200
    headers = {"Authorization": f"Bearer {switched.json()['access_token']}"}
    me = (await client.get("/api/me", headers=headers)).json()
    assert me["workspace"]["name"] == "Second Shop"
    assert me["role"] == "agent"
    assert {m["workspace"]["name"] for m in me["memberships"]} == {"First Shop", "Second Shop"}
    # The pair issued before the switch is spent.
    stale = await client.post(
        "/api/auth/refresh", json={"refresh_token": owner.tokens["refresh_token"]}
    )
    assert stale.status_code == 401


async def test_switch_to_a_foreign_workspace_is_not_found(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    stranger = await register(client)
    response = await client.post(
        "/api/auth/switch", headers=owner.headers, json={"workspace_id": stranger.workspace_id}
    )
    assert response.status_code == 404
