"""Complaint statistics per agency: received, answered on time, median time to first response.

Definitions (docs/complaints.md):
- received: complaints received in the period [start, end) (confidential ones included: only
  counts are published);
- answered: those with a first public response; answered on time: the first response came no
  later than the answer deadline (`response_due_at`: the end of the agency's follow-up period
  from the first forwarding; before forwarding, verification + follow-up days from receipt);
- time to first response: working days (region calendar) from receipt to the first response,
  the smallest N such that a deadline of N working days would have been met (0 = same day);
  median over the answered complaints (the mean of the two middle values for an even count).

The counts are counted by the database in one aggregate query (`count_filters`, the definitions
above as filters); the time to first response is counted by the database too, from the calendar
rows of `regions.workdays` (the same WorkCalendar laid out per date), as a histogram of working
days per agency — one more query, and only when the caller shows the median (`median=`).
"""

# ruff: noqa: S608 -- the SQL of _response_histogram is this module's and regions.workdays' fixed text; values are parameters
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Q, QuerySet

from pendopo.complaints.models import Complaint, Verification
from pendopo.lib import dates
from pendopo.regions import workdays
from pendopo.regions.models import Agency, Region
from pendopo.workflow.metrics import histogram_median


def published() -> QuerySet[Complaint]:
    """What the public statistics count: verified complaints (confidential ones too: numbers only); a report
    awaiting verification, or rejected as spam, is not counted until (unless) it is verified."""
    return Complaint.objects.filter(verification=Verification.VERIFIED)


def counted() -> QuerySet[Complaint]:
    """What the region's own indicators count (leadership dashboard, SAKIP's live figures): every report but
    those rejected as not a complaint or as spam. A report awaiting verification counts: its deadline runs
    from receipt, so leaving reports unverified hides no late answer."""
    return Complaint.objects.exclude(verification=Verification.REJECTED)


@dataclass(frozen=True)
class AgencyStats:
    agency: Agency | None
    received: int
    answered: int
    answered_on_time: int
    open_unanswered: int
    median_response_days: float | None

    @property
    def on_time_rate(self) -> float | None:
        return self.answered_on_time / self.answered if self.answered else None


def response_days(calendar: dates.WorkCalendar, received: dt.datetime, answered: dt.datetime | None) -> int | None:
    return None if answered is None else calendar.working_days_between(received, answered)


def count_filters() -> dict[str, Q]:
    """The counted figures' definitions (module docstring) as filters on Complaint, for `Count(..., filter=)`."""
    answered = Q(first_response_at__isnull=False)
    return {
        "answered": answered,
        "answered_on_time": answered & (Q(response_due_at=None) | Q(first_response_at__lte=F("response_due_at"))),
        "open_unanswered": Q(first_response_at=None, case__closed_at=None),
    }


def counts_by(complaints: QuerySet[Complaint], group_by: str) -> dict[Any, dict[str, int]]:
    """received, answered, answered on time and open unanswered per value of `group_by` (a field
    path of Complaint), counted by the database in one query."""
    aggregates = {name: Count("pk", filter=condition) for name, condition in count_filters().items()}
    rows = complaints.order_by().values(group_by).annotate(received=Count("pk"), **aggregates)
    return {row.pop(group_by): row for row in rows}


def agency_stats(
    region: Region,
    complaints: QuerySet[Complaint],
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    median: bool = True,
) -> list[AgencyStats]:
    """One row per agency with complaints in the period: one aggregate query, one more for the
    median time to first response (`median=False`: a caller that does not show it), and the
    agencies' names — whatever the number of complaints."""
    qs = complaints.filter(region=region)
    if start is not None:
        qs = qs.filter(case__received_at__gte=start)
    if end is not None:
        qs = qs.filter(case__received_at__lt=end)
    counted = counts_by(qs, "case__agency_id")
    days = response_histogram(qs, "case__agency_id") if median and counted else {}
    agencies = Agency.objects.in_bulk([key for key in counted if key is not None])
    out = [
        AgencyStats(
            agency=agencies.get(agency_id) if agency_id else None,
            received=counts["received"],
            answered=counts["answered"],
            answered_on_time=counts["answered_on_time"],
            open_unanswered=counts["open_unanswered"],
            median_response_days=histogram_median(days.get(agency_id, {})),
        )
        for agency_id, counts in counted.items()
    ]
    return sorted(out, key=lambda s: s.agency.name if s.agency else "")


