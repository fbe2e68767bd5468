"""The functions the chat assistant books through, acting for the workspace (no staff)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from frontdesk.appointments import service as booking
from frontdesk.appointments.errors import OutsideHours, SlotTaken, TooFar, TooSoon
from frontdesk.services import Services
from tests.appointments.helpers import add_service, business, local, next_weekday


async def test_assistant_books_moves_and_cancels(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await business(client)
    cleaning = await add_service(client, owner)
    await add_service(client, owner, name="Retired", active=False)
    workspace_id, service_id = uuid.UUID(owner.workspace_id), uuid.UUID(cleaning["id"])
    monday = next_weekday(0)
    sunday = monday - timedelta(days=1)

    async with services.db.unit_of_work() as uow:
        offered = await booking.list_services(uow.session, workspace_id)
        assert [s.name for s in offered] == ["Cleaning"]
        week = await booking.find_slots(uow.session, workspace_id, service_id, monday, 5)
        assert len(week) == 5 * 26 and week[0].start == local(monday, "09:00")
        assert str(week[0].start.tzinfo) == "America/New_York"
        # Closed on Sunday: Monday's slots nearest to the wanted time of day.
        nearest = await booking.nearest_slots(
            uow.session, workspace_id, service_id, local(sunday, "15:00")
        )
        assert [s.start for s in nearest] == [
            local(monday, "15:00"),
            local(monday, "14:45"),
            local(monday, "15:15"),
        ]
        request = booking.BookingRequest(
            service_id,
            local(monday, "15:00"),
            customer_name="Jess Ruiz",
            customer_email="Jess@Example.com ",
            customer_phone="+12125550142",
        )
        made = await booking.book(uow.session, workspace_id, request)
        assert made.manage_token and made.manage_token_hash != made.manage_token
        token, appointment_id = made.manage_token, made.id

    async with services.db.unit_of_work() as uow:
        with pytest.raises(SlotTaken) as taken:
            await booking.book(uow.session, workspace_id, request)
        # Half an hour either side, the earlier first.
        assert [s.start for s in taken.value.alternatives[:2]] == [
            local(monday, "14:30"),
            local(monday, "15:30"),
        ]
        with pytest.raises(OutsideHours) as closed:
            late = booking.BookingRequest(service_id, local(sunday, "10:00"))
            await booking.book(uow.session, workspace_id, late)
        assert closed.value.alternatives[0].start == local(monday, "10:00")
        now = local(monday, "08:00").astimezone(UTC)
        with pytest.raises(TooSoon):
            soon = booking.BookingRequest(service_id, local(monday, "09:30"), now=now)
            await booking.book(uow.session, workspace_id, soon)
        with pytest.raises(TooFar):
            far = booking.BookingRequest(service_id, local(monday + timedelta(days=63), "10:00"))
            await booking.book(uow.session, workspace_id, far)

    async with services.db.unit_of_work() as uow:
        mine = await booking.upcoming_for_customer(
            uow.session, workspace_id, email="jess@example.com"
        )
        assert [a.id for a in mine] == [appointment_id]
        by_phone = await booking.upcoming_for_customer(
            uow.session, workspace_id, phone="+12125550142"
        )
        assert [a.id for a in by_phone] == [appointment_id]
        assert await booking.upcoming_for_customer(uow.session, workspace_id) == []
        found = await booking.by_manage_token(uow.session, workspace_id, token)
        assert found is not None and found.id == appointment_id
        thursday = monday + timedelta(days=3)
        moved = await booking.reschedule(
            uow.session, workspace_id, appointment_id, local(thursday, "14:00")
        )
        assert moved.start == local(thursday, "14:00")
        assert moved.end - moved.start == timedelta(minutes=30)

    async with services.db.unit_of_work() as uow:
        free = await booking.find_slots(uow.session, workspace_id, service_id, monday, 1)
        assert local(monday, "15:00") in [s.start for s in free]  # the old time is free
        cancelled = await booking.cancel(uow.session, workspace_id, appointment_id)
        assert cancelled.status == "cancelled"
        assert (
            await booking.upcoming_for_customer(uow.session, workspace_id, email="jess@example.com")
            == []
        )

    # Another workspace cannot reach it.
    other = await business(client)
    async with services.db.unit_of_work() as uow:
        with pytest.raises(Exception) as missing:
            await booking.cancel(uow.session, uuid.UUID(other.workspace_id), appointment_id)
        assert getattr(missing.value, "status_code", None) == 404
        assert (
            await booking.by_manage_token(uow.session, uuid.UUID(other.workspace_id), token) is None
        )


async def test_times_in_the_past_offer_the_next_free_slots(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await business(client)
    cleaning = await add_service(client, owner)
    workspace_id, service_id = uuid.UUID(owner.workspace_id), uuid.UUID(cleaning["id"])
    async with services.db.unit_of_work() as uow:
        past = datetime.now(UTC) - timedelta(days=3)
        with pytest.raises(TooSoon) as refusal:
            await booking.book(uow.session, workspace_id, booking.BookingRequest(service_id, past))
        soonest = (
            await booking.find_slots(
                uow.session, workspace_id, service_id, datetime.now(UTC).date(), 7
            )
        )[0]
        assert soonest.start in [s.start for s in refusal.value.alternatives]
