"""A region's working-day calendar built from its rows: office hours, breaks, calendar changes, service points."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pendopo.lib.dates import CalendarError
from pendopo.regions.models import CalendarOverride, OfficeHours, ServicePoint
from pendopo.regions.tests.factories import ServicePointFactory

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
T = dt.time


def at(text: str, tz: dt.tzinfo = WIB) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


def mpp(region) -> ServicePoint:
    """Mal Pelayanan Publik: 08:00–16:00 on weekdays and 08:00–12:00 on Saturday."""
    point = ServicePointFactory.create(region=region, code="MPP", name="Mal Pelayanan Publik", kind="mall", has_own_hours=True)
    for weekday in range(5):
        OfficeHours.objects.create(region=region, service_point=point, weekday=weekday, opens=T(8), closes=T(16))
    OfficeHours.objects.create(region=region, service_point=point, weekday=5, opens=T(8), closes=T(12))
    return point


def test_banyuwangi_calendar_from_its_office_hours(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        calendar = world.region_a.calendar()
    assert calendar.closing_time(dt.date(2026, 3, 16)) == T(15, 30)  # Monday
    assert calendar.closing_time(dt.date(2026, 3, 13)) == T(14, 0)  # Friday
    assert calendar.closing_time(dt.date(2026, 3, 14)) is None  # Saturday
    assert calendar.add_working_days(at("2026-03-17 10:00"), 5) == at("2026-03-31 15:30")


def test_region_without_office_hours_gets_the_default_week(world):
    calendar = world.region_b.calendar()
    assert {day: periods[-1][1] for day, periods in calendar.hours.items()} == dict.fromkeys(range(5), T(16))


def test_wita_region_deadlines_carry_plus_eight(world):
    calendar = world.region_b.calendar()
    deadline = calendar.add_working_days(at("2026-03-10 09:00", WITA), 1)
    assert deadline.isoformat() == "2026-03-11T16:00:00+08:00"
    # One moment, two regions: 15:15 WIB is before Banyuwangi closes (15:30 WIB) but is 16:15 WITA,
    # after Mamuju Tengah closes (16:00 WITA).
    moment = at("2026-03-10 15:15")
    assert world.region_a.calendar().day_zero(moment) == dt.date(2026, 3, 10)
    assert calendar.day_zero(moment) == dt.date(2026, 3, 11)


def test_lunch_break_is_left_out_of_working_minutes(world):
    region = world.region_b
    for weekday in range(5):
        OfficeHours.objects.create(
            region=region, weekday=weekday, opens=T(7, 30), closes=T(16), break_starts=T(12), break_ends=T(13)
        )
    calendar = region.calendar()
    assert calendar.periods(dt.date(2026, 3, 10)) == ((T(7, 30), T(12)), (T(13), T(16)))
    assert calendar.working_minutes_between(at("2026-03-10 11:00", WITA), at("2026-03-10 14:00", WITA)) == 120
    assert calendar.add_working_minutes(at("2026-03-10 11:30", WITA), 60) == at("2026-03-10 13:30", WITA)
    assert not calendar.is_open(at("2026-03-10 12:15", WITA))


def test_regional_day_off_applies_to_its_region_only(world):
    CalendarOverride.objects.create(
        region=world.region_a, date=dt.date(2026, 12, 18), kind=CalendarOverride.Kind.HOLIDAY, name="Hari Jadi Banyuwangi"
    )
    calendar = world.region_a.calendar()
    assert calendar.holiday_name(dt.date(2026, 12, 18)) == "Hari Jadi Banyuwangi"
    assert calendar.add_working_days(at("2026-12-17 10:00"), 1) == at("2026-12-21 15:30")
    assert world.region_b.calendar().is_working_day(dt.date(2026, 12, 18))


def test_saturday_declared_working_uses_the_usual_hours(world):
    CalendarOverride.objects.create(
        region=world.region_a, date=dt.date(2026, 3, 28), kind=CalendarOverride.Kind.WORKING_DAY, name="Pengganti cuti bersama"
    )
    calendar = world.region_a.calendar()
    assert calendar.is_working_day(dt.date(2026, 3, 28))
    assert calendar.add_working_days(at("2026-03-27 15:00"), 0) == at("2026-03-28 15:30")


def test_saturday_declared_working_with_its_own_hours(world):
    CalendarOverride.objects.create(
        region=world.region_a,
        date=dt.date(2026, 3, 28),
        kind=CalendarOverride.Kind.WORKING_DAY,
        name="Pelayanan akhir pekan",
        opens=T(8),
        closes=T(12),
    )
    calendar = world.region_a.calendar()
    assert calendar.add_working_days(at("2026-03-27 15:00"), 0) == at("2026-03-28 12:00")
    assert calendar.add_working_days(at("2026-03-27 15:00"), 1) == at("2026-03-30 15:30")


def test_joint_leave_day_declared_working(world):
    CalendarOverride.objects.create(
        region=world.region_a, date=dt.date(2026, 3, 24), kind=CalendarOverride.Kind.WORKING_DAY, name="Masuk kerja"
    )
    assert world.region_a.calendar().add_working_days(at("2026-03-17 10:00"), 1) == at("2026-03-24 15:30")


def test_service_mall_keeps_its_own_hours_and_saturday(world, django_assert_num_queries):
    point = mpp(world.region_a)
    with django_assert_num_queries(2):
        calendar = world.region_a.calendar(point)
    assert calendar.closing_time(dt.date(2026, 3, 13)) == T(16)  # Friday: the mall's hours, not the region's 14:00
    # Received on Friday after the mall closes: day 0 is Saturday, due at its noon closing.
    assert calendar.add_working_days(at("2026-03-13 16:30"), 0) == at("2026-03-14 12:00")
    assert calendar.add_working_days(at("2026-03-13 16:30"), 1) == at("2026-03-16 16:00")
    assert not world.region_a.calendar().is_working_day(dt.date(2026, 3, 14))


def test_service_mall_follows_regional_and_national_days_off(world):
    point = mpp(world.region_a)
    CalendarOverride.objects.create(
        region=world.region_a, date=dt.date(2026, 12, 19), kind=CalendarOverride.Kind.HOLIDAY, name="Libur daerah"
    )
    calendar = world.region_a.calendar(point)
    assert not calendar.is_working_day(dt.date(2026, 12, 19))  # a Saturday, closed by the region
    assert not calendar.is_working_day(dt.date(2026, 3, 19))  # Nyepi


def test_service_point_without_own_hours_follows_the_region(world):
    calendar = world.region_a.calendar(world.counter_a)
    assert calendar.closing_time(dt.date(2026, 3, 13)) == T(14, 0)


def test_service_point_marked_own_hours_but_without_rows_follows_the_region(world):
    point = ServicePointFactory.create(region=world.region_a, code="DESA-1", kind="village", has_own_hours=True)
    assert world.region_a.calendar(point).hours == world.region_a.calendar().hours


def test_another_regions_service_point_is_refused(world):
    point = ServicePointFactory.create(region=world.region_b, code="MPP-MTG", kind="mall")
    with pytest.raises(CalendarError, match="does not belong"):
        world.region_a.calendar(point)


# --- the cached calendar (regions/calendars.py) ------------------------------------------------------


def test_the_calendar_is_read_once_per_region_and_year(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        first = world.region_a.calendar()
    with django_assert_num_queries(0):
        again = world.region_a.calendar()
        assert world.region_a.calendar(world.counter_a) == again  # a point without its own hours follows the region
    assert again.add_working_days(at("2026-03-17 10:00"), 5) == first.add_working_days(at("2026-03-17 10:00"), 5)


def test_a_new_day_off_clears_the_cached_calendar(world, django_capture_on_commit_callbacks):
    before = world.region_a.calendar()
    assert before.is_working_day(dt.date(2026, 3, 17))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        override = CalendarOverride.objects.create(
            region=world.region_a, date=dt.date(2026, 3, 17), kind=CalendarOverride.Kind.HOLIDAY, name="Hari Jadi"
        )
    assert callbacks  # cleared again once the transaction commits, for the other processes
    assert not world.region_a.calendar().is_working_day(dt.date(2026, 3, 17))
    # Deadlines move with it: five working days from Monday now take as long as six did before.
    assert world.region_a.calendar().add_working_days(at("2026-03-16 10:00"), 5) == before.add_working_days(
        at("2026-03-16 10:00"), 6
    )

    override.delete()
    assert world.region_a.calendar().is_working_day(dt.date(2026, 3, 17))


def test_changed_office_hours_clear_the_cached_calendar(world):
    assert world.region_a.calendar().closing_time(dt.date(2026, 3, 16)) == T(15, 30)
    monday = OfficeHours.objects.get(region=world.region_a, service_point=None, weekday=0)
    monday.closes = T(17)
    monday.save()
    assert world.region_a.calendar().closing_time(dt.date(2026, 3, 16)) == T(17)
    # Another region's cached calendar is left alone.
    assert world.region_b.calendar() == world.region_b.calendar()


def test_a_service_point_taking_its_own_hours_clears_the_cached_calendar(world):
    point = ServicePointFactory.create(region=world.region_a, code="MPP2", name="Mal", kind="mall")
    assert world.region_a.calendar(point).closing_time(dt.date(2026, 3, 14)) is None  # the region's Saturday
    OfficeHours.objects.create(region=world.region_a, service_point=point, weekday=5, opens=T(8), closes=T(12))
    point.has_own_hours = True
    point.save()
    assert world.region_a.calendar(point).closing_time(dt.date(2026, 3, 14)) == T(12)
