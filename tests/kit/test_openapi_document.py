"""What schemathesis found in the OpenAPI document and the service (issue 13, finding 10), each
pinned here so it cannot come back unnoticed between fuzz runs: the documented errors, and the
requests that were answered 500, or accepted against the document, or refused wrongly."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import register, start_chat

ENVELOPE = {"$ref": "#/components/schemas/Error"}


def _error_schema(response: dict[str, object]) -> object:
    content = response["content"]
    assert isinstance(content, dict)
    return content["application/json"]["schema"]


async def test_every_operation_documents_its_errors_in_the_envelope(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    paths = document["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if path != "/healthz":
                assert "503" in responses, (method, path)
            if operation.get("security"):
                assert "401" in responses, (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= set(responses), (method, path)
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    assert _error_schema(response) == ENVELOPE, (method, path, status)
    assert "429" in paths["/api/auth/login"]["post"]["responses"]
    assert "409" in paths["/api/auth/register"]["post"]["responses"]
    assert "404" in paths["/api/conversations/{conversation_id}"]["get"]["responses"]
    assert set(paths["/api/events"]["get"]["responses"]["200"]["content"]) == {"text/event-stream"}


async def test_a_wrong_method_names_every_method_the_path_takes(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    # Was 422: PATCH /api/conversations/{conversation_id} took "import" for an id.
    response = await client.patch("/api/conversations/import", headers=owner.headers, json={})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    # Was "Allow: GET": only the first route of the path was named.
    response = await client.delete("/api/knowledge/sources", headers=owner.headers)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("before", ["0.5", "1700000000"])
async def test_a_number_is_no_date_time(client: httpx.AsyncClient, before: str) -> None:
    owner = await register(client)
    for path in ("/api/audit", "/api/conversations"):
        response = await client.get(path, params={"before": before}, headers=owner.headers)
        assert response.status_code == 422, (path, response.text)


async def test_zero_and_one_are_no_booleans(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    where = f"/api/conversations/{chat.conversation_id}"
    response = await client.post(f"{where}/typing", json={"typing": 0}, headers=owner.headers)
    assert response.status_code == 422
    response = await client.patch(where, json={"needs_human": 1}, headers=owner.headers)
    assert response.status_code == 422


async def test_emptying_a_conversation_text_field_is_refused_not_a_server_error(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    where = f"/api/conversations/{chat.conversation_id}"
    for field in ("client_description", "instructions"):
        response = await client.patch(where, json={field: None}, headers=owner.headers)
        assert response.status_code == 422, response.text  # was 500 (NOT NULL)
        response = await client.patch(where, json={field: ""}, headers=owner.headers)
        assert response.status_code == 200, response.text


async def test_business_hours_interval_without_an_end_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    for hours in ({"sun": [{"start": "09:00"}]}, {"mon": ["09:00-17:00"]}, {"tue": "09:00"}):
        response = await client.put(
            "/api/workspace", json={"business_hours": hours}, headers=owner.headers
        )
        assert response.status_code == 422, response.text  # was 500 (KeyError)


@pytest.mark.parametrize("base_url", ["http://[::1", "http://[nonsense]/v1"])
async def test_a_malformed_engine_address_is_refused(
    client: httpx.AsyncClient, base_url: str
) -> None:
    owner = await register(client)
    response = await client.put(
        "/api/workspace/engine",
        json={"provider": "openai", "model": "gpt-4o-mini", "base_url": base_url, "api_key": "k"},
        headers=owner.headers,
    )
    assert response.status_code == 422, response.text  # was 500 (ValueError from urlsplit)


async def test_a_schema_valid_intent_body_is_described_as_the_service_checks_it(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    intent = document["components"]["schemas"]["CustomIntentIn"]
    assert intent["properties"]["examples"]["uniqueItems"] is True
    assert {"required": ["action"], "properties": {"action": {"const": "handoff"}}} in intent[
        "anyOf"
    ]


async def test_a_website_too_long_once_its_scheme_is_added_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    website = "a" * 290 + ".com"  # 294 characters: 302 with "https://" (the column holds 300)
    response = await client.put("/api/workspace", json={"website": website}, headers=owner.headers)
    assert response.status_code == 422, response.text  # was 500 on PostgreSQL
