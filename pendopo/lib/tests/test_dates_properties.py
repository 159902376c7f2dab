"""Invariants of the working-day calendar on generated calendars and moments (hypothesis).

Calendars are drawn with random office hours (0–2 periods a weekday, so breaks too), random
regional days off and extra working days, in WIB, WITA or WIT, on top of the national calendar;
moments are drawn with seconds and in other zones than the calendar's.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pendopo.lib.dates import WorkCalendar

ZONES = [ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")]
FIRST, LAST = dt.datetime(2025, 1, 1), dt.datetime(2027, 12, 31)  # years the holidays package has decreed or estimated

# The first call of a year builds its national holidays: slow once, then cached.
calendar_settings = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def day_periods(draw: st.DrawFn, max_periods: int = 2) -> tuple[tuple[dt.time, dt.time], ...]:
    """0 to `max_periods` working periods on a 15-minute grid between 06:00 and 21:00."""
    count = draw(st.integers(0, max_periods))
    marks = sorted(draw(st.sets(st.integers(24, 84), min_size=2 * count, max_size=2 * count)))
    times = [dt.time(mark // 4, (mark % 4) * 15) for mark in marks]
    return tuple(zip(times[::2], times[1::2], strict=True))


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    hours = {day: draw(day_periods()) for day in range(7)}
    if not any(hours.values()):
        hours[draw(st.integers(0, 6))] = draw(day_periods(max_periods=1).filter(bool))
    days = st.dates(min_value=FIRST.date(), max_value=LAST.date())
    holidays = draw(st.dictionaries(days, st.just("Hari libur daerah"), max_size=15))
    working_days = draw(st.dictionaries(days, day_periods(max_periods=1), max_size=8))
    return WorkCalendar.build(draw(st.sampled_from(ZONES)), hours, holidays, working_days)


moments = st.datetimes(min_value=FIRST, max_value=LAST, timezones=st.sampled_from([*ZONES, dt.UTC]))
minute_moments = moments.map(lambda moment: moment.replace(second=0, microsecond=0))
counts = st.integers(0, 40)


@calendar_settings
@given(calendars(), moments, counts)
def test_deadline_is_a_closing_time_of_a_working_day(calendar, start, n):
    deadline = calendar.add_working_days(start, n)
    day = deadline.date()
    assert calendar.is_working_day(day)
    assert deadline.time() == calendar.closing_time(day)
    assert deadline.utcoffset() == calendar.local(start).utcoffset()


@calendar_settings
@given(calendars(), moments, counts)
def test_deadline_is_never_before_start(calendar, start, n):
    assert calendar.add_working_days(start, n) > start


@calendar_settings
@given(calendars(), moments, counts)
def test_day_zero_follows_the_convention(calendar, start, n):
    local = calendar.local(start)
    zero = calendar.day_zero(start)
    assert calendar.is_working_day(zero)
    assert zero >= local.date()
    received_in_time = calendar.is_working_day(local.date()) and local.time() < calendar.closing_time(local.date())
    assert (zero == local.date()) == received_in_time
    # No working day is skipped between the day of receipt and day 0.
    assert list(calendar.working_days_in(local.date() + dt.timedelta(days=1), zero - dt.timedelta(days=1))) == []
    assert calendar.add_working_days(start, 0) == calendar.at(zero, calendar.closing_time(zero))


@calendar_settings
@given(calendars(), moments, counts)
def test_add_working_days_is_strictly_monotone_in_n(calendar, start, n):
    assert calendar.add_working_days(start, n) < calendar.add_working_days(start, n + 1)


@calendar_settings
@given(calendars(), moments, moments, counts)
def test_add_working_days_is_monotone_in_start(calendar, a, b, n):
    first, second = sorted([a, b])
    assert calendar.add_working_days(first, n) <= calendar.add_working_days(second, n)


@calendar_settings
@given(calendars(), moments, counts)
def test_working_days_between_inverts_add_working_days(calendar, start, n):
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@calendar_settings
@given(calendars(), moments, moments)
def test_working_days_between_is_the_smallest_count_that_reaches_end(calendar, start, end):
    n = calendar.working_days_between(start, end)
    assert n >= 0
    assert calendar.add_working_days(start, n) >= end or end <= start
    if n > 0:
        assert calendar.add_working_days(start, n - 1) < end


@calendar_settings
@given(calendars(), moments, moments, moments)
def test_working_minutes_are_additive(calendar, a, b, c):
    minutes = calendar.working_minutes_between
    assert minutes(a, b) + minutes(b, c) == minutes(a, c)


@calendar_settings
@given(calendars(), moments, moments)
def test_working_minutes_are_antisymmetric_and_bounded(calendar, a, b):
    minutes = calendar.working_minutes_between(a, b)
    assert minutes == -calendar.working_minutes_between(b, a)
    assert abs(minutes) <= abs((b - a).total_seconds()) // 60 + 1


@calendar_settings
@given(calendars(), moments, moments)
def test_add_working_minutes_inverts_working_minutes_between(calendar, a, b):
    start, end = sorted([a, b])
    minutes = calendar.working_minutes_between(start, end)
    reached = calendar.add_working_minutes(start, minutes)
    assert reached >= start
    assert calendar.working_minutes_between(start, reached) == minutes


@calendar_settings
@given(calendars(), minute_moments, minute_moments)
def test_add_working_minutes_reaches_no_later_than_end_on_whole_minutes(calendar, a, b):
    start, end = sorted([a, b])
    minutes = calendar.working_minutes_between(start, end)
    if minutes > 0:
        assert calendar.add_working_minutes(start, minutes) <= end


@calendar_settings
@given(calendars(), moments, st.integers(0, 5000), st.integers(0, 5000))
def test_add_working_minutes_is_monotone_and_exact(calendar, start, m, extra):
    first = calendar.add_working_minutes(start, m)
    second = calendar.add_working_minutes(start, m + extra)
    assert first <= second
    assert calendar.working_minutes_between(start, second) == m + extra
    assert calendar.is_open(second) or second.time() in {end for _o, end in calendar.periods(second.date())}


@calendar_settings
@given(calendars(), moments)
def test_is_open_exactly_inside_working_periods(calendar, moment):
    # Periods lie on a 15-minute grid, so the minute that holds `moment` is wholly open or closed.
    open_now = calendar.is_open(moment)
    assert calendar.working_minutes_between(moment, moment + dt.timedelta(minutes=1)) == int(open_now)
    if open_now:
        assert calendar.is_working_day(calendar.local(moment).date())
