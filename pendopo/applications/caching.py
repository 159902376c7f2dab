"""The public tracking page, cached under the version of its application.

Anyone holding a tracking code may open `/lacak/<code>/`; citizens reload it to see whether their
application moved, and a QR code on every receipt points at it, so it is the busiest page of the
app. It shows no personal data, so its content is the same for everyone who reads it in a language.

The cache key holds the answer to one question (`selectors.tracking_version`: the case's version,
last update, overdue flag, escalation level, assignee and place), so a step taken a moment ago
changes the key and the next read misses the cache and shows the step, whatever the cache
backend (local memory per process by default, or Redis shared by all when `REDIS_URL` is set).
The question itself is answered from the process's memory while PostgreSQL has announced no
change of the case since it was last asked (`current_version`, pendopo.workflow.changes), and
from the database otherwise (always on SQLite, or with the listener off or down). What the version
does not cover — the service's, agency's or region's names and contacts — can lag by at most
`TTL_SECONDS`.

Two entries per code, version and language:

- the `Tracking` data (no queries on a hit), for any visitor;
- the whole page, as the bytes sent, for a visitor without a session or pending messages: the page
  then depends on nothing of theirs. It carries no CSRF token (the language switch, the only form
  on it, is exempt: see `pendopo/urls.py`), so a hit costs one query and one cache read, and sets
  no cookie, so a reverse proxy could keep the page too.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from pendopo.applications import selectors
from pendopo.workflow import changes

if TYPE_CHECKING:
    from django.http import HttpRequest

TTL_SECONDS = 300
TEMPLATE = "applications/track.html"


def current_version(code: str) -> str | None:
    """`selectors.tracking_version(code)`, without a query while the case is known unchanged."""
    known = changes.recall(code)
    if known is not None:
        return known
    token = changes.token()
    version = selectors.tracking_version(code)
    if version is not None:
        changes.remember(code, version, token)
    return version


def _key(kind: str, code: str, version: str, language: str) -> str:
    digest = hashlib.blake2b(version.encode(), digest_size=12).hexdigest()
    return f"applications:tracking:{kind}:{code}:{language}:{digest}"


def tracking_data(code: str, version: str) -> selectors.Tracking:
    """The public view of the application, from the cache when its version has not changed."""
    key = _key("data", code, version, get_language() or settings.LANGUAGE_CODE)
    found = cache.get(key)
    if found is None:
        found = selectors.tracking(code)
        if found is None:
            raise Http404
        cache.set(key, found, TTL_SECONDS)
    return found


def is_shared_page(request: HttpRequest) -> bool:
    """Would this visitor get the same page as any other? No session, no pending messages, no query."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies and not request.GET


def tracking_page(request: HttpRequest, code: str, version: str) -> HttpResponse:
    """The tracking page of `code` (normalised, with its current `version` from selectors.tracking_version)."""
    if not is_shared_page(request):
        found = tracking_data(code, version)
        return render(request, TEMPLATE, {"tracking": found, "region": found.region})
    key = _key("page", code, version, get_language() or settings.LANGUAGE_CODE)
    page = cache.get(key)
    if page is None:
        found = tracking_data(code, version)
        # An empty token: base.html then leaves out the htmx CSRF header, and nothing asks
        # CsrfViewMiddleware for a token, so the response sets no cookie.
        context = {"tracking": found, "region": found.region, "csrf_token": ""}
        page = render_to_string(TEMPLATE, context, request).encode()
        cache.set(key, page, TTL_SECONDS)
    return HttpResponse(page)
