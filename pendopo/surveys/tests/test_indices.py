"""The index computed in the database: the same figures as the exact computation, one query per figure set."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine

from pendopo.surveys import ikm, indices
from pendopo.surveys.indices import Figure, Level
from pendopo.surveys.models import ServedCount, SurveyResponse
from pendopo.surveys.periods import Kind, Period
from pendopo.surveys.tests.conftest import answer


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(3, 0), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def answered(world, services):
    """Random responses across services and months of 2026; returns the scores per service."""
    rng = random.Random(14)
    given: dict[str, list[tuple[int, ...]]] = {"ktp": [], "akta": [], "vaksin": [], "ktp_b": []}
    for name, count in (("ktp", 40), ("akta", 13), ("vaksin", 25), ("ktp_b", 7)):
        for n in range(count):
            scores = tuple(rng.randint(1, 4) for _ in range(9))
            month = n % 12 + 1
            with at(dt.date(2026, month, 10)):
                answer(getattr(services, name), scores, service_point=world.counter_a if name == "ktp" and n % 2 else None)
            given[name].append((month, scores))
    return given


def exact(rows):
    return ikm.from_scores(scores for _month, scores in rows)


def test_region_agency_service_and_point(world, services, answered, django_assert_num_queries):
    region = SurveyResponse.objects.filter(region=world.region_a)
    with django_assert_num_queries(1):
        total = indices.index_of(region)
    assert total == exact(answered["ktp"] + answered["akta"] + answered["vaksin"])

    # One aggregate query, one look-up of the units' names.
    with django_assert_num_queries(2):
        agencies = indices.by_unit(region, Level.AGENCY)
    assert [(u.code, u.respondents) for u in agencies] == [("DISDUKCAPIL", 53), ("DINKES", 25)]
    assert agencies[0].index == exact(answered["ktp"] + answered["akta"])

    with django_assert_num_queries(2):
        by_service = indices.by_unit(region, Level.SERVICE)
    assert {u.code: u.index for u in by_service} == {
        "KTP-EL": exact(answered["ktp"]),
        "AKTA-LAHIR": exact(answered["akta"]),
        "VAKSIN": exact(answered["vaksin"]),
    }

    # The region's index is the same when combined from its agencies' groups (no query).
    with django_assert_num_queries(0):
        assert indices.combine(agencies) == total
        assert indices.combine(by_service) == total

    with django_assert_num_queries(2):
        points = indices.by_unit(region, Level.SERVICE_POINT)
    assert [(u.code, u.respondents) for u in points] == [("MPP-01", 20)]


@pytest.mark.parametrize(
    ("key", "months"),
    [
        ("2026", range(1, 13)),
        ("2026-S2", range(7, 13)),
        ("2026-Q1", range(1, 4)),
        ("2026-05", [5]),
        ("2026-02-01..2026-04-30", [2, 3, 4]),
    ],
)
def test_periods(world, answered, key, months, django_assert_num_queries):
    period = Period.parse(key)
    with django_assert_num_queries(1):
        index = indices.index_of(SurveyResponse.objects.filter(region=world.region_b), period)
    assert (
        index == exact([row for row in answered["ktp_b"] if row[0] in months])
        if any(row[0] in months for row in answered["ktp_b"])
        else index is None
    )


def test_trend_of_quarters_and_ranges(world, answered, django_assert_num_queries):
    responses = SurveyResponse.objects.filter(region=world.region_a, agency=world.agency_a2)
    quarters = Period.parse("2026-Q4").previous(5)
    assert [p.key for p in quarters] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    with django_assert_num_queries(1):
        rows = indices.trend(responses, quarters)
    assert rows[0] == (quarters[0], None)
    for period, index in rows[1:]:
        first, last = period.months
        assert index == exact([row for row in answered["vaksin"] if first <= row[0] <= last])

    ranges = Period.parse("2026-07-01..2026-12-31").previous(2)
    # The range before has the same number of days (184).
    assert [p.key for p in ranges] == ["2025-12-29..2026-06-30", "2026-07-01..2026-12-31"]
    with django_assert_num_queries(1):
        rows = indices.trend(responses, ranges)
    assert rows[0][1] == exact([row for row in answered["vaksin"] if row[0] <= 6])
    assert rows[1][1] == exact([row for row in answered["vaksin"] if row[0] > 6])


def test_months_trend(world, answered):
    months = Period.parse("2026-03").previous(3)
    rows = indices.trend(SurveyResponse.objects.filter(region=world.region_b), months)
    assert [p.key for p, _ in rows] == ["2026-01", "2026-02", "2026-03"]
    assert rows[0][1] == exact([row for row in answered["ktp_b"] if row[0] == 1])


def test_profile_counts(world, services, django_assert_num_queries):
    answer(services.ktp, profile={"sex": "female", "age": "20-29", "education": "sma", "occupation": "student"})
    answer(services.ktp, profile={"sex": "female"})
    answer(services.ktp)
    with django_assert_num_queries(1):
        profile = indices.profile(SurveyResponse.objects.all())
    assert [(row.label, row.count) for row in profile["sex"]] == [("Female", 2), ("not given", 1)]
    assert [(row.label, row.count) for row in profile["occupation"]] == [("Student", 1), ("not given", 2)]


def test_sample_adequacy(world, services, answered, django_assert_num_queries):
    # Disdukcapil served 100 people in Q1 (its own record) — minimum sample 80; KTP-EL alone 30 → 28.
    for month, served in ((1, 40), (2, 30), (3, 30)):
        ServedCount.objects.create(region=world.region_a, agency=world.agency_a1, year=2026, month=month, served=served)
        ServedCount.objects.create(
            region=world.region_a, agency=world.agency_a1, service=services.ktp, year=2026, month=month, served=10
        )
    # Dinkes keeps only per-service numbers: its population is their sum.
    ServedCount.objects.create(
        region=world.region_a, agency=world.agency_a2, service=services.vaksin, year=2026, month=2, served=5
    )
    ServedCount.objects.create(region=world.region_a, agency=world.agency_a1, year=2026, month=4, served=999)
    period = Period.parse("2026-Q1")
    with django_assert_num_queries(1):
        served = indices.served(ServedCount.objects.filter(region=world.region_a), period)
    entered = indices.Source.ENTERED
    assert served.by_agency == {world.agency_a1.pk: Figure(100, entered), world.agency_a2.pk: Figure(5, entered)}
    assert served.by_service == {services.ktp.pk: Figure(30, entered), services.vaksin.pk: Figure(5, entered)}
    assert served.region == Figure(105, entered)

    units = indices.with_population(
        indices.by_unit(SurveyResponse.objects.filter(region=world.region_a), Level.AGENCY, period), served
    )
    disdukcapil, dinkes = units
    assert (disdukcapil.population, disdukcapil.sample) == (100, 80)
    assert disdukcapil.short_of_sample == 80 - disdukcapil.respondents > 0
    assert (dinkes.population, dinkes.sample, dinkes.short_of_sample) == (5, 5, 0)
    assert disdukcapil.population_source == dinkes.population_source == entered


def test_no_responses_no_index(world):
    assert indices.index_of(SurveyResponse.objects.filter(region=world.region_a)) is None
    assert indices.by_unit(SurveyResponse.objects.all(), Level.AGENCY) == []


def test_period_keys_round_trip():
    for key in ("2026", "2026-S1", "2026-Q3", "2026-07", "2026-01-15..2026-03-31"):
        assert Period.parse(key).key == key
    assert Period.parse("2026-q3").kind == Kind.QUARTER
    assert Period.parse("2026-12").previous(2)[0].key == "2026-11"
    assert Period.parse("2026-01").previous(2)[0].key == "2025-12"
    assert Period.parse("2026-S1").previous(2)[0].key == "2025-S2"
    assert Period.containing(Kind.QUARTER, dt.date(2026, 8, 1)).key == "2026-Q3"
    for bad in ("", "2026-13", "2026-Q5", "26", "2026-03-31..2026-01-01", "1999"):
        with pytest.raises(ValueError):
            Period.parse(bad)
