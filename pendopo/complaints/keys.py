"""Open311 API keys: random, shown once, stored as a SHA-256 digest, revocable.

A key looks like `p311-<prefix>-<secret>`; the prefix (8 hex characters) finds the row, the
digest of the whole key is compared in constant time. The keys are 256-bit random values, so a
plain digest is enough (a slow password hash protects guessable secrets, which these are not).
The demo key of a demo region is derived from SECRET_KEY so that `pendopo demo` can print it
again without storing it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

PREFIX = "p311"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str]:
    """(key, key_prefix) of a fresh key."""
    prefix = secrets.token_hex(4)
    return f"{PREFIX}-{prefix}-{secrets.token_urlsafe(32)}", prefix


def demo_key(region_code: str) -> tuple[str, str]:
    """The demo region's key: the same on every run of `pendopo demo` with the same SECRET_KEY."""
    raw = hmac.new(settings.SECRET_KEY.encode(), f"open311-demo:{region_code}".encode(), hashlib.sha256).hexdigest()
    prefix = raw[:8]
    return f"{PREFIX}-{prefix}-{raw[8:48]}", prefix


def split(key: str) -> str | None:
    """The prefix of a key of the right shape, else None."""
    parts = (key or "").strip().split("-", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 8 or not parts[2]:
        return None
    return parts[1]


def matches(key: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(key.strip()), stored_digest)
