"""Rotating the key of stored secrets, on SQLite and PostgreSQL: a key saved through the API
is sealed in its row; with a new key put first, old rows stay readable; rotation re-seals
every row with the new key only, and running it again changes nothing. The command is run
as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from frontdesk.kit.secret_rotation import RotationReport, _rotate_value, rotate_secrets
from frontdesk.kit.secrets import SEALED_PREFIX, SecretBox, SecretUnreadable, derived_key
from frontdesk.models import Base
from frontdesk.services import Services
from tests.conftest import Backend
from tests.factories import Account, register

NEW = Fernet.generate_key().decode()
API_KEY = "sk-live-0123456789abcdef"


async def _save_key(client: httpx.AsyncClient, key: str = API_KEY) -> Account:
    owner = await register(client)
    saved = await client.put(
        "/api/workspace/engine",
        headers=owner.headers,
        json={"provider": "openai", "model": "gpt-test", "api_key": key},
    )
    assert saved.status_code == 200, saved.text
    assert key not in saved.text and saved.json()["api_key_set"] is True
    return owner


def _old_key(backend: Backend) -> str:
    """The key the test app seals with: derived from its server secret (none configured)."""
    return derived_key(backend.settings().signing_secret)


async def _stored(services: Services) -> list[str]:
    async with services.db.engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT engine_api_key FROM assistant_profiles WHERE engine_api_key != ''")
        )
        return [row[0] for row in rows]


async def _updated_at(services: Services) -> list[object]:
    async with services.db.engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT updated_at FROM assistant_profiles ORDER BY id")
        )
        return [row[0] for row in rows]


async def test_the_row_holds_a_sealed_value_not_the_key(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await _save_key(client)
    (stored,) = await _stored(services)
    assert API_KEY not in stored
    assert stored.startswith(SEALED_PREFIX)
    assert services.secrets.open(stored) == API_KEY
    shown = await client.get("/api/workspace/engine", headers=owner.headers)
    assert API_KEY not in shown.text and shown.json()["api_key_set"] is True


async def test_rotation_reseals_every_row_with_the_new_key_and_is_safe_to_repeat(
    client: httpx.AsyncClient, services: Services, backend: Backend
) -> None:
    await _save_key(client)
    await _save_key(client, "sk-second-key-456")
    before = await _stored(services)
    edited_before = await _updated_at(services)
    during = SecretBox([NEW, _old_key(backend)])  # new key put first
    assert sorted(during.open(value) for value in before) == sorted([API_KEY, "sk-second-key-456"])

    # One row per transaction here, so the walk pages through the table.
    first = await rotate_secrets(services.db, during, Base.metadata, batch_size=1)
    assert (first.resealed, first.already_current, first.unreadable) == (2, 0, [])
    after = await _stored(services)
    new_only = SecretBox([NEW])
    assert sorted(new_only.open(value) for value in after) == sorted([API_KEY, "sk-second-key-456"])
    for value in after:
        try:
            services.secrets.open(value)  # the old ring, without the new key
        except SecretUnreadable:
            continue
        raise AssertionError("a rotated value still opens with the old key")

    assert await _updated_at(services) == edited_before  # re-sealing is no edit

    again = await rotate_secrets(services.db, during, Base.metadata)
    assert (again.resealed, again.already_current) == (0, 2)
    assert await _stored(services) == after


async def test_a_key_saved_during_rotation_is_not_overwritten(
    client: httpx.AsyncClient, services: Services, backend: Backend
) -> None:
    """The walk read a value, then an owner saved a new key: the row keeps the new key."""
    await _save_key(client)
    (read_by_rotation,) = await _stored(services)
    owner_saved = services.secrets.seal("sk-entered-meanwhile")
    async with services.db.engine.begin() as connection:
        await connection.execute(
            text("UPDATE assistant_profiles SET engine_api_key = :v WHERE engine_api_key != ''"),
            {"v": owner_saved},
        )
        table = Base.metadata.tables["assistant_profiles"]
        (profile_id,) = (
            await connection.execute(select(table.c.id).where(table.c.engine_api_key != ""))
        ).one()
        report = RotationReport()
        await _rotate_value(
            connection,
            SecretBox([NEW, _old_key(backend)]),
            table,
            table.c.engine_api_key,
            profile_id,
            read_by_rotation,
            report,
        )
    assert (report.resealed, report.changed_meanwhile) == (0, 1)
    assert await _stored(services) == [owner_saved]


def _command(backend: Backend, keys: str, secret: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATABASE_URL=backend.url,
        FRONTDESK_DATA_DIR=str(backend.data_dir),
        FRONTDESK_SECRET_KEY=secret,
        FRONTDESK_SECRETS_KEYS=keys,
        FRONTDESK_LOG_LEVEL="warning",
    )
    return subprocess.run(
        [sys.executable, "-m", "frontdesk", "rotate-secret-key"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_the_rotate_command_run_twice_and_with_a_lost_key(
    client: httpx.AsyncClient, services: Services, backend: Backend
) -> None:
    await _save_key(client)
    secret = backend.settings().signing_secret  # what the app's derived key comes from

    first = _command(backend, NEW, secret)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "1 re-sealed" in first.stdout
    second = _command(backend, NEW, secret)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "0 re-sealed" in second.stdout and "1 already" in second.stdout
    (stored,) = await _stored(services)
    assert SecretBox([NEW]).open(stored) == API_KEY

    # The key it was sealed with taken out of the ring (and another server secret): the
    # command says which row it could not open, and never shows a key.
    other = Fernet.generate_key().decode()
    lost = _command(backend, other, "another-server-secret-" + "z" * 30)
    assert lost.returncode == 1
    assert "assistant_profiles.engine_api_key row" in lost.stdout
    for shown in (API_KEY, NEW, other, stored):
        assert shown not in lost.stdout + lost.stderr
