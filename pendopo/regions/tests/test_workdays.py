"""The calendar laid out as rows for SQL (regions.workdays): filled from the region's calendar,
and on PostgreSQL analysed at once so that the counts look each date up by its key."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pendopo.regions import workdays
from pendopo.regions.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_fill_lays_the_calendar_out_and_gives_the_planner_its_statistics(world):
    region = world.region_a
    with CaptureQueriesContext(connection) as queries:
        workdays.fill(region.pk, 0, dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    calendar = region.calendar()
    days = {row.day: row for row in CalendarDay.objects.filter(region=region, point=0, day__range=("2026-03-02", "2026-03-08"))}
    assert len(days) == 7
    working = [day for day in sorted(days) if calendar.periods(day)]
    assert [days[day].ordinal - days[working[0]].ordinal for day in working] == list(range(len(working)))
    analysed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    assert analysed == (['ANALYZE "regions_calendarday"'] if connection.vendor == "postgresql" else [])
