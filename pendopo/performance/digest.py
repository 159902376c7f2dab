"""The weekly digest to each agency head, by email through the notifications outbox.

Once a week (on `PENDOPO_SAKIP_DIGEST_WEEKDAY`, 0 = Monday, from `PENDOPO_SAKIP_DIGEST_HOUR`
local time; a weekday of -1 switches it off) each active head of an agency with an email
address gets the figures of their dashboard (`dashboards.head_dashboard`, the one definition):
the week's intake, overdue cases and complaints not answered in time (the first few, with
links), this quarter's indicators at risk, the latest on-time rate and IKM, and the link to the
dashboard. The event key names the ISO week, so the hourly job sends each head one digest a week
whatever the number of runs (the outbox's idempotency).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from pendopo.lib import dates
from pendopo.performance import dashboards
from pendopo.regions.models import Membership, Region, Role
from pendopo.workflow import metrics
from pendopo.workflow.models import Case

SHOWN = 5


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def due(region: Region, now: dt.datetime) -> bool:
    weekday = _setting("PENDOPO_SAKIP_DIGEST_WEEKDAY", 0)
    local = now.astimezone(ZoneInfo(region.time_zone))
    return weekday >= 0 and local.weekday() == weekday and local.hour >= _setting("PENDOPO_SAKIP_DIGEST_HOUR", 7)


def send_region(region: Region, now: dt.datetime) -> int:
    """Schedule this week's digest to every head of the region's agencies; returns how many were new."""
    from pendopo.notifications import outbox
    from pendopo.notifications.models import Message

    local = now.astimezone(ZoneInfo(region.time_zone))
    year, week, _day = local.isocalendar()
    base = settings.PENDOPO_BASE_URL.rstrip("/")
    heads = (
        Membership.objects.filter(region=region, role=Role.HEAD, is_active=True, agency__isnull=False, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "agency")
        .order_by("agency__name", "user_id")
    )
    sent = 0
    for membership in heads:
        user, agency = membership.user, membership.agency
        if agency is None:  # filtered out above; for the type checker
            continue
        key = f"performance:digest:{region.pk}:{agency.pk}:{user.pk}:{year}-W{week:02d}"
        if Message.objects.filter(event_key=key).exists():
            continue
        language = user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            board = dashboards.head_dashboard(user, region, agency)
            week_intake = dict.fromkeys(("application", "complaint"), 0)
            cases = Case.objects.filter(region=region, agency=agency)
            for (kind,), count in metrics.received_by(cases, ["kind"], start=now - dt.timedelta(days=7), end=now).items():
                week_intake[kind] = count
            on_time = next((rate for _label, rate, _n in reversed(board.on_time) if rate is not None), None)
            ikm = next((point for point in reversed(board.ikm_trend) if point.index is not None), None)
            context = {
                "user": user,
                "name": user.full_name or user.username,
                "agency": agency,
                "region_name": region.name,
                "board": board,
                "week": f"{year}-W{week:02d}",
                "intake": week_intake,
                "overdue": [(link.code, base + link.url) for link in board.overdue[:SHOWN]],
                "late_complaints": [(link.code, base + link.url) for link in board.complaints_overdue[:SHOWN]],
                "at_risk": board.at_risk,
                "on_time": f"{on_time:.2f}" if on_time is not None else "",
                "ikm": ikm,
                "url": base + reverse("performance:head_dashboard", kwargs={"region_slug": region.slug}),
            }
        with transaction.atomic():
            outbox.schedule_template(
                "performance/notifications/digest",
                context,
                event_key=key,
                channel="email",
                to=user.email,
                language=language,
                region=region,
            )
        sent += 1
    return sent


def send_weekly_digests(now: dt.datetime | None = None) -> int:
    """Every active region whose digest time has come this week: one digest per head (idempotent)."""
    now = now or dates.now()
    return sum(send_region(region, now) for region in Region.objects.filter(is_active=True) if due(region, now))
