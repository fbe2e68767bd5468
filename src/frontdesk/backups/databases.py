"""Dumping and loading each database while keeping it consistent.

SQLite goes through the online backup API (``sqlite3.Connection.backup``): a consistent copy
page by page, safe while servers write. PostgreSQL goes through ``pg_dump -Fc`` (one
snapshot) and ``pg_restore`` in a single transaction. Credentials reach the tools through
the environment (``PGPASSWORD``), never their command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import URL, inspect, make_url, text
from sqlalchemy.engine import Connection

from frontdesk.backups.manifest import BackupError
from frontdesk.kit.db import Database


def kind_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(database)


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy with SQLite's backup API: the target becomes the source's contents, whatever it
    held before."""
    if not source.exists():
        raise BackupError(f"no SQLite database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    reader, writer = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found: install the PostgreSQL client tools (Debian: postgresql-client, "
            "the server's major version or newer)"
        )
    return found


def _connection_args(url: URL) -> tuple[list[str], dict[str, str]]:
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    if not url.database:
        raise BackupError("the database URL names no database")
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    ssl = url.query.get("ssl") or url.query.get("sslmode")
    if isinstance(ssl, str):
        env["PGSSLMODE"] = ssl
    return args, env


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip() or done.stdout.strip()}")


def dump_postgres(database_url: str, target: Path) -> None:
    url = make_url(database_url)
    args, env = _connection_args(url)
    argv = [_postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    _run([*argv, *args, "--file", str(target), str(url.database)], env, "pg_dump")


async def load_postgres(db: Database, database_url: str, dump: Path) -> None:
    """Empty the public schema, then load the dump in one transaction."""
    url = make_url(database_url)
    args, env = _connection_args(url)
    async with db.engine.connect() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
        await connection.commit()
    argv = [
        _postgres_tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
    ]
    _run([*argv, *args, "--dbname", str(url.database), str(dump)], env, "pg_restore")


async def current_revision(db: Database) -> str | None:
    def read(connection: Connection) -> str | None:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row else None

    async with db.engine.connect() as connection:
        return await connection.run_sync(read)


async def holds_data(db: Database) -> bool:
    """Whether any of Frontdesk's tables has a row (an empty, migrated database has none)."""
    from frontdesk.models import Base

    def any_rows(connection: Connection) -> bool:
        present = set(inspect(connection).get_table_names())
        for table in Base.metadata.sorted_tables:
            if table.name in present:
                statement = text(f"SELECT 1 FROM {table.name} LIMIT 1")  # noqa: S608 - our names
                if connection.execute(statement).first() is not None:
                    return True
        return False

    async with db.engine.connect() as connection:
        return await connection.run_sync(any_rows)
