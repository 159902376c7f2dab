"""The working-day calendar (pendopo.lib.dates) on fixed examples, without the database.

Dates are Indonesia's 2026 calendar as the `holidays` package has it: Nyepi on Thursday 19 March
with cuti bersama on 18 March; Idul Fitri on 21–22 March (a weekend) with cuti bersama on 20, 23
and 24 March.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pendopo.lib import dates
from pendopo.lib.dates import CalendarError, WorkCalendar

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
T = dt.time


def banyuwangi_hours() -> dict[int, list[dates.Period]]:
    """07:30–15:30 Monday to Thursday, 07:30–14:00 on Friday."""
    return {**{day: [(T(7, 30), T(15, 30))] for day in range(4)}, 4: [(T(7, 30), T(14, 0))]}


@pytest.fixture
def bwi() -> WorkCalendar:
    return WorkCalendar.build("Asia/Jakarta", banyuwangi_hours())


def at(text: str, tz: dt.tzinfo = WIB) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


# --- the example --------------------------------------------------------------------------


def test_five_working_days_over_nyepi_and_idul_fitri(bwi):
    deadline = bwi.add_working_days(at("2026-03-17 10:00"), 5)
    assert deadline == at("2026-03-31 15:30")
    assert deadline.isoformat() == "2026-03-31T15:30:00+07:00"


def test_the_example_counts_exactly_these_working_days(bwi):
    counted = list(bwi.working_days_in(dt.date(2026, 3, 18), dt.date(2026, 3, 31)))
    assert counted == [dt.date(2026, 3, d) for d in (25, 26, 27, 30, 31)]
    assert bwi.working_days_between(at("2026-03-17 10:00"), at("2026-03-31 15:30")) == 5


# --- national holidays and cuti bersama -------------------------------------------------------------


def test_nyepi_and_its_joint_leave_day_are_days_off(bwi):
    assert bwi.holiday_name(dt.date(2026, 3, 19)) == "Hari Suci Nyepi"
    assert bwi.holiday_name(dt.date(2026, 3, 18)) == "Cuti Bersama Hari Suci Nyepi"
    assert not bwi.is_working_day(dt.date(2026, 3, 18))
    assert not bwi.is_working_day(dt.date(2026, 3, 19))


def test_idul_fitri_joint_leave_days_are_days_off(bwi):
    for day in (20, 23, 24):
        assert "Idul Fitri" in bwi.holiday_name(dt.date(2026, 3, day))
        assert not bwi.is_working_day(dt.date(2026, 3, day))
    assert bwi.is_working_day(dt.date(2026, 3, 25))


def test_holiday_names_in_english():
    assert dates.national_holidays(2026, "en")[dt.date(2026, 3, 19)] == "Day of Silence"
    assert dates.national_holidays(2026)[dt.date(2026, 3, 19)] == "Hari Suci Nyepi"


def test_national_holidays_can_be_switched_off():
    calendar = WorkCalendar.build("Asia/Jakarta", banyuwangi_hours(), national=False)
    assert calendar.is_working_day(dt.date(2026, 3, 19))


def test_days_off_between_lists_only_days_that_cost_a_working_day(bwi):
    days = bwi.days_off_between(dt.date(2026, 3, 17), dt.date(2026, 3, 31))
    assert [day for day, _name in days] == [dt.date(2026, 3, d) for d in (18, 19, 20, 23, 24)]
    # Idul Fitri itself (21–22 March) falls on the weekend the office is closed anyway.
    assert all("Idul Fitri" not in name or "Cuti" in name for _day, name in days)


# --- office hours -------------------------------------------------------------------------------------


def test_friday_closes_early(bwi):
    assert bwi.closing_time(dt.date(2026, 3, 6)) == T(14, 0)
    assert bwi.add_working_days(at("2026-03-06 10:00"), 0) == at("2026-03-06 14:00")
    assert bwi.add_working_days(at("2026-03-05 10:00"), 1) == at("2026-03-06 14:00")


def test_received_friday_after_short_closing_counts_from_monday(bwi):
    assert bwi.day_zero(at("2026-03-06 14:30")) == dt.date(2026, 3, 9)
    assert bwi.add_working_days(at("2026-03-06 14:30"), 0) == at("2026-03-09 15:30")


def test_lunch_break_is_not_working_time():
    calendar = WorkCalendar.build("Asia/Jakarta", {day: [(T(8), T(12)), (T(13), T(16))] for day in range(5)})
    assert calendar.working_minutes_between(at("2026-03-10 10:00"), at("2026-03-10 14:00")) == 180
    assert calendar.add_working_minutes(at("2026-03-10 11:30"), 60) == at("2026-03-10 13:30")
    assert calendar.add_working_minutes(at("2026-03-10 12:30"), 0) == at("2026-03-10 13:00")
    assert not calendar.is_open(at("2026-03-10 12:30"))
    assert calendar.is_open(at("2026-03-10 13:00"))
    # Received during the break: still before closing, so the day counts.
    assert calendar.day_zero(at("2026-03-10 12:30")) == dt.date(2026, 3, 10)


def test_working_minutes_run_over_nights_weekends_and_holidays(bwi):
    # Friday 13:00–14:00 (60) + Monday 07:30–08:30 (60).
    assert bwi.working_minutes_between(at("2026-03-13 13:00"), at("2026-03-16 08:30")) == 120
    assert bwi.add_working_minutes(at("2026-03-13 13:00"), 120) == at("2026-03-16 08:30")
    # Tuesday 17 March 15:00 → Wednesday 25 March 08:00: 30 + 30 minutes across Nyepi and Idul Fitri.
    assert bwi.working_minutes_between(at("2026-03-17 15:00"), at("2026-03-25 08:00")) == 60
    assert bwi.working_minutes_between(at("2026-03-25 08:00"), at("2026-03-17 15:00")) == -60


def test_working_minutes_ending_at_closing_stay_at_closing(bwi):
    assert bwi.add_working_minutes(at("2026-03-10 15:00"), 30) == at("2026-03-10 15:30")
    assert bwi.add_working_minutes(at("2026-03-10 15:00"), 31) == at("2026-03-11 07:31")


def test_zero_working_minutes_outside_office_hours_is_the_next_opening(bwi):
    assert bwi.add_working_minutes(at("2026-03-07 10:00"), 0) == at("2026-03-09 07:30")
    assert bwi.add_working_minutes(at("2026-03-09 10:00"), 0) == at("2026-03-09 10:00")


# --- day 0 ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "day_zero"),
    [
        ("2026-03-10 06:00", "2026-03-10"),  # working day, before opening
        ("2026-03-10 15:29", "2026-03-10"),  # working day, before closing
        ("2026-03-10 15:30", "2026-03-11"),  # at closing time: too late for that day
        ("2026-03-10 19:00", "2026-03-11"),  # after closing
        ("2026-03-07 10:00", "2026-03-09"),  # Saturday
        ("2026-03-08 23:59", "2026-03-09"),  # Sunday
        ("2026-03-19 09:00", "2026-03-25"),  # Nyepi, then cuti bersama and Idul Fitri
        ("2026-03-17 16:00", "2026-03-25"),  # after closing on the last day before the holidays
    ],
)
def test_day_zero(bwi, received, day_zero):
    assert bwi.day_zero(at(received)) == dt.date.fromisoformat(day_zero)


def test_zero_days_is_closing_time_of_day_zero(bwi):
    assert bwi.add_working_days(at("2026-03-10 10:00"), 0) == at("2026-03-10 15:30")
    assert bwi.add_working_days(at("2026-03-07 10:00"), 0) == at("2026-03-09 15:30")
    assert bwi.add_working_days(at("2026-03-19 10:00"), 0) == at("2026-03-25 15:30")


def test_day_zero_counts_in_the_calendars_zone(bwi):
    # 08:45 UTC is 15:45 in Banyuwangi: after closing, though the UTC date is the same.
    assert bwi.day_zero(dt.datetime(2026, 3, 10, 8, 45, tzinfo=dt.UTC)) == dt.date(2026, 3, 11)
    # 23:00 UTC on Monday is 06:00 on Tuesday in Banyuwangi.
    assert bwi.day_zero(dt.datetime(2026, 3, 9, 23, 0, tzinfo=dt.UTC)) == dt.date(2026, 3, 10)


def test_working_days_between(bwi):
    start = at("2026-03-10 10:00")
    assert bwi.working_days_between(start, at("2026-03-10 15:30")) == 0
    assert bwi.working_days_between(start, at("2026-03-10 15:31")) == 1
    assert bwi.working_days_between(start, at("2026-03-09 15:31")) == 0
    assert bwi.working_days_between(start, bwi.add_working_days(start, 12)) == 12


# --- regional changes -------------------------------------------------------------------------------------


def test_regional_day_off_moves_the_deadline():
    hari_jadi = {dt.date(2026, 12, 18): "Hari Jadi Banyuwangi"}
    calendar = WorkCalendar.build("Asia/Jakarta", banyuwangi_hours(), holidays=hari_jadi)
    national_only = WorkCalendar.build("Asia/Jakarta", banyuwangi_hours())
    assert national_only.add_working_days(at("2026-12-17 10:00"), 1) == at("2026-12-18 14:00")
    assert calendar.add_working_days(at("2026-12-17 10:00"), 1) == at("2026-12-21 15:30")
    assert calendar.holiday_name(dt.date(2026, 12, 18)) == "Hari Jadi Banyuwangi"


def test_saturday_declared_working_uses_the_usual_hours():
    saturday = dt.date(2026, 3, 28)
    calendar = WorkCalendar.build("Asia/Jakarta", banyuwangi_hours(), working_days={saturday: ()})
    assert calendar.periods(saturday) == ((T(7, 30), T(15, 30)),)
    # Received on Friday after 14:00: day 0 is the Saturday worked.
    assert calendar.add_working_days(at("2026-03-27 15:00"), 0) == at("2026-03-28 15:30")
    assert calendar.add_working_days(at("2026-03-27 15:00"), 1) == at("2026-03-30 15:30")


def test_saturday_declared_working_with_its_own_hours():
    saturday = dt.date(2026, 3, 28)
    calendar = WorkCalendar.build("Asia/Jakarta", banyuwangi_hours(), working_days={saturday: [(T(8), T(12))]})
    assert calendar.add_working_days(at("2026-03-27 15:00"), 0) == at("2026-03-28 12:00")
    assert calendar.working_minutes_between(at("2026-03-27 13:00"), at("2026-03-30 08:00")) == 60 + 240 + 30


def test_extra_working_day_beats_a_national_joint_leave_day():
    calendar = WorkCalendar.build("Asia/Jakarta", banyuwangi_hours(), working_days={dt.date(2026, 3, 24): ()})
    assert calendar.is_working_day(dt.date(2026, 3, 24))
    assert calendar.add_working_days(at("2026-03-17 10:00"), 1) == at("2026-03-24 15:30")


# --- time zones -------------------------------------------------------------------------------------------


def test_wita_region_deadline_has_its_offset():
    calendar = WorkCalendar.build("Asia/Makassar", {day: [(T(7, 30), T(16))] for day in range(5)})
    deadline = calendar.add_working_days(at("2026-03-10 09:00", WITA), 2)
    assert deadline.isoformat() == "2026-03-12T16:00:00+08:00"
    # 08:30 UTC is 16:30 WITA: after closing, so day 0 is the next day.
    assert calendar.day_zero(dt.datetime(2026, 3, 10, 8, 30, tzinfo=dt.UTC)) == dt.date(2026, 3, 11)


def test_wit_region_deadline_has_its_offset():
    calendar = WorkCalendar.build("Asia/Jayapura", {day: [(T(8), T(16))] for day in range(5)})
    assert calendar.add_working_days(at("2026-03-10 09:00", WIT), 0).isoformat() == "2026-03-10T16:00:00+09:00"


def test_a_moment_from_another_zone_is_read_in_the_calendars_zone(bwi):
    # 10:00 WITA is 09:00 WIB.
    assert bwi.add_working_days(at("2026-03-17 10:00", WITA), 5) == at("2026-03-31 15:30")


# --- refusals -----------------------------------------------------------------------------------------------


def test_naive_datetime_is_refused(bwi):
    naive = dt.datetime(2026, 3, 10, 10, 0)
    for call in (
        lambda: bwi.add_working_days(naive, 1),
        lambda: bwi.day_zero(naive),
        lambda: bwi.working_days_between(naive, at("2026-03-12 10:00")),
        lambda: bwi.working_minutes_between(at("2026-03-09 10:00"), naive),
        lambda: bwi.add_working_minutes(naive, 5),
        lambda: bwi.is_open(naive),
    ):
        with pytest.raises(CalendarError, match="naive"):
            call()


@pytest.mark.parametrize("count", [-1, 2.5, True, "3"])
def test_bad_counts_are_refused(bwi, count):
    with pytest.raises(CalendarError, match="number of working days"):
        bwi.add_working_days(at("2026-03-10 10:00"), count)
    with pytest.raises(CalendarError, match="number of working minutes"):
        bwi.add_working_minutes(at("2026-03-10 10:00"), count)


def test_calendar_without_office_hours_says_so():
    calendar = WorkCalendar.build("Asia/Jakarta", {})
    with pytest.raises(CalendarError, match="no office hours"):
        calendar.add_working_days(at("2026-03-10 10:00"), 1)
    with pytest.raises(CalendarError, match="no office hours"):
        calendar.add_working_minutes(at("2026-03-10 10:00"), 1)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({0: [(T(12), T(8))]}, "open before it closes"),
        ({0: [(T(8), T(12)), (T(11), T(15))]}, "overlap"),
        ({7: [(T(8), T(12))]}, "weekday"),
    ],
)
def test_bad_office_hours_are_refused(hours, message):
    with pytest.raises(CalendarError, match=message):
        WorkCalendar.build("Asia/Jakarta", hours)


def test_unknown_time_zone_is_refused():
    with pytest.raises(CalendarError, match="time zone"):
        WorkCalendar.build("Asia/Atlantis", banyuwangi_hours())


# --- parsing and the clock ------------------------------------------------------------------------------------


def test_parse_local_reads_local_time():
    assert dates.parse_local("2026-03-17 10:00", "Asia/Makassar").isoformat() == "2026-03-17T10:00:00+08:00"
    assert dates.parse_local(" 2026-03-17T10:00 ", WIB) == at("2026-03-17 10:00")


def test_parse_local_keeps_an_explicit_offset():
    assert dates.parse_local("2026-03-17T10:00:00+09:00", "Asia/Jakarta") == at("2026-03-17 08:00")


@pytest.mark.parametrize(("text", "message"), [("2026-02-30 10:00", "not a real date"), ("besok", "of the form")])
def test_parse_local_refuses_bad_input(text, message):
    with pytest.raises(CalendarError, match=message):
        dates.parse_local(text, "Asia/Jakarta")


def test_now_is_aware_utc():
    assert dates.now().utcoffset() == dt.timedelta(0)


@time_machine.travel(dt.datetime(2026, 3, 16, 16, 30, tzinfo=dt.UTC), tick=False)
def test_today_depends_on_the_zone():
    assert dates.now() == dt.datetime(2026, 3, 16, 16, 30, tzinfo=dt.UTC)
    assert dates.today("Asia/Jakarta") == dt.date(2026, 3, 16)  # 23:30 WIB
    assert dates.today("Asia/Makassar") == dt.date(2026, 3, 17)  # 00:30 WITA
    assert dates.local_now(WIT).isoformat() == "2026-03-17T01:30:00+09:00"
