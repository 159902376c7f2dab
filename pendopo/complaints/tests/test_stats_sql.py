"""The complaint statistics counted by the database equal their definitions (complaints.stats)
complaint by complaint, on SQLite and PostgreSQL: the time to first response in working days
against WorkCalendar.working_days_between over a calendar with a break, a short Saturday, a
regional day off, an extra working day, national holidays and the region's own time zone; the
counts and the median against the same figures worked out in Python."""

from __future__ import annotations

import datetime as dt
import random
import statistics

import pytest

from pendopo.complaints import stats
from pendopo.complaints.models import Complaint
from pendopo.complaints.tests.conftest import file
from pendopo.regions.tests.calendars import random_moment, set_awkward_calendar
from pendopo.workflow.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar_region(world):
    return set_awkward_calendar(world.region_a)


def test_database_counts_and_response_days_equal_the_definitions(calendar_region, setup, frozen):
    region = calendar_region
    rng = random.Random(16)  # fixed: the same complaints every run
    made = []
    for n in range(90):
        complaint = file(region, setup.road_a if n % 2 else setup.lamp_a).complaint
        received = random_moment(rng)
        later = received + dt.timedelta(minutes=rng.randrange(-30, 60 * 24 * 12))
        answered = (random_moment(rng) if n % 2 else later) if n % 5 else None  # on an edge or some days later
        due = received + dt.timedelta(days=rng.randrange(0, 8)) if n % 7 else None
        Case.objects.filter(pk=complaint.case_id).update(
            received_at=received, closed_at=answered if n % 3 == 0 and answered else None
        )
        Complaint.objects.filter(pk=complaint.pk).update(first_response_at=answered, response_due_at=due)
        made.append(complaint.pk)
    complaints = Complaint.objects.filter(pk__in=made)
    calendar = region.calendar()
    rows = list(
        complaints.values("pk", "case__agency_id", "case__received_at", "case__closed_at", "first_response_at", "response_due_at")
    )

    by_complaint = stats.response_histogram(complaints, "pk")
    answered = [row for row in rows if row["first_response_at"] is not None]
    assert len(answered) > 60
    expected = {row["pk"]: calendar.working_days_between(row["case__received_at"], row["first_response_at"]) for row in answered}
    assert {pk: list(days.items()) for pk, days in by_complaint.items()} == {pk: [(n, 1)] for pk, n in expected.items()}
    assert len(set(expected.values())) > 5  # the fixed data spans many day counts, 0 included
    assert 0 in expected.values()

    found = {s.agency.pk: s for s in stats.agency_stats(region, complaints)}
    assert set(found) == {setup.road_a.agency_id, setup.lamp_a.agency_id}
    for agency_id, row in found.items():
        mine = [r for r in rows if r["case__agency_id"] == agency_id]
        replied = [r for r in mine if r["first_response_at"] is not None]
        on_time = [r for r in replied if r["response_due_at"] is None or r["first_response_at"] <= r["response_due_at"]]
        waiting = [r for r in mine if r["first_response_at"] is None and r["case__closed_at"] is None]
        assert (row.received, row.answered, row.answered_on_time, row.open_unanswered) == (
            len(mine),
            len(replied),
            len(on_time),
            len(waiting),
        )
        assert row.median_response_days == float(statistics.median(expected[r["pk"]] for r in replied))
    without = {s.agency.pk: s for s in stats.agency_stats(region, complaints, median=False)}
    assert all(s.median_response_days is None for s in without.values())
    assert {k: s.answered_on_time for k, s in without.items()} == {k: s.answered_on_time for k, s in found.items()}


def test_no_complaint_no_row_and_no_calendar_query(calendar_region, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert stats.agency_stats(calendar_region, Complaint.objects.all()) == []
