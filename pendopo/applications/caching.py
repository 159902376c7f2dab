"""The public tracking page, cached under the version of its application.

Anyone holding a tracking code may open `/lacak/<code>/`; citizens reload it to see whether their
application moved, and a QR code on every receipt points at it, so it is the busiest page of the
app. It shows no personal data, so its content is the same for everyone who reads it in a language.

Every request still asks the database one question (`selectors.tracking_version`: the case's
version, last update, overdue flag, escalation level and last event), and the cache key holds the
answer. A step taken a moment ago changes the answer, so the next read misses the cache and shows
the step, on every server process, whatever the cache backend (local memory per process by
default, or Redis shared by all when `REDIS_URL` is set). What the version does not cover — the
service's, agency's or region's names and contacts — can lag by at most `TTL_SECONDS`.

Two entries per code, version and language:

- the `Tracking` data (no queries on a hit), for any visitor;
- the whole page for a visitor without a session or pending messages (the page then depends on
  nothing of theirs but the CSRF token of the language switch): it is stored with a placeholder
  where the token goes, and each response gets the visitor's own token in its place.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from pendopo.applications import selectors

if TYPE_CHECKING:
    from django.http import HttpRequest

TTL_SECONDS = 300
TEMPLATE = "applications/track.html"
# Stands in the stored page where each visitor's CSRF token goes (base.html's language switch and
# htmx header). Letters and digits only, so that escaping leaves it alone.
CSRF_PLACEHOLDER = "pendopoCsrfTokenPlaceholder7f3c9a1e5b"


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
        context = {"tracking": found, "region": found.region, "csrf_token": CSRF_PLACEHOLDER}
        page = render_to_string(TEMPLATE, context, request)
        cache.set(key, page, TTL_SECONDS)
    # get_token also makes CsrfViewMiddleware set the cookie that goes with the token.
    return HttpResponse(page.replace(CSRF_PLACEHOLDER, get_token(request)))
