"""Personal data at rest: the NIK and phone numbers (UU 27/2022). Wraps pendopo.lib.crypto with the project's key."""

from __future__ import annotations

import re

from django.conf import settings

from pendopo.lib import crypto


def lookup_hash(value: str) -> str:
    return crypto.keyed_hash(settings.PENDOPO_DATA_KEY, normalise(value))


def protect(value: str) -> tuple[str, str]:
    """(encrypted, keyed hash) of a personal identifier."""
    return crypto.encrypt(settings.PENDOPO_DATA_KEY, normalise(value)), lookup_hash(value)


def reveal(encrypted: str) -> str:
    return crypto.decrypt(settings.PENDOPO_DATA_KEY, encrypted) if encrypted else ""


def normalise(value: str) -> str:
    digits = re.sub(r"[\s\-.()]", "", value)
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    return digits


mask = crypto.mask
