"""Heavy reads from a streaming replica; every write, and the writer's next pages, on the primary.

Set `DATABASE_REPLICA_URL` (a hot standby made with `pg_basebackup -R`, docs/scaling.md) and the
views marked `@replica_reads` — the reports, dashboards, comparisons and public lists, whose
queries scan the most rows — read from it; everything else reads from the primary, and every write
goes to the primary (a standby refuses writes, so a mistake fails loudly instead of going
astray).

Read your own writes: a replica replays the primary's WAL a little behind it. After a request
that may have written (any method but GET, HEAD, OPTIONS), the response carries the cookie
`pendopo_primary` for `DATABASE_REPLICA_PIN_SECONDS` (default 15 s, far longer than the lag of a
healthy standby), and while a browser holds it, its heavy pages read from the primary too: the
officer who verified a complaint sees it in the public list on the next page, whatever the lag.
Other visitors see it as soon as the replica has replayed the write.

Sessions, the user row, login attempts and the rate-limit cache are always read on the primary: a
user who has just logged in, been switched off or used up a limit must be seen so at once.

Without `DATABASE_REPLICA_URL` the router is not installed and the decorator does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

REPLICA = "replica"
PIN_COOKIE = "pendopo_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Read on the primary even inside a heavy page: what must be current the moment it changes.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "django_cache"})

_on_replica: ContextVar[bool] = ContextVar("pendopo_on_replica", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def reading_from_replica() -> bool:
    """Whether this request's reads go to the replica now (for tests and the health page)."""
    return _on_replica.get()


class ReplicaRouter:
    """Django's database router: the replica for reads inside `@replica_reads`, else the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if _on_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS and model._meta.label != settings.AUTH_USER_MODEL:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: relations across the two are the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by replication


def pinned(request: HttpRequest) -> bool:
    """Whether this browser wrote a moment ago and must read its own writes from the primary."""
    return bool(request.COOKIES.get(PIN_COOKIE))


def replica_reads(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Mark a read-only page whose queries may run on the replica (GET and HEAD only)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not configured() or request.method not in ("GET", "HEAD") or pinned(request):
            return view(request, *args, **kwargs)
        token = _on_replica.set(True)
        try:
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if render is not None and not getattr(response, "is_rendered", True):
                render()  # a TemplateResponse's queries run while rendering: on the replica too
            return response
        finally:
            _on_replica.reset(token)

    return wrapper


class ReadYourWritesMiddleware:
    """After a request that may have written, pin the browser's heavy pages to the primary for a while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
