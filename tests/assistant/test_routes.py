from __future__ import annotations

import httpx

from tests.factories import add_member, register


async def test_options_list_roles_and_personalities(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    options = (await client.get("/api/workspace/assistant/options", headers=owner.headers)).json()
    assert len(options["roles"]) == 12
    assert len(options["personalities"]) == 6
    medical = next(r for r in options["roles"] if r["key"] == "medical_office")
    assert medical["disclaimer"] and medical["guardrails"]


async def test_new_workspace_has_a_default_assistant(client: httpx.AsyncClient) -> None:
    owner = await register(client, business="Corner Bakery")
    assistant = (await client.get("/api/workspace/assistant", headers=owner.headers)).json()
    assert assistant["role"] == "receptionist"
    assert assistant["personality"] == "friendly"
    assert "Corner Bakery" in assistant["greeting"]
    assert assistant["quick_prompts"]


async def test_update_assistant_and_see_it_in_the_prompt(client: httpx.AsyncClient) -> None:
    owner = await register(client, business="Harbor Law")
    response = await client.put(
        "/api/workspace/assistant",
        headers=owner.headers,
        json={
            "name": "Jordan",
            "role": "legal_office",
            "personality": "formal",
            "instructions": "Consultations cost $150 for 30 minutes.",
            "greeting": "Good day. How may I assist you?",
            "quick_prompts": ["Book a consultation", "  ", "What are your fees?"],
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["quick_prompts"] == ["Book a consultation", "What are your fees?"]
    prompt = (await client.get("/api/workspace/assistant/prompt", headers=owner.headers)).json()
    text = prompt["prompt"]
    assert text.startswith("You are Jordan, the legal office assistant of Harbor Law.")
    assert "Formal: Use formal, respectful language." in text
    assert "Consultations cost $150 for 30 minutes." in text
    assert "can't give legal advice" in text


async def test_update_assistant_validates_choices(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    for payload, field in (
        ({"role": "wizard"}, "role"),
        ({"personality": "grumpy"}, "personality"),
        ({"quick_prompts": [f"p{i}" for i in range(7)]}, "quick_prompts"),
        ({"name": "   "}, "name"),
    ):
        response = await client.put("/api/workspace/assistant", headers=owner.headers, json=payload)
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["field"] == field


async def test_agents_read_but_do_not_shape_the_assistant(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    agent = await add_member(client, owner, "agent")
    assert (await client.get("/api/workspace/assistant", headers=agent.headers)).status_code == 200
    response = await client.put(
        "/api/workspace/assistant", headers=agent.headers, json={"name": "Nope"}
    )
    assert response.status_code == 403
