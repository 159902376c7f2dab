"""The project's one clock and the working-day calendar (framework-free).

Everything that needs "now" calls `now()` here; ruff bans `datetime.now` and
`django.utils.timezone.now` elsewhere so tests can freeze one clock.

Deadline convention (issue #2, documented in docs/calendar.md):
- something received on a working day before closing time counts from that day (day 0);
- received after closing or on a day off, day 0 is the next working day;
- the deadline of N working days is the closing time of the Nth working day after day 0
  (N = 0: closing time of day 0).

Days off are Indonesia's public holidays and joint leave days (*cuti bersama*) from the
`holidays` package (country ID, categories public + government), plus a region's own days off;
a region may also declare extra working days (a Saturday worked to make up for a bridge day).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

UTC = dt.UTC
# How far the calendar searches for the next working day before declaring the calendar broken
# (a region with no office hours at all would otherwise loop forever).
_MAX_SEARCH_DAYS = 3660
# Holiday categories of Indonesia in the `holidays` package: "public" are the national holidays
# (hari libur nasional), "government" the joint leave days of civil servants (cuti bersama),
# both set each year by a joint decree (SKB) of three ministers.
HOLIDAY_CATEGORIES = ("public", "government")
# Languages the `holidays` package names Indonesia's holidays in, by Django language code.
_HOLIDAY_LANGUAGES = {"id": "id", "en": "en_US"}
_ZERO = dt.timedelta()

Period = tuple[dt.time, dt.time]


def now() -> dt.datetime:
    """The current moment, timezone-aware, in UTC."""
    return dt.datetime.now(UTC)


def local_now(tz: str | dt.tzinfo) -> dt.datetime:
    return now().astimezone(_zone(tz))


def today(tz: str | dt.tzinfo) -> dt.date:
    return local_now(tz).date()


def _zone(tz: str | dt.tzinfo) -> dt.tzinfo:
    if not isinstance(tz, str):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarError(f"{tz!r} is not a time zone (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura).") from None


class CalendarError(ValueError):
    """The calendar cannot answer (no working day found, a naive datetime, a negative count)."""


@lru_cache(maxsize=128)
def national_holidays(year: int, language: str = "id") -> Mapping[dt.date, str]:
    """Indonesia's public holidays and joint leave days (cuti bersama) of one year.

    `language` is a Django language code (id, en); names of holidays whose date the package
    only estimates (Islamic and Chinese calendars, years not yet decreed) end in "(perkiraan)"
    / "(estimated)". Two holidays on one date are joined with "; ".
    """
    table = holidays_lib.country_holidays(
        "ID", years=year, categories=HOLIDAY_CATEGORIES, language=_HOLIDAY_LANGUAGES.get(language, "id")
    )
    return MappingProxyType(dict(table.items()))


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and hours of one region (or one service point) in its own time zone.

    `hours` maps a weekday (0 = Monday) to its working periods; a break is the gap between two
    periods. `holidays` are the region's own days off, added to the national ones;
    `working_days` are days that are worked although the national calendar or the weekday says
    otherwise, with their own periods, or (when empty) the usual periods of that weekday, or
    else those of the first weekday that has any (Monday in a usual week).
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
        for weekday in hours:
            if weekday not in range(7):
                raise CalendarError(f"A weekday is 0 (Monday) to 6 (Sunday), not {weekday!r}.")
        clean_hours = {day: _check_periods(periods) for day, periods in hours.items()}
        clean_hours = {day: periods for day, periods in sorted(clean_hours.items()) if periods}
        extra = {day: _check_periods(periods) for day, periods in (working_days or {}).items()}
        return cls(_zone(tz), clean_hours, dict(holidays or {}), extra, national)

    # --- days -------------------------------------------------------------------------------

    def holiday_name(self, day: dt.date, language: str = "id") -> str | None:
        """The name of the region's or the nation's day off on `day` (the region's name wins)."""
        if day in self.holidays:
            return self.holidays[day]
        if self.national:
            return national_holidays(day.year, language).get(day)
        return None

    def usual_periods(self, day: dt.date) -> tuple[Period, ...]:
        """The periods of `day`'s weekday, ignoring days off and extra working days."""
        return self.hours.get(day.weekday(), ())

    def periods(self, day: dt.date) -> tuple[Period, ...]:
        """The working periods of a day; empty when it is not a working day."""
        if day in self.working_days:
            return self.working_days[day] or self.usual_periods(day) or next(iter(self.hours.values()), ())
        if self.holiday_name(day) is not None:
            return ()
        return self.usual_periods(day)

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
        try:
            for _ in range(_MAX_SEARCH_DAYS):
                candidate += dt.timedelta(days=1)
                if self.is_working_day(candidate):
                    return candidate
        except OverflowError:
            raise CalendarError("The calendar ends before the next working day.") from None
        raise CalendarError("No working day found within ten years: the calendar has no office hours.")

    def working_days_in(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Working days from `start` to `end`, both included."""
        day = start
        while day <= end:
            if self.is_working_day(day):
                yield day
            day += dt.timedelta(days=1)

    def days_off_between(self, start: dt.date, end: dt.date, language: str = "id") -> list[tuple[dt.date, str]]:
        """Named days off from `start` to `end` (both included) that fall on a usual working weekday.

        These are the days a holiday, a joint leave day or a regional day off took out of a
        count; a holiday on a weekend the office is closed anyway is not listed.
        """
        found = []
        day = start
        while day <= end:
            if self.usual_periods(day) and not self.is_working_day(day):
                name = self.holiday_name(day, language)
                if name is not None:
                    found.append((day, name))
            day += dt.timedelta(days=1)
        return found

    # --- moments ----------------------------------------------------------------------------

    def local(self, moment: dt.datetime) -> dt.datetime:
        if not isinstance(moment, dt.datetime):
            raise CalendarError(f"Give a datetime, not {type(moment).__name__}.")
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
        _check_count(days, "working days")
        day = self.day_zero(start)
        for _ in range(days):
            day = self.next_working_day(day)
        return self.at(day, self._closing(day))

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """The smallest N such that `end` falls within N working days of `start`.

        So `add_working_days(start, N) >= end`, and N is 0 when `end` is not after the
        closing time of day 0 (or not after `start`).
        """
        if self.local(end) <= self.local(start):
            return 0
        day = self.day_zero(start)
        end_local = self.local(end)
        count = 0
        while self.at(day, self._closing(day)) < end_local:
            day = self.next_working_day(day)
            count += 1
        return count

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole minutes of office time (breaks excluded) between two moments; negative if reversed.

        Both moments are first cut down to the whole minute, so the count is additive:
        minutes(a, b) + minutes(b, c) == minutes(a, c) for any a, b, c.
        """
        start_local, end_local = _minute(self.local(start)), _minute(self.local(end))
        if end_local < start_local:
            return -self.working_minutes_between(end, start)
        total = _ZERO
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
        of resumption. Time that runs out exactly at a closing time ends there (like a
        deadline); zero minutes from outside office hours gives the next opening.
        """
        _check_count(minutes, "working minutes")
        local = self.local(start)
        remaining = dt.timedelta(minutes=minutes)
        day = local.date()
        idle_days = 0  # consecutive days without working time: the guard against a calendar without hours
        while idle_days < _MAX_SEARCH_DAYS:
            idle_days += 1
            for opens, closes in self.periods(day):
                lo = max(self.at(day, opens), local)
                hi = self.at(day, closes)
                if hi <= lo:
                    continue
                if remaining == _ZERO or lo + remaining <= hi:
                    return lo + remaining
                remaining -= hi - lo
                idle_days = 0
            try:
                day += dt.timedelta(days=1)
            except OverflowError:
                raise CalendarError("The calendar ends before that much working time has passed.") from None
        raise CalendarError("No working time found within ten years: the calendar has no office hours.")

    def is_open(self, moment: dt.datetime) -> bool:
        local = self.local(moment)
        return any(opens <= local.time() < closes for opens, closes in self.periods(local.date()))


def _minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def _check_count(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CalendarError(f"The number of {what} must be a whole number, not {value!r}.")
    if value < 0:
        raise CalendarError(f"The number of {what} cannot be negative.")


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


_LOCAL_FORM = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$")


def parse_local(text: str, tz: str | dt.tzinfo) -> dt.datetime:
    """Parse "YYYY-MM-DD HH:MM" (or ISO 8601) as local time in `tz`; an offset in the text wins."""
    cleaned = text.strip()
    match = _LOCAL_FORM.match(cleaned)
    try:
        if match:
            year, month, day, hour, minute = (int(part) for part in match.groups())
            value = dt.datetime(year, month, day, hour, minute)  # noqa: DTZ001 -- the zone is attached below
        else:
            value = dt.datetime.fromisoformat(cleaned)
    except ValueError as exc:
        if match or re.match(r"^\d{4}-\d{2}-\d{2}", cleaned):
            raise CalendarError(f"{text!r} is not a real date and time ({exc}).") from None
        raise CalendarError(f"{text!r} is not a date and time of the form YYYY-MM-DD HH:MM.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone(tz))
    return value
