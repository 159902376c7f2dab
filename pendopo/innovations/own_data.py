"""SID rows filled from Pendopo's own data, with their source (reference §6: 28, 29, 34).

One function per row, each over a batch of innovations (a constant number of queries however
many), each reading the owning app's own definition — never a second count:

- Row 28 *Kemudahan proses* (source `service_time`): the longest time limit among the linked
  services' published standards (`catalog`: `ServiceStandard.time_limit_*`, `time_limit_text`).
- Row 29 *Penyelesaian layanan pengaduan* (`complaints`): the share of the complaints received
  in the period's year that were resolved (closed as completed), `completed / received` of
  `workflow.metrics.case_metrics` over those complaint cases.
- Row 34 *Monitoring dan evaluasi* (`skm`): a linked service's SKM report of the period's year
  (`surveys.indices.by_unit`, the report's own index) gives level 2, "Laporan SKM".

- Row 28 counts a time limit in minutes as the working days its minutes span (one day of office
  hours → 1 day).
- Row 29 reads the complaints about the linked services (complaint categories naming them) or,
  when none of them has a category, the complaints of the innovation's agency; it is filled
  only when such a category exists (complaints can then be filed in Pendopo), and then no
  complaint means level 1, as the catalogue says. The share is rounded half up to a whole
  percent, the table's precision, before the level is read.
- A row filled from own data is computed when it is read (nothing is stored, so it follows the
  data), counts in the claimed and the verified index alike (the source is Pendopo's published
  record, as row 31's replications are), and replaces a hand-entered row. A row the data does
  not fill (no linked service with a standard, no SKM report) keeps the agency's own entry.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pendopo.catalog.models import ServiceStandard, TimeUnit
from pendopo.catalog.versions import time_limit_text
from pendopo.complaints.models import ComplaintCategory
from pendopo.innovations import catalogue
from pendopo.innovations.catalogue import SID
from pendopo.surveys import indices
from pendopo.surveys import selectors as survey_selectors
from pendopo.surveys.ikm import round_half_up
from pendopo.surveys.periods import Kind, Period
from pendopo.workflow import metrics
from pendopo.workflow.models import Case, CaseKind

if TYPE_CHECKING:
    from pendopo.catalog.models import Service
    from pendopo.innovations.models import Innovation

SERVICE_TIME, COMPLAINTS, SKM = "service_time", "complaints", "skm"
SKM_LEVEL = 2


@dataclass(frozen=True)
class OwnFigure:
    """A row's level read from Pendopo's data, what it was read from, and the page that shows it."""

    code: str
    level: int
    value: Decimal | None
    source: str  # "from Pendopo: …", in the reader's language
    url: str  # the internal page: the row's evidence

    @property
    def score_key(self) -> str:
        return f"own-{self.code}"


def _year_bounds(year: int, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(time_zone)
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def _linked(innovations: Sequence[Innovation]) -> dict[int, list[Service]]:
    """Each innovation's linked catalogue services with their published standard (one query)."""
    from pendopo.innovations.models import Innovation

    through = Innovation.services.through
    out: dict[int, list[Service]] = defaultdict(list)
    rows = (
        through.objects.filter(innovation_id__in=[i.pk for i in innovations])
        .select_related("service__published_standard", "service__region", "service__agency")
        .order_by("service__name", "service_id")
    )
    for row in rows:
        out[row.innovation_id].append(row.service)
    return out


def _days(standard: ServiceStandard, region_minutes_per_day: int | None) -> int:
    value = standard.time_limit_value
    if standard.time_limit_unit == TimeUnit.MINUTES:
        return max(1, math.ceil(value / (region_minutes_per_day or 480)))
    return int(value)


def _minutes_per_day(innovations: Sequence[Innovation]) -> int | None:
    if not innovations:
        return None
    calendar = innovations[0].region.calendar()
    for periods in calendar.hours.values():
        minutes = sum((end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) for start, end in periods)
        if minutes > 0:
            return minutes
    return None


def service_time(
    period: catalogue.Period, innovations: Sequence[Innovation], linked: dict[int, list[Service]] | None = None
) -> dict[int, OwnFigure]:
    """Row 28: the longest time limit among the linked services' published standards."""
    row = period.indicator(SID, "28")
    linked = _linked(innovations) if linked is None else linked
    standards = [s.published_standard for items in linked.values() for s in items if s.published_standard]
    needs_calendar = any(standard.time_limit_unit == TimeUnit.MINUTES for standard in standards)
    per_day = _minutes_per_day(innovations) if needs_calendar else None
    out = {}
    for innovation in innovations:
        pairs = [(s, s.published_standard) for s in linked.get(innovation.pk, []) if s.published_standard]
        if not pairs:
            continue
        service, standard = max(pairs, key=lambda pair: (_days(pair[1], per_day), pair[0].name))
        days = _days(standard, per_day)
        level = row.level_for(days)
        if level is None:
            continue
        out[innovation.pk] = OwnFigure(
            "28",
            level,
            Decimal(days),
            _("from Pendopo: service standard of %(service)s, %(limit)s")
            % {"service": service.name, "limit": time_limit_text(standard)},
            service.get_absolute_url(),
        )
    return out


