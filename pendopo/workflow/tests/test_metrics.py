"""Metrics pinned on a handful of cases whose numbers are worked out by hand (docs/workflow.md defines them)."""

from __future__ import annotations

import datetime as dt

import pytest

from pendopo.workflow.engine import apply_action
from pendopo.workflow.metrics import (
    CaseMetrics,
    case_metrics,
    metrics_by,
    metrics_by_period,
    month_periods,
    percentile,
    received_by,
)
from pendopo.workflow.models import Case

from .conftest import wib


def complete(world, case, frozen, at):
    frozen(at)
    for action in ("receive", "verify", "submit_for_approval"):
        case = apply_action(case, action, world.officer_a1).case
    return apply_action(case, "approve", world.head_a1).case


@pytest.fixture
def cases(world, open_application, frozen):
    """Seven cases of agency A1 and one of agency A2 (5 working days each), seen on Mon 15 June 10:00."""
    made = {}
    frozen(wib(2026, 6, 2, 9, 0))  # Tuesday; due Tue 9 June 15:30
    made["a"], made["b"], made["c"], made["d"], made["e"] = (open_application() for _ in range(5))
    made["h"] = open_application(agency=world.agency_a2)
    frozen(wib(2026, 6, 2, 10, 0))
    made["c"] = apply_action(
        apply_action(made["c"], "receive", world.officer_a1).case, "return_for_revision", world.officer_a1, note="KK"
    ).case
    frozen(wib(2026, 6, 3, 9, 0))
    made["g"] = open_application()
    frozen(wib(2026, 6, 3, 10, 0))
    made["g"] = apply_action(
        apply_action(made["g"], "receive", world.officer_a1).case, "return_for_revision", world.officer_a1, note="KK"
    ).case
    made["d"] = apply_action(made["d"], "reject", world.officer_a1, note="Bukan kewenangan kami.").case
    made["a"] = complete(world, made["a"], frozen, wib(2026, 6, 3, 10, 0))  # 1 working day, on time
    frozen(wib(2026, 6, 4, 11, 0))
    made["c"] = apply_action(made["c"], "resubmit", world.citizen).case  # paused 1020 working minutes
    made["b"] = complete(world, made["b"], frozen, wib(2026, 6, 11, 10, 0))  # 7 working days, late
    frozen(wib(2026, 6, 12, 8, 0))
    for action in ("verify", "submit_for_approval"):
        made["c"] = apply_action(made["c"], action, world.officer_a1).case
    made["c"] = apply_action(made["c"], "approve", world.head_a1).case  # before its shifted deadline (Fri 08:30)
    frozen(wib(2026, 6, 15, 8, 0))
    made["f"] = open_application()
    frozen(wib(2026, 6, 15, 10, 0))
    return made


def test_pinned_metrics(world, cases, django_assert_max_num_queries):
    assert cases["c"].due_at == wib(2026, 6, 12, 8, 30)
    case_metrics(Case.objects.filter(agency=world.agency_a1))  # the first count lays out the calendar's rows
    with django_assert_max_num_queries(4):
        metrics = case_metrics(Case.objects.filter(agency=world.agency_a1))
    assert metrics == CaseMetrics(
        received=7,
        completed=3,  # a, b, c
        rejected=1,  # d
        withdrawn=0,
        completed_on_time=2,  # a, and c thanks to its pause
        open=3,  # e, f, g
        open_overdue=1,  # e; g is waiting for the applicant and was not late when it paused
        on_time_rate=0.5,  # 2 / (3 + 1)
        median_processing_days=5.0,  # a 1, c 5 (pause left out), b 7
        p90_processing_days=7,
        backlog_median_age_days=8.0,  # f 0, g 8, e 9
        backlog_max_age_days=9,
    )


def test_a_period(world, cases):
    june_first_half = case_metrics(Case.objects.filter(agency=world.agency_a1), start=wib(2026, 6, 1), end=wib(2026, 6, 13))
    assert (june_first_half.received, june_first_half.completed, june_first_half.open, june_first_half.open_overdue) == (
        6,
        3,
        2,
        1,
    )
    later = case_metrics(Case.objects.filter(agency=world.agency_a1), start=wib(2026, 6, 13), end=wib(2026, 7, 1))
    assert (later.received, later.completed, later.open, later.on_time_rate) == (1, 0, 3, 0.0)


def test_per_agency_and_per_month(world, cases):
    by_agency = metrics_by(Case.objects.filter(region=world.region_a), "agency_id")
    assert set(by_agency) == {world.agency_a1.pk, world.agency_a2.pk}
    assert by_agency[world.agency_a2.pk].open_overdue == 1 and by_agency[world.agency_a2.pk].on_time_rate == 0.0
    periods = month_periods("Asia/Jakarta", dt.date(2026, 5, 20), dt.date(2026, 6, 1))
    assert periods == [(wib(2026, 5, 1), wib(2026, 6, 1)), (wib(2026, 6, 1), wib(2026, 7, 1))]
    (may, may_metrics), (june, june_metrics) = metrics_by_period(Case.objects.filter(agency=world.agency_a1), periods)
    assert may == periods[0] and june == periods[1]
    assert may_metrics.received == 0 and may_metrics.on_time_rate is None
    assert june_metrics.received == 7 and june_metrics.completed == 3


