"""Slot search's busy time is read from one covering index, bounded on both sides; the
migrations build the same appointment indexes the models declare."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, inspect

from frontdesk.appointments.models import MAX_BLOCKED_MINUTES, Appointment
from frontdesk.appointments.repository import AppointmentRepository
from frontdesk.appointments.schemas import ServiceIn
from frontdesk.kit.db import Database
from tests.conftest import Backend


def test_schema_caps_keep_blocked_spans_bounded() -> None:
    fields = ServiceIn.model_json_schema()["properties"]
    longest = (
        fields["duration_minutes"]["maximum"]
        + fields["buffer_before_minutes"]["maximum"]
        + fields["buffer_after_minutes"]["maximum"]
    )
    assert longest == MAX_BLOCKED_MINUTES


async def test_migrated_indexes_match_the_model(backend: Backend) -> None:
    db = Database(backend.url)
    try:
        async with db.engine.connect() as connection:
            found = await connection.run_sync(
                lambda sync: {
                    index["name"]: list(index["column_names"])
                    for index in inspect(sync).get_indexes("appointments")
                    # PostgreSQL also lists the indexes behind its constraints
                    if index["name"] and index["name"].startswith("ix_")
                }
            )
    finally:
        await db.dispose()
    declared = {
        str(index.name): [column.name for column in index.columns]
        for index in Appointment.__table__.indexes  # type: ignore[attr-defined]
    }
    assert found == declared


# SQLite only: its query plan names the index; PostgreSQL's depends on table statistics.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_busy_time_is_read_from_the_covering_index(backend: Backend) -> None:
    db = Database(backend.url)
    captured: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if "blocked_start" in statement:
            captured.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", keep)
    try:
        start = datetime(2027, 2, 1, tzinfo=UTC)
        async with db.unit_of_work() as uow:
            repository = AppointmentRepository(uow.session, uuid.uuid4())
            assert await repository.busy([uuid.uuid4()], start, start + timedelta(days=7)) == []
            ((statement, parameters),) = captured
            plan = await (await uow.session.connection()).exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters
            )
            details = " ".join(str(row[-1]) for row in plan)
    finally:
        await db.dispose()
    assert "COVERING INDEX ix_appointments_busy" in details
    # both sides of blocked_start bound the walk (past bookings are never read)
    assert "blocked_start>? AND blocked_start<?" in details
