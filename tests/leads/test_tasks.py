"""The daily report: the day's leads as an XLSX, mailed once to the owners who opted in,
through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from frontdesk.jobs.queue import handler_for
from frontdesk.leads.tasks import REPORT_JOB, REPORT_SWEEP, local_yesterday
from tests.conftest import Backend, client_for, empty_database, services_of
from tests.factories import add_member, register, say, start_chat
from tests.mail.smtp_sink import SmtpSink


async def test_the_days_leads_are_mailed_once_to_the_owner(backend: Backend) -> None:
    from frontdesk.app import create_app

    with SmtpSink() as sink:
        application = create_app(backend.settings(**sink.settings()))
        services = services_of(application)
        await empty_database(services.db)
        async with client_for(backend.settings(), application) as client:
            owner = await register(client, email="boss@report.example")
            await add_member(client, owner, "admin")  # an admin is not mailed
            for text in ("I'm Ivy Lane, ivy@example.com", "Jon here, jon@example.com, implants"):
                chat = await start_chat(client, owner.slug)
                await say(client, chat, text)
                await services.jobs.drain()
            today = datetime.now(ZoneInfo("UTC")).date().isoformat()
            run = handler_for(REPORT_JOB)

            await run(services, workspace_id=owner.workspace_id, day=today)
            assert sink.received == []  # not opted in: nothing goes out

            opted = await client.put(
                "/api/leads/settings", headers=owner.headers, json={"daily_report": True}
            )
            assert opted.status_code == 200 and opted.json() == {"daily_report": True}
            await run(services, workspace_id=owner.workspace_id, day=today)
            await run(services, workspace_id=owner.workspace_id, day=today)  # delivered twice

            [received] = sink.wait_for(1)
            assert received.rcpt_tos == ["boss@report.example"]
            message = received.message
            assert "2 new leads" in message["subject"]
            assert "Ivy Lane" in message.get_body(("plain",)).get_content()
            [attachment] = list(message.iter_attachments())
            assert attachment.get_filename() == f"leads-{today}.xlsx"
            sheet = load_workbook(io.BytesIO(attachment.get_content())).active
            assert sorted(row[1].value for row in sheet.iter_rows(min_row=2)) == [
                "ivy@example.com",
                "jon@example.com",
            ]
            assert isinstance(sheet["J2"].value, datetime)

            # The sweep asks for yesterday's report, which had no leads: none is mailed.
            await handler_for(REPORT_SWEEP)(services)
            await services.jobs.drain()
            await handler_for(REPORT_SWEEP)(services)
            await services.jobs.drain()
            assert len(sink.received) == 1


def test_yesterday_is_the_workspaces_own() -> None:
    late = datetime(2026, 12, 4, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert local_yesterday("UTC", late) == date(2026, 12, 3)
    assert local_yesterday("Asia/Tokyo", late) == date(2026, 12, 4)  # already the 5th there
    assert local_yesterday("America/Los_Angeles", late) == date(2026, 12, 3)
    assert local_yesterday("UTC", late + timedelta(hours=1)) == date(2026, 12, 4)
