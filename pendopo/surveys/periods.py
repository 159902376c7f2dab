"""Report periods: a month, quarter, semester, year or a custom range of dates (framework-light).

Keys as they appear in addresses and follow-up plans: `2026`, `2026-S1`, `2026-Q3`, `2026-07`,
and `2026-01-15..2026-03-31` for a custom range (inclusive). Responses carry their period in
plain columns (year, semester, quarter, month, local date; see models.period_fields), so each
period is an equality filter on small integers — except a custom range, a filter on the date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.translation import gettext as _


class Kind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    SEMESTER = "semester"
    YEAR = "year"
    RANGE = "range"


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: Kind
    year: int
    number: int = 0  # month 1–12, quarter 1–4, semester 1–2; 0 for a year or a range
    start: dt.date | None = None  # a custom range only
    end: dt.date | None = None

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def parse(cls, key: str) -> Period:
        key = (key or "").strip().upper()
        if match := re.fullmatch(r"(\d{4})", key):
            return cls._checked(Kind.YEAR, int(match.group(1)))
        if match := re.fullmatch(r"(\d{4})-S([12])", key):
            return cls._checked(Kind.SEMESTER, int(match.group(1)), int(match.group(2)))
        if match := re.fullmatch(r"(\d{4})-Q([1-4])", key):
            return cls._checked(Kind.QUARTER, int(match.group(1)), int(match.group(2)))
        if match := re.fullmatch(r"(\d{4})-(\d{2})", key):
            month = int(match.group(2))
            if 1 <= month <= 12:
                return cls._checked(Kind.MONTH, int(match.group(1)), month)
        if match := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", key):
            try:
                start, end = dt.date.fromisoformat(match.group(1)), dt.date.fromisoformat(match.group(2))
            except ValueError:
                raise PeriodError(_("This is not a date.")) from None
            return cls.between(start, end)
        raise PeriodError(_("Give a period as 2026, 2026-S1, 2026-Q3, 2026-07 or 2026-01-01..2026-03-31."))

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Period:
        if end < start:
            raise PeriodError(_("The end of the period comes before its start."))
        if (end - start).days > 3 * 366:
            raise PeriodError(_("A custom period is at most three years long."))
        return cls(Kind.RANGE, start.year, 0, start, end)

    @classmethod
    def _checked(cls, kind: Kind, year: int, number: int = 0) -> Period:
        if not 2000 <= year <= 2100:
            raise PeriodError(_("Give a year between 2000 and 2100."))
        return cls(kind, year, number)

    @classmethod
    def containing(cls, kind: Kind, day: dt.date) -> Period:
        number = {
            Kind.YEAR: 0,
            Kind.SEMESTER: 1 if day.month <= 6 else 2,
            Kind.QUARTER: (day.month - 1) // 3 + 1,
            Kind.MONTH: day.month,
        }[kind]
        return cls(kind, day.year, number)

    # --- what it covers -------------------------------------------------------------------

    @property
    def key(self) -> str:
        if self.kind == Kind.YEAR:
            return f"{self.year}"
        if self.kind == Kind.SEMESTER:
            return f"{self.year}-S{self.number}"
        if self.kind == Kind.QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind == Kind.MONTH:
            return f"{self.year}-{self.number:02d}"
        return f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"

    @property
    def months(self) -> tuple[int, int]:
        """First and last month of a calendar period."""
        span = {Kind.YEAR: 12, Kind.SEMESTER: 6, Kind.QUARTER: 3, Kind.MONTH: 1}[self.kind]
        first = 1 if self.kind == Kind.YEAR else (self.number - 1) * span + 1
        return first, first + span - 1

    @property
    def first_day(self) -> dt.date:
        if self.kind == Kind.RANGE:
            assert self.start is not None  # noqa: S101 -- a range always has both ends (between())
            return self.start
        return dt.date(self.year, self.months[0], 1)

    @property
    def last_day(self) -> dt.date:
        if self.kind == Kind.RANGE:
            assert self.end is not None  # noqa: S101 -- a range always has both ends (between())
            return self.end
        last_month = self.months[1]
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def label(self) -> str:
        if self.kind == Kind.YEAR:
            return str(self.year)
        if self.kind == Kind.SEMESTER:
            return _("Semester %(number)d %(year)d") % {"number": self.number, "year": self.year}
        if self.kind == Kind.QUARTER:
            return _("Quarter %(number)d %(year)d") % {"number": self.number, "year": self.year}
        if self.kind == Kind.MONTH:
            return f"{_month_name(self.number)} {self.year}"
        return f"{self.first_day:%d/%m/%Y} – {self.last_day:%d/%m/%Y}"

    @property
    def short_label(self) -> str:
        if self.kind == Kind.MONTH:
            return f"{_month_name(self.number)[:3]} {self.year % 100:02d}"
        if self.kind == Kind.QUARTER:
            # Translators: a quarter on a chart axis, short: "TW1 26" in Indonesian (triwulan).
            return _("Q%(number)d %(yy)02d") % {"number": self.number, "yy": self.year % 100}
        if self.kind == Kind.SEMESTER:
            # Translators: a half-year on a chart axis, short: "Sem 1 26" in Indonesian.
            return _("S%(number)d %(yy)02d") % {"number": self.number, "yy": self.year % 100}
        return self.label

    def q(self, prefix: str = "") -> Q:
        """The filter of responses in this period (`prefix` for a related model, e.g. 'response__')."""
        if self.kind == Kind.YEAR:
            return Q(**{f"{prefix}year": self.year})
        if self.kind == Kind.RANGE:
            return Q(**{f"{prefix}local_date__gte": self.first_day, f"{prefix}local_date__lte": self.last_day})
        field = {Kind.SEMESTER: "semester", Kind.QUARTER: "quarter", Kind.MONTH: "month"}[self.kind]
        return Q(**{f"{prefix}year": self.year, f"{prefix}{field}": self.number})

    def month_q(self, prefix: str = "") -> Q:
        """The filter of monthly records (year, month) inside this period; a range takes every month it touches."""
        first, last = self.first_day, self.last_day
        if first.year == last.year:
            return Q(**{f"{prefix}year": first.year, f"{prefix}month__gte": first.month, f"{prefix}month__lte": last.month})
        middle = Q(**{f"{prefix}year__gt": first.year, f"{prefix}year__lt": last.year})
        head = Q(**{f"{prefix}year": first.year, f"{prefix}month__gte": first.month})
        tail = Q(**{f"{prefix}year": last.year, f"{prefix}month__lte": last.month})
        return head | middle | tail

    def bounds(self, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
        """The period as moments [start, end): local midnight of its first day to local midnight after its last."""
        zone = ZoneInfo(time_zone)
        start = dt.datetime.combine(self.first_day, dt.time(), tzinfo=zone)
        return start, dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time(), tzinfo=zone)

    def previous(self, count: int) -> list[Period]:
        """This period and the `count - 1` before it, oldest first (a range: the same length before it)."""
        if self.kind == Kind.RANGE:
            length = self.last_day - self.first_day + dt.timedelta(days=1)
            out = [self]
            for _step in range(count - 1):
                start = out[0].first_day - length
                out.insert(0, Period(Kind.RANGE, start.year, 0, start, out[0].first_day - dt.timedelta(days=1)))
            return out
        per_year = {Kind.YEAR: 1, Kind.SEMESTER: 2, Kind.QUARTER: 4, Kind.MONTH: 12}[self.kind]
        index = self.year * per_year + (self.number - 1 if per_year > 1 else 0)
        out = []
        for position in range(index - count + 1, index + 1):
            year, number = divmod(position, per_year)
            out.append(Period(self.kind, year, number + 1 if per_year > 1 else 0))
        return out


def _month_name(number: int) -> str:
    from django.utils.dates import MONTHS

    return str(MONTHS[number])
