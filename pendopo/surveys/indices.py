"""The index (IKM) computed in the database: one aggregate query per figure set.

The database sums each element's scores and counts respondents (SUM and COUNT — integers, so
nothing is lost; AVG would hand back a rounded float). Only those sums come to Python, where
`ikm.from_sums` turns them into exact fractions. No response row is ever loaded to compute an
index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy

from pendopo.surveys import ikm
from pendopo.surveys.choices import ELEMENT_TABLE, GRADE_LABELS, AgeBand, Education, Occupation, Sex
from pendopo.surveys.models import ServedCount, SurveyResponse
from pendopo.surveys.periods import Kind, Period


class Level(StrEnum):
    REGION = "region"
    AGENCY = "agency"
    SERVICE = "service"
    SERVICE_POINT = "service_point"


# What a report groups by at each level (the response's foreign key), and the unit's public
# code and name on the related model.
GROUPS: dict[Level, tuple[str, str, str]] = {
    Level.REGION: ("region_id", "slug", "regency__name"),
    Level.AGENCY: ("agency_id", "code", "name"),
    Level.SERVICE: ("service_id", "code", "name"),
    Level.SERVICE_POINT: ("service_point_id", "code", "name"),
}


def element_sums(prefix: str = "", condition: Q | None = None) -> dict[str, Any]:
    """SUM of each element and COUNT of respondents, optionally only over rows matching `condition`."""
    sums: dict[str, Any] = {
        f"{prefix}s{n}": Sum(element.field, filter=condition) for n, element in enumerate(ELEMENT_TABLE, start=1)
    }
    sums[f"{prefix}n"] = Count("pk", filter=condition)
    return sums


def index_from_row(row: dict[str, Any], prefix: str = "") -> ikm.Index | None:
    respondents = row.get(f"{prefix}n") or 0
    if not respondents:
        return None
    sums = {element.code: row[f"{prefix}s{n}"] for n, element in enumerate(ELEMENT_TABLE, start=1)}
    return ikm.from_sums(respondents, sums)


@dataclass
class UnitIndex:
    """The index of one unit (region, agency, service or service point) in one period."""

    level: Level
    pk: int | None
    code: str
    name: str
    index: ikm.Index | None
    population: int | None = None  # people served in the period, when known
    population_source: Source | None = None  # where that number comes from

    def set_population(self, figure: Figure | None) -> None:
        self.population = figure.value if figure is not None else None
        self.population_source = figure.source if figure is not None else None

    @property
    def population_source_label(self) -> str:
        """Where the number of people served comes from, in the reader's language ("" when unknown)."""
        return str(SOURCE_LABELS[self.population_source]) if self.population_source else ""

    @property
    def respondents(self) -> int:
        return self.index.respondents if self.index else 0

    @property
    def sample(self) -> int | None:
        """The minimum sample (Krejcie–Morgan) for the people served, when that number is known."""
        return ikm.sample_size(self.population) if self.population is not None else None

    @property
    def short_of_sample(self) -> int:
        """How many responses are missing to reach the minimum sample (0 when enough or unknown)."""
        sample = self.sample
        return max(0, sample - self.respondents) if sample is not None else 0

    @property
    def figures(self) -> dict[str, Any] | None:
        return self.index.display() if self.index else None

    @property
    def grade_label(self) -> Any:
        """The performance label in the reader's language (the regulation's words in Indonesian)."""
        return GRADE_LABELS[self.index.grade] if self.index else ""


def index_of(responses: QuerySet[SurveyResponse], period: Period | None = None) -> ikm.Index | None:
    """The index of all `responses` (in `period`): one query."""
    if period is not None:
        responses = responses.filter(period.q())
    return index_from_row(responses.aggregate(**element_sums()))


