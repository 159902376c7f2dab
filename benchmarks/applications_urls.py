"""URLs of the tracking benchmark's server: a bare view, two floors of the tracking page, then all of Pendopo's.

The floors are what no tracking page can do without, each measured alone: `query/` is the bare
view plus the one indexed query that tells a repeat read its answer (applications/caching.py
`version`), the floor of a `304`; `layout/` is the tracking page's own template around an empty
fragment with the region held in memory, no query at all, the floor of any page in the site's
layout. They show how far the goals are from what the machine allows, not a way to reach them.
"""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from pendopo.applications import caching
from pendopo.regions.models import Region
from pendopo.urls import urlpatterns as pendopo_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def query(request: HttpRequest) -> HttpResponse:
    found = caching.version(request.GET["code"])
    return HttpResponse("ok" if found else "missing", content_type="text/plain")


@cache
def _region(slug: str) -> Region:
    return Region.objects.select_related("regency").get(slug=slug)


def layout(request: HttpRequest) -> HttpResponse:
    context = {"code": request.GET["code"], "fragment": "", "region": _region("banyuwangi"), "csrf_token": ""}
    return render(request, "applications/track.html", context)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/query/", query),
    path("bench/layout/", layout),
    *pendopo_urlpatterns,
]
