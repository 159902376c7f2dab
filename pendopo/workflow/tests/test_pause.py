"""The clock stops while the case waits for the applicant, and the deadline moves by exactly that time."""

from __future__ import annotations

import datetime as dt

from pendopo.regions.models import OfficeHours
from pendopo.workflow.engine import apply_action
from pendopo.workflow.sweep import sweep_overdue

from .conftest import wib


def to_revision(world, case, frozen, moment):
    case = apply_action(case, "receive", world.officer_a1).case
    frozen(moment)
    return apply_action(case, "return_for_revision", world.officer_a1, note="Lampirkan KK terbaru.").case


def test_revision_pauses_and_resubmission_shifts_the_deadline(world, open_application, frozen):
    frozen(wib(2026, 6, 2, 9, 0))  # Tuesday
    case = open_application(overall=(5, "working_days"))
    assert case.due_at == wib(2026, 6, 9, 15, 30)
    case = to_revision(world, case, frozen, wib(2026, 6, 2, 10, 0))
    assert case.state == "revision"
    assert case.paused_at == wib(2026, 6, 2, 10, 0)
    assert case.state_due_at is None  # the applicant has no time limit in the default workflow
    assert case.expected_completion is None

    frozen(wib(2026, 6, 4, 11, 0))  # Thursday
    old_due = case.due_at
    case = apply_action(case, "resubmit", world.citizen).case
    # Paused: Tue 10:00–15:30 (330) + Wed (480) + Thu 07:30–11:00 (210) = 1020 working minutes.
    assert case.paused_minutes_total == 1020
    assert case.events.last().data == {"paused_working_minutes": 1020}
    calendar = case.calendar()
    assert calendar.working_minutes_between(old_due, case.due_at) == 1020
    assert case.due_at == wib(2026, 6, 12, 8, 30)  # Wed 480 + Thu 480 + Fri 60
    assert case.paused_at is None
    assert case.state == "verification"
    assert case.state_due_at == wib(2026, 6, 5, 14, 0)  # the step starts afresh: 1 working day, Friday's closing


def test_a_pause_over_a_holiday_weekend_counts_only_working_time(world, open_application, frozen):
    frozen(wib(2026, 8, 13, 9, 0))  # Thursday
    case = open_application(overall=(3, "working_days"))
    assert case.due_at == wib(2026, 8, 19, 15, 30)  # Fri 14, (weekend, Mon 17 Aug holiday) Tue 18, Wed 19
    case = to_revision(world, case, frozen, wib(2026, 8, 14, 10, 0))  # Friday
    frozen(wib(2026, 8, 18, 9, 0))  # Tuesday after Independence Day
    old_due = case.due_at
    case = apply_action(case, "resubmit", world.citizen).case
    assert case.paused_minutes_total == 240 + 90  # Fri 10:00–14:00, Tue 07:30–09:00
    assert case.calendar().working_minutes_between(old_due, case.due_at) == 330


def test_a_pause_over_a_break(world, open_application, frozen):
    OfficeHours.objects.filter(region=world.region_a, weekday=0).update(break_starts=dt.time(12, 0), break_ends=dt.time(13, 0))
    frozen(wib(2026, 6, 8, 9, 0))  # Monday
    case = open_application()
    case = to_revision(world, case, frozen, wib(2026, 6, 8, 11, 0))
    frozen(wib(2026, 6, 8, 14, 0))
    old_due = case.due_at
    case = apply_action(case, "resubmit", world.citizen).case
    assert case.paused_minutes_total == 120  # 11–12 and 13–14; the break does not count
    assert case.calendar().working_minutes_between(old_due, case.due_at) == 120


def test_a_pause_outside_office_hours_moves_nothing(world, open_application, frozen):
    frozen(wib(2026, 6, 5, 9, 0))  # Friday
    case = open_application()
    case = to_revision(world, case, frozen, wib(2026, 6, 5, 14, 30))  # after Friday's closing
    frozen(wib(2026, 6, 6, 10, 0))  # Saturday
    old_due = case.due_at
    case = apply_action(case, "resubmit", world.citizen).case
    assert case.paused_minutes_total == 0
    assert case.due_at == old_due


def test_pauses_add_up(world, open_application, frozen):
    frozen(wib(2026, 6, 8, 8, 0))  # Monday
    case = open_application(overall=(10, "working_days"))
    first_due = case.due_at
    case = to_revision(world, case, frozen, wib(2026, 6, 8, 9, 0))
    frozen(wib(2026, 6, 8, 10, 0))
    case = apply_action(case, "resubmit", world.citizen).case
    frozen(wib(2026, 6, 8, 11, 0))
    case = apply_action(case, "return_for_revision", world.officer_a1, note="Masih kurang.").case
    frozen(wib(2026, 6, 8, 11, 30))
    case = apply_action(case, "resubmit", world.citizen).case
    assert case.paused_minutes_total == 90
    assert case.calendar().working_minutes_between(first_due, case.due_at) == 90


def test_a_paused_case_is_never_overdue(world, open_application, frozen):
    frozen(wib(2026, 6, 2, 9, 0))
    case = open_application(overall=(1, "working_days"))
    case = to_revision(world, case, frozen, wib(2026, 6, 2, 10, 0))
    frozen(wib(2026, 6, 30, 10, 0))  # weeks after the overall deadline, still waiting for the applicant
    assert sweep_overdue().checked == 0
    case.refresh_from_db()
    assert not case.is_overdue and case.events.count() == 3


def test_withdrawing_while_paused_closes_and_unpauses(world, open_application, frozen):
    frozen(wib(2026, 6, 2, 9, 0))
    case = open_application()
    case = to_revision(world, case, frozen, wib(2026, 6, 2, 10, 0))
    frozen(wib(2026, 6, 2, 11, 0))
    case = apply_action(case, "withdraw", world.citizen).case
    assert case.is_closed and case.paused_at is None and case.paused_minutes_total == 60
