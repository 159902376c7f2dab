"""Service metrics computed from cases (issue 4 item 8). The definitions, also in docs/workflow.md:

For a period [start, end) and a moment `as_of` (the end of the period, or now if sooner):

- received: cases received in the period.
- completed / rejected / withdrawn: cases closed in the period with that outcome.
- completed on time: completed cases closed no later than their overall deadline (the
  deadline after every pause was added; a case with no overall deadline is on time).
- open: cases received by `as_of` and not closed by then.
- open overdue: open cases past their overall deadline at `as_of`. A case paused right now
  (waiting for the applicant) counts only if it was already late when the pause began.
- on-time rate = completed on time / (completed + open overdue). Open overdue cases count
  against the rate: an agency cannot look punctual by leaving late cases open. None when
  the denominator is 0. Rejections and withdrawals are reported but not in the rate.
- processing time of a completed case, in working days: the working time from received to
  closed minus the working time it spent waiting for the applicant, laid out from the moment
  it was received; the smallest N such that a deadline of N working days would have been met
  (the scale of the service standard's time limit; 0 = done on the day it was received).
  Median (the middle value, or the mean of the two middle values) and 90th percentile
  (nearest rank: the value at position ceil(0.9 × n) in ascending order) over the completed
  cases of the period.
- backlog age of an open case: working days from received to `as_of` (waiting time included:
  it is how long the case has been open). Median and maximum over the open cases.

Working time is the calendar of the case's region, or of its service point if it keeps its
own hours.

The counts (received … open overdue, hence the on-time rate) are counted by the database in one
aggregate query (`count_filters`, the conditions above as filters); only the working-day figures
(processing time, backlog age) read case rows, and only those of the cases they are about, when
the caller asks for them (`processing=`, `backlog=`). Filters (per service, per agency) are the caller's queryset: pass
`Case.objects.filter(...)`, or a queryset scoped with `visible_to`.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet

from pendopo.lib import dates
from pendopo.regions.models import Region, ServicePoint
from pendopo.workflow.definition import Outcome
from pendopo.workflow.models import Case

_FIELDS = (
    "pk",
    "region_id",
    "service_point_id",
    "received_at",
    "closed_at",
    "outcome",
    "due_at",
    "paused_at",
    "paused_minutes_total",
)


@dataclass(frozen=True)
class CaseMetrics:
    received: int = 0
    completed: int = 0
    rejected: int = 0
    withdrawn: int = 0
    completed_on_time: int = 0
    open: int = 0
    open_overdue: int = 0
    on_time_rate: float | None = None
    median_processing_days: float | None = None
    p90_processing_days: int | None = None
    backlog_median_age_days: float | None = None
    backlog_max_age_days: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def case_metrics(
    cases: QuerySet[Case],
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    as_of: dt.datetime | None = None,
    processing: bool = True,
    backlog: bool = True,
) -> CaseMetrics:
    """The metrics of the cases in `cases` for the period [start, end) (open-ended when None)."""
    found = metrics_by(cases, None, start=start, end=end, as_of=as_of, processing=processing, backlog=backlog)
    return found.get(None, CaseMetrics())


def metrics_by(
    cases: QuerySet[Case],
    group_by: str | None,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    as_of: dt.datetime | None = None,
    processing: bool = True,
    backlog: bool = True,
) -> dict[Hashable, CaseMetrics]:
    """Metrics per value of `group_by`, a field path of Case ("agency_id", "kind",
    "application__service_id"); None puts every case in one group (key None).

    The counts come from one aggregate query; `processing` (median and 90th percentile of the
    completed cases' working days) and `backlog` (the open cases' ages) read the rows of those
    cases and lay them out on the working-day calendar. A caller that shows neither passes False
    and reads no case row at all.
    """
    as_of = _as_of(end, as_of)
    relevant = Q()
    if start is not None or end is not None:
        relevant = _open_at(as_of) | received_in(start, end) | _between("closed_at", start, end)
    scoped = cases.filter(relevant).order_by()
    filters = count_filters(start, end, as_of)
    aggregates = {name: Count("pk", filter=condition) for name, condition in filters.items()}
    if group_by:
        rows = scoped.values(group_by).annotate(_relevant=Count("pk"), **aggregates)
        counted = {row[group_by]: row for row in rows}
    else:
        row = scoped.aggregate(_relevant=Count("pk"), **aggregates)
        counted = {None: row} if row["_relevant"] else {}
    day_filter = Q(pk__in=[])
    if processing:
        day_filter |= filters["completed"]
    if backlog:
        day_filter |= filters["open"]
    processing_days: dict[Hashable, list[int]] = defaultdict(list)
    ages: dict[Hashable, list[int]] = defaultdict(list)
    if processing or backlog:
        fields = (*_FIELDS, group_by) if group_by else _FIELDS
        rows = list(scoped.filter(day_filter).values(*fields))
        calendars = _Calendars(rows)
        for row in rows:
            key = row[group_by] if group_by else None
            closed_at = row["closed_at"]
            if processing and row["outcome"] == Outcome.COMPLETED and _in(closed_at, start, end):
                calendar = calendars.of(row)
                processing_days[key].append(
                    processing_working_days(calendar, row["received_at"], closed_at, row["paused_minutes_total"])
                )
            if backlog and row["received_at"] <= as_of and (closed_at is None or closed_at > as_of):
                ages[key].append(calendars.of(row).working_days_between(row["received_at"], as_of))
    return {key: _figures(counts, processing_days.get(key, []), ages.get(key, [])) for key, counts in counted.items()}


def count_filters(start: dt.datetime | None, end: dt.datetime | None, as_of: dt.datetime) -> dict[str, Q]:
    """The counted figures' definitions (module docstring) as filters on Case, for `Count(..., filter=)`."""
    closed_in = _between("closed_at", start, end)
    completed = closed_in & Q(outcome=Outcome.COMPLETED)
    open_now = _open_at(as_of)
    paused_now = Q(paused_at__isnull=False, closed_at=None)
    # Late at as_of; a case paused right now only if it was already late when the pause began.
    late = Q(due_at__lt=as_of) & (~paused_now | Q(due_at__lt=F("paused_at")))
    return {
        "received": received_in(start, end),
        "completed": completed,
        "rejected": closed_in & Q(outcome=Outcome.REJECTED),
        "withdrawn": closed_in & Q(outcome=Outcome.WITHDRAWN),
        "completed_on_time": completed & (Q(due_at=None) | Q(closed_at__lte=F("due_at"))),
        "open": open_now,
        "open_overdue": open_now & Q(due_at__isnull=False) & late,
    }


