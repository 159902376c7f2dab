"""The public tracking page: conditional GET and one cached fragment per case, by Django's own tools.

Anyone holding a tracking code may open `/lacak/<code>/`; citizens reload it to see whether their
application moved, and a QR code on every receipt points at it. It shows no personal data, so its
content is the same for everyone who reads it in a language.

- `version()` is one indexed query on the case (its `lock_version`, last update and last event):
  every step, assignment, rerouting and sweep mark writes an event, so it changes the version.
  The view is wrapped in Django's `condition` decorator with an `ETag` and a `Last-Modified`
  from it: a browser that asks again with `If-None-Match` gets a `304` and no body.
- The case's part of the page (`applications/_tracking.html`) is kept in Django's cache under the
  code and language, stored with the version it was rendered at; a read whose version differs
  renders it again. The actions that change an application delete it in `transaction.on_commit`
  (`forget_on_commit`), so with `REDIS_URL` (one cache shared by all processes) no process keeps
  an old copy, and with the per-process memory cache the version check alone keeps every read fresh.
  What the version does not cover (the service's, agency's or region's names and contacts) can lag
  by at most `TTL_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from pendopo.applications import selectors
from pendopo.lib import codes
from pendopo.workflow.models import Case, CaseKind

if TYPE_CHECKING:
    from django.http import HttpRequest

    from pendopo.regions.models import Region

TTL_SECONDS = 300
FRAGMENT = "applications/_tracking.html"


@dataclass(frozen=True)
class Version:
    lock_version: int
    last_event: int
    modified: dt.datetime

    def __str__(self) -> str:
        return f"{self.lock_version}.{self.last_event}.{self.modified.timestamp():.6f}"


def version(code: str) -> Version | None:
    """What the tracking page of `code` (normalised) depends on that can change, or None: no such page. One query."""
    row = (
        Case.objects.filter(code=code, kind=CaseKind.APPLICATION, region__is_active=True)
        .annotate(last_seq=Max("events__seq"), last_at=Max("events__at"))
        .values_list("lock_version", "updated_at", "last_seq", "last_at")
        .first()
    )
    if row is None:
        return None
    lock_version, updated_at, last_seq, last_at = row
    return Version(lock_version, last_seq or 0, max(updated_at, last_at or updated_at))


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def request_version(request: HttpRequest, code: str) -> Version | None:
    """`version(code)` once per request: the ETag, the Last-Modified date and the page all need it."""
    known: dict[str, Version | None] = request.__dict__.setdefault("_tracking_versions", {})
    if code not in known:
        try:
            normal = codes.normalise(code)
        except codes.CodeError:
            normal = ""
        # A code typed differently is redirected to its normal form by the view: no ETag for it.
        known[code] = version(code) if normal == code else None
    return known[code]


def etag(request: HttpRequest, code: str) -> str | None:
    found = request_version(request, code)
    return None if found is None else f"{code}.{_language()}.{found}"


def last_modified(request: HttpRequest, code: str) -> dt.datetime | None:
    found = request_version(request, code)
    return None if found is None else found.modified


def _key(code: str, language: str) -> str:
    return f"applications:tracking:{code}:{language}"


def fragment(code: str, current: Version) -> tuple[SafeString, Region]:
    """The case's part of the tracking page in the active language, and its region (for the page around it)."""
    key = _key(code, _language())
    found = cache.get(key)
    if found is not None and found[0] == str(current):
        return mark_safe(found[1]), found[2]
    tracking = selectors.tracking(code)
    if tracking is None:
        raise Http404
    html = render_to_string(FRAGMENT, {"tracking": tracking, "region": tracking.region})
    cache.set(key, (str(current), str(html), tracking.region), TTL_SECONDS)
    return html, tracking.region


def forget(code: str) -> None:
    cache.delete_many([_key(code, language) for language, _name in settings.LANGUAGES])


def forget_on_commit(code: str) -> None:
    """Drop the cached fragment of `code` once the transaction that changes the case commits."""
    transaction.on_commit(lambda: forget(code))
