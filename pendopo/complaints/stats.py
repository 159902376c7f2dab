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
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import QuerySet

from pendopo.complaints.models import Complaint, Verification
from pendopo.lib import dates
from pendopo.regions.models import Agency, Region


def published() -> QuerySet[Complaint]:
    """What the public statistics count: verified complaints (confidential ones too: numbers only); a report
    awaiting verification, or rejected as spam, is not counted until (unless) it is verified."""
    return Complaint.objects.filter(verification=Verification.VERIFIED)


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


def agency_stats(
    region: Region, complaints: QuerySet[Complaint], *, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> list[AgencyStats]:
    """One row per agency with complaints in the period (two queries whatever the number of complaints)."""
    qs = complaints.filter(region=region)
    if start is not None:
        qs = qs.filter(case__received_at__gte=start)
    if end is not None:
        qs = qs.filter(case__received_at__lt=end)
    rows = list(
        qs.order_by().values("case__agency_id", "case__received_at", "first_response_at", "response_due_at", "case__closed_at")
    )
    calendar = region.calendar()
    grouped: dict[int | None, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["case__agency_id"], []).append(row)
    agencies = Agency.objects.in_bulk([key for key in grouped if key is not None])
    out = []
    for agency_id, items in grouped.items():
        answered = [r for r in items if r["first_response_at"] is not None]
        on_time = [r for r in answered if r["response_due_at"] is None or r["first_response_at"] <= r["response_due_at"]]
        days = [calendar.working_days_between(r["case__received_at"], r["first_response_at"]) for r in answered]
        out.append(
            AgencyStats(
                agency=agencies.get(agency_id) if agency_id else None,
                received=len(items),
                answered=len(answered),
                answered_on_time=len(on_time),
                open_unanswered=sum(1 for r in items if r["first_response_at"] is None and r["case__closed_at"] is None),
                median_response_days=float(statistics.median(days)) if days else None,
            )
        )
    return sorted(out, key=lambda s: s.agency.name if s.agency else "")
