"""Deadlines of applications in the region's working time: holidays, joint leave, Fridays, breaks, pauses."""

from __future__ import annotations

import datetime as dt

import pytest

from pendopo.applications import actions
from pendopo.applications.forms import Upload
from pendopo.applications.models import Document
from pendopo.applications.selectors import tracking
from pendopo.applications.tests.conftest import pdf_bytes, service_standard, upload, valid_form, wib
from pendopo.applications.uploads import check_upload
from pendopo.catalog.tests.factories import make_service
from pendopo.regions.models import OfficeHours

pytestmark = pytest.mark.django_db


def test_three_working_days_skip_joint_leave_the_holiday_and_end_at_friday_closing(apply, frozen):
    # Friday 13 February 2026, 13:00 WIB: before Banyuwangi's Friday closing (14:00), so Friday is day 0.
    # Monday 16 is joint leave (cuti bersama) for the Lunar New Year, Tuesday 17 the holiday itself.
    frozen(wib(2026, 2, 13, 13, 0))
    application = apply()
    assert application.case.due_at == wib(2026, 2, 20, 14, 0)  # Wed 18, Thu 19, Fri 20 at Friday's closing


def test_received_after_friday_closing_counts_from_the_next_working_day(apply, frozen):
    frozen(wib(2026, 2, 13, 14, 30))
    application = apply()
    # Day 0 is Wednesday 18 (16 and 17 are off); then Thu 19, Fri 20, Mon 23, at 15:30.
    assert application.case.due_at == wib(2026, 2, 23, 15, 30)


def test_a_time_limit_in_minutes_skips_the_lunch_break(world, frozen):
    OfficeHours.objects.filter(region=world.region_a, service_point=None, weekday=0).update(
        break_starts=dt.time(12, 0), break_ends=dt.time(13, 0)
    )
    frozen(wib(2026, 1, 5, 9, 0))
    quick = make_service(
        world.head_a1,
        world.agency_a1,
        code="LEGALISIR",
        name="Legalisir dokumen",
        standard=service_standard(time_limit_value=60, time_limit_unit="minutes"),
        channels=["online"],
    )
    frozen(wib(2026, 2, 2, 11, 30))  # Monday, half an hour before the break

    application = actions.submit_application(world.citizen, quick, valid_form(quick).to_input())

    assert application.case.due_at == wib(2026, 2, 2, 13, 30)


def test_returning_for_revision_pauses_the_clock_until_the_applicant_resubmits(world, apply, frozen):
    application = apply()  # Monday 2 February 09:00, due Thursday 5 February 15:30
    assert application.case.due_at == wib(2026, 2, 5, 15, 30)
    frozen(wib(2026, 2, 3, 9, 0))
    actions.take_action(application, "receive", world.officer_a1)
    actions.take_action(application, "return_for_revision", world.officer_a1, note="Foto KK tidak terbaca, unggah ulang.")

    case = application.case
    assert case.is_paused and case.state == "revision"
    assert case.expected_completion is None
    public = tracking(case.code)
    assert public.is_paused and public.expected_completion is None

    # Thursday 09:00 the applicant sends a readable copy: Tue 09:00–15:30 + Wed 07:30–15:30 + Thu 07:30–09:00
    # = 390 + 480 + 90 = 960 working minutes of waiting, added to the deadline.
    frozen(wib(2026, 2, 5, 9, 0))
    corrected = Upload(
        Document.Kind.REQUIREMENT, "req-1", "Fotokopi Kartu Keluarga", check_upload(upload("kk2.pdf", pdf_bytes()))
    )
    actions.take_action(application, "resubmit", world.citizen, uploads=[corrected])

    case.refresh_from_db()
    assert not case.is_paused and case.state == "verification"
    assert case.paused_minutes_total == 960
    # Thu 15:30 + 960 min: Fri 07:30–14:00 (390), Mon 07:30–15:30 (480), Tue 07:30 + 90 → Tue 10 Feb 09:00.
    assert case.due_at == wib(2026, 2, 10, 9, 0)
    assert list(application.documents.filter(slot="req-1").values_list("original_name", "event_seq").order_by("pk")) == [
        ("kk.pdf", 1),
        ("kk2.pdf", 4),
    ]