def by_unit(responses: QuerySet[SurveyResponse], level: Level, period: Period | None = None) -> list[UnitIndex]:
    """The index of each unit at `level` that has responses (in `period`), ordered by name.

    One aggregate query grouped by the unit's id alone — as cheap as a hand-written GROUP BY —
    and one small look-up of the units' codes and names.
    """
    pk_field, code_field, name_field = GROUPS[level]
    if period is not None:
        responses = responses.filter(period.q())
    if level == Level.SERVICE_POINT:
        responses = responses.exclude(service_point=None)
    rows = list(responses.order_by().values(pk_field).annotate(**element_sums()))
    if not rows:
        return []
    model = SurveyResponse._meta.get_field(pk_field.removesuffix("_id")).related_model
    if model is None or isinstance(model, str):
        raise LookupError(f"{pk_field} does not name a relation of SurveyResponse.")
    names = {
        pk: (code, name)
        for pk, code, name in model._default_manager.filter(pk__in=[row[pk_field] for row in rows]).values_list(
            "pk", code_field, name_field
        )
    }
    units = [UnitIndex(level, row[pk_field], *names.get(row[pk_field], ("", "")), index_from_row(row)) for row in rows]
    return sorted(units, key=lambda unit: (unit.name, unit.code))


def combine(units: Iterable[UnitIndex]) -> ikm.Index | None:
    """The index of the union of disjoint units, from their exact NRR and respondents (no query).

    NRR × respondents gives back each element's sum exactly (fractions), so the index of a region
    is the same whether computed from its rows or from its agencies' groups.
    """
    respondents = 0
    sums = dict.fromkeys(ikm.ELEMENTS, Fraction(0))
    for unit in units:
        if unit.index is None:
            continue
        respondents += unit.index.respondents
        for code in ikm.ELEMENTS:
            sums[code] += unit.index.nrr[code] * unit.index.respondents
    if not respondents:
        return None
    return ikm.from_sums(respondents, {code: int(value) for code, value in sums.items()})


def trend(responses: QuerySet[SurveyResponse], periods: Sequence[Period]) -> list[tuple[Period, ikm.Index | None]]:
    """The index in each of `periods` (consecutive periods of one kind): one query.

    Calendar periods group by their columns (year and quarter, say); custom ranges use one
    filtered SUM per range in the same query.
    """
    if not periods:
        return []
    first, last = periods[0], periods[-1]
    window = responses.filter(local_date__gte=first.first_day, local_date__lte=last.last_day).order_by()
    kind = first.kind
    if kind == Kind.RANGE:
        aggregates: dict[str, Any] = {}
        for position, period in enumerate(periods):
            aggregates.update(element_sums(f"p{position}_", period.q()))
        row = window.aggregate(**aggregates)
        return [(period, index_from_row(row, f"p{position}_")) for position, period in enumerate(periods)]
    columns = ["year"] if kind == Kind.YEAR else ["year", {Kind.SEMESTER: "semester", Kind.QUARTER: "quarter"}.get(kind, "month")]
    found = {
        (row["year"], row[columns[1]] if len(columns) > 1 else 0): index_from_row(row)
        for row in window.values(*columns).annotate(**element_sums())
    }
    return [(period, found.get((period.year, period.number))) for period in periods]


def latest_year(responses: QuerySet[SurveyResponse]) -> int | None:
    return responses.aggregate(latest=Max("year"))["latest"]


# --- respondents' profile ----------------------------------------------------------------------

PROFILE_CHOICES = {"sex": Sex, "age": AgeBand, "education": Education, "occupation": Occupation}


@dataclass
class ProfileRow:
    label: str
    count: int
    share: float


def profile(responses: QuerySet[SurveyResponse], period: Period | None = None) -> dict[str, list[ProfileRow]]:
    """How many respondents fall in each profile answer: one query.

    The database counts each combination of the four answers (a few hundred groups at most, one
    pass over the rows, cheaper than a filtered count per answer); the margins are summed here.
    """
    if period is not None:
        responses = responses.filter(period.q())
    fields = list(PROFILE_CHOICES)
    margins: dict[str, dict[str, int]] = {name: {} for name in fields}
    total = 0
    for row in responses.order_by().values_list(*fields).annotate(n=Count("pk")):
        count = row[-1]
        total += count
        for name, value in zip(fields, row[:-1], strict=True):
            margins[name][value] = margins[name].get(value, 0) + count
    out: dict[str, list[ProfileRow]] = {}
    for name, choices in PROFILE_CHOICES.items():
        rows = [(str(label), margins[name].get(value, 0)) for value, label in choices.choices]
        rows.append((_not_given(), margins[name].get("", 0)))
        out[name] = [ProfileRow(label, count, count / total if total else 0.0) for label, count in rows if count]
    return out


