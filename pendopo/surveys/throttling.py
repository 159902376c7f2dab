"""Per-device limits on survey submissions (web form and API), so one device cannot flood an index.

A fixed window per client address in Django's cache. Rates are settings so that a kiosk
network (many respondents behind one address) can be given more room.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
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
    return BaseThrottle().get_ident(request) or "unknown"


def allow(request: HttpRequest, scope: str) -> bool:
    """Count one submission of `scope` from this client; False once the window's allowance is used."""
    limit, seconds = rate(scope)
    window = int(dates.now().timestamp()) // seconds
    key = f"pendopo:skm:{scope}:{client(request)}:{window}"
    cache.add(key, 0, timeout=seconds + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 5)
        used = 1
    return used <= limit


class SubmitThrottle(BaseThrottle):
    """The API's submission endpoint: the same per-address window as the web form."""

    def allow_request(self, request: HttpRequest) -> bool:
        return allow(request, "api")

    def wait(self) -> float | None:
        return float(rate("api")[1])
