"""The public tracking page: conditional GET and one cached fragment per case, by Django's own tools.

Anyone holding a tracking code may open `/lacak/<code>/`; citizens reload it to see whether their
application moved, and a QR code on every receipt points at it. It shows no personal data, so its
content is the same for everyone who reads it in a language.

- `version()` is one indexed query on the case row (its `lock_version`, `last_seq` and
  `updated_at`): every step, assignment, rerouting and sweep mark writes an event, and every event
  counts itself in its case's `last_seq` (workflow/engine.py `append_event`), so it changes the
  version whatever the clocks of the machines that wrote it say.
  The view is wrapped in Django's `condition` decorator with an `ETag` and a `Last-Modified`
  from it: a browser that asks again with `If-None-Match` gets a `304` and no body.
- The case's part of the page (`applications/_tracking.html`) is kept in Django's cache under the
  code and language, stored with the version it was rendered at; a read whose version differs
  renders it again. The actions that change an application delete it in `transaction.on_commit`
  (`forget_on_commit`), so with `REDIS_URL` (one cache shared by all processes) no process keeps
  an old copy, and with the per-process memory cache the version check alone keeps every read fresh.
  What the version does not cover (the service's, agency's or region's names and contacts, and the
  pickup hours of a completed case) can lag by at most `TTL_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from pendopo.applications import selectors
from pendopo.lib import codes
from pendopo.workflow.models import CaseKind

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


# The ORM's `Case.objects.filter(code=code, kind=CaseKind.APPLICATION, region__is_active=True)
# .values_list("lock_version", "last_seq", "updated_at")`, written out: building that query costs three times
# what PostgreSQL takes to answer it, and this is the statement of every repeat read of the busiest
# public page (the QR code on every receipt; citizens reload it). docs/architecture.md, "Raw SQL".
VERSION_SQL = """
    SELECT c.lock_version, c.last_seq, c.updated_at FROM workflow_case c JOIN regions_region r ON r.id = c.region_id
    WHERE c.code = %s AND c.kind = %s AND r.is_active = %s
"""


def version(code: str) -> Version | None:
    """What the tracking page of `code` (normalised) depends on that can change, or None: no such page. One query."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL, [code, CaseKind.APPLICATION.value, True])
        row = cursor.fetchone()
    if row is None:
        return None
    lock_version, last_event, updated_at = row
    if updated_at.tzinfo is None:  # SQLite's driver gives the stored UTC time without its zone
        updated_at = updated_at.replace(tzinfo=dt.UTC)
    return Version(lock_version, last_event, updated_at)


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
