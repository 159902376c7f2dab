"""Build the working-day calendar of a region (or of a service point) from its rows.

Sources, in order of precedence for one day (docs/calendar.md):
1. the region's calendar changes (`CalendarOverride`): an extra working day (with its own
   hours, or the usual ones) or a regional day off;
2. Indonesia's national holidays and joint leave days (`holidays`, categories public + government);
3. the office hours of the weekday (`OfficeHours`, a break splits a day into two periods): the
   service point's own when it keeps its own hours, else the region's, else 07:30–16:00
   Monday to Friday.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from pendopo.lib import dates

if TYPE_CHECKING:
    import datetime as dt

    from pendopo.regions.models import Region, ServicePoint


def calendar_for(region: Region, service_point: ServicePoint | None = None) -> dates.WorkCalendar:
    """Two queries: the office hours and the region's calendar changes.

    A service point that keeps its own hours (a service mall open on Saturdays) uses them;
    every other one follows the region's. Regional days off and extra working days apply to both.
    """
    from pendopo.regions.models import CalendarOverride, OfficeHours, default_hours

    if service_point is not None and service_point.region_id != region.pk:
        raise dates.CalendarError(f"Service point {service_point.code} does not belong to {region}.")
    own = service_point is not None and service_point.has_own_hours
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
