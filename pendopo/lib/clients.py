"""The client's address: the connection's own, or the one our declared proxies forwarded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest


def client_address(request: HttpRequest, *args: Any) -> str:
    """REMOTE_ADDR; behind PENDOPO_NUM_PROXIES proxies, the X-Forwarded-For entry just before theirs.

    (Signature fits django-axes' AXES_CLIENT_IP_CALLABLE, which may pass more arguments.)
    """
    address = request.META.get("REMOTE_ADDR") or ""
    proxies = int(getattr(settings, "NINJA_NUM_PROXIES", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-min(proxies, len(hops))]
    return address or "unknown"
