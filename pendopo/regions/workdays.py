"""The working-day calendar laid out as rows for SQL (`CalendarDay`), so that the database counts
working days for every case at once.

Per calendar (a region's, or a service point's that keeps its own hours) and local date: the
running number of working days (`ordinal`), the working minutes before the date and through its
end, and its periods in minutes after local midnight. With them, "working days from a to b" is
the difference of two ordinals and "working minutes before t" a sum of clamps, computed in SQL
by pendopo/workflow/metrics.py and pendopo/complaints/stats.py. The rows are filled from
`Region.calendar()` — the one definition of a working day — for the dates asked (and a year
ahead), refilled whole when a date outside them is needed, and dropped with the cached calendars
whenever office hours, a calendar change, the region or a service point changes
(`regions.calendars.forget`).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Max, Min

from pendopo.lib import dates

AHEAD_DAYS = 400
_PERIODS = 2  # a day has at most two periods (a break splits it: OfficeHours.periods)


def _minute(moment: dt.time) -> int:
    if moment.second or moment.microsecond:
        raise dates.CalendarError(f"Working periods are laid out in whole minutes, not {moment:%H:%M:%S}.")
    return moment.hour * 60 + moment.minute


def fill(region_id: int, point: int, first: dt.date, last: dt.date) -> None:
    """(Re)write the calendar's rows so that they cover at least [first, last] and a year ahead."""
    from pendopo.regions.models import CalendarDay, Region, ServicePoint

    region = Region.objects.get(pk=region_id)
    service_point = ServicePoint.objects.get(pk=point) if point else None
    calendar = region.calendar(service_point)
    held = CalendarDay.objects.filter(region_id=region_id, point=point).aggregate(first=Min("day"), last=Max("day"))
    first = min(first, held["first"] or first)
    last = max(last, held["last"] or last, dates.today(region.time_zone) + dt.timedelta(days=AHEAD_DAYS))
    rows = []
    ordinal = minutes = 0
    day = first
    while day <= last:
        periods = calendar.periods(day)
        if len(periods) > _PERIODS:
            raise dates.CalendarError(f"{day}: more than {_PERIODS} working periods in a day.")
        bounds = [(_minute(opens), _minute(closes)) for opens, closes in periods]
        before = minutes
        if bounds:
            ordinal += 1
            minutes += sum(closes - opens for opens, closes in bounds)
        padded = [*bounds, *[(None, None)] * (_PERIODS - len(bounds))]
        rows.append(
            CalendarDay(
                region_id=region_id, point=point, day=day, ordinal=ordinal, minutes_before=before, minutes_through=minutes,
                opens1=padded[0][0], closes1=padded[0][1], opens2=padded[1][0], closes2=padded[1][1],
            )
        )  # fmt: skip
        day += dt.timedelta(days=1)
    with transaction.atomic():
        CalendarDay.objects.filter(region_id=region_id, point=point).delete()
        CalendarDay.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        if connection.vendor == "postgresql":
            # Fresh rows have no planner statistics until autovacuum gets to them: without these the
            # counts join every case to a whole calendar instead of looking its date up by the
            # (region, point, day) key (20 times slower at 20,000 cases).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(CalendarDay._meta.db_table)}")


def forget(region_id: int) -> None:
    """Drop the region's rows (and its service points'): the next count refills them."""
    from pendopo.regions.models import CalendarDay

    CalendarDay.objects.filter(region_id=region_id).delete()


# --- SQL for a moment in the calendar's time zone (`zone` is an SQL expression naming it) ---------


def local_date_sql(moment: str, zone: str) -> str:
    if connection.vendor == "postgresql":
        return f"(({moment}) AT TIME ZONE {zone})::date"
    return f"django_datetime_cast_date({moment}, {zone}, 'UTC')"


def local_minute_sql(moment: str, zone: str) -> str:
    """Whole minutes after local midnight (the moment cut down to its minute)."""
    if connection.vendor == "postgresql":
        local = f"(({moment}) AT TIME ZONE {zone})"
        return f"(EXTRACT(HOUR FROM {local}) * 60 + EXTRACT(MINUTE FROM {local}))::integer"
    time = f"django_datetime_cast_time({moment}, {zone}, 'UTC')"
    return f"(CAST(substr({time}, 1, 2) AS INTEGER) * 60 + CAST(substr({time}, 4, 2) AS INTEGER))"


def has_seconds_sql(moment: str, zone: str) -> str:
    """True when the moment is not on a whole minute (seconds or microseconds)."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(SECOND FROM (({moment}) AT TIME ZONE {zone})) > 0)"
    time = f"django_datetime_cast_time({moment}, {zone}, 'UTC')"
    return f"(substr({time}, 7, 2) <> '00' OR length({time}) > 8)"


def greatest(a: str, b: str) -> str:
    return f"GREATEST({a}, {b})" if connection.vendor == "postgresql" else f"MAX({a}, {b})"


def least(a: str, b: str) -> str:
    return f"LEAST({a}, {b})" if connection.vendor == "postgresql" else f"MIN({a}, {b})"


def minutes_at_sql(day: str, minute: str) -> str:
    """Working minutes of the calendar before `minute` (minutes after midnight) of the row `day`."""
    parts = [f"{day}.minutes_before"]
    for n in range(1, _PERIODS + 1):
        opens, closes = f"{day}.opens{n}", f"{day}.closes{n}"
        parts.append(f"COALESCE({least(greatest(minute, opens), closes)} - {opens}, 0)")
    return "(" + " + ".join(parts) + ")"


def inside_period_sql(day: str, minute: str) -> str:
    return " OR ".join(f"({day}.opens{n} <= {minute} AND {minute} < {day}.closes{n})" for n in range(1, _PERIODS + 1))


def last_closing_sql(day: str) -> str:
    return f"COALESCE({day}.closes2, {day}.closes1)"


def first_day_sql(day: str, minute: str) -> str:
    """The running number of the first working day a count from `minute` of the row `day` starts on:
    the day itself while one of its periods is still to close, else the next working day."""
    return f"({day}.ordinal + CASE WHEN {day}.closes1 IS NOT NULL AND {minute} < {last_closing_sql(day)} THEN 0 ELSE 1 END)"


def closing_day_sql(day: str, minute: str, seconds: str) -> str:
    """The running number of the first working day closing at or after the moment (`minute` of the
    row `day`, `seconds` 1 when it is past the whole minute)."""
    closing = last_closing_sql(day)
    return f"""({day}.ordinal + CASE WHEN {day}.closes1 IS NOT NULL
        AND ({minute} < {closing} OR ({minute} = {closing} AND {seconds} = 0)) THEN 0 ELSE 1 END)"""


def working_days_between_sql(start_day: str, start_minute: str, end_day: str, end_minute: str, end_seconds: str) -> str:
    """WorkCalendar.working_days_between(start, end) for an end after the start (0 otherwise is the
    caller's): the working days from the first counted to the first closing at or after the end."""
    return f"({closing_day_sql(end_day, end_minute, end_seconds)} - {first_day_sql(start_day, start_minute)})"