def complaint_resolution(
    period: catalogue.Period, innovations: Sequence[Innovation], linked: dict[int, list[Service]] | None = None
) -> dict[int, OwnFigure]:
    """Row 29: the share of the complaints received in the period's year that were resolved."""
    if not innovations:
        return {}
    row = period.indicator(SID, "29")
    region = innovations[0].region
    linked = _linked(innovations) if linked is None else linked
    categories = list(
        ComplaintCategory.objects.filter(region=region, is_active=True).values_list("service_id", "agency_id").distinct()
    )
    with_category = {service for service, _agency in categories if service}
    agencies_with_category = {agency for _service, agency in categories}
    start, end = _year_bounds(period.year, region.time_zone)
    # The complaints received in the year, followed to today: resolved = closed as completed.
    cohort = Case.objects.filter(region=region, kind=CaseKind.COMPLAINT).filter(metrics.received_in(start, end))
    by_service = metrics.metrics_by(cohort, "complaint__category__service_id", processing=False, backlog=False)
    by_agency = metrics.metrics_by(cohort, "agency_id", processing=False, backlog=False)
    link = reverse("complaints:stats", args=[region.slug])
    out = {}
    for innovation in innovations:
        services = [s for s in linked.get(innovation.pk, []) if s.pk in with_category]
        if services:
            figures = [by_service[s.pk] for s in services if s.pk in by_service]
            about = ", ".join(s.name for s in services)
        elif innovation.agency_id in agencies_with_category:
            figures = [by_agency[innovation.agency_id]] if innovation.agency_id in by_agency else []
            about = innovation.agency.name
        else:
            continue
        received = sum(f.received for f in figures)
        resolved = sum(f.completed for f in figures)
        if received:
            share = round_half_up(Fraction(resolved, received) * 100, 0)
            level = row.level_for(share)
            source = _(
                "from Pendopo: complaints about %(about)s in %(year)s, %(resolved)s of %(received)s resolved (%(share)s %%)"
            ) % {
                "about": about,
                "year": period.year,
                "resolved": resolved,
                "received": received,
                "share": share,
            }
        else:
            share, level = None, 1
            source = _("from Pendopo: no complaints about %(about)s in %(year)s") % {"about": about, "year": period.year}
        if level is None:
            continue
        out[innovation.pk] = OwnFigure("29", level, share, source, link)
    return out


def skm_report(
    period: catalogue.Period, innovations: Sequence[Innovation], linked: dict[int, list[Service]] | None = None
) -> dict[int, OwnFigure]:
    """Row 34: a linked service's SKM report of the period's year (level 2, "Laporan SKM")."""
    if not innovations:
        return {}
    region = innovations[0].region
    linked = _linked(innovations) if linked is None else linked
    service_ids = {s.pk for items in linked.values() for s in items}
    if not service_ids:
        return {}
    year = Period(Kind.YEAR, period.year)
    responses = survey_selectors.published_responses(region).filter(service__in=service_ids)
    units = {unit.pk: unit for unit in indices.by_unit(responses, indices.Level.SERVICE, year) if unit.index}
    out = {}
    for innovation in innovations:
        found = [(s, units[s.pk]) for s in linked.get(innovation.pk, []) if s.pk in units]
        if not found:
            continue
        service, unit = found[0]
        figures = unit.index.display()  # type: ignore[union-attr]  # by_unit returns units with an index only
        url = reverse("surveys:report", args=[region.slug]) + "?" + urlencode({"layanan": service.code, "periode": year.key})
        out[innovation.pk] = OwnFigure(
            "34",
            SKM_LEVEL,
            None,
            _("from Pendopo: SKM report %(year)s of %(service)s, IKM %(ikm)s, %(respondents)s respondents")
            % {"year": period.year, "service": service.name, "ikm": figures["converted"], "respondents": unit.respondents},
            url,
        )
    return out


COMPUTE = {SERVICE_TIME: service_time, COMPLAINTS: complaint_resolution, SKM: skm_report}


def own_rows(period: catalogue.Period) -> dict[str, str]:
    """The period's SID rows this module fills: code → source."""
    return {row.code: row.source for row in period.sid if row.source in COMPUTE}


def figures(period: catalogue.Period, innovations: Iterable[Innovation]) -> dict[int, dict[str, OwnFigure]]:
    """Every own-data row of every innovation: innovation id → row code → figure."""
    items = list(innovations)
    out: dict[int, dict[str, OwnFigure]] = defaultdict(dict)
    if not items:
        return out
    linked = _linked(items)
    for code, source in own_rows(period).items():
        for pk, figure in COMPUTE[source](period, items, linked).items():
            out[pk][code] = figure
    return out


def for_innovation(innovation: Innovation) -> dict[str, OwnFigure]:
    """One innovation's own-data rows (the same functions as the index)."""
    return figures(catalogue.period(innovation.period), [innovation]).get(innovation.pk, {})