def received_in(start: dt.datetime | None = None, end: dt.datetime | None = None) -> Q:
    """The cases that count as *received* in [start, end) (open-ended when None), as a filter on Case."""
    return _between("received_at", start, end)


def received_by(
    cases: QuerySet[Case], group_by: Sequence[str], *, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> dict[tuple[Any, ...], int]:
    """How many of `cases` were received in [start, end), per combination of the `group_by` field paths.

    The `received` figure of metrics_by, counted by the database in one query, for callers that need
    no other figure (metrics_by reads every relevant case and works out deadlines in Python).
    Combinations without a case received are left out.
    """
    rows = cases.filter(received_in(start, end)).order_by().values_list(*group_by).annotate(received=Count("pk"))
    return {tuple(row[:-1]): row[-1] for row in rows}


def metrics_by_period(
    cases: QuerySet[Case],
    periods: Sequence[tuple[dt.datetime, dt.datetime]],
    *,
    as_of: dt.datetime | None = None,
    processing: bool = True,
    backlog: bool = True,
) -> list[tuple[tuple[dt.datetime, dt.datetime], CaseMetrics]]:
    """The metrics of each period, in order (see month_periods)."""
    return [
        ((start, end), case_metrics(cases, start=start, end=end, as_of=as_of, processing=processing, backlog=backlog))
        for start, end in periods
    ]


def month_periods(time_zone: str, first: dt.date, last: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """Calendar months from the month of `first` to the month of `last`, bounded at local midnight."""
    zone = ZoneInfo(time_zone)
    periods = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        periods.append((dt.datetime(year, month, 1, tzinfo=zone), dt.datetime(next_year, next_month, 1, tzinfo=zone)))
        year, month = next_year, next_month
    return periods


def processing_working_days(
    calendar: dates.WorkCalendar, received_at: dt.datetime, closed_at: dt.datetime, paused_minutes: int = 0
) -> int:
    """Working days from received to closed, the working time spent paused left out (see above)."""
    active = calendar.working_minutes_between(received_at, closed_at) - paused_minutes
    if active <= 0:
        return 0
    return calendar.working_days_between(received_at, calendar.add_working_minutes(received_at, active))


def percentile(values: Iterable[int], fraction: float) -> int | None:
    """Nearest-rank percentile: the value at position ceil(fraction × n) of the sorted values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


# --- helpers -----------------------------------------------------------------------------------


def _as_of(end: dt.datetime | None, as_of: dt.datetime | None) -> dt.datetime:
    now = dates.now()
    if as_of is not None:
        return as_of
    return min(end, now) if end is not None else now


def _between(field: str, start: dt.datetime | None, end: dt.datetime | None) -> Q:
    condition = Q(**{f"{field}__isnull": False})
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field}__lt": end})
    return condition


def _in(moment: dt.datetime | None, start: dt.datetime | None, end: dt.datetime | None) -> bool:
    return moment is not None and (start is None or moment >= start) and (end is None or moment < end)


def _open_at(as_of: dt.datetime) -> Q:
    return Q(received_at__lte=as_of) & (Q(closed_at=None) | Q(closed_at__gt=as_of))


def _figures(counts: dict[str, Any], processing: list[int], ages: list[int]) -> CaseMetrics:
    completed, open_overdue = counts["completed"], counts["open_overdue"]
    denominator = completed + open_overdue
    return CaseMetrics(
        received=counts["received"],
        completed=completed,
        rejected=counts["rejected"],
        withdrawn=counts["withdrawn"],
        completed_on_time=counts["completed_on_time"],
        open=counts["open"],
        open_overdue=open_overdue,
        on_time_rate=counts["completed_on_time"] / denominator if denominator else None,
        median_processing_days=float(statistics.median(processing)) if processing else None,
        p90_processing_days=percentile(processing, 0.9),
        backlog_median_age_days=float(statistics.median(ages)) if ages else None,
        backlog_max_age_days=max(ages) if ages else None,
    )


class _Calendars:
    """One calendar per region (or per service point with its own hours), built once per call."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self._regions = Region.objects.in_bulk({row["region_id"] for row in rows})
        point_ids = {row["service_point_id"] for row in rows if row["service_point_id"]}
        self._points = ServicePoint.objects.filter(has_own_hours=True).in_bulk(point_ids) if point_ids else {}
        self._cache: dict[tuple[int, int | None], dates.WorkCalendar] = {}

    def of(self, row: dict[str, Any]) -> dates.WorkCalendar:
        point = self._points.get(row["service_point_id"])
        key = (row["region_id"], point.pk if point else None)
        if key not in self._cache:
            self._cache[key] = self._regions[row["region_id"]].calendar(point)
        return self._cache[key]
