"""Migration 0007 on a database written before it, on SQLite and PostgreSQL: a bare token
(sealed before the prefix existed) is labelled without being opened, a plaintext key is
sealed with the configured key by ``frontdesk migrate``, and downgrade gives the older code
its bare tokens back."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from alembic import command
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.engine import Connection

from frontdesk.app import create_app
from frontdesk.kit.db import Database
from frontdesk.kit.migrations import alembic_config, upgrade
from frontdesk.kit.secrets import SEALED_PREFIX, SecretBox, derived_key
from frontdesk.settings import Settings
from tests.conftest import (
    _create_postgres_database,
    _drop_postgres_database,
    client_for,
)
from tests.factories import register

SERVER_SECRET = "migration-secret-" + "m" * 40
NEW = Fernet.generate_key().decode()


@pytest_asyncio.fixture(params=["sqlite", "postgresql"])
async def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'frontdesk.db'}"
        return
    name, url = await _create_postgres_database()
    yield url
    await _drop_postgres_database(name)


async def _downgrade(db: Database, revision: str) -> None:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with db.engine.begin() as connection:
        await connection.run_sync(run)


async def _keys(db: Database) -> list[str]:
    async with db.engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT engine_api_key FROM assistant_profiles ORDER BY created_at")
        )
        return [row[0] for row in rows]


def _migrate(url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATABASE_URL=url,
        FRONTDESK_DATA_DIR=str(data_dir),
        FRONTDESK_SECRET_KEY=SERVER_SECRET,
        FRONTDESK_SECRETS_KEYS=NEW,
        FRONTDESK_LOG_LEVEL="warning",
    )
    return subprocess.run(
        [sys.executable, "-m", "frontdesk", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_existing_values_are_labelled_or_sealed_and_downgrade_restores_them(
    fresh_url: str, tmp_path: Path
) -> None:
    db = Database(fresh_url)
    try:
        await upgrade(db)
        settings = Settings(
            database_url=fresh_url, data_dir=tmp_path, secret_key=SERVER_SECRET, auto_migrate=False
        )
        async with client_for(settings, create_app(settings)) as client:
            await register(client)
            await register(client)
        await _downgrade(db, "0006")  # the schema of the previous release

        legacy = Fernet(derived_key(SERVER_SECRET)).encrypt(b"sk-legacy-456").decode()
        async with db.engine.begin() as connection:
            ids = [
                row[0]
                for row in await connection.execute(
                    text("SELECT id FROM assistant_profiles ORDER BY created_at")
                )
            ]
            for profile_id, value in zip(ids, ["sk-plain-123", legacy], strict=True):
                await connection.execute(
                    text("UPDATE assistant_profiles SET engine_api_key = :v WHERE id = :id"),
                    {"v": value, "id": profile_id},
                )

        migrated = _migrate(fresh_url, tmp_path)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        plain, labelled = await _keys(db)
        assert plain.startswith(SEALED_PREFIX) and "sk-plain-123" not in plain
        assert SecretBox([NEW]).open(plain) == "sk-plain-123"  # sealed with the newest key
        assert labelled == SEALED_PREFIX + legacy  # labelled, not opened nor re-sealed
        assert "sk-plain-123" not in migrated.stdout + migrated.stderr

        await _downgrade(db, "0006")
        plain, bare = await _keys(db)
        assert bare == legacy
        assert Fernet(NEW).decrypt(plain.encode()) == b"sk-plain-123"
    finally:
        await db.dispose()
