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

# ruff: noqa: S608 -- the SQL of _histogram_rows is this module's and regions.workdays' fixed text; values are parameters
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value

from pendopo.lib import dates
from pendopo.regions import workdays
from pendopo.workflow.definition import Outcome
from pendopo.workflow.models import Case


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
    processing_days: dict[Hashable, dict[int, int]] = {}
    ages: dict[Hashable, dict[int, int]] = {}
    if processing:
        processing_days = _working_days(scoped.filter(filters["completed"]), group_by, None)
    if backlog:
        ages = _working_days(scoped.filter(filters["open"]), group_by, as_of)
    return {key: _figures(counts, processing_days.get(key, {}), ages.get(key, {})) for key, counts in counted.items()}


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


def _open_at(as_of: dt.datetime) -> Q:
    return Q(received_at__lte=as_of) & (Q(closed_at=None) | Q(closed_at__gt=as_of))


def histogram_median(histogram: dict[int, int]) -> float | None:
    """statistics.median of the values counted in `histogram` (value: how many times)."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]  # positions of the middle value(s), from 0
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        found += [value for position in middle if seen <= position < seen + count]
        seen += count
    return (found[0] + found[1]) / 2


def _nearest_rank(histogram: dict[int, int], fraction: float) -> int | None:
    """percentile() of the values counted in `histogram`."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = max(1, math.ceil(fraction * total)), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable")


def _figures(counts: dict[str, Any], processing: dict[int, int], ages: dict[int, int]) -> CaseMetrics:
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
        median_processing_days=histogram_median(processing),
        p90_processing_days=_nearest_rank(processing, 0.9),
        backlog_median_age_days=histogram_median(ages),
        backlog_max_age_days=max(ages) if ages else None,
    )


