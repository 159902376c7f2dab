"""Regions compared side by side on their published figures (docs/insights.md).

Only what a region publishes crosses regions: services with a published standard, the
applications of those services, the survey index (public), complaint counts (public numbers),
the verified innovation index, published LKE rounds, the roadmap. Every figure comes from the
owning app's definition:

| figure | definition |
| --- | --- |
| services published | `catalog` public scope: offered, with a published standard |
| applications, on-time rate, median processing time | `workflow.metrics.metrics_by`, cases of published services |
| IKM (converted) | `surveys.indices.by_unit` at the region level (PermenPANRB 14/2017) |
| complaints answered on time | `complaints.stats`: first response no later than the answer deadline, over the answered |
| queue waiting time | `queueing.stats.percentile` (median) of the first call minus the issue, over the called tickets |
| SAKIP grade | `performance.lke.round_score` of the latest published round of the year |
| innovation index | `innovations.scoring.region_index`, verified |
| commitments adopted | the roadmap's adopted ÷ (all − dropped) |

Queries: one per figure set for all regions together (the case metrics once per time zone of
the regions chosen, since a period starts at local midnight), plus the innovation index and the
LKE round, which each app computes per region. The number does not grow with the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from pendopo.regions.models import Region
from pendopo.surveys.periods import Period


def min_sample() -> int:
    return int(getattr(settings, "PENDOPO_INSIGHTS_MIN_SAMPLE", 30))


def half_up(value: Fraction | Decimal | float | int | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Spec:
    key: str
    label: Any
    unit: Any
    definition: Any
    sampled: bool = True  # has a sample size that can be too small


SPECS: tuple[Spec, ...] = (
    Spec("services", _("Services published"), _("services"), _("Offered services with a published standard."), False),
    Spec(
        "applications",
        _("Applications received"),
        _("applications"),
        _("Applications for published services received in the period."),
        False,
    ),
    Spec(
        "on_time",
        _("On-time rate"),
        "%",
        _("Completed on time ÷ (completed + still open past the deadline): late open cases count against it."),
    ),
    Spec(
        "median_days",
        _("Median processing time"),
        _("working days"),
        _("Median of the working days from received to completed, pauses for the applicant left out."),
    ),
    Spec(
        "ikm", _("Satisfaction index (IKM)"), "25–100", _("Converted IKM of every response in the period (PermenPANRB 14/2017).")
    ),
    Spec(
        "complaints_on_time",
        _("Complaints answered on time"),
        "%",
        _("Complaints whose first public response came by the answer deadline ÷ complaints answered."),
    ),
    Spec(
        "queue_wait",
        _("Queue waiting time (median)"),
        _("minutes"),
        _("Median time from taking a ticket to the first call, over the tickets called."),
    ),
    Spec("sakip", _("SAKIP grade"), "AA–E", _("The evaluator's grade of the year's published LKE round."), False),
    Spec(
        "innovation",
        _("Innovation index"),
        "0–100",
        _("The verified regional innovation index of the year and its category."),
        False,
    ),
    Spec(
        "adopted",
        _("Commitments adopted"),
        "%",
        _("Adopted ÷ (all − dropped) commitments of the roadmap (adopted ÷ all beside it)."),
    ),
)
SPEC_BY_KEY = {spec.key: spec for spec in SPECS}


@dataclass
class Figure:
    value: Decimal | int | str | None
    sample: int | None = None
    note: str = ""

    @property
    def small(self) -> bool:
        return self.sample is not None and self.value is not None and self.sample < min_sample()

    @property
    def number(self) -> float | None:
        """For the chart: a plain number, or None (a grade is not charted)."""
        return float(self.value) if isinstance(self.value, (int, Decimal)) else None


@dataclass
class Column:
    region: Region
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def publishes_something(self) -> bool:
        return bool(self.figures["services"].value) or bool(self.figures["ikm"].sample)


@dataclass(frozen=True)
class ServiceTypeRow:
    """One service type matched across regions by provenance (a copy and its original)."""

    key: str
    name: str
    cells: dict[int, dict[str, Figure]]  # region id → figure key → figure


@dataclass
class Comparison:
    period: Period
    columns: list[Column]
    service_types: list[ServiceTypeRow]

    @property
    def regions(self) -> list[Region]:
        return [column.region for column in self.columns]

    def rows(self) -> list[tuple[Spec, list[Figure]]]:
        return [(spec, [column.figures[spec.key] for column in self.columns]) for spec in SPECS]

    def labelled_rows(self) -> list[tuple[Spec, list[tuple[Region, Figure]]]]:
        """The rows with each figure's region (a phone shows the table as blocks: each value names its region)."""
        return [(spec, [(column.region, column.figures[spec.key]) for column in self.columns]) for spec in SPECS]


