"""URLs of the tracking benchmark's server: a bare view, then all of Pendopo's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from pendopo.urls import urlpatterns as pendopo_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *pendopo_urlpatterns]
