"""The knowledge base through the public API: sources of every kind, ingestion in the
background, search with the answer the assistant would give, and what changes re-index."""

from __future__ import annotations

import io
from typing import Any

import httpx

from frontdesk.services import Services
from tests.factories import Account, register


async def _source(
    client: httpx.AsyncClient, services: Services, owner: Account, **body: Any
) -> dict[str, Any]:
    response = await client.post("/api/knowledge/sources", headers=owner.headers, json=body)
    assert response.status_code == 201, response.text
    await services.jobs.drain()
    source = await client.get(
        f"/api/knowledge/sources/{response.json()['id']}", headers=owner.headers
    )
    return dict(source.json())


async def _search(client: httpx.AsyncClient, owner: Account, query: str) -> dict[str, Any]:
    response = await client.post(
        "/api/knowledge/search", headers=owner.headers, json={"query": query, "limit": 3}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_text_and_qa_sources_are_ingested_and_answer_questions_in_other_words(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    text = await _source(
        client,
        services,
        owner,
        kind="text",
        title="Cancellation policy",
        text="# Cancellations\n\nAppointments cancelled with less than 24 hours' notice are "
        "charged a $30 late-cancellation fee. Cancelling earlier is always free.\n\n"
        "# Parking\n\nFree parking is available behind the building on Elm Street.",
    )
    assert text["status"] == "ready", text
    assert text["chunks"] >= 2
    assert {p["heading"] for p in text["passages"]} >= {"Cancellations", "Parking"}
    qa = await _source(
        client,
        services,
        owner,
        kind="qa",
        question="Do you accept card payments?",
        answer="Yes, we take Visa, Mastercard and Amex, and cash.",
    )
    assert qa["status"] == "ready" and qa["chunks"] == 1

    found = await _search(client, owner, "what happens if I cancel the day before?")
    assert found["answered"], found
    assert "$30" in found["answer"]
    assert found["citations"][0]["title"] == "Cancellation policy"
    assert found["passages"][0]["source_id"] == text["id"]

    paying = await _search(client, owner, "can i pay with my mastercard")
    assert paying["answered"] and "Mastercard" in paying["answer"]

    nothing = await _search(client, owner, "do you sell gift vouchers for christmas?")
    assert not nothing["answered"], nothing
    assert nothing["answer"] == ""


async def test_files_are_extracted_and_bad_input_gets_a_clear_error(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    page = (
        b"<html><head><title>Prices</title></head><body><h1>Prices</h1>"
        b"<ul><li>Haircut $25</li><li>Beard trim $15</li></ul></body></html>"
    )
    response = await client.post(
        "/api/knowledge/sources",
        headers=owner.headers,
        files={"file": ("prices.html", io.BytesIO(page), "text/html")},
    )
    assert response.status_code == 201, response.text
    await services.jobs.drain()
    sources = (await client.get("/api/knowledge/sources", headers=owner.headers)).json()
    mine = next(s for s in sources["sources"] if s["id"] == response.json()["id"])
    assert mine["status"] == "ready" and mine["kind"] == "file", mine

    exe = await client.post(
        "/api/knowledge/sources",
        headers=owner.headers,
        files={"file": ("tool.exe", io.BytesIO(b"MZ\x90\x00"), "application/octet-stream")},
    )
    assert exe.status_code == 415
    assert "PDF" in exe.json()["error"]["message"]
    empty = await client.post(
        "/api/knowledge/sources", headers=owner.headers, json={"kind": "qa", "question": "x"}
    )
    assert empty.status_code == 422
    broken = await client.post(
        "/api/knowledge/sources",
        headers=owner.headers,
        files={"file": ("scan.pdf", io.BytesIO(b"%PDF-1.4 not really"), "application/pdf")},
    )
    assert broken.status_code == 201  # accepted, then fails in the background with a reason
    await services.jobs.drain()
    failed = (
        await client.get(f"/api/knowledge/sources/{broken.json()['id']}", headers=owner.headers)
    ).json()
    assert failed["status"] == "failed" and failed["error"], failed
    assert "could not be read" in failed["error"]  # says what went wrong


async def test_instructions_and_custom_intents_are_knowledge_and_deleting_removes_chunks(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    response = await client.put(
        "/api/workspace/assistant",
        headers=owner.headers,
        json={"instructions": "Prices: haircut $25, beard trim $15, kids cut $18."},
    )
    assert response.status_code == 200
    intent = await client.post(
        "/api/workspace/intents",
        headers=owner.headers,
        json={
            "name": "diagnostic_fee",
            "examples": ["what is your diagnostic fee", "how much to diagnose my laptop"],
            "answer": "Our diagnostic fee is $49, taken off the repair if you go ahead.",
        },
    )
    assert intent.status_code == 201, intent.text
    await services.jobs.drain()
    kinds = {
        s["kind"]: s
        for s in (await client.get("/api/knowledge/sources", headers=owner.headers)).json()[
            "sources"
        ]
    }
    assert kinds["instructions"]["status"] == "ready"
    assert kinds["intent"]["status"] == "ready"

    trim = await _search(client, owner, "how much is a beard trim?")
    assert "15" in trim["answer"] and "25" not in trim["answer"], trim
    fee = await _search(client, owner, "how much do you charge to check a broken laptop?")
    assert "$49" in fee["answer"], fee

    # Mirrored sources change with the assistant's settings, not directly.
    refused = await client.delete(
        f"/api/knowledge/sources/{kinds['intent']['id']}", headers=owner.headers
    )
    assert refused.status_code == 409
    await client.delete(f"/api/workspace/intents/{intent.json()['id']}", headers=owner.headers)
    await services.jobs.drain()
    gone = await _search(client, owner, "how much do you charge to check a broken laptop?")
    assert "$49" not in gone["answer"]

    text = await _source(
        client, services, owner, kind="text", title="Notes", text="Wifi: frontdesk-guest"
    )
    deleted = await client.delete(f"/api/knowledge/sources/{text['id']}", headers=owner.headers)
    assert deleted.status_code == 204
    assert "frontdesk-guest" not in str(await _search(client, owner, "wifi password"))
    missing = await client.get(f"/api/knowledge/sources/{text['id']}", headers=owner.headers)
    assert missing.status_code == 404