def test_received_by_counts_what_metrics_by_calls_received(world, cases, frozen, open_application, django_assert_num_queries):
    # One more received exactly at the end of a period (belongs to the next) and one at its start.
    open_application(received_at=wib(2026, 6, 13))
    open_application(received_at=wib(2026, 6, 2, 9, 0), agency=world.agency_a2)
    region_cases = Case.objects.filter(region=world.region_a)
    for start, end in (
        (None, None),
        (wib(2026, 6, 1), wib(2026, 6, 13)),
        (wib(2026, 6, 13), wib(2026, 7, 1)),
        (wib(2026, 6, 2, 9, 0), None),
    ):
        with django_assert_num_queries(1):
            counted = received_by(region_cases, ["agency_id"], start=start, end=end)
        metrics = metrics_by(region_cases, "agency_id", start=start, end=end)
        assert counted == {(agency,): figures.received for agency, figures in metrics.items() if figures.received}
    assert received_by(region_cases, ["agency_id"], start=wib(2026, 6, 1), end=wib(2026, 6, 13)) == {
        (world.agency_a1.pk,): 6,
        (world.agency_a2.pk,): 2,
    }
    assert received_by(region_cases, ["agency_id"], start=wib(2026, 6, 13), end=wib(2026, 7, 1)) == {(world.agency_a1.pk,): 2}


def test_nothing_to_measure():
    assert case_metrics(Case.objects.none()) == CaseMetrics()


def test_percentile_is_nearest_rank():
    assert percentile(range(1, 11), 0.9) == 9
    assert percentile([4], 0.9) == 4
    assert percentile([3, 1, 2], 0.5) == 2
    assert percentile([], 0.9) is None


def _counted_in_python(rows, start, end, as_of):
    """The counted figures worked out row by row, straight from the definitions in workflow/metrics.py."""

    def within(moment):
        return moment is not None and (start is None or moment >= start) and (end is None or moment < end)

    def late(row):
        if row["due_at"] is None:
            return False
        if row["paused_at"] is not None and row["closed_at"] is None:
            return row["due_at"] < min(row["paused_at"], as_of)
        return row["due_at"] < as_of

    counts = dict.fromkeys(("received", "completed", "rejected", "withdrawn", "completed_on_time", "open", "open_overdue"), 0)
    for row in rows:
        counts["received"] += within(row["received_at"])
        if within(row["closed_at"]):
            outcome = row["outcome"]
            if outcome in ("completed", "rejected", "withdrawn"):
                counts[outcome] += 1
            if outcome == "completed" and (row["due_at"] is None or row["closed_at"] <= row["due_at"]):
                counts["completed_on_time"] += 1
        if row["received_at"] <= as_of and (row["closed_at"] is None or row["closed_at"] > as_of):
            counts["open"] += 1
            counts["open_overdue"] += late(row)
    return counts


def test_the_database_counts_what_the_definition_counts(world, cases, frozen, open_application, django_assert_num_queries):
    """The counts come from one aggregate query; row by row they are the same (SQLite and PostgreSQL)."""
    frozen(wib(2026, 6, 16, 9, 0))
    withdrawn = open_application()
    apply_action(withdrawn, "withdraw", world.citizen)
    open_application(overall=None)  # no deadline: never overdue
    region_cases = Case.objects.filter(region=world.region_a)
    rows = list(region_cases.values("agency_id", "received_at", "closed_at", "outcome", "due_at", "paused_at"))
    assert any(row["paused_at"] for row in rows) and any(row["outcome"] == "withdrawn" for row in rows)
    windows = (
        (None, None, None),
        (wib(2026, 6, 1), wib(2026, 6, 13), None),
        (wib(2026, 6, 13), wib(2026, 7, 1), None),
        (wib(2026, 6, 3), wib(2026, 6, 12), wib(2026, 6, 10, 12, 0)),  # c paused on the 10th, not late then
        (wib(2026, 6, 9, 16, 0), wib(2026, 6, 11, 10, 0), None),  # b past its deadline, still open, then completed
        (wib(2026, 6, 2, 9, 0), None, None),
    )
    for start, end, as_of in windows:
        seen = as_of or min(end or wib(2026, 6, 16, 9, 0), wib(2026, 6, 16, 9, 0))
        with django_assert_num_queries(1):
            by_agency = metrics_by(region_cases, "agency_id", start=start, end=end, as_of=as_of, processing=False, backlog=False)
        for agency in (world.agency_a1.pk, world.agency_a2.pk):
            expected = _counted_in_python([r for r in rows if r["agency_id"] == agency], start, end, seen)
            figures = by_agency[agency].as_dict()
            assert {key: figures[key] for key in expected} == expected, (start, end, as_of, agency)
        total = case_metrics(region_cases, start=start, end=end, as_of=as_of, processing=False, backlog=False)
        assert {k: v for k, v in total.as_dict().items() if k in expected} == _counted_in_python(rows, start, end, seen)
        assert total.median_processing_days is None and total.backlog_max_age_days is None
