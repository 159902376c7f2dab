"""Wrong passwords and wrong codes are limited by account and by address (django-axes).

django-axes (its backend first in AUTHENTICATION_BACKENDS) counts every failed `authenticate()`
at /masuk/ and /admin/login/; after AXES_FAILURE_LIMIT failures the account (whatever the
address) and the address (whatever the account) are locked for AXES_COOLOFF_TIME, and the
page says so in the visitor's language with the time the lock ends (HTTP 429).

The login by one-time code does not go through a password backend, so its page asks here
whether the account or address is locked and reports a wrong code as a failed login: the same
counter holds for both ways in.

What axes stores is kept small: the account's username when the typed identifier names one,
else a keyed digest of what was typed (a phone number or email someone typed is personal data
and is never stored in clear).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import TYPE_CHECKING, Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Q
from django.shortcuts import render
from django.utils import formats, timezone

from pendopo.lib import dates

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' backend (first in AUTHENTICATION_BACKENDS); a check without a request passes on.

    Every login over HTTP has a request. Code that authenticates without one (the test client's
    `login()`, a management command) is not a visitor guessing passwords: axes would refuse it
    with an exception, so it is left to the next backend.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the account's username, or a digest of an identifier that names none."""
    from pendopo.regions.forms import username_for_login
    from pendopo.regions.models import User

    typed = str((credentials or {}).get("username") or request.POST.get("username") or "").strip()
    if not typed:
        return ""
    name = username_for_login(typed)
    if User.objects.filter(username=name).exists():
        return name
    key = settings.SECRET_KEY.encode()
    return "?" + hmac.new(key, typed.lower().encode(), hashlib.sha256).hexdigest()[:24]


def unlock_time(request: HttpRequest, credentials: dict[str, Any] | None) -> dt.datetime | None:
    """When the lock on this account or address ends (the latest failure plus the cool-off)."""
    cool_off = get_cool_off(request)
    if not cool_off:
        return None
    name = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None)
    who = Q(ip_address=address) if address else Q(pk__in=[])
    if name:
        who |= Q(username=name)
    latest = AccessAttempt.objects.filter(who).aggregate(latest=Max("attempt_time"))["latest"]
    return (latest or dates.now()) + cool_off


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page saying the login is locked, and until when (429)."""
    until = unlock_time(request, credentials)
    local = timezone.localtime(until) if until else None
    context = {
        # With its zone (WIB, WITA, WIT), as every time the platform shows.
        "until": f"{formats.date_format(local, 'DATETIME_FORMAT')} {local.tzname()}" if local else "",
        "until_iso": local.isoformat() if local else "",
    }
    return render(request, "lockout.html", context, status=429)


def credentials_of_challenge(token: str) -> dict[str, str]:
    """The credentials a code login counts under: the username of the account the code was sent to."""
    from pendopo.accounts.actions import username_of_challenge

    return {"username": username_of_challenge(token)}


def is_locked(request: HttpRequest, credentials: dict[str, Any]) -> bool:
    AxesProxyHandler.update_request(request)
    return bool(getattr(settings, "AXES_ENABLED", True)) and not AxesProxyHandler.is_allowed(request, credentials)


def code_failed(request: HttpRequest, credentials: dict[str, Any]) -> None:
    """Count a wrong one-time code as a failed login of its account and address."""
    AxesProxyHandler.update_request(request)
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
