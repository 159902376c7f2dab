"""A commitment's result indicator, measured from Pendopo's own data by each app's one definition.

- `applications`: applications of the service received in the window
  (`workflow.metrics.case_metrics(...).received`);
- `on_time`: on-time rate of the service's applications, % (`workflow.metrics.case_metrics`:
  on time / (completed + open overdue));
- `ikm`: converted satisfaction index of the service (`surveys.indices.index_of`);
- `complaints_on_time`: complaints to the owner agency answered on time, %
  (`performance.live.complaints_on_time`, from the complaints' `agency_stats`).

The window runs from the adoption day for `result_months` months (local days of the region),
cut at today while it is not over (then the figure is marked "so far").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from zoneinfo import ZoneInfo

from pendopo.cooperation.models import Commitment, CommitmentState, ResultMetric
from pendopo.lib import dates


@dataclass(frozen=True)
class Result:
    metric: str
    value: Fraction | int | None
    sample: int
    first: dt.date
    last: dt.date
    complete: bool  # the whole window has passed

    @property
    def label(self) -> str:
        return str(ResultMetric(self.metric).label)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)


def window(commitment: Commitment, today: dt.date) -> tuple[dt.date, dt.date, bool] | None:
    if commitment.adopted_on is None:
        return None
    end = add_months(commitment.adopted_on, commitment.result_months) - dt.timedelta(days=1)
    complete = end < today
    return commitment.adopted_on, min(end, today), complete


def result_of(commitment: Commitment, today: dt.date | None = None) -> Result | None:
    """The result indicator of an adopted commitment (None when it has none or is not adopted)."""
    if commitment.state != CommitmentState.ADOPTED or not commitment.result_metric:
        return None
    region = commitment.region
    today = today or dates.today(region.time_zone)
    found = window(commitment, today)
    if found is None:
        return None
    first, last, complete = found
    if last < first:  # adopted later than today (a date typed ahead): nothing measured yet
        return Result(commitment.result_metric, None, 0, first, first, False)
    zone = ZoneInfo(region.time_zone)
    start = dt.datetime.combine(first, dt.time(), zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)
    metric = commitment.result_metric
    value: Fraction | int | None
    service_id = commitment.service_id
    # Measured on the adopted service (required when the commitment was made): none, nothing measured.
    unmeasured = Result(metric, None, 0, first, last, complete)
    if metric in (ResultMetric.APPLICATIONS, ResultMetric.ON_TIME):
        from pendopo.workflow.metrics import case_metrics
        from pendopo.workflow.models import Case, CaseKind

        if service_id is None:
            return unmeasured
        cases = Case.objects.filter(region=region, kind=CaseKind.APPLICATION, application__service_id=service_id)
        figures = case_metrics(cases, start=start, end=end, processing=False, backlog=False)
        if metric == ResultMetric.APPLICATIONS:
            value, sample = figures.received, figures.received
        else:
            sample = figures.completed + figures.open_overdue
            value = Fraction(figures.completed_on_time, sample) * 100 if sample else None
    elif metric == ResultMetric.IKM:
        from pendopo.surveys import indices
        from pendopo.surveys.models import SurveyResponse
        from pendopo.surveys.periods import Period

        if service_id is None:
            return unmeasured
        index = indices.index_of(SurveyResponse.objects.filter(region=region, service_id=service_id), Period.between(first, last))
        value, sample = (index.converted, index.respondents) if index else (None, 0)
    elif metric == ResultMetric.COMPLAINTS_ON_TIME:
        from pendopo.performance import live
        from pendopo.surveys.periods import Period

        figure = live.complaints_on_time(region, commitment.owner, Period.between(first, last))
        value, sample = figure.value, figure.sample
    else:  # pragma: no cover -- the choices are closed
        return None
    return Result(metric, value, sample, first, last, complete)
