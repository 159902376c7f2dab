"""The client's address: the connection's own, or the one our declared proxies forwarded."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest


def client_address(request: HttpRequest, *args: Any) -> str | None:
    """REMOTE_ADDR; behind PENDOPO_NUM_PROXIES proxies, the X-Forwarded-For entry just before theirs.

    None when there is no valid address (a request made in-process): django-axes stores the address
    in an IP address column, which refuses anything else on PostgreSQL. (Signature fits axes'
    AXES_CLIENT_IP_CALLABLE, which may pass more arguments.)
    """
    address = request.META.get("REMOTE_ADDR") or ""
    proxies = int(getattr(settings, "NINJA_NUM_PROXIES", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
