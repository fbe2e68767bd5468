"""The test harness: every test runs against real SQLite and real PostgreSQL.

Each backend gets a fresh database per run, migrated by Alembic exactly as in production;
tables are emptied between tests (TRUNCATE on PostgreSQL), which keeps tests independent
and lets a real server process (browser tests) see the same data.

Outside CI an unreachable PostgreSQL skips its half with a clear message; with CI=true it
fails the run instead.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from frontdesk.app import create_app
from frontdesk.kit.db import Database
from frontdesk.kit.migrations import upgrade
from frontdesk.models import Base
from frontdesk.services import Services
from frontdesk.settings import Settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_ADMIN_URL = os.environ.get(
    "FRONTDESK_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", "postgresql"]


def unavailable(reason: str) -> None:
    """Skip locally; in CI a missing service is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required, not skipped)", pytrace=False)
    pytest.skip(reason)


@dataclass
class Backend:
    name: str
    url: str
    data_dir: Path

    def settings(self, **overrides: object) -> Settings:
        values: dict[str, object] = {
            "database_url": self.url,
            "data_dir": self.data_dir,
            "secret_key": "test-secret-" + "x" * 40,
            "auto_migrate": False,
            "login_limit_per_ip": "1000/minute",
            "login_limit_per_account": "1000/minute",
            "register_limit_per_ip": "1000/minute",
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]


async def _create_postgres_database() -> tuple[str, str]:
    name = f"frontdesk_test_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OSError as error:
        unavailable(f"PostgreSQL unreachable at {POSTGRES_ADMIN_URL}: {error}")
    finally:
        await admin.dispose()
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    return name, url


async def _drop_postgres_database(name: str) -> None:
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


@pytest_asyncio.fixture(scope="session", params=BACKENDS)
async def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Backend]:
    data_dir = tmp_path_factory.mktemp(request.param)
    pg_name = None
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{data_dir / 'frontdesk.db'}"
    else:
        pg_name, url = await _create_postgres_database()
    db = Database(url)
    await upgrade(db)
    await db.dispose()
    yield Backend(request.param, url, data_dir)
    if pg_name:
        await _drop_postgres_database(pg_name)


@pytest_asyncio.fixture(scope="session")
async def app(backend: Backend) -> AsyncIterator[FastAPI]:
    application = create_app(backend.settings())
    await services_of(application).start()
    yield application
    await services_of(application).close()


def services_of(application: FastAPI) -> Services:
    services: Services = application.state.services
    return services


@asynccontextmanager
async def client_for(
    settings: Settings, application: FastAPI | None = None, base_url: str = "http://testserver"
) -> AsyncIterator[httpx.AsyncClient]:
    """A client for a second app on the same database (other settings, another process)."""
    application = application or create_app(settings)
    await services_of(application).start()
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
            yield http
    finally:
        await services_of(application).close()


async def empty_database(db: Database) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    for attempt in range(5):
        try:
            async with db.engine.begin() as connection:
                if db.engine.dialect.name == "postgresql":
                    await connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
                else:
                    for table in tables:
                        await connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608
            return
        except DBAPIError as error:
            # A server's recovery sweep (at start, then periodically) may hold row locks
            # the TRUNCATE's table locks wait on in the other order: PostgreSQL breaks the
            # deadlock by failing one side. Emptying again is always safe.
            if "deadlock" not in str(error).lower() or attempt == 4:
                raise
            await asyncio.sleep(0.2 * (attempt + 1))


@pytest_asyncio.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    services = services_of(app)
    await services.jobs.drain()  # the start-up recovery sweep, before the tables are emptied
    await empty_database(services.db)
    await services.limiter.reset()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await services.jobs.drain()  # no job of this test may run into the next one


@pytest.fixture
def services(app: FastAPI) -> Services:
    return services_of(app)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Under CI=true a skipped test is a failed test: CI must prove everything, not skip it."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which is not allowed: {report.longrepr}"
