"""Regions compared, as JSON: GET /api/v1/insights/compare?regions=banyuwangi,mamuju-tengah&period=2026.

Public, the same figures as the page (published figures only). Values are strings (decimals half
up as shown on the page) or integers; each figure carries its sample size and the small-sample mark.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from pendopo.insights import figures
from pendopo.lib.apierrors import ApiError
from pendopo.regions.models import Region
from pendopo.regions.permissions import visible_to
from pendopo.surveys.periods import Period, PeriodError

router = Router(tags=["regions compared"])


class FigureOut(Schema):
    key: str
    value: str | int | None
    sample: int | None
    small_sample: bool
    note: str


class ComparedRegionOut(Schema):
    slug: str
    name: str
    publishes: bool
    figures: list[FigureOut]


class ComparisonOut(Schema):
    period: str
    regions: list[ComparedRegionOut]


@router.get("/insights/compare", response=ComparisonOut, auth=None)
def compare(request: HttpRequest, regions: str = "banyuwangi,mamuju-tengah", period: str = "") -> dict:
    slugs = [s.strip() for s in regions.split(",") if s.strip()]
    found = {r.slug: r for r in visible_to(None, Region.objects.select_related("regency")).filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ApiError(404, _("There is no region “%(slug)s” that publishes its figures.") % {"slug": missing[0][:60]})
    if not 2 <= len(found) <= 10:
        raise ApiError(400, _("Choose at least two regions to compare."))
    chosen = [found[s] for s in dict.fromkeys(slugs)]
    try:
        wanted = Period.parse(period) if period else None
    except PeriodError as exc:
        raise ApiError(400, str(exc)) from None
    if wanted is None:
        from pendopo.lib import dates
        from pendopo.surveys.periods import Kind

        wanted = Period(Kind.YEAR, dates.today(chosen[0].time_zone).year)
    comparison = figures.compare(chosen, wanted)
    return {
        "period": wanted.key,
        "regions": [
            {
                "slug": column.region.slug,
                "name": column.region.name,
                "publishes": column.publishes_something,
                "figures": [
                    {
                        "key": spec.key,
                        "value": f.value if isinstance(f.value, int) or f.value is None else str(f.value),
                        "sample": f.sample,
                        "small_sample": f.small,
                        "note": f.note,
                    }
                    for spec in figures.SPECS
                    for f in [column.figures[spec.key]]
                ],
            }
            for column in comparison.columns
        ],
    }
