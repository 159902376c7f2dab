"""Build the working-day calendar of a region (or of a service point) from its rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pendopo.lib import dates

if TYPE_CHECKING:
    from pendopo.regions.models import Region, ServicePoint


def calendar_for(region: Region, service_point: ServicePoint | None = None) -> dates.WorkCalendar:
    """Two queries: the office hours and the region's calendar changes.

    A service point that keeps its own hours (a service mall open on Saturdays) uses them;
    every other one follows the region's. Regional days off and extra working days apply to both.
    """
    from pendopo.regions.models import CalendarOverride, OfficeHours, default_hours

    rows = list(OfficeHours.objects.filter(region=region, service_point=None))
    if service_point is not None and service_point.has_own_hours:
        own = list(OfficeHours.objects.filter(region=region, service_point=service_point))
        if own:
            rows = own
    hours = {row.weekday: row.periods() for row in rows} if rows else default_hours()
    holidays: dict = {}
    working_days: dict = {}
    for override in CalendarOverride.objects.filter(region=region):
        if override.kind == CalendarOverride.Kind.HOLIDAY:
            holidays[override.date] = override.name
        else:
            working_days[override.date] = ((override.opens, override.closes),) if override.opens and override.closes else ()
    return dates.WorkCalendar.build(region.time_zone, hours, holidays, working_days)
