"""Proof of payment through the public API, with no API key: a customer sends a receipt in
the portal chat and says what it pays for; staff see a pending document with the amount and
reference read from it, approve it, and the customer is told in their chat."""

from __future__ import annotations

import httpx

from frontdesk.services import Services
from tests.documents.receipt_images import RECEIPTS, draw
from tests.factories import Account, Chat, register, say, start_chat
from tests.ocr.test_reader import receipt_pdf


async def send_file(
    client: httpx.AsyncClient, chat: Chat, name: str, data: bytes, text: str = ""
) -> dict:  # type: ignore[type-arg]
    response = await client.post(
        "/api/portal/messages",
        headers=chat.headers,
        data={"text": text} if text else {},
        files={"file": (name, data)},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def documents(client: httpx.AsyncClient, owner: Account, **params: str) -> list[dict]:  # type: ignore[type-arg]
    response = await client.get("/api/documents", headers=owner.headers, params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["documents"])


async def test_receipt_photo_becomes_a_pending_document_and_approval_tells_the_customer(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug, name="John Smith")
    sent = await send_file(
        client, chat, "receipt.jpg", draw(RECEIPTS[0]),
        "Here is my payment receipt for invoice INV-2041",
    )  # fmt: skip
    await services.jobs.drain()

    [listed] = await documents(client, owner, status="pending")
    assert listed["kind"] == "payment_proof" and listed["read_status"] == "done"
    assert listed["fields"]["amount"] == "1234.50"
    assert listed["fields"]["reference"] == "INV-2041"
    assert listed["linked_kind"] == "invoice" and listed["linked_reference"] == "INV-2041"
    assert listed["customer_note"] == "Here is my payment receipt for invoice INV-2041"
    assert listed["attachment_id"] == sent["attachments"][0]["id"]

    detail = (await client.get(f"/api/documents/{listed['id']}", headers=owner.headers)).json()
    assert "Total" in detail["text"] and detail["read_method"] == "image_ocr"
    file = await client.get(detail["file_url"], headers=owner.headers)
    assert file.status_code == 200 and file.content == draw(RECEIPTS[0])
    assert (await client.get(detail["file_url"])).status_code == 401
    assert (await client.get(detail["file_url"], headers=chat.headers)).status_code == 401

    reviewed = await client.post(
        f"/api/documents/{listed['id']}/review",
        headers=owner.headers,
        json={"decision": "approved", "note": "matches the bank statement"},
    )
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["status"] == "approved" and reviewed.json()["reviewed_at"]
    assert await documents(client, owner, status="pending") == []

    history = (await client.get("/api/portal/messages", headers=chat.headers)).json()
    told = [m for m in history["messages"] if m["sender_type"] == "staff"]
    assert len(told) == 1 and "confirmed your payment of $1,234.50" in told[0]["text"]
    assert "INV-2041" in told[0]["text"]
    assert "bank statement" not in told[0]["text"]  # the note is for staff

    again = await client.post(
        f"/api/documents/{listed['id']}/review", headers=owner.headers,
        json={"decision": "approved"},
    )  # fmt: skip
    assert again.status_code == 200  # a retry: nothing new is posted
    other = await client.post(
        f"/api/documents/{listed['id']}/review", headers=owner.headers,
        json={"decision": "rejected"},
    )  # fmt: skip
    assert other.status_code == 409
    history = (await client.get("/api/portal/messages", headers=chat.headers)).json()
    assert len([m for m in history["messages"] if m["sender_type"] == "staff"]) == 1

    audit = (await client.get("/api/audit", headers=owner.headers)).json()
    assert any(e["action"] == "document.approved" for e in audit["events"])


async def test_pdf_sent_after_the_words_and_rejected_in_spanish(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    await say(client, chat, "Hola, les envío el comprobante de la transferencia del pedido 5521")
    await send_file(client, chat, "pago.pdf", receipt_pdf(scanned=False))
    await services.jobs.drain()
    [document] = await documents(client, owner)
    assert document["fields"]["amount"] == "240.00" and document["fields"]["currency"] == "GBP"
    assert document["fields"]["reference"] == "PLB-4410"
    assert (document["linked_kind"], document["linked_reference"]) == ("order", "5521")
    rejected = await client.post(
        f"/api/documents/{document['id']}/review", headers=owner.headers,
        json={"decision": "rejected", "note": "no such transfer"},
    )  # fmt: skip
    assert rejected.status_code == 200
    history = (await client.get("/api/portal/messages", headers=chat.headers)).json()
    assert "No pudimos confirmar" in history["messages"][-1]["text"]


async def test_words_after_a_photo_claim_it_and_a_plain_photo_is_no_document(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug)
    await send_file(client, chat, "smile.jpg", draw(RECEIPTS[6]), "look at my teeth")
    await services.jobs.drain()
    assert await documents(client, owner) == []
    await say(client, chat, "sorry, that was my proof of payment for YOGA-5521")
    await services.jobs.drain()
    [document] = await documents(client, owner)
    assert document["fields"]["amount"] == "120.00"
    assert document["linked_reference"] == "YOGA-5521"


async def test_documents_stay_in_their_workspace(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner, stranger = await register(client), await register(client)
    chat = await start_chat(client, owner.slug)
    await send_file(client, chat, "r.jpg", draw(RECEIPTS[1]), "comprobante de pago")
    await services.jobs.drain()
    [document] = await documents(client, owner)
    assert await documents(client, stranger) == []
    for path in (f"/api/documents/{document['id']}", f"/api/documents/{document['id']}/file"):
        assert (await client.get(path, headers=stranger.headers)).status_code == 404
    review = await client.post(
        f"/api/documents/{document['id']}/review", headers=stranger.headers,
        json={"decision": "approved"},
    )  # fmt: skip
    assert review.status_code == 404


async def test_a_reviewed_receipt_is_noted_on_its_ticket_and_the_customers_lead(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await register(client)
    chat = await start_chat(client, owner.slug, name="Rosa Diaz")
    await say(client, chat, "I paid my bill but you still show it as unpaid, this is wrong")
    await services.jobs.drain()
    await say(client, chat, "my email is rosa.diaz@example.com")
    await services.jobs.drain()
    [ticket] = (await client.get("/api/tickets", headers=owner.headers)).json()["tickets"]
    await send_file(
        client, chat, "receipt.png", draw(RECEIPTS[0]),
        f"here is the receipt for ticket {ticket['reference']}",
    )  # fmt: skip
    await services.jobs.drain()
    [document] = await documents(client, owner)
    reviewed = await client.post(
        f"/api/documents/{document['id']}/review", headers=owner.headers,
        json={"decision": "approved", "note": "seen on the statement"},
    )  # fmt: skip
    assert reviewed.status_code == 200, reviewed.text

    shown = (await client.get(f"/api/tickets/{ticket['id']}", headers=owner.headers)).json()
    [line] = [e["text"] for e in shown["history"] if "Payment proof" in e["text"]]
    assert "$1,234.50" in line and "approved" in line and "seen on the statement" in line
    [lead] = (await client.get("/api/leads", headers=owner.headers)).json()["leads"]
    assert "Payment proof of $1,234.50" in lead["notes"] and "approved" in lead["notes"]
