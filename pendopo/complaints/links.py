"""Absolute links for emails (they leave the browser, so a path is not enough).

Uses the setting PENDOPO_BASE_URL like pendopo.applications.links (the two could move to
pendopo/lib together).
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    return str(getattr(settings, "PENDOPO_BASE_URL", "") or DEFAULT_BASE_URL).rstrip("/")


def absolute(path: str) -> str:
    return base_url() + path
