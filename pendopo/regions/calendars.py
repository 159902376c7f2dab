"""Build the working-day calendar of a region (or of a service point) from its rows.

Sources, in order of precedence for one day (docs/calendar.md):
1. the region's calendar changes (`CalendarOverride`): an extra working day (with its own
   hours, or the usual ones) or a regional day off;
2. Indonesia's national holidays and joint leave days (`holidays`, categories public + government);
3. the office hours of the weekday (`OfficeHours`, a break splits a day into two periods): the
   service point's own when it keeps its own hours, else the region's, else 07:30–16:00
   Monday to Friday.

The calendar built from these rows is kept in Django's cache per region (or service point with
its own hours) and year: every deadline of every step asks for it, and the rows change a few times
a year. Saving or deleting office hours, a calendar change, a region or a service point clears
it (`forget`, connected by RegionsConfig.ready: at once, and again when the transaction commits, so
that no process keeps a copy rebuilt from the rows before the commit). The year in the key lets a
new year's national holidays in with the year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from pendopo.lib import dates

if TYPE_CHECKING:
    import datetime as dt

    from pendopo.regions.models import Region, ServicePoint


CACHE_SECONDS = 24 * 3600


def _key(region_id: int, year: int) -> str:
    """One entry per region and year: {0 (the region) or a service point's id: its calendar}."""
    return f"regions:calendars:{region_id}:{year}"


def calendar_for(region: Region, service_point: ServicePoint | None = None) -> dates.WorkCalendar:
    """From the cache, else two queries: the office hours and the region's calendar changes.

    A service point that keeps its own hours (a service mall open on Saturdays) uses them;
    every other one follows the region's. Regional days off and extra working days apply to both.
    """
    if service_point is not None and service_point.region_id != region.pk:
        raise dates.CalendarError(f"Service point {service_point.code} does not belong to {region}.")
    own = service_point is not None and service_point.has_own_hours
    key = _key(region.pk, dates.today(region.time_zone).year)
    point = service_point.pk if own and service_point is not None else 0
    calendars = cache.get(key) or {}
    found = calendars.get(point)
    if found is None:
        found = calendars[point] = _build(region, service_point if own else None)
        cache.set(key, calendars, CACHE_SECONDS)
    return found


def _build(region: Region, service_point: ServicePoint | None) -> dates.WorkCalendar:
    from pendopo.regions.models import CalendarOverride, OfficeHours, default_hours

    own = service_point is not None
    scope = Q(service_point=None) | Q(service_point=service_point) if own else Q(service_point=None)
    rows = list(OfficeHours.objects.filter(scope, region=region))
    own_rows = [row for row in rows if row.service_point_id is not None]
    region_rows = [row for row in rows if row.service_point_id is None]
    # A service point marked as keeping its own hours but with none entered yet follows the region.
    chosen = own_rows or region_rows
    hours = {row.weekday: row.periods() for row in chosen} if chosen else default_hours()

    holidays: dict[dt.date, str] = {}
    working_days: dict[dt.date, tuple[dates.Period, ...]] = {}
    for override in CalendarOverride.objects.filter(region=region).only("date", "kind", "name", "opens", "closes"):
        if override.kind == CalendarOverride.Kind.HOLIDAY:
            holidays[override.date] = override.name
        elif override.opens and override.closes:
            working_days[override.date] = ((override.opens, override.closes),)
        else:
            working_days[override.date] = ()
    return dates.WorkCalendar.build(region.time_zone, hours, holidays, working_days)


def forget(region_id: int) -> None:
    """Drop the cached calendars of a region and of its service points (around this year)."""
    from pendopo.regions import workdays

    year = dates.now().year
    cache.delete_many([_key(region_id, y) for y in (year - 1, year, year + 1)])
    workdays.forget(region_id)  # the same calendar laid out for SQL


def _changed(sender: type, instance: Any, **kwargs: Any) -> None:
    region_id = instance.pk if sender.__name__ == "Region" else instance.region_id
    if region_id is None:
        return
    forget(region_id)
    transaction.on_commit(lambda: forget(region_id), using=kwargs.get("using"))


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from pendopo.regions.models import CalendarOverride, OfficeHours, Region, ServicePoint

    for model in (OfficeHours, CalendarOverride, Region, ServicePoint):
        post_save.connect(_changed, sender=model, dispatch_uid=f"regions.calendars.{model.__name__}.saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"regions.calendars.{model.__name__}.deleted")
