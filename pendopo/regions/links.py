"""Absolute links for what leaves the browser: emails, text messages, receipts, QR posters.

The site's public address is the setting PENDOPO_BASE_URL (e.g. https://layanan.banyuwangikab.go.id);
inside a request, the request's own address can be used instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest


def base_url() -> str:
    return str(settings.PENDOPO_BASE_URL).rstrip("/")


def absolute(path: str, request: HttpRequest | None = None) -> str:
    """`path` on the request's address when there is one, else on the site's public address."""
    if request is not None:
        return request.build_absolute_uri(path)
    return base_url() + path
