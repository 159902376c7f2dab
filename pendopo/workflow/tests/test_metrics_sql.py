"""The working-day figures counted by the database (regions.workdays) equal the calendar's own
definition (processing_working_days, WorkCalendar.working_days_between) case by case, on SQLite
and PostgreSQL: breaks, weekends, national and regional days off, an extra working day, a service
point with its own hours, the region's time zone, pauses, seconds, and cases still open past
their deadline."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from pendopo.regions.models import CalendarDay, CalendarOverride, OfficeHours, Region
from pendopo.regions.tests.calendars import WITA, random_moment, set_awkward_calendar
from pendopo.regions.tests.factories import ServicePointFactory
from pendopo.workflow.metrics import metrics_by, processing_working_days
from pendopo.workflow.models import Case


@pytest.fixture
def calendar_world(world):
    region = set_awkward_calendar(world.region_a)
    point = ServicePointFactory(region=region, has_own_hours=True)
    for weekday in range(7):
        OfficeHours.objects.create(
            region=region, service_point=point, weekday=weekday, opens=dt.time(9, 0), closes=dt.time(20, 0)
        )
    return region, point


def test_database_working_days_equal_the_calendar(calendar_world, open_application):
    region, point = calendar_world
    rng = random.Random(14)  # fixed: the same cases every run
    made = []
    for n in range(80):
        case = open_application(service_point=point if n % 4 == 0 else None)
        received = random_moment(rng)
        if n % 3:
            closed = received + dt.timedelta(minutes=rng.randrange(-60, 60 * 24 * 12))
            paused = rng.choice([0, 0, 0, rng.randrange(1, 600), rng.randrange(1, 3000)])
            fields = {"closed_at": closed, "outcome": "completed", "paused_minutes_total": paused}
        else:
            fields = {"closed_at": None, "outcome": "", "due_at": received + dt.timedelta(days=rng.randrange(1, 9))}
        Case.objects.filter(pk=case.pk).update(received_at=received, **fields)
        made.append(case.pk)
    cases = Case.objects.filter(pk__in=made)
    region = Region.objects.get(pk=region.pk)
    calendars = {None: region.calendar(), point.pk: region.calendar(point)}
    rows = {row["pk"]: row for row in cases.values("pk", "service_point_id", "received_at", "closed_at", "paused_minutes_total")}

    by_case = metrics_by(cases, "pk", backlog=False)
    completed = [row for row in rows.values() if row["closed_at"] is not None]
    assert len(completed) > 40 and any(row["paused_minutes_total"] for row in completed)
    seen = set()
    for row in completed:
        calendar = calendars[row["service_point_id"]]
        expected = processing_working_days(calendar, row["received_at"], row["closed_at"], row["paused_minutes_total"])
        assert by_case[row["pk"]].median_processing_days == expected, row
        seen.add(expected)
    assert len(seen) > 5  # 0 (done the same day, or closed "before" received) up to many working days

    for as_of in (dt.datetime(2026, 3, 20, 16, 0, tzinfo=WITA), dt.datetime(2026, 4, 2, 9, 30, 15, tzinfo=WITA)):
        ages = metrics_by(cases, "pk", as_of=as_of, processing=False)
        still_open = [row for row in rows.values() if row["closed_at"] is None and row["received_at"] <= as_of]
        assert still_open
        for row in still_open:
            expected = calendars[row["service_point_id"]].working_days_between(row["received_at"], as_of)
            assert ages[row["pk"]].backlog_max_age_days == expected, row
        assert any(ages[row["pk"]].open_overdue for row in still_open)  # open past the deadline


def test_the_rows_follow_the_calendar(calendar_world, open_application):
    region, _point = calendar_world
    case = open_application()
    Case.objects.filter(pk=case.pk).update(
        received_at=dt.datetime(2026, 3, 10, 9, 0, tzinfo=WITA), closed_at=dt.datetime(2026, 3, 12, 9, 0, tzinfo=WITA),
        outcome="completed", paused_minutes_total=0,
    )  # fmt: skip
    cases = Case.objects.filter(pk=case.pk)
    assert metrics_by(cases, None, backlog=False)[None].median_processing_days == 1.0  # Wed 11th is the region's day off
    assert CalendarDay.objects.filter(region=region).exists()
    CalendarOverride.objects.filter(region=region, date=dt.date(2026, 3, 11)).delete()  # the rows go with it
    assert not CalendarDay.objects.filter(region=region).exists()
    assert metrics_by(cases, None, backlog=False)[None].median_processing_days == 2.0
