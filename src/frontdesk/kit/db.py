"""Database engine, declarative base and the unit of work.

One :class:`UnitOfWork` spans a request or a job: services add and flush, the owner of the
unit commits once at the end, and callbacks registered with :meth:`UnitOfWork.after_commit`
(socket events, jobs) run only once the data they describe is committed.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, TypeDecorator, event, make_url
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import ConnectionPoolEntry

from frontdesk.kit.errors import FrontdeskError
from frontdesk.kit.text import strip_nul_parameters

# Stable constraint names make Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on every backend: SQLite hands back naive values otherwise."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; store UTC-aware values")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # One connection: SQLite allows one writer at a time, and waiting for the pool in
        # Python is fair and prompt, where competing connections back off in SQLite's busy
        # handler (sleeps of up to 100 ms) and make the tail latency explode.
        engine = create_async_engine(
            url, connect_args={"timeout": 30}, pool_size=1, max_overflow=0, pool_timeout=60
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        engine = create_async_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    # PostgreSQL refuses NUL in text (a 500); SQLite keeps it: dropped on both (kit/text.py).
    event.listen(engine.sync_engine, "before_cursor_execute", strip_nul_parameters, retval=True)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers proceed while one writer commits; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is still corruption-safe; it skips an fsync per commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


AfterCommit = Callable[[], Awaitable[None]]


class UnitOfWork:
    """A session plus the side effects waiting for its commit.

    Services reach it from their session (:func:`unit_of`) to queue events for ``bus`` and
    jobs for ``jobs``; both leave only after the commit, and are dropped on rollback.
    """

    def __init__(self, session: AsyncSession, bus: Any = None, jobs: Any = None) -> None:
        self.session = session
        self.bus, self.jobs = bus, jobs
        self._after_commit: list[AfterCommit] = []
        self._on_rollback: list[AfterCommit] = []
        session.info["uow"] = self

    def after_commit(self, callback: AfterCommit) -> None:
        self._after_commit.append(callback)

    def on_rollback(self, callback: AfterCommit) -> None:
        """Undo work outside the database (a stored file) if the unit does not commit."""
        self._on_rollback.append(callback)

    async def release_connection(self) -> None:
        """Commit what the unit has done so far and give the connection back, before
        waiting on something slow outside the database such as a language model (SQLite has
        one connection; nobody should wait on a model through it). Events and jobs still
        wait for the final commit; loaded objects stay usable (``expire_on_commit=False``)."""
        await self.session.commit()

    async def commit(self) -> None:
        await self.session.commit()
        self._on_rollback.clear()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            await callback()

    async def rollback(self) -> None:
        self._after_commit.clear()
        await self.session.rollback()
        undo, self._on_rollback = self._on_rollback, []
        for callback in undo:
            await callback()


def unit_of(session: AsyncSession) -> UnitOfWork:
    uow = session.info.get("uow")
    if not isinstance(uow, UnitOfWork):
        raise RuntimeError("this session is not part of a unit of work")
    return uow


class Database:
    """Owns the engine and hands out units of work. Creating it connects to nothing."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def unit_of_work(self, bus: Any = None, jobs: Any = None) -> AsyncIterator[UnitOfWork]:
        """Commit when the block ends normally, roll back (dropping side effects) otherwise."""
        async with self.sessionmaker() as session:
            uow = UnitOfWork(session, bus, jobs)
            try:
                yield uow
            except FrontdeskError as error:
                # Some refusals are verdicts that must stick (a revoked token family, an audit
                # entry for a failed login): the error says whether its changes are kept.
                await (uow.commit() if error.commit_changes else uow.rollback())
                raise
            except BaseException:
                await uow.rollback()
                raise
            await uow.commit()

    async def dispose(self) -> None:
        await self.engine.dispose()


__all__ = ["Base", "Database", "IdMixin", "TimestampMixin", "UnitOfWork"]
