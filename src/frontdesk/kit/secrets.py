"""Secrets the business gives us (LLM API keys) are stored sealed, never in the clear.

Fernet (AES-128-CBC + HMAC-SHA256) with a key derived by HKDF from the server's signing
secret under its own label, so a database dump alone reveals no key, and rotating the
signing secret makes old sealed values unreadable (the owner enters the key again) rather
than silently wrong.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class SecretUnreadable(Exception):
    """The sealed value was made with another server secret, or was tampered with."""


class SecretBox:
    def __init__(self, server_secret: str) -> None:
        key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"frontdesk", info=b"stored-secrets/v1"
        ).derive(server_secret.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SecretUnreadable("stored secret cannot be decrypted") from exc