def response_histogram(complaints: QuerySet[Complaint], group_by: str) -> dict[Any, dict[int, int]]:
    """Per value of `group_by`, how many answered complaints took how many working days to their
    first response (response_days), counted by the database from the region calendars' rows; a
    complaint whose dates the rows do not cover yet has them filled, and the query runs once more."""
    answered = complaints.filter(first_response_at__isnull=False)
    for _attempt in range(2):
        rows, missing = _response_rows(answered, group_by)
        if not missing:
            out: dict[Any, dict[int, int]] = defaultdict(dict)
            for key, days, count in rows:
                out[key][int(days)] = out[key].get(int(days), 0) + count
            return out
        for region_id, first, last in missing:
            workdays.fill(region_id, 0, _date(first), _date(last))
    raise dates.CalendarError("The working-day rows do not cover the complaints' dates.")


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _response_rows(
    complaints: QuerySet[Complaint], group_by: str
) -> tuple[list[tuple[Any, int, int]], list[tuple[int, Any, Any]]]:
    inner = (
        complaints.order_by()
        .annotate(_group=F(group_by), _received=F("case__received_at"))
        .values("region_id", "_group", "_received", "first_response_at")
    )
    try:
        inner_sql, params = inner.query.sql_with_params()
    except EmptyResultSet:
        return [], []
    zone = "rg.time_zone"
    base = f"""
        SELECT x._group AS grp, x.region_id AS region_id,
            {workdays.local_date_sql("x._received", zone)} AS r_day,
            {workdays.local_minute_sql("x._received", zone)} AS r_min,
            {workdays.local_date_sql("x.first_response_at", zone)} AS o_day,
            {workdays.local_minute_sql("x.first_response_at", zone)} AS o_min,
            CASE WHEN {workdays.has_seconds_sql("x.first_response_at", zone)} THEN 1 ELSE 0 END AS o_sec,
            CASE WHEN x.first_response_at <= x._received THEN 1 ELSE 0 END AS not_after
        FROM ({inner_sql}) x JOIN regions_region rg ON rg.id = x.region_id"""
    between = workdays.working_days_between_sql("dr", "b.r_min", "dd", "b.o_min", "b.o_sec")
    joined = f"""
        SELECT b.grp AS grp, b.region_id AS region_id, b.r_day AS r_day, b.o_day AS o_day,
            CASE WHEN dr.id IS NULL OR dd.id IS NULL THEN 1 ELSE 0 END AS missing,
            CASE WHEN dr.id IS NULL OR dd.id IS NULL OR b.not_after = 1 THEN 0 ELSE {between} END AS days
        FROM ({base}) b
        LEFT JOIN regions_calendarday dr ON dr.region_id = b.region_id AND dr.point = 0 AND dr.day = b.r_day
        LEFT JOIN regions_calendarday dd ON dd.region_id = b.region_id AND dd.point = 0 AND dd.day = b.o_day"""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT grp, days, missing, COUNT(*) FROM ({joined}) z GROUP BY grp, days, missing", params)
        found = cursor.fetchall()
        if not any(row[2] for row in found):
            return [(grp, days, count) for grp, days, _missing, count in found], []
        cursor.execute(
            f"""SELECT region_id, MIN({workdays.least("r_day", "o_day")}), MAX({workdays.greatest("r_day", "o_day")})
                FROM ({joined}) z GROUP BY region_id""",
            params,
        )
        return [], [(int(r), first, last) for r, first, last in cursor.fetchall()]