def _not_given() -> str:
    from django.utils.translation import gettext

    return gettext("not given")


# --- sample adequacy ---------------------------------------------------------------------------


class Source(StrEnum):
    """Where a number of people served comes from."""

    COUNTED = "counted"  # applications received, counted by Pendopo
    ENTERED = "entered"  # monthly records entered by an officer (ServedCount)
    MIXED = "mixed"  # the sum of units of both kinds


SOURCE_LABELS = {
    Source.COUNTED: gettext_lazy("counted by Pendopo from applications"),
    Source.ENTERED: gettext_lazy("entered by an officer"),
    Source.MIXED: gettext_lazy("partly entered by an officer, partly counted by Pendopo from applications"),
}


@dataclass(frozen=True)
class Figure:
    """A number of people served and where it comes from."""

    value: int
    source: Source


def _sum(figures: Iterable[Figure]) -> Figure | None:
    figures = list(figures)
    if not figures:
        return None
    sources = {figure.source for figure in figures}
    return Figure(sum(figure.value for figure in figures), sources.pop() if len(sources) == 1 else Source.MIXED)


@dataclass
class Served:
    """People served per agency and per service in a period, with where each number comes from."""

    by_agency: dict[int, Figure] = field(default_factory=dict)
    by_service: dict[int, Figure] = field(default_factory=dict)

    @property
    def region(self) -> Figure | None:
        return _sum(self.by_agency.values())

    def figure(self, level: Level, pk: int | None) -> Figure | None:
        if level == Level.REGION:
            return self.region
        if level == Level.AGENCY:
            return self.by_agency.get(pk) if pk is not None else None
        if level == Level.SERVICE:
            return self.by_service.get(pk) if pk is not None else None
        return None  # service points do not record people served yet

    def population(self, level: Level, pk: int | None) -> int | None:
        figure = self.figure(level, pk)
        return figure.value if figure is not None else None


def served(counts: QuerySet[ServedCount], period: Period, received: Mapping[tuple[int, int], int] | None = None) -> Served:
    """The people served in `period` by agency and by service: one query (on top of `received`).

    `received` is what Pendopo counted: the applications received in the period per (agency, service)
    of the service (selectors.applications_received). A number an officer entered wins over the count:
    a service's own monthly records when it has any in the period (it may be delivered partly outside
    Pendopo), else its applications. An agency's number is its own monthly records when it keeps
    them, otherwise the sum of its services' numbers; the region's is the sum over its agencies.
    A service without records and without applications has no number (it may not take applications
    through Pendopo at all).
    """
    rows = (
        counts.filter(period.month_q())
        .order_by()
        .values("agency_id", "service_id")
        .annotate(total=Sum("served"))
        .values_list("agency_id", "service_id", "total")
    )
    own: dict[int, int] = {}
    entered: dict[int, int] = {}
    agency_of: dict[int, int] = {}
    for agency_id, service_id, total in rows:
        if service_id is None:
            own[agency_id] = own.get(agency_id, 0) + total
        else:
            entered[service_id] = entered.get(service_id, 0) + total
            agency_of[service_id] = agency_id
    result = Served()
    for (agency_id, service_id), count in (received or {}).items():
        if service_id is not None and service_id not in entered and count:
            result.by_service[service_id] = Figure(count, Source.COUNTED)
            agency_of[service_id] = agency_id
    result.by_service.update({service_id: Figure(total, Source.ENTERED) for service_id, total in entered.items()})
    services_of: dict[int, list[Figure]] = {}
    for service_id, figure in result.by_service.items():
        services_of.setdefault(agency_of[service_id], []).append(figure)
    for agency_id, figures in services_of.items():
        if (total := _sum(figures)) is not None:
            result.by_agency[agency_id] = total
    result.by_agency.update({agency_id: Figure(total, Source.ENTERED) for agency_id, total in own.items()})
    return result


def with_population(units: Iterable[UnitIndex], numbers: Served) -> list[UnitIndex]:
    out = []
    for unit in units:
        unit.set_population(numbers.figure(unit.level, unit.pk))
        out.append(unit)
    return out