def _working_days(cases: QuerySet[Case], group_by: str | None, as_of: dt.datetime | None) -> dict[Hashable, dict[int, int]]:
    """Per group, how many of `cases` took how many working days, counted by the database.

    With `as_of` None: the processing time of completed cases (processing_working_days); else the
    backlog age at `as_of` (working_days_between(received, as_of)). Both from the calendar rows of
    regions.workdays (filled on first use from the same WorkCalendar), in one query; a case whose
    dates the rows do not cover yet has them filled, and the query runs once more.
    """
    for _attempt in range(2):
        rows, missing = _histogram_rows(cases, group_by, as_of)
        if not missing:
            out: dict[Hashable, dict[int, int]] = defaultdict(dict)
            for key, days, count in rows:
                out[key][int(days)] = out[key].get(int(days), 0) + count
            return out
        for region_id, point, first, last in missing:
            workdays.fill(region_id, point, _date(first), _date(last))
    raise dates.CalendarError("The working-day rows do not cover the cases' dates.")


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _histogram_rows(
    cases: QuerySet[Case], group_by: str | None, as_of: dt.datetime | None
) -> tuple[list[tuple[Any, int, int]], list[tuple[int, int, Any, Any]]]:
    inner = cases.order_by().values("region_id", "service_point_id", "received_at", "closed_at", "paused_minutes_total")
    inner = inner.annotate(_group=F(group_by)) if group_by else inner.annotate(_group=Value(None, IntegerField()))
    try:
        inner_sql, inner_params = inner.query.sql_with_params()
    except EmptyResultSet:
        return [], []
    zone = "rg.time_zone"
    params: list[Any] = []
    placeholder = "CAST(%s AS timestamptz)" if connection.vendor == "postgresql" else "%s"
    other = "x.closed_at" if as_of is None else placeholder
    select = f"""
        SELECT x._group AS grp, x.region_id AS region_id, x.paused_minutes_total AS paused,
            CASE WHEN sp.has_own_hours THEN sp.id ELSE 0 END AS pt,
            {workdays.local_date_sql("x.received_at", zone)} AS r_day,
            {workdays.local_minute_sql("x.received_at", zone)} AS r_min,
            CASE WHEN {workdays.has_seconds_sql("x.received_at", zone)} THEN 1 ELSE 0 END AS r_sec,
            {workdays.local_date_sql(other, zone)} AS o_day,
            {workdays.local_minute_sql(other, zone)} AS o_min,
            CASE WHEN {workdays.has_seconds_sql(other, zone)} THEN 1 ELSE 0 END AS o_sec,
            CASE WHEN {other} <= x.received_at THEN 1 ELSE 0 END AS not_after"""
    if as_of is not None:
        params = [connection.ops.adapt_datetimefield_value(as_of)] * select.count("%s")
    base = f"""{select}
        FROM ({inner_sql}) x
        JOIN regions_region rg ON rg.id = x.region_id
        LEFT JOIN regions_servicepoint sp ON sp.id = x.service_point_id"""
    ord_zero = workdays.first_day_sql("dr", "b.r_min")
    if as_of is None:
        # processing_working_days: the working minutes from received to closed less the pause, laid out
        # from received (its seconds carry over: a count ending at a closing time spills into the
        # next working day), and the working days from received to there.
        m_r = workdays.minutes_at_sql("dr", "b.r_min")
        m_c = workdays.minutes_at_sql("dd", "b.o_min")
        spill = f"(CASE WHEN b.r_sec = 1 AND ({workdays.inside_period_sql('dr', 'b.r_min')}) THEN 1 ELSE 0 END)"
        unpaused = f"""CASE WHEN {spill} = 0
                THEN dd.ordinal - CASE WHEN dd.closes1 IS NOT NULL AND {m_c} = dd.minutes_before THEN 1 ELSE 0 END
                ELSE dd.ordinal + CASE WHEN dd.closes1 IS NOT NULL AND {m_c} < dd.minutes_through THEN 0 ELSE 1 END END"""
        paused = f"""(SELECT w.ordinal FROM regions_calendarday w
                WHERE w.region_id = b.region_id AND w.point = b.pt AND w.closes1 IS NOT NULL
                  AND w.minutes_through >= {m_c} - b.paused + {spill}
                ORDER BY w.minutes_through LIMIT 1)"""
        days = f"""CASE WHEN {m_c} - {m_r} - b.paused <= 0 THEN 0
            WHEN b.paused = 0 THEN ({unpaused}) - {ord_zero}
            ELSE {paused} - {ord_zero} END"""
    else:
        # working_days_between(received, as_of): the first working day closing at or after as_of.
        between = workdays.working_days_between_sql("dr", "b.r_min", "dd", "b.o_min", "b.o_sec")
        days = f"CASE WHEN b.not_after = 1 THEN 0 ELSE {between} END"
    joined = f"""
        SELECT b.grp AS grp, b.region_id AS region_id, b.pt AS pt, b.r_day AS r_day, b.o_day AS o_day,
            CASE WHEN dr.id IS NULL OR dd.id IS NULL THEN 1 ELSE 0 END AS missing,
            CASE WHEN dr.id IS NULL OR dd.id IS NULL THEN 0 ELSE {days} END AS days
        FROM ({base}) b
        LEFT JOIN regions_calendarday dr ON dr.region_id = b.region_id AND dr.point = b.pt AND dr.day = b.r_day
        LEFT JOIN regions_calendarday dd ON dd.region_id = b.region_id AND dd.point = b.pt AND dd.day = b.o_day"""
    all_params = [*params, *inner_params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT grp, days, missing, COUNT(*) FROM ({joined}) z GROUP BY grp, days, missing", all_params)
        found = cursor.fetchall()
        if not any(row[2] for row in found):
            return [(grp, days, count) for grp, days, _missing, count in found], []
        cursor.execute(
            f"""SELECT region_id, pt, MIN({workdays.least("r_day", "o_day")}), MAX({workdays.greatest("r_day", "o_day")})
                FROM ({joined}) z GROUP BY region_id, pt""",
            all_params,
        )
        return [], [(int(r), int(p), first, last) for r, p, first, last in cursor.fetchall()]
