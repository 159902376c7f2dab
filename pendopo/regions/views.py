"""Public pages of the platform and of each region.

Every page reads through the permission resolver, so an inactive region (or agency) is a 404
for the public and stays visible to its own staff. Each page runs a fixed number of queries,
however many regions, agencies or service points exist (tests/test_pages.py counts them).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from pendopo.lib import dates
from pendopo.lib.htmx import HtmxHttpRequest
from pendopo.regions import hours, menus
from pendopo.regions.models import Agency, Region, Role, ServicePoint
from pendopo.regions.permissions import get_for_user, role_in, visible_to

# How far ahead the region's home page lists days off.
HOLIDAY_WINDOW_DAYS = 60


def upcoming_days_off(
    calendar: dates.WorkCalendar, start: dt.date, days: int = HOLIDAY_WINDOW_DAYS, language: str = "id"
) -> list[tuple[dt.date, str]]:
    """National and regional days off from `start` for `days` days, minus days the region works anyway.

    National days off are named in `language` (id, en); a region's own day off keeps the name its
    administrator gave it.
    """
    window = (start + dt.timedelta(days=offset) for offset in range(days + 1))
    found = ((day, calendar.holiday_name(day, language)) for day in window if day not in calendar.working_days)
    return [(day, name) for day, name in found if name is not None]


def _region(request: HttpRequest, slug: str) -> Region:
    return get_for_user(request.user, Region.objects.select_related("regency__province"), slug=slug)


def landing(request: HttpRequest) -> HttpResponse:
    regions = visible_to(request.user, Region.objects.select_related("regency__province")).order_by("regency__name")
    return render(request, "regions/landing.html", {"regions": regions})


def region_home(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    calendar = region.calendar()
    local_now = dates.local_now(region.time_zone)
    user = request.user
    role = role_in(user, region)
    context = {
        "region": region,
        "local_now": local_now,
        "is_open": calendar.is_open(local_now),
        "office_hours": hours.week(calendar.hours),
        "days_off": upcoming_days_off(calendar, local_now.date(), language=get_language() or settings.LANGUAGE_CODE),
        "holiday_window": HOLIDAY_WINDOW_DAYS,
        "role": role,
        "can_administer": role in (Role.REGION_ADMIN, Role.PLATFORM_ADMIN),
        "memberships": [m for m in getattr(user, "active_memberships", []) if m.region_id == region.pk],
        # Cards to the region's public pages (the agencies and service points have their own, below).
        "pages": [item for item in menus.region_menu(region) if item.description],
        "work": menus.staff_menu(user, region),
    }
    return render(request, "regions/region_home.html", context)


def agency_list(request: HtmxHttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    query = request.GET.get("q", "").strip()[:100]
    agencies = visible_to(request.user, Agency.objects.filter(region=region)).order_by("name")
    if query:
        agencies = agencies.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    # The search box asks htmx for the results table only; without JavaScript the whole page is served.
    template = "regions/_agency_table.html" if request.htmx else "regions/agency_list.html"
    return render(request, template, {"region": region, "agencies": agencies, "query": query})


def agency_detail(request: HttpRequest, region_slug: str, agency_code: str) -> HttpResponse:
    region = _region(request, region_slug)
    points = visible_to(request.user, ServicePoint.objects.filter(region=region)).order_by("kind", "code")
    agency = get_for_user(
        request.user,
        Agency.objects.filter(region=region).prefetch_related(Prefetch("service_points", queryset=points, to_attr="points")),
        code=agency_code,
    )
    return render(request, "regions/agency_detail.html", {"region": region, "agency": agency})


def group_service_points(points: list[ServicePoint]) -> dict[str, list]:
    """Service malls with their counters, loose counters, village offices and agency offices."""
    Kind = ServicePoint.Kind
    counters: dict[int, list[ServicePoint]] = {}
    for point in points:
        if point.kind == Kind.COUNTER and point.parent_id:
            counters.setdefault(point.parent_id, []).append(point)
    malls = [(mall, counters.pop(mall.pk, [])) for mall in points if mall.kind == Kind.SERVICE_MALL]
    # Counters whose mall is hidden from the user (or that hang under no mall) are still listed.
    loose = [p for group in counters.values() for p in group] + [p for p in points if p.kind == Kind.COUNTER and not p.parent_id]
    return {
        "malls": malls,
        "loose_counters": loose,
        "village_offices": [p for p in points if p.kind == Kind.VILLAGE_OFFICE],
        "agency_offices": [p for p in points if p.kind == Kind.AGENCY_OFFICE],
    }


def service_point_list(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    points = (
        visible_to(request.user, ServicePoint.objects.filter(region=region))
        .select_related("agency", "village")
        .prefetch_related("office_hours")  # one query for the points that keep their own hours
    )
    groups = group_service_points(list(points.order_by("kind", "code")))
    for point in (mall for mall, _counters in groups["malls"]):
        own = {row.weekday: row.periods() for row in point.office_hours.all()} if point.has_own_hours else {}
        point.hours_text = hours.text(own)
    return render(request, "regions/service_point_list.html", {"region": region, **groups})
