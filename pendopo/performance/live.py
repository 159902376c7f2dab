"""Service indicators computed live from Pendopo's own data, through each app's one definition.

| source | figure | definition (the owner's) |
| --- | --- | --- |
| `ikm` | the converted satisfaction index (25–100) | `surveys.indices.index_of` (PermenPANRB 14/2017) |
| `on_time` | applications on time, % | `workflow.metrics.case_metrics`: on time / (completed + open overdue) |
| `complaints_on_time` | complaints answered on time, % | `complaints.stats.agency_stats`: answered on time / answered |

For a quarter of a year and the indicator's agency (the whole region for a region indicator).
Never a second copy of a metric: change the definition in its app and every indicator follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from pendopo.complaints import stats as complaint_stats
from pendopo.performance.models import Indicator, Source
from pendopo.regions.models import Agency, Region
from pendopo.surveys import indices
from pendopo.surveys.models import SurveyResponse
from pendopo.surveys.periods import Kind, Period
from pendopo.workflow import metrics
from pendopo.workflow.models import Case, CaseKind


@dataclass(frozen=True)
class LiveFigure:
    value: Fraction | None  # None: no data in the period
    sample: int  # respondents, cases or complaints the figure is computed from


def period_of(year: int, quarter: int) -> Period:
    return Period(Kind.YEAR, year) if quarter == 0 else Period(Kind.QUARTER, year, quarter)


def ikm(region: Region, agency: Agency | None, period: Period) -> LiveFigure:
    responses = SurveyResponse.objects.filter(region=region)
    if agency is not None:
        responses = responses.filter(agency=agency)
    index = indices.index_of(responses, period)
    return LiveFigure(index.converted if index else None, index.respondents if index else 0)


def on_time_rate(region: Region, agency: Agency | None, period: Period) -> LiveFigure:
    cases = Case.objects.filter(region=region, kind=CaseKind.APPLICATION)
    if agency is not None:
        cases = cases.filter(agency=agency)
    start, end = period.bounds(region.time_zone)
    figures = metrics.case_metrics(cases, start=start, end=end, processing=False, backlog=False)
    rate = figures.on_time_rate
    # on_time_rate is a float ratio of two counts: rebuild the exact fraction from those counts.
    denominator = figures.completed + figures.open_overdue
    exact = Fraction(figures.completed_on_time, denominator) * 100 if rate is not None and denominator else None
    return LiveFigure(exact, denominator)


def complaints_on_time(region: Region, agency: Agency | None, period: Period) -> LiveFigure:
    start, end = period.bounds(region.time_zone)
    rows = complaint_stats.agency_stats(region, complaint_stats.counted(), start=start, end=end, median=False)
    if agency is not None:
        rows = [row for row in rows if row.agency is not None and row.agency.pk == agency.pk]
    answered = sum(row.answered for row in rows)
    on_time = sum(row.answered_on_time for row in rows)
    return LiveFigure(Fraction(on_time, answered) * 100 if answered else None, answered)


COMPUTE = {Source.IKM: ikm, Source.ON_TIME: on_time_rate, Source.COMPLAINTS_ON_TIME: complaints_on_time}


def realisation_of(indicator: Indicator, year: int, quarter: int) -> LiveFigure:
    """The live figure of a computed indicator for a quarter (0: the whole year)."""
    return COMPUTE[Source(indicator.source)](indicator.region, indicator.agency, period_of(year, quarter))
