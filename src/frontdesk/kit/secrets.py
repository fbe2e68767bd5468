"""Secrets the business gives us (LLM API keys; any column typed :class:`SealedText`) are
stored sealed, never in the clear, under keys that can be rotated.

A sealed value is ``sealed:v1:`` followed by a Fernet token (AES-128-CBC + HMAC-SHA256).
The prefix is what tells ciphertext from plaintext: nothing is ever guessed from its looks,
except the bare Fernet tokens written before the prefix existed (see :func:`_is_bare_token`),
which migration 0007 labels.

Keys: ``FRONTDESK_SECRETS_KEYS``, Fernet keys separated by commas, newest first. Values are
sealed with the first key and opened with any of them (MultiFernet), so a new key can be put
in front while values sealed with older ones stay readable; ``frontdesk rotate-secret-key``
then re-seals every value with the newest key (kit/secret_rotation.py). Without the
setting, the one key is derived (HKDF) from the signing secret, so a default install needs
no configuration. The derived key always stays last in the ring, so values sealed before
keys were configured stay readable until they are rotated.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from frontdesk.settings import Settings

SEALED_PREFIX = "sealed:v1:"
_FERNET_VERSION = 0x80
_FERNET_OVERHEAD = 1 + 8 + 16 + 32  # version, timestamp, IV, HMAC around the AES blocks


class SecretUnreadable(Exception):
    """No key of the ring opens the value (its key was removed), or it was tampered with."""


def derived_key(server_secret: str) -> str:
    """The Fernet key a default install uses: from the signing secret, under its own label
    (the same derivation as before keys were configurable, so older values stay readable)."""
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"frontdesk", info=b"stored-secrets/v1"
    ).derive(server_secret.encode())
    return base64.urlsafe_b64encode(key).decode()


def parse_keys(value: str) -> list[str]:
    """``FRONTDESK_SECRETS_KEYS`` as a list, newest first; raises ValueError naming the
    position of a bad key (never the key)."""
    keys = [part.strip() for part in value.split(",") if part.strip()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, binascii.Error):
            raise ValueError(
                f"FRONTDESK_SECRETS_KEYS: key {position} is not a Fernet key (32 bytes in "
                "url-safe base64; docs/security.md says how to make one)"
            ) from None
    return keys


def _is_bare_token(value: str) -> bool:
    """A Fernet token without our prefix (sealed before the prefix existed): its structure,
    not its looks, decides. An API key or a calendar token never has this structure."""
    try:
        raw = base64.b64decode(value.encode("ascii"), altchars=b"-_", validate=True)
    except (ValueError, binascii.Error):
        return False
    blocks = len(raw) - _FERNET_OVERHEAD
    return raw[:1] == bytes([_FERNET_VERSION]) and blocks >= 16 and blocks % 16 == 0


def is_sealed(value: str) -> bool:
    return value.startswith(SEALED_PREFIX) or _is_bare_token(value)


class SecretBox:
    """Seals with the newest key, opens with any key of the ring."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("a SecretBox needs at least one key")
        self._newest = Fernet(keys[0])
        self._ring = MultiFernet([Fernet(key) for key in keys])

    @classmethod
    def for_settings(cls, settings: Settings) -> SecretBox:
        derived = derived_key(settings.signing_secret)
        configured = parse_keys(settings.secrets_keys)
        return cls([*configured, *([derived] if derived not in configured else [])])

    def __repr__(self) -> str:
        return "SecretBox(<keys hidden>)"

    def seal(self, plaintext: str) -> str:
        return SEALED_PREFIX + self._ring.encrypt(plaintext.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._ring.decrypt(_token(sealed)).decode()
        except InvalidToken as exc:
            raise SecretUnreadable("stored secret cannot be decrypted") from exc

    def is_current(self, sealed: str) -> bool:
        """Sealed, in the current format, with the newest key: nothing for rotation to do."""
        if not sealed.startswith(SEALED_PREFIX):
            return False
        try:
            self._newest.decrypt(_token(sealed))
        except InvalidToken:
            return False
        return True

    def reseal(self, sealed: str) -> str:
        """The same secret sealed with the newest key (raises SecretUnreadable)."""
        try:
            return SEALED_PREFIX + self._ring.rotate(_token(sealed)).decode()
        except InvalidToken as exc:
            raise SecretUnreadable("stored secret cannot be decrypted") from exc


def _token(sealed: str) -> bytes:
    if sealed.startswith(SEALED_PREFIX):
        return sealed[len(SEALED_PREFIX) :].encode()
    if _is_bare_token(sealed):
        return sealed.encode()
    # Plaintext is never "opened": it would be sent to a provider as if it were the key.
    raise SecretUnreadable("stored secret is not sealed")


class SealedText(TypeDecorator[str]):
    """A column holding a sealed secret ("" for none). It refuses to write anything that is
    not sealed, so a plaintext secret cannot reach the database by mistake; and it is how
    ``frontdesk rotate-secret-key`` finds every secret column. Sealing and opening stay with
    the caller, which holds the application's SecretBox (the keys are settings, not
    globals), and decides what an unreadable secret means (e.g. the local engine)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value and not is_sealed(value):
            raise ValueError("refusing to store a secret that is not sealed (kit/secrets.py)")
        return value
