"""`frontdesk backup`, wipe everything, `frontdesk restore`: nothing is lost, on both
databases, through the real command and a real server app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from frontdesk.app import create_app
from frontdesk.backups import BackupError, restore_backup
from frontdesk.kit.db import Database
from frontdesk.kit.migrations import upgrade
from frontdesk.settings import Settings
from tests import media
from tests.conftest import (
    POSTGRES_ADMIN_URL,
    Backend,
    _create_postgres_database,
    _drop_postgres_database,
    client_for,
    services_of,
)
from tests.factories import PASSWORD, login, register, say, start_chat


@pytest_asyncio.fixture(params=["sqlite", "postgresql"])
async def instance(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    """A database of this test's own: the round trip wipes it."""
    data_dir = tmp_path / "var"
    pg_name = None
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{data_dir / 'frontdesk.db'}"
    else:
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump is missing (Debian: postgresql-client)", pytrace=False)
        pg_name, url = await _create_postgres_database()
    data_dir.mkdir()
    db = Database(url)
    await upgrade(db)
    await db.dispose()
    yield Backend(request.param, url, data_dir)
    if pg_name:
        await _drop_postgres_database(pg_name)


def frontdesk(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATABASE_URL=settings.resolved_database_url,
        FRONTDESK_DATA_DIR=str(settings.data_dir),
        FRONTDESK_SECRET_KEY=str(settings.secret_key),
        FRONTDESK_LOG_LEVEL="warning",
    )
    return subprocess.run(
        [sys.executable, "-m", "frontdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def wipe(instance: Backend, settings: Settings) -> None:
    """As after losing the machine: no database (PostgreSQL: a new, empty one), no uploads."""
    if instance.name == "sqlite":
        _remove_sqlite(instance.data_dir / "frontdesk.db")
    else:
        name = str(make_url(instance.url).database)
        await _drop_postgres_database(name)
        admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        await admin.dispose()
    shutil.rmtree(settings.resolved_storage_dir)


async def test_backup_wipe_restore_loses_nothing(instance: Backend, tmp_path: Path) -> None:
    settings = instance.settings(warm_assistant=False)
    picture = media.png()
    application = create_app(settings)
    async with client_for(settings, application) as client:
        owner = await register(client, "Round Trip Dental")
        chat = await start_chat(client, owner.slug, "Ada")
        upload = await client.post(
            "/api/portal/uploads", headers=chat.headers, files={"file": ("x.png", picture)}
        )
        assert upload.status_code == 201, upload.text
        await say(client, chat, "Here is my x-ray", attachment_ids=[upload.json()["id"]])
        await say(client, chat, "What are your opening hours?")
        await services_of(application).jobs.drain()
        before = await client.get(
            f"/api/conversations/{chat.conversation_id}/messages", headers=owner.headers
        )
        assert before.status_code == 200
    messages = before.json()["messages"]
    assert any(m["sender_type"] == "assistant" for m in messages)  # the reply is in it too

    made = frontdesk(settings, "backup", f"{tmp_path / 'backups'}/")
    assert made.returncode == 0, made.stderr
    archive = next((tmp_path / "backups").glob("frontdesk-backup-*.tar.gz"))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json" and any(n.startswith("uploads/") for n in names)

    await wipe(instance, settings)
    restored = frontdesk(settings, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr

    async with client_for(settings) as client:
        again = await login(client, owner.email, PASSWORD)
        after = await client.get(
            f"/api/conversations/{chat.conversation_id}/messages", headers=again.headers
        )
        assert after.status_code == 200
        assert after.json()["messages"] == messages
        files = [a for m in messages for a in m.get("attachments", [])]
        assert len(files) == 1
        served = await client.get(files[0]["url"])
        assert served.status_code == 200 and served.content == picture

    # Now the instance holds data: a second restore needs --force, and then works.
    refused = frontdesk(settings, "restore", str(archive))
    assert refused.returncode == 1 and "--force" in refused.stderr
    forced = frontdesk(settings, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr


async def test_restore_refuses_what_is_not_a_backup(instance: Backend, tmp_path: Path) -> None:
    settings = instance.settings()
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(__file__, arcname="notes.py")
    with pytest.raises(BackupError, match="not a Frontdesk backup"):
        await restore_backup(settings, bogus)
    other = "postgresql" if instance.name == "sqlite" else "sqlite"
    made = frontdesk(settings, "backup", str(tmp_path / "b.tar.gz"))
    assert made.returncode == 0, made.stderr
    elsewhere = Backend(other, "sqlite+aiosqlite:///" + str(tmp_path / "x.db"), tmp_path)
    if other == "postgresql":
        elsewhere = Backend(other, "postgresql+asyncpg://nobody@127.0.0.1:1/none", tmp_path)
    with pytest.raises(BackupError, match=f"holds a {instance.name} database"):
        await restore_backup(elsewhere.settings(), tmp_path / "b.tar.gz")
