"""Encryption of channel credentials at rest (tokens, secret iCal URLs).

`ENCRYPTION_KEY` holds one or more Fernet keys, comma separated, newest
first: new values are encrypted with the first key, values written with an
older key still decrypt, and `reencrypt` moves them to the newest key
(key rotation). Plain values never leave this module except to adapters.
"""
from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from app.core.errors import ServiceUnavailable


class CredentialsUnreadable(Exception):
    """A stored value does not decrypt with any configured key."""


def _fernet() -> MultiFernet:
    keys = [k.strip() for k in current_app.config.get("ENCRYPTION_KEY", "").split(",") if k.strip()]
    if not keys:
        raise ServiceUnavailable("encryption_unavailable",
                                 "ENCRYPTION_KEY is not configured; channel credentials cannot be stored.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str | None) -> str | None:
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise CredentialsUnreadable("stored credential does not decrypt with ENCRYPTION_KEY") from None


def reencrypt(token: str | None) -> str | None:
    """The same value encrypted with the newest key (for key rotation)."""
    return _fernet().rotate(token.encode()).decode() if token else token
