"""What the agency head's and the region leadership's dashboards show: a fixed number of queries.

Every figure is the owning app's definition (workflow metrics, surveys' index and sample size,
complaints' statistics, this app's achievement); this module only gathers them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from pendopo.applications.selectors import local_day_bounds, overdue_q
from pendopo.complaints.models import Complaint
from pendopo.lib import dates
from pendopo.performance import lke, progress, svg
from pendopo.performance.models import Agreement, EvaluationRound, Indicator, RoundStatus
from pendopo.performance.selectors import readable
from pendopo.regions.models import Agency, Region
from pendopo.regions.permissions import visible_to
from pendopo.surveys import ikm, indices
from pendopo.surveys.models import ServedCount, SurveyResponse
from pendopo.surveys.periods import Kind, Period
from pendopo.surveys.selectors import applications_received
from pendopo.workflow import metrics
from pendopo.workflow.models import Case, CaseKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import User

OVERDUE_SHOWN = 20
TREND_MONTHS = 6
TREND_QUARTERS = 4


@dataclass
class CaseLink:
    code: str
    kind: str
    url: str
    due_at: dt.datetime | None
    assigned: str


@dataclass
class IkmPoint:
    label: str
    index: ikm.Index | None
    population: int | None

    @property
    def converted(self) -> str:
        return self.index.display()["converted"] if self.index else ""  # type: ignore[return-value]  # display() types its JSON shape as dict[str, object]

    @property
    def respondents(self) -> int:
        return self.index.respondents if self.index else 0

    @property
    def sample(self) -> int | None:
        return ikm.sample_size(self.population) if self.population is not None else None

    @property
    def adequate(self) -> bool | None:
        sample = self.sample
        return None if sample is None else self.respondents >= sample


@dataclass
class HeadDashboard:
    agency: Agency
    year: int
    quarter: int
    intake: dict[str, int]
    overdue: list[CaseLink]
    overdue_count: int
    workload: list[dict[str, Any]]
    on_time: list[tuple[str, float | None, int]]
    on_time_chart: str
    ikm_trend: list[IkmPoint]
    ikm_chart: str
    complaints_overdue: list[CaseLink]
    complaints_overdue_count: int
    rows: list[progress.Row]
    at_risk: list[progress.Row] = field(default_factory=list)
    has_agreement: bool = False  # a signed PK of the year the reader may see


def current_quarter(region: Region) -> tuple[int, int]:
    today = dates.today(region.time_zone)
    return today.year, (today.month - 1) // 3 + 1


def _case_link(region: Region, case: Case) -> CaseLink:
    if case.kind == CaseKind.COMPLAINT:
        url = reverse("complaints:detail", kwargs={"region_slug": region.slug, "code": case.code})
    else:
        url = reverse("applications:detail", kwargs={"code": case.code})
    assigned = (case.assigned_to.full_name or case.assigned_to.username) if case.assigned_to else ""
    return CaseLink(case.code, case.kind, url, case.due_at, assigned)


def _ikm_trend(region: Region, responses: Any, agency: Agency | None, quarter: Period) -> list[IkmPoint]:
    periods = quarter.previous(TREND_QUARTERS)
    points = []
    counts = ServedCount.objects.filter(region=region)
    for period, index in indices.trend(responses, periods):
        served = indices.served(counts, period, applications_received(region, period))
        population = (
            served.population(indices.Level.AGENCY, agency.pk) if agency else served.population(indices.Level.REGION, None)
        )
        points.append(IkmPoint(period.short_label, index, population))
    return points


def head_dashboard(user: User | AnonymousUser, region: Region, agency: Agency) -> HeadDashboard:
    now = dates.now()
    year, quarter = current_quarter(region)
    cases = visible_to(user, Case.objects.filter(region=region, agency=agency))
    day_start, day_end = local_day_bounds(region, now)
    intake = dict.fromkeys(CaseKind.values, 0)
    for (kind,), count in metrics.received_by(cases, ["kind"], start=day_start, end=day_end).items():
        intake[kind] = count
    overdue_cases = cases.filter(overdue_q(now, prefix="")).select_related("assigned_to").order_by("due_at", "pk")
    overdue = [_case_link(region, case) for case in overdue_cases[:OVERDUE_SHOWN]]
    overdue_count = overdue_cases.count() if len(overdue) == OVERDUE_SHOWN else len(overdue)
    workload = list(
        cases.filter(closed_at=None)
        .order_by()
        .values("assigned_to__username", "assigned_to__full_name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(now, prefix="")))
        .order_by("-open", "assigned_to__username")
    )
    today = dates.today(region.time_zone)
    first = (today.replace(day=1) - dt.timedelta(days=31 * (TREND_MONTHS - 1))).replace(day=1)
    applications = cases.filter(kind=CaseKind.APPLICATION)
    on_time = []
    for (start, _end), figures in metrics.metrics_by_period(
        applications, metrics.month_periods(region.time_zone, first, today), processing=False, backlog=False
    ):
        rate = figures.on_time_rate * 100 if figures.on_time_rate is not None else None
        on_time.append((f"{start:%m/%y}", rate, figures.completed + figures.open_overdue))
    on_time_chart = svg.line_chart(
        _("Applications on time (%)"),
        [label for label, _r, _n in on_time],
        [svg.Series(_("on time"), [r for _l, r, _n in on_time])],
        floor=0,
        ceiling=100,
    )
    responses = SurveyResponse.objects.filter(region=region, agency=agency)
    trend = _ikm_trend(region, responses, agency, Period(Kind.QUARTER, year, quarter))
    ikm_chart = svg.line_chart(
        _("Satisfaction index (IKM)"),
        [p.label for p in trend],
        [svg.Series("IKM", [p.index.converted if p.index else None for p in trend])],
        floor=25,
        ceiling=100,
    )
    complaints = (
        visible_to(user, Complaint.objects.filter(region=region, case__agency=agency))
        .filter(first_response_at=None, case__closed_at=None, response_due_at__lt=now)
        .select_related("case__assigned_to")
        .order_by("response_due_at", "pk")
    )
    late_complaints = [_case_link(region, complaint.case) for complaint in complaints[:OVERDUE_SHOWN]]
    late_count = complaints.count() if len(late_complaints) == OVERDUE_SHOWN else len(late_complaints)
    items = list(readable(user, Indicator.objects.filter(region=region, agency=agency)).select_related("region", "agency"))
    rows = progress.quarter_rows(region, items, year, quarter, user=user)
    return HeadDashboard(
        agency=agency,
        year=year,
        quarter=quarter,
        intake=intake,
        overdue=overdue,
        overdue_count=overdue_count,
        workload=list(map(dict, workload)),
        on_time=on_time,
        on_time_chart=on_time_chart,
        ikm_trend=trend,
        ikm_chart=ikm_chart,
        complaints_overdue=late_complaints,
        complaints_overdue_count=late_count,
        rows=rows,
        at_risk=[row for row in rows if row.at_risk],
        has_agreement=readable(user, Agreement.objects.filter(region=region, agency=agency, year=year)).exists(),
    )


@dataclass
class AgencyColumn:
    agency: Agency
    received: int = 0
    open_overdue: int = 0
    on_time_rate: float | None = None
    ikm: str = ""
    respondents: int = 0
    complaints: int = 0
    complaints_on_time: float | None = None
    indicators: int = 0
    at_risk: int = 0


@dataclass
class RegionDashboard:
    year: int
    quarter: int
    columns: list[AgencyColumn]
    chart: str
    region_rows: list[progress.Row]
    lke: lke.RoundScore | None
    lke_round: EvaluationRound | None
    stages: list[Any] = field(default_factory=list)  # the adoption roadmap per stage (cooperation.selectors.timeline)


def region_dashboard(user: User | AnonymousUser, region: Region) -> RegionDashboard:
    year, quarter = current_quarter(region)
    sources = progress.QuarterSources(region, year, quarter)  # each metric asked once for the columns and the indicators
    agencies = list(Agency.objects.filter(region=region, is_active=True).order_by("name"))
    columns = {agency.pk: AgencyColumn(agency) for agency in agencies}
    for agency_id, figures in sources.applications().items():
        if agency_id in columns:
            column = columns[agency_id]
            column.received, column.open_overdue = figures.received, figures.open_overdue
            column.on_time_rate = figures.on_time_rate * 100 if figures.on_time_rate is not None else None
    for unit in sources.ikm_units():
        if unit.pk in columns and unit.index is not None:
            columns[unit.pk].ikm = unit.index.display()["converted"]
            columns[unit.pk].respondents = unit.respondents
    for stats in sources.complaints():
        if stats.agency is not None and stats.agency.pk in columns:
            columns[stats.agency.pk].complaints = stats.received
            columns[stats.agency.pk].complaints_on_time = stats.on_time_rate * 100 if stats.on_time_rate is not None else None
    items = list(readable(user, Indicator.objects.filter(region=region)).select_related("region", "agency"))
    rows = progress.quarter_rows(region, items, year, quarter, user=user, sources=sources)
    for row in rows:
        if row.indicator.agency_id in columns:
            column = columns[row.indicator.agency_id]
            column.indicators += 1
            column.at_risk += int(row.at_risk)
    ordered = [columns[agency.pk] for agency in agencies]
    chart = svg.bar_chart(
        _("Applications on time and complaints answered on time (%)"),
        [column.agency.short_name or column.agency.code for column in ordered],
        [
            svg.Series(_("applications on time"), [c.on_time_rate for c in ordered]),
            svg.Series(_("complaints on time"), [c.complaints_on_time for c in ordered]),
        ],
        ceiling=100,
    )
    latest = (
        readable(user, EvaluationRound.objects.filter(region=region))
        .filter(Q(status=RoundStatus.COMPLETED) | Q(status=RoundStatus.EVALUATION) | Q(status=RoundStatus.SELF_ASSESSMENT))
        .order_by("-year")
        .first()
    )
    from pendopo.cooperation import selectors as roadmap

    return RegionDashboard(
        stages=roadmap.timeline(list(roadmap.commitments_for(user, region))),
        year=year,
        quarter=quarter,
        columns=ordered,
        chart=chart,
        region_rows=[row for row in rows if row.indicator.agency_id is None],
        lke=lke.round_score(latest) if latest else None,
        lke_round=latest,
    )