def _bounds(period: Period, zone: str) -> tuple[dt.datetime, dt.datetime]:
    return period.bounds(zone)


def _zones(regions: Sequence[Region]) -> dict[str, list[int]]:
    zones: dict[str, list[int]] = defaultdict(list)
    for region in regions:
        zones[region.time_zone].append(region.pk)
    return zones


def services_published(region_ids: list[int]) -> dict[int, int]:
    from pendopo.catalog.models import Service

    rows = (
        Service.objects.filter(region_id__in=region_ids, is_active=True, published_standard__isnull=False)
        .order_by()
        .values("region_id")
        .annotate(n=Count("pk"))
    )
    return {row["region_id"]: row["n"] for row in rows}


def published_cases(region_ids: list[int]) -> Any:
    from pendopo.workflow.models import Case, CaseKind

    return Case.objects.filter(
        region_id__in=region_ids,
        kind=CaseKind.APPLICATION,
        application__service__published_standard__isnull=False,
        application__service__is_active=True,
    )


def case_figures(
    regions: Sequence[Region], period: Period, group: str = "region_id", *, processing: bool = True
) -> dict[Any, Any]:
    """Workflow's metrics per region (or per `group`), one query per time zone of the regions
    (and one more for the processing time's rows when `processing`)."""
    from pendopo.workflow.metrics import metrics_by

    out: dict[Any, Any] = {}
    for zone, ids in _zones(regions).items():
        start, end = _bounds(period, zone)
        out.update(metrics_by(published_cases(ids), group, start=start, end=end, processing=processing, backlog=False))
    return out


def ikm_figures(region_ids: list[int], period: Period) -> dict[int, Any]:
    from pendopo.surveys import indices
    from pendopo.surveys.models import SurveyResponse

    units = indices.by_unit(SurveyResponse.objects.filter(region_id__in=region_ids), indices.Level.REGION, period)
    return {unit.pk: unit.index for unit in units if unit.pk is not None}


def complaint_figures(regions: Sequence[Region], period: Period) -> dict[int, tuple[int, int]]:
    """(answered, answered on time) per region: complaints.stats's definitions, counted in the database."""
    from pendopo.complaints import stats

    out: dict[int, tuple[int, int]] = {}
    for zone, ids in _zones(regions).items():
        start, end = _bounds(period, zone)
        # A public comparison: the complaints the regions publish (verified), as their own public statistics.
        received = stats.published().filter(region_id__in=ids, case__received_at__gte=start, case__received_at__lt=end)
        counted = stats.counts_by(received, "region_id")
        out.update({region_id: (row["answered"], row["answered_on_time"]) for region_id, row in counted.items()})
    return out


def queue_figures(regions: Sequence[Region], period: Period) -> dict[int, tuple[float | None, int]]:
    from pendopo.queueing import stats
    from pendopo.queueing.models import Ticket

    waits: dict[int, list[float]] = defaultdict(list)
    for zone, ids in _zones(regions).items():
        start, end = _bounds(period, zone)
        rows = (
            Ticket.objects.filter(region_id__in=ids, issued_at__gte=start, issued_at__lt=end, called_at__isnull=False)
            .order_by()
            .values_list("region_id", "issued_at", "called_at")
        )
        for region_id, issued, called in rows:
            if called is not None:  # filtered on: always
                waits[region_id].append((called - issued).total_seconds())
    return {region_id: (stats.percentile(values, 0.5), len(values)) for region_id, values in waits.items()}


def sakip_figures(region_ids: list[int], year: int) -> dict[int, str]:
    from pendopo.performance.lke import round_score
    from pendopo.performance.models import EvaluationRound

    out = {}
    for round_ in EvaluationRound.objects.filter(region_id__in=region_ids, year=year, is_published=True):
        out[round_.region_id] = round_score(round_).results["evaluator_value"].grade
    return out


def innovation_figures(regions: Sequence[Region], year: int) -> dict[int, tuple[Decimal, str, int]]:
    from pendopo.innovations import catalogue, scoring
    from pendopo.innovations.models import Innovation

    if year not in catalogue.years():
        return {}
    reporting = set(
        Innovation.objects.filter(region__in=regions, period=year, published_at__isnull=False).values_list("region_id", flat=True)
    )
    out = {}
    for region in regions:
        if region.pk in reporting:
            verified = scoring.region_index(region, year).verified
            out[region.pk] = (verified.iid, str(verified.category), verified.innovations)
    return out


def commitment_figures(region_ids: list[int]) -> dict[int, dict[str, int]]:
    from pendopo.cooperation.models import Commitment, CommitmentState

    rows = Commitment.objects.filter(region_id__in=region_ids).order_by().values("region_id", "state").annotate(n=Count("pk"))
    out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CommitmentState.values, 0))
    for row in rows:
        out[row["region_id"]][row["state"]] = row["n"]
    return out


