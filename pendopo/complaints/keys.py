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
import re
import secrets

from django.conf import settings

from pendopo.lib.codes import ALPHABET, check_symbol

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


# --- a complaint's secret key ----------------------------------------------------------------------
# Read aloud, written on paper, typed on a phone: Crockford base32 (no I, L, O, U), 15 random
# symbols (75 bits) and a check symbol, in groups of four: `7K3M-9QX2-AB4D-EF5G`. Typed back in
# any case, with or without hyphens; I and L are read as 1, O as 0.

SECRET_SYMBOLS = 16
_CROCKFORD = str.maketrans({"I": "1", "L": "1", "O": "0"})


class SecretTypo(ValueError):
    """The typed key has the shape of a secret key but its check symbol does not match."""


def new_secret() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(SECRET_SYMBOLS - 1))
    while check_symbol(body) not in ALPHABET:  # keep the check symbol readable (no *~$=U)
        body = "".join(secrets.choice(ALPHABET) for _ in range(SECRET_SYMBOLS - 1))
    symbols = body + check_symbol(body)
    return "-".join(symbols[i : i + 4] for i in range(0, SECRET_SYMBOLS, 4))


def normalise_secret(typed: str) -> str:
    """The canonical form of a typed secret key; raises SecretTypo when its check symbol is wrong.

    Anything that is not shaped like a secret key (a key of before this form) is returned stripped.
    """
    cleaned = re.sub(r"[\s\-_.]", "", (typed or "").upper()).translate(_CROCKFORD)
    if len(cleaned) != SECRET_SYMBOLS or any(char not in ALPHABET for char in cleaned):
        return (typed or "").strip()
    if check_symbol(cleaned[:-1]) != cleaned[-1]:
        raise SecretTypo
    return "-".join(cleaned[i : i + 4] for i in range(0, SECRET_SYMBOLS, 4))


def secret_digest(secret: str) -> str:
    return digest(normalise_secret(secret))


def secret_matches(typed: str, stored_digest: str) -> bool:
    try:
        return hmac.compare_digest(secret_digest(typed), stored_digest)
    except SecretTypo:
        return False
