"""Protection of personal data at rest (UU 27/2022): keyed hash for look-up, encryption for display.

A NIK or phone number is stored twice: as an HMAC-SHA256 digest (to find a record by NIK
without storing the NIK) and encrypted with Fernet (AES-128-CBC + HMAC) for the officers
allowed to read it. A database dump reveals neither.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken


def _derive(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode(), purpose, hashlib.sha256).digest()


def keyed_hash(secret: str, value: str) -> str:
    key = _derive(secret, b"pendopo.lookup")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=8)  # building the cipher derives keys; pages decrypt many values
def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(secret, b"pendopo.encrypt")))


def encrypt(secret: str, value: str) -> str:
    return _fernet(secret).encrypt(value.encode()).decode()


def decrypt(secret: str, token: str) -> str:
    try:
        return _fernet(secret).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("The stored value cannot be decrypted with this key.") from None


def mask(value: str, keep: int = 4) -> str:
    """`3510********0001` style: show the first and last `keep` characters at most."""
    if len(value) <= keep * 2:
        return "*" * len(value)
    return value[:keep] + "*" * (len(value) - keep * 2) + value[-keep:]
