"""The applications received per service and month, kept as they arrive, and read per period.

Pendopo's own count of the people a service served (the population of the survey sample,
docs/surveys.md) used to count every application of the period on each request: at a million
applications a year the survey report took a second. The count is kept instead in
`ReceivedMonth`, one row per service and month of the region's calendar, raised in the
transaction that writes the application; a period of whole months reads those rows, and a range
of days that starts or ends inside a month counts the applications of those part-months only
(at most two, on the `(region, service, created_at)` index).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum

from pendopo.applications.models import Application, ReceivedMonth
from pendopo.regions.models import Region

Month = tuple[int, int]


def count_received(application: Application, region: Region) -> None:
    """Add `application` to its service's month (inside the caller's transaction)."""
    local = application.created_at.astimezone(ZoneInfo(region.time_zone))
    key = {"region_id": region.pk, "service_id": application.service_id, "year": local.year, "month": local.month}
    if ReceivedMonth.objects.filter(**key).update(received=F("received") + 1):
        return
    try:
        with transaction.atomic():  # a savepoint: another transaction may create the row first
            ReceivedMonth.objects.create(**key, received=1)
    except IntegrityError:
        ReceivedMonth.objects.filter(**key).update(received=F("received") + 1)


def recount(regions: Iterable[Region] | None = None) -> int:
    """Rebuild the monthly counts from the applications (for data written around the action, as the
    benchmarks' generators do). Returns the number of rows written."""
    from django.db.models.functions import TruncMonth

    written = 0
    for region in regions if regions is not None else Region.objects.all():
        with transaction.atomic():
            ReceivedMonth.objects.filter(region=region).delete()
            rows = (
                Application.objects.filter(region=region)
                .annotate(month_start=TruncMonth("created_at", tzinfo=ZoneInfo(region.time_zone)))
                .order_by()
                .values_list("service_id", "month_start")
                .annotate(total=Count("pk"))
            )
            counts = [
                ReceivedMonth(region=region, service_id=service_id, year=start.year, month=start.month, received=total)
                for service_id, start, total in rows
            ]
            ReceivedMonth.objects.bulk_create(counts, batch_size=1000)
            written += len(counts)
    return written


def _next_month(month: Month) -> Month:
    year, number = month
    return (year + 1, 1) if number == 12 else (year, number + 1)


def _previous_month(month: Month) -> Month:
    year, number = month
    return (year - 1, 12) if number == 1 else (year, number - 1)


def _months_q(first: Month, last: Month) -> Q:
    """The rows of the months first..last (inclusive)."""
    if first[0] == last[0]:
        return Q(year=first[0], month__gte=first[1], month__lte=last[1])
    return Q(year=first[0], month__gte=first[1]) | Q(year__gt=first[0], year__lt=last[0]) | Q(year=last[0], month__lte=last[1])


def received_between(region: Region, first_day: dt.date, last_day: dt.date) -> dict[tuple[int, int], int]:
    """How many applications `region` received from `first_day` to `last_day` (local days, inclusive),
    per (agency, service) of the service: one query for whole months, one more for part-months."""
    zone = ZoneInfo(region.time_zone)
    first_whole: Month = (
        (first_day.year, first_day.month) if first_day.day == 1 else _next_month((first_day.year, first_day.month))
    )
    after = last_day + dt.timedelta(days=1)
    last_whole: Month = (last_day.year, last_day.month) if after.day == 1 else _previous_month((last_day.year, last_day.month))
    result: dict[tuple[int, int], int] = {}
    parts: list[tuple[dt.date, dt.date]] = []  # [from, to) local days outside the whole months
    if first_whole <= last_whole:
        months = (
            ReceivedMonth.objects.filter(_months_q(first_whole, last_whole), region=region)
            .order_by()
            .values_list("service__agency_id", "service_id")
            .annotate(total=Sum("received"))
        )
        result.update(((agency_id, service_id), total) for agency_id, service_id, total in months if total)
        whole_start = dt.date(*first_whole, 1)
        whole_end = dt.date(*_next_month(last_whole), 1)
        if first_day < whole_start:
            parts.append((first_day, whole_start))
        if whole_end < after:
            parts.append((whole_end, after))
    else:
        parts.append((first_day, after))
    if parts:
        moments = Q()
        for start, end in parts:
            moments |= Q(
                created_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=zone),
                created_at__lt=dt.datetime.combine(end, dt.time(), tzinfo=zone),
            )
        rows = (
            Application.objects.filter(moments, region=region)
            .order_by()
            .values_list("service__agency_id", "service_id")
            .annotate(total=Count("pk"))
        )
        for agency_id, service_id, total in rows:
            result[(agency_id, service_id)] = result.get((agency_id, service_id), 0) + total
    return result
