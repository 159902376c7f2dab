"""Hostile input stopped at the door: a NUL byte is a 400, control characters never reach a form.

Every query string and form body (multipart fields included, file contents not) passes through
`pendopo.lib.text`: a NUL byte anywhere in the path, a parameter's name or value is refused with
a 400 in the shape the caller expects (the API's JSON error body, Open311's error document, or a
page); other control characters are removed from the values before any form, view or API schema
sees them, so they are never stored and never echoed back in an error message. JSON bodies are
cleaned the same way by the API's parser (`pendopo.lib.apierrors.CleanParser`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.http import HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from pendopo.lib.text import CONTROL_CHARACTERS, HostileInput, clean_input, nul_refused, unreadable_body

logger = logging.getLogger("pendopo.api")

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.request import _ImmutableQueryDict


def _cleaned(data: QueryDict) -> _ImmutableQueryDict | None:
    """A copy of `data` with clean names and values, or None when it is clean already (the usual case)."""
    search = CONTROL_CHARACTERS.search
    if not any(search(key) or any(search(value) for value in values) for key, values in data.lists()):
        return None
    copy = QueryDict(mutable=True)
    for key, values in data.lists():
        copy.setlist(clean_input(key), [clean_input(value) for value in values])
    copy._mutable = False
    return cast("_ImmutableQueryDict", copy)  # now immutable, as Django's own request.GET


Refuser = Callable[["HttpRequest", HostileInput], HttpResponse]
# Parts of the site with their own error format register how they refuse (Open311: its error
# document), from their AppConfig.ready(), as lib may not import an app.
_REFUSERS: dict[str, Refuser] = {}


def register_refuser(prefix: str, refuser: Refuser) -> None:
    _REFUSERS[prefix] = refuser


def refuse(request: HttpRequest, exc: HostileInput) -> HttpResponse:
    """The 400 for hostile input, in the shape of the part of the site that was asked."""
    path = request.path_info
    if path.startswith("/api/"):
        return JsonResponse(
            {"detail": exc.message, "errors": [{"field": "", "code": exc.code, "message": exc.message}]}, status=400
        )
    for prefix, refuser in _REFUSERS.items():
        if path.startswith(prefix):
            return refuser(request, exc)
    return render(request, "400.html", {"message": exc.message}, status=400)


class HostileInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if "\x00" in request.path_info:
                raise nul_refused()
            if (query := _cleaned(request.GET)) is not None:
                request.GET = query
            is_form = request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            if request.method == "POST" and is_form:
                try:
                    form = _cleaned(request.POST)
                except MultiPartParserError:
                    # A multipart body without its boundary (or cut short): answered here, in the caller's shape.
                    raise unreadable_body() from None
                if form is not None:
                    request.POST = form
        except HostileInput as exc:
            return refuse(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A fault under /api/ that the API's own handlers did not answer keeps the JSON error shape (500)."""
        if not request.path_info.startswith("/api/"):
            return None
        from django.utils.translation import gettext as _

        logger.error("API fault on %s %s", request.method, request.path, exc_info=exception)
        detail = _("Something went wrong on our side")
        return JsonResponse({"detail": detail, "errors": []}, status=500)


class PermissionsPolicyMiddleware:
    """The `Permissions-Policy` header (PENDOPO_PERMISSIONS_POLICY): browser features no page uses are off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.policy = str(getattr(settings, "PENDOPO_PERMISSIONS_POLICY", ""))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
