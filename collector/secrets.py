"""Secrets as a type, and their encryption at rest.

A :class:`Secret`'s ``str`` and ``repr`` are ``********``; only :meth:`Secret.reveal` gives the
value, and only the HTTP authorisation header builder calls it. Tokens are stored in Redis
encrypted with Fernet under a key from ``COLLECTOR_SECRET_KEY`` or, for the embedded default, a
key file created once under the collector's home directory.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

MASK = "********"
KEY_FILE = "secret.key"


class Secret:
    """A value that never prints itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class SecretBox:
    """Encrypts and decrypts secrets for storage."""

    def __init__(self, key: str) -> None:
        digest = hashlib.sha256(key.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    @classmethod
    def from_settings(cls, secret_key: str | None, home: Path) -> SecretBox:
        return cls(secret_key if secret_key else _local_key(home))

    def seal(self, secret: Secret) -> str:
        return self._fernet.encrypt(secret.reveal().encode()).decode()

    def open(self, sealed: str) -> Secret:
        try:
            return Secret(self._fernet.decrypt(sealed.encode()).decode())
        except InvalidToken:
            raise ValueError(
                "a stored secret cannot be decrypted: COLLECTOR_SECRET_KEY differs from the key "
                "it was stored with"
            ) from None


def _local_key(home: Path) -> str:
    """The embedded default's key: made once, readable by the owner only."""
    path = home / KEY_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    home.mkdir(parents=True, exist_ok=True)
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:
        out.write(key)
    return key
