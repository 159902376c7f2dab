"""The SKM report of one unit and period: what the report page, the PDF and the XLSX all show.

A unit is the region, an agency, a service or a service point. Figures (indices, trend,
comparison between units, respondents' profile, sample adequacy) are public and computed from
all of the unit's responses; suggestions and raw responses only go to those who may read the
unit's responses (selectors.may_read_unit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.http import Http404

from pendopo.lib import dates
from pendopo.regions.models import Agency, Region, ServicePoint
from pendopo.surveys import ikm, indices, selectors
from pendopo.surveys.choices import ELEMENT_TABLE, GRADE_LABELS, Element
from pendopo.surveys.indices import Level, UnitIndex
from pendopo.surveys.models import FollowUpPlan, SurveyResponse
from pendopo.surveys.periods import Kind, Period

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.catalog.models import Service
    from pendopo.regions.models import User

TREND_LENGTH = {Kind.MONTH: 12, Kind.QUARTER: 8, Kind.SEMESTER: 6, Kind.YEAR: 5, Kind.RANGE: 4}
SUGGESTIONS_SHOWN = 50
FREQUENT_SUGGESTIONS = 10
# The level the comparison table breaks a unit into.
CHILD_LEVEL = {
    Level.REGION: Level.AGENCY,
    Level.AGENCY: Level.SERVICE,
    Level.SERVICE: Level.SERVICE_POINT,
    Level.SERVICE_POINT: Level.SERVICE,
}


@dataclass(frozen=True)
class Unit:
    region: Region
    agency: Agency | None = None
    service: Service | None = None
    point: ServicePoint | None = None

    @property
    def level(self) -> Level:
        if self.service is not None:
            return Level.SERVICE
        if self.point is not None:
            return Level.SERVICE_POINT
        if self.agency is not None:
            return Level.AGENCY
        return Level.REGION

    @property
    def name(self) -> str:
        if self.service is not None:
            return self.service.name + (f" — {self.point.name}" if self.point else "")
        if self.point is not None:
            return self.point.name
        if self.agency is not None:
            return self.agency.name
        return self.region.name

    @property
    def owner(self) -> Agency | None:
        """The agency that answers for this unit (and writes its follow-up plan)."""
        if self.service is not None:
            return self.service.agency
        if self.agency is not None:
            return self.agency
        return self.point.agency if self.point is not None else None

    @property
    def code(self) -> str:
        if self.service is not None:
            return self.service.code
        if self.point is not None:
            return self.point.code
        if self.agency is not None:
            return self.agency.code
        return self.region.regency_id

    @property
    def pk(self) -> int | None:
        """The id under which the people served are counted (agency or service; none for a region or point)."""
        if self.service is not None:
            return self.service.pk
        if self.agency is not None and self.point is None:
            return self.agency.pk
        return None

    def q(self) -> Q:
        condition = Q()
        if self.service is not None:
            condition &= Q(service=self.service)
        elif self.agency is not None:
            condition &= Q(agency=self.agency)
        if self.point is not None:
            condition &= Q(service_point=self.point)
        return condition

    def query(self) -> dict[str, str]:
        """The address parameters that select this unit again."""
        out = {}
        if self.service is not None:
            out["layanan"] = self.service.code
        elif self.agency is not None:
            out["opd"] = self.agency.code
        if self.point is not None:
            out["tempat"] = self.point.code
        return out


def resolve_unit(region: Region, *, agency: str = "", service: str = "", point: str = "") -> Unit:
    """The unit named by the codes in an address (404 for a code the region does not have)."""
    found_agency = found_service = found_point = None
    if service:
        found_service = selectors.survey_services(region).filter(code=service).first()
        if found_service is None:
            raise Http404
    elif agency:
        found_agency = selectors.public_agencies(region).filter(code=agency).first()
        if found_agency is None:
            raise Http404
    if point:
        found_point = selectors.survey_points(region).select_related("agency").filter(code=point).first()
        if found_point is None:
            raise Http404
    return Unit(region, found_agency, found_service, found_point)


def default_period(region: Region) -> Period:
    return Period.containing(Kind.YEAR, dates.today(region.time_zone))


@dataclass
class ElementRow:
    element: Element
    nrr: Fraction
    weighted: Fraction

    @property
    def shown(self) -> str:
        return str(ikm.round_half_up(self.nrr))

    @property
    def weighted_shown(self) -> str:
        return str(ikm.round_half_up(self.weighted, 4))

    @property
    def percent(self) -> float:
        """Bar length: the NRR on the 1–4 scale as a share of 4."""
        return float(self.nrr / ikm.MAX_SCORE * 100)

    @property
    def width(self) -> str:
        """`percent` as a CSS length, with a point whatever the language."""
        return f"{self.percent:.2f}"


@dataclass
class Report:
    unit: Unit
    period: Period
    summary: UnitIndex
    trend: list[tuple[Period, ikm.Index | None]]
    comparison: list[UnitIndex]
    comparison_level: Level
    profile: dict[str, list[indices.ProfileRow]]
    follow_up: FollowUpPlan | None
    can_read_raw: bool
    suggestions: list[SurveyResponse] = field(default_factory=list)
    suggestion_count: int = 0
    # The suggestions given most often (the same words, ignoring case): (text, how many), most first.
    frequent_suggestions: list[tuple[str, int]] = field(default_factory=list)
    # Answers of the unit and period held for review (the same answers again from one device), not counted.
    held: int = 0

    @property
    def index(self) -> ikm.Index | None:
        return self.summary.index

    @property
    def elements(self) -> list[ElementRow]:
        if self.index is None:
            return []
        return [
            ElementRow(element, self.index.nrr[element.code], self.index.nrr[element.code] * ikm.WEIGHT)
            for element in ELEMENT_TABLE
        ]

    @property
    def grade_label(self) -> Any:
        return GRADE_LABELS[self.index.grade] if self.index else ""

    @property
    def trend_bars(self) -> list[dict[str, Any]]:
        return bars([(period.short_label, index) for period, index in self.trend])

    @property
    def comparison_bars(self) -> list[dict[str, Any]]:
        return bars([(unit.name, unit.index) for unit in self.comparison])


def bars(items: list[tuple[str, ikm.Index | None]]) -> list[dict[str, Any]]:
    """Bars on the converted scale (0–100) for the HTML bar charts (`surveys/_bars.html`).

    `width` is a CSS percentage written with a point whatever the language (Indonesian writes
    86,9 — not a length CSS understands).
    """
    out = []
    for label, index in items:
        converted = float(index.converted) if index else 0.0
        out.append(
            {
                "label": label,
                "value": converted,
                "width": f"{min(max(converted, 0.0), 100.0):.2f}",
                "shown": index.display()["converted"] if index else "–",
                "grade": index.grade if index else "",
            }
        )
    return out


def responses_of(unit: Unit) -> QuerySet[SurveyResponse]:
    return selectors.published_responses(unit.region).filter(unit.q())


def people_served(region: Region, period: Period) -> indices.Served:
    """The people served in `period` per agency and service: the officers' records over Pendopo's count (2 queries)."""
    return indices.served(selectors.published_served_counts(region), period, selectors.applications_received(region, period))


def summary_of(
    unit: Unit, period: Period, numbers: indices.Served | None = None, parts: list[UnitIndex] | None = None
) -> UnitIndex:
    """The unit's own index in `period` with its people served.

    Given `parts` that split the unit's responses completely (its agencies, its services), the
    index is combined from them without another query; otherwise it takes one aggregate query.
    """
    if numbers is None:
        numbers = people_served(unit.region, period)
    index = indices.combine(parts) if parts is not None else indices.index_of(responses_of(unit), period)
    summary = UnitIndex(unit.level, unit.pk, unit.code, unit.name, index)
    summary.set_population(numbers.figure(unit.level, unit.pk))
    return summary


def build(user: User | AnonymousUser | None, unit: Unit, period: Period, *, with_suggestions: bool = True) -> Report:
    """Everything one report shows: a fixed number of queries, whatever the number of responses."""
    responses = responses_of(unit)
    can_read_raw = selectors.may_read_unit(user, unit)
    numbers = people_served(unit.region, period)
    child = CHILD_LEVEL[unit.level]
    comparison = indices.with_population(indices.by_unit(responses, child, period), numbers)
    # Every response has an agency and a service, so those groups split a unit completely;
    # service points do not (a response may have none).
    summary = summary_of(unit, period, numbers, comparison if child != Level.SERVICE_POINT else None)
    owner = unit.owner
    follow_up = (
        FollowUpPlan.objects.filter(agency=owner, period=period.key).select_related("entered_by").first()
        if owner is not None and unit.level in (Level.AGENCY, Level.SERVICE)
        else None
    )
    report = Report(
        unit=unit,
        period=period,
        summary=summary,
        trend=indices.trend(responses, period.previous(TREND_LENGTH[period.kind])),
        comparison=comparison,
        comparison_level=child,
        profile=indices.profile(responses, period),
        follow_up=follow_up,
        can_read_raw=can_read_raw,
    )
    if can_read_raw:
        held = SurveyResponse.with_held.filter(region=unit.region).exclude(held_at=None)
        report.held = held.filter(unit.q()).filter(period.q()).count()
    if can_read_raw and with_suggestions:
        raw = selectors.responses_visible_to(user, unit.region).filter(unit.q()).filter(period.q()).exclude(suggestion="")
        latest = list(
            raw.order_by("-submitted_at")
            .select_related("service")
            .only("suggestion", "submitted_at", "service__name")[: SUGGESTIONS_SHOWN + 1]
        )
        report.suggestions = latest[:SUGGESTIONS_SHOWN]
        report.suggestion_count = len(latest) if len(latest) <= SUGGESTIONS_SHOWN else raw.count()
        if report.suggestion_count > 1:
            # The summary of the suggestions: the same words counted together, in the database.
            report.frequent_suggestions = [
                (row["text"], row["n"])
                for row in raw.order_by()
                .values(key=Lower(Trim("suggestion")))
                .annotate(n=Count("pk"), text=Min("suggestion"))
                .filter(n__gt=1)
                .order_by("-n", "key")[:FREQUENT_SUGGESTIONS]
            ]
    return report
