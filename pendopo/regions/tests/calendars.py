"""One awkward region calendar for the tests that check the database's working-day figures against
the calendar's own definition (workflow/tests/test_metrics_sql.py, complaints/tests/test_stats_sql.py):
a break, a short Saturday, a regional day off, an extra working day, the WITA time zone, and moments
from 5 to 31 March 2026 (Nyepi, Idul Fitri and its joint leave days), often on an edge."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from pendopo.regions.models import CalendarOverride, OfficeHours, Region

WITA = ZoneInfo("Asia/Makassar")


def set_awkward_calendar(region: Region) -> Region:
    """Gives `region` the awkward calendar and returns it read afresh."""
    region.time_zone = "Asia/Makassar"
    region.save()
    for weekday in range(5):
        OfficeHours.objects.update_or_create(
            region=region, service_point=None, weekday=weekday,
            defaults={
                "opens": dt.time(8, 0), "closes": dt.time(16, 0), "break_starts": dt.time(12, 0), "break_ends": dt.time(13, 0),
            },
        )  # fmt: skip
    OfficeHours.objects.update_or_create(
        region=region, service_point=None, weekday=5, defaults={"opens": dt.time(8, 0), "closes": dt.time(12, 0)}
    )
    CalendarOverride.objects.create(region=region, date=dt.date(2026, 3, 11), kind="holiday", name="Hari jadi")
    CalendarOverride.objects.create(region=region, date=dt.date(2026, 3, 15), kind="working_day", name="Ganti libur")
    return Region.objects.get(pk=region.pk)


def random_moment(rng: random.Random) -> dt.datetime:
    """A moment (UTC) from 5 to 31 March 2026 in WITA, often on an edge of the office day."""
    day = dt.date(2026, 3, 5) + dt.timedelta(days=rng.randrange(27))
    minute = rng.choice([480, 720, 780, 960, 540, 1200, 0, rng.randrange(1440), rng.randrange(1440)])
    second, micro = rng.choice([(0, 0), (0, 0), (30, 0), (0, 1), (rng.randrange(60), rng.randrange(10**6))])
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60, second, micro), WITA).astimezone(dt.UTC)
