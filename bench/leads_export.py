"""Exporting 10,000 leads: GET /api/leads/export (XLSX and CSV) against a naive baseline.

A fresh database (SQLite in a temporary directory, or --database-url) is migrated, a
workspace is registered through the API, and --leads leads with their contacts are inserted
in bulk. Each run then asks the app in-process (httpx's ASGI transport: the whole request,
with authentication, the query and the file) for the export, and times it; the
first run of each is a warm-up and not counted.

The baseline is the straightforward way, measured in the same run on the same rows: the
leads loaded as ORM objects one by one (each contact and owner loaded lazily), written
with openpyxl's normal (in-memory) workbook, per-cell styles set through openpyxl's
properties, then the same column widths, frozen header and autofilter.

--fill realistic (default) fills the fields as chat leads have them (every lead has a
name, status, source and date; most an email, many a phone; a third have an owner, a
value, a follow-up day or notes); --fill full fills every cell (the worst case).

Usage: python bench/leads_export.py [--leads 10000] [--runs 11] [--fill realistic|full]
                                    [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from machine import load
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import insert, select

from frontdesk.accounts.models import User
from frontdesk.app import create_app
from frontdesk.contacts.models import Contact
from frontdesk.kit.migrations import upgrade
from frontdesk.leads.export import COLUMNS, FORMATS, HEADERS, STATUS_LABELS
from frontdesk.leads.models import STATUSES, Lead
from frontdesk.services import Services
from frontdesk.settings import Settings

FIRST = ["Ana", "Ben", "Chloé", "Dev", "Eun-ji", "Farah", "Goran", "Hana", "Iker", "Jo"]
LAST = ["Silva", "Okafor", "Martin", "Patel", "Kim", "Haddad", "Novak", "Sato", "Ruiz", "Lee"]
INTERESTS = ["whitening", "implants", "a check-up", "braces for my son", "emergency visit"]


def fake_leads(
    count: int, workspace_id: uuid.UUID, owner_id: uuid.UUID, full: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(7)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    contacts, leads = [], []
    for index in range(count):
        contact_id = uuid.uuid4()
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = f"lead{index}@example.com" if full or rng.random() < 0.8 else ""
        phone = f"+4479{index:08d}" if full or not email or rng.random() < 0.5 else ""
        created = start + timedelta(minutes=37 * index)
        contacts.append(
            {
                "id": contact_id,
                "workspace_id": workspace_id,
                "name": name,
                "email": email,
                "phone": phone,
                "phone_verified": True,
                "interest": "",
                "source": "portal",
                "created_at": created,
                "updated_at": created,
            }
        )
        worked = full or rng.random() < 0.35
        leads.append(
            {
                "id": uuid.uuid4(),
                "workspace_id": workspace_id,
                "contact_id": contact_id,
                "channel": rng.choice(["portal", "widget"]),
                "interest": rng.choice(INTERESTS) if full or rng.random() < 0.8 else "",
                "captured": {"name": [name]},
                "status": rng.choice(STATUSES) if worked else "new",
                "owner_id": owner_id if worked else None,
                "follow_up_on": date(2026, 6, 1) + timedelta(days=index % 90) if worked else None,
                "value_cents": rng.randrange(5_000, 500_000) if worked else None,
                "notes": "Called, wants a quote by Friday" if worked else "",
                "created_at": created,
                "updated_at": created,
            }
        )
    return contacts, leads


def naive_export(session_rows: list[Lead], owners: dict[uuid.UUID, str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for lead in session_rows:
        contact = lead.contact
        sheet.append(
            [
                contact.name,
                contact.email,
                contact.phone,
                STATUS_LABELS[lead.status],
                owners.get(lead.owner_id) if lead.owner_id else None,
                lead.interest,
                lead.channel,
                None if lead.value_cents is None else lead.value_cents / 100,
                lead.follow_up_on,
                lead.created_at.replace(tzinfo=None),
                lead.notes,
            ]
        )
        row = sheet.max_row
        for column, (_, _, kind) in enumerate(COLUMNS, start=1):
            if kind in FORMATS:
                sheet.cell(row, column).number_format = FORMATS[kind]
    for index, (_, width, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def baseline(services: Services, workspace_id: uuid.UUID) -> bytes:
    async with services.unit_of_work() as uow:
        session = uow.session
        ids = (
            await session.execute(
                select(Lead.id)
                .where(Lead.workspace_id == workspace_id)
                .order_by(Lead.created_at.desc())
            )
        ).scalars()
        loaded = [await session.get(Lead, lead_id) for lead_id in list(ids)]
        owners: dict[uuid.UUID, str] = {}
        for lead in loaded:
            if lead is not None and lead.owner_id and lead.owner_id not in owners:
                user = await session.get(User, lead.owner_id)
                owners[lead.owner_id] = user.full_name if user else ""
    return await asyncio.to_thread(naive_export, [x for x in loaded if x], owners)


def summary(label: str, times: list[float], size: int) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"{label:<34} p50 {statistics.median(ordered) * 1000:7.0f} ms   "
        f"p95 {p95 * 1000:7.0f} ms   {size / 1024:7.0f} kB"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--fill", choices=["realistic", "full"], default="realistic")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="leads-bench-"))
    url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    settings = Settings(
        database_url=url,
        data_dir=workdir,
        secret_key="bench-" + "x" * 40,
        auto_migrate=False,
        warm_assistant=False,
    )
    app = create_app(settings)
    services = app.state.services
    await upgrade(services.db)
    await services.start()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
        registered = await client.post(
            "/api/auth/register",
            json={
                "email": email,
                "password": "bench password 1",
                "full_name": "Bench Owner",
                "business_name": "Bench Dental",
            },
        )
        registered.raise_for_status()
        body = registered.json()
        headers = {"Authorization": f"Bearer {body['access_token']}"}
        workspace_id = uuid.UUID(body["workspace"]["id"])
        async with services.unit_of_work() as uow:
            owner_id = (
                await uow.session.execute(select(User.id).where(User.email == email))
            ).scalar_one()
        contacts, leads = fake_leads(args.leads, workspace_id, owner_id, args.fill == "full")
        async with services.unit_of_work() as uow:
            for start in range(0, len(contacts), 2000):
                await uow.session.execute(insert(Contact), contacts[start : start + 2000])
                await uow.session.execute(insert(Lead), leads[start : start + 2000])

        results = []
        for fmt in ("xlsx", "csv"):
            times, size = [], 0
            for run in range(args.runs + 1):
                started = time.perf_counter()
                response = await client.get(
                    f"/api/leads/export?format={fmt}", headers=headers, timeout=120
                )
                elapsed = time.perf_counter() - started
                response.raise_for_status()
                size = len(response.content)
                if run:  # the first is a warm-up
                    times.append(elapsed)
            results.append(summary(f"GET /api/leads/export?format={fmt}", times, size))
        times = []
        for run in range(args.baseline_runs + 1):
            started = time.perf_counter()
            data = await baseline(services, workspace_id)
            if run:
                times.append(time.perf_counter() - started)
        results.append(summary("baseline: ORM per row + openpyxl", times, len(data)))
    await services.close()
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"{args.leads} leads ({args.fill} fill), {backend}, {args.runs} runs "
        f"({args.baseline_runs} for the baseline) after one warm-up each"
    )
    print("\n".join(results))
    print(load())


if __name__ == "__main__":
    asyncio.run(main())
