"""Public pages of the platform and of each region."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pendopo.regions.models import Agency, Region, ServicePoint
from pendopo.regions.permissions import get_for_user, visible_to


def _region(request: HttpRequest, slug: str) -> Region:
    return get_for_user(request.user, Region.objects.select_related("regency__province"), slug=slug)


def landing(request: HttpRequest) -> HttpResponse:
    regions = visible_to(request.user, Region.objects.select_related("regency__province"))
    return render(request, "regions/landing.html", {"regions": regions})


def region_home(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    return render(request, "regions/region_home.html", {"region": region})


def agency_list(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    agencies = visible_to(request.user, Agency.objects.filter(region=region)).order_by("name")
    return render(request, "regions/agency_list.html", {"region": region, "agencies": agencies})


def agency_detail(request: HttpRequest, region_slug: str, agency_code: str) -> HttpResponse:
    region = _region(request, region_slug)
    agency = get_for_user(request.user, Agency.objects.filter(region=region), code=agency_code)
    return render(request, "regions/agency_detail.html", {"region": region, "agency": agency})


def service_point_list(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    points = visible_to(request.user, ServicePoint.objects.filter(region=region).select_related("agency", "parent"))
    return render(request, "regions/service_point_list.html", {"region": region, "service_points": points})