def _percent(part: int, whole: int) -> Decimal | None:
    return half_up(Fraction(part, whole) * 100) if whole else None


def compare(regions: Sequence[Region], period: Period) -> Comparison:
    """The figures of `regions` for `period`, side by side, and the service types they share."""
    regions = list(regions)
    ids = [region.pk for region in regions]
    services = services_published(ids)
    cases = case_figures(regions, period)
    ikm = ikm_figures(ids, period)
    complaints = complaint_figures(regions, period)
    queue = queue_figures(regions, period)
    sakip = sakip_figures(ids, period.year)
    innovation = innovation_figures(regions, period.year)
    commitments = commitment_figures(ids)
    columns = []
    for region in regions:
        metrics = cases.get(region.pk)
        index = ikm.get(region.pk)
        answered, on_time = complaints.get(region.pk, (0, 0))
        wait, called = queue.get(region.pk, (None, 0))
        states = commitments.get(region.pk, {})
        total = sum(states.values())
        adopted, dropped = states.get("adopted", 0), states.get("dropped", 0)
        figures = {
            "services": Figure(services.get(region.pk, 0)),
            "applications": Figure(metrics.received if metrics else 0),
            "on_time": Figure(
                _percent(metrics.completed_on_time, metrics.completed + metrics.open_overdue) if metrics else None,
                (metrics.completed + metrics.open_overdue) if metrics else 0,
            ),
            "median_days": Figure(
                half_up(metrics.median_processing_days, 1) if metrics and metrics.median_processing_days is not None else None,
                metrics.completed if metrics else 0,
            ),
            "ikm": Figure(index.display()["converted"] if index else None, index.respondents if index else 0),
            "complaints_on_time": Figure(_percent(on_time, answered), answered),
            "queue_wait": Figure(half_up(wait / 60, 1) if wait is not None else None, called),
            "sakip": Figure(sakip.get(region.pk)),
            "innovation": Figure(
                innovation[region.pk][0] if region.pk in innovation else None,
                note=innovation[region.pk][1] if region.pk in innovation else "",
            ),
            "adopted": Figure(
                _percent(adopted, total - dropped),
                total - dropped,
                note=f"{adopted}/{total}" if total else "",
            ),
        }
        if isinstance(figures["ikm"].value, str):
            figures["ikm"].value = Decimal(figures["ikm"].value)
        columns.append(Column(region, figures))
    return Comparison(period, columns, service_types(regions, period))


def service_types(regions: Sequence[Region], period: Period) -> list[ServiceTypeRow]:
    """Published services matched across regions by provenance: a copy joins its original's row.

    Two regions' services with the same name but no copy between them stay apart.
    """
    from pendopo.catalog.models import Service
    from pendopo.surveys import indices
    from pendopo.surveys.models import SurveyResponse

    ids = [region.pk for region in regions]
    services = list(
        Service.objects.filter(region_id__in=ids, is_active=True, published_standard__isnull=False)
        .select_related("source_region")
        .order_by("region_id", "code")
    )
    by_pk = {service.pk: service for service in services}
    slug = {region.pk: region.slug for region in regions}

    def key_of(service: Service) -> str:
        if service.source_region_id and service.source_service_code:
            origin = service.source_region.slug if service.source_region else service.source_region_id
            return f"{origin}/{service.source_service_code}"
        return f"{slug[service.region_id]}/{service.code}"

    groups: dict[str, list[Service]] = defaultdict(list)
    for service in services:
        groups[key_of(service)].append(service)
    shared = {key: items for key, items in groups.items() if len({s.region_id for s in items}) > 1}
    if not shared:
        return []
    wanted = [s.pk for items in shared.values() for s in items]
    metrics = case_figures(regions, period, "application__service_id", processing=False)
    units = {
        unit.pk: unit.index
        for unit in indices.by_unit(SurveyResponse.objects.filter(service_id__in=wanted), indices.Level.SERVICE, period)
    }
    rows = []
    for key, items in sorted(shared.items()):
        original = next((s for s in items if not s.is_copy), items[0])
        cells: dict[int, dict[str, Figure]] = {}
        for service in items:
            m = metrics.get(service.pk)
            index = units.get(service.pk)
            cells[service.region_id] = {
                "applications": Figure(m.received if m else 0),
                "on_time": Figure(
                    _percent(m.completed_on_time, m.completed + m.open_overdue) if m else None,
                    (m.completed + m.open_overdue) if m else 0,
                ),
                "ikm": Figure(Decimal(str(index.display()["converted"])) if index else None, index.respondents if index else 0),
            }
        rows.append(ServiceTypeRow(key, by_pk[original.pk].name, cells))
    return rows
