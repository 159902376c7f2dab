"""Deadlines in the region's working time: holidays, cuti bersama, short Fridays, breaks, own hours, zones.

Banyuwangi (the world's region A) works Mon–Thu 07:30–15:30 and Fri 07:30–14:00 (WIB).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pendopo.regions.models import CalendarOverride, OfficeHours
from pendopo.workflow import actions
from pendopo.workflow.definition import default_complaint_workflow, default_service_workflow
from pendopo.workflow.engine import apply_action, start_case
from pendopo.workflow.models import CaseKind

from .conftest import wib


def minutes_definition(region, minutes=60):
    """The service workflow with a submitted step of some working minutes (an on-the-spot service)."""
    data = default_service_workflow()
    data["states"][0]["time_limit"] = {"value": minutes, "unit": "working_minutes"}
    return actions.create_definition(region, "express", "Layanan kilat", data)


def test_friday_closes_early(open_application, frozen):
    frozen(wib(2026, 6, 5, 10, 0))  # Friday
    case = open_application(overall=(1, "working_days"))
    assert case.state_due_at == wib(2026, 6, 8, 15, 30)  # Monday's closing
    assert case.due_at == wib(2026, 6, 8, 15, 30)
    case = open_application(overall=(0, "working_days"))
    assert case.due_at == wib(2026, 6, 5, 14, 0)  # 0 days: Friday's own closing, 14:00


def test_working_minutes_run_over_the_weekend(world, open_application, frozen):
    frozen(wib(2026, 6, 5, 13, 30))  # Friday, 30 minutes before closing
    case = open_application(definition=minutes_definition(world.region_a))
    assert case.state_due_at == wib(2026, 6, 8, 8, 0)  # 30 min on Friday, 30 on Monday morning


def test_holidays_and_cuti_bersama_are_skipped(open_application, frozen):
    # 18 Mar 2026 cuti bersama Nyepi, 19 Nyepi, 20 cuti bersama Idul Fitri, 21–22 Idul Fitri
    # (a weekend), 23–24 cuti bersama Idul Fitri: the next working day after Tue 17 is Wed 25.
    frozen(wib(2026, 3, 17, 10, 0))
    case = open_application(overall=(5, "working_days"))
    assert case.state_due_at == wib(2026, 3, 25, 15, 30)
    assert case.due_at == wib(2026, 3, 31, 15, 30)  # 25, 26, 27 (Fri), 30, 31


def test_received_after_closing_counts_from_the_next_working_day(open_application, frozen):
    frozen(wib(2026, 6, 4, 15, 45))  # Thursday after closing
    case = open_application(overall=(2, "working_days"))
    assert case.state_due_at == wib(2026, 6, 8, 15, 30)  # day 0 is Friday, 1 working day: Monday
    assert case.due_at == wib(2026, 6, 9, 15, 30)


def test_each_step_gets_its_own_deadline(world, open_application, frozen):
    frozen(wib(2026, 6, 8, 9, 0))  # Monday
    case = open_application()
    frozen(wib(2026, 6, 8, 10, 0))
    case = apply_action(case, "receive", world.officer_a1).case
    assert case.state_due_at == wib(2026, 6, 9, 15, 30)  # verification: 1 working day
    case = apply_action(case, "verify", world.officer_a1).case
    assert case.state_due_at == wib(2026, 6, 11, 15, 30)  # processing: 3 working days
    assert case.state_entered_at == wib(2026, 6, 8, 10, 0)


def test_breaks_are_not_working_time(world, open_application, frozen):
    OfficeHours.objects.filter(region=world.region_a, weekday__lt=4).update(
        break_starts=dt.time(12, 0), break_ends=dt.time(13, 0)
    )
    definition = minutes_definition(world.region_a, 90)
    frozen(wib(2026, 6, 8, 11, 0))  # Monday
    case = open_application(definition=definition)
    assert case.state_due_at == wib(2026, 6, 8, 13, 30)  # 60 minutes before the break, 30 after it
    frozen(wib(2026, 6, 8, 12, 15))  # received during the break
    case = open_application(definition=definition)
    assert case.state_due_at == wib(2026, 6, 8, 14, 30)


def test_regional_day_off_and_extra_working_day(world, open_application, frozen):
    CalendarOverride.objects.create(region=world.region_a, date=dt.date(2026, 6, 9), kind="holiday", name="Hari Jadi Banyuwangi")
    CalendarOverride.objects.create(
        region=world.region_a,
        date=dt.date(2026, 6, 6),
        kind="working_day",
        name="Sabtu kerja",
        opens=dt.time(8, 0),
        closes=dt.time(12, 0),
    )
    frozen(wib(2026, 6, 5, 10, 0))  # Friday
    case = open_application(overall=(2, "working_days"))
    assert case.state_due_at == wib(2026, 6, 6, 12, 0)  # the extra Saturday counts
    assert case.due_at == wib(2026, 6, 8, 15, 30)
    case = open_application(overall=(3, "working_days"))
    assert case.due_at == wib(2026, 6, 10, 15, 30)  # Tuesday 9 is the region's day off


def test_a_service_point_with_its_own_hours(world, open_application, frozen):
    counter = world.counter_a
    counter.has_own_hours = True
    counter.save()
    for weekday in range(6):  # the service mall opens Monday to Saturday, 08:00–12:00 on Saturday
        closes = dt.time(12, 0) if weekday == 5 else dt.time(15, 0)
        OfficeHours.objects.create(
            region=world.region_a, service_point=counter, weekday=weekday, opens=dt.time(8, 0), closes=closes
        )
    frozen(wib(2026, 6, 5, 13, 0))  # Friday
    case = open_application(service_point=counter)
    assert case.state_due_at == wib(2026, 6, 6, 12, 0)


def test_deadlines_in_the_regions_time_zone(world, frozen):
    definition = actions.create_definition(world.region_b, "default-service", "Alur", default_service_workflow())
    wita = ZoneInfo("Asia/Makassar")
    frozen(dt.datetime(2026, 6, 2, 9, 0, tzinfo=wita))
    case = start_case(
        CaseKind.APPLICATION, world.region_b, definition, agency=world.agency_b1, overall_time_limit=(1, "working_days")
    )
    # Mamuju Tengah keeps the default hours, 07:30–16:00 WITA.
    assert case.state_due_at == dt.datetime(2026, 6, 3, 16, 0, tzinfo=wita)
    assert case.state_due_at == dt.datetime(2026, 6, 3, 15, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_per_case_time_limits(world, frozen):
    definition = actions.create_definition(world.region_a, "default-complaint", "Pengaduan", default_complaint_workflow())
    frozen(wib(2026, 6, 8, 9, 0))  # Monday
    case = start_case(
        CaseKind.COMPLAINT,
        world.region_a,
        definition,
        agency=world.agency_a1,
        state_time_limits={"new": (2, "working_days"), "answered": {"value": 60, "unit": "working_days"}},
    )
    assert case.state_due_at == wib(2026, 6, 10, 15, 30)
    case = apply_action(case, "verify", world.admin_a).case
    assert case.state_due_at == wib(2026, 6, 15, 15, 30)  # follow_up keeps the definition's 5 days
    case = apply_action(case, "respond", world.officer_a1, note="Tindak lanjut: perbaikan jalan.").case
    # 60 working days; 16 June, 17 and 25 August are holidays.
    assert case.state_due_at == wib(2026, 9, 3, 15, 30)


def test_per_case_time_limits_name_real_states(world, complaint_definition):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        start_case(CaseKind.COMPLAINT, world.region_a, complaint_definition, state_time_limits={"resolved": (1, "working_days")})
