"""The project's one clock and the working-day calendar (framework-free).

Everything that needs "now" calls `now()` here; ruff bans `datetime.now` and
`django.utils.timezone.now` elsewhere so tests can freeze one clock.

Deadline convention (issue #2, mirrored in docs/architecture.md):
- something received on a working day before closing time counts from that day (day 0);
- received after closing or on a day off, day 0 is the next working day;
- the deadline of N working days is the closing time of the Nth working day after day 0
  (N = 0: closing time of day 0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib

UTC = dt.UTC
# How far the calendar searches for the next working day before declaring the calendar broken
# (a region with no office hours at all would otherwise loop forever).
_MAX_SEARCH_DAYS = 3660

Period = tuple[dt.time, dt.time]


def now() -> dt.datetime:
    """The current moment, timezone-aware, in UTC."""
    return dt.datetime.now(UTC)


def local_now(tz: str | dt.tzinfo) -> dt.datetime:
    return now().astimezone(_zone(tz))


def today(tz: str | dt.tzinfo) -> dt.date:
    return local_now(tz).date()


def _zone(tz: str | dt.tzinfo) -> dt.tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


class CalendarError(ValueError):
    """The calendar cannot answer (no working day found, a naive datetime, a negative count)."""


@lru_cache(maxsize=64)
def national_holidays(year: int) -> Mapping[dt.date, str]:
    """Indonesia's public holidays and joint leave days (cuti bersama) of one year."""
    table = holidays_lib.country_holidays("ID", years=year, categories=("public", "government"), language="id")
    return dict(table.items())


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and hours of one region (or one service point) in its own time zone.

    `hours` maps a weekday (0 = Monday) to its working periods; a break is the gap between two
    periods. `holidays` are the region's own days off, added to the national ones;
    `working_days` are days that are worked although the national calendar or the weekday says
    otherwise (with their own periods, or the usual periods of that weekday, or Monday's).
    """

    tz: dt.tzinfo
    hours: Mapping[int, tuple[Period, ...]]
    holidays: Mapping[dt.date, str] = field(default_factory=dict)
    working_days: Mapping[dt.date, tuple[Period, ...]] = field(default_factory=dict)
    national: bool = True

    @classmethod
    def build(
        cls,
        tz: str | dt.tzinfo,
        hours: Mapping[int, Iterable[Period]],
        holidays: Mapping[dt.date, str] | None = None,
        working_days: Mapping[dt.date, Iterable[Period]] | None = None,
        *,
        national: bool = True,
    ) -> WorkCalendar:
        clean_hours = {day: _check_periods(periods) for day, periods in hours.items()}
        clean_hours = {day: periods for day, periods in clean_hours.items() if periods}
        extra = {day: _check_periods(periods) for day, periods in (working_days or {}).items()}
        return cls(_zone(tz), clean_hours, dict(holidays or {}), extra, national)

    # --- days -------------------------------------------------------------------------------

    def holiday_name(self, day: dt.date) -> str | None:
        if day in self.holidays:
            return self.holidays[day]
        if self.national:
            return national_holidays(day.year).get(day)
        return None

    def periods(self, day: dt.date) -> tuple[Period, ...]:
        """The working periods of a day; empty when it is not a working day."""
        if day in self.working_days:
            return self.working_days[day] or self.hours.get(day.weekday()) or self.hours.get(0) or ()
        if self.holiday_name(day) is not None:
            return ()
        return self.hours.get(day.weekday(), ())

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.periods(day))

    def closing_time(self, day: dt.date) -> dt.time | None:
        periods = self.periods(day)
        return periods[-1][1] if periods else None

    def _closing(self, day: dt.date) -> dt.time:
        closing = self.closing_time(day)
        if closing is None:  # day_zero and next_working_day only return working days
            raise CalendarError(f"{day} is not a working day.")
        return closing

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        candidate = day
        for _ in range(_MAX_SEARCH_DAYS):
            candidate += dt.timedelta(days=1)
            if self.is_working_day(candidate):
                return candidate
        raise CalendarError("No working day found within ten years: the calendar has no office hours.")

    def working_days_in(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Working days from `start` to `end`, both included."""
        day = start
        while day <= end:
            if self.is_working_day(day):
                yield day
            day += dt.timedelta(days=1)

    # --- moments ----------------------------------------------------------------------------

    def local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise CalendarError("A naive datetime has no time zone; give an aware datetime.")
        return moment.astimezone(self.tz)

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def day_zero(self, moment: dt.datetime) -> dt.date:
        """The working day from which a period starting at `moment` is counted."""
        local = self.local(moment)
        day = local.date()
        closing = self.closing_time(day)
        if closing is not None and local.time() < closing:
            return day
        return self.next_working_day(day)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The deadline of `days` working days counted from `start` (see the module docstring)."""
        if days < 0:
            raise CalendarError("The number of working days cannot be negative.")
        day = self.day_zero(start)
        for _ in range(days):
            day = self.next_working_day(day)
        return self.at(day, self._closing(day))

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """The smallest N such that `end` falls within N working days of `start`.

        So `add_working_days(start, N) >= end`, and N is 0 when `end` is not after the
        closing time of day 0 (or not after `start`).
        """
        if end <= start:
            return 0
        day = self.day_zero(start)
        end_local = self.local(end)
        for count in range(_MAX_SEARCH_DAYS * 10):
            if self.at(day, self._closing(day)) >= end_local:
                return count
            day = self.next_working_day(day)
        raise CalendarError("The interval is too long to count.")

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole minutes of office time (breaks excluded) between two moments; negative if reversed."""
        if end < start:
            return -self.working_minutes_between(end, start)
        start_local, end_local = self.local(start), self.local(end)
        total = dt.timedelta()
        for day in self.working_days_in(start_local.date(), end_local.date()):
            for opens, closes in self.periods(day):
                lo = max(self.at(day, opens), start_local)
                hi = min(self.at(day, closes), end_local)
                if hi > lo:
                    total += hi - lo
        return int(total.total_seconds() // 60)

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The moment when `minutes` of office time have passed after `start`.

        Used to resume a paused deadline: the remaining office time is added to the moment
        of resumption. Zero minutes from outside office hours gives the next opening.
        """
        if minutes < 0:
            raise CalendarError("The number of working minutes cannot be negative.")
        local = self.local(start)
        remaining = dt.timedelta(minutes=minutes)
        day = local.date()
        for _ in range(_MAX_SEARCH_DAYS):
            for opens, closes in self.periods(day):
                lo = max(self.at(day, opens), local)
                hi = self.at(day, closes)
                if hi <= lo:
                    continue
                if remaining == dt.timedelta() or lo + remaining <= hi:
                    return lo + remaining
                remaining -= hi - lo
            day += dt.timedelta(days=1)
        raise CalendarError("No working time found within ten years: the calendar has no office hours.")

    def is_open(self, moment: dt.datetime) -> bool:
        local = self.local(moment)
        return any(opens <= local.time() < closes for opens, closes in self.periods(local.date()))


def _check_periods(periods: Iterable[Period]) -> tuple[Period, ...]:
    ordered = tuple(sorted(periods))
    previous_end: dt.time | None = None
    for opens, closes in ordered:
        if not opens < closes:
            raise CalendarError(f"A working period must open before it closes ({opens:%H:%M}–{closes:%H:%M}).")
        if previous_end is not None and opens < previous_end:
            raise CalendarError(f"Working periods overlap at {opens:%H:%M}.")
        previous_end = closes
    return ordered


def parse_local(text: str, tz: str | dt.tzinfo) -> dt.datetime:
    """Parse "YYYY-MM-DD HH:MM" (or ISO 8601) as local time in `tz`; an offset in the text wins."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CalendarError(f"{text!r} is not a date and time of the form YYYY-MM-DD HH:MM.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone(tz))
    return value
