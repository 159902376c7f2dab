"""The request type of views that read `request.htmx` (set by django-htmx's middleware on every request).

Annotating such a view's request as `HtmxHttpRequest` lets mypy check `request.htmx` (django-htmx's
documented way; the middleware is in settings.MIDDLEWARE, so the attribute is always there).
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
