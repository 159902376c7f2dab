"""Service metrics of applications per service, agency and period.

Definitions: pendopo/workflow/metrics.py and docs/applications.md.

Who sees them: agency heads (their agency's or service point's applications) and region
administrators (the whole region) — the cases a user may APPROVE. Officers and citizens get 404.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from django.http import Http404
from django.utils.translation import gettext as _

from pendopo.catalog.models import Service
from pendopo.lib import dates
from pendopo.regions.models import Agency, Role
from pendopo.regions.permissions import Action, role_in, signed_in, visible_to
from pendopo.workflow.metrics import CaseMetrics, case_metrics, metrics_by
from pendopo.workflow.models import Case, CaseKind

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from pendopo.regions.models import Region, User

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime
    label: str  # YYYY-MM


def month_period(region: Region, text: str | None) -> Period:
    """The calendar month `YYYY-MM` (default: the current one) in the region's zone."""
    zone = ZoneInfo(region.time_zone)
    today = dates.today(region.time_zone)
    year, month = today.year, today.month
    match = _MONTH.match(text or "")
    if match and 1 <= int(match.group(2)) <= 12 and 2000 <= int(match.group(1)) <= 2100:
        year, month = int(match.group(1)), int(match.group(2))
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return Period(start, end, f"{year:04d}-{month:02d}")


def application_cases(user: User, region: Region) -> QuerySet[Case]:
    """The application cases of the region whose metrics `user` may see (what they may approve)."""
    return visible_to(user, Case.objects.filter(region=region, kind=CaseKind.APPLICATION), Action.APPROVE)


@dataclass(frozen=True)
class MetricsRow:
    name: str
    metrics: CaseMetrics


def service_metrics(user: User, region: Region, period: Period) -> tuple[CaseMetrics, list[MetricsRow], list[MetricsRow]]:
    """The total, per service and per agency, for the period."""
    cases = application_cases(user, region)
    total = case_metrics(cases, start=period.start, end=period.end)
    by_service = metrics_by(cases, "application__service_id", start=period.start, end=period.end)
    by_agency = metrics_by(cases, "agency_id", start=period.start, end=period.end)
    services = dict(Service.objects.filter(pk__in=[k for k in by_service if k]).values_list("pk", "name"))
    agencies = dict(Agency.objects.filter(pk__in=[k for k in by_agency if k]).values_list("pk", "name"))
    service_rows = sorted((MetricsRow(services.get(cast(int, k), "—"), m) for k, m in by_service.items()), key=lambda r: r.name)
    agency_rows = sorted((MetricsRow(agencies.get(cast(int, k), "—"), m) for k, m in by_agency.items()), key=lambda r: r.name)
    return total, service_rows, agency_rows


def metrics_context(request: HttpRequest, region: Region) -> dict[str, Any]:
    if role_in(request.user, region) not in (Role.HEAD, Role.REGION_ADMIN, Role.PLATFORM_ADMIN):
        raise Http404
    asked = (request.GET.get("month") or "").strip()
    period = month_period(region, asked)
    # A month that cannot be read (abc, 1900-01) is said, not silently replaced by this month.
    month_error = _("Give a month between 2000-01 and 2100-12; this month is shown.") if asked and asked != period.label else ""
    total, by_service, by_agency = service_metrics(signed_in(request), region, period)
    return {"period": period, "total": total, "by_service": by_service, "by_agency": by_agency, "month_error": month_error}
