"""Stored secrets are sealed under a ring of keys: sealed with the newest, opened with any,
re-sealed by rotation; plaintext is never taken for a sealed value, nor written as one."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.dialects import postgresql, sqlite

from frontdesk.assistant.models import AssistantProfile
from frontdesk.assistant.providers import ProviderConfig
from frontdesk.kit.secrets import (
    SEALED_PREFIX,
    SealedText,
    SecretBox,
    SecretUnreadable,
    derived_key,
)
from frontdesk.settings import Settings

SERVER_SECRET = "server-secret-" + "s" * 40
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_a_sealed_value_is_marked_and_holds_no_plaintext() -> None:
    box = SecretBox([OLD])
    sealed = box.seal("sk-live-123")
    assert sealed.startswith(SEALED_PREFIX)
    assert "sk-live-123" not in sealed
    assert box.open(sealed) == "sk-live-123"
    assert box.seal("sk-live-123") != sealed  # a fresh IV each time: equal keys look different


def test_a_new_key_in_front_keeps_old_values_readable_and_rotation_moves_them() -> None:
    sealed_with_old = SecretBox([OLD]).seal("sk-live-123")
    during = SecretBox([NEW, OLD])
    assert during.open(sealed_with_old) == "sk-live-123"
    assert not during.is_current(sealed_with_old)

    resealed = during.reseal(sealed_with_old)
    assert during.is_current(resealed)
    assert SecretBox([NEW]).open(resealed) == "sk-live-123"
    with pytest.raises(SecretUnreadable):
        SecretBox([OLD]).open(resealed)
    # New values are sealed with the newest key only.
    assert SecretBox([NEW]).open(during.seal("sk-other")) == "sk-other"


def test_without_configured_keys_one_key_is_derived_from_the_server_secret() -> None:
    default = SecretBox.for_settings(Settings(secret_key=SERVER_SECRET))
    sealed = default.seal("sk-live-123")
    assert SecretBox([derived_key(SERVER_SECRET)]).open(sealed) == "sk-live-123"
    # Configuring keys later keeps what the derived key sealed readable, until rotated.
    configured = SecretBox.for_settings(Settings(secret_key=SERVER_SECRET, secrets_keys=NEW))
    assert configured.open(sealed) == "sk-live-123"
    assert SecretBox([NEW]).open(configured.seal("sk-new")) == "sk-new"


def test_a_bare_token_from_before_the_prefix_is_read_but_plaintext_never_is() -> None:
    legacy = Fernet(derived_key(SERVER_SECRET)).encrypt(b"sk-legacy").decode()
    box = SecretBox([derived_key(SERVER_SECRET)])
    assert box.open(legacy) == "sk-legacy"
    assert not box.is_current(legacy)  # rotation gives it the prefix
    assert box.reseal(legacy).startswith(SEALED_PREFIX)
    for plaintext in ("sk-live-123", "gAAAAABlooks-like-a-token", SEALED_PREFIX[:-1] + "x"):
        with pytest.raises(SecretUnreadable):
            box.open(plaintext)


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()])
def test_a_secret_column_refuses_plaintext(dialect: object) -> None:
    column_type = SealedText()
    with pytest.raises(ValueError, match="not sealed"):
        column_type.process_bind_param("sk-live-123", dialect)  # type: ignore[arg-type]
    sealed = SecretBox([OLD]).seal("sk-live-123")
    assert column_type.process_bind_param(sealed, dialect) == sealed  # type: ignore[arg-type]
    assert column_type.process_bind_param("", dialect) == ""  # type: ignore[arg-type]
    # The model's secret column is one: plaintext cannot reach the database through it.
    assert isinstance(AssistantProfile.__table__.c.engine_api_key.type, SealedText)


def test_a_bad_configured_key_is_refused_without_echoing_it() -> None:
    settings = Settings(secret_key=SERVER_SECRET, secrets_keys=f"{NEW},not-a-key-but-secret")
    with pytest.raises(ValueError) as refused:
        SecretBox.for_settings(settings)
    assert "key 2" in str(refused.value)
    assert "not-a-key-but-secret" not in str(refused.value)
    assert NEW not in str(refused.value)
    assert "not-a-key-but-secret" not in repr(settings)


def test_the_key_is_not_in_what_gets_printed() -> None:
    config = ProviderConfig(provider="openai", model="m", api_key="sk-live-123")
    assert "sk-live-123" not in repr(config)
    assert "sk-live-123" not in str(config)
    assert OLD not in repr(SecretBox([OLD]))
