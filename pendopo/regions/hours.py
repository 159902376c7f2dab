"""Opening hours as people read them, from a week of working periods (`WorkCalendar.hours`).

A week maps a weekday (0 = Monday) to its working periods; a break is the gap between two periods
(`OfficeHours.periods`). Three pages show one: the region's home page (`week`: Monday to Sunday,
a closed day included, as a table), a service mall's own hours on the service-point list and the
pickup hours of a finished product on the tracking page and the receipt (`text`, one sentence of
`lines`: consecutive weekdays with the same periods run together, as in "Senin–Kamis
07:30–15:30 (istirahat 12:00–13:00); Jumat 07:30–11:00"). The region's week comes from its
cached calendar (`Region.calendar()`), so showing it costs no query once the calendar is cached.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from pendopo.lib.dates import Period
from pendopo.regions.models import Weekday

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Week = Mapping[int, tuple[Period, ...]]


@dataclass(frozen=True)
class HoursLine:
    """One weekday, or consecutive weekdays with the same periods: Monday–Thursday 07:30–15:30 (break 12:00–13:00)."""

    first: StrOrPromise  # lazily translated weekday labels
    last: StrOrPromise | None  # None: one day
    opens: dt.time | None  # None: closed (only in `week`)
    closes: dt.time | None
    breaks: tuple[tuple[dt.time, dt.time], ...]

    @classmethod
    def of(cls, weekday: int, periods: tuple[Period, ...]) -> HoursLine:
        """One day's line; a break is the gap between two of its periods."""
        opens, closes = (periods[0][0], periods[-1][1]) if periods else (None, None)
        breaks = tuple((a[1], b[0]) for a, b in itertools.pairwise(periods))
        return cls(Weekday(weekday).label, None, opens, closes, breaks)


def week(hours: Week) -> list[HoursLine]:
    """Monday to Sunday, one line per day, a day without periods closed (no opening time)."""
    return [HoursLine.of(day.value, hours.get(day.value, ())) for day in Weekday]


def lines(hours: Week) -> list[HoursLine]:
    """The open days in weekday order, consecutive days with the same periods on one line."""
    found: list[HoursLine] = []
    previous: tuple[int, tuple[Period, ...]] | None = None
    for weekday, periods in sorted(hours.items()):
        if not periods:
            continue
        if previous == (weekday - 1, periods):
            found[-1] = replace(found[-1], last=Weekday(weekday).label)
        else:
            found.append(HoursLine.of(weekday, periods))
        previous = (weekday, periods)
    return found


def text(hours: Week) -> str:
    """The lines in one sentence of the active language, times written as on every page of opening hours (07:30)."""
    parts = []
    for line in lines(hours):
        days = f"{line.first}–{line.last}" if line.last else str(line.first)
        part = f"{days} {line.opens:%H:%M}–{line.closes:%H:%M}"  # open days only: `lines` leaves out closed ones
        breaks = ", ".join(
            _("break %(starts)s–%(ends)s") % {"starts": f"{starts:%H:%M}", "ends": f"{ends:%H:%M}"}
            for starts, ends in line.breaks
        )
        parts.append(f"{part} ({breaks})" if breaks else part)
    return "; ".join(parts)
