"""The knowledge base in the customer's chat, with no API key: documents uploaded by the
owner answer questions worded differently, with the source named; what is not there gets an
honest "I don't know" and the offer of a person; the same in Spanish; what the owner wrote
in the instructions answers follow-ups that depend on the previous turn."""

from __future__ import annotations

import io
from typing import Any

import httpx

from frontdesk.services import Services
from tests.factories import Account, Chat, register, say, start_chat
from tests.knowledge.sample_documents import policy_docx, price_list_pdf


async def _upload(
    client: httpx.AsyncClient, owner: Account, name: str, data: bytes, kind: str
) -> None:
    response = await client.post(
        "/api/knowledge/sources",
        headers=owner.headers,
        files={"file": (name, io.BytesIO(data), kind)},
    )
    assert response.status_code == 201, response.text


async def _reply(
    client: httpx.AsyncClient, services: Services, owner: Account, chat: Chat, text: str
) -> dict[str, Any]:
    await say(client, chat, text)
    await services.jobs.drain()
    messages = (
        await client.get(
            f"/api/conversations/{chat.conversation_id}/messages", headers=owner.headers
        )
    ).json()["messages"]
    return dict([m for m in messages if m["sender_type"] == "assistant"][-1])


async def _clinic(client: httpx.AsyncClient, services: Services) -> Account:
    owner = await register(client, business="Bright Smile Dental")
    await client.put("/api/workspace", headers=owner.headers, json={"country": "US"})
    await _upload(client, owner, "price-list.pdf", price_list_pdf(), "application/pdf")
    await _upload(
        client,
        owner,
        "cancellation-policy.docx",
        policy_docx(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    await services.jobs.drain()
    sources = (await client.get("/api/knowledge/sources", headers=owner.headers)).json()
    assert all(s["status"] == "ready" for s in sources["sources"]), sources
    return owner


async def test_uploaded_documents_answer_with_a_citation_and_unknowns_are_admitted(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await _clinic(client, services)
    chat = await start_chat(client, owner.slug)

    late = await _reply(
        client, services, owner, chat, "whats the fee if i cancel less than a day before?"
    )
    assert "$50" in late["text"], late["text"]
    citations = late["meta"]["citations"]
    assert citations and citations[0]["title"] in ("Price list", "Cancellation policy")
    assert citations[0]["passage"]  # staff see the passage the answer came from
    assert citations[0]["title"] in late["text"]  # the customer sees the source's title

    kids = await _reply(client, services, owner, chat, "do you do sealants for children?")
    assert "$35" in kids["text"], kids["text"]

    unknown = await _reply(client, services, owner, chat, "is there parking for bicycles?")
    assert "citations" not in unknown["meta"], unknown
    lowered = unknown["text"].lower()
    assert "$" not in unknown["text"]
    assert "don't" in lowered or "not sure" in lowered, unknown["text"]  # says so, no guess


async def test_spanish_questions_are_answered_from_english_documents_in_spanish_words(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await _clinic(client, services)
    chat = await start_chat(client, owner.slug)
    sealants = await _reply(
        client, services, owner, chat, "hola, cuánto cuestan los fissure sealants para niños?"
    )
    assert "$35" in sealants["text"], sealants["text"]
    assert "Fuente" in sealants["text"]  # the reply around the quote is in Spanish

    unknown = await _reply(client, services, owner, chat, "¿tienen aparcamiento para bicis?")
    assert "citations" not in unknown["meta"] and "$" not in unknown["text"]


async def test_instructions_answer_follow_ups_and_custom_intents_in_other_words(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client, business="Fade Street Barbers")
    await client.put(
        "/api/workspace/assistant",
        headers=owner.headers,
        json={"instructions": "Prices: haircut $25, beard trim $15, kids cut $18."},
    )
    await client.post(
        "/api/workspace/intents",
        headers=owner.headers,
        json={
            "name": "diagnostic_fee",
            "examples": ["what is your diagnostic fee", "how much to diagnose my laptop"],
            "answer": "Our diagnostic fee is $49, taken off the repair if you go ahead.",
        },
    )
    await services.jobs.drain()
    chat = await start_chat(client, owner.slug)
    trim = await _reply(client, services, owner, chat, "how much is a beard trim?")
    assert "$15" in trim["text"] and "$25" not in trim["text"], trim["text"]
    kids = await _reply(client, services, owner, chat, "and for kids?")
    assert "$18" in kids["text"], kids["text"]
    fee = await _reply(client, services, owner, chat, "do u charge a fee just to look at a laptop?")
    assert "$49" in fee["text"], fee["text"]
