"""Background work of the prices app: the hourly alert check (a thin wrapper of `alerts.evaluate`) and the
Monday brief (checked hourly, produced once per region and week from 06:00 local time on Monday)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from pendopo.lib import dates
from pendopo.regions.models import Region


@task()
def check_alerts() -> int:
    """Evaluate every active region's rules for yesterday and today (late approvals count too)."""
    from pendopo.prices.alerts import evaluate
    from pendopo.prices.models import AlertRule

    opened = 0
    for region in Region.objects.filter(
        is_active=True, pk__in=AlertRule.objects.filter(is_active=True).values("region_id")
    ).select_related("regency"):
        today = dates.today(region.time_zone)
        for day in (today - dt.timedelta(days=1), today):
            opened += len(evaluate(region, day))
    return opened


@task()
def send_weekly_briefs() -> int:
    """Produce and mail the brief of the week that ended, in every region with active markets where it is due."""
    from pendopo.prices import brief
    from pendopo.prices.models import Market

    produced = 0
    for region in Region.objects.filter(
        is_active=True, pk__in=Market.objects.filter(is_active=True).values("region_id")
    ).select_related("regency"):
        week = brief.due(region)
        if week is not None and brief.produce(region, week) is not None:
            produced += 1
    return produced
