"""Per-device limits on survey submissions (web form and API), so one device cannot flood an index.

A fixed window per client address in Django's cache. Rates are settings so that a kiosk
network (many respondents behind one address) can be given more room.

The client address is the connection's own (REMOTE_ADDR). `X-Forwarded-For` is believed only
for the number of proxies the deployment declares in `NINJA_NUM_PROXIES` (nginx in front: 1):
anyone can send that header, so trusting it by default would let a script choose a new
"address" for every submission. IPv6 clients are counted per /64 network, the block one
household or phone usually holds.
"""

from __future__ import annotations

import ipaddress
import secrets
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from pendopo.lib import dates

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DEFAULT_RATES = {"form": "30/h", "kiosk": "600/h", "api": "30/h"}


def rate(scope: str) -> tuple[int, int]:
    text = getattr(settings, "PENDOPO_SURVEY_RATES", {}).get(scope, DEFAULT_RATES[scope])
    count, unit = text.split("/")
    return int(count), PERIODS[unit[0]]


def client(request: HttpRequest) -> str:
    from ninja.conf import settings as ninja_settings

    address = request.META.get("REMOTE_ADDR") or ""
    proxies = ninja_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            # The last `proxies` entries were added by our own proxies; the one before them is the client.
            address = hops[-min(proxies, len(hops))]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


DEVICE_COOKIE = "skm_perangkat"


def device(request: HttpRequest) -> str:
    """What identifies the answering device: its survey cookie (set by the questionnaire's page)
    and its client address. Kept only as a keyed hash (models.device_key)."""
    return f"{request.COOKIES.get(DEVICE_COOKIE, '')[:64]}|{client(request)}"


def mark_device(request: HttpRequest, response: Any) -> Any:
    """Give the device its survey cookie if it has none (a year; no personal data in it)."""
    if DEVICE_COOKIE not in request.COOKIES:
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            max_age=365 * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def allow(request: HttpRequest, scope: str) -> bool:
    """Count one submission of `scope` from this client address and from this device's survey
    cookie; False once either has used the window's allowance."""
    limit, seconds = rate(scope)
    window = int(dates.now().timestamp()) // seconds
    keys = [f"pendopo:skm:{scope}:{client(request)}:{window}"]
    cookie = request.COOKIES.get(DEVICE_COOKIE, "")[:64]
    if cookie:
        keys.append(f"pendopo:skm:{scope}:device:{cookie}:{window}")
    used = [_count(key, seconds) for key in keys]  # count both, even when the first is over
    return max(used) <= limit


def _count(key: str, seconds: int) -> int:
    cache = caches["limits"]  # shared by every process (pendopo/settings.py CACHES)
    cache.add(key, 0, timeout=seconds + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 5)
        return 1


class SubmitThrottle(BaseThrottle):
    """The API's submission endpoint: the same per-address window as the web form."""

    def allow_request(self, request: HttpRequest) -> bool:
        return allow(request, "api")

    def wait(self) -> float | None:
        return float(rate("api")[1])
