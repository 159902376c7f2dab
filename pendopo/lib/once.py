"""Idempotency tokens of create forms: a double click or a resent form creates one record.

A create form carries a random token in a hidden field, made when the form is first shown and
kept when it comes back with errors. The record it creates keeps the token under a unique
constraint, so a second POST with the same token finds the first record instead of writing
another one (and a concurrent second POST waits on the unique index, then finds it).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any

FIELD = "idempotency_token"
_VALID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def posted(data: Mapping[str, Any] | None) -> str:
    """The form's token as posted, or "" when it is missing or malformed (then nothing is deduplicated)."""
    value = (data or {}).get(FIELD) or ""
    return value if isinstance(value, str) and _VALID.match(value) else ""


def for_form(data: Mapping[str, Any] | None) -> str:
    """The token the form shows: the posted one (the form shown again keeps it), else a new one."""
    return posted(data) or new_token()
